"""Every stage of the pipeline per size, in a cold process and warm, and stock BERTopic on the same posts.

    .venv/bin/python bench/pipeline.py [--sizes 10000 50000 100000] [--stock] [--embeddings minilm]

For each size a fresh process (empty workspace) runs the stages in the app's order and times each:
import (read the CSV, map, clean, save to the workspace), sentiment (VADER, the Listening Lab label,
emotion, intent, sarcasm), embeddings (every distinct text; WordLlama here unless --embeddings: the app's
topics default to MiniLM on a 4,000-post sample since 2026-12-03, see bench/eval_real.py), topics
(UMAP, HDBSCAN, c-TF-IDF,
outliers, map; on the embeddings just made), audience (segments with the app's defaults), KPIs (value
model, rankings, scorecard) and report (HTML + PDF). "cold" is that first pass: imports, model loading
and numba compilation included. "warm" runs every stage again in the same process: the workspace now
holds the per-text scores and vectors, as when a dataset is re-imported or re-analysed. Peak memory is
the process's peak resident set at the end of the stage (it only grows).

Posts are drawn from the two sample scenarios with a random tag appended, so texts are distinct (the
worst case for caching). With --stock, BERTopic's defaults (UMAP and HDBSCAN defaults, all-MiniLM-L6-v2
vectors from our ONNX MiniLM: sentence-transformers and torch are not installable here; see
topics_vs_stock.py) fit the same texts in a fresh process; the ratio compares it with ours, cold.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("import", "sentiment", "embeddings", "topics", "audience", "KPIs", "report")

CHILD = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {root!r})
t_start = time.perf_counter()
import numpy as np, pandas as pd
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.store.workspace import Workspace
ws = Workspace({ws!r})
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rows = []

def timed(run, stage, fn):
    t = time.perf_counter()
    out = fn()
    rows.append({{"run": run, "stage": stage, "seconds": time.perf_counter() - t, "peak_mb": peak()}})
    return out

for run in ("cold", "warm"):
    def do_import():
        result = build_posts(open_sources([{csv!r}]), ImportOptions())
        ws.save_dataset(f"bench {{run}}", result.posts, result.excluded, result.report, raw=result.raw)
        return result
    result = timed(run, "import", do_import)
    posts = result.posts
    from lib.listening.enrich import enrich
    frame = timed(run, "sentiment", lambda: enrich(posts, ws).frame)
    from lib.embeddings.cache import embed
    emb = timed(run, "embeddings", lambda: embed(frame["text"], ws, {backend!r}))
    from lib.topics.fit import fit_topics
    from lib.topics.result import TopicSettings
    topics = timed(run, "topics", lambda: fit_topics(frame, TopicSettings(backend={backend!r}), ws=ws, embeddings=emb))
    from lib.audience.features import author_coverage, default_unit
    from lib.audience.result import SegmentSettings
    from lib.audience.segments import fit_segments
    unit = default_unit(author_coverage(frame))
    segs = timed(run, "audience", lambda: fit_segments(frame, SegmentSettings(unit=unit)))
    from lib.kpis import value as K
    from lib.kpis.scorecard import scorecard
    from lib.kpis.weights import PRESETS
    def do_kpis():
        model = K.fit_value_model(frame)
        return K.rankings(model, PRESETS["Balanced"]), scorecard(frame, model)
    timed(run, "KPIs", do_kpis)
    from lib.report.build import build
    from lib.report.data import ReportData
    from lib.report.render import to_html, to_pdf
    from lib.topics.views import effective, topic_table, with_topics
    doc_topic, table = effective(topics)
    data = ReportData("bench", frame, meta=result.report,
                      topics=topic_table(with_topics(frame, doc_topic, table), table),
                      topic_settings=json.loads(topics.settings.to_json()), personas=segs.personas,
                      audience_metrics=segs.metrics)
    def do_report():
        rep = build(data)
        return to_html(rep), to_pdf(rep)
    timed(run, "report", do_report)
print(json.dumps({{"rows": rows, "topics": int(topics.metrics["n_topics"]), "segments": int(segs.metrics["segments"]),
                  "total": time.perf_counter() - t_start}}))
"""


def make_posts(n: int, path: Path) -> None:
    """N posts drawn from both samples, each with a random tag so every text is distinct. The samples are read
    through the importer first: their columns differ (GamerFuel's text is `content`), and a plain concatenation
    left GamerFuel's rows without text (until 2026-12-03: 63 % of the rows were excluded as empty)."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import pandas as pd

    from lib.ingest.build import ImportOptions, build_posts, open_sources

    src: list[str | Path] = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    base = build_posts(open_sources(src), ImportOptions()).posts
    rng = np.random.default_rng(0)
    out = base.sample(n, replace=True, random_state=0).reset_index(drop=True)
    out["text"] = out["text"] + " #t" + pd.Series(rng.integers(0, 10**9, n)).astype(str)
    out["post_id"] = [f"p{i}" for i in range(n)]
    out.drop(columns=[c for c in out if c.startswith(("truth_", "source_", "text_raw"))]).to_csv(path, index=False)


def run_stock(csv: Path, tmp: Path) -> dict:
    import pandas as pd

    from bench.topics_vs_stock import PYTHON, STOCK, run_child

    data = tmp / "texts.json"
    texts = pd.read_csv(csv)["text"]
    texts[texts.fillna("").str.strip().ne("")].to_frame().to_json(data)  # the posts ours keeps (rows with text)
    return run_child(PYTHON, STOCK.format(root=str(ROOT), data=str(data)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", type=int, default=[10_000, 50_000, 100_000])
    ap.add_argument("--stock", action="store_true", help="also fit stock BERTopic on the same posts")
    ap.add_argument("--embeddings", default="auto", choices=("auto", "wordllama", "minilm", "tfidf"))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    print("| posts | stage | cold process (s) | warm (s) | peak memory after the stage, cold / warm (MB) |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / f"posts_{n}.csv"
            make_posts(n, csv)
            got = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), ws=str(Path(tmp) / "ws.duckdb"),
                                                                     csv=str(csv), backend=args.embeddings)],
                                 capture_output=True, text=True, cwd=ROOT)
            if got.returncode != 0:
                raise SystemExit(got.stderr[-3000:])
            r = json.loads(got.stdout.strip().splitlines()[-1])
            by = {(x["run"], x["stage"]): x for x in r["rows"]}
            for stage in STAGES:
                c, w = by[("cold", stage)], by[("warm", stage)]
                print(f"| {n:,} | {stage} | {c['seconds']:.1f} | {w['seconds']:.1f} | "
                      f"{c['peak_mb']:,.0f} / {w['peak_mb']:,.0f} |", flush=True)
            cold = {s: by[("cold", s)]["seconds"] for s in STAGES}
            print(f"| {n:,} | **all stages** ({r['topics']} topics, {r['segments']} segments) | "
                  f"{sum(cold.values()):.1f} | {sum(by[('warm', s)]['seconds'] for s in STAGES):.1f} | |", flush=True)
            if args.stock:
                s = run_stock(csv, Path(tmp))
                ours = cold["embeddings"] + cold["topics"]
                print(f"| {n:,} | stock BERTopic, fresh process ({len(s['keywords'])} topics): "
                      f"**{s['wall'] / ours:.1f}x** our embeddings + topics | {s['wall']:.1f} | | "
                      f"{s['peak_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
