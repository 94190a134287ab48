"""Topic quality and speed: Listening Lab's pipeline against stock BERTopic on the same posts, same run.

    .venv/bin/python bench/topics_vs_stock.py [--n 10000] [--data emotion|vader|youtube] [--skip-stock]

Posts (read from ../shared, never copied here; else the sample scenarios), with the label the topics are
compared with:
- emotion (default): the first N texts of ../shared/data/emotion/train.txt, real English tweets; label:
  their emotion (a weak stand-in for what people talk about);
- vader: N texts drawn from the VADER paper's four corpora (tweets, Amazon, movie and NYT snippets);
  label: the corpus;
- youtube: the 1,956 comments of the YouTube spam collection; label: the video they are under.

- "ours": lib.topics.fit.fit_topics with default settings and an empty workspace, with each text
  representation (MiniLM, the pipeline's default, and WordLlama), (1) in a fresh process (embedding, imports
  and numba compilation all included) and (2) as the app runs it: in a process that has done the app's
  background warm-up (imports, model load, numba compilation on a tiny problem), each with an empty
  workspace so every post is embedded.
- "stock": BERTopic() defaults (UMAP and HDBSCAN defaults, no stop words, no outlier reduction) in a fresh
  process, given all-MiniLM-L6-v2 vectors of every text made in that process by our offline ONNX MiniLM
  (lib/embeddings/minilm.py, cosine ~0.999 to the original): sentence-transformers and torch are not
  installable here. Its own embedder (sentence-transformers in torch, fp32) is about half as fast on 2 cores,
  so stock's time here is its best case.

Quality, computed identically for both from each topic's top-10 keywords:
- NPMI coherence over the posts (document co-occurrence, words lower-cased), on the keywords minus
  English stop words (stock keeps stop words as keywords, which inflates co-occurrence scores);
- diversity: distinct words among all topics' top-10 / (10 x topics);
- outlier share; NMI and AMI (NMI corrected for chance, which does not reward many small topics)
  between topics and the posts' known labels (emotion), on the posts in topics, as an alignment check.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "emotion" / "train.txt"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable

OURS = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {root!r})
warm = 0.0
if {warm_first!r}:
    from lib.topics.fit import warm_up
    warm = warm_up()
t0 = time.perf_counter()
import pandas as pd
from lib.store.workspace import Workspace
from lib.topics.fit import fit_topics
from lib.topics.result import TopicSettings
docs = pd.read_json({data!r})
ws = Workspace({ws!r})
res = fit_topics(pd.DataFrame({{"post_id": docs.index.astype(str), "text": docs["text"]}}),
                 TopicSettings(min_topic_size={min_size!r}, backend={backend!r}), ws=ws)
wall = time.perf_counter() - t0
kw = res.info[res.info["topic"] != -1]["keywords"].tolist()
print(json.dumps({{"wall": wall, "warm_up": warm, "topics": res.topic.tolist(), "keywords": kw,
                  "timings": res.metrics["timings"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

STOCK = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
import pandas as pd
from bertopic import BERTopic
from lib.embeddings.registry import BACKENDS
docs = pd.read_json({data!r})["text"].fillna("").astype(str).tolist()
tm = BERTopic()
topics, _ = tm.fit_transform(docs, embeddings=BACKENDS["minilm"].encode(docs))
wall = time.perf_counter() - t0
kw = [[w for w, _ in tm.get_topic(t)] for t in sorted(set(topics)) if t != -1]
print(json.dumps({{"wall": wall, "topics": [int(t) for t in topics], "keywords": kw,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def load_posts(n: int, data: str = "emotion"):
    import pandas as pd

    shared = SHARED.parent.parent
    if data == "vader" and (shared / "vader_groundtruth").exists():
        v = pd.read_csv(shared / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv")
        v = v.sample(min(n, len(v)), random_state=0).rename(columns={"corpus": "label"})
        return v[["text", "label"]].reset_index(drop=True), "VADER paper corpora (label: corpus)"
    if data == "youtube" and (shared / "youtube_spam").exists():
        y = pd.read_csv(shared / "youtube_spam" / "DERIVED_youtube_spam_all.csv").head(n)
        return y.rename(columns={"CONTENT": "text", "VIDEO": "label"})[["text", "label"]].reset_index(drop=True), \
            "YouTube comments (label: video)"
    if SHARED.exists():
        df = pd.read_csv(SHARED, sep=";")
        return df.head(n).rename(columns={"label_name": "label"})[["text", "label"]].reset_index(drop=True), \
            "emotion/train.txt (real tweets; label: emotion)"
    sys.path.insert(0, str(ROOT))
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    src = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    posts = build_posts(open_sources(src), ImportOptions()).posts
    return posts.head(n).rename(columns={"truth_topic": "label"})[["text", "label"]], "sample scenarios"


def run_child(py: str, code: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    out = subprocess.run([py, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def quality(texts, keywords: list[list[str]], topics, labels) -> dict:
    import numpy as np
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
    from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

    vec = CountVectorizer(binary=True, lowercase=True, token_pattern=r"(?u)\b\w[\w'-]*\b")
    x = vec.fit_transform(texts).tocsc()
    vocab = vec.vocabulary_
    n = x.shape[0]

    def npmi(words: list[str]) -> float | None:
        words = [w for w in words if w in vocab][:10]
        if len(words) < 2:
            return None
        cols = [x[:, vocab[w]] for w in words]
        p = [c.sum() / n for c in cols]
        scores = []
        for i in range(len(words)):
            for j in range(i + 1, len(words)):
                pij = cols[i].multiply(cols[j]).sum() / n
                if pij == 0:
                    scores.append(-1.0)
                    continue
                scores.append(np.log(pij / (p[i] * p[j])) / -np.log(pij))
        return float(np.mean(scores))

    def unigrams(kw: list[str]) -> list[str]:
        out: list[str] = []
        for phrase in kw:
            for w in phrase.split():
                if w not in out:
                    out.append(w)
        return out

    content = [[w for w in unigrams(k) if w not in ENGLISH_STOP_WORDS] for k in keywords]
    raw = [unigrams(k) for k in keywords]
    coh = [s for s in (npmi(k) for k in content) if s is not None]
    coh_raw = [s for s in (npmi(k) for k in raw) if s is not None]
    top = [k[:10] for k in keywords]
    topics = np.asarray(topics)
    inside = topics != -1
    return {"topics": len(keywords), "npmi": float(np.mean(coh)) if coh else float("nan"),
            "npmi_raw": float(np.mean(coh_raw)) if coh_raw else float("nan"),
            "diversity": len({w for k in top for w in k}) / max(1, 10 * len(top)),
            "outliers": float(np.mean(~inside)),
            "nmi_labels": float(normalized_mutual_info_score(np.asarray(labels)[inside], topics[inside])),
            "ami_labels": float(adjusted_mutual_info_score(np.asarray(labels)[inside], topics[inside]))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--data", default="emotion", choices=("emotion", "vader", "youtube"))
    ap.add_argument("--skip-stock", action="store_true")
    args = ap.parse_args()
    posts, source = load_posts(args.n, args.data)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "posts.json")
        posts.to_json(data)

        def ours_run(name: str, backend: str, warm: bool) -> dict:
            rows[name] = run_child(PYTHON, OURS.format(root=str(ROOT), data=data, warm_first=warm, min_size=0,
                                                       backend=backend, ws=str(Path(tmp) / f"{backend}{warm}.duckdb")))
            return rows[name]

        ours = ours_run("Listening Lab, MiniLM (default), cold process", "minilm", False)
        warmed = ours_run("Listening Lab, MiniLM (default), as in the app (after its background warm-up)",
                          "minilm", True)
        ours_run("Listening Lab, WordLlama, cold process", "wordllama", False)
        ours_run("Listening Lab, WordLlama, as in the app (after its background warm-up)", "wordllama", True)
        if not args.skip_stock:
            rows["stock BERTopic"] = run_child(PYTHON, STOCK.format(root=str(ROOT), data=data))
    print(f"\nTopics on {len(posts):,} posts from {source}, {os.cpu_count()} cores\n")
    print("| pipeline | wall s | peak MB | topics | outliers | NPMI (content words) | NPMI (raw keywords) "
          "| diversity | NMI vs labels | AMI vs labels |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        q = quality(posts["text"].tolist(), r["keywords"], r["topics"], posts["label"])
        print(f"| {name} | {r['wall']:.1f} | {r['peak_mb']:.0f} | {q['topics']} | {q['outliers']:.1%} | "
              f"{q['npmi']:.3f} | {q['npmi_raw']:.3f} | {q['diversity']:.2f} | {q['nmi_labels']:.3f} | "
              f"{q['ami_labels']:.3f} |")
    if "stock BERTopic" in rows:
        stock = rows["stock BERTopic"]["wall"]
        print(f"\nspeed-up vs stock: cold process {stock / ours['wall']:.1f}x; "
              f"in the app {stock / warmed['wall']:.1f}x (the app's warm-up took {warmed['warm_up']:.1f} s "
              "in the background at server start)")
        fast = rows["Listening Lab, WordLlama, cold process"]["wall"]
        print(f"with WordLlama instead: cold process {stock / fast:.1f}x")
    print("\nours (cold), seconds per stage:", json.dumps(ours["timings"]))
    print("ours (app), seconds per stage:", json.dumps(warmed["timings"]))


if __name__ == "__main__":
    main()
