"""Command line: the same engine as the app, headless.

    python -m lib profile FILE
    python -m lib analyze FILE [FILE ...] --out DIR [--map canonical=source ...] [--steps sentiment,topics,kpis,audience,foresight,report]
    python -m lib samples [--workspace PATH]     (import the bundled scenarios into an empty workspace)

Exit codes: 0 ok; 2 bad input (one line on stderr); 1 an unexpected failure (one line on stderr;
set LISTENING_LAB_DEBUG=1 for the traceback); 130 interrupted (Ctrl-C; run again to resume).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from lib.ingest.build import ImportOptions, build_posts, open_sources, profile
from lib.ingest.mapping import parse_map_args
from lib.ingest.privacy import PII_KINDS, new_salt
from lib.ingest.reading import InputError

STEPS = ("sentiment", "topics", "kpis", "audience", "foresight", "report")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other bad input
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m lib", description="Listening Lab: social-media analytics, offline.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    pr = sub.add_parser("profile", help="print how a file would be imported (JSON)")
    pr.add_argument("file")
    an = sub.add_parser("analyze", help="import file(s) and write enriched posts and a summary")
    an.add_argument("files", nargs="+", metavar="FILE")
    an.add_argument("--out", required=True, help="output folder (created if missing)")
    an.add_argument("--map", action="append", default=[], metavar="canonical=source",
                    help="override a column guess; text=title+selftext joins columns; source empty unmaps")
    an.add_argument("--set", action="append", default=[], metavar="platform=VALUE",
                    help="a fixed platform or brand for files that lack that column")
    order = an.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None,
                       help="read ambiguous dates as DD/MM")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_false", help="read ambiguous dates as MM/DD")
    an.add_argument("--drop-duplicates", action="store_true", help="remove identical rows and repeated ids")
    an.add_argument("--mask", default="", help=f"mask personal data in text: comma list of {','.join(PII_KINDS)}")
    an.add_argument("--pseudonymise", action="store_true", help="replace author names with stable pseudonyms")
    an.add_argument("--salt", default=os.environ.get("LISTENING_LAB_SALT", ""),
                    help="secret for pseudonyms (default: $LISTENING_LAB_SALT, else a new random one)")
    an.add_argument("--cache", default=None, metavar="PATH",
                    help="workspace file that keeps per-text sentiment scores and embeddings, written as the run goes, "
                         "so a run that was interrupted resumes where it stopped and a rerun skips the work "
                         "(default: DIR/cache.duckdb)")
    an.add_argument("--no-cache", action="store_true", help="keep nothing between runs")
    an.add_argument("--progress", action="store_true",
                    help="print progress lines on stderr (default: only when stderr is a terminal, so that a failure "
                         "in a script is one line)")
    an.add_argument("--steps", default="", help=f"analysis steps after import, comma list of: {', '.join(STEPS)}")
    an.add_argument("--labels", default=None, metavar="FILE",
                    help="your sentiment labels: CSV with post_id and sentiment (positive/neutral/negative)")
    an.add_argument("--thresholds", default="0.05,-0.05", metavar="POS,NEG",
                    help="VADER compound thresholds for vader_label (default 0.05,-0.05)")
    an.add_argument("--sensitivity", type=float, default=3.5,
                    help="spike-alert sensitivity: the z-score a day must reach (default 3.5; lower finds more)")
    an.add_argument("--aspects", default="", metavar="SPEC",
                    help="aspect-based sentiment (with --steps sentiment): 'price: cost, expensive; taste: flavour' "
                         "writes DIR/aspects.csv and DIR/aspect_mentions.csv")
    tp = an.add_argument_group("topics (with --steps topics)")
    tp.add_argument("--min-topic-size", type=int, default=0, help="smallest topic in posts (default 0 = automatic)")
    tp.add_argument("--nr-topics", type=int, default=0, help="merge down to at most N topics (default 0 = automatic)")
    tp.add_argument("--ngram-max", type=int, default=2, choices=(1, 2, 3), help="longest keyword phrase (default 2)")
    tp.add_argument("--stopwords", default="", help="extra words to ignore, comma separated (brand names, ...)")
    tp.add_argument("--seed", type=int, default=42, help="random seed: same data + settings + seed = same topics")
    tp.add_argument("--outliers", default="embeddings", choices=("none", "embeddings", "c-tf-idf"),
                    help="how posts without a clear topic are reassigned (default embeddings)")
    tp.add_argument("--outlier-target", type=float, default=0.10,
                    help="share of posts left as outliers after reassignment (default 0.10)")
    tp.add_argument("--assign-rest", default="meaning", choices=("meaning", "words"),
                    help="posts beyond the 20,000 the topics are fitted on: 'meaning' embeds every post (WordLlama: under a "
                         "minute per million; MiniLM: 300-600 posts/s on 2 cores, up to an hour per million), "
                         "'words' embeds the sample only and gives "
                         "the rest their topic with a classifier on their words (minutes per million; summary.json "
                         "says how often it agrees with the embeddings on held-out posts)")
    tp.add_argument("--embeddings", default="auto", choices=("auto", "wordllama", "minilm", "tfidf"),
                    help="text representation: 'wordllama' static word vectors (fast), 'minilm' sentence embeddings "
                         "(offline ONNX; sharper on reviews and longer text, ~300 posts/s), 'tfidf' word counts; "
                         "default auto: the fastest installed (wordllama, else minilm, else tfidf)")
    kp = an.add_argument_group("KPIs (with --steps kpis)")
    kp.add_argument("--weights", default=None, metavar="FILE.json",
                    help="value-score weights: JSON {component: weight} (as exported by the KPI lab), or a preset "
                         "name: 'Brand awareness', 'Lead generation', 'Customer loyalty & advocacy', 'Balanced'")
    au = an.add_argument_group("audience (with --steps audience; --seed applies too)")
    au.add_argument("--segment-by", default="auto", choices=("auto", "authors", "posts"),
                    help="cluster authors, or posts when there are no authors to speak of (default auto)")
    au.add_argument("--min-segment", type=int, default=0, help="smallest segment (default 0 = automatic: 3 %% of "
                                                               "authors, 8 to 1,000)")
    au.add_argument("--noise-strictness", type=int, default=5,
                    help="HDBSCAN min_samples: higher leaves more authors as noise (default 5)")
    au.add_argument("--features", default="", metavar="GROUPS",
                    help="feature groups, comma separated (default all): activity, engagement, influence, "
                         "sentiment, emotion, intent, topics, platform, content")
    fs = an.add_argument_group("foresight (with --steps foresight)")
    fs.add_argument("--horizon", type=int, default=4, help="periods to forecast (default 4)")
    fs.add_argument("--known-columns", default="", metavar="COLS",
                    help="extra numeric columns known before publishing, comma separated (e.g. 'Paid,Category')")
    rp = an.add_argument_group("report (with --steps report: DIR/report.html and DIR/report.pdf)")
    rp.add_argument("--title", default="", help="report title (default: 'Social listening report: FILE')")
    rp.add_argument("--client", default="", help="client name shown under the title")
    rp.add_argument("--prepared-by", default="", help="your name or company, shown under the title")
    rp.add_argument("--logo", default=None, metavar="FILE", help="logo image (PNG, JPEG, GIF or WebP)")
    rp.add_argument("--sections", default="", metavar="LIST",
                    help="report sections, comma separated (default: every one the steps computed): "
                         "headline, sentiment, topics, audience, value, forecast, methods")
    sm = sub.add_parser("samples", help="import the bundled sample scenarios into an empty workspace")
    sm.add_argument("--workspace", default=None, help="workspace file (default: $LISTENING_LAB_WORKSPACE or the "
                                                      "per-user default)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "profile":
            print(json.dumps(profile(open_sources([args.file])[0]), indent=2, ensure_ascii=False))
            return 0
        if args.command == "samples":
            return _samples(args)
        return _analyze(args)
    except KeyboardInterrupt:
        print("interrupted: run the same command again to resume; the scores and embeddings done so far are kept "
              "in the cache (--cache, default DIR/cache.duckdb)", file=sys.stderr)
        return 130
    except (InputError, ValueError, KeyError) as exc:
        msg = exc.args[0] if exc.args else str(exc)
        print(f"error: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("LISTENING_LAB_DEBUG"):
            raise
        print(f"error: unexpected failure ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})",
              file=sys.stderr)
        return 1


def _thresholds(text: str) -> tuple[float, float]:
    try:
        pos, neg = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError("--thresholds takes two numbers, POS,NEG (for example 0.05,-0.05)") from None
    if not (-1 <= neg <= pos <= 1):
        raise InputError("--thresholds: need -1 <= NEG <= POS <= 1")
    return pos, neg


def _read_labels(path: str) -> pd.Series:
    from lib.ingest.reading import read_path

    raw = read_path(path).df
    cols = {c.lower().strip(): c for c in raw.columns}
    if "post_id" not in cols or not ({"sentiment", "label", "sentiment_label"} & set(cols)):
        raise InputError(f"{path}: the labels file needs the columns post_id and sentiment")
    lab_col = cols.get("sentiment") or cols.get("sentiment_label") or cols["label"]
    labels = raw[lab_col].astype(str).str.strip().str.lower()
    bad = ~labels.isin(["positive", "neutral", "negative"])
    if bad.any():
        raise InputError(f"{path}: {int(bad.sum())} label(s) are not positive, neutral or negative "
                         f"(first: {raw[lab_col][bad].iloc[0]!r})")
    return pd.Series(labels.to_numpy(), index=raw[cols["post_id"]].astype(str).to_numpy())


def _aspects(posts, spec: str, thresholds, out: Path) -> dict:  # type: ignore[no-untyped-def]
    """Aspect-based sentiment: DIR/aspects.csv (per aspect) and DIR/aspect_mentions.csv (per sentence)."""
    from lib.listening.aspects import aspect_sentiment, parse_aspects
    from lib.listening.aspects import summary as aspect_summary
    from lib.report.export import write_csv

    aspects = parse_aspects(spec)
    if not aspects:
        raise InputError("--aspects: name at least one aspect, e.g. 'price: cost, expensive; taste: flavour'")
    mentions = aspect_sentiment(posts[["post_id", "text"]], aspects, thresholds)
    table = aspect_summary(mentions)
    write_csv(table, out / "aspects.csv")
    write_csv(mentions, out / "aspect_mentions.csv")
    return {"aspects": list(aspects), "mentions": int(len(mentions)),
            "net": dict(zip(table["aspect"], table["net"].round(3)))}


_SHOW_PROGRESS = False  # set per run by _analyze: --progress, or stderr is a terminal


def _progress(step: str):  # type: ignore[no-untyped-def]
    """A stage callback that prints '[step  40%] message' lines on stderr, at most one per 5 seconds for the
    same kind of message (embedding a million texts reports thousands of batches)."""
    import time

    last: dict[str, float] = {}

    def stage(msg: str, frac: float) -> None:
        if not _SHOW_PROGRESS:
            return
        kind = msg.split(":")[0]
        now = time.monotonic()
        if frac < 1 and now - last.get(kind, -99.0) < 5.0 and ":" in msg:
            return
        last[kind] = now
        print(f"[{step} {frac:4.0%}] {msg}", file=sys.stderr, flush=True)
    return stage


def _sentiment_step(posts, labels, thresholds, sensitivity, out: Path, ws=None):  # type: ignore[no-untyped-def]
    from lib.listening.alerts import alerts_frame, detect
    from lib.listening.enrich import LISTENING_COLUMNS, enrich
    from lib.report.export import write_csv

    if "text" not in posts:
        raise InputError("--steps sentiment needs a text column (map one with --map text=COLUMN)")
    if labels is not None:
        unknown = ~labels.index.isin(posts["post_id"])
        if unknown.all():
            raise InputError("--labels: none of the labelled post_ids is in the file")
    done = enrich(posts, ws, thresholds, labels, stage=_progress("sentiment"), embed_labels=labels is not None)
    frame = done.frame
    keep = [c for c in posts.columns] + [c for c in LISTENING_COLUMNS + ["vader_pos", "vader_neu", "vader_neg",
                                                                          "p_negative", "p_neutral", "p_positive"]
                                         if c not in posts.columns]
    dated = "created_at" in frame and frame["created_at"].notna().any()  # a file without dates has no alerts
    alerts = detect(frame, sensitivity=sensitivity) if dated else []
    write_csv(alerts_frame(alerts), out / "alerts.csv")
    info = {"labels": frame["sentiment_label"].value_counts().to_dict(),
            "vader_labels": frame["vader_label"].value_counts().to_dict(),
            "alerts": len(alerts), "thresholds": list(thresholds)}
    if done.adaptation is not None:
        a = done.adaptation
        info["user_labels"] = {"used": a.n_labels, "cv_accuracy": a.cv_accuracy, "cv_macro_f1": a.cv_macro_f1,
                               "out_of_the_box_accuracy_on_them": a.baseline_accuracy,
                               "sentence_embeddings": a.used_embeddings, "adapted_model_applied": a.applied}
    return frame[keep], info


def _topics_step(posts, args, out: Path, memo: dict, ws=None):  # type: ignore[no-untyped-def]
    from lib.listening.enrich import text_scores
    from lib.report.export import write_csv
    from lib.topics.fit import TopicSettings, fit_topics
    from lib.topics.views import effective, topic_table, with_topics

    if "text" not in posts:
        raise InputError("--steps topics needs a text column (map one with --map text=COLUMN)")
    if not 0 <= args.outlier_target <= 1:
        raise InputError("--outlier-target is a share between 0 and 1")
    settings = TopicSettings(min_topic_size=args.min_topic_size, nr_topics=args.nr_topics, ngram_max=args.ngram_max,
                             extra_stopwords=tuple(w.strip().lower() for w in args.stopwords.split(",") if w.strip()),
                             seed=args.seed, outlier_strategy=args.outliers, outlier_target=args.outlier_target,
                             backend=args.embeddings, assign_rest=args.assign_rest)

    if "sentiment" not in posts:
        posts = posts.assign(sentiment=text_scores(posts["text"], ws)["compound"].to_numpy())
    result = fit_topics(posts, settings, ws=ws, stage=_progress("topics"))
    doc_topic, table = effective(result)
    frame = with_topics(posts, doc_topic, table)
    memo["topics"] = topic_table(frame, table)
    memo["topic_settings"] = json.loads(settings.to_json())
    write_csv(memo["topics"][["topic", "label", "size", "share", "keywords", "mean_sentiment"]], out / "topics.csv")
    m = result.metrics
    return frame, {"settings": memo["topic_settings"], "embeddings": result.backend,
                   "topics": m["n_topics"], "outliers_before": m["outliers_before"],
                   "outliers_after": m["outliers_after"], "fitted_on": m["n_fit"],
                   "assigned_by_words": m["assigned_by_words"], "words_agreement": m["words_agreement"],
                   "seconds": m["timings"]}


AUTHOR_COLUMNS = ["author", "segment", "persona", "nearest_segment", "probability", "x", "y", "posts", "active_days",
                  "days_since_last", "usual_hour", "engagement_per_post", "engagement_rate", "followers",
                  "mean_sentiment", "negative_share", "positive_share"]


def _with_listening(posts: pd.DataFrame, memo: dict) -> pd.DataFrame:
    """The posts plus the listening columns, for steps that read them without --steps sentiment. Computed once
    per run (`memo`) however many steps need them; the steps add only their own columns to posts.csv."""
    if "text" not in posts or "sentiment_label" in posts:
        return posts
    if "listening" not in memo:
        from lib.listening.enrich import enrich

        full = enrich(posts, memo.get("cache")).frame
        memo["listening"] = full[[c for c in full.columns if c not in posts.columns]]
    return posts.join(memo["listening"])


def _audience_step(posts, args, out: Path, memo: dict):  # type: ignore[no-untyped-def]
    from lib.audience.segments import (
        FEATURE_GROUPS,
        AudienceSettings,
        author_coverage,
        default_unit,
        find_segments,
        posts_with_segments,
    )
    from lib.report.export import write_csv

    groups = tuple(g.strip() for g in args.features.split(",") if g.strip()) or tuple(FEATURE_GROUPS)
    unknown = [g for g in groups if g not in FEATURE_GROUPS]
    if unknown:
        raise InputError(f"--features: unknown group(s) {', '.join(unknown)} (known: {', '.join(FEATURE_GROUPS)})")
    cover = author_coverage(posts)
    unit = args.segment_by
    if unit == "auto":
        unit = default_unit(cover)
    if unit == "authors" and not cover["has_authors"]:
        raise InputError("--segment-by authors needs an author column (map one with --map author=COLUMN)")
    frame = _with_listening(posts, memo)  # features need sentiment, emotion and intent

    try:
        result = find_segments(frame, AudienceSettings(groups=groups, min_segment=args.min_segment,
                                                       strictness=args.noise_strictness, seed=args.seed, unit=unit),
                               stage=_progress("audience"))
    except ValueError as exc:
        raise InputError(f"--steps audience: {exc}") from None
    memo["personas"], memo["audience_metrics"] = result.personas, result.metrics
    names = dict(zip(result.personas["segment"], result.personas["name"]))
    authors = result.authors.assign(persona=result.authors["segment"].map(names))
    write_csv(authors[[c for c in AUTHOR_COLUMNS if c in authors]], out / "authors.csv")
    write_csv(result.personas, out / "segments.csv")
    seg = posts_with_segments(posts, result)
    m = result.metrics
    return posts.assign(segment=seg["segment"], persona=seg["segment_name"]), {
        "unit": unit, "coverage_note": cover["why"], "segments": m["segments"], "noise_share": m["noise_share"],
        "silhouette": m.get("silhouette"), "stability_ari": m.get("stability_ari"),
        "kmeans_agreement_ari": m.get("kmeans_agreement_ari"), "groups_used": m["groups_used"],
        "personas": result.personas[["segment", "name", "description", "authors", "share"]].to_dict("records"),
        "seconds": m["timings"]}


def _foresight_step(posts, args, out: Path, memo: dict) -> dict:  # type: ignore[no-untyped-def]
    from lib.foresight import model as F
    from lib.listening.overview import pick_frequency
    from lib.report.export import write_csv

    if not 1 <= args.horizon <= 52:
        raise InputError("--horizon is a number of periods from 1 to 52")
    extra = tuple(c.strip() for c in args.known_columns.split(",") if c.strip())
    missing = [c for c in extra if c not in posts]
    if missing:
        raise InputError(f"--known-columns: not in the file: {', '.join(missing)}")
    frame = _with_listening(posts, memo)  # features and forecasts read sentiment
    report: dict = {"extra_features": list(extra)}
    why = F.too_small(frame)
    if why:
        report["model"] = {"built": False, "why": why}
    else:
        r = F.performance_model(frame, extra=extra)
        report["model"] = {"built": True, "target": r.target, "target_label": r.target_label, "posts": r.n_posts,
                           "cross_validation": r.cv, "has_skill": r.has_skill, "skill": r.skill, "verdict": r.verdict,
                           "mean_mae_model": float(r.folds["mae_model"].mean()),
                           "mean_mae_baseline": float(r.folds["mae_baseline"].mean()),
                           "baseline": "the training folds' mean", "folds": r.folds.to_dict("records"),
                           "importance": r.importance.to_dict("records")}
    dated = "created_at" in frame and frame["created_at"].notna().any()
    if dated:
        freq = pick_frequency(frame)
        by = "brand" if "brand" in frame and frame["brand"].nunique() > 1 else None
        tf = F.trend_forecast(frame, freq, args.horizon, by=by)
        write_csv(tf, out / "forecast.csv")
        flags = tf[(tf["kind"] == "forecast") & tf["flag"].ne("")].groupby(["group", "measure"])["flag"].first()
        report["forecast"] = {"period": freq, "horizon": args.horizon, "split_by": by, "interval": "80 %",
                              "flags": [{"group": g, "measure": m, "flag": f} for (g, m), f in flags.items()]}
    else:
        report["forecast"] = {"built": False, "why": "The posts have no dates."}
    (out / "model_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return {"model_skill": report["model"].get("has_skill"), "file": str(out / "model_report.json"),
            "forecast": str(out / "forecast.csv") if dated else None}


def _weights(weights_arg: str | None) -> tuple[str, dict[str, float]]:
    """--weights: a preset's name or a JSON file as the KPI lab exports it (default Balanced)."""
    from lib.kpis import value as K

    if weights_arg is None:
        name, weights = "Balanced", K.PRESETS["Balanced"]
    elif weights_arg in K.PRESETS:
        name, weights = weights_arg, K.PRESETS[weights_arg]
    else:
        path = Path(weights_arg)
        if not path.is_file():
            raise InputError(f"--weights: {weights_arg} is neither a file nor a preset ({', '.join(K.PRESETS)})")
        name, weights = path.name, K.weights_from_json(path.read_text(encoding="utf-8", errors="replace"))
    return name, weights


def _kpis_step(posts, weights_arg: str | None, out: Path):  # type: ignore[no-untyped-def]
    from lib.kpis import value as K
    from lib.kpis.authenticity import post_scores

    name, weights = _weights(weights_arg)
    model = K.value_model(posts)
    if model.components.empty:
        raise InputError("--steps kpis needs engagement counts, reach or text (map them with --map)")
    ranks = K.rankings(model, weights)
    rate, basis = K.engagement_rate(posts)
    scored = posts.assign(engagement=K.engagement(posts), engagement_rate=rate, **{c: ranks[c] for c in ranks})
    if "text" in posts:
        scored["bot_likeness"] = model.bot_likeness if model.bot_likeness is not None else post_scores(posts)
    doc = {"weights_name": name,
           "weights": K.normalise_weights(weights, list(model.components.columns)),
           "components_unavailable": model.unavailable, "engagement_rate_basis": basis,
           "kpis": [k.as_dict() for k in K.scorecard(posts, model)],
           "share_of_voice": K.share_of_voice(posts).to_dict(orient="records")}
    (out / "kpis.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    return scored, {"weights": name, "kpis": len(doc["kpis"]), "file": str(out / "kpis.json")}


def _report_options(args: argparse.Namespace) -> tuple[list[str] | None, bytes | None, tuple[str, dict]]:
    """--sections, --logo and --weights, checked before any work is done."""
    from lib.report.build import SECTIONS, clean_logo

    wanted = [x.strip() for x in args.sections.split(",") if x.strip()] or None
    unknown = [x for x in wanted or [] if x not in SECTIONS]
    if unknown:
        raise InputError(f"--sections: unknown section(s) {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    logo = None
    if args.logo:
        try:
            logo = clean_logo(Path(args.logo).read_bytes())
        except OSError as exc:
            raise InputError(f"--logo: cannot read {args.logo} ({exc.strerror})") from None
        except ValueError as exc:
            raise InputError(f"--logo: {exc}") from None
    return wanted, logo, _weights(args.weights)


def _report_step(posts, args, out: Path, memo: dict, name: str, meta: dict,  # type: ignore[no-untyped-def]
                 options: tuple[list[str] | None, bytes | None, tuple[str, dict]]) -> dict:
    from lib.report.build import Branding, ReportData, available, build
    from lib.report.render import to_html, to_pdf

    wanted, logo, (weights_name, weights) = options
    data = ReportData(name=name, frame=_with_listening(posts, memo), meta=meta, topics=memo.get("topics"),
                      topic_settings=memo.get("topic_settings"), personas=memo.get("personas"),
                      audience_metrics=memo.get("audience_metrics"), weights=weights, weights_name=weights_name,
                      sensitivity=args.sensitivity, horizon=args.horizon)
    skipped = {k: why for k, why in available(data).items() if why and (wanted is None or k in wanted)}
    report = build(data, wanted, Branding(args.title, args.client, args.prepared_by, logo))
    (out / "report.html").write_text(to_html(report), encoding="utf-8")
    (out / "report.pdf").write_bytes(to_pdf(report))
    return {"html": str(out / "report.html"), "pdf": str(out / "report.pdf"),
            "sections": [s.key for s in report.sections], "left_out": skipped}


def _samples(args: argparse.Namespace) -> int:
    from lib.ingest.samples import seed_if_empty
    from lib.store.workspace import Workspace, WorkspaceError

    try:
        with Workspace(args.workspace) as ws:
            added = seed_if_empty(ws)
            where = ws.path
    except WorkspaceError as exc:
        raise InputError(str(exc)) from None
    print(f"{len(added)} sample dataset(s) added to {where}" if added else
          f"{where} already has datasets; samples are one click away on the Data page", file=sys.stderr)
    return 0


def _open_cache(path: str):  # type: ignore[no-untyped-def]
    from lib.store.workspace import Workspace, WorkspaceError

    try:
        return Workspace(path)
    except WorkspaceError as exc:
        raise InputError(f"--cache: {exc}") from None


def _analyze(args: argparse.Namespace) -> int:
    from lib.listening.overview import summary
    from lib.report.export import write_csv

    sources = open_sources(args.files)
    if args.map:
        if len(sources) > 1:
            raise InputError("--map applies to a single file; import files one at a time to map them differently")
        override = parse_map_args(args.map, list(sources[0].raw.df.columns))
        merged = {**sources[0].mapping, **{k: v for k, v in override.items() if v}}
        sources[0].mapping = {k: v for k, v in merged.items() if override.get(k, v) != ""}
    constants = {}
    for pair in args.set:
        key, _, value = pair.partition("=")
        if key not in ("platform", "brand") or not value:
            raise InputError(f"--set takes platform=VALUE or brand=VALUE, got {pair!r}")
        constants[key] = value
    kinds = frozenset(k.strip() for k in args.mask.split(",") if k.strip())
    options = ImportOptions(dayfirst=args.dayfirst, drop_duplicates=args.drop_duplicates, mask_pii=kinds,
                            pseudonymise=args.pseudonymise, salt=args.salt or new_salt(), constants=constants)
    steps = [x.strip() for x in args.steps.split(",") if x.strip()]
    unknown = [x for x in steps if x not in STEPS]
    if unknown:
        raise InputError(f"--steps: unknown step(s) {', '.join(unknown)} (known: {', '.join(STEPS)})")
    if args.aspects and "sentiment" not in steps:
        raise InputError("--aspects needs --steps sentiment")
    if args.weights and not {"kpis", "report"} & set(steps):
        raise InputError("--weights needs --steps kpis or report")
    if (args.title or args.client or args.prepared_by or args.logo or args.sections) and "report" not in steps:
        raise InputError("--title, --client, --prepared-by, --logo and --sections need --steps report")
    report_options = _report_options(args) if "report" in steps else None
    labels = _read_labels(args.labels) if args.labels else None
    if labels is not None and "sentiment" not in steps:
        raise InputError("--labels needs --steps sentiment")
    thresholds = _thresholds(args.thresholds)
    global _SHOW_PROGRESS
    _SHOW_PROGRESS = args.progress or sys.stderr.isatty()
    _progress("import")(f"reading {', '.join(Path(f).name for f in args.files)}", 0.0)
    result = build_posts(sources, options)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    posts = result.posts
    cache = None if args.no_cache or not {"sentiment", "topics", "audience", "foresight", "report"} & set(steps) \
        else _open_cache(args.cache or str(out / "cache.duckdb"))
    # what one step computes for later ones: listening columns, topic table, personas; the per-text cache
    memo: dict = {"cache": cache}
    doc = {"summary": summary(posts), "import": result.report, "steps": ["import"] + steps}
    try:
        if "sentiment" in steps:
            posts, doc["sentiment"] = _sentiment_step(posts, labels, thresholds, args.sensitivity, out, cache)
            if args.aspects:
                doc["sentiment"]["aspects"] = _aspects(posts, args.aspects, thresholds, out)
        if "topics" in steps:
            posts, doc["topics"] = _topics_step(posts, args, out, memo, cache)
        if "kpis" in steps:
            posts, doc["kpis"] = _kpis_step(posts, args.weights, out)
        if "audience" in steps:
            posts, doc["audience"] = _audience_step(posts, args, out, memo)
        if "foresight" in steps:
            doc["foresight"] = _foresight_step(posts, args, out, memo)
        if "report" in steps:
            doc["report"] = _report_step(posts, args, out, memo, Path(args.files[0]).stem, result.report,
                                          report_options)
    finally:
        if cache is not None:
            cache.close()
    if cache is not None:
        doc["cache"] = str(cache.path)
    write_csv(posts, out / "posts.csv")
    if len(result.excluded):
        write_csv(result.excluded, out / "excluded.csv")
    (out / "summary.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    print(f"{len(result.posts)} posts -> {out / 'posts.csv'}; "
          f"{sum(result.report['excluded'].values())} excluded; summary in {out / 'summary.json'}", file=sys.stderr)
    return 0
