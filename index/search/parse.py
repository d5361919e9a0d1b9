"""From what the user typed to a Whoosh query tree.

`QueryBuilder` turns the text into a Whoosh query tree: Whoosh's query syntax when the text is well
formed, else its plain words (with a note saying so). The last word being typed, and any
`prefix*` on the quote text, expand to the most frequent words of the unstemmed lexicon that start
with it (at most `PREFIX_TERMS`/`EXPLICIT_PREFIX_TERMS`), mapped to their stems: a bounded
expansion instead of Whoosh's unbounded `Prefix`, which also misses stems ("negotia*" must find
"negotiations", whose stem is "negoti").
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

from ..store.columns import Columns
from ..store.schema import QUERY_FIELDS
from ..store.whoosh_compat import derive_tokenizer, token_pattern

if TYPE_CHECKING:
    from ..store.segments import SegmentData
    from .speakers import SpeakerLookup

# Expansions of the word being typed: enough for any realistic prefix of 3+ letters, few enough
# that a one-letter prefix stays cheap.
PREFIX_TERMS = 16
EXPLICIT_PREFIX_TERMS = 64  # "negotia*", fuzzy~ and wildcards
OTHER_FIELD_TERMS = 2048  # date:2023*, speaker:jen*
WILDCARD_SCAN = 20_000  # "*ation": the most frequent words scanned for a match

# What a query may be: longer is cut, with a note (no real query needs more; a pasted page or a
# 10,000-letter word must not freeze the app).
MAX_QUERY_CHARS = 1000
MAX_WORD_CHARS = 60
_LONG_WORD = re.compile(rf"\w{{{MAX_WORD_CHARS + 1},}}")


def bound_query(text: str) -> tuple[str, str]:
    """The query within the limits, and a note saying what was cut ("" when nothing)."""
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_QUERY_CHARS // 2 else cut
        notes.append(f"The query was cut to its first {len(text)} characters.")
    if _LONG_WORD.search(text):
        text = _LONG_WORD.sub(lambda m: m.group()[:MAX_WORD_CHARS], text)
        notes.append(f"Words longer than {MAX_WORD_CHARS} letters were cut.")
    return text, " ".join(notes)


# Plain words are also looked for in these fields, at this weight against the quote text's.
_METADATA_FIELDS = ("speaker", "role", "topic", "country", "region")
METADATA_BOOST = 0.1
METADATA_PREFIX = 3  # a shorter word being typed expands in the quote text only

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

    def __init__(
        self,
        searcher: Searcher,
        columns: Columns,
        speakers: SpeakerLookup | None = None,
        segments: Sequence[tuple[SegmentData, int]] = (),
    ) -> None:
        self.searcher = searcher
        self.segments = segments
        self.columns = columns
        self.speakers = speakers
        self.schema = searcher.schema
        self.text_analyzer: Analyzer = self.schema["text"].analyzer
        # How the quote text splits into words: its analyzer's own pattern.
        self.token = token_pattern(self.text_analyzer) or re.compile(r"\w+")
        # The same analyzer as plain functions (the index's writer makes its terms with it):
        # a word's stem without Whoosh's generator chain (2 µs against 10).
        self.tokenizer = derive_tokenizer(self.text_analyzer)
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
        self._field_terms: dict[str, tuple[list[str], list[int]]] = {}
        self._corrector: ListCorrector | None = None
        self._term_corrector: ListCorrector | None = None

    # Words and stems.

    def stem(self, word: str) -> str | None:
        """The `text` field's term for one word (None for a stop word)."""
        cached = self._stems.get(word, "")
        if cached != "":
            return cached
        known = self.columns.word_stems
        if known is not None:
            i = bisect.bisect_left(self.columns.words, word)
            if i < len(known) and self.columns.words[i] == word:
                return known[i] or None  # (the builder's, for the lexicon's words)
        if self.tokenizer is not None:
            term = self.tokenizer.term
            tokens = [t for t in map(term, self.tokenizer.split(word)) if t is not None]
        else:
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
            known = self.columns.word_stems
            if known is not None:  # the builder's stems: no stemming here
                cached = [w for w, s in zip(words[lo:hi], known[lo:hi], strict=True) if s == stem]
            else:
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
        if fieldname in _METADATA_FIELDS:
            found = self._metadata_prefix(fieldname, prefix, limit)
        else:
            found = []
            for btext, info in self.searcher.reader().iter_prefix(fieldname, prefix):
                found.append((info.doc_frequency(), btext.decode("utf-8")))
                if len(found) >= limit * 8:
                    break
            found.sort(key=lambda x: (-x[0], x[1]))
        terms = [wq.Term(fieldname, t) for _, t in found[:limit]]
        if not terms:
            return wq.Term(fieldname, prefix)
        return terms[0] if len(terms) == 1 else wq.DisjunctionMax(terms)

    def _metadata_prefix(self, fieldname: str, prefix: str, limit: int) -> list[tuple[int, str]]:
        """The `limit` most frequent terms of a metadata field starting with `prefix`, as
        (document frequency, term). The field's few terms are read once a state: Whoosh's
        prefix walk merges every segment's terms at each keystroke (a third of its time)."""
        table = self._field_terms.get(fieldname)
        if table is None:
            df = self._cached_field_df(fieldname)
            if df is None:
                df = {}
                for leaf in self.searcher.reader().leaf_readers():
                    for btext, info in leaf[0].iter_field(fieldname):
                        term = btext.decode("utf-8")
                        df[term] = df.get(term, 0) + info.doc_frequency()
            ordered = sorted(df)  # code point order is the terms' own (UTF-8 byte) order
            table = self._field_terms[fieldname] = (ordered, [df[t] for t in ordered])
        terms, freqs = table
        lo = bisect.bisect_left(terms, prefix)
        hi = bisect.bisect_left(terms, prefix + "\U0010ffff", lo)
        found = sorted(zip(freqs[lo:hi], terms[lo:hi], strict=True), key=lambda x: (-x[0], x[1]))
        return found[:limit]

    def _cached_field_df(self, fieldname: str) -> dict[str, int] | None:
        """A name field's terms with their document frequencies (deleted documents counted,
        as Whoosh counts them) from the segments' caches; None when one does not hold it."""
        df: Counter[str] = Counter()
        for data, _ in self.segments:
            cache = data.field_cache(fieldname)
            if cache is None:
                return None
            terms, ptr, _, _ = cache
            df.update(dict(zip(terms, np.diff(ptr).tolist(), strict=True)))
        return dict(df)

    # Parsing.

    def parse(self, text: str, *, prefix_last: bool = True) -> Parsed:
        text, cut = bound_query(text)
        parsed = self._parse(text, prefix_last=prefix_last)
        if cut:
            note = " ".join(n for n in (cut, parsed.note) if n)
            return Parsed(parsed.query, note, parsed.plain_words)
        return parsed

    def _parse(self, text: str, *, prefix_last: bool) -> Parsed:
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
        assert tree is not None  # every branch above parsed something
        if prefix_last:
            tree = self._prefix_last(text, tree, plain=bool(reason) or simple)
        if tree is wq.NullQuery:
            # Only stop words (or operators): nothing to narrow by.
            return Parsed(None, note, words)
        return Parsed(tree, note, words)

    def _plain(self, words: Iterable[str]) -> wq.Query:
        """Every word required (an AND), each found in the quote text or else in the quote's
        speaker (and aliases), role, topics, countries, regions or title; the quote text
        weighs most, so quotes that say the words are listed first."""
        parts: list[wq.Query] = []
        seen: set[str] = set()
        for word in words:
            stem = self.stem(word.lower())
            if stem is None or stem in seen:
                continue  # a stop word, or said twice
            seen.add(stem)
            parts.append(self._anywhere(word.lower(), [wq.Term("text", stem)]))
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _anywhere(self, word: str, text_part: list[wq.Query]) -> wq.Query:
        """`text_part` (the word in the quote text) or the word in the metadata fields."""
        others: list[wq.Query] = [
            wq.Term(field, word, boost=METADATA_BOOST) for field in _METADATA_FIELDS
        ]
        title = self._title_stem(word)
        if title is not None:
            others.append(wq.Term("title", title, boost=METADATA_BOOST))
        return wq.DisjunctionMax([*text_part, *others])

    def _title_stem(self, word: str) -> str | None:
        tokens = [t.text for t in self.schema["title"].analyzer(word, mode="query")]
        return tokens[0] if len(tokens) == 1 else None

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
            # Plain-words trees carry no char offsets: rebuild with the last word expanded
            # (in the metadata fields too: "stoltenb" finds his quotes as it is typed).
            rest = self._plain(_WORD_RE.findall(_strip_operators(text[: match.start(2)])))
            if expansion is not wq.NullQuery and len(word) >= METADATA_PREFIX:
                metadata = [self.prefix_query(f, word, PREFIX_TERMS) for f in _METADATA_FIELDS]
                expansion = wq.DisjunctionMax(
                    [expansion, *(_boosted(q, METADATA_BOOST) for q in metadata)]
                )
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
        """Bounded, stem-aware expansions of `prefix*` and wildcards on the quote text; a
        `speaker:` name to every speaker it may mean, under any of their names."""
        if isinstance(node, (wq.Term, wq.Phrase)) and node.fieldname == "speaker":
            typed = node.text if isinstance(node, wq.Term) else " ".join(node.words)
            expanded = self._speaker_query(str(typed), node.boost)
            if expanded is not None:
                return expanded
        if isinstance(node, wq.Prefix) and node.fieldname == "text":
            return _boosted(self.prefix_query("text", node.text, EXPLICIT_PREFIX_TERMS), node.boost)
        if isinstance(node, wq.FuzzyTerm) and node.fieldname == "text":
            return _boosted(self._fuzzy(node), node.boost)
        if isinstance(node, wq.Wildcard) and node.fieldname == "text":
            pattern = node.text.lower()
            head = re.split(r"[*?]", pattern, maxsplit=1)[0]
            candidates = [
                w
                for w in self.words_with_prefix(head, WILDCARD_SCAN)
                if fnmatch.fnmatchcase(w, pattern)
            ]
            candidates.sort(key=lambda w: -int(self.columns.word_df[self._word_pos(w)]))
            return _boosted(
                self._text_terms(candidates[:EXPLICIT_PREFIX_TERMS], pattern), node.boost
            )
        if hasattr(node, "apply") and not isinstance(node, wq.Term):
            return node.apply(self._rewrite)
        return node

    def _speaker_query(self, typed: str, boost: float) -> wq.Query | None:
        """The exact speaker values (`spk`) of every speaker `typed` may mean, or None."""
        if self.speakers is None:
            return None
        ids = self.speakers.loose(typed)
        if not ids:
            return None
        cols = self.columns
        terms: list[wq.Query] = []
        for sid in ids:
            aliases = cols.speaker_aliases[sid] if sid < len(cols.speaker_aliases) else ()
            for name in (cols.speakers[sid], *aliases):
                terms.append(wq.Term("spk", name, boost=boost))
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _fuzzy(self, node: wq.FuzzyTerm) -> wq.Query:
        """`word~` (its text already stemmed): the terms within its edit distance, the most
        frequent EXPLICIT_PREFIX_TERMS, instead of Whoosh's unbounded expansion."""
        term = str(node.text)
        if self._term_corrector is None:
            self._term_corrector = ListCorrector(self._text_terms_sorted())
        near = self._term_corrector.suggest(
            term,
            limit=EXPLICIT_PREFIX_TERMS,
            maxdist=min(int(node.maxdist), 2),
            prefix=int(node.prefixlength),
        )
        df = {t: n for t in (term, *near) if (n := self._text_df(t))}
        ranked = sorted(df, key=lambda t: (-df[t], t))
        terms = [wq.Term("text", t) for t in ranked[:EXPLICIT_PREFIX_TERMS]]
        if not terms:
            return wq.Term("text", term)
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _text_terms_sorted(self) -> list[str]:
        """Every `text` term of the index, sorted: from the segment caches' term dictionaries
        (Whoosh merges its segments' term files a term at a time: 0.7 s at a million quotes,
        against 9 ms)."""
        if self.segments:
            return sorted(set().union(*(data.terms for data, _ in self.segments)))
        return [t.decode("utf-8") for t in self.searcher.reader().lexicon("text")]

    def _text_df(self, term: str) -> int:
        """A `text` term's document frequency as Whoosh counts it (deleted docs included)."""
        if self.segments:
            found = (data.postings(term) for data, _ in self.segments)
            return sum(len(postings[0]) for postings in found if postings is not None)
        reader = self.searcher.reader()
        key = term.encode("utf-8")
        return reader.doc_frequency("text", key) if ("text", key) in reader else 0

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
    boosted: Any = q  # every query class but the base declares `boost`
    boosted.boost = boosted.boost * boost
    return q


# Evaluation.
