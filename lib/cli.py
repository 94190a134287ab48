"""Command line: the same engine as the app, headless.

    python -m lib profile FILE
    python -m lib analyze FILE [FILE ...] --out DIR [--map canonical=source ...] [--steps sentiment,topics,kpis,audience,foresight,report]
    python -m lib analyze FILE... | FOLDER --out DIR --engine dask [--scheduler ADDRESS] [--steps sentiment,topics,kpis,audience,foresight,report]
    python -m lib samples [--workspace PATH]     (import the bundled scenarios into an empty workspace)
    python -m lib import DIR [--name NAME] [--workspace PATH] [--max-posts N]   (open a run in the app's workspace)

Exit codes: 0 ok; 2 bad input (one line on stderr); 1 an unexpected failure (one line on stderr;
set LISTENING_LAB_DEBUG=1 for the traceback); 130 interrupted (Ctrl-C; run again to resume).

This module only parses arguments; `lib.analyze` runs the steps through `lib.pipeline`, whose settings are the
defaults of every flag left out (a flag's help shows that default), so the app and the command line agree.
"""  # noqa: E501
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import pandas as pd

from lib.ingest.build import open_sources, profile
from lib.ingest.privacy import PII_KINDS
from lib.ingest.reading import InputError

STEPS = ("sentiment", "topics", "kpis", "audience", "foresight", "report")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line and exit 2, like every other bad input
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def _import_args(an: argparse.ArgumentParser) -> None:
    an.add_argument("files", nargs="+", metavar="FILE")
    an.add_argument("--out", required=True, help="output folder (created if missing)")
    an.add_argument("--map", action="append", default=[], metavar="canonical=source",
                    help="override a column guess; text=title+selftext joins columns; source empty unmaps")
    an.add_argument("--set", action="append", default=[], metavar="platform=VALUE",
                    help="a fixed platform or brand for files that lack that column; brand={file}: each file's "
                         "name (one export per brand, competitor or video)")
    an.add_argument("--languages", default="", metavar="CODES",
                    help="keep only the posts in these languages: comma list of ISO 639-1 codes, und for "
                         "undetermined (e.g. en,de; default every post; posts.csv ends with each post's language)")
    order = an.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None,
                       help="read ambiguous dates as DD/MM")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_false", help="read ambiguous dates as MM/DD")
    an.add_argument("--drop-duplicates", action="store_true", help="remove identical rows and repeated ids")
    an.add_argument("--keep-dates-apart", action="store_true",
                    help="keep the few posts dated far apart from all the others (a 2011 tweet in a file of 2017, a "
                         "date read as 1970; by default they are left out as excluded rows, so that charts over time "
                         "show the others)")
    an.add_argument("--keep-own-replies", action="store_true",
                    help="keep the brands' own replies among the posts (found by a column such as inbound or "
                         "authorIsChannelOwner, or by an author named as a brand; by default they are left out as "
                         "excluded rows, so that what people say is read without the brands' answers)")
    an.add_argument("--mask", default="", help=f"mask personal data in text: comma list of {','.join(PII_KINDS)}")
    an.add_argument("--pseudonymise", action="store_true", help="replace author names with stable pseudonyms")
    an.add_argument("--salt", default=os.environ.get("LISTENING_LAB_SALT", ""),
                    help="secret for pseudonyms (default: $LISTENING_LAB_SALT, else a new random one)")


def _run_args(an: argparse.ArgumentParser) -> None:
    an.add_argument("--cache", default=None, metavar="PATH",
                    help="workspace file that keeps per-text sentiment scores and embeddings, written as the run "
                         "goes, so a run that was interrupted resumes where it stopped and a rerun skips the work "
                         "(default: DIR/cache.duckdb)")
    an.add_argument("--no-cache", action="store_true", help="keep nothing between runs")
    an.add_argument("--progress", action="store_true",
                    help="print progress lines on stderr (default: only when stderr is a terminal, so that a "
                         "failure in a script is one line)")
    an.add_argument("--steps", default="", help=f"analysis steps after import, comma list of: {', '.join(STEPS)}")


def _sentiment_args(an: argparse.ArgumentParser) -> None:
    from lib.pipeline import THRESHOLDS

    an.add_argument("--labels", default=None, metavar="FILE",
                    help="your sentiment labels: CSV with post_id and sentiment (positive/neutral/negative)")
    an.add_argument("--labels-column", default=None, metavar="COLUMN",
                    help="use the file's own sentiment column as labels (words, polarity 0/2/4, 1-5 stars or "
                         "-5..5 by sign), or 'auto' to find one (sentiment, polarity, stars, rating); --labels wins")
    an.add_argument("--thresholds", default=",".join(map(str, THRESHOLDS)), metavar="POS,NEG",
                    help="VADER compound thresholds for vader_label (default %(default)s)")
    an.add_argument("--sensitivity", type=float, default=3.5,
                    help="spike-alert sensitivity: the z-score a day must reach (default 3.5; lower finds more)")
    an.add_argument("--aspects", default="", metavar="SPEC",
                    help="aspect-based sentiment (with --steps sentiment): 'price: cost, expensive; taste: "
                         "flavour' writes DIR/aspects.csv and DIR/aspect_mentions.csv")


def _topic_args(an: argparse.ArgumentParser) -> None:
    from lib.embeddings.registry import CHOICES
    from lib.pipeline import MEANING_FIT_SAMPLE
    from lib.topics.result import ASSIGN_REST, OUTLIER_STRATEGIES, TopicSettings, default_backend

    d = TopicSettings()
    tp = an.add_argument_group("topics (with --steps topics; a flag left out takes the app's default)")
    tp.add_argument("--min-topic-size", type=int, help=f"smallest topic in posts (default {d.min_topic_size} = "
                                                       "automatic)")
    tp.add_argument("--nr-topics", type=int, help=f"merge down to at most N topics (default {d.nr_topics} = "
                                                  "automatic)")
    tp.add_argument("--ngram-max", type=int, choices=(1, 2, 3), help=f"longest keyword phrase (default {d.ngram_max})")
    tp.add_argument("--stopwords", help="extra words to ignore, comma separated (brand names and handles always are)")
    tp.add_argument("--seed", type=int, help=f"random seed: same data + settings + seed = same topics and segments "
                                             f"(default {d.seed})")
    tp.add_argument("--neighbours", type=int, help=f"neighbourhood: small finds many specific topics, large fewer "
                                                   f"broad themes (default {d.neighbours})")
    tp.add_argument("--outliers", choices=tuple(OUTLIER_STRATEGIES),
                    help=f"how posts without a clear topic are reassigned (default {d.outlier_strategy})")
    tp.add_argument("--outlier-target", type=float,
                    help=f"share of posts left as outliers after reassignment (default {d.outlier_target})")
    tp.add_argument("--fit-sample", type=int,
                    help=f"distinct posts the topics are fitted on (default {MEANING_FIT_SAMPLE:,} with MiniLM, "
                         f"{d.fit_sample:,} with the faster representations)")
    tp.add_argument("--assign-rest", choices=tuple(ASSIGN_REST),
                    help="posts beyond the sample the topics are fitted on: 'meaning' embeds every post "
                         "(WordLlama: under a minute per million; MiniLM: 300-600 posts/s on 2 cores), 'words' "
                         "embeds the sample only and gives the rest their topic with a classifier on their words "
                         "and WordLlama's word vectors "
                         "(summary.json says how often it agrees with the embeddings on held-out posts) "
                         "(default: 'words' with MiniLM when there are more distinct texts than the sample, else "
                         f"'{d.assign_rest}')")
    tp.add_argument("--embeddings", choices=tuple(CHOICES),
                    help="text representation: " + "; ".join(f"'{k}' {v}" for k, v in CHOICES.items())
                    + f" (default {default_backend()})")
    tp.add_argument("--topics-from", default=None, metavar="RUNDIR",
                    help="apply the topic model an earlier run stored (RUNDIR/results/topics) instead of fitting one, "
                         "e.g. last month's topics on this month's export: every post is embedded with that model's "
                         "embeddings and joins its nearest topic (the other topic flags are the model's)")


def _segment_args(an: argparse.ArgumentParser) -> None:
    from lib.audience.result import SegmentSettings

    d = SegmentSettings()
    au = an.add_argument_group("audience (with --steps audience; --seed applies too)")
    au.add_argument("--segment-by", default="auto", choices=("auto", "authors", "posts"),
                    help="cluster authors, or posts when there are no authors to speak of (default auto)")
    au.add_argument("--min-segment", type=int, help=f"smallest segment (default {d.min_segment} = automatic: 3 %% "
                                                    "of authors, 8 to 1,000)")
    au.add_argument("--noise-strictness", type=int,
                    help=f"HDBSCAN min_samples: higher leaves more authors as noise (default {d.strictness})")
    au.add_argument("--segment-neighbours", type=int,
                    help=f"neighbourhood: small finds more, smaller segments (default {d.neighbours})")
    au.add_argument("--features", default="", metavar="GROUPS",
                    help="feature groups, comma separated (default all): " + ", ".join(d.groups))


def _output_args(an: argparse.ArgumentParser) -> None:
    from lib.kpis.weights import PRESETS

    kp = an.add_argument_group("KPIs (with --steps kpis)")
    kp.add_argument("--weights", default=None, metavar="FILE.json",
                    help="value-score weights: JSON as exported by the KPI lab, or a preset name: "
                         + ", ".join(f"'{p}'" for p in PRESETS))
    fs = an.add_argument_group("foresight (with --steps foresight)")
    fs.add_argument("--horizon", type=int, default=4, help="periods to forecast (default 4)")
    fs.add_argument("--known-columns", default="", metavar="COLS",
                    help="extra numeric columns known before publishing, comma separated (e.g. 'Paid,Category')")
    rp = an.add_argument_group("report (with --steps report: DIR/report.html and DIR/report.pdf)")
    rp.add_argument("--title", default="", help="report title (default: 'Social listening report: FILE')")
    rp.add_argument("--client", default="", help="client name shown under the title")
    rp.add_argument("--prepared-by", default="", help="your name or company, shown under the title")
    rp.add_argument("--logo", default=None, metavar="FILE", help="logo image (PNG, JPEG, GIF or WebP)")
    rp.add_argument("--leave-out-spam", action="store_true",
                    help="the report reads only the posts the authenticity rules do not flag as spam or bot "
                         "activity, and says how many it left out (the other outputs keep every post)")
    rp.add_argument("--sections", default="", metavar="LIST",
                    help="report sections, comma separated (default: every one the steps computed): "
                         "summary, headline, sentiment, topics, audience, value, forecast, methods")


def _engine_args(an: argparse.ArgumentParser) -> None:
    from lib.distributed.partitions import PARTITION_ROWS

    en = an.add_argument_group("engine (--engine dask: the import and --steps sentiment,topics,kpis,audience,"
                               "foresight as partition tasks on a Dask cluster, and the report from the finished run; "
                               "DIR/posts/part-N.parquet, DIR/summary.json, DIR/_COMPLETE)")
    en.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="'local' (default): this process; 'dask': partitions on a Dask cluster, FILE may be a "
                         "folder of CSV or Parquet files (each file or row group a partition), a rerun resumes")
    en.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="a running Dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster of one worker "
                         "process per core on this machine); DIR must be a folder every worker can write")
    en.add_argument("--workers", type=int, default=None, metavar="N",
                    help="worker processes of the LocalCluster started without --scheduler (default: one per core)")
    en.add_argument("--partition-rows", type=int, default=PARTITION_ROWS, metavar="N",
                    help="posts per partition when FILEs are files (default %(default)s)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m lib", description="Listening Lab: social-media analytics, offline.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    pr = sub.add_parser("profile", help="print how a file would be imported (JSON)")
    pr.add_argument("file")
    an = sub.add_parser("analyze", help="import file(s) and write enriched posts and a summary")
    for add in (_import_args, _run_args, _sentiment_args, _topic_args, _segment_args, _output_args, _engine_args):
        add(an)
    im = sub.add_parser("import", help="open an analyze run's output folder (either engine) as a dataset of the "
                                       "workspace, with its listening scores and topics (a run already opened, "
                                       "unchanged since, is not imported twice: its dataset's id is printed)")
    im.add_argument("folder", metavar="DIR", help="the folder an analyze run wrote (--out)")
    im.add_argument("--name", default=None, help="dataset name (default: the folder's name)")
    im.add_argument("--workspace", default=None, help="workspace file (default: $LISTENING_LAB_WORKSPACE or the "
                                                      "per-user default)")
    im.add_argument("--max-posts", type=int, default=None, metavar="N",
                    help="a larger run opens with a day-stratified sample of N posts (default 100,000: what the "
                         "app handles comfortably)")
    sm = sub.add_parser("samples", help="import the bundled sample scenarios into an empty workspace")
    sm.add_argument("--workspace", default=None, help="workspace file (default: $LISTENING_LAB_WORKSPACE or the "
                                                      "per-user default)")
    return p


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        if args.command == "profile":
            print(json.dumps(profile(open_sources([args.file])[0]), indent=2, ensure_ascii=False))
            return 0
        if args.command == "samples":
            return _samples(args)
        if args.command == "import":
            from lib.ingest.runs import import_command

            return import_command(args)
        from lib.analyze import analyze

        return analyze(args)
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


def topic_settings_from(args: argparse.Namespace, posts):  # type: ignore[no-untyped-def]
    """The topic settings of an `analyze` run: the flags given, the pipeline's defaults for the rest."""
    from lib.pipeline import topic_settings

    if args.outlier_target is not None and not 0 <= args.outlier_target <= 1:
        raise InputError("--outlier-target is a share between 0 and 1")
    if args.fit_sample is not None and args.fit_sample < 100:
        raise InputError("--fit-sample needs at least 100 posts")
    stop = None if args.stopwords is None else \
        tuple(w.strip().lower() for w in args.stopwords.split(",") if w.strip())
    return topic_settings(posts, min_topic_size=args.min_topic_size, nr_topics=args.nr_topics,
                          ngram_max=args.ngram_max, extra_stopwords=stop, seed=args.seed, neighbours=args.neighbours,
                          outlier_strategy=args.outliers, outlier_target=args.outlier_target,
                          backend=args.embeddings, assign_rest=args.assign_rest, fit_sample=args.fit_sample)


def segment_settings_from(args: argparse.Namespace, posts):  # type: ignore[no-untyped-def]
    """The segment settings of an `analyze` run: the flags given, the pipeline's defaults for the rest."""
    from lib.audience.features import FEATURE_GROUPS, author_coverage
    from lib.pipeline import segment_settings

    groups = tuple(g.strip() for g in args.features.split(",") if g.strip()) or None
    unknown = [g for g in groups or () if g not in FEATURE_GROUPS]
    if unknown:
        raise InputError(f"--features: unknown group(s) {', '.join(unknown)} (known: {', '.join(FEATURE_GROUPS)})")
    if args.segment_by == "authors" and not author_coverage(posts)["has_authors"]:
        raise InputError("--segment-by authors needs an author column (map one with --map author=COLUMN)")
    return segment_settings(posts, groups=groups, min_segment=args.min_segment, strictness=args.noise_strictness,
                            neighbours=args.segment_neighbours, seed=args.seed, unit=args.segment_by)


# ------------------------------------------------------------------ reading the arguments that name files or values
def read_thresholds(text: str) -> tuple[float, float]:
    try:
        pos, neg = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError("--thresholds takes two numbers, POS,NEG (for example 0.05,-0.05)") from None
    if not (-1 <= neg <= pos <= 1):
        raise InputError("--thresholds: need -1 <= NEG <= POS <= 1")
    return pos, neg


def read_labels(path: str) -> pd.Series:
    from lib.ingest.reading import read_path

    raw = read_path(path).df
    cols = {c.lower().strip(): c for c in raw.columns}
    if "post_id" not in cols or not ({"sentiment", "label", "sentiment_label"} & set(cols)):
        raise InputError(f"{path}: the labels file needs the columns post_id and sentiment")
    lab_col = cols.get("sentiment") or cols.get("sentiment_label") or cols["label"]
    labels = raw[lab_col].astype(str).str.strip().str.lower()
    bad = ~labels.isin(["positive", "neutral", "negative"])
    if bad.any():
        n = int(bad.sum())
        raise InputError(f"{path}: {n:,} {'label is' if n == 1 else 'labels are'} not positive, neutral or negative "
                         f"(first: {raw[lab_col][bad].iloc[0]!r})")
    return pd.Series(labels.to_numpy(), index=raw[cols["post_id"]].astype(str).to_numpy())


def read_weights(weights_arg: str | None):  # type: ignore[no-untyped-def]
    """--weights: a preset's name or a JSON file as the KPI lab exports it (default Balanced)."""
    from lib.kpis.weights import PRESETS, Weights

    if weights_arg is None:
        return PRESETS["Balanced"]
    if weights_arg in PRESETS:
        return PRESETS[weights_arg]
    path = Path(weights_arg)
    if not path.is_file():
        raise InputError(f"--weights: {weights_arg} is neither a file nor a preset ({', '.join(PRESETS)})")
    return Weights.from_json(path.read_text(encoding="utf-8", errors="replace"), path.name)


def read_report_options(args: argparse.Namespace) -> tuple[list[str] | None, bytes | None]:
    """--sections and --logo, checked before any work is done."""
    from lib.report.data import SECTIONS, clean_logo

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
    return wanted, logo


def _samples(args: argparse.Namespace) -> int:
    from lib.ingest.samples import seed_if_empty
    from lib.store.workspace import Workspace, WorkspaceError

    try:
        with Workspace(args.workspace) as ws:
            added = seed_if_empty(ws)
            where = ws.path
    except WorkspaceError as exc:
        raise InputError(str(exc)) from None
    from lib.report.formatting import counted

    print(f"{counted(len(added), 'sample dataset')} added to {where}" if added else
          f"{where} already has datasets; samples are one click away on the Data page", file=sys.stderr)
    return 0
