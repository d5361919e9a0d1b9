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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex

from ..model import Quote
from .columns import date_key
from .schema import clean_value, indexed_values, stored_value
from .whoosh_compat import (
    EXISTENCE,
    POSITIONS,
    SegmentFiles,
    Tokenizer,
    derive_tokenizer,
    posting_kind,
    quantized_lengths,
)

TEXT = "text"


@dataclass
class FieldPostings:
    """One field's postings: term i (sorted) has postings [ptr[i], ptr[i+1])."""

    terms: list[str]
    ptr: np.ndarray  # int64
    docs: np.ndarray  # int32, ascending within a term
    freqs: np.ndarray  # int32
    lengths: np.ndarray  # int64: the field's length in each document (its term count)
    deltas: list[tuple[int, ...]] | None = None  # positions, delta-encoded, for phrases


@dataclass
class Analysed:
    """A batch of quotes, analysed: every field's postings and the per-document columns."""

    n: int
    fields: dict[str, FieldPostings]
    columns: dict[str, Any]
    words: Counter[str] = field(default_factory=Counter)


class Analyser:
    """The schema's analyzers, derived once, with their caches (reused across batches)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.tokenizers: dict[str, Tokenizer | None] = {}
        for name in schema.names():
            fieldobj = schema[name]
            if fieldobj.indexed:
                self.tokenizers[name] = derive_tokenizer(fieldobj.analyzer)
        self.surface: dict[str, str] = {}  # token -> lowercase, for the unstemmed lexicon

    def terms(self, name: str, value: str) -> tuple[list[str], list[int]]:
        tokenizer = self.tokenizers.get(name)
        if tokenizer is not None:
            return tokenizer.positions(value)
        # An analyzer with a part derive_tokenizer does not know: run it as Whoosh would.
        analyzer = self.schema[name].analyzer
        tokens = [(t.text, t.pos) for t in analyzer(value, positions=True, mode="index")]
        return [t for t, _ in tokens], [p for _, p in tokens]

    def words(self, tokens: list[str]) -> set[str]:
        """The distinct unstemmed words of a quote text's tokens (lowercased)."""
        surface = self.surface
        out = set()
        for token in tokens:
            word = surface.get(token)
            if word is None:
                word = token.lower()
                if len(surface) > 500_000:
                    surface.clear()
                surface[token] = word
            out.add(word)
        return out

    def analyse(self, quotes: Sequence[Quote]) -> Analysed:
        n = len(quotes)
        values = [indexed_values(q) for q in quotes]
        fields_out: dict[str, FieldPostings] = {}
        words: Counter[str] = Counter()
        for name in sorted(self.tokenizers):
            column = [v.get(name, "") for v in values]
            if any(column):
                fields_out[name] = self._field(name, column, words if name == TEXT else None)
        text = fields_out.get(TEXT)
        length = (
            quantized_lengths(text.lengths).astype(np.float32)
            if text is not None
            else np.zeros(n, np.float32)
        )
        columns = {
            "speaker": [clean_value(q.speaker) for q in quotes],
            "date": np.array([date_key(q.date) for q in quotes], dtype=np.int32),
            "length": length,
            "topics": [q.topics for q in quotes],
            "regions": [q.regions for q in quotes],
            "countries": [q.countries for q in quotes],
        }
        return Analysed(n, fields_out, columns, words)

    def _field(self, name: str, column: list[str], words: Counter[str] | None) -> FieldPostings:
        """One field's postings over the batch; for the quote text, also counts `words` (the
        unstemmed lexicon, each word once a document)."""
        kind = posting_kind(self.schema[name])
        tokenizer = self.tokenizers.get(name)
        vocab: dict[str, int] = {}
        tids: list[int] = []
        poss: list[int] = []
        counts = np.zeros(len(column), np.int64)
        setdefault = vocab.setdefault
        for d, value in enumerate(column):
            if not value:
                continue
            if tokenizer is not None:
                tokens = tokenizer.split(value)
                terms, positions = tokenizer.tokens_positions(tokens)
                if words is not None:
                    words.update(self.words(tokens))
            else:
                terms, positions = self.terms(name, value)
            counts[d] = len(terms)
            tids.extend([setdefault(t, len(vocab)) for t in terms])
            poss.extend(positions)
        ordered = sorted(vocab)  # code point order is UTF-8 byte order
        rank = np.empty(len(vocab), np.int64)
        rank[[vocab[t] for t in ordered]] = np.arange(len(ordered))
        tid = rank[np.array(tids, dtype=np.int64)] if tids else np.zeros(0, np.int64)
        doc = np.repeat(np.arange(len(column), dtype=np.int64), counts)
        pos = np.array(poss, dtype=np.int64)
        order = np.argsort(tid, kind="stable")  # docs and positions stay in order within a term
        tid, doc, pos = tid[order], doc[order], pos[order]
        key = tid * len(column) + doc
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        freqs = np.diff(np.r_[starts, len(key)]).astype(np.int32)
        post_term = tid[starts]
        ptr = np.searchsorted(post_term, np.arange(len(ordered) + 1)).astype(np.int64)
        deltas = None
        if kind == POSITIONS:
            first = np.zeros(len(pos), bool)
            first[starts] = True
            delta = np.where(first, pos, pos - np.r_[0, pos[:-1]]).tolist()
            ends = np.r_[starts[1:], len(pos)].tolist() if len(starts) else []
            deltas = [tuple(delta[a:b]) for a, b in zip(starts.tolist(), ends, strict=True)]
        elif kind != EXISTENCE:
            raise TypeError(f"field {name!r}: a format the fast writer does not know")
        return FieldPostings(
            terms=ordered,
            ptr=ptr,
            docs=doc[starts].astype(np.int32),
            freqs=freqs,
            lengths=counts,
            deltas=deltas,
        )


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
                postings.deltas,
            )
        files.add_stored((stored_value(q) for q in quotes), len(quotes))
        segment = files.finish(len(quotes))
    except BaseException:
        files.cancel()
        raise
    return segment, analysed, files


def index_path(ix: FileIndex) -> Path:
    return Path(ix.storage.folder)
