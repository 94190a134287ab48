"""Language identification on real short posts: accuracy per language and speed, Listening Lab's detector
against the other offline, torch-free detectors that are installed.

    .venv/bin/python bench/eval_language.py [--others]

Data (../shared/data, evaluation only, nothing is trained on it): the UMSAB test tweets in English, German,
Italian and Portuguese (870 each) and the TweetTopic-XL test tweets in English, Spanish, Greek and Japanese (800
each). A post counts as right when its code is the set's language; "und" counts as wrong, so the accuracy is
over every post and the und column says how many were left undetermined.

Rows: `listening lab` is lib.listening.language.detect_languages with each set read as one dataset (the dataset
prior at work); `... pooled` reads all eight sets as one mixed dataset (the prior then favours English, the
commonest); `... no prior` reads every post alone; `the 60 candidates alone` gives every post its most likely
of the 60 candidate languages (no prior, never "und"); `py3langid, all 140` is the package's own classifier with
every language it knows, on the same cleaned text. With --others, also lingua-language-detector, pycld2,
cld3-py (gcld3), eld and langdetect where they are installed (they are not project dependencies), on the same
cleaned text. Speed: posts per second over all 6,680 posts (distinct texts), model loading excluded (reported
once); then the time `detect_languages` adds to the listening enrichment of 10,000 English sample posts.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.listening import language as lang

SETS = [("umsab", "english", "en"), ("umsab", "german", "de"), ("umsab", "italian", "it"),
        ("umsab", "portuguese", "pt"), ("tweettopic_xl", "en", "en"), ("tweettopic_xl", "es", "es"),
        ("tweettopic_xl", "gr", "el"), ("tweettopic_xl", "ja", "ja")]


def load_sets() -> dict[str, tuple[str, pd.Series]]:
    out = {}
    for corpus, folder, code in SETS:
        if corpus == "umsab":
            texts = (DATA / corpus / folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
        else:
            lines = (DATA / corpus / folder / f"{folder}_test.jsonl").read_text(encoding="utf-8").splitlines()
            texts = [json.loads(x)["text"] for x in lines if x.strip()]
        out[f"{'UMSAB' if corpus == 'umsab' else 'TTXL'} {code}"] = (code, pd.Series(texts, dtype=object))
    return out


def _per_post(fn: Callable[[str], str]) -> Callable[[pd.Series], pd.Series]:
    def run(texts: pd.Series) -> pd.Series:
        clean = lang.clean_for_language(texts)
        return pd.Series([fn(t) for t in clean], index=texts.index)
    return run


def _py3langid_all() -> Callable[[pd.Series], pd.Series]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _per_post(lambda t: ident.classify(t)[0])


def _candidates_only(texts: pd.Series) -> pd.Series:
    """The restricted candidates alone: every post gets its most likely language, no prior, no "und"."""
    proba = lang.language_probabilities(lang.clean_for_language(texts))
    return pd.Series(np.asarray(lang.LANGUAGES, dtype=object)[proba.argmax(axis=1)], index=texts.index)


def _others() -> dict[str, Callable[[], Callable[[pd.Series], pd.Series]]]:
    def lingua():  # type: ignore[no-untyped-def]
        from lingua import LanguageDetectorBuilder

        det = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def one(t: str) -> str:
            found = det.detect_language_of(t)
            return found.iso_code_639_1.name.lower() if found else "und"
        return _per_post(one)

    def cld2():  # type: ignore[no-untyped-def]
        import pycld2

        def one(t: str) -> str:
            try:
                return str(pycld2.detect(t)[2][0][1])
            except pycld2.error:
                return "und"
        return _per_post(one)

    def cld3():  # type: ignore[no-untyped-def]
        import gcld3

        det = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
        return _per_post(lambda t: det.FindLanguage(text=t).language)

    def eld():  # type: ignore[no-untyped-def]
        from eld import LanguageDetector

        det = LanguageDetector()
        return _per_post(lambda t: det.detect(t).language or "und")

    def langdetect():  # type: ignore[no-untyped-def]
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0

        def one(t: str) -> str:
            try:
                return str(detect(t))
            except LangDetectException:
                return "und"
        return _per_post(one)

    return {"lingua-language-detector": lingua, "CLD2 (pycld2)": cld2, "CLD3 (cld3-py)": cld3, "ELD": eld,
            "langdetect": langdetect}


def row(name: str, run: Callable[[pd.Series], pd.Series], sets: dict[str, tuple[str, pd.Series]],
        pooled: bool = False) -> str:
    cells, n, seconds = [], 0, 0.0
    if pooled:
        allt = pd.concat([t for _, t in sets.values()], ignore_index=True)
        t0 = time.perf_counter()
        pred_all = run(allt)
        seconds, n = time.perf_counter() - t0, len(allt)
        parts = np.split(pred_all.to_numpy(), np.cumsum([len(t) for _, t in sets.values()])[:-1])
    else:
        parts = []
        for _code, texts in sets.values():
            t0 = time.perf_counter()
            parts.append(run(texts).to_numpy())
            seconds += time.perf_counter() - t0
            n += len(texts)
    for (code, _texts), pred in zip(sets.values(), parts):
        cells.append(f"{np.mean(pred == code):.3f} ({np.mean(pred == 'und'):.0%})")
    return f"| {name} | " + " | ".join(cells) + f" | {n / seconds:,.0f} |"


def added_time(n: int = 10_000) -> str:
    """What the language column adds to enriching n English posts, drawn as bench/run.py draws them."""
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.enrich import enrich

    src: list[str | Path] = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    base = build_posts(open_sources(src), ImportOptions()).posts
    rng = np.random.default_rng(0)
    posts = base.sample(n, replace=True, random_state=0).reset_index(drop=True)
    posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    t0 = time.perf_counter()
    found = lang.detect_languages(posts["text"])
    detect_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    enrich(posts)
    enrich_s = time.perf_counter() - t1
    return (f"| {n:,} English sample posts (distinct texts) | {detect_s:.2f} | {enrich_s:.2f} | "
            f"{detect_s / enrich_s:.0%} | {(found == 'en').mean():.1%} en, {(found == 'und').mean():.1%} und |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--others", action="store_true", help="also the other detectors that are installed")
    others = ap.parse_args().others
    if not (DATA / "umsab").is_dir():
        sys.exit(f"no evaluation data in {DATA}")
    sets = load_sets()
    t0 = time.perf_counter()
    lang._model()
    load_s = time.perf_counter() - t0
    print("# Language identification: accuracy per set (share left 'und'), posts/s\n")
    print("| detector | " + " | ".join(sets) + " | posts/s |")
    print("|---|" + "---|" * (len(sets) + 1))
    print(row("listening lab (each set one dataset)", lang.detect_languages, sets), flush=True)
    print(row("listening lab pooled (one mixed dataset)", lang.detect_languages, sets, pooled=True), flush=True)
    print(row("listening lab, no prior", lambda t: lang.detect_languages(t, prior_weight=0.0), sets), flush=True)
    print(row("the 60 candidates alone (no prior, no und)", _candidates_only, sets), flush=True)
    print(row("py3langid, all 140 languages, one call per post", _py3langid_all(), sets), flush=True)
    if others:
        for name, make in _others().items():
            try:
                run = make()
            except ImportError:
                print(f"| {name} | not installed |")
                continue
            print(row(name, run, sets), flush=True)
    print(f"\nModel loading (once per process): {load_s:.1f} s. Goal: >= 0.95 on every set.\n")
    print("# Time the language column adds to the listening enrichment\n")
    print("| posts | detect_languages (s) | whole enrichment with it (s) | share | detected |")
    print("|---|---|---|---|---|")
    print(added_time(), flush=True)


if __name__ == "__main__":
    main()
