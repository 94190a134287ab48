"""Altair charts as static images (PNG, SVG) for downloads and reports, rendered offline by vl-convert.

vl-convert ships Vega and its own fonts inside its wheel: no browser, no network. Its first call in a
process takes about a second (it starts its JavaScript engine); later charts take tens of milliseconds. Its
fonts have no Japanese, Chinese or Korean, nor the scripts of India and South-East Asia: the PDF's CJK font
(lib.report.render.cjk_font) and its Noto script and emoji fonts (lib.report.render.script_fonts) are registered
with it, so such labels are drawn on any machine, not only where the system has the fonts. Its text engine
(resvg) picks those fonts by falling back letter by letter, which fails for a label where Devanagari, Tamil or
Khmer meets our " · " keyword separator (every letter drawn as a box, seen in PNGs); such labels are drawn with
" / " between keywords instead. Complex scripts are shaped less well than in the PDF (HarfBuzz): Devanagari's
vowel signs can sit a little off in chart images.
"""
from __future__ import annotations

import re
from functools import cache
from types import ModuleType
from typing import Any

import altair as alt

_WIDTH = 640  # charts drawn "as wide as the page" in the app get this width on paper
# Indic scripts, Sinhala, Myanmar, Khmer: where the separator " · " next to them makes resvg draw boxes
_SEPARATOR_BREAKS = re.compile(r"[\u0900-\u0dff\u1000-\u109f\u1780-\u17ff]")


def _separators(value: Any) -> Any:
    """Every string in a spec's inline data with " · " between keywords drawn as " / " where the separator
    next to an Indic, Sinhala, Myanmar or Khmer word would make every letter a box (the module docstring)."""
    if isinstance(value, str):
        return value.replace(" · ", " / ") if " · " in value and _SEPARATOR_BREAKS.search(value) else value
    if isinstance(value, list):
        return [_separators(v) for v in value]
    if isinstance(value, dict):
        return {k: _separators(v) for k, v in value.items()}
    return value


def _spec(chart: alt.TopLevelMixin, width: int = _WIDTH) -> dict:
    """The chart's Vega-Lite spec with a fixed width where the app lets it stretch to the container."""
    spec = chart.to_dict()
    if "width" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = width
    spec.setdefault("background", "white")
    if "datasets" in spec:
        spec["datasets"] = _separators(spec["datasets"])
    return spec


@cache
def _vlc() -> ModuleType:
    import vl_convert as vlc

    from lib.report.render import cjk_font, emoji_font, script_fonts

    fonts = [cjk_font(), emoji_font(), *(path for _, path in script_fonts())]
    for folder in dict.fromkeys(str(f.parent) for f in fonts if f is not None):
        vlc.register_font_directory(folder)
    return vlc


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0, width: int = _WIDTH) -> bytes:
    """A PNG of the chart (scale 2: sharp on paper and high-density screens)."""
    return _vlc().vegalite_to_png(_spec(chart, width), scale=scale)


def to_svg(chart: alt.TopLevelMixin, width: int = _WIDTH) -> str:
    """An SVG of the chart: text stays text (searchable, scalable); user text in it is XML-escaped."""
    return _vlc().vegalite_to_svg(_spec(chart, width))
