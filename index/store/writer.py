"""Writing quotes into the index fast: one Whoosh segment from a batch of quotes, in bulk.

Whoosh's own writer analyses each field of each document through a chain of generators, pools
every posting as a tuple, sorts the pool and writes it one posting at a time (~500 quotes a
second here). This module does the same work a field at a time over the whole batch: the
field's analyzer, derived into plain string functions (whoosh_compat.derive_tokenizer), maps
each value to terms, numpy groups the terms into posting lists, and
`whoosh_compat.SegmentFiles` writes them in the W3 codec's own format. The result is an
ordinary Whoosh segment (a test compares it, term by term and posting by posting, with what
Whoosh's writer makes of the same quotes).

The same pass yields what search keeps beside each segment (segments.py): the quote text's
postings as arrays, the per-document columns and the unstemmed words, so nothing is read back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from whoosh.index import FileIndex

from ..extract.people import People
from ..grouping.inputs import GroupingInputs
from ..model import QUOTE_KINDS, Quote
from .columns import date_key
from .schema import indexed_values, speaker_value, stored_value
from .whoosh_compat import (
    EXISTENCE,
    POSITIONS,
    SEPARATOR,
    PositionsEncoder,
    SegmentFiles,
    Tokenizer,
    derive_tokenizer,
    posting_kind,
    quantized_lengths,
)

TEXT = "text"
# Quotes a segment holds at most: bounds the builder's memory (about 2 KB a quote while it is
# analysed) whatever the corpus, and lets the search cache keep docnums in 16 bits.
SEGMENT_QUOTES = 65_536


@dataclass
class FieldPostings:
    """One field's postings: term i (sorted) has postings [ptr[i], ptr[i+1])."""

    terms: list[str]
    ptr: np.ndarray  # int64
    docs: np.ndarray  # int32, ascending within a term
    freqs: np.ndarray  # int32
    lengths: np.ndarray  # int64: the field's length in each document (its term count)
    values: list[bytes] | None = None  # each posting's positions, encoded, for phrases


@dataclass
class Analysed:
    """A batch of quotes, analysed: every field's postings and the per-document columns."""

    n: int
    fields: dict[str, FieldPostings]
    columns: dict[str, Any]
    words: Counter[str] = field(default_factory=Counter)
    # Each lexicon word's quote-text term ("" for a stop word), known here for free: search
    # then finds a stem's words (to highlight them) without running the stemmer. Empty when
    # the analyzer is not one whose terms a word's lower case decides.
    word_stems: dict[str, str] = field(default_factory=dict)
    # What grouping compares of each quote, computed here while the quotes are at hand (in a
    # writer worker, on its core) rather than again in the builder.
    grouping: GroupingInputs | None = None


class Analyser:
    """The schema's analyzers, derived once, with their caches (reused across batches)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.tokenizers: dict[str, Tokenizer | None] = {}
        for name in schema.names():
            fieldobj = schema[name]
            if fieldobj.indexed:
                self.tokenizers[name] = derive_tokenizer(fieldobj.analyzer)
        self.encoder = PositionsEncoder()

    def terms(self, name: str, value: str) -> tuple[list[str], Sequence[int]]:
        tokenizer = self.tokenizers.get(name)
        if tokenizer is not None:
            return tokenizer.positions(value)
        # An analyzer with a part derive_tokenizer does not know: run it as Whoosh would.
        analyzer = self.schema[name].analyzer
        tokens = [(t.text, t.pos) for t in analyzer(value, positions=True, mode="index")]
        return [t for t, _ in tokens], [p for _, p in tokens]

    def analyse(self, quotes: Sequence[Quote]) -> Analysed:
        n = len(quotes)
        grouping = GroupingInputs.of(quotes)
        people = People.default()  # once a batch: it looks at the file each time
        values = [indexed_values(q, people) for q in quotes]
        fields_out: dict[str, FieldPostings] = {}
        words: Counter[str] = Counter()
        stems: dict[str, str] = {}
        for name in sorted(self.tokenizers):
            column = [v.get(name, "") for v in values]
            if any(column):
                quote_text = name == TEXT
                fields_out[name] = self._field(
                    name, column, words if quote_text else None, stems if quote_text else None
                )
        text = fields_out.get(TEXT)
        length = (
            quantized_lengths(text.lengths).astype(np.float32)
            if text is not None
            else np.zeros(n, np.float32)
        )
        columns = {
            "speaker": [speaker_value(q) for q in quotes],
            "date": np.array([date_key(q.date) for q in quotes], dtype=np.int32),
            "length": length,
            # Which quotes say the same words (an update finds a new quote's repeats by it).
            "text_hash": grouping.text_hash,
            "kind": np.array([_kind(q.kind) for q in quotes], dtype=np.int8),
            "procedural": np.array([q.procedural for q in quotes], dtype=bool),
            "topics": [q.topics for q in quotes],
            "regions": [q.regions for q in quotes],
            "countries": [q.countries for q in quotes],
        }
        return Analysed(n, fields_out, columns, words, word_stems=stems, grouping=grouping)

    def _field(
        self,
        name: str,
        column: list[str],
        words: Counter[str] | None,
        stems: dict[str, str] | None = None,
    ) -> FieldPostings:
        """One field's postings over the batch; for the quote text, also counts `words` (the
        unstemmed lexicon, each word once a document) and fills `stems` (each word's term).

        Per document only C-speed work runs (the split, a dictionary lookup of each token's
        term id, lowercasing for the lexicon); stop words, positions and posting lists are
        numpy over the whole batch.
        """
        kind = posting_kind(self.schema[name])
        if kind not in (EXISTENCE, POSITIONS):
            raise TypeError(f"field {name!r}: a format the fast writer does not know")
        tokenizer = self.tokenizers.get(name)
        n = len(column)
        batched = None
        if tokenizer is not None and words is not None:
            batched = self._split_batch(tokenizer, column, words, stems)
        if batched is not None:
            vocab, tid, counts = batched
            pos_list: list[int] = []
        else:
            vocab, tid, counts, pos_list = self._split_each(name, tokenizer, column, words, stems)
        doc = np.repeat(np.arange(n, dtype=np.int64), counts)
        if tokenizer is None:
            pos = np.array(pos_list, dtype=np.int64)
        else:
            tid, doc, pos = _positions(tid, doc, counts, tokenizer.renumber, tokenizer.start)
        lengths = np.bincount(doc, minlength=n).astype(np.int64)
        ordered = sorted(vocab)  # code point order is UTF-8 byte order
        rank = np.empty(len(vocab), np.int64)
        rank[[vocab[t] for t in ordered]] = np.arange(len(ordered))
        tid = rank[tid] if len(tid) else tid
        order = np.argsort(tid, kind="stable")  # docs and positions stay in order within a term
        tid, doc, pos = tid[order], doc[order], pos[order]
        key = tid * n + doc
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        freqs = np.diff(np.r_[starts, len(key)]).astype(np.int32)
        ptr = np.searchsorted(tid[starts], np.arange(len(ordered) + 1)).astype(np.int64)
        values = self.encoder.encode(pos, starts, freqs) if kind == POSITIONS else None
        return FieldPostings(
            terms=ordered,
            ptr=ptr,
            docs=doc[starts].astype(np.int32),
            freqs=freqs,
            lengths=lengths,
            values=values,
        )

    def _split_each(
        self,
        name: str,
        tokenizer: Tokenizer | None,
        column: list[str],
        words: Counter[str] | None,
        stems: dict[str, str] | None = None,
    ) -> tuple[dict[str, int], np.ndarray, np.ndarray, list[int]]:
        """Each value's term ids (-1 for a stop word), value by value: the vocabulary (term ->
        id, in order of first sight), the ids, the ids per value and, for an analyzer run as
        Whoosh runs it, the positions."""
        n = len(column)
        vocab: dict[str, int] = {}  # term -> id (in order of first sight)
        tok2id: dict[str, int] = {}  # raw token -> its term's id, -1 when stopped
        get: Callable[[str], int | None] = tok2id.get
        flat: list[int] = []
        pos_list: list[int] = []  # only when the analyzer is run as Whoosh runs it
        counts = [0] * n  # a list: a numpy item set per value costs more than the rest
        # Names, titles and dates repeat from quote to quote: their ids, by value.
        by_value: dict[str, list[int]] | None = {} if words is None else None
        for d, value in enumerate(column):
            if not value:
                continue
            if by_value is not None:
                known = by_value.get(value)
                if known is not None:
                    flat.extend(known)
                    counts[d] = len(known)
                    continue
            if tokenizer is None:
                terms, positions = self.terms(name, value)
                ids = [vocab.setdefault(t, len(vocab)) for t in terms]
                pos_list.extend(positions)
            else:
                tokens = tokenizer.split(value)
                found = list(map(get, tokens))
                if None in found:
                    found = [
                        self._term_id(tokenizer, tok2id, vocab, token) if i is None else i
                        for i, token in zip(found, tokens, strict=True)
                    ]
                ids = cast(list[int], found)
                if words is not None:
                    words.update(set(map(str.lower, tokens)))
            flat.extend(ids)
            counts[d] = len(ids)
            if by_value is not None and tokenizer is not None and len(by_value) < 100_000:
                by_value[value] = ids
        if stems is not None and tokenizer is not None:
            _word_stems(tokenizer, vocab, tok2id.keys(), tok2id.values(), stems)
        return vocab, np.array(flat, dtype=np.int64), np.array(counts, np.int64), pos_list

    def _split_batch(
        self,
        tokenizer: Tokenizer,
        column: list[str],
        words: Counter[str],
        stems: dict[str, str] | None = None,
    ) -> tuple[dict[str, int], np.ndarray, np.ndarray] | None:
        """`_split_each` for a whole column at once: the values joined, a few thousand split in
        one call, each distinct token analysed once, and the lexicon's words counted with numpy
        (a quote's text has ~100 tokens: 10M Python calls per 100k quotes saved). None when
        the tokenizer cannot, or a value holds the separator."""
        if tokenizer.split_many is None:
            return None
        # Each distinct token's number (the separator's 0), then the tokens as numbers: the one
        # Python-speed pass over the tokens; the rest is numpy. A few thousand values at a time:
        # a token list of a whole batch (7M strings) would cost a worker ~400 MB.
        number: dict[str, int] = {SEPARATOR: 0}
        names = [SEPARATOR]
        parts: list[np.ndarray] = []
        for lo in range(0, len(column), _SPLIT_CHUNK):
            chunk = column[lo : lo + _SPLIT_CHUNK]
            joined = SEPARATOR.join(chunk)
            if joined.count(SEPARATOR) != len(chunk) - 1:
                return None
            tokens = tokenizer.split_many(joined)
            for token in dict.fromkeys(tokens).keys() - number.keys():
                number[token] = len(names)
                names.append(token)
            if parts:
                parts.append(np.zeros(1, np.int64))  # the separator between two chunks
            parts.append(np.fromiter(map(number.__getitem__, tokens), np.int64, len(tokens)))
        seq = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        vocab: dict[str, int] = {}
        tok2id: dict[str, int] = {}
        tok_tid = np.array(
            [-2] + [self._term_id(tokenizer, tok2id, vocab, t) for t in names[1:]], np.int64
        )
        boundary = seq == 0
        doc = np.cumsum(boundary)[~boundary]
        seq = seq[~boundary]
        ids = tok_tid[seq]
        counts = np.bincount(doc, minlength=len(column)).astype(np.int64)
        # The lexicon: each token's lower-case word, counted once a document.
        lower = [t.lower() for t in names[1:]]
        word_names = sorted(set(lower))
        word_of = dict(zip(word_names, range(len(word_names)), strict=True))
        tok_word = np.array([-1] + [word_of[w] for w in lower], np.int64)
        if len(seq):
            pairs = np.sort(tok_word[seq] * len(column) + doc)  # by word, then document
            firsts = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
            df = np.bincount(firsts // len(column), minlength=len(word_names))
            words.update(dict(zip(word_names, df.tolist(), strict=True)))
        if stems is not None:
            _word_stems(tokenizer, vocab, names[1:], tok_tid[1:].tolist(), stems)
        return vocab, ids, counts

    @staticmethod
    def _term_id(
        tokenizer: Tokenizer, tok2id: dict[str, int], vocab: dict[str, int], token: str
    ) -> int:
        term = tokenizer.term(token)
        tid = -1 if term is None else vocab.setdefault(term, len(vocab))
        tok2id[token] = tid
        return tid


def _word_stems(
    tokenizer: Tokenizer,
    vocab: dict[str, int],
    tokens: Iterable[str],
    term_ids: Iterable[int],
    stems: dict[str, str],
) -> None:
    """Fill `stems` (lower-case word -> its term, "" for a stop word) from the tokens seen and
    their term ids. Only when the analyzer lower-cases first: then every spelling of a word
    has the term of its lower case."""
    if not tokenizer.steps or tokenizer.steps[0] is not str.lower:
        return
    names = [""] * len(vocab)
    for term, i in vocab.items():
        names[i] = term
    for token, tid in zip(tokens, term_ids, strict=True):
        stems[token.lower()] = names[tid] if tid >= 0 else ""


# Values split at once by `Analyser._split_batch`.
_SPLIT_CHUNK = 4096


def _kind(kind: str) -> int:
    return QUOTE_KINDS.index(kind) if kind in QUOTE_KINDS else 0


def _positions(
    tid: np.ndarray, doc: np.ndarray, counts: np.ndarray, renumber: bool, start: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The kept tokens (stop words, id -1, dropped) with their positions as Whoosh numbers
    them: with a renumbering stop filter, the first kept token of a document keeps its place
    and the next ones follow it."""
    total = len(tid)
    doc_start = np.repeat(np.cumsum(counts) - counts, counts)
    local = np.arange(total, dtype=np.int64) - doc_start
    kept = tid >= 0
    if kept.all():
        return tid, doc, local + start
    if not renumber:
        return tid[kept], doc[kept], local[kept] + start
    kept_doc, kept_local = doc[kept], local[kept]
    firsts = (
        np.flatnonzero(np.r_[True, kept_doc[1:] != kept_doc[:-1]]) if len(kept_doc) else kept_doc
    )
    first_local = np.zeros(len(counts), np.int64)
    first_local[kept_doc[firsts]] = kept_local[firsts]
    running = np.cumsum(kept) - 1  # rank among all kept tokens
    before = (np.cumsum(kept) - kept)[doc_start[kept]] if total else running
    rank_in_doc = running[kept] - before
    return tid[kept], kept_doc, first_local[kept_doc] + rank_in_doc + start


def write_segment(ix: FileIndex, analyser: Analyser, quotes: Sequence[Quote]) -> Any:
    """Write `quotes` as one new Whoosh segment (not yet committed); returns it with its
    analysis (for the search caches)."""
    analysed = analyser.analyse(quotes)
    files = SegmentFiles(ix)
    try:
        for name, postings in analysed.fields.items():
            if ix.schema[name].scorable:
                files.add_lengths(name, postings.lengths)
        for name, postings in analysed.fields.items():
            files.add_field(
                name,
                [t.encode("utf-8") for t in postings.terms],
                postings.ptr,
                postings.docs,
                postings.freqs,
                postings.values,
            )
        files.add_stored((stored_value(q) for q in quotes), len(quotes))
        segment = files.finish(len(quotes))
    except BaseException:
        files.cancel()
        raise
    return segment, analysed, files
