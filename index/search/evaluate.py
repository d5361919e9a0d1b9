"""From a Whoosh query tree to matching docnums and scores.

`Evaluator` runs the tree over posting lists cached as numpy arrays, scoring with the same BM25F
formula as Whoosh (its quantised field lengths, its 1.0 for each document a NOT matches, its
constant scores for a multi-term expansion). Node types it does not know (phrases, spans,
ranges) fall back to Whoosh's own matchers. tests/index/test_oracle.py holds the hit sets to
Whoosh's `Searcher`'s, and the scores of quote-text terms to within 1e-4. The one difference:
a term of another field (speaker, topic, ...) is scored without length normalisation.

Typing repeats almost the same query keystroke after keystroke, so the work is arranged to be
reused or avoided, never to change a result: a term's whole postings (and, once computed, the
score of each) stay in the per-state `PostingsCache`; an AND's parts run smallest first, each
later one only among the docs matched so far (`candidates`: looked up when few, masked when
many); a typed prefix's words are scored over whole lists and filtered once when the filters
keep most docs. tests/index/test_search_paths.py holds every path to the plain one.
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
from ..store.segments import NAME_FIELDS
from ..store.whoosh_compat import raw_postings
from .parse import EXPLICIT_PREFIX_TERMS, OTHER_FIELD_TERMS

if TYPE_CHECKING:
    from ..store.segments import SegmentData

K1 = 1.2
B = 0.75
# What Whoosh's InverseMatcher scores each document a NOT matches with.
NOT_SCORE = 1.0
# A binary search per candidate costs about as much as masking this many postings.
_LOOKUP_COST = 16
# At most this many postings of a prefix's words are combined whole within filters that keep
# few docs (a few ms): at 1M quotes a first letter's words (~50 ms combined, ~5 ms filtered)
# made the slowest keystrokes slower for a gain later. Measured in turns on the benchmark's
# keystrokes: p95 0.83x at 1M with this bound, unchanged at 100k (where such lists are short).
_COMBINE_FEW_MAX = 1 << 18


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

    def where(self, keep: np.ndarray) -> Match:
        """The matches where `keep` (a bool per match) is true."""
        ids, scores = kept(keep, self.ids, self.scores)
        return Match(ids, scores)


def kept(keep: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each of `arrays` where `keep` is true, as `array[keep]` gives it: the places found once
    and gathered (numpy's boolean indexing costs ~5x more on a mask that mixes trues and
    falses, as filters do: 7.5 against 1.4 ms for two arrays of 900k postings)."""
    at = np.flatnonzero(keep)
    return tuple(a.take(at) for a in arrays)


@dataclass
class PostingsCache:
    """(field, term) -> (docnums, term frequencies), least recently used dropped past a budget;
    and the quote text's length normalisation per document, computed once per index state."""

    budget_bytes: int = 256 * 1024 * 1024
    _items: OrderedDict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=OrderedDict
    )
    _sizes: dict[tuple[str, ...], int] = field(default_factory=dict)
    _bytes: int = 0
    _norms: tuple[float, np.ndarray] | None = None
    _asked: OrderedDict[tuple[str, ...], None] = field(default_factory=OrderedDict)

    def length_norms(self, lengths: np.ndarray, avg_length: float) -> np.ndarray:
        """BM25's K1 * ((1 - B) + B * length / avg_length) for every document, in float32 and
        in that order of operations: a term's scores come out bit for bit as when computed
        over its own postings."""
        if self._norms is None or self._norms[0] != avg_length:
            norms = K1 * ((1 - B) + B * np.asarray(lengths, np.float32) / avg_length)
            self._norms = (avg_length, norms)
        return self._norms[1]

    def first_ask(self, key: tuple[str, ...]) -> bool:
        """Whether `key` is asked for the first time (remembered for the last few thousand)."""
        if key in self._asked:
            return False
        self._asked[key] = None
        if len(self._asked) > 4096:
            self._asked.popitem(last=False)
        return True

    def get(self, key: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(
        self, key: tuple[str, ...], value: tuple[np.ndarray, np.ndarray], shared: bool = False
    ) -> None:
        """Keep `value`; with `shared`, its docnums are those of an entry already kept (the
        same array), so only the second array counts."""
        size = value[1].nbytes + (0 if shared else value[0].nbytes)
        self._bytes -= self._sizes.get(key, 0)
        self._items[key] = value
        self._sizes[key] = size
        self._bytes += size
        while self._bytes > self.budget_bytes and len(self._items) > 1:
            old, _ = self._items.popitem(last=False)
            self._bytes -= self._sizes.pop(old)


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
        self.filter_mask = self.mask
        # Within an AND, the docs its first part matched (sorted), when few: the other parts
        # then look those up in their postings instead of reading all of them.
        self.candidates: np.ndarray | None = None
        self._universe: Match | None = None
        self._density: tuple[np.ndarray, float] | None = None
        reader = searcher.reader()
        self.doc_count = max(reader.doc_count_all(), 1)
        self.avg_length = max(searcher.avg_field_length("text", 1.0) or 1.0, 1e-6)
        # Quote-text stems matched outside a NOT, for highlighting, with the docs that have
        # them (None when not known, e.g. a phrase's words). Those docs are the term's whole
        # posting list: a shown quote is within the filters anyway.
        self.matched_terms: dict[str, np.ndarray | None] = {}

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One term's postings over the whole index (docnums ascending, term frequencies),
        kept in the cache: a typed word's expansions come back keystroke after keystroke."""
        key = (fieldname, text)
        value = self.cache.get(key)
        if value is None:
            found = self._segment_postings(fieldname, text) if self.segments else None
            value = found if found is not None else read_postings(self.searcher, fieldname, text)
            self.cache.put(key, value)
        return value

    def _segment_postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """One term's postings from every segment's cache, copied once into arrays of their
        own (no temporaries: at a million quotes a frequent word has 300k postings); None when
        a segment's cache does not hold the field."""
        parts = []
        for data, offset in self.segments:
            if fieldname == "text":
                found = data.postings(text)
            elif fieldname in NAME_FIELDS:
                found = data.field_postings(fieldname, text)
                if found is None:
                    return None
            else:
                return None
            if found is not None and len(found[0]):
                parts.append((found, offset))
        if not parts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        total = sum(len(found[0]) for found, _ in parts)
        ids = np.empty(total, np.int32)
        # (term frequencies kept as stored, uint8 mostly: scoring widens the few it needs)
        tfs = np.empty(total, np.result_type(*(found[1].dtype for found, _ in parts)))
        at = 0
        for (local, freqs), offset in parts:
            end = at + len(local)
            # (local docnums may be stored as uint16: widened and offset in one pass)
            np.add(local, np.int32(offset), out=ids[at:end])
            tfs[at:end] = freqs
            at = end
        return ids, tfs

    def all_live(self) -> Match:
        """Every doc within the filters (and the AND's candidates)."""
        if self._universe is None:
            if self.candidates is not None:
                ids = self.candidates
            else:
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

    def _term(
        self, fieldname: str, text: str, boost: float, positive: bool, constant: bool = False
    ) -> Match:
        """One term's docs within the filters, BM25-scored (or with `constant`, scored by its
        term frequency times the boost, as Whoosh scores a multi-term expansion)."""
        all_ids, tfs = self.postings(fieldname, text)
        if not len(all_ids):
            return Match.empty()
        # The scores of every posting, when already known.
        scored = None if constant or boost != 1.0 else self.cache.get((fieldname, text, "bm25"))
        values = scored[1] if scored is not None else tfs
        candidates = self.candidates
        if candidates is not None and len(candidates) * _LOOKUP_COST < len(all_ids):
            # Few candidates: look each up (the same docs as masking every posting).
            ids, values = _look_up(all_ids, values, candidates)
        else:
            keep = self.mask[all_ids]
            ids, values = kept(keep, all_ids, values)
        if positive and fieldname == "text":
            self.matched_terms[text] = all_ids
        if scored is not None:
            return Match(ids, values)
        if constant:
            return Match(ids, (values.astype(np.float32, copy=False) * boost).astype(np.float32))
        return Match(ids, self._bm25(fieldname, ids, values, len(all_ids), boost))

    def _Term(self, q: wq.Term, positive: bool) -> Match:
        text = _term_text(q)
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
        constant = len(found[:bound]) > 1 and bool(getattr(q, "constantscore", False))
        parts = [self._term(f, t, boost, positive, constant) for _, f, t in found[:bound]]
        return union(parts, self.columns.n)

    def _null(self, q: wq.Query, positive: bool) -> Match:
        return Match.empty()

    def _Every(self, q: wq.Every, positive: bool) -> Match:
        return self.all_live()

    # Compounds.

    def _And(self, q: wq.And, positive: bool) -> Match:
        """The parts, the one likely to match fewest docs first; each next part only looks
        among the docs matched so far (the same hits as intersecting whole lists: a two-word
        query's second word, typed as a one-letter prefix, touches the first word's few docs,
        not its expansions' hundreds of thousands)."""
        positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negatives = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        matches: list[Match] = [Match.empty()] * len(positives)
        order = sorted(range(len(positives)), key=lambda i: self._estimate(positives[i]))
        saved = self._narrowing()
        try:
            for k, i in enumerate(order):
                matches[i] = self.run(positives[i], positive)
                if k < len(order) - 1 or negatives:
                    self._narrow(matches[i])
            result = intersect(matches) if matches else self.all_live()
            # (Under the narrowing: a NOT looks only at the docs left.)
            for neg in negatives:
                result = subtract(result, self.run(neg, not positive))
        finally:
            self._restore(saved)
        if negatives:
            # Whoosh matches a NOT as every other document, scoring NOT_SCORE each.
            result = Match(result.ids, result.scores + np.float32(NOT_SCORE * len(negatives)))
        return _boost(result, q.boost)

    def _estimate(self, q: wq.Query) -> int:
        """About how many docs `q` matches, from its terms' posting lists (read now, and
        cached for the evaluation that follows); the doc count when not known."""
        if isinstance(q, wq.Term):
            text = _term_text(q)
            return len(self.postings(q.fieldname, text)[0])
        if isinstance(q, (wq.Or, wq.DisjunctionMax)) and type(q) in (wq.Or, wq.DisjunctionMax):
            return min(sum(self._estimate(c) for c in q.subqueries), self.doc_count)
        if isinstance(q, wq.And) and type(q) is wq.And:
            found = [self._estimate(c) for c in q.subqueries if not isinstance(c, wq.Not)]
            return min(found, default=self.doc_count)
        if q is wq.NullQuery:
            return 0
        return self.doc_count

    def _narrowing(self) -> tuple[np.ndarray, np.ndarray | None, Match | None]:
        return self.mask, self.candidates, self._universe

    def _restore(self, saved: tuple[np.ndarray, np.ndarray | None, Match | None]) -> None:
        self.mask, self.candidates, self._universe = saved

    def _narrow(self, match: Match) -> None:
        """Evaluate what follows only among `match`'s docs (found within the current ones)."""
        mask = np.zeros(len(self.mask), bool)
        mask[match.ids] = True
        self.mask, self.candidates, self._universe = mask, match.ids, None

    def _Or(self, q: wq.Or, positive: bool) -> Match:
        return _boost(union([self.run(c, positive) for c in q.subqueries], self.columns.n), q.boost)

    def _DisjunctionMax(self, q: wq.DisjunctionMax, positive: bool) -> Match:
        """The best of its parts: the words a prefix or a pattern stands for."""
        words = [c for c in q.subqueries if type(c) is wq.Term and c.fieldname == "text"]
        if len(words) == len(q.subqueries) > 1:
            best = self._best_of_words(words, positive)
            if best is not None:
                return _boost(best, q.boost)
        parts = [self.run(c, positive) for c in q.subqueries]
        return _boost(union(parts, self.columns.n, best=True), q.boost)

    def _best_of_words(self, words: list[wq.Term], positive: bool) -> Match | None:
        """Each doc's best score among these quote-text terms, computed once over their whole
        posting lists and kept (a typed prefix's words come back with other filters, other
        words, the next keystroke's facets), then filtered: the same docs and scores as
        `union(best=True)` of filtered terms. None (filter each word instead) when they are not
        kept yet and `_combine_whole` says not now."""
        texts = [_term_text(w) for w in words]
        key = ("best of", *(f"{t}\x00{w.boost!r}" for t, w in zip(texts, words, strict=True)))
        whole = self.cache.get(key)
        if whole is None:
            if not self._combine_whole(key, texts):
                return None
            pairs = zip(texts, words, strict=True)
            scored = [Match(*self._scored("text", t, w.boost)) for t, w in pairs]
            best = union(scored, self.columns.n, best=True)
            whole = (best.ids, best.scores)
            self.cache.put(key, whole)
        if positive:
            for text in texts:
                ids = self.postings("text", text)[0]
                if len(ids):
                    self.matched_terms[text] = ids
        ids, scores = whole
        candidates = self.candidates
        if candidates is not None and len(candidates) * _LOOKUP_COST < len(ids):
            return Match(*_look_up(ids, scores, candidates))
        keep = self.mask[ids]
        return Match(ids, scores).where(keep)

    def _combine_whole(self, key: tuple[str, ...], texts: list[str]) -> bool:
        """Whether to combine a prefix's words over their whole lists (`_best_of_words`).
        Scoring and combining costs more a posting than masking does, repaid by reuse: done
        at once when the filters keep most docs; when they, or an AND's candidates, keep few
        (a speaker's, a region's), only when asked for again and cheap (`_COMBINE_FEW_MAX`)."""
        if self.candidates is None and self._dense():
            return True
        postings = sum(len(self.postings("text", text)[0]) for text in texts)
        return postings <= _COMBINE_FEW_MAX and not self.cache.first_ask(key)

    def _dense(self) -> bool:
        """Whether the filters leave a quarter of the docs or more."""
        if self._density is None or self._density[0] is not self.mask:
            self._density = (self.mask, np.count_nonzero(self.mask) / max(len(self.mask), 1))
        return self._density[1] >= 0.25

    def _scored(self, fieldname: str, text: str, boost: float) -> tuple[np.ndarray, np.ndarray]:
        """A term's whole posting list with the BM25 score of each (kept when the boost is
        one): computed as `_term` computes them, so the same to the bit."""
        key = (fieldname, text, "bm25")
        if boost == 1.0:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        ids, tfs = self.postings(fieldname, text)
        scores = self._bm25(fieldname, ids, tfs, len(ids), boost)
        if boost == 1.0:
            self.cache.put(key, (ids, scores), shared=True)
        return ids, scores

    def _bm25(
        self, fieldname: str, ids: np.ndarray, tfs: np.ndarray, df: int, boost: float
    ) -> np.ndarray:
        idf = math.log(self.doc_count / (df + 1)) + 1  # from all its docs
        # (idf * boost) * (tfs * (K1 + 1)) / (tfs + K1 * norm), in float32 and in place: the
        # same operations on the same values, so the same scores to the bit. A term of another
        # field has no length normalisation (norm 1).
        tfs = tfs.astype(np.float32, copy=False)
        scores = tfs * (K1 + 1)
        scores *= idf * boost
        if fieldname == "text":
            knorm = self.cache.length_norms(self.columns.length, self.avg_length)[ids]  # a copy
            knorm += tfs
            scores /= knorm
        else:
            scores /= tfs + K1 * 1.0
        return scores

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
        return scored.where(keep)

    def _Otherwise(self, q: wq.Otherwise, positive: bool) -> Match:
        # Whether the first part matches at all is asked within the filters, not among an
        # AND's candidates.
        saved = self._narrowing()
        self.mask, self.candidates, self._universe = self.filter_mask, None, None
        try:
            first = self.run(q.a, positive)
            return first if len(first) else self.run(q.b, positive)
        finally:
            self._restore(saved)

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


def _term_text(term: wq.Term) -> str:
    return term.text.decode("utf-8") if isinstance(term.text, bytes) else str(term.text)


def _boost(m: Match, boost: float) -> Match:
    return m if boost == 1.0 else Match(m.ids, m.scores * boost)


def intersect(matches: list[Match]) -> Match:
    """Docs in every match; scores summed in the matches' order (the query's, whatever the
    filters: the same float32 sums every time)."""
    ids = min(matches, key=len).ids
    for other in sorted(matches, key=len):
        if not len(ids):
            return Match.empty()
        if other.ids is not ids:
            (ids,) = kept(_positions(other.ids, ids) >= 0, ids)
    scores = np.zeros(len(ids), np.float32)
    for m in matches:
        scores += m.scores[_positions(m.ids, ids)]
    return Match(ids, scores)


def _look_up(
    sorted_ids: np.ndarray, values: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Those of `wanted` (sorted) that are in `sorted_ids` (not empty), with their `values`:
    a binary search each."""
    pos = np.searchsorted(sorted_ids, wanted)
    pos[pos >= len(sorted_ids)] = 0
    at = np.flatnonzero(sorted_ids[pos] == wanted)
    return wanted.take(at), values.take(pos.take(at))


def _positions(sorted_ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of `wanted` is in `sorted_ids`, -1 where it is not."""
    if not len(sorted_ids):
        return np.full(len(wanted), -1, np.int64)
    pos = np.searchsorted(sorted_ids, wanted)
    pos[pos >= len(sorted_ids)] = 0
    return np.where(sorted_ids[pos] == wanted, pos, -1)


def union(matches: list[Match], n: int, best: bool = False) -> Match:
    """Docs in any match; scores summed, or with `best` the highest one kept."""
    matches = [m for m in matches if len(m)]
    if not matches:
        return Match.empty()
    if len(matches) == 1:
        return matches[0]
    total = sum(len(m) for m in matches)
    if best:
        return _best_union(matches, n, total)
    if total * 8 > n:
        # Dense accumulation: O(n) but no sort.
        acc = np.zeros(n, np.float32)
        seen = np.zeros(n, bool)
        for m in matches:
            acc[m.ids] += m.scores
            seen[m.ids] = True
        ids = np.flatnonzero(seen).astype(np.int32)
        return Match(ids, acc[ids])
    ids = np.concatenate([m.ids for m in matches])
    scores = np.concatenate([m.scores for m in matches])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Match(unique.astype(np.int32), np.bincount(inverse, weights=scores).astype(np.float32))


def _best_union(matches: list[Match], n: int, total: int) -> Match:
    """Docs in any match, each with its highest score (a max: the same whichever way)."""
    if total * 16 > n:
        # Dense accumulation: O(n) but no sort. (-inf marks the docs no part matched: a score
        # is never -inf.)
        acc = np.full(n, -np.inf, np.float32)
        for m in matches:
            _max_into(acc, m)
        ids = np.flatnonzero(acc != -np.inf).astype(np.int32)
        return Match(ids, acc[ids])
    # The parts' ids are sorted runs, which a stable sort (timsort) merges: at 70k postings
    # ~1.6 ms, where a lexsort by id and score took ~11.
    ids = np.concatenate([m.ids for m in matches])
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    scores = np.concatenate([m.scores for m in matches])[order]
    return Match(ids[starts].astype(np.int32), np.maximum.reduceat(scores, starts))


def _max_into(acc: np.ndarray, m: Match) -> None:
    # Each match's ids are unique, so plain fancy indexing is safe (no `np.maximum.at`).
    acc[m.ids] = np.maximum(acc[m.ids], m.scores)


def subtract(a: Match, b: Match) -> Match:
    if not len(a) or not len(b):
        return a
    keep = ~np.isin(a.ids, b.ids, assume_unique=True)
    return a.where(keep)
