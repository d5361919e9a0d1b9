"""Per-segment caches: the quote text's posting lists as numpy arrays, and the stored quotes.

Measured at 100k quotes: reading one term's postings through Whoosh costs ~5 ms (each block is a
zlib-compressed pickle that also holds the positions kept for phrase queries), and one stored
quote ~70 us (another compressed pickle). A keystroke expanding its last word to 16 terms and
showing 200 hits would spend ~100 ms there. So, once per Whoosh segment (segments never change
after they are written; deletions are applied with the live column), the builder writes:

    nb-seg-<segment id>/terms.json   the segment's `text` terms, in order
                        ptr.npy      int64: term i has postings [ptr[i], ptr[i+1])
                        ids.npy      int32 local docnums (deleted ones included)
                        tfs.npy      uint16 term frequencies
                        quotes.pkl   every quote, pickled as the tuple of its fields, by
                                     local docnum (3.5x faster to load than its JSON dict)
                        qptr.npy     int64 offsets into quotes.pkl
                        fields.json  the Quote field names the tuples follow

opened memory-mapped, so opening costs only the term dictionary. The folder is written under a
temporary name and renamed into place: it is there whole or not at all. A segment without its
cache (a builder killed just after its commit) is read from Whoosh into memory instead.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import pickle
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from ..model import Quote
from .whoosh_compat import raw_postings

SEGMENT_PREFIX = "nb-seg-"
QUOTE_FIELDS = [f.name for f in fields(Quote)]
FIELD = "text"


class CacheDamaged(Exception):
    """A segment cache that opened whole but holds garbage further in."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what  # for a person: "nb-seg-MAIN_x/quotes.pkl cannot be read"


@dataclass(eq=False)
class SegmentData:
    """One segment's text postings and stored quotes."""

    segment_id: str
    terms: dict[str, int]
    ptr: np.ndarray
    ids: np.ndarray
    tfs: np.ndarray
    qptr: np.ndarray
    blob: bytes | mmap.mmap
    _handles: list[Any] = field(default_factory=list)
    cached: bool = True  # False: read from Whoosh into memory (no cache, or a damaged one)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.terms.get(term)
        if i is None:
            return None
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        return self.ids[a:b], self.tfs[a:b]

    def quote(self, local: int) -> Quote:
        a, b = int(self.qptr[local]), int(self.qptr[local + 1])
        try:
            return Quote(*pickle.loads(self.blob[a:b]))
        except Exception as err:
            where = f"{SEGMENT_PREFIX}{self.segment_id}/quotes.pkl"
            raise CacheDamaged(f"{where} cannot be read") from err

    def close(self) -> None:
        for handle in self._handles:
            with contextlib.suppress(Exception):
                handle.close()
        self._handles.clear()


def cache_dir(index_dir: Path, segment_id: str) -> Path:
    return index_dir / f"{SEGMENT_PREFIX}{segment_id}"


def _postings(leaf: IndexReader) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """A segment's terms of the quote text, with their postings end to end."""
    terms: list[str] = []
    ptr = [0]
    id_parts: list[np.ndarray] = []
    tf_parts: list[np.ndarray] = []
    for btext in leaf.lexicon(FIELD):
        ids, tfs = raw_postings(leaf, FIELD, btext)
        terms.append(btext.decode("utf-8"))
        id_parts.append(ids)
        tf_parts.append(tfs.clip(0, 65535).astype(np.uint16))
        ptr.append(ptr[-1] + len(ids))
    ids = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int32)
    tfs = np.concatenate(tf_parts) if tf_parts else np.zeros(0, np.uint16)
    return terms, np.array(ptr, dtype=np.int64), ids, tfs


def _quote_records(leaf: IndexReader) -> Iterator[bytes]:
    for docnum in range(leaf.doc_count_all()):
        quote = Quote.from_json(leaf.stored_fields(docnum)["quote"])
        # The file is ours, next to Whoosh's own pickles.
        yield pickle.dumps(tuple(getattr(quote, name) for name in QUOTE_FIELDS), 5)


def compute(leaf: IndexReader) -> SegmentData:
    """Read one segment's postings and quotes from Whoosh into memory (the slow path)."""
    terms, ptr, ids, tfs = _postings(leaf)
    records = list(_quote_records(leaf))
    qptr = np.zeros(len(records) + 1, np.int64)
    np.cumsum([len(r) for r in records], out=qptr[1:])
    segment = leaf.segment()
    return SegmentData(
        segment_id=segment.segment_id() if segment is not None else "",
        terms={t: i for i, t in enumerate(terms)},
        ptr=ptr,
        ids=ids,
        tfs=tfs,
        qptr=qptr,
        blob=b"".join(records),
        cached=False,
    )


def write(leaf: IndexReader, index_dir: Path) -> None:
    """Write one segment's cache folder, streaming the quotes (at 1M quotes, holding them all
    would take another gigabyte or two), under a temporary name renamed into place."""
    segment = leaf.segment()
    if segment is None:
        return
    final = cache_dir(index_dir, segment.segment_id())
    tmp = index_dir / f".{final.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        offsets = [0]
        with open(tmp / "quotes.pkl", "wb") as handle:
            for record in _quote_records(leaf):
                handle.write(record)
                offsets.append(offsets[-1] + len(record))
            handle.flush()
            os.fsync(handle.fileno())
        np.save(tmp / "qptr.npy", np.array(offsets, dtype=np.int64))
        terms, ptr, ids, tfs = _postings(leaf)
        (tmp / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "ptr.npy", ptr)
        np.save(tmp / "ids.npy", ids)
        np.save(tmp / "tfs.npy", tfs)
        (tmp / "fields.json").write_text(json.dumps(QUOTE_FIELDS), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load(index_dir: Path, segment_id: str, doc_count: int) -> SegmentData | None:
    """The cache of one segment, memory-mapped; None when missing or not whole."""
    folder = cache_dir(index_dir, segment_id)
    handles: list[Any] = []
    try:
        if json.loads((folder / "fields.json").read_text(encoding="utf-8")) != QUOTE_FIELDS:
            raise ValueError("written for another version of the Quote model")
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        ptr = np.load(folder / "ptr.npy", mmap_mode="r")
        ids = np.load(folder / "ids.npy", mmap_mode="r")
        tfs = np.load(folder / "tfs.npy", mmap_mode="r")
        qptr = np.load(folder / "qptr.npy")
        handle = open(folder / "quotes.pkl", "rb")  # noqa: SIM115 (kept open for the mmap)
        handles.append(handle)
        size = os.fstat(handle.fileno()).st_size
        blob: bytes | mmap.mmap = (
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        )
        if isinstance(blob, mmap.mmap):
            handles.append(blob)
        if len(ptr) != len(terms) + 1 or len(qptr) != doc_count + 1 or int(qptr[-1]) != size:
            raise ValueError("cache does not match its segment")
        if len(ids) != len(tfs) or (len(ptr) and int(ptr[-1]) != len(ids)):
            raise ValueError("cache does not match its segment")
        for local in {0, doc_count - 1} if doc_count else ():  # overwritten, not cut short
            a, b = int(qptr[local]), int(qptr[local + 1])
            if len(pickle.loads(blob[a:b])) != len(QUOTE_FIELDS):
                raise ValueError("cache does not match its segment")
    except Exception:  # a cache is never trusted: missing, cut short or garbage, it is remade
        for h in handles:
            with contextlib.suppress(Exception):
                h.close()
        return None
    return SegmentData(
        segment_id=segment_id,
        terms={t: i for i, t in enumerate(terms)},
        ptr=ptr,
        ids=ids,
        tfs=tfs,
        qptr=qptr,
        blob=blob,
        _handles=handles,
    )


def open_segments(index_dir: Path, reader: IndexReader) -> list[tuple[SegmentData, int]]:
    """Every segment's cache with its docnum offset, computed in memory where missing."""
    result = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        data = None
        if segment is not None:
            data = load(index_dir, segment.segment_id(), leaf.doc_count_all())
        if data is None:
            data = compute(leaf)
        result.append((data, offset))
    return result


def write_missing(index_dir: Path, reader: IndexReader) -> None:
    """Write the caches of segments that have none; drop those of segments gone (merged)."""
    current = set()
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        if segment is None:
            continue
        current.add(segment.segment_id())
        existing = load(index_dir, segment.segment_id(), leaf.doc_count_all())
        if existing is not None:
            existing.close()
            continue
        write(leaf, index_dir)
    for path in index_dir.glob(f"{SEGMENT_PREFIX}*"):
        if path.name[len(SEGMENT_PREFIX) :] not in current:
            shutil.rmtree(path, ignore_errors=True)
