"""The command line contract: `profile` JSON, `analyze` outputs, exit 2 with one line on bad input."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT, write


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "lib", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, **kw)


CSV = ("Tweet Id,Text,Username,Datetime,Likes\n"
       "1,\"=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",ann,2024-03-01 10:00,1.5K\n"
       "2,Loving the new flavour,bob,2024-03-02 11:00,12\n"
       "3,,cat,2024-03-02 12:00,1\n")


def test_profile_prints_the_contract(tmp_path):
    p = write(tmp_path, "tweets.csv", CSV)
    out = run("profile", p)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert {"format", "rows", "mapping", "excluded", "warnings"} <= set(doc)
    assert doc["format"] == "x_dataset" and doc["rows"] == 2
    assert doc["mapping"] == {"post_id": "Tweet Id", "text": "Text", "created_at": "Datetime", "author": "Username",
                              "likes": "Likes"}
    assert doc["excluded"] == {"empty text": 1}


def test_analyze_writes_posts_and_summary(tmp_path):
    p = write(tmp_path, "tweets.csv", CSV)
    out = run("analyze", p, "--out", tmp_path / "out", "--set", "brand=Acme")
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "out" / "posts.csv", dtype=str, keep_default_na=False)
    assert posts.columns[:4].tolist() == ["post_id", "text", "created_at", "author"]
    assert posts["likes"].tolist() == ["1500", "12"]
    assert posts["brand"].tolist() == ["Acme", "Acme"]
    assert posts["text"].iloc[0].startswith("'=HYPERLINK")  # a formula cannot run in a spreadsheet
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["summary"]["posts"] == 2 and summary["summary"]["authors"] == 2
    assert summary["import"]["excluded"] == {"empty text": 1}
    assert (tmp_path / "out" / "excluded.csv").exists()


def test_set_brand_file_makes_each_files_name_its_brand(tmp_path):
    """One export per competitor (nike.csv, adidas.csv) had no brand column, so share of voice could not compare
    them: `--set brand={file}` names each file's posts after the file; a file with a brand column keeps it."""
    nike = write(tmp_path, "nike.csv", CSV)
    adidas = write(tmp_path, "adidas.csv", CSV.replace("Loving the new flavour", "New boots love them"))
    branded = write(tmp_path, "mixed.csv", "Text,Brand\nGreat run today,Puma\nsore feet,\n")
    out = run("analyze", nike, adidas, branded, "--out", tmp_path / "out", "--set", "brand={file}",
              "--steps", "kpis")
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "out" / "posts.csv", dtype=str, keep_default_na=False)
    assert posts["brand"].tolist() == ["nike", "nike", "adidas", "adidas", "Puma", "mixed"]
    sov = {r["brand"]: r["share_of_voice"] for r in json.loads((tmp_path / "out" / "kpis.json").read_text())[
        "share_of_voice"]}
    assert sov == pytest.approx({"nike": 2 / 6, "adidas": 2 / 6, "Puma": 1 / 6, "mixed": 1 / 6})


def test_map_override_and_privacy_flags(tmp_path):
    p = write(tmp_path, "tweets.csv", CSV)
    out = run("analyze", p, "--out", tmp_path / "o", "--map", "author=", "--map", "post_id=Likes",
              "--mask", "urls", "--pseudonymise", "--salt", "x")
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "o" / "posts.csv", dtype=str)
    assert "author" not in posts.columns and "Username" in posts.columns
    assert posts["post_id"].tolist() == ["1.5K", "12"]
    assert "[url]" in posts["text"].iloc[0]


@pytest.mark.parametrize("args,needle", [
    (["profile", "missing.csv"], "not found"),
    (["analyze", "EMPTY", "--out", "o"], "empty"),
    (["analyze", "GOOD", "--out", "o", "--map", "text=nope"], "no column 'nope'"),
    (["analyze", "GOOD", "--out", "o", "--map", "nonsense"], "canonical=source"),
    (["analyze", "GOOD", "--out", "o", "--mask", "ssn"], "unknown PII kinds"),
    (["analyze", "GOOD", "--out", "o", "--set", "colour=red"], "--set"),
    (["analyze", "GOOD"], "--out"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, args, needle):
    write(tmp_path, "EMPTY", "")
    write(tmp_path, "GOOD", CSV)
    out = subprocess.run(
        [sys.executable, "-m", "lib", *args], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_samples_seed_an_empty_workspace_once(tmp_path):
    ws = tmp_path / "ws.duckdb"
    first = run("samples", "--workspace", ws)
    assert first.returncode == 0 and "2 sample datasets added" in first.stderr
    again = run("samples", "--workspace", ws)
    assert again.returncode == 0 and "already has datasets" in again.stderr
    from lib.store.workspace import Workspace

    with Workspace(ws) as w:
        d = w.list_datasets()
        assert d["name"].tolist() == ["ConnectSphere: AI Assist launch", "GamerFuel: aftertaste crisis"]
        assert d["rows"].tolist() == [3000, 5000]


def test_sentiment_step_columns_alerts_and_labels(tmp_path):
    src = ROOT / "sample_data" / "gamerfuel.csv"
    first = pd.read_csv(src, nrows=3)
    labels = write(tmp_path, "labels.csv", "post_id,sentiment\n" + "".join(
        f"{pid},{lab}\n" for pid, lab in zip(first["id"], ["negative", "neutral", "positive"])))
    out = run("analyze", src, "--out", tmp_path / "o", "--steps", "sentiment", "--labels", labels)
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "o" / "posts.csv")
    for col in ("sentiment", "vader_label", "sentiment_label", "emotion", "intent", "sarcasm_flag"):
        assert col in posts.columns
    assert set(posts["sentiment_label"]) <= {"positive", "neutral", "negative"}
    got = posts.set_index("post_id").loc[first["id"], ["sentiment_label", "sentiment_source"]]
    assert got["sentiment_label"].tolist() == ["negative", "neutral", "positive"]
    assert set(got["sentiment_source"]) == {"your label"}
    alerts = pd.read_csv(tmp_path / "o" / "alerts.csv")
    assert len(alerts) == 1 and alerts["start"][0].startswith("2026-09-0") and "aftertaste" in alerts["terms"][0]
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["steps"] == ["import", "sentiment"] and summary["sentiment"]["user_labels"]["used"] == 3


def test_summary_has_sentiment_shares_with_and_without_labels(tmp_path):
    """summary.json's sentiment_shares (lib.listening.shares): zero-shot without --labels, calibrated with them;
    posts.csv keeps its columns."""
    src = ROOT / "sample_data" / "gamerfuel.csv"
    truth = pd.read_csv(src).groupby("truth_sentiment").head(20)  # 20 labels of each sentiment
    labels = write(tmp_path, "labels.csv", "post_id,sentiment\n" + "".join(
        f"{pid},{lab}\n" for pid, lab in zip(truth["id"], truth["truth_sentiment"])))
    for out_dir, extra in (("zero", []), ("labelled", ["--labels", labels])):
        out = run("analyze", src, "--out", tmp_path / out_dir, "--steps", "sentiment", *extra)
        assert out.returncode == 0, out.stderr
    zero, labelled = (json.loads((tmp_path / d / "summary.json").read_text())["sentiment_shares"]
                      for d in ("zero", "labelled"))
    for doc in (zero, labelled):
        assert list(doc) == ["overall", "by_brand", "method", "labels_used", "interval"]
        assert sorted(doc["by_brand"]) == ["CrunchLord", "GamerFuel", "PixelPops"]
        assert sum(doc["overall"].values()) == pytest.approx(1, abs=1e-3)
    assert zero["labels_used"] == 0 and "zero-shot" in zero["method"]
    assert labelled["labels_used"] == 60 and "calibrated on 60 labels" in labelled["method"]
    width = {k: d["interval"]["overall"]["negative"][1] - d["interval"]["overall"]["negative"][0]
             for k, d in (("zero", zero), ("labelled", labelled))}
    assert width["labelled"] < width["zero"]
    true_negative = (pd.read_csv(src)["truth_sentiment"] == "negative").mean()
    assert abs(labelled["overall"]["negative"] - true_negative) <= 0.05
    assert not any(c.startswith("zero_shot") for c in pd.read_csv(tmp_path / "labelled" / "posts.csv").columns)


@pytest.mark.parametrize("labels,needle", [("post_id,sentiment\nx,great\n", "not positive, neutral or negative"),
                                            ("id,mood\n1,positive\n", "needs the columns post_id and sentiment"),
                                            ("post_id,sentiment\nnope,positive\n", "none of the labelled")])
def test_bad_labels_exit_2(tmp_path, labels, needle):
    lab = write(tmp_path, "labels.csv", labels)
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "sentiment",
              "--labels", lab)
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr


def test_unknown_step_exits_2(tmp_path):
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "magic")
    assert out.returncode == 2 and "unknown step" in out.stderr


def test_topics_step_writes_topics_and_columns(tmp_path):
    from tests.test_topics import themed_posts

    src = tmp_path / "themes.csv"
    themed_posts().drop(columns="theme").to_csv(src, index=False)
    out = run("analyze", src, "--out", tmp_path / "o", "--steps", "topics", "--min-topic-size", "15", "--seed", "3")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "Warning" not in out.stderr
    topics = pd.read_csv(tmp_path / "o" / "topics.csv")
    assert list(topics.columns) == ["topic", "label", "size", "share", "keywords", "mean_sentiment", "cohesion"]
    assert topics["cohesion"].between(0, 1).all()  # how alike each topic's posts are
    assert len(topics) >= 3 and topics["keywords"].str.contains("battery").any()
    posts = pd.read_csv(tmp_path / "o" / "posts.csv")
    assert {"topic", "topic_label"} <= set(posts.columns)
    assert (posts.groupby("topic").size().drop(-1, errors="ignore").to_dict()
            == dict(zip(topics["topic"], topics["size"])))
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["steps"] == ["import", "topics"] and summary["topics"]["outliers_after"] <= 0.1 + 1e-9


def test_topics_step_bad_options_exit_2(tmp_path):
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "topics",
              "--outlier-target", "3")
    assert out.returncode == 2 and "--outlier-target" in out.stderr and "Traceback" not in out.stderr


def test_topics_step_fit_sample_bad_value_exits_2(tmp_path):
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "topics",
              "--fit-sample", "5")
    assert out.returncode == 2 and "--fit-sample" in out.stderr and "Traceback" not in out.stderr


def test_kpis_step_scores_posts_and_writes_kpis_json(tmp_path):
    weights = write(tmp_path, "w.json", '{"name": "mine", "weights": {"conversation": 3, "reach": 1}}')
    out = run("analyze", ROOT / "sample_data" / "gamerfuel.csv", "--out", tmp_path / "o", "--steps", "sentiment,kpis",
              "--weights", weights)
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "o" / "posts.csv")
    for col in ("engagement", "engagement_rate", "value_score", "vanity_score", "value_rank", "vanity_rank",
                "rank_change", "bot_likeness"):
        assert col in posts.columns
    doc = json.loads((tmp_path / "o" / "kpis.json").read_text())
    assert doc["weights"]["conversation"] == pytest.approx(0.75) and doc["weights"]["reach"] == pytest.approx(0.25)
    names = {k["name"] for k in doc["kpis"]}
    assert {"Engagement", "Engagement Quality Score", "Authentic posts"} <= names
    assert all(k["definition"] and k["formula"] for k in doc["kpis"])
    assert posts["value_rank"].min() == 1 and posts["engagement"].sum() == pytest.approx(
        (posts["likes"].fillna(0) + posts["comments"].fillna(0) + posts["shares"].fillna(0)).sum())


@pytest.mark.parametrize("weights,needle", [("nope.json", "neither a file nor a preset"),
                                            ("bad.json", "Unknown component")])
def test_kpis_bad_weights_exit_2(tmp_path, weights, needle):
    write(tmp_path, "bad.json", '{"magic": 1}')
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "kpis",
              "--weights", tmp_path / weights if weights == "bad.json" else weights)
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr


def test_audience_step_writes_authors_and_segments_posts(tmp_path):
    out = run("analyze", ROOT / "sample_data" / "connectsphere.csv", "--out", tmp_path / "o", "--steps", "audience")
    assert out.returncode == 0, out.stderr
    authors = pd.read_csv(tmp_path / "o" / "authors.csv", encoding="utf-8-sig")
    assert {"author", "segment", "persona", "x", "y", "posts", "followers", "mean_sentiment"} <= set(authors.columns)
    posts = pd.read_csv(tmp_path / "o" / "posts.csv", encoding="utf-8-sig")
    assert len(authors) == posts["author"].nunique() and authors["author"].is_unique
    joined = posts.merge(authors[["author", "segment", "persona"]], on="author", suffixes=("", "_a"))
    assert (joined["segment"] == joined["segment_a"]).all() and (joined["persona"] == joined["persona_a"]).all()
    doc = json.loads((tmp_path / "o" / "summary.json").read_text())["audience"]
    assert doc["unit"] == "authors" and doc["segments"] == authors.loc[authors["segment"] >= 0, "segment"].nunique()
    assert len(doc["personas"]) >= doc["segments"]
    assert "sentiment_label" not in posts  # the step reads sentiment but adds only its own columns


@pytest.mark.parametrize("extra, needle", [(["--features", "magic"], "unknown group"),
                                           (["--segment-by", "authors"], "needs an author column")])
def test_audience_bad_options_exit_2(tmp_path, extra, needle):
    p = write(tmp_path, "t.csv", "text,likes\n" + "".join(f"post {i},{i}\n" for i in range(30)))
    out = run("analyze", p, "--out", tmp_path / "o", "--steps", "audience", *extra)
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_aspects_option_writes_aspect_sentiment(tmp_path):
    p = write(tmp_path, "t.csv", "text\nThe price is awful.\nGreat taste! But the price is too high.\n"
                                 "Love the flavour\nNothing about either\n")
    out = run("analyze", p, "--out", tmp_path / "o", "--steps", "sentiment",
              "--aspects", "price: cost; taste: flavour")
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(tmp_path / "o" / "aspects.csv", encoding="utf-8-sig").set_index("aspect")
    assert table.at["price", "mentions"] == 2 and table.at["price", "negative"] == 1.0
    assert table.at["taste", "mentions"] == 2 and table.at["taste", "positive"] == 1.0
    mentions = pd.read_csv(tmp_path / "o" / "aspect_mentions.csv", encoding="utf-8-sig")
    assert "But the price is too high." in mentions["sentence"].tolist()  # the sentence, not the whole post
    doc = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert doc["sentiment"]["aspects"]["mentions"] == 4


def test_foresight_step_writes_forecast_and_an_honest_model_report(tmp_path):
    out = run("analyze", ROOT / "sample_data" / "gamerfuel.csv", "--out", tmp_path / "o", "--steps", "foresight",
              "--horizon", "5")
    assert out.returncode == 0, out.stderr
    rep = json.loads((tmp_path / "o" / "model_report.json").read_text())
    m = rep["model"]
    assert m["built"] and m["cross_validation"] == "time-ordered" and len(m["folds"]) == 4
    assert m["mean_mae_model"] > 0 and m["mean_mae_baseline"] > 0 and m["importance"]
    assert m["has_skill"] == (m["skill"] >= 0.05)  # the verdict follows the numbers
    fc = pd.read_csv(tmp_path / "o" / "forecast.csv", encoding="utf-8-sig")
    assert {"group", "measure", "period", "kind", "value", "low", "high", "flag"} <= set(fc.columns)
    ahead = fc[fc["kind"] == "forecast"]
    assert len(ahead) == 5 * 2 * 4  # all posts + 3 brands, posts and negative share
    assert (ahead["low"] <= ahead["value"]).all() and (ahead["value"] <= ahead["high"]).all()


def test_foresight_small_file_says_why_and_bad_columns_exit_2(tmp_path):
    p = write(tmp_path, "t.csv", "text,likes,date\n" + "".join(f"post {i},{i},2024-01-{1 + i % 28:02d}\n"
                                                               for i in range(30)))
    out = run("analyze", p, "--out", tmp_path / "o", "--steps", "foresight")
    assert out.returncode == 0, out.stderr
    rep = json.loads((tmp_path / "o" / "model_report.json").read_text())
    assert not rep["model"]["built"] and "at least 80" in rep["model"]["why"]
    out = run("analyze", p, "--out", tmp_path / "o2", "--steps", "foresight", "--known-columns", "Paid")
    assert out.returncode == 2 and "not in the file: Paid" in out.stderr and "Traceback" not in out.stderr


def test_interrupted_run_resumes_from_its_cache(tmp_path, monkeypatch, capsys):
    """A run stopped while embedding (MiniLM: the slow model) keeps what it scored and embedded
    (DIR/cache.duckdb); the next run does only the rest and gives the same topics as a run without a cache."""
    from lib import cli
    from lib.embeddings import cache
    from lib.embeddings.minilm import MiniLM
    from lib.listening import enrich as L
    from lib.listening import sentiment as S
    from tests.test_topics import themed_posts

    src = tmp_path / "themes.csv"
    themed_posts().drop(columns="theme").to_csv(src, index=False)
    n = pd.read_csv(src)["text"].nunique()
    monkeypatch.setattr(L, "SCORE_CHUNK", 50)
    monkeypatch.setattr(cache, "SAVE_EVERY", 40)
    work = {"scored": 0, "embedded": 0, "stop_after": 2}
    vader, encode = S.vader_scores, MiniLM.encode

    def counting_vader(texts, *a, **kw):
        work["scored"] += len(texts)
        return vader(texts, *a, **kw)

    def counting_encode(self, texts, *a, **kw):
        if work["stop_after"] == 0:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C here
        work["stop_after"] -= 1
        work["embedded"] += len(texts)
        return encode(self, texts, *a, **kw)

    monkeypatch.setattr(S, "vader_scores", counting_vader)
    monkeypatch.setattr(MiniLM, "encode", counting_encode)
    args = ["analyze", str(src), "--out", str(tmp_path / "o"), "--steps", "sentiment,topics", "--min-topic-size",
            "15", "--seed", "3", "--progress", "--embeddings", "minilm"]
    assert cli.main(args) == 130  # Ctrl-C: one line saying how to resume, no traceback
    err = capsys.readouterr().err
    assert "run the same command again to resume" in err and "Traceback" not in err
    assert "distinct texts scored" in err and "[topics   0%] Embedding posts" in err  # --progress
    assert work == {"scored": n, "embedded": 80, "stop_after": 0}
    assert (tmp_path / "o" / "cache.duckdb").exists()

    work.update(scored=0, embedded=0, stop_after=10**6)
    assert cli.main(args) == 0
    assert work["scored"] == 0 and work["embedded"] == n - 80  # only what the first run had not done
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["cache"] == str(tmp_path / "o" / "cache.duckdb") and summary["topics"]["topics"] >= 3

    work.update(scored=0, embedded=0)
    assert cli.main(args[:3] + [str(tmp_path / "fresh"), "--no-cache"] + args[4:]) == 0
    assert work["scored"] == n and work["embedded"] == n and not (tmp_path / "fresh" / "cache.duckdb").exists()
    resumed = pd.read_csv(tmp_path / "o" / "posts.csv")
    fresh = pd.read_csv(tmp_path / "fresh" / "posts.csv")
    assert resumed["topic"].tolist() == fresh["topic"].tolist()
    assert resumed["sentiment_label"].tolist() == fresh["sentiment_label"].tolist()


def test_a_brands_own_replies_are_excluded_unless_kept(tmp_path):
    """The companies' answers in a customer-care dump are excluded rows by default (excluded.csv says why), and
    --keep-own-replies keeps them among the posts."""
    care = ("tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
            "1,SpotifyCares,False,Tue Oct 31 22:10:47 +0000 2017,@115712 Please send us a DM,,2\n"
            "2,115712,True,Tue Oct 31 22:08:27 +0000 2017,@SpotifyCares my playlists vanished,1,\n"
            "3,115713,True,Tue Oct 31 22:09:27 +0000 2017,@SpotifyCares the app will not open,,\n")
    p = write(tmp_path, "twcs.csv", care)
    assert json.loads(run("profile", p).stdout)["excluded"] == {"a brand's own reply": 1}
    out = run("analyze", p, "--out", tmp_path / "a")
    assert out.returncode == 0, out.stderr
    posts = pd.read_csv(tmp_path / "a" / "posts.csv", dtype=str)
    assert posts["post_id"].tolist() == ["2", "3"] and set(posts["brand"]) == {"SpotifyCares"}
    assert pd.read_csv(tmp_path / "a" / "excluded.csv")["reason"].tolist() == ["a brand's own reply"]
    out = run("analyze", p, "--out", tmp_path / "b", "--keep-own-replies")
    assert out.returncode == 0, out.stderr
    assert len(pd.read_csv(tmp_path / "b" / "posts.csv", dtype=str)) == 3


def test_a_post_dated_far_from_the_others_is_excluded_unless_kept(tmp_path):
    rows = [f"{i},post number {i},a{i},2024-03-{1 + i % 28:02d} 10:00" for i in range(120)]
    p = write(tmp_path, "posts.csv", "id,text,author,date\n" + "\n".join(rows + ["999,old,z,1970-01-01"]) + "\n")
    out = run("analyze", p, "--out", tmp_path / "a")
    assert out.returncode == 0, out.stderr
    assert pd.read_csv(tmp_path / "a" / "excluded.csv")["reason"].tolist() == ["dated apart from the other posts"]
    assert json.loads((tmp_path / "a" / "summary.json").read_text())["summary"]["first_post"].startswith("2024-03-01")
    out = run("analyze", p, "--out", tmp_path / "b", "--keep-dates-apart")
    assert out.returncode == 0, out.stderr
    assert len(pd.read_csv(tmp_path / "b" / "posts.csv")) == 121
