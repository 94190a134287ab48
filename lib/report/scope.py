"""The report of a dataset that holds a sample of an analysis run (lib.ingest.runs.open_run, metadata "run"): a
client must never be handed the sample's counts as if they were the whole data. The post count, sentiment shares,
volume per day and period come from the run's own results (summary.json, posts per day), never scaled up from
the sample; every section computed on the sample says so once, and the methods say how it was drawn."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib.ingest.run_totals import is_sampled, run_volume, sentiment_shares
from lib.listening.overview import PERIOD_NAMES
from lib.report.data import Block
from lib.report.formatting import share_change

ON_SAMPLE = ("sentiment", "topics", "audience", "value", "forecast")
"""The sections computed on the sample's posts alone (each opens with `sample_note`)."""


@dataclass(frozen=True, eq=False)
class RunScope:
    """The whole run a sampled dataset was drawn from, as the dataset's metadata "run" keeps it."""
    posts_total: int
    posts_shown: int
    seed: int
    engine: str
    shares: dict[str, float] | None  # the run's estimated sentiment shares (positive, neutral, negative)
    run: dict[str, Any]              # the metadata itself: per_day (posts and labels per day), topics, summary

    @property
    def authors(self) -> int | None:
        n = (self.run.get("summary") or {}).get("authors")
        return int(n) if isinstance(n, (int, float)) else None

    @property
    def topic_sizes(self) -> pd.DataFrame:
        """The run's topics (label, size), largest first; empty when it found none."""
        t = pd.DataFrame(self.run.get("topics") or [], columns=["label", "size"])
        return t.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)


def run_scope(meta: dict[str, Any]) -> RunScope | None:
    """The whole-run scope of a dataset (its metadata) opened as a sample of a run; None for any other dataset."""
    run = meta.get("run")
    if not isinstance(run, dict) or not is_sampled(run):
        return None
    return RunScope(posts_total=int(run["posts_total"]), posts_shown=int(run["posts_shown"]),
                    seed=int(run.get("seed", 0)), engine=str(run.get("engine", "")), shares=sentiment_shares(run),
                    run=run)


def sample_words(scope: RunScope) -> str:
    return f"a sample of {scope.posts_shown:,} of the run's {scope.posts_total:,} posts"


def sample_note(scope: RunScope) -> Block:
    """The line under the title of a section computed on the sample."""
    return Block("note", text=f"From here on, counted in {sample_words(scope)}, drawn evenly across its days: "
                              "the numbers that follow in this section are the sample's, not the whole run's.")


def run_period(scope: RunScope) -> str | None:
    """The span of the whole run's days ('01 Sep 2026 to 30 Sep 2026'); None when its posts are undated."""
    days = pd.to_datetime([d["day"] for d in scope.run.get("per_day") or [] if d.get("day")], utc=True)
    return f"{days.min():%d %b %Y} to {days.max():%d %b %Y}" if len(days) else None


def _labelled_change(scope: RunScope) -> str:
    """How the share of posts labelled negative moved from the first to the last third of the run's days (the
    run's per-day label counts: every post); '' when the run is too short or kept no labels per day."""
    days = pd.DataFrame(scope.run.get("per_day") or [])
    if days.empty or "negative" not in days or days["posts"].sum() < 30:
        return ""
    ts = pd.to_datetime(days["day"], utc=True)
    lo, hi = ts.min(), ts.max()
    if hi - lo < pd.Timedelta(days=3):
        return ""
    step = (hi - lo) / 3
    first, last = (days[m] for m in (ts < lo + step, ts >= hi - step))
    if not first["posts"].sum() or not last["posts"].sum():
        return ""
    a, b = (float(x["negative"].fillna(0).sum() / x["posts"].sum()) for x in (first, last))
    return share_change("the share of posts labelled negative", a, int(first["posts"].sum()), b,
                        int(last["posts"].sum()))


def _volume_words(scope: RunScope) -> str:
    counts, _ = run_volume(scope.run, "D")
    if not len(counts):
        return ""
    peak = counts.loc[counts["posts"].idxmax()]
    return (f" {counts['posts'].mean():,.0f} posts a day on average over {len(counts)} days, the most on "
            f"{peak['period']:%d %b %Y} ({int(peak['posts']):,}).")


def whole_run_finding(scope: RunScope) -> str:
    """The executive summary's first finding: the run's post count, sentiment shares and volume (every post)."""
    if scope.shares:
        text = (f"{scope.shares['positive']:.0%} of the run's {scope.posts_total:,} posts are positive and "
                f"{scope.shares['negative']:.0%} negative (the run's estimate over every post)")
    else:
        text = f"The run holds {scope.posts_total:,} posts"
    return text + _labelled_change(scope) + "." + _volume_words(scope)


def summary_note(scope: RunScope) -> Block:
    return Block("note", text="The first finding is the whole run's, from the run's own results; the other "
                              f"findings and the quotes come from {sample_words(scope)}, drawn evenly across its "
                              "days, so their counts are the sample's.")


def headline_rows(scope: RunScope, rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The headline's metrics with the run's post count, authors, net sentiment and volume in place of the
    sample's (the KPIs after them stay the sample's, which `headline_note` says above the table)."""
    whole = [("Posts", f"{scope.posts_total:,}", f"the whole run, from {run_period(scope) or 'undated posts'}")]
    if scope.authors is not None:
        whole.append(("Authors", f"{scope.authors:,}", "distinct authors in the whole run"))
    if scope.shares:
        pos, neg = scope.shares["positive"], scope.shares["negative"]
        whole.append(("Net sentiment", f"{pos - neg:+.2f}",
                      f"{pos:.0%} positive − {neg:.0%} negative: the run's estimate over every post"))
    counts, _ = run_volume(scope.run, "D")
    if len(counts):
        whole.append(("Posts per day", f"{counts['posts'].mean():,.0f}",
                      f"the whole run's mean; the most {int(counts['posts'].max()):,} in a day"))
    replaced = {"Posts", "Authors", "Net sentiment"}
    return whole + [r for r in rows if r[0] not in replaced]


def headline_note(scope: RunScope) -> Block:
    return Block("note", text="Posts, authors, net sentiment and posts per day below are the whole run's, from "
                              "the run's own results; every other figure in the table is counted in "
                              f"{sample_words(scope)}.")


def volume_blocks(scope: RunScope) -> list[Block]:
    """The whole run's posts per period, before the sample's sentiment charts."""
    from lib.listening.charts import volume_chart

    counts, freq = run_volume(scope.run)
    if not len(counts):
        return []
    period = PERIOD_NAMES.get(freq, "period")
    return [Block("text", text=f"Posts per {period}, every post of the run ({scope.posts_total:,} posts)."),
            Block("chart", chart=volume_chart(counts, freq))]


def framed(key: str, blocks: list[Block], scope: RunScope | None) -> list[Block]:
    """A section's blocks as the report prints them: unchanged without a scope; a section computed on the
    sample opens with its note (the sentiment section with the whole run's volume first, then the note)."""
    if scope is None or not blocks or key not in ON_SAMPLE:
        return blocks
    return (volume_blocks(scope) if key == "sentiment" else []) + [sample_note(scope)] + blocks


def methods_lines(scope: RunScope) -> list[str]:
    """What the methods section says of the sample: how it was drawn and which figures are the whole run's."""
    engine = f" ({scope.engine} engine)" if scope.engine else ""
    return [f"Sample: the analysis run{engine} holds {scope.posts_total:,} posts; this report reads "
            f"{sample_words(scope)} (the most the app holds at once), drawn evenly across the run's days: each "
            "day keeps its share of the posts, drawn at random within the day (seed "
            f"{scope.seed}), each topic's representative posts first.",
            "Whole-run figures, from the run's own results and never scaled up from the sample: the post count, "
            "authors, sentiment shares (the run's estimate over every post), posts per day and the period. "
            "Everything else (quotes, tables, alerts, topics, segments, value and forecasts) is counted in the "
            "sample."]


__all__ = ["ON_SAMPLE", "RunScope", "framed", "headline_note", "headline_rows", "methods_lines", "run_period",
           "run_scope", "sample_note", "sample_words", "summary_note", "whole_run_finding"]
