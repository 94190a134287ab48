"""What 'value' means: the value components, the weights a consultant tunes over them, and the presets.

One `Weights` object travels everywhere the weights do: the KPI lab's sliders, presets and JSON export/import,
the report's 'Value vs vanity' section and the command line's `--weights` file, so all three read the same
format and give the same ranking.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

COMPONENTS: dict[str, tuple[str, str]] = {
    # name: (plain label, what it rewards)
    "engagement_rate": ("Engagement rate", "engagement per person reached (or per impression / follower)"),
    "conversation": ("Conversation", "comments: people taking the time to answer"),
    "amplification": ("Amplification", "shares per like: people putting their name to it"),
    "saves": ("Saves", "saves per like: content worth coming back to"),
    "positive": ("Positive sentiment", "how positive the post reads: its sentiment label, weighed by the label's "
                                       "confidence (as the Listening page reads it)"),
    "resonance": ("Emotional resonance", "the post carries a clear emotion"),
    "authenticity": ("Authenticity", "1 - bot/spam-likeness of the post and its author"),
    "click_through": ("Click-through", "clicks per person reached"),
    "reach": ("Reach", "people reached (awareness)"),
}


@dataclass(frozen=True)
class Weights:
    """A named set of weights over the components (any numbers >= 0; normalised over the components the data
    supports when used). The JSON form is what the KPI lab exports: {"name": ..., "weights": {component: w}}."""
    name: str
    weights: dict[str, float]

    def __hash__(self) -> int:  # the mapping is never modified after construction
        return hash((self.name, tuple(sorted(self.weights.items()))))

    def normalised(self, available: list[str]) -> dict[str, float]:
        """Weights over the available components, summing to 1 (all equal if every weight is 0)."""
        w = {c: max(0.0, float(self.weights.get(c, 0.0))) for c in available}
        total = sum(w.values())
        if total <= 0:
            return {c: 1.0 / len(available) for c in available} if available else {}
        return {c: v / total for c, v in w.items()}

    def to_json(self) -> str:
        return json.dumps({"name": self.name, "weights": {c: float(self.weights.get(c, 0.0)) for c in COMPONENTS}},
                          indent=2)

    @classmethod
    def from_json(cls, text: str, name: str | None = None) -> Weights:
        """Weights from JSON: {"name": ..., "weights": {...}} as exported, or a plain {component: weight}
        mapping. Named `name` when given, else by the file ("custom" if it names none). Raises ValueError with
        a plain message."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"The weights file is not valid JSON ({exc.msg}, line {exc.lineno}).") from None
        own = "custom"
        if isinstance(data, dict) and isinstance(data.get("weights"), dict):
            own = data["name"] if isinstance(data.get("name"), str) else own
            data = data["weights"]
        return cls(name if name is not None else own, _checked(data))


def _label(comp: str) -> str:
    label = COMPONENTS[comp][0]
    return label if label.isupper() else label[0].lower() + label[1:]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fallback_note(weights: Weights, available: list[str], unavailable: dict[str, str],
                  effect: bool = True) -> str | None:
    """What a preset wanted that the data lacks, and exactly where its weight went (None where nothing is
    missing), e.g. "Lead generation needs click-through (clicks and reach/impressions) ..., which this data lacks:
    their 85% of the weight went to the components you have, in proportion: authenticity 15% -> 100%".

    `Weights.normalised` spreads a missing component's weight over the available ones in proportion to their
    own weights, or equally when none of them has any: the note says which of the two happened."""
    missing = [c for c in COMPONENTS if weights.weights.get(c, 0.0) > 0 and c not in available]
    if not missing:
        return None
    lacks = [c for c in missing if not unavailable.get(c, "").startswith("no signal")]
    flat = [c for c in missing if c not in lacks]
    parts = []
    if lacks:
        needs = []
        for c in lacks:
            what = unavailable.get(c, "").removeprefix("needs ")
            needs.append(_label(c) if what in ("", _label(c)) else f"{_label(c)} ({what})")
        parts.append(f"{weights.name} needs {_listed(needs)}, which this data lacks")
    if flat:
        said = _listed([f"{_label(c)} ({unavailable[c].removeprefix('no signal: ')})" for c in flat])
        verb = "has" if len(flat) == 1 else "have"
        parts.append(f"{said} {verb} no signal here" if lacks
                     else f"{weights.name} counts on {said}, which {verb} no signal here")
    note = "; ".join(parts)
    if not effect:
        return note + "."
    full, used = weights.normalised(list(COMPONENTS)), weights.normalised(available)
    lost = sum(full[c] for c in missing)
    kept = [c for c in available if full[c] > 0]
    if not kept:
        return (f"{note}: none of its weight is on a component this data has, so the {len(available)} components "
                f"you have count equally ({1 / max(len(available), 1):.0%} each).")
    moved = _listed([f"{_label(c)} {full[c]:.0%} → {used[c]:.0%}" for c in kept])
    idle = [_label(c) for c in available if full[c] == 0]
    rest = (f" {_listed(idle).capitalize()} {'counts' if len(idle) == 1 else 'count'} 0% in this preset: move "
            f"{'its slider' if len(idle) == 1 else 'their sliders'} to count {'it' if len(idle) == 1 else 'them'}."
            if idle else "")
    return (f"{note}: {'its' if len(missing) == 1 else 'their'} {lost:.0%} of the weight was spread over the "
            f"components you have, in proportion to their own weights: {moved}.{rest}")


def _checked(data: object) -> dict[str, float]:
    """A {component: weight >= 0} mapping, or ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("The weights file must map KPI components to numbers.")
    unknown = [k for k in data if k not in COMPONENTS]
    if unknown:
        raise ValueError(f"Unknown component(s) {', '.join(map(str, unknown))}; known: {', '.join(COMPONENTS)}")
    out = {}
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != v:
            raise ValueError(f"The weight of {k} must be a number >= 0, got {v!r}")
        out[k] = float(v)
    return out


PRESETS: dict[str, Weights] = {name: Weights(name, w) for name, w in {
    "Brand awareness": {"reach": 0.30, "amplification": 0.25, "engagement_rate": 0.20, "positive": 0.15,
                        "authenticity": 0.10},
    "Lead generation": {"click_through": 0.40, "conversation": 0.20, "engagement_rate": 0.15, "authenticity": 0.15,
                        "saves": 0.10},
    "Customer loyalty & advocacy": {"positive": 0.30, "conversation": 0.25, "amplification": 0.20, "resonance": 0.15,
                                    "authenticity": 0.10},
    "Balanced": {c: 1.0 for c in COMPONENTS},
}.items()}


def load_presets(text: str | None) -> dict[str, Weights]:
    """Custom presets saved in the workspace ({name: {component: weight}}); unreadable entries are skipped."""
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    out = {}
    for name, weights in (data.items() if isinstance(data, dict) else []):
        if isinstance(weights, dict) and isinstance(weights.get("weights"), dict):
            weights = weights["weights"]  # an exported file pasted in whole
        try:
            out[str(name)] = Weights(str(name), _checked(weights))
        except ValueError:
            continue
    return out


def dump_presets(presets: dict[str, Weights]) -> str:
    """The workspace setting `load_presets` reads back."""
    return json.dumps({name: w.weights for name, w in presets.items()}, sort_keys=True)
