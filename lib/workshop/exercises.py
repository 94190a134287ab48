"""Guided exercises on the two course scenarios. The words live in `exercises.toml` beside this file (what a
teacher edits); the numbers they quote come from `lib.workshop.facts`, computed from the app's own analysis of
the sample, so the text always matches what the student sees on the pages.

An exercise is a list of steps; each step says where to look, asks a question, has a hint that nudges, and a
'what the data says' that the student can reveal after answering. Every text is a template: `{name}` is filled
from the exercise's facts by `fill`. Which page a step opens, and with which filters, is UI
(lib/ui/workshop_links.py).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from lib.workshop.facts import FACTS, Facts

COURSE_FILE = Path(__file__).resolve().parent / "exercises.toml"
FIELD = re.compile(r"\{(\w+)\}")
_TEXTS = ("title", "look", "question", "hint", "answer")  # a step's templates (all its fields but the key)


@dataclass(frozen=True)
class Step:
    key: str                  # names the saved answer: renaming it orphans the answers saved under it
    title: str
    look: str                 # what to look at
    question: str
    hint: str
    answer: str               # what the data says: revealed once the student has answered

    def filled(self, facts: dict[str, str]) -> Step:
        """The step with every text filled from `facts`: what the page shows (no raw `{name}` can slip out)."""
        return replace(self, **{f: fill(getattr(self, f), facts) for f in _TEXTS})


@dataclass(frozen=True)
class Exercise:
    key: str
    sample: str               # lib.ingest.samples key
    title: str
    brief: str
    steps: tuple[Step, ...]
    facts: Facts


def fill(template: str, facts: dict[str, str]) -> str:
    """A text with its numbers. A missing fact is a bug in the exercise, so it raises KeyError; a brace that is
    not a `{name}` raises ValueError: the result never holds a raw placeholder."""
    stray = _stray_brace(template)
    if stray:
        raise ValueError(f"stray brace in {stray!r}: write placeholders as {{name}}")
    return FIELD.sub(lambda m: facts[m.group(1)], template)


def _stray_brace(template: str) -> str:
    """The text around the first brace that is not part of a `{name}` placeholder, or ''."""
    rest = FIELD.sub(lambda m: "#" * len(m.group(0)), template)  # same length: positions still match
    at = min((i for i in (rest.find("{"), rest.find("}")) if i >= 0), default=-1)
    return template[max(at - 20, 0):at + 20] if at >= 0 else ""


# ---------------------------------------------------------------------------------------------- loading
_EXERCISE_FIELDS = ("key", "sample", "title", "brief", "steps")
_STEP_FIELDS = tuple(f.name for f in fields(Step))


def _checked(table: object, wanted: tuple[str, ...], where: str) -> dict[str, object]:
    """A TOML table with exactly the `wanted` fields, texts non-empty strings; ValueError naming `where`."""
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table of fields, got {type(table).__name__}")
    missing = [k for k in wanted if k not in table]
    unknown = [k for k in table if k not in wanted]
    if missing or unknown:
        raise ValueError(f"{where}: " + "; ".join(
            ([f"missing field(s) {', '.join(missing)}"] if missing else [])
            + ([f"unknown field(s) {', '.join(unknown)}"] if unknown else [])))
    for k in wanted:
        value = table[k]
        if k != "steps" and not (isinstance(value, str) and value.strip()):
            raise ValueError(f"{where}: field '{k}' must be a non-empty string")
        stray = _stray_brace(value) if isinstance(value, str) else ""
        if stray:
            raise ValueError(f"{where}: field '{k}' has a stray brace near {stray!r}")
    return table


def _named(table: object, kind: str, n: int) -> str:
    """How an error message names a table: "exercise 'gamerfuel'", or 'exercise 2' when it has no key."""
    key = table.get("key") if isinstance(table, dict) else None
    return f"{kind} '{key}'" if isinstance(key, str) else f"{kind} {n}"


def _exercise(table: object, source: str, n: int) -> Exercise:
    where = f"{source}: " + _named(table, "exercise", n)
    e = _checked(table, _EXERCISE_FIELDS, where)
    key = str(e["key"])
    if key not in FACTS:
        raise ValueError(f"{where}: no facts function for it in lib/workshop/facts.py (known: {', '.join(FACTS)})")
    raw_steps = e["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError(f"{where}: needs at least one [[exercise.steps]]")
    steps = []
    for i, raw in enumerate(raw_steps, 1):
        s = _checked(raw, _STEP_FIELDS, f"{where}, " + _named(raw, "step", i))
        steps.append(Step(**{k: str(s[k]) for k in _STEP_FIELDS}))
    keys = [s.key for s in steps]
    if len(set(keys)) < len(keys):
        raise ValueError(f"{where}: step keys repeat ({', '.join(keys)})")
    return Exercise(key=key, sample=str(e["sample"]), title=str(e["title"]), brief=str(e["brief"]),
                    steps=tuple(steps), facts=FACTS[key])


def load_exercises(text: str, source: str = COURSE_FILE.name) -> dict[str, Exercise]:
    """The exercises of a course file (TOML text), in file order; ValueError saying what is wrong and where."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML ({exc})") from None
    if set(doc) != {"exercise"} or not isinstance(doc["exercise"], list):
        raise ValueError(f"{source}: expected only [[exercise]] tables (found {', '.join(doc) or 'nothing'})")
    out: dict[str, Exercise] = {}
    for n, table in enumerate(doc["exercise"], 1):
        ex = _exercise(table, source, n)
        if ex.key in out:
            raise ValueError(f"{source}: exercise '{ex.key}' appears twice")
        out[ex.key] = ex
    return out


EXERCISES: dict[str, Exercise] = load_exercises(COURSE_FILE.read_text(encoding="utf-8"))
