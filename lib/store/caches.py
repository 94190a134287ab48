"""Per-text caches shared by every dataset of a workspace: sentiment scores and embedding vectors, keyed by a
hash of the text and the model, so a text seen once is never scored or embedded again."""
from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from lib.store.connection import Connection


class TextCaches(Connection):
    # -------------------------------------------------------------- per-text scores
    def cached_scores(self, hashes: pd.Series, model_version: str) -> pd.DataFrame:
        """Stored VADER scores and model probabilities for these text hashes (index: text_hash)."""
        wanted = pd.DataFrame({"text_hash": pd.unique(hashes)})
        with self._cur() as cur:
            cur.register("wanted", wanted)
            df = cur.execute("""SELECT s.text_hash, compound, pos, neu, neg, p_negative, p_neutral, p_positive
                                FROM text_scores s JOIN wanted w USING (text_hash)
                                WHERE model_version = ?""", [model_version]).df()
            cur.unregister("wanted")
        return df.set_index("text_hash")

    def put_scores(self, scores: pd.DataFrame, model_version: str) -> None:
        """Store scores indexed by text hash; a hash already stored is left as it is."""
        if scores.empty:
            return
        frame = scores.reset_index().rename(columns={"index": "text_hash"}).assign(model_version=model_version)
        frame = frame[["text_hash", "model_version", "compound", "pos", "neu", "neg", "p_negative", "p_neutral",
                       "p_positive"]]
        with self._lock, self._cur() as cur:
            cur.register("frame_in", frame)
            cur.execute("INSERT INTO text_scores SELECT * FROM frame_in ON CONFLICT DO NOTHING")
            cur.unregister("frame_in")

    # -------------------------------------------------------------- per-text embeddings
    def vectors_into(self, hashes: Sequence[str] | np.ndarray | pd.Series, model: str, out: np.ndarray,
                     rows: Sequence[int] | np.ndarray | None = None, batch: int = 50_000) -> np.ndarray:
        """Copy stored float32 vectors for `hashes` into `out`: hash i goes to row rows[i] (default i).
        Returns which hashes were found. Batched, so a million cached vectors never sit in memory twice."""
        hashes = np.asarray(hashes, dtype=object)
        found = np.zeros(len(hashes), dtype=bool)
        for start in range(0, len(hashes), batch):
            wanted = pd.DataFrame({"text_hash": hashes[start:start + batch],
                                   "row": np.arange(start, min(start + batch, len(hashes)))})
            with self._cur() as cur:
                cur.register("wanted", wanted)
                got = cur.execute("""SELECT w.row, v.vec FROM text_vectors v JOIN wanted w USING (text_hash)
                                     WHERE model = ? ORDER BY w.row""", [model]).fetchnumpy()
                cur.unregister("wanted")
            idx = np.asarray(got["row"], dtype=np.int64)
            if len(idx):
                vecs = np.frombuffer(b"".join(got["vec"].tolist()), dtype=np.float32).reshape(len(idx), -1)
                out[idx if rows is None else np.asarray(rows)[idx]] = vecs
                found[idx] = True
        return found

    def put_vectors(self, hashes: Sequence[str] | np.ndarray | pd.Series, vectors: np.ndarray, model: str) -> None:
        """Store vectors by text hash; a hash already stored is left as it is."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        frame = pd.DataFrame({"text_hash": list(hashes), "model": model,
                              "vec": [row.tobytes() for row in vectors]})
        if frame.empty:
            return
        with self._lock, self._cur() as cur:
            cur.register("frame_in", frame)
            cur.execute("INSERT INTO text_vectors SELECT text_hash, model, vec FROM frame_in ON CONFLICT DO NOTHING")
            cur.unregister("frame_in")

    def sentence_vectors_ready(self, ds_id: str) -> bool:
        """Whether every post of the dataset has its MiniLM vector in the cache (see `mark_sentence_vectors`)."""
        return self._meta_value(_vectors_key(ds_id)) is not None

    def mark_sentence_vectors(self, ds_id: str) -> None:
        """Record that the dataset's posts are all embedded with MiniLM (its posts never change afterwards).
        The caller knows: the store never looks inside a result to decide it (lib.pipeline.save_topics does)."""
        self._set_meta_value(_vectors_key(ds_id), "1")


def forget_vectors_mark(cur: duckdb.DuckDBPyConnection, ds: str) -> None:
    """A deleted dataset's mark goes (the vectors stay: other datasets may share its texts)."""
    cur.execute("DELETE FROM meta WHERE key = ?", [_vectors_key(ds)])


def _vectors_key(ds_id: str) -> str:
    return f"setting:sentence_vectors:{ds_id}"
