"""Every use of Whoosh's internals, in one place (a test fails loudly when the pinned whoosh3
changes them).

- `raw_postings`: a term's whole posting list as numpy arrays. Whoosh hands postings out one at a
  time (~1 us each); its W3 codec stores them in blocks of up to 128, so reading a block at a
  time is ~10x faster. Any surprise falls back to the one-at-a-time loop.
- `DAMAGE`: what reading a damaged or truncated index raises, as opposed to a bug.
- `has_term`, `next_generation`: what whoosh3's annotations get narrower than its code.
"""

from __future__ import annotations

import pickle
import struct
import zlib

import numpy as np
from whoosh.codec import whoosh3 as whoosh3_codec
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import IndexError as WhooshIndexError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter, SegmentWriter


def has_term(reader: IndexReader, fieldname: str, text: str | bytes) -> bool:
    """Whether the term is in the reader's lexicon (deleted documents' terms included)."""
    # whoosh3 annotates the term as bytes; its readers take either and convert.
    term = text.encode("utf-8") if isinstance(text, str) else text
    return (fieldname, term) in reader


def next_generation(writer: IndexWriter) -> int:
    """The generation the writer's commit creates (a segment writer's own counter)."""
    if not isinstance(writer, SegmentWriter):
        raise TypeError(f"expected a SegmentWriter, got {type(writer).__name__}")
    return int(writer.generation)


def raw_postings(
    leaf: IndexReader, fieldname: str, text: str | bytes
) -> tuple[np.ndarray, np.ndarray]:
    """One segment's postings of a term (local docnums, deleted ones included)."""
    try:
        if not has_term(leaf, fieldname, text):
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        matcher = leaf.postings(fieldname, text)
    except KeyError:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    if isinstance(matcher, FilterMatcher):  # the segment's deletions: masked later instead
        matcher = matcher.child
        matcher.reset()
    ids, weights = _read_blocks(matcher) if isinstance(matcher, W3LeafMatcher) else ([], [])
    if not ids:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def _read_blocks(matcher: W3LeafMatcher) -> tuple[list[int], list[float]]:
    """A block at a time (~10x faster than one posting at a time). This reaches into Whoosh's
    W3 codec, so any surprise falls back to the generic loop (empty lists)."""
    ids: list[int] = []
    weights: list[float] = []
    try:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids or ())
            weights.extend(matcher._weights or ())
            matcher._next_block()
    except Exception:
        matcher.reset()
        return [], []
    return ids, weights


# What reading a damaged or truncated index raises (a bug raises something else). The whoosh3
# fork names its own error; Whoosh 2.7 raises the others.
DAMAGE: tuple[type[BaseException], ...] = (
    getattr(whoosh3_codec, "CorruptIndexError", WhooshIndexError),
    WhooshIndexError,
    pickle.UnpicklingError,
    EOFError,
    struct.error,
    zlib.error,
    UnicodeDecodeError,
)
