"""Which words of a shown quote the query matched: character spans for highlighting."""

from __future__ import annotations

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
    each hit has (from the postings), so each quote is searched with `str.find` (C speed) for
    the few word heads it can contain, instead of analysing every one of its words.
    """

    def __init__(
        self, terms: Terms, builder: QueryBuilder, cache: OrderedDict[tuple[int, str], Any]
    ) -> None:
        self.terms = terms
        # (docnum, stem) -> spans: the next keystroke mostly shows the same quotes again.
        self.cache = cache
        self.builder = builder
        self.token = builder.token
        # Per stem, its words and the shortest prefixes covering them ("negotiat" finds
        # "negotiated"): worked out when a shown quote has the stem (a keystroke's expansions
        # may have a dozen stems, few of them in the quotes shown, or no quote at all).
        self.words: dict[str, set[str]] = {}
        self.heads: dict[str, list[str]] = {}

    def stems_per_doc(self, docs: np.ndarray) -> list[list[str]]:
        result: list[list[str]] = [[] for _ in range(len(docs))]
        for stem, ids in self.terms.items():
            if ids is None or not len(ids):
                has = np.ones(len(docs), bool) if ids is None else np.zeros(len(docs), bool)
            else:
                pos = np.searchsorted(ids, docs)
                np.minimum(pos, len(ids) - 1, out=pos)  # (a ufunc: `clip` costs 10x more)
                has = ids[pos] == docs
            for i in np.flatnonzero(has).tolist():
                result[i].append(stem)
        return result

    def spans(self, docnum: int, text: str, stems: Iterable[str]) -> tuple[tuple[int, int], ...]:
        found: list[tuple[int, int]] = []
        lower: str | None = None
        get = self.cache.get
        parts = 0
        for stem in stems:
            key = (docnum, stem)
            cached = get(key)
            if cached is None:
                if lower is None:
                    lower = text.lower()
                    if len(lower) != len(text):  # a letter whose lower case is longer
                        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
                cached = lru_put(self.cache, key, self._find(lower, stem), _SPAN_CACHE)
            if cached:
                found.extend(cached)
                parts += 1
        # (one stem's spans are in order already)
        return tuple(found) if parts < 2 else tuple(sorted(set(found)))

    def _find(self, lower: str, stem: str) -> tuple[tuple[int, int], ...]:
        words = self.words.get(stem)
        if words is None:
            words = self.words[stem] = set(self.builder.surface_words(stem))
            heads: list[str] = []
            for word in sorted(words):
                if not heads or not word.startswith(heads[-1]):
                    heads.append(word)
            self.heads[stem] = heads
        found = []
        for head in self.heads[stem]:
            i = lower.find(head)
            while i >= 0:
                before = lower[i - 1] if i else " "
                if not (before.isalnum() or before in "_."):
                    token = self.token.match(lower, i)
                    if token is not None and token.group() in words:
                        found.append(token.span())
                i = lower.find(head, i + 1)
        return tuple(found) if len(self.heads[stem]) < 2 else tuple(sorted(found))
