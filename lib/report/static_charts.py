"""Altair charts as static images (PNG, SVG) for downloads and reports, rendered offline by vl-convert.

vl-convert ships Vega and its own fonts inside its wheel: no browser, no network. Its first call in a
process takes about a second (it starts its JavaScript engine); later charts take tens of milliseconds.
"""
from __future__ import annotations

import altair as alt

_WIDTH = 640  # charts drawn "as wide as the page" in the app get this width on paper


def _spec(chart: alt.TopLevelMixin, width: int = _WIDTH) -> dict:
    """The chart's Vega-Lite spec with a fixed width where the app lets it stretch to the container."""
    spec = chart.to_dict()
    if "width" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = width
    spec.setdefault("background", "white")
    return spec


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0, width: int = _WIDTH) -> bytes:
    """A PNG of the chart (scale 2: sharp on paper and high-density screens)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec(chart, width), scale=scale)


def to_svg(chart: alt.TopLevelMixin, width: int = _WIDTH) -> str:
    """An SVG of the chart: text stays text (searchable, scalable); user text in it is XML-escaped."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart, width))
