"""Widgets more than one page shows: the no-dataset screen with the samples, progress bars, a flash message,
charts with a download menu, and Markdown escaping for user text."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from lib.ingest import samples
from lib.ingest.schema import clock_hours, source_name
from lib.pipeline import has_text
from lib.ui import cache
from lib.ui.jobs import load_sample, slot
from lib.ui.session import active_posts, ws_path


def require_dataset() -> tuple[str, pd.DataFrame]:
    """The active dataset, or a plain message with a link to the Data page (and the page stops)."""
    got = active_posts()
    if got is None:
        st.info("No dataset yet. Load a sample below, or upload your own export on the Data page.")
        sample_cards()
        st.page_link("pages/data.py", label="Upload an export", icon=":material/upload_file:")
        st.stop()
    return got


def read_posts_first(ds_id: str, posts: pd.DataFrame) -> None:
    """Wait for the dataset's listening pass (sentiment, emotion and intent of every post), which the page's
    first figures need, with its progress in a box that goes once it is done; nothing is drawn when it is
    known already. The first view of a large file, or of one in a language only the multilingual model
    reads, waits for it minutes."""
    if not has_text(posts):
        return
    box = st.empty()

    def show(message: str, fraction: float) -> None:
        box.info(cache.first(message), icon=":material/hourglass_top:")

    cache.listening(ws_path(), ds_id, show=show)
    box.empty()


def progress_stage() -> Callable[[str, float], None]:
    """A progress bar with a caption under it, as the (message, fraction done) callback the engine's long
    steps (topics, segments) report to."""
    bar = st.progress(0.0)
    note = st.empty()

    def stage(msg: str, frac: float) -> None:
        bar.progress(min(1.0, frac))
        note.caption(msg)

    return stage


T = TypeVar("T")


def fit_with_progress(what: str, fit: Callable[[Callable[[str, float], None]], T], summary: Callable[[T], str]) -> None:
    """Run a fit (topics, segments) in a status box with a progress bar, one fit at a time per server; when the
    data cannot support it (a ValueError saying why) show why and stop the page, else rerun it so the page
    shows the saved result."""
    with st.status(f"Finding {what}…", expanded=True) as status:
        stage = progress_stage()
        try:
            with slot("fit", ws_path()):
                fitted = fit(stage)
        except ValueError as exc:
            status.update(label=f"{what.capitalize()} could not be found", state="error")
            st.error(str(exc))
            st.stop()
        status.update(label=summary(fitted), state="complete", expanded=False)
    st.rerun()


def show_flash() -> None:
    """A message left by the previous run (for example 'Saved ...') shown once, after st.rerun()."""
    flash = st.session_state.pop("data_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")


def sample_cards() -> None:
    """One card per bundled scenario; one click makes it the active dataset (imported unless already there)."""
    for col, (key, (name, blurb)) in zip(st.columns(len(samples.SAMPLES)), samples.SAMPLES.items()):
        with col.container(border=True):
            st.markdown(f"**{name}**")
            st.caption(blurb)
            if st.button("Load this sample", key=f"sample_{key}", icon=":material/download:"):
                with st.spinner("Importing the sample..."):
                    _, existed = load_sample(key)
                st.session_state["data_flash"] = (
                    f"The sample '{name}' was already in your workspace: it is now the active dataset (no second "
                    "copy added)." if existed else f"Loaded the sample '{name}' and made it the active dataset.")
                st.rerun()


_NOT_A_COUNT = re.compile(r"(?:^|_)(?:id|row|year|topic|segment|hour)s?(?:$|_)", re.IGNORECASE)


def count_columns(data: pd.DataFrame) -> dict:
    """Column configs that show whole numbers of a thousand or more with the reader's thousands separator
    ("3,822 posts", as the page's own figures are written beside the table); ids, rows, years, topic and segment
    numbers stay as they are. Sums kept as floats count too where every one is whole (a real Facebook page's
    likes by post type read "77610")."""
    out = {}
    for c in data.columns:
        col = data[c]
        if pd.api.types.is_bool_dtype(col) or _NOT_A_COUNT.search(str(c)) or not pd.api.types.is_numeric_dtype(col):
            continue
        whole = pd.api.types.is_integer_dtype(col) or bool((col.dropna() % 1 == 0).all())
        if whole and bool((col.abs() >= 1000).any()):
            out[c] = st.column_config.NumberColumn(format="localized")
    return out


def time_columns(data: pd.DataFrame) -> dict:
    """Column configs that show a table's times as "7 Sep 2026, 14:30 UTC" (a day alone, "7 Sep 2026", where no
    time in the column has an hour: a file of dates), not as "2026-09-07 14:30:00+00:00"."""
    times = {}
    for c in data.columns:
        if pd.api.types.is_datetime64_any_dtype(data[c]):
            timed = bool(clock_hours(data[c]).notna().any())
            times[c] = st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm [UTC]" if timed else "D MMM YYYY")
    return times


def own_columns_shown(data: pd.DataFrame, columns: list[str], source: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A table with the file's own `columns` under their names in the file, a column of tags
    (`lib.listening.tag_lists`) shown as its tags, not as the file's JSON; and their column_config. `source`: the
    posts a column is judged a tag column on (all of them, not the table's first rows)."""
    from lib.listening.tag_lists import as_lists, is_tag_column

    tagged = [c for c in columns if is_tag_column(source[c])]
    config = {c: (st.column_config.ListColumn if c in tagged else st.column_config.Column)(source_name(c))
              for c in columns}
    return data.assign(**{c: as_lists(data[c], like=source[c]) for c in tagged}), config


def table(data: pd.DataFrame, where=None, **kwargs):  # type: ignore[no-untyped-def]
    """st.dataframe with its times shown as people write them (`time_columns`) and its shares in whole percents
    (`whole_percents`); a `column_config` given for a column wins. Returns what st.dataframe returns (selection
    events)."""
    target = where if where is not None else st
    config = time_columns(data) | count_columns(data) | (kwargs.get("column_config") or {})
    data, kwargs["column_config"] = whole_percents(data, config)
    return target.dataframe(data, **kwargs)


def whole_percents(data: pd.DataFrame, config: dict) -> tuple[pd.DataFrame, dict]:
    """Columns configured as Streamlit's "percent" shown as whole percents: that format keeps up to two decimals
    and drops trailing zeros, so a column of real app reviews' aspects read "45.95%", "7.05%", "47%". The shares
    are multiplied by 100 for display only (the figures under them, and every download, stay shares)."""
    scaled, out = {}, dict(config)
    for col, cfg in config.items():
        if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("format") == "percent" and col in data \
                and pd.api.types.is_numeric_dtype(data[col]):
            scaled[col] = data[col] * 100
            out[col] = {**cfg, "type_config": {**cfg["type_config"], "format": "%.0f%%"}}
    return (data.assign(**scaled) if scaled else data), out


def chart(name: str, figure, where=None, **kwargs):  # type: ignore[no-untyped-def]
    """An Altair chart with a small 'Download chart' menu (PNG, SVG). The images are drawn only when a
    button is clicked (deferred data), so a chart costs nothing extra per rerun. `name` is unique per page:
    it names the files and keys the buttons. Returns what st.altair_chart returns (selection events)."""
    from lib.report.static_charts import to_png, to_svg

    target = where if where is not None else st
    kwargs.setdefault("width", "stretch")
    event = target.altair_chart(figure, **kwargs)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "chart"
    with target.popover("Download chart", type="tertiary", icon=":material/download:"):
        st.download_button("PNG image", lambda: to_png(figure), file_name=f"{slug}.png", mime="image/png",
                           on_click="ignore", key=f"dlc_png_{slug}", icon=":material/image:")
        st.download_button("SVG (scalable)", lambda: to_svg(figure).encode("utf-8"), file_name=f"{slug}.svg",
                           mime="image/svg+xml", on_click="ignore", key=f"dlc_svg_{slug}",
                           icon=":material/draw:")
    return event


def summary_metrics(info: dict, posts_label: str = "Posts") -> None:
    """The headline row of a dataset's summary (lib.listening.overview.summary, or a run's summary.json):
    posts, days covered, authors, platforms, brands."""
    cols = st.columns(5)
    cols[0].metric(posts_label, f"{info['posts']:,}")
    cols[1].metric("Days covered", f"{info['days_covered']:,}" if "first_post" in info else "no dates")
    cols[2].metric("Authors", f"{info['authors']:,}" if "authors" in info else "none")
    cols[3].metric("Platforms", len(info.get("platforms", {})))
    cols[4].metric("Brands", len(info.get("brands", {})) or "none")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """Make user-supplied text inert inside Markdown (no links, images, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
