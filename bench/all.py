"""Every benchmark from one command, each in its own process, tables printed as they finish.

    .venv/bin/python bench/all.py            # the full set (about 90 minutes on 2 cores)
    .venv/bin/python bench/all.py --quick    # the small sizes, no stock BERTopic (a few minutes)

Full: every stage (import, sentiment, embeddings, topics, audience, KPIs, report) at 10k/50k/100k posts, cold
and warm, with stock BERTopic on the same posts; listening at 10k/100k posts (cold and warm), topics against
stock BERTopic on 10k real tweets, the real labelled sets (bench/eval_real.py), reopening a saved dataset
with topics (10k and 50k), the KPI lab's weight-change rerun at 100k, audience segments for 10k and 50k
authors, the report at 10k and 50k posts, and upload-to-every-page-ready
for 10k posts in a cold server driven by headless Chromium, and each page's wait for five people at once on a
shared server. Each script documents its own method.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes only, skip the stock pipeline")
    quick = ap.parse_args().quick
    runs = [
        ("Every stage, cold and warm (and stock BERTopic on the same posts)",
         ["pipeline.py", "--sizes", "2000"] if quick else ["pipeline.py", "--sizes", "10000", "50000", "100000",
                                                          "--stock"]),
        ("Listening (sentiment, emotion, intent, sarcasm)", ["run.py", "--sizes", "10000"] if quick else ["run.py"]),
        ("Enrichment of real tweets: VADER in a worker beside the other readings, and in turn",
         ["enrich_overlap.py", "--sizes", "3000", "--repeats", "2"] if quick else ["enrich_overlap.py"]),
        ("The local engine vs Dask on a LocalCluster of 1 and 2 workers (--steps sentiment)",
         ["dask_engine.py", "--n", "5000", "--partition-rows", "1000"] if quick else ["dask_engine.py"]),
        ("Topics vs stock BERTopic", ["topics_vs_stock.py", "--n", "2000", "--skip-stock"] if quick
         else ["topics_vs_stock.py", "--n", "10000"]),
        ("Real labelled sets: topics, sentiment and shares, emotion, complaints (each beside its baseline)",
         ["eval_real.py", "--quick"] if quick else ["eval_real.py"]),
        ("Language identification on real tweets in seven languages", ["eval_language.py"]),
        ("Topics across languages: a swallowed language split by subject", ["topic_languages.py"]),
        ("Sentiment in German, Italian and Portuguese (UMSAB), beside the English-only reading",
         ["eval_multilingual.py"]),
        ("Sentiment in Thai and Indonesian on real labelled posts (Wisesight, SmSA; paths given by hand)",
         ["eval_languages_extra.py"]),
        ("The multilingual head learned from English alone or with Thai and Indonesian posts, on languages it "
         "never saw (UMSAB; Wisesight, SmSA, Chinese reviews given by hand)", ["multilingual_training.py"]),
        ("Sentiment shares against the truth, 0 and 150 labels, overall and per brand",
         ["eval_shares.py", "--draws", "1"] if quick else ["eval_shares.py"]),
        ("VADER reading @handles as words, and not (the Listening Lab label zero-shot, real tweets)",
         ["vader_handles.py"]),
        ("Learning from the user's labels: seconds to fit the dataset's own model on 12,284 real tweets",
         ["learn_labels.py", "--labels", "150", "--repeats", "1"] if quick else ["learn_labels.py"]),
        ("Topics of the posts beyond a fit's sample: words alone, words and word vectors (held-out agreement)",
         ["words_agreement.py", "--repeats", "1"] if quick else ["words_agreement.py"]),
        ("Topic labels on real posts: c-TF-IDF's first keywords and the label given (one fit)", ["topic_labels.py"]),
        ("A column of tags per post read as categories: seconds to find, filter and break them down",
         ["tag_columns.py", "--n", "10000"] if quick else ["tag_columns.py"]),
        ("Topics flagged as mixed (cohesion) and split, on real labelled sets", ["topic_cohesion.py", "--seeds", "1"]
         if quick else ["topic_cohesion.py"]),
        ("Intent on hand-labelled real posts, rules before and after (held-back part)", ["eval_intent.py"]),
        ("Spam in alerts, topics and the leave-out switch against the real YouTube spam labels", ["eval_spam.py"]),
        ("Emotion on real labelled text: word lists before, the GoEmotions model after", ["eval_emotion.py"]),
        ("Emotion in other languages: the multilingual head beside the English model (GoEmotions, UMSAB)",
         ["eval_emotion_languages.py"]),
        ("Volume forecasts backtested on real dated posts (the app's ETS beside naive forecasts)",
         ["forecast_backtest.py"]),
        ("The KPI lab's positive-sentiment component against real human labels (VADER before, the label now)",
         ["kpi_positive.py"]),
        ("Import time of awkward shapes and real exports (a 10,001-column row, a million rows, real tweets)",
         ["import_shapes.py"]),
        ("What the import keeps of real files as they come, and what phone masking hides in real posts",
         ["import_real.py"]),
        ("Reopen a saved dataset with topics",
         ["reopen.py", "--n", "2000"] if quick else ["reopen.py", "--n", "10000"]),
        ("KPI bundle rebuilt as a label change rebuilds it: bot-likeness handed in or computed inside",
         ["kpi_bundle.py", "--sizes", "10000", "--repeats", "1"] if quick else ["kpi_bundle.py"]),
        ("KPI weight change (whole page rerun)", ["kpi_rerun.py", "--n", "20000" if quick else "100000"]),
        ("Audience segments", ["audience.py", "--authors", "2000"] if quick else ["audience.py"]),
        ("Audience segments of a four-language export: do they split by language?", ["audience_languages.py"]),
        ("The Audience page's persona cards on each rerun: every segment's typical posts",
         ["audience_cards.py", "--sizes", "100000"] if quick else ["audience_cards.py"]),
        ("Sentiment, emotion, intent on real labelled sets", ["eval_sentiment.py"]),
        ("Zero-shot sentiment with the posts' meaning (a MiniLM head, trained at run time; nothing ships)",
         ["sentiment_meaning.py"]),
        ("Report (HTML + PDF)", ["report.py", "--sizes", "10000"] if quick else ["report.py"]),
    ]
    if not quick:
        runs.append(("Upload to every page ready (cold server, browser)", ["cold_start.py", "--n", "10000"]))
        runs.append(("Upload to every page ready, 14,284 real tweets (cold server, browser)",
                     ["cold_start.py", "--real"]))
        runs.append(("Five people at once on a shared server: each page's wait (browser)", ["shared_sessions.py"]))
        runs.append(("Foresight opened after an upload of 12,284 real tweets: first content and model",
                     ["foresight_wait.py"]))
    if not quick:
        runs.insert(3, ("Reopen a saved dataset with topics, 50k", ["reopen.py", "--n", "50000"]))
    failed = []
    for title, cmd in runs:
        print(f"\n## {title}\n", flush=True)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / cmd[0]), *cmd[1:]], capture_output=True, text=True)
        table = [line for line in proc.stdout.splitlines() if line.startswith("|") or line.startswith("#")]
        print("\n".join(table) if table else proc.stdout.strip(), flush=True)
        if proc.returncode != 0:
            failed.append(title)
            print(f"(failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode})")
        print(f"\n({time.perf_counter() - t:.0f} s)", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
