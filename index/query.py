"""From what the user typed to matching docnums and scores.

`parse_query` turns the text into a Whoosh query tree: Whoosh's query syntax when the text is well
formed, else its plain words (with a note saying so). The last word being typed, and any
`prefix*` on the quote text, expand to the most frequent words of the unstemmed lexicon that start
with it (at most `PREFIX_TERMS`/`EXPLICIT_PREFIX_TERMS`), mapped to their stems: a bounded
expansion instead of Whoosh's unbounded `Prefix`, which also misses stems ("negotia*" must find
"negotiations", whose stem is "negoti").

`Evaluator` runs the tree over posting lists cached as numpy arrays, scoring with the same BM25F
formula as Whoosh. Node types it does not know (phrases, spans, ranges) fall back to Whoosh's own
matchers.
"""

from __future__ import annotations

import bisect
import fnmatch
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    QueryParser,
    SingleQuotePlugin,
)
from whoosh.searching import Searcher
from whoosh.spelling import ListCorrector

from .columns import Columns
from .postings import raw_postings
from .schema import QUERY_FIELDS

if TYPE_CHECKING:
    from .segments import SegmentData

# Expansions of the word being typed: enough for any realistic prefix of 3+ letters, few enough
# that a one-letter prefix stays cheap.
PREFIX_TERMS = 16
EXPLICIT_PREFIX_TERMS = 64  # "negotia*", fuzzy~ and wildcards
OTHER_FIELD_TERMS = 2048  # date:2023*, speaker:jen*
K1 = 1.2
B = 0.75

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_BINARY = _OPERATORS - {"NOT"}
_FIELD_RE = re.compile(r"(?<![\w\"'])([A-Za-z_][\w]*):")
_WORD_RE = re.compile(r"\w+(?:[.'’]\w+)*")
_SIMPLE = re.compile(r"^[\w\s'’.,;!-]*$")
_LAST_WORD_RE = re.compile(r"(?:(?<=[\s(])|^)(?:([A-Za-z_]\w*):)?(\w+)$")


@dataclass(frozen=True)
class Parsed:
    query: wq.Query | None  # None: match every quote
    note: str = ""
    plain_words: tuple[str, ...] = ()  # bare words, for "did you mean"


def malformation(text: str) -> str:
    """Why `text` is not a well-formed query, or "" when it is."""
    if text.count('"') % 2:
        return "an unbalanced quote"
    for opening, closing, name in (("(", ")", "parenthesis"), ("[", "]", "bracket")):
        depth = 0
        for ch in text:
            if ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth < 0:
                    return f"an unbalanced {name}"
        if depth:
            return f"an unbalanced {name}"
    outside = re.sub(r'"[^"]*"', " phrase ", text)
    tokens = [t for t in re.split(r"[\s()]+", outside) if t]
    for i, token in enumerate(tokens):
        if token not in _OPERATORS:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is None or after in _BINARY or (token in _BINARY and i == 0):
            return f"a lone {token}"
    for match in _FIELD_RE.finditer(outside):
        name = match.group(1)
        if name.lower() not in QUERY_FIELDS:
            return f"an unknown field “{name}:”"
    return ""


class QueryBuilder:
    """Parses queries against one index state (its schema and lexicon)."""

    def __init__(self, searcher: Searcher, columns: Columns) -> None:
        self.searcher = searcher
        self.columns = columns
        self.schema = searcher.schema
        self.text_analyzer: Analyzer = self.schema["text"].analyzer
        parser = QueryParser("text", self.schema, group=AndGroup)
        parser.remove_plugin_class(SingleQuotePlugin)  # apostrophes are words, not quotes
        parser.add_plugin(FuzzyTermPlugin())
        aliases: dict[str, list[str]] = {}
        for alias, name in QUERY_FIELDS.items():
            if alias != name:
                aliases.setdefault(name, []).append(alias)
        parser.add_plugin(FieldAliasPlugin(aliases))
        self.parser = parser
        self._stems: dict[str, str | None] = {}
        self._surfaces: dict[str, list[str]] = {}
        self._corrector: ListCorrector | None = None

    # Words and stems.

    def stem(self, word: str) -> str | None:
        """The `text` field's term for one word (None for a stop word)."""
        cached = self._stems.get(word, "")
        if cached != "":
            return cached
        tokens = [t.text for t in self.text_analyzer(word, mode="query")]
        result = tokens[0] if len(tokens) == 1 else None
        if len(self._stems) > 200_000:
            self._stems.clear()
        self._stems[word] = result
        return result

    def words_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent lexicon words starting with `prefix`."""
        words = self.columns.words
        lo = bisect.bisect_left(words, prefix)
        hi = bisect.bisect_left(words, prefix + "\U0010ffff", lo)
        if hi - lo <= limit:
            return list(words[lo:hi])
        df = self.columns.word_df[lo:hi]
        top = np.argpartition(-df, limit - 1)[:limit]
        top = top[np.lexsort((top, -df[top]))]
        return [words[lo + int(i)] for i in top]

    def surface_words(self, stem: str) -> list[str]:
        """The lexicon's words whose `text` term is `stem` ("negoti" -> "negotiations", ...)."""
        cached = self._surfaces.get(stem)
        if cached is None:
            # Porter stems keep all but the last few letters of their words.
            head = stem[: max(len(stem) - 2, 2)]
            words = self.columns.words
            lo = bisect.bisect_left(words, head)
            hi = bisect.bisect_left(words, head + "\U0010ffff", lo)
            cached = [w for w in words[lo:hi] if self.stem(w) == stem]
            self._surfaces[stem] = cached
        return cached

    def nearest_word(self, word: str) -> str | None:
        """The most frequent lexicon word at the smallest edit distance (1, or 2 for words of
        five letters or more), or None."""
        if self._corrector is None:
            self._corrector = ListCorrector(self.columns.words)
        for distance in (1, 2) if len(word) >= 5 else (1,):
            found = self._corrector.suggest(word, limit=50, maxdist=distance)
            if found:
                return max(found, key=lambda w: (self._df(w), w))
        return None

    def _df(self, word: str) -> int:
        i = bisect.bisect_left(self.columns.words, word)
        return int(self.columns.word_df[i]) if i < len(self.columns.words) else 0

    def has_word(self, word: str) -> bool:
        words = self.columns.words
        i = bisect.bisect_left(words, word)
        return i < len(words) and words[i] == word

    def _text_terms(self, words: Iterable[str], pattern: str, boost: float = 1.0) -> wq.Query:
        """An OR of the stems of `words`, which expand `pattern`.

        No words at all: a term that matches nothing (the pattern itself). Only stop words:
        NullQuery, which narrows nothing (as a stop word typed in full would not).
        """
        words = list(words)
        if not words:
            return wq.Term("text", pattern)
        stems = []
        for word in words:
            stem = self.stem(word)
            if stem is not None and stem not in stems:
                stems.append(stem)
        if not stems:
            return wq.NullQuery
        terms = [wq.Term("text", s, boost=boost) for s in stems]
        # One typed word stands for one of these: a quote scores by its best, not their sum
        # (a long transcript with ten of them would otherwise top every list).
        return terms[0] if len(terms) == 1 else wq.DisjunctionMax(terms)

    def prefix_query(self, fieldname: str, prefix: str, limit: int) -> wq.Query:
        """A bounded expansion of `prefix` in one field."""
        prefix = prefix.lower()
        if fieldname == "text":
            return self._text_terms(self.words_with_prefix(prefix, limit), prefix)
        if fieldname not in self.schema:
            return wq.NullQuery
        reader = self.searcher.reader()
        found = []
        for btext, info in reader.iter_prefix(fieldname, prefix):
            found.append((info.doc_frequency(), btext.decode("utf-8")))
            if len(found) >= limit * 8:
                break
        found.sort(key=lambda x: (-x[0], x[1]))
        terms = [wq.Term(fieldname, t) for _, t in found[:limit]]
        if not terms:
            return wq.Term(fieldname, prefix)
        return terms[0] if len(terms) == 1 else wq.DisjunctionMax(terms)

    # Parsing.

    def parse(self, text: str, *, prefix_last: bool = True) -> Parsed:
        text = text.strip() if not prefix_last else text.lstrip()
        # A field name being typed ("speaker:") has no value yet: leave it out for now.
        text = re.sub(r"(?:^|(?<=\s))[A-Za-z_]\w*:$", "", text)
        if not text.strip():
            return Parsed(None)
        # The words typed, without operators and field names (for plain-words searches and
        # "did you mean").
        words = tuple(_WORD_RE.findall(_FIELD_RE.sub(" ", _strip_operators(text))))
        reason = malformation(text)
        tree: wq.Query | None = None
        simple = _SIMPLE.match(text) is not None and not _OPERATORS.intersection(text.split())
        if simple:
            # Just words (most keystrokes): Whoosh's parser (~1-3 ms) would give the same AND.
            tree = self._plain(words)
        elif not reason:
            try:
                tree = self.parser.parse(text)
                tree = self._rewrite(tree)
            except Exception:
                tree, reason = None, "a construct the query syntax does not allow"
        note = ""
        if reason:
            note = f"Searched as plain words: the query has {reason}."
            tree = self._plain(words)
        if prefix_last:
            tree = self._prefix_last(text, tree, plain=bool(reason) or simple)
        if tree is wq.NullQuery:
            # Only stop words (or operators): nothing to narrow by.
            return Parsed(None, note, words)
        return Parsed(tree, note, words)

    def _plain(self, words: Iterable[str]) -> wq.Query:
        """Every word required (an AND), analysed like the quote text."""
        terms = []
        for token in self.text_analyzer(" ".join(words), mode="query"):
            if token.text not in (t.text for t in terms):
                terms.append(wq.Term("text", token.text))
        if not terms:
            return wq.NullQuery
        return terms[0] if len(terms) == 1 else wq.And(terms)

    def _prefix_last(self, text: str, tree: wq.Query, *, plain: bool) -> wq.Query:
        """Treat the word at the end of `text` (still being typed) as a prefix."""
        match = _LAST_WORD_RE.search(text)
        if not match or text[: match.start()].count('"') % 2:  # nothing typed, or in a phrase
            return tree
        typed_field = (match.group(1) or "").lower()
        if typed_field and typed_field not in QUERY_FIELDS:
            return tree
        fieldname = "text" if plain else QUERY_FIELDS.get(typed_field, "text")
        word = match.group(2).lower()
        if fieldname == "text":
            # The word may already be whole: its own stem matches the other forms of it
            # ("allies" finds "Ally") that no word starting with "allies" would.
            expansion = self._text_terms([word, *self.words_with_prefix(word, PREFIX_TERMS)], word)
        else:
            expansion = self.prefix_query(fieldname, word, PREFIX_TERMS)
        if plain:
            # Plain-words trees carry no char offsets: rebuild with the last word expanded.
            rest = self._plain(_WORD_RE.findall(_strip_operators(text[: match.start(2)])))
            return _and([rest, expansion])
        expected = self.stem(word) if fieldname == "text" else word
        target = None
        for leaf in tree.leaves():
            if (
                isinstance(leaf, wq.Term)
                and leaf.fieldname == fieldname
                and leaf.text == expected
                and getattr(leaf, "endchar", None) in (match.end(2), None)
            ):
                target = leaf
        if target is None:
            # The analyzer dropped the word (a stop word, one letter): AND the expansion in.
            return _and([tree, expansion])

        def swap(node: wq.Query) -> wq.Query:
            if node is target:
                return _boosted(expansion, node.boost)
            return node.apply(swap)

        return swap(tree).normalize()

    def _rewrite(self, node: wq.Query) -> wq.Query:
        """Bounded, stem-aware expansions of `prefix*` and wildcards on the quote text."""
        if isinstance(node, wq.Prefix) and node.fieldname == "text":
            return _boosted(self.prefix_query("text", node.text, EXPLICIT_PREFIX_TERMS), node.boost)
        if isinstance(node, wq.Wildcard) and node.fieldname == "text":
            pattern = node.text.lower()
            head = re.split(r"[*?]", pattern, maxsplit=1)[0]
            candidates = [
                w for w in self.words_with_prefix(head, 100_000) if fnmatch.fnmatchcase(w, pattern)
            ]
            candidates.sort(key=lambda w: -int(self.columns.word_df[self._word_pos(w)]))
            return _boosted(
                self._text_terms(candidates[:EXPLICIT_PREFIX_TERMS], pattern), node.boost
            )
        if hasattr(node, "apply") and not isinstance(node, wq.Term):
            return node.apply(self._rewrite)
        return node

    def _word_pos(self, word: str) -> int:
        return bisect.bisect_left(self.columns.words, word)


def _ends_in_not(text: str, pos: int) -> bool:
    return text[:pos].rstrip().endswith("NOT")


def _strip_operators(text: str) -> str:
    return re.sub(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b", " ", text)


def _and(parts: list[wq.Query]) -> wq.Query:
    parts = [q for q in parts if q is not wq.NullQuery]
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.And(parts).normalize()


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    """`q` with its boost multiplied by `boost`."""
    if boost == 1.0 or q is wq.NullQuery:
        return q
    q = q.copy()
    q.boost = q.boost * boost
    return q


# Evaluation.


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
                ids_parts.append(found[0] + offset if offset else found[0])
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
        reader = self.searcher.reader()
        found = []
        for fieldname, btext in q.expanded_terms(reader):
            text = btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
            found.append((reader.doc_frequency(fieldname, btext), fieldname, text))
        found.sort(key=lambda x: -x[0])
        # The quote text's lexicon is big; the other fields' (dates, names) are small and a
        # date:2023* must not lose days.
        bound = EXPLICIT_PREFIX_TERMS if q.field() == "text" else OTHER_FIELD_TERMS
        parts = [self._term(f, t, q.boost, positive) for _, f, t in found[:bound]]
        return union(parts, self.columns.n, best=True)

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
        return _boost(result, q.boost)

    def _Or(self, q: wq.Or, positive: bool) -> Match:
        return _boost(union([self.run(c, positive) for c in q.subqueries], self.columns.n), q.boost)

    def _DisjunctionMax(self, q: wq.DisjunctionMax, positive: bool) -> Match:
        """The best of its parts: the words a prefix or a pattern stands for."""
        parts = [self.run(c, positive) for c in q.subqueries]
        return _boost(union(parts, self.columns.n, best=True), q.boost)

    def _Not(self, q: wq.Not, positive: bool) -> Match:
        return subtract(self.all_live(), self.run(q.query, not positive))

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
