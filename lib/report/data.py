"""What a report is made of: its inputs (`ReportData`, `Branding`), the blocks and sections it is built into,
which sections the data allows (`available`), and the logo, re-encoded before it goes anywhere."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.kpis.weights import PRESETS, Weights

if TYPE_CHECKING:
    from lib.report.scope import RunScope

SECTIONS: dict[str, str] = {
    "summary": "Executive summary",
    "headline": "Headline KPIs",
    "sentiment": "Sentiment over time and alerts",
    "topics": "Topics and how they feel",
    "audience": "Audience segments and personas",
    "value": "Value vs vanity: which posts really worked",
    "forecast": "Forecasts",
    "methods": "Methods & caveats",
}


@dataclass
class Branding:
    title: str = ""
    client: str = ""
    prepared_by: str = ""
    logo_png: bytes | None = None  # through `clean_logo` first


@dataclass
class ReportData:
    """What a report is built from: the enriched posts and whatever the user has computed so far."""
    name: str
    frame: pd.DataFrame                      # posts with the listening columns (and topic columns, if found)
    meta: dict = field(default_factory=dict)  # the dataset's import report (files, privacy choices, ...)
    topics: pd.DataFrame | None = None        # lib.topics.views.topic_table, with the user's names
    topic_settings: dict | None = None
    representatives: dict[int, list[str]] | None = None  # topic -> post ids closest to its centre (TopicResult)
    personas: pd.DataFrame | None = None      # audience personas, with the user's names
    audience_metrics: dict | None = None
    weights: Weights = field(default_factory=lambda: PRESETS["Balanced"])  # the KPI lab's, as tuned
    sensitivity: float = 3.5
    horizon: int = 4
    n_labels: int = 0                         # the user's own sentiment labels used
    scope: RunScope | None = None             # the whole run, when the posts are a sample of one (lib.report.scope)
    spam_left_out: int = 0                    # posts left out as likely spam or bot activity (`without_spam`)
    shares: dict | None = None                # the estimated sentiment shares of `frame`'s posts, as summary.json's
    #                                           sentiment_shares (lib.listening.shares): what the report quotes
    cache: dict = field(default_factory=dict, repr=False)  # computed once per build (the value model)


@dataclass
class Block:
    kind: str                                  # text | note | metrics | table | chart | bullets
    text: str = ""
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # metrics: label, value, what it means
    items: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None          # already formatted as text
    chart: Any = None                          # an Altair chart
    _png: bytes | None = None
    _svg: str | None = None

    def png(self) -> bytes:
        from lib.report.static_charts import to_png

        if self._png is None:
            self._png = to_png(self.chart)
        return self._png

    def svg(self) -> str:
        from lib.report.static_charts import to_svg

        if self._svg is None:
            self._svg = to_svg(self.chart)
        return self._svg


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block]


@dataclass
class Report:
    title: str
    client: str
    prepared_by: str
    dataset: str
    generated: str
    period: str
    logo_png: bytes | None
    sections: list[Section]


def clean_logo(data: bytes, max_px: int = 600) -> bytes:
    """A user's logo as a small, plain PNG (decoded and re-encoded: whatever the file held besides pixels,
    scripts in an SVG or metadata, is gone). ValueError when it is not a PNG/JPEG/GIF/WebP image."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format not in ("PNG", "JPEG", "GIF", "WEBP"):
                raise ValueError(f"the logo must be a PNG, JPEG, GIF or WebP image (got {im.format})")
            im.thumbnail((max_px, max_px))
            out = io.BytesIO()
            im.convert("RGBA").save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValueError("the logo file is not an image this app can read (PNG, JPEG, GIF or WebP)") from None


def available(data: ReportData) -> dict[str, str]:
    """Each section: '' when it can be built from what is computed, else why not (shown beside its box)."""
    f = data.frame
    dated = "created_at" in f and f["created_at"].notna().any()
    has_text = "sentiment_label" in f
    engaged = any(c in f for c in ("likes", "comments", "shares", "views", "impressions"))
    return {
        "summary": "" if has_text or engaged else "needs post text or engagement counts",
        "headline": "",
        # what this file lacks: an undated file of tweets has their text
        "sentiment": "" if has_text and dated else "needs " + " and ".join(
            what for what, has in (("post text", has_text), ("dates", dated)) if not has),
        "topics": "" if data.topics is not None and len(data.topics)
        else "find topics on the Topics page first" if "text" in f and f["text"].notna().any() else "needs post text",
        "audience": "" if data.personas is not None and len(data.personas)
        else "find segments on the Audience page first",
        "value": "",
        "forecast": "" if dated and f["created_at"].nunique() > 1 else "needs dated posts",
        "methods": "",
    }


def without_spam(data: ReportData) -> ReportData:
    """The report's data without the posts the authenticity rules flag as spam or bot-like (lib.kpis.authenticity,
    as the KPI lab and the Listening page's switch count them): every figure, alert and topic size is then the
    other posts'. Topics and segments keep what was found with them (they are not refitted), and the report says
    how many posts were left out. On the real YouTube comments, 940 of 1,956 posts."""
    from dataclasses import replace

    from lib.kpis.authenticity import likely_spam

    f = data.frame
    if "text" not in f or not len(f):
        return data
    flags = likely_spam(f)
    if not flags.any() or flags.all():
        return data
    kept = f[~flags]
    topics = data.topics
    if topics is not None and "topic" in kept and {"topic", "label", "keywords"} <= set(topics.columns):
        from lib.topics.views import topic_table

        table = topics[["topic", "label"]].assign(hidden=False, keywords=topics["keywords"].astype(str).str.split(", "))
        topics = topic_table(kept, table)
    return replace(data, frame=kept, topics=topics, spam_left_out=int(flags.sum()), cache={},
                   shares=None if data.shares is None else shares_of(kept))


def shares_of(frame: pd.DataFrame) -> dict | None:
    """The estimated sentiment shares of these posts (summary.json's `sentiment_shares`), the analyst's labels
    (posts whose label is "your label") calibrating them as on the Listening page; None without sentiment, or
    where labels adapted the model but the public model's probabilities are not in the frame (calibrating the
    adapted model's own would make its errors look too small)."""
    from lib.listening.shares import P_COLUMNS, ZERO_SHOT_COLUMNS, estimate_shares

    if not {"sentiment_label", "post_id", *P_COLUMNS} <= set(frame.columns) or not len(frame):
        return None
    source = frame["sentiment_source"] if "sentiment_source" in frame else pd.Series("", index=frame.index)
    mine = source == "your label"
    if (source == "adapted model").any() and not set(ZERO_SHOT_COLUMNS) <= set(frame.columns):
        return None
    labels = pd.Series(frame.loc[mine, "sentiment_label"].to_numpy(), index=frame.loc[mine, "post_id"].astype(str))
    return estimate_shares(frame.assign(post_id=frame["post_id"].astype(str)), labels).to_json()
