"""Chinese topic keywords: Chinese writes no spaces between words, so a word pattern reads a whole clause as one
"word" ("这款手机的电池续航太差了") and no two posts share one: on 2,000 real delivery reviews (Waimai) the keywords
were whole reviews. The Han runs of a Chinese post are cut into words by jieba (its dictionary inside the package;
MIT; pure Python), loaded only for datasets with Chinese posts; a post with kana is Japanese and is left to
lib.topics.japanese. jieba keeps its dictionary's index in the system's temporary folder (a cache it rebuilds)."""
from __future__ import annotations

import logging
import re
import threading
from functools import cache
from typing import Any

from lib.topics.japanese import is_japanese

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LOCK = threading.Lock()


@cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict ..." in the user's terminal
    return jieba.Tokenizer()


def words(text: str) -> str:
    """The text with each run of Han characters cut into words by spaces (Japanese text as it was)."""
    if not _HAN.search(text) or is_japanese(text):
        return text
    cut = _tokenizer()
    with _LOCK:
        return _HAN.sub(lambda m: " " + " ".join(cut.lcut(m.group(0))) + " ", text)


def keyword_docs(docs: list[str]) -> list[str]:
    """Each doc with its Chinese cut into words."""
    return [words(d) for d in docs]
