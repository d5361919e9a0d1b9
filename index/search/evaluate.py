"""From a Whoosh query tree to matching docnums and scores.

`Evaluator` runs the tree over posting lists cached as numpy arrays, scoring with the same BM25F
formula as Whoosh (its quantised field lengths, its 1.0 for each document a NOT matches, its
constant scores for a multi-term expansion). Node types it does not know (phrases, spans,
ranges) fall back to Whoosh's own matchers. tests/index/test_oracle.py holds the hit sets to
Whoosh's `Searcher`'s, and the scores of quote-text terms to within 1e-4. The one difference:
a term of another field (speaker, topic, ...) is scored without length normalisation.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from ..store.columns import Columns
from ..store.whoosh_compat import raw_postings
from .parse import EXPLICIT_PREFIX_TERMS, OTHER_FIELD_TERMS

if TYPE_CHECKING:
    from ..store.segments import SegmentData

K1 = 1.2
B = 0.75
# What Whoosh's InverseMatcher scores each document a NOT matches with.
NOT_SCORE = 1.0


@dataclass
class Match:
    """Matching docnums (sorted, unique) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Match:
        return cls(np.zeros(0, np.int32), np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class PostingsCache:
    """(field, term) -> (docnums, term frequencies), least recently used dropped past a budget."""

    budget_bytes: int = 256 * 1024 * 1024
    _items: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=OrderedDict
    )
    _bytes: int = 0

    def get(self, key: tuple[str, str]) -> tuple[np.ndarray, np.ndarray] | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: tuple[str, str], value: tuple[np.ndarray, np.ndarray]) -> None:
        self._items[key] = value
        self._bytes += value[0].nbytes + value[1].nbytes
        while self._bytes > self.budget_bytes and len(self._items) > 1:
            _, (ids, tfs) = self._items.popitem(last=False)
            self._bytes -= ids.nbytes + tfs.nbytes


def read_postings(searcher: Searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """All postings of one term: docnums (int32, ascending) and weights (term frequency).

    Deleted documents may be included: callers mask them out with the live column.
    """
    id_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for leaf, offset in searcher.reader().leaf_readers():
        ids, weights = raw_postings(leaf, fieldname, text)
        if len(ids):
            id_parts.append(ids + offset if offset else ids)
            weight_parts.append(weights)
    if not id_parts:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(id_parts), np.concatenate(weight_parts)


class Evaluator:
    """Runs a Whoosh query tree over cached postings; collects the quote-text terms it matched."""

    def __init__(
        self,
        searcher: Searcher,
        columns: Columns,
        cache: PostingsCache,
        segments: Sequence[tuple[SegmentData, int]] = (),
        mask: np.ndarray | None = None,
    ) -> None:
        self.searcher = searcher
        self.columns = columns
        self.cache = cache
        self.segments = segments
        # The filters, applied at every leaf: a NOT or an OR then only ever touches the docs
        # that can be shown (a speaker's 300 quotes, not a common word's 50k postings).
        self.mask = columns.live if mask is None else mask
        self._universe: Match | None = None
        reader = searcher.reader()
        self.doc_count = max(reader.doc_count_all(), 1)
        self.avg_length = max(searcher.avg_field_length("text", 1.0) or 1.0, 1e-6)
        # Quote-text stems matched outside a NOT, for highlighting, with the docs that have
        # them (None when not known, e.g. a phrase's words).
        self.matched_terms: dict[str, np.ndarray | None] = {}

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        if fieldname == "text" and self.segments:
            return self._segment_postings(text)
        key = (fieldname, text)
        value = self.cache.get(key)
        if value is None:
            value = read_postings(self.searcher, fieldname, text)
            self.cache.put(key, value)
        return value

    def _segment_postings(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids_parts, tf_parts = [], []
        for data, offset in self.segments:
            found = data.postings(text)
            if found is not None and len(found[0]):
                # (local docnums may be stored as uint16: widen before adding the offset)
                ids_parts.append(found[0].astype(np.int32) + offset)
                tf_parts.append(found[1])
        if not ids_parts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        ids = ids_parts[0] if len(ids_parts) == 1 else np.concatenate(ids_parts)
        tfs = tf_parts[0] if len(tf_parts) == 1 else np.concatenate(tf_parts)
        return ids.astype(np.int32, copy=False), tfs.astype(np.float32)

    def all_live(self) -> Match:
        """Every doc within the filters."""
        if self._universe is None:
            ids = np.flatnonzero(self.mask).astype(np.int32)
            self._universe = Match(ids, np.zeros(len(ids), np.float32))
        return self._universe

    def run(self, q: wq.Query, positive: bool = True) -> Match:
        """Evaluate `q`; `positive` is False under a NOT (its words are not highlighted)."""
        for cls, method in self._dispatch:
            if isinstance(q, cls):
                return method(self, q, positive)
        return self._whoosh(q, positive)

    # Leaves.

    def _term(self, fieldname: str, text: str, boost: float, positive: bool) -> Match:
        ids, tfs = self.postings(fieldname, text)
        if not len(ids):
            return Match.empty()
        idf = math.log(self.doc_count / (len(ids) + 1)) + 1  # from all its docs
        keep = self.mask[ids]
        ids, tfs = ids[keep], tfs[keep]
        if positive and fieldname == "text":
            self.matched_terms[text] = ids
        if fieldname == "text":
            norm = (1 - B) + B * self.columns.length[ids] / self.avg_length
        else:
            norm = 1.0
        scores = (idf * boost) * (tfs * (K1 + 1)) / (tfs + K1 * norm)
        return Match(ids, scores.astype(np.float32))

    def _Term(self, q: wq.Term, positive: bool) -> Match:
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else str(q.text)
        return self._term(q.fieldname, text, q.boost, positive)

    def _MultiTerm(self, q: wq.MultiTerm, positive: bool) -> Match:
        """A prefix, wildcard or fuzzy term: its most frequent expansions (bounded), scored as
        Whoosh does: one expansion as a term; several as an OR, of constant scores (the term
        frequency times the boost) unless the query asks for BM25."""
        reader = self.searcher.reader()
        found = []
        for fieldname, btext in q.expanded_terms(reader):
            text = btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
            found.append((reader.doc_frequency(fieldname, btext), fieldname, text))
        found.sort(key=lambda x: -x[0])
        # The quote text's lexicon is big; the other fields' (dates, names) are small and a
        # date:2023* must not lose days.
        bound = EXPLICIT_PREFIX_TERMS if q.field() == "text" else OTHER_FIELD_TERMS
        boost = float(getattr(q, "boost", 1.0))
        parts = [self._term(f, t, boost, positive) for _, f, t in found[:bound]]
        if len(parts) > 1 and getattr(q, "constantscore", False):
            for part, (_, f, t) in zip(parts, found, strict=False):
                ids, tfs = self.postings(f, t)
                keep = self.mask[ids]
                part.scores = (tfs[keep] * boost).astype(np.float32)
        return union(parts, self.columns.n)

    def _null(self, q: wq.Query, positive: bool) -> Match:
        return Match.empty()

    def _Every(self, q: wq.Every, positive: bool) -> Match:
        return self.all_live()

    # Compounds.

    def _And(self, q: wq.And, positive: bool) -> Match:
        positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negatives = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        matches = [self.run(c, positive) for c in positives] or [self.all_live()]
        result = intersect(matches)
        for neg in negatives:
            result = subtract(result, self.run(neg, not positive))
        if negatives:
            # Whoosh matches a NOT as every other document, scoring NOT_SCORE each.
            result = Match(result.ids, result.scores + np.float32(NOT_SCORE * len(negatives)))
        return _boost(result, q.boost)

    def _Or(self, q: wq.Or, positive: bool) -> Match:
        return _boost(union([self.run(c, positive) for c in q.subqueries], self.columns.n), q.boost)

    def _DisjunctionMax(self, q: wq.DisjunctionMax, positive: bool) -> Match:
        """The best of its parts: the words a prefix or a pattern stands for."""
        parts = [self.run(c, positive) for c in q.subqueries]
        return _boost(union(parts, self.columns.n, best=True), q.boost)

    def _Not(self, q: wq.Not, positive: bool) -> Match:
        rest = subtract(self.all_live(), self.run(q.query, not positive))
        return Match(rest.ids, np.full(len(rest.ids), NOT_SCORE, np.float32))

    def _AndNot(self, q: wq.AndNot, positive: bool) -> Match:
        return subtract(self.run(q.a, positive), self.run(q.b, not positive))

    def _AndMaybe(self, q: wq.AndMaybe, positive: bool) -> Match:
        required = self.run(q.a, positive)
        optional = self.run(q.b, positive)
        both = intersect([required, optional])
        scores = required.scores.copy()
        pos = np.searchsorted(required.ids, both.ids)
        scores[pos] = both.scores
        return Match(required.ids, scores)

    def _Require(self, q: wq.Require, positive: bool) -> Match:
        scored = self.run(q.a, positive)
        mask = self.run(q.b, positive)
        keep = np.isin(scored.ids, mask.ids, assume_unique=True)
        return Match(scored.ids[keep], scored.scores[keep])

    def _Otherwise(self, q: wq.Otherwise, positive: bool) -> Match:
        first = self.run(q.a, positive)
        return first if len(first) else self.run(q.b, positive)

    _dispatch: ClassVar[list[tuple[type, Callable[..., Match]]]] = []

    def _whoosh(self, q: wq.Query, positive: bool) -> Match:
        """Phrases, ranges and the rest: Whoosh's own matcher, scored by Whoosh."""
        if positive:
            for fieldname, btext in q.iter_all_terms() if hasattr(q, "iter_all_terms") else []:
                if fieldname == "text":
                    text = btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
                    self.matched_terms[text] = None
        matcher = q.matcher(self.searcher)
        ids: list[int] = []
        scores: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        order = np.argsort(np.array(ids, dtype=np.int32), kind="stable")
        return Match(
            np.array(ids, dtype=np.int32)[order], np.array(scores, dtype=np.float32)[order]
        )


# Most specific classes first: DisjunctionMax and friends subclass the compounds.
Evaluator._dispatch = [
    (type(wq.NullQuery), Evaluator._null),
    (wq.Term, Evaluator._Term),
    (wq.MultiTerm, Evaluator._MultiTerm),
    (wq.Every, Evaluator._Every),
    (wq.Not, Evaluator._Not),
    (wq.AndNot, Evaluator._AndNot),
    (wq.AndMaybe, Evaluator._AndMaybe),
    (wq.Require, Evaluator._Require),
    (wq.Otherwise, Evaluator._Otherwise),
    (wq.And, Evaluator._And),
    (wq.Or, Evaluator._Or),
    (wq.DisjunctionMax, Evaluator._DisjunctionMax),
]


def _boost(m: Match, boost: float) -> Match:
    return m if boost == 1.0 else Match(m.ids, m.scores * boost)


def intersect(matches: list[Match]) -> Match:
    """Docs in every match; scores summed."""
    matches = sorted(matches, key=len)
    result = matches[0]
    for other in matches[1:]:
        if not len(result):
            break
        pos = np.searchsorted(other.ids, result.ids)
        pos[pos >= len(other.ids)] = 0
        hit = other.ids[pos] == result.ids if len(other.ids) else np.zeros(len(result), bool)
        result = Match(result.ids[hit], result.scores[hit] + other.scores[pos[hit]])
    return result


def union(matches: list[Match], n: int, best: bool = False) -> Match:
    """Docs in any match; scores summed, or with `best` the highest one kept."""
    matches = [m for m in matches if len(m)]
    if not matches:
        return Match.empty()
    if len(matches) == 1:
        return matches[0]
    total = sum(len(m) for m in matches)
    if total * 8 > n:
        # Dense accumulation: O(n) but no sort.
        acc = np.zeros(n, np.float32)
        seen = np.zeros(n, bool)
        for m in matches:
            if best:
                _max_into(acc, m)
            else:
                acc[m.ids] += m.scores
            seen[m.ids] = True
        ids = np.flatnonzero(seen).astype(np.int32)
        return Match(ids, acc[ids])
    ids = np.concatenate([m.ids for m in matches])
    scores = np.concatenate([m.scores for m in matches])
    if best:
        order = np.lexsort((-scores, ids))
        ids, scores = ids[order], scores[order]
        first = np.ones(len(ids), bool)
        first[1:] = ids[1:] != ids[:-1]
        return Match(ids[first].astype(np.int32), scores[first])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Match(unique.astype(np.int32), np.bincount(inverse, weights=scores).astype(np.float32))


def _max_into(acc: np.ndarray, m: Match) -> None:
    # Each match's ids are unique, so plain fancy indexing is safe (no `np.maximum.at`).
    acc[m.ids] = np.maximum(acc[m.ids], m.scores)


def subtract(a: Match, b: Match) -> Match:
    if not len(a) or not len(b):
        return a
    keep = ~np.isin(a.ids, b.ids, assume_unique=True)
    return Match(a.ids[keep], a.scores[keep])
