"""The client report: what a consultant leaves behind, built from the same engine as the pages.

`build()` turns a dataset's analysis into sections of plain blocks (metrics, tables, charts, text; one
function per section in `lib.report.sections`); `lib.report.render` writes them as one self-contained HTML
file or a PDF. Every number is computed from the data; user text (posts, names, topic labels, branding)
stays data all the way and is escaped by the renderers, never interpreted. A dataset that holds a sample of an
analysis run is reported with the whole run's figures where the run has them (`lib.report.scope`).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from lib.report.data import SECTIONS, Branding, Report, ReportData, Section, available
from lib.report.formatting import period
from lib.report.scope import framed, run_period
from lib.report.sections import MAKERS, title


def build(data: ReportData, sections: list[str] | None = None, branding: Branding | None = None,
          stage: Callable[[str, float], None] | None = None) -> Report:
    """The report of the chosen sections (all available ones by default), in the fixed order of SECTIONS.
    `stage(message, fraction)` hears of each section as it starts."""
    b = branding or Branding()
    ok = available(data)
    wanted = [k for k in SECTIONS if (sections is None or k in sections) and not ok[k]]
    built = []
    for i, k in enumerate(wanted):
        if stage:
            stage(f"Writing '{SECTIONS[k]}'", i / max(len(wanted), 1))
        built.append(Section(k, title(k, data), framed(k, MAKERS[k](data), data.scope)))
    # a sample of a run: the period is the whole run's
    span = (run_period(data.scope) if data.scope is not None else None) or period(data.frame)
    return Report(title=b.title.strip() or f"Social listening report: {data.name}", client=b.client.strip(),
                  prepared_by=b.prepared_by.strip(), dataset=data.name,
                  generated=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"), period=span,
                  logo_png=b.logo_png, sections=[s for s in built if s.blocks])
