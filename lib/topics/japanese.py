"""Japanese topic keywords: Japanese writes no spaces, so a word pattern reads a whole clause as one "word"
("我が家にある身長計を時々ものすごい伸ばす人がいる") and no two posts share one. The keywords of a Japanese post
are counted over its nouns instead, found by Janome (a pure-Python morphological analyser with its IPADIC
dictionary inside the wheel; Apache-2.0; about 450 tweets/s on one core), loaded only for datasets with Japanese
posts. Nouns, because a topic is named by what it is about; pronouns, numbers, suffixes and dependent nouns
("こと", "もの") are left out."""
from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

_KANA = re.compile(r"[\u3040-\u30ff]")  # hiragana or katakana: Japanese, not Chinese
_SKIP = ("非自立", "数", "代名詞", "接尾")  # IPADIC noun subtypes that name nothing
_LOCK = threading.Lock()  # one analyser, one text at a time


def is_japanese(text: str) -> bool:
    return bool(_KANA.search(text))


@cache
def _tokenizer() -> Any:
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def nouns(text: str) -> list[str]:
    """The nouns of a Japanese text, in order (Latin words in it count as nouns too: "iPhone")."""
    with _LOCK:
        tokens = list(_tokenizer().tokenize(text))
    return [t.surface for t in tokens
            if t.part_of_speech.startswith("名詞") and not any(s in t.part_of_speech for s in _SKIP)]


def keyword_docs(docs: list[str]) -> list[str]:
    """Each Japanese doc as its nouns joined by spaces, every other doc as it is."""
    return [" ".join(nouns(d)) if is_japanese(d) else d for d in docs]
