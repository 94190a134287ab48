"""Topics across languages: the step that splits a language one topic swallowed, against no step and against
centring every language, on real tweets in four languages (lib/topics/languages.py).

    .venv/bin/python bench/topic_languages.py       # about 10 minutes on 2 cores once the E5 vectors are cached

Sets (TweetTopic-XL test tweets, MIT; labels: the most specific topic):
- mixed: the four languages' 4,000 tweets as one export (bench/eval_topics_real.py's set): every language talks
  about every subject;
- skewed: each language keeps half of the 19 labels (English and Greek the even ones by frequency, Spanish and
  Japanese the odd ones): each language talks about subjects of its own, where centring a language also takes out
  its subjects' mix.
The pipeline's default settings (E5, as the app chooses for these sets), seeds 42-44; the vectors come from
bench/eval_topics_real.py's cache (tmp/eval_real_cache.duckdb), so only the fits are timed (seconds after
embedding). Figures: mean AMI with the labels, AMI with the language, topics.
"""
from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_mutual_info_score as ami

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval_topics_real as E  # noqa: E402

import lib.topics.fit as fit_module  # noqa: E402
from lib.embeddings.cache import Embeddings, embed  # noqa: E402
from lib.listening.language import detect_languages  # noqa: E402
from lib.pipeline import topic_settings  # noqa: E402
from lib.topics.languages import centred, language_means  # noqa: E402

SEEDS = (42, 43, 44)


def sets() -> dict[str, pd.DataFrame]:
    parts = {f: E.tweettopic(f)() for f in ("en", "es", "gr", "ja")}
    mixed = pd.concat(parts.values(), ignore_index=True)
    labels = mixed["label"].value_counts().index.tolist()
    even = set(labels[::2])
    skewed = pd.concat([parts["en"][parts["en"]["label"].isin(even)], parts["es"][~parts["es"]["label"].isin(even)],
                        parts["gr"][parts["gr"]["label"].isin(even)], parts["ja"][~parts["ja"]["label"].isin(even)]],
                       ignore_index=True)
    out = {}
    for name, posts in (("mixed, 4,000 tweets", mixed), ("skewed, each language its own subjects", skewed)):
        posts = posts.copy()
        posts["post_id"] = [f"p{i}" for i in range(len(posts))]
        posts["language"] = detect_languages(posts["text"].fillna("").astype(str))
        out[name] = posts
    return out


def run(posts: pd.DataFrame, variant: str) -> tuple[float, float, float, float]:
    rows = []
    original = fit_module.swallowed_languages
    for seed in SEEDS:
        settings = replace(topic_settings(posts), seed=seed)
        emb = embed(fit_module.meaning_texts(posts["text"], settings), E.workspace(), settings.backend)
        langs = posts["language"].astype(str).to_numpy(dtype=object)
        if variant == "every language centred":
            codes = [c for c, s in posts["language"].value_counts(normalize=True).items() if s >= 0.05 and c != "und"]
            emb = Embeddings(centred(emb.vectors, langs, language_means(emb.vectors, langs, codes)), emb.backend, 0)
        fit_module.swallowed_languages = original if variant == "the step (default)" else (lambda *a: [])
        try:
            t0 = time.perf_counter()
            res = fit_module.fit_topics(posts, settings, embeddings=emb)
            seconds = time.perf_counter() - t0
        finally:
            fit_module.swallowed_languages = original
        rows.append((ami(posts["label"].astype(str), res.topic), ami(posts["language"], res.topic),
                     res.metrics["n_topics"], seconds))
    return tuple(np.mean(rows, axis=0))  # type: ignore[return-value]


def main() -> None:
    print("| set | variant | AMI with labels | AMI with language | topics | fit, s |")
    print("|---|---|---|---|---|---|")
    for name, posts in sets().items():
        for variant in ("no step", "the step (default)", "every language centred"):
            a, lang, k, s = run(posts, variant)
            print(f"| {name} | {variant} | {a:.3f} | {lang:.3f} | {k:.1f} | {s:.1f} |", flush=True)


if __name__ == "__main__":
    main()
