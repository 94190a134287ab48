"""Spam where a marketer reads, against the real labels: the UCI YouTube spam collection (1,956 comments, 5 videos,
each labelled spam or not by its authors; read from ../shared/data, never trained on).

    .venv/bin/python bench/eval_spam.py

For each spike alert (the default sensitivity): its posts, the share the collection labels spam, and the share the
app shows (`lib.listening.alerts.spam_share`: each post's own text). For the topics (the pipeline's default fit,
seed 42): the topics the app names "mostly spam" (`lib.topics.views.spam_topics`), the true spam share of their
posts and of the others', and the mean gap per topic between the app's share and the labels'. For the posts left
in when the Listening switch and the report leave likely spam out: their true spam share, beside all posts'.
The baseline is what the app said before: nothing, so every spike, topic and figure counted spam as conversation.
Then the false alarms: the share flagged in real sets with (next to) no spam, each read as an export of its kind:
a support inbox (Banking77 test's 3,080 customer queries), brand tweets (Sentiment140 test), the VADER paper's
tweets, TweetEval test and GoEmotions test (Reddit comments).
"""
from __future__ import annotations

import glob
import sys
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "youtube_spam"


def main() -> None:
    from lib import pipeline
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.kpis.authenticity import likely_spam
    from lib.listening.alerts import detect
    from lib.listening.enrich import enrich
    from lib.topics.fit import fit_topics
    from lib.topics.views import spam_by_topic, spam_topics

    warnings.filterwarnings("ignore")
    files = sorted(glob.glob(str(DATA / "Youtube0*.csv")))
    if not files:
        sys.exit(f"{DATA} is missing")
    frame = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    truth = pd.to_numeric(frame["CLASS"])
    day = frame["created_at"].dt.tz_convert("UTC").dt.normalize()
    print("| spike alert | posts | spam by the labels | spam-like shown | gap, points |")
    print("|---|---|---|---|---|")
    for a in detect(frame):
        true = truth[(day >= a.start) & (day <= a.end)].mean()
        print(f"| {a.start:%d %b %Y}–{a.end:%d %b %Y} | {a.posts:,} | {true:.1%} | {a.spam_share:.1%} | "
              f"{abs(a.spam_share - true) * 100:.1f} |")
    flags = likely_spam(frame)
    result = fit_topics(frame, pipeline.topic_settings(frame))
    with_topics = pipeline.with_user_topics(frame, result)
    table = pipeline.topic_overview(with_topics, result)
    shown = spam_by_topic(with_topics, flags)
    spam = spam_topics(table, shown)
    by_topic = truth.groupby(with_topics["topic"]).mean()
    inside = with_topics["topic"].isin(spam)
    gap = (shown.reindex(by_topic.index) - by_topic).abs().mean() * 100
    print()
    print("| topics | named mostly spam | their posts: spam by the labels | other topics' posts | mean gap per topic, "
          "points |")
    print("|---|---|---|---|---|")
    print(f"| {len(table)} | {len(spam)} | {truth[inside].mean():.1%} | {truth[~inside].mean():.1%} | {gap:.1f} |")
    print()
    print("| posts | flagged | spam by the labels, all posts | left in after leaving spam out | precision | recall |")
    print("|---|---|---|---|---|---|")
    print(f"| {len(frame):,} | {int(flags.sum()):,} | {truth.mean():.1%} | {truth[~flags].mean():.1%} | "
          f"{truth[flags].mean():.3f} | {flags[truth == 1].mean():.3f} |")
    print()
    print("| set with (next to) no spam | posts | flagged as spam or bots |\n|---|---|---|")
    for name, posts in false_alarm_sets().items():
        print(f"| {name} | {len(posts):,} | {likely_spam(posts).mean():.1%} |")


def false_alarm_sets() -> dict[str, pd.DataFrame]:
    """Real sets whose posts are (next to) never spam, as the importer or the text alone gives them (the texts read
    by bench/eval_intent.py's loaders and the emotion model's GoEmotions reader)."""
    from bench.eval_intent import LOADERS
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.emotion_train import read_goemotions

    shared = DATA.parent

    def text_only(texts: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"text": texts.astype(str).to_numpy()})

    return {
        "Banking77 test (a support inbox)": build_posts(open_sources([shared / "banking77" / "test.csv"]),
                                                        ImportOptions()).posts,
        "Sentiment140 test (brand tweets)": build_posts(open_sources(
            [shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"]), ImportOptions()).posts,
        "VADER paper tweets": text_only(LOADERS["vader_tweets"](shared)),
        "TweetEval test": text_only(LOADERS["tweeteval_test"](shared)),
        "GoEmotions test (Reddit)": text_only(read_goemotions("test", shared / "goemotions")["text"]),
    }


if __name__ == "__main__":
    main()
