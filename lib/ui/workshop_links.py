"""Where each workshop step sends the student: the page, its button's label and the widget values (filters,
tab) to open it with. Page paths and widget keys are UI, so they live here and not in the course text
(lib/workshop); pages/workshop.py reads them by (exercise key, step key)."""
from __future__ import annotations

from dataclasses import dataclass, field

LISTENING = "pages/listening.py"


@dataclass(frozen=True)
class Link:
    page: str
    label: str                                    # the button that opens the page
    filters: dict = field(default_factory=dict)  # widget key -> value set before opening the page


LINKS: dict[tuple[str, str], Link] = {
    ("connectsphere", "insights"): Link("pages/topics.py", "Open Topics"),
    ("connectsphere", "agenda"): Link(LISTENING, "Open Listening ('agenda')",
                                      {"li_search": "agenda", "li_tab": "Emotion & intent"}),
    ("connectsphere", "ethics"): Link(LISTENING, "Open Listening ('profile')",
                                      {"li_search": "profile", "li_tab": "Posts"}),
    ("connectsphere", "opportunity"): Link(LISTENING, "Open Listening ('API')",
                                           {"li_search": "API", "li_tab": "Advocates & detractors"}),
    ("connectsphere", "strategy"): Link("pages/audience.py", "Open Audience"),
    ("gamerfuel", "crisis"): Link(LISTENING, "Open Listening (GamerFuel)",
                                  {"li_brand": ["GamerFuel"], "li_tab": "Spike alerts"}),
    ("gamerfuel", "drivers"): Link(LISTENING, "Open Listening (negative GamerFuel posts)",
                                   {"li_brand": ["GamerFuel"], "li_sent": ["negative"], "li_tab": "Spike alerts"}),
    ("gamerfuel", "savoury"): Link(LISTENING, "Open Listening ('savoury')",
                                   {"li_search": "savoury", "li_tab": "Over time"}),
}
