"""Altair charts as static images (PNG, SVG) for downloads and reports, rendered offline by vl-convert.

vl-convert ships Vega and its own fonts inside its wheel: no browser, no network. Its first call in a
process takes about a second (it starts its JavaScript engine); later charts take tens of milliseconds. Its
fonts have no Japanese, Chinese or Korean: the PDF's CJK font (lib.report.render.cjk_font) is registered with it,
so such labels are drawn on any machine, not only where the system has a CJK font.
"""
from __future__ import annotations

from functools import cache
from types import ModuleType

import altair as alt

_WIDTH = 640  # charts drawn "as wide as the page" in the app get this width on paper


def _spec(chart: alt.TopLevelMixin, width: int = _WIDTH) -> dict:
    """The chart's Vega-Lite spec with a fixed width where the app lets it stretch to the container."""
    spec = chart.to_dict()
    if "width" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = width
    spec.setdefault("background", "white")
    return spec


@cache
def _vlc() -> ModuleType:
    import vl_convert as vlc

    from lib.report.render import cjk_font

    font = cjk_font()
    if font is not None:
        vlc.register_font_directory(str(font.parent))
    return vlc


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0, width: int = _WIDTH) -> bytes:
    """A PNG of the chart (scale 2: sharp on paper and high-density screens)."""
    return _vlc().vegalite_to_png(_spec(chart, width), scale=scale)


def to_svg(chart: alt.TopLevelMixin, width: int = _WIDTH) -> str:
    """An SVG of the chart: text stays text (searchable, scalable); user text in it is XML-escaped."""
    return _vlc().vegalite_to_svg(_spec(chart, width))
