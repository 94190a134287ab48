"""The topic model's frozen settings in and frozen result out, and how a result is kept in the workspace."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lib.store.results import Stored

ASSIGN_REST = {"meaning": "Embed every post and join the nearest topic centre",
               "words": "Embed the fitted sample only; a classifier on its words and word vectors gives the rest "
                        "their topic"}
OUTLIER_STRATEGIES = {"none": "Leave them out",
                      "embeddings": "Nearest topic by meaning",
                      "c-tf-idf": "Nearest topic by shared keywords"}
Stage = Callable[[str, float], None]  # fit_topics' progress: (message, fraction done)
INFO_COLUMNS = ["topic", "label", "size", "keywords", "weights", "tx", "ty", "cohesion"]


def default_backend() -> str:
    """The text representation topics use unless the user chooses: MiniLM where installed, else the fastest
    installed ("auto": WordLlama, else TF-IDF).

    Chosen by measurement on the real labelled sets (bench/eval_real.py, same run, 2 cores): MiniLM's topics
    agree far more with what the posts are about (AMI with TweetTopic-XL's topics 0.25 vs WordLlama's 0.09,
    with Banking77's intents 0.76 vs 0.70) and match or beat stock BERTopic's, with 10 % outliers instead of
    its 40 %; WordLlama is 10-20x faster, but its topics on tweets are barely better than chance. MiniLM still
    fits faster than stock end to end (it is stock's own embedding model; our fit is the cheaper part)."""
    from lib.embeddings.registry import AUTO, BACKENDS

    return "minilm" if BACKENDS["minilm"].available() else AUTO


@dataclass(frozen=True)
class TopicSettings:
    """Everything that determines a topic model; equal settings on equal posts give equal topics."""
    min_topic_size: int = 0            # 0 = automatic (1 % of the distinct texts clustered, 15 to 80)
    nr_topics: int = 0                 # 0 = automatic, else merge down to at most this many
    ngram_max: int = 2                 # keywords of 1..ngram_max words
    extra_stopwords: tuple[str, ...] = ()  # the user's words to ignore as keywords
    brand_terms: tuple[str, ...] = ()  # the dataset's brand words and handles (lib.topics.prepare.learn_brand_terms)
    stop_languages: tuple[str, ...] = ()  # other languages (ISO 639-1) whose stop words are never keywords
    prepare_text: bool = True          # embed and count keywords on the text for meaning (lib.topics.prepare)
    seed: int = 42
    outlier_strategy: str = "embeddings"
    outlier_target: float = 0.10       # share of posts left as outliers after reduction
    neighbours: int = 15               # UMAP neighbourhood: small = many local topics, large = broad themes
    backend: str = "auto"              # embeddings: a key of lib.embeddings.registry.BACKENDS (the pipeline's
    #                                    default: `default_backend`)
    fit_sample: int = 20_000
    assign_rest: str = "meaning"       # posts beyond the fitted sample: "meaning" (embedded) or "words" (fast)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TopicSettings:
        data = json.loads(text)
        data["extra_stopwords"] = tuple(data.get("extra_stopwords", ()))
        data["brand_terms"] = tuple(data.get("brand_terms", ()))
        data["stop_languages"] = tuple(data.get("stop_languages", ()))
        data.setdefault("prepare_text", False)  # saved before text preparation existed: fitted on the raw text
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def resolved_min_size(self, n: int) -> int:
        return int(self.min_topic_size) if self.min_topic_size > 0 else int(max(15, min(80, round(n * 0.01))))


@dataclass(frozen=True, eq=False)  # arrays inside: compared field by field, never with ==
class TopicResult:
    """A fitted topic model's output, small enough to store and reload without refitting."""
    family: ClassVar[str] = "topics"
    settings: TopicSettings
    backend: str                        # stored model id of the embeddings used (lib.embeddings.registry)
    post_id: np.ndarray                 # one row per post, aligned with the posts given to fit
    topic: np.ndarray                   # topic id per post, -1 = outlier
    x: np.ndarray                       # 2-D document map
    y: np.ndarray
    info: pd.DataFrame                  # topic, label, size, keywords (list), weights (list), tx, ty, cohesion
    #                                     (none in fits stored before 2026-12-05)
    representative: dict[int, list[str]]  # topic -> post ids closest to its centre
    hierarchy: pd.DataFrame             # scipy linkage rows over topics: left, right, distance, size
    centres: np.ndarray                 # unit topic centres in embedding space, rows in info's topic order
    metrics: dict[str, Any] = field(default_factory=dict)  # outlier shares, timings, sizes

    def doc_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"post_id": self.post_id, "topic": self.topic, "x": self.x, "y": self.y})

    def to_stored(self) -> Stored:
        """Settings, backend, representative posts and metrics as metadata; topic info, hierarchy and the
        per-post frame (post_id, topic, x, y) as frames; the centres as float32 bytes."""
        meta = {"settings": self.settings.to_json(), "backend": self.backend,
                "representative": {str(k): list(v) for k, v in self.representative.items()},
                "metrics": self.metrics}
        return Stored(meta, frames={"info": self.info, "hierarchy": self.hierarchy, "docs": self.doc_frame()},
                      blobs={"centres": np.ascontiguousarray(self.centres, dtype=np.float32).tobytes()})

    @classmethod
    def from_stored(cls, stored: Stored) -> TopicResult:
        meta, docs = stored.meta, stored.frames["docs"]
        info = stored.frames["info"]
        if info.empty:
            info = pd.DataFrame(columns=INFO_COLUMNS)
        centres = stored.blobs.get("centres", b"")
        n_topics = int((info["topic"] != -1).sum())
        c = np.frombuffer(centres, dtype=np.float32).reshape(n_topics, -1) if centres else np.zeros((0, 0))
        return cls(TopicSettings.from_json(meta["settings"]), meta["backend"], docs["post_id"].to_numpy(),
                    docs["topic"].to_numpy(dtype=np.int64), docs["x"].to_numpy(), docs["y"].to_numpy(), info,
                    {int(k): list(v) for k, v in meta["representative"].items()}, stored.frames["hierarchy"], c,
                    dict(meta["metrics"]))
