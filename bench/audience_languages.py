"""Audience segments of a mixed-language export: do they split by language?

    .venv/bin/python bench/audience_languages.py        # about 2 minutes on 2 cores (e5 reads 1,500 posts)

Data (../shared/data/umsab, evaluation only): the first 500 UMSAB test tweets in English, German, Italian and
Portuguese as one export with no authors, so segmented by posts, with the app's defaults
(`lib.pipeline.segment_settings`). Intent is read in English only, so the other posts' intent is "n/a". Two fits
on the same enriched posts, seed 42: the rule as shipped (a mix more than `MAX_UNREAD` of whose posts were not
read is left out) and without it ("n/a" a value of the mix, as before 2026-12-06). Columns: segments, noise,
stability (adjusted Rand with a second seed), AMI between segment and language (lower: the segments follow
behaviour, not language), and how many segment names carry a number (namesakes nothing else told apart).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
UMSAB = ROOT.parent / "shared" / "data" / "umsab"


def export() -> pd.DataFrame:
    rows = []
    for folder in ("english", "german", "italian", "portuguese"):
        texts = (UMSAB / folder / "test_text.txt").read_text(encoding="utf-8").split("\n")[:500]
        rows += [{"post_id": f"{folder[:2]}{i}", "text": t} for i, t in enumerate(texts)]
    return pd.DataFrame(rows)


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score

    from lib.audience import features
    from lib.audience.segments import fit_segments
    from lib.listening.enrich import enrich
    from lib.pipeline import segment_settings

    frame = enrich(export()).frame
    settings = segment_settings(frame)
    print(f"{len(frame):,} posts; languages {frame['language'].value_counts().head(5).to_dict()}; intent n/a for "
          f"{(frame['intent'] == 'n/a').mean():.0%}\n")
    print("| fit | segments | noise | stability | AMI(segment, language) | names with a number | groups used |")
    print("|---|---|---|---|---|---|---|")
    shipped = features.MAX_UNREAD
    for name, bound in (("as shipped (a mostly unread mix left out)", shipped), ("n/a as a value (before)", 1.0)):
        features.MAX_UNREAD = bound
        try:
            result = fit_segments(frame, settings)
        finally:
            features.MAX_UNREAD = shipped
        m = result.metrics
        seg = result.authors.set_index("author")["segment"].reindex(frame["post_id"].astype(str)).to_numpy()
        ami = adjusted_mutual_info_score(frame["language"].to_numpy(), seg)
        numbered = int(result.personas["name"].str.contains(r" #\d+$").sum())
        print(f"| {name} | {m['segments']} | {m['noise_share']:.0%} | {m.get('stability_ari', float('nan')):.2f} | "
              f"{ami:.3f} | {numbered} | {', '.join(m['groups_used'])} |")


if __name__ == "__main__":
    main()
