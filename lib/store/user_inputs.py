"""What the user typed and chose, kept across restarts: app settings, sentiment labels on posts, names and merges
of topics, names of personas, and workshop answers."""
from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from lib.store.connection import Connection

# Edits of a fitted result name its topic or segment ids, which a new fit renumbers: saving a new result of a
# family clears these tables for that dataset (result_tables.ResultTables.save_result).
FIT_EDITS: dict[str, tuple[str, ...]] = {"topics": ("topic_edits",), "segments": ("persona_edits",)}


class UserInputs(Connection):
    # -------------------------------------------------------------- settings
    def get_setting(self, key: str) -> str | None:
        return self._meta_value(f"setting:{key}")

    def set_setting(self, key: str, value: str) -> None:
        self._set_meta_value(f"setting:{key}", value)

    @property
    def salt(self) -> str:
        """The workspace's secret for pseudonyms (lib.ingest.privacy), made when the workspace was created."""
        salt = self._meta_value("salt")
        if salt is None:
            raise KeyError("salt")
        return salt

    # -------------------------------------------------------------- the user's sentiment labels
    def set_labels(self, ds_id: str, labels: dict[str, str | None]) -> None:
        """Save or replace the user's label for posts of a dataset (label None removes it); each change is logged
        (`label_events`) for `labels_after`. Written as three statements over all the posts: a file's own
        sentiment used as labels is one label per post (20,000 labels: 42 s one row at a time, 0.04 s so)."""
        if not labels:
            return
        now = datetime.now(UTC)
        rows = pd.DataFrame({"post_id": pd.Series(list(labels), dtype="string"),
                             "label": pd.Series(list(labels.values()), dtype="string")})
        with self._transaction() as cur:
            cur.register("labels_in", rows)
            cur.execute("DELETE FROM labels WHERE dataset_id = ? AND post_id IN (SELECT post_id FROM labels_in)",
                        [ds_id])
            cur.execute("INSERT INTO labels SELECT ?, post_id, label, ? FROM labels_in WHERE label IS NOT NULL",
                        [ds_id, now])
            cur.execute("INSERT INTO label_events SELECT ?, post_id, ?, label FROM labels_in", [ds_id, now])
            cur.unregister("labels_in")

    def labels(self, ds_id: str) -> pd.Series:
        """The user's labels for a dataset: post_id -> label."""
        with self._cur() as cur:
            df = cur.execute("SELECT post_id, label FROM labels WHERE dataset_id = ? ORDER BY labelled_at",
                             [ds_id]).df()
        return pd.Series(df["label"].to_numpy(), index=df["post_id"].to_numpy(), dtype=object)

    def labels_after(self, ds_id: str, family: str) -> int:
        """How many of the dataset's posts have another label now than when its `family` result was saved (0
        without one; a label taken back counts, one given and taken back since does not): labels relabel the
        other posts, so a result fitted before them describes the sentiment of then."""
        row = self._one(
            "WITH fit AS (SELECT created_at FROM results WHERE dataset_id = $1 AND family = $2), "
            "at_fit AS (SELECT post_id, label FROM (SELECT e.post_id, e.label, row_number() OVER (PARTITION BY "
            "  e.post_id ORDER BY e.changed_at DESC) AS n FROM label_events e, fit WHERE e.dataset_id = $1 AND "
            "  e.changed_at <= fit.created_at) WHERE n = 1), "
            "current AS (SELECT post_id, label FROM labels WHERE dataset_id = $1) "
            "SELECT count(*) FROM at_fit FULL OUTER JOIN current USING (post_id) "
            "WHERE (SELECT count(*) FROM fit) > 0 AND at_fit.label IS DISTINCT FROM current.label", [ds_id, family])
        return int(row[0]) if row else 0

    # -------------------------------------------------------------- workshop answers
    def set_answer(self, exercise: str, step: str, answer: str) -> None:
        """Save a student's answer to one exercise step (an empty answer removes it)."""
        with self._transaction() as cur:
            if answer.strip():
                cur.execute("INSERT OR REPLACE INTO workshop_answers VALUES (?, ?, ?, ?)",
                            [exercise, step, answer, datetime.now(UTC)])
            else:
                cur.execute("DELETE FROM workshop_answers WHERE exercise = ? AND step = ?", [exercise, step])

    def answers(self, exercise: str) -> dict[str, str]:
        """step -> answer for one exercise."""
        with self._cur() as cur:
            rows = cur.execute("SELECT step, answer FROM workshop_answers WHERE exercise = ?", [exercise]).fetchall()
        return dict(rows)

    # -------------------------------------------------------------- edits of fitted topics and segments
    def topic_edits(self, ds_id: str) -> pd.DataFrame:
        with self._cur() as cur:
            return cur.execute("SELECT topic, label, merge_into, hidden FROM topic_edits WHERE dataset_id = ? "
                               "ORDER BY topic", [ds_id]).df()

    def set_topic_edits(self, ds_id: str, edits: pd.DataFrame) -> None:
        """Replace the user's topic edits (columns topic, label, merge_into, hidden) in one transaction."""
        frame = edits[["topic", "label", "merge_into", "hidden"]].copy()
        frame["hidden"] = frame["hidden"].fillna(False).astype(bool)
        frame["merge_into"] = pd.array(frame["merge_into"], dtype="Int64")
        frame["label"] = frame["label"].astype("string")
        self._replace_rows("topic_edits", ds_id, frame)

    def persona_edits(self, ds_id: str) -> pd.DataFrame:
        with self._cur() as cur:
            return cur.execute("SELECT segment, name, description FROM persona_edits WHERE dataset_id = ? "
                               "ORDER BY segment", [ds_id]).df()

    def set_persona_edits(self, ds_id: str, edits: pd.DataFrame) -> None:
        """Replace the user's persona names and descriptions (columns segment, name, description)."""
        frame = edits[["segment", "name", "description"]].copy()
        frame["segment"] = frame["segment"].astype(int)
        for c in ("name", "description"):
            frame[c] = frame[c].astype("string")
        self._replace_rows("persona_edits", ds_id, frame)

    def _replace_rows(self, table: str, ds_id: str, frame: pd.DataFrame) -> None:
        """Replace a dataset's rows of a small per-dataset table (the user's edits) in one transaction."""
        frame = frame.copy()
        frame.insert(0, "dataset_id", ds_id)
        with self._transaction() as cur:
            cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds_id])
            cur.register("rows_in", frame)
            cur.execute(f"INSERT INTO {table} SELECT * FROM rows_in")
            cur.unregister("rows_in")


def forget_user_inputs(cur: duckdb.DuckDBPyConnection, ds: str) -> None:
    """Remove the labels and edits of a dataset that is being deleted."""
    for table in ("labels", "label_events", "topic_edits", "persona_edits"):
        cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds])
