"""The student's hand-in: their answers beside each step's question and what the data says, as a table
(for CSV) and as plain-text Markdown in which the student's words are quoted as they are."""
from __future__ import annotations

import pandas as pd

from lib.workshop.exercises import Exercise


def answers_table(exercise: Exercise, facts: dict[str, str], answers: dict[str, str]) -> pd.DataFrame:
    """The student's answers beside each step's question and what the data says: the export."""
    steps = [s.filled(facts) for s in exercise.steps]
    return pd.DataFrame([{"exercise": exercise.title, "step": i + 1, "title": s.title,
                          "question": s.question, "your_answer": answers.get(s.key, ""),
                          "what_the_data_says": s.answer} for i, s in enumerate(steps)])


def answers_markdown(exercise: Exercise, facts: dict[str, str], answers: dict[str, str]) -> str:
    """The same as a plain-text (Markdown) hand-in: the student's text is quoted as it is."""
    lines = [f"# {exercise.title}", ""]
    for i, s in enumerate(s.filled(facts) for s in exercise.steps):
        lines += [f"## {i + 1}. {s.title}", "", f"**Question.** {s.question}", "", "**Your answer.**", ""]
        lines += ["    " + line for line in (answers.get(s.key) or "(no answer yet)").splitlines()] + [""]
        lines += [f"**What the data says.** {s.answer}", ""]
    return "\n".join(lines)
