"""Which words of a shown quote the query matched: character spans for highlighting."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import numpy as np

from .cache import lru_put
from .parse import QueryBuilder

_SPAN_CACHE = 50_000
Terms = dict[str, "np.ndarray | None"]  # stem -> the docnums having it (None: every doc)


class Highlighter:
    """Char spans of the words of a quote whose stem is one the query matched.

    The words are known in advance (the lexicon's words with each stem), and so is which stems
    each hit has (from the postings), so each quote is scanned (at C speed) for the few words
    it can contain, instead of analysing every one of its words.
    """

    def __init__(
        self, terms: Terms, builder: QueryBuilder, cache: OrderedDict[tuple[int, str], Any]
    ) -> None:
        self.terms = terms
        # (docnum, stem) -> spans: the next keystroke mostly shows the same quotes again.
        self.cache = cache
        self.words: dict[str, set[str]] = {t: set(builder.surface_words(t)) for t in terms}
        self.token = builder.token
        self.starts = {t: _starts(tuple(builder.surface_words(t))) for t in terms}

    def stems_per_doc(self, docs: np.ndarray) -> list[list[str]]:
        result: list[list[str]] = [[] for _ in range(len(docs))]
        for stem, ids in self.terms.items():
            if ids is None or not len(ids):
                has = np.ones(len(docs), bool) if ids is None else np.zeros(len(docs), bool)
            else:
                pos = np.searchsorted(ids, docs).clip(0, len(ids) - 1)
                has = ids[pos] == docs
            for i in np.flatnonzero(has).tolist():
                result[i].append(stem)
        return result

    def spans(self, docnum: int, text: str, stems: Iterable[str]) -> tuple[tuple[int, int], ...]:
        found: list[tuple[int, int]] = []
        lower: str | None = None
        for stem in stems:
            key = (docnum, stem)
            cached = self.cache.get(key)
            if cached is None:
                if lower is None:
                    lower = text.lower()
                    if len(lower) != len(text):  # a letter whose lower case is longer
                        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
                cached = lru_put(self.cache, key, self._find(lower, stem), _SPAN_CACHE)
            found.extend(cached)
        return tuple(sorted(set(found)))

    def _find(self, lower: str, stem: str) -> tuple[tuple[int, int], ...]:
        """The spans of the tokens of `lower` that are words with this stem: one regular
        expression finds where one of them starts a token (a scan in C), and the analyzer's
        own token pattern says whether the token there is the word itself."""
        return find_words(self.starts[stem], self.token, lower, self.words[stem])


def find_words(
    starts: re.Pattern[str], token: re.Pattern[str], lower: str, words: set[str]
) -> tuple[tuple[int, int], ...]:
    """The spans of the tokens of `lower` that are among `words` (`starts`: `_starts(words)`)."""
    found = []
    for start in starts.finditer(lower):
        match = token.match(lower, start.start())
        if match is not None and match.group() in words:
            found.append(match.span())
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """Where one of `words` begins a token: not after a letter, digit, underscore or point.
    Longest first, so that a word is not hidden by a shorter one it begins with."""
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w.])(?:{alternatives})")
