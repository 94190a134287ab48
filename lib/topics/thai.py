"""Thai topic keywords: Thai writes no spaces between words, so a word pattern reads a whole clause as one "word"
("รถจีนราคาหยวน") and no two posts share one; on 2,021 real Thai YouTube comments the keywords were clauses and
fragments. The Thai runs of a post are cut into words by PyThaiNLP's newmm (maximal matching over its Thai
dictionary, inside the wheel; Apache-2.0; pure Python, no dependencies; about 2,500 comments/s on one core),
loaded only for datasets with Thai posts, read-only (it writes no data folder)."""
from __future__ import annotations

import os
import re
import threading
from functools import cache
from typing import Any

_THAI = re.compile(r"[\u0e00-\u0e7f]+")
_LOCK = threading.Lock()


@cache
def _tokenize() -> Any:
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")  # no ~/pythainlp-data: nothing is downloaded or written
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def words(text: str) -> str:
    """The text with each run of Thai letters cut into words by spaces; everything else as it was."""
    if not _THAI.search(text):
        return text
    cut = _tokenize()
    with _LOCK:
        return _THAI.sub(lambda m: " " + " ".join(cut(m.group(0), engine="newmm", keep_whitespace=False)) + " ",
                         text)


def stopwords() -> frozenset[str]:
    """PyThaiNLP's 1,030 Thai stop words: stopwords-iso's 116 lack the polite particles ("ครับ", "ค่ะ", "นะ") that
    end most Thai comments, and a topic of the real comments was labelled "ชอบ ครับ"."""
    _tokenize()  # read-only first
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def keyword_docs(docs: list[str]) -> list[str]:
    """Each doc with its Thai cut into words."""
    return [words(d) for d in docs]
