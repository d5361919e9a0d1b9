"""What search keeps beside each Whoosh segment: its quote text's postings and its columns.

Measured at 100k quotes: reading one term's postings through Whoosh costs ~5 ms (each block is a
zlib-compressed pickle that also holds the positions kept for phrase queries). A keystroke
expanding its last word to 16 terms would spend ~100 ms there. So, once per Whoosh segment
(segments never change after they are written; deletions are applied with the live column),
the builder writes, from the very analysis that made the segment (writer.py):

    nb-seg-<segment id>/meta.json    the `text` terms in order, the names of the speakers,
                                     topics, regions and countries
                        words.json   the unstemmed words (document frequencies in columns)
                        stems.json   each word's quote-text term ("" for a stop word)
                        ptr.npy      int64: term i has postings [ptr[i], ptr[i+1])
                        ids.npy      uint16 local docnums (deleted ones included)
                        tfs.npy      uint8 term frequencies (uint16 if one is over 255)
                        columns.npz  per document: speaker, date, scored length, topics,
                                     regions, countries; per word: document frequency
                        names.json, names-ptr.npy, names-ids.npy, names-tfs.npy
                                     the same postings of the name fields plain words are also
                                     looked for in (speaker, role, title, topic, region,
                                     country), their terms one field after another: Whoosh
                                     reads a frequent one ("ukraine" in `country`) in ~0.3 s
                                     at 1M quotes. Opened on first use; without them (a cache
                                     written before they were), read through Whoosh.

The postings are opened memory-mapped, so opening costs only the term dictionary. The folder is
written under a temporary name and renamed into place: it is there whole or not at all. A
segment without it (written by another Whoosh writer, or a builder killed just after its
commit) is analysed from its stored quotes instead, in memory.

The quotes themselves are not here: they are stored once, in the Whoosh segment (schema.py),
and read from its `_stored` column file directly (whoosh_compat.StoredColumn).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from ..model import Quote
from .schema import QUOTE_FIELDS, clean_values, quote_from_stored
from .whoosh_compat import DAMAGE, StoredColumn, segment_id, stored_column_path
from .writer import Analysed, Analyser

SEGMENT_PREFIX = "nb-seg-"
# What reading a damaged stored quote raises.
_UNREADABLE: tuple[type[BaseException], ...] = (ValueError, TypeError, KeyError, *DAMAGE)
CACHE_VERSION = 4
MULTI = ("topics", "regions", "countries")
# The fields besides the quote text whose postings the cache keeps (parse.py looks for every
# plain word in them).
NAME_FIELDS = ("speaker", "role", "title", "topic", "region", "country")
# One field's postings: its terms in order, ptr, local docnums, term frequencies.
FieldCache = tuple[list[str], np.ndarray, np.ndarray, np.ndarray]


class CacheDamaged(Exception):
    """A segment whose cache or stored quotes opened whole but hold garbage further in."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what  # for a person: "MAIN_x._stored.col cannot be read"


@dataclass(eq=False)
class SegmentData:
    """One segment's text postings, columns and stored quotes (by local docnum)."""

    segment_id: str
    doc_count: int
    terms: dict[str, int]
    ptr: np.ndarray
    ids: np.ndarray
    tfs: np.ndarray
    speakers: tuple[str, ...]  # names; `speaker` holds indexes into them, -1 for none
    speaker: np.ndarray
    date: np.ndarray
    length: np.ndarray
    text_hash: np.ndarray  # int64 `grouping.text_key` of each quote
    kind: np.ndarray  # int8 index into model.QUOTE_KINDS
    procedural: np.ndarray  # bool
    multi: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]  # names, indptr, values
    words: tuple[str, ...]
    word_df: np.ndarray
    # Each word's quote-text term ("" for a stop word); None when not known (an older cache).
    word_stems: tuple[str, ...] | None = None
    stored: Any = None  # StoredColumn, or a Whoosh leaf reader (anything with stored_fields)
    _handles: list[Any] = field(default_factory=list)
    cached: bool = True  # False: analysed from the stored quotes (no cache, or a damaged one)
    # NAME_FIELDS' postings: None where not known (an older cache); read from `folder` lazily.
    fields: dict[str, FieldCache | None] = field(default_factory=dict)
    folder: Path | None = None

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.terms.get(term)
        if i is None:
            return None
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        return self.ids[a:b], self.tfs[a:b]

    def field_cache(self, name: str) -> FieldCache | None:
        """A name field's postings, or None when this cache does not hold them."""
        if name not in self.fields:
            loaded = _load_fields(self.folder) if self.folder is not None else None
            for field_name in NAME_FIELDS:
                self.fields[field_name] = loaded.get(field_name) if loaded else None
        return self.fields[name]

    def field_postings(self, name: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(local docnums, term frequencies) of `term` in a name field (empty when absent);
        None when this cache does not hold the field."""
        cache = self.field_cache(name)
        if cache is None:
            return None
        terms, ptr, ids, tfs = cache
        # (sorted, as the writer wrote them: a binary search, where a dictionary of a title
        # field's terms would cost 20 ms at the first query at a million quotes)
        i = bisect.bisect_left(terms, term)
        if i == len(terms) or terms[i] != term:
            return ids[:0], tfs[:0]
        a, b = int(ptr[i]), int(ptr[i + 1])
        return ids[a:b], tfs[a:b]

    def quote(self, local: int) -> Quote:
        try:
            if isinstance(self.stored, StoredColumn):
                return quote_from_stored(self.stored[local])
            return quote_from_stored(self.stored.stored_fields(local))
        except _UNREADABLE as err:
            raise CacheDamaged(f"the stored quotes of {self.segment_id} cannot be read") from err

    def close(self) -> None:
        for handle in self._handles:
            with contextlib.suppress(Exception):
                handle.close()
        self._handles.clear()


def cache_dir(index_dir: Path, seg_id: str) -> Path:
    return index_dir / f"{SEGMENT_PREFIX}{seg_id}"


def from_analysis(seg_id: str, analysed: Analysed) -> SegmentData:
    """The cache of a segment, from the analysis its quotes went through."""
    text = analysed.fields.get("text")
    cols = analysed.columns
    names = sorted({s for s in cols["speaker"] if s})
    index = {name: i for i, name in enumerate(names)}
    speaker = np.array([index.get(s, -1) for s in cols["speaker"]], dtype=np.int32)
    multi = {}
    for name in MULTI:
        per_doc = [clean_values(values) for values in cols[name]]
        value_names = sorted({v for values in per_doc for v in values})
        vindex = {v: i for i, v in enumerate(value_names)}
        indptr = np.zeros(analysed.n + 1, np.int64)
        np.cumsum([len(v) for v in per_doc], out=indptr[1:])
        flat = [vindex[v] for values in per_doc for v in values]
        multi[name] = (tuple(value_names), indptr, np.array(flat, dtype=np.int32))
    words = sorted(analysed.words)
    empty = (np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
    fields: dict[str, FieldCache | None] = {}
    for name in NAME_FIELDS:
        found = analysed.fields.get(name)
        arrays = (found.ptr, found.docs, found.freqs) if found is not None else empty
        terms = found.terms if found is not None else []
        fields[name] = (terms, *arrays)
    return SegmentData(
        segment_id=seg_id,
        doc_count=analysed.n,
        terms={t: i for i, t in enumerate(text.terms)} if text else {},
        ptr=text.ptr if text else np.zeros(1, np.int64),
        ids=text.docs if text else np.zeros(0, np.int32),
        tfs=text.freqs.clip(0, 65535).astype(np.uint16) if text else np.zeros(0, np.uint16),
        speakers=tuple(names),
        speaker=speaker,
        date=cols["date"],
        length=cols["length"],
        text_hash=cols["text_hash"],
        kind=cols["kind"],
        procedural=cols["procedural"],
        multi=multi,
        words=tuple(words),
        word_df=np.array([analysed.words[w] for w in words], dtype=np.int32),
        word_stems=_stems_of(words, analysed.word_stems),
        fields=fields,
    )


def _stems_of(words: list[str], stems: dict[str, str]) -> tuple[str, ...] | None:
    found = tuple(stems.get(w, "\0") for w in words)
    return None if "\0" in found else found


def write(index_dir: Path, data: SegmentData) -> None:
    """Write one segment's cache folder, under a temporary name renamed into place."""
    final = cache_dir(index_dir, data.segment_id)
    tmp = index_dir / f".{final.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        terms = sorted(data.terms, key=data.terms.__getitem__)
        meta = {
            "version": CACHE_VERSION,
            "fields": list(QUOTE_FIELDS),
            "docs": data.doc_count,
            "terms": terms,
            "speakers": list(data.speakers),
            **{name: list(data.multi[name][0]) for name in MULTI},
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        words = json.dumps(list(data.words), ensure_ascii=False)
        (tmp / "words.json").write_text(words, encoding="utf-8")
        if data.word_stems is not None:
            stems = json.dumps(list(data.word_stems), ensure_ascii=False)
            (tmp / "stems.json").write_text(stems, encoding="utf-8")
        np.save(tmp / "ptr.npy", np.asarray(data.ptr, dtype=np.int64))
        # The narrowest types that hold them: a segment has at most 65,536 quotes
        # (build.SEGMENT_QUOTES), and a word seldom comes 256 times in one quote.
        ids_type = np.uint16 if data.doc_count <= 65_536 else np.int32
        tfs_type = np.uint8 if int(np.max(data.tfs, initial=0)) < 256 else np.uint16
        np.save(tmp / "ids.npy", np.asarray(data.ids).astype(ids_type))
        np.save(tmp / "tfs.npy", np.asarray(data.tfs).astype(tfs_type))
        arrays: dict[str, Any] = {
            "speaker": data.speaker,
            "date": data.date,
            "length": data.length,
            "text_hash": data.text_hash,
            "kind": data.kind,
            "procedural": data.procedural,
            "word_df": data.word_df,
        }
        for name in MULTI:
            arrays[f"{name}_indptr"] = data.multi[name][1]
            arrays[f"{name}_values"] = data.multi[name][2]
        _write_fields(tmp, data, ids_type)
        with open(tmp / "columns.npz", "wb") as handle:
            # Read only by builders (a searcher has the index's columns): compressed.
            np.savez_compressed(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load(index_dir: Path, seg_id: str, doc_count: int, columns: bool = True) -> SegmentData | None:
    """The cache of one segment, postings memory-mapped; None when missing or not whole.

    Without `columns`, the per-document columns and the words are left out (empty): a searcher
    that has the index's assembled columns needs only the postings.
    """
    folder = cache_dir(index_dir, seg_id)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("version") != CACHE_VERSION or meta.get("fields") != list(QUOTE_FIELDS):
            raise ValueError("written by another version")
        if meta.get("docs") != doc_count:
            raise ValueError("cache does not match its segment")
        # Plain arrays over the maps: slicing an np.memmap runs Python code each time.
        ptr = np.asarray(np.load(folder / "ptr.npy", mmap_mode="r"))
        ids = np.asarray(np.load(folder / "ids.npy", mmap_mode="r"))
        tfs = np.asarray(np.load(folder / "tfs.npy", mmap_mode="r"))
        terms = meta["terms"]
        if len(ptr) != len(terms) + 1 or len(ids) != len(tfs) or int(ptr[-1]) != len(ids):
            raise ValueError("cache does not match its segment")
        if not columns:
            if not (folder / "columns.npz").is_file() or not (folder / "words.json").is_file():
                raise ValueError("cache is not whole")
            arrays: dict[str, Any] = {k: np.zeros(0) for k in ("speaker", "date", "length")}
            arrays["text_hash"] = np.zeros(0, np.int64)
            arrays["kind"] = np.zeros(0, np.int8)
            arrays["procedural"] = np.zeros(0, bool)
            arrays["word_df"] = np.zeros(0, np.int32)
            words: list[str] = []
            stems = None
            for name in MULTI:
                arrays[f"{name}_indptr"] = np.zeros(1, np.int64)
                arrays[f"{name}_values"] = np.zeros(0, np.int32)
        else:
            with np.load(folder / "columns.npz", allow_pickle=False) as cols:
                arrays = {key: cols[key] for key in cols.files}
            words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
            if any(len(arrays[k]) != doc_count for k in ("speaker", "date", "length", "text_hash")):
                raise ValueError("cache does not match its segment")
            if len(words) != len(arrays["word_df"]):
                raise ValueError("cache does not match its segment")
            stems = _load_stems(folder, len(words))
        multi = {
            name: (
                tuple(meta[name]),
                arrays[f"{name}_indptr"],
                arrays[f"{name}_values"],
            )
            for name in MULTI
        }
    except Exception:  # a cache is never trusted: missing, cut short or garbage, it is remade
        return None
    return SegmentData(
        segment_id=seg_id,
        doc_count=doc_count,
        terms={t: i for i, t in enumerate(terms)},
        ptr=ptr,
        ids=ids,
        tfs=tfs,
        speakers=tuple(meta["speakers"]),
        speaker=arrays["speaker"],
        date=arrays["date"],
        length=arrays["length"],
        text_hash=arrays["text_hash"],
        kind=arrays["kind"],
        procedural=arrays["procedural"],
        multi=multi,
        words=tuple(words),
        word_df=arrays["word_df"],
        word_stems=stems,
        folder=folder,
    )


def _load_stems(folder: Path, count: int) -> tuple[str, ...] | None:
    """The words' stems from a cache folder; None when missing (an older cache) or not whole."""
    try:
        stems = json.loads((folder / "stems.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stems, list) or len(stems) != count:
        return None
    return tuple(str(s) for s in stems)


def _write_fields(folder: Path, data: SegmentData, ids_type: type) -> None:
    """The name fields' postings, one field's terms after another's (nothing when not known)."""
    caches = [data.field_cache(name) for name in NAME_FIELDS]
    if any(cache is None for cache in caches):
        return
    terms: dict[str, list[str]] = {}
    ptrs, ids, tfs = [np.zeros(1, np.int64)], [], []
    at = 0
    for name, cache in zip(NAME_FIELDS, caches, strict=True):
        assert cache is not None
        field_terms, ptr, field_ids, field_tfs = cache
        first, last = int(ptr[0]), int(ptr[-1])
        terms[name] = list(field_terms)
        ptrs.append(np.asarray(ptr[1:], np.int64) - first + at)
        ids.append(np.asarray(field_ids[first:last]))
        tfs.append(np.asarray(field_tfs[first:last]))
        at += last - first
    all_tfs = np.concatenate(tfs)
    tfs_type = np.uint8 if int(np.max(all_tfs, initial=0)) < 256 else np.uint16
    np.save(folder / "names-ptr.npy", np.concatenate(ptrs))
    np.save(folder / "names-ids.npy", np.concatenate(ids).astype(ids_type))
    np.save(folder / "names-tfs.npy", all_tfs.astype(tfs_type))
    (folder / "names.json").write_text(json.dumps(terms, ensure_ascii=False), "utf-8")


def _load_fields(folder: Path) -> dict[str, FieldCache] | None:
    """The name fields' postings from a cache folder (memory-mapped); None when missing or not
    whole."""
    try:
        terms = json.loads((folder / "names.json").read_text(encoding="utf-8"))
        ptr = np.asarray(np.load(folder / "names-ptr.npy", mmap_mode="r"))
        ids = np.asarray(np.load(folder / "names-ids.npy", mmap_mode="r"))
        tfs = np.asarray(np.load(folder / "names-tfs.npy", mmap_mode="r"))
        if list(terms) != list(NAME_FIELDS):
            raise ValueError("other fields")
        total = sum(len(t) for t in terms.values())
        if len(ptr) != total + 1 or len(ids) != len(tfs) or int(ptr[-1]) != len(ids):
            raise ValueError("cache does not match its segment")
    except Exception:  # never trusted: Whoosh's own postings are read instead
        return None
    fields: dict[str, FieldCache] = {}
    at = 0
    for name in NAME_FIELDS:
        field_terms = terms[name]
        # (ptr of this field's terms, global positions: ids and tfs are shared)
        fields[name] = (
            field_terms,
            ptr[at : at + len(field_terms) + 1],
            ids,
            tfs,
        )
        at += len(field_terms)
    return fields


def stored_quotes(leaf: IndexReader, index_dir: Path) -> Iterator[Quote]:
    """Every quote of a segment (deleted ones included), in docnum order."""
    path = stored_column_path(str(index_dir), leaf)
    if path is not None:
        column = StoredColumn(path, leaf.doc_count_all())
        try:
            for docnum in range(leaf.doc_count_all()):
                yield quote_from_stored(column[docnum])
        finally:
            column.close()
        return
    for docnum in range(leaf.doc_count_all()):
        yield quote_from_stored(leaf.stored_fields(docnum))


def compute(leaf: IndexReader, index_dir: Path, analyser: Analyser) -> SegmentData:
    """A segment's cache, analysed from its stored quotes (the slow path)."""
    quotes = list(stored_quotes(leaf, index_dir))
    data = from_analysis(segment_id(leaf) or "", analyser.analyse(quotes))
    data.cached = False
    return data


def _attach_stored(data: SegmentData, leaf: IndexReader, index_dir: Path) -> SegmentData:
    path = stored_column_path(str(index_dir), leaf)
    if path is not None:
        data.stored = StoredColumn(path, leaf.doc_count_all())
        data._handles.append(data.stored)
    else:
        data.stored = leaf
    return data


def open_segments(
    index_dir: Path, reader: IndexReader, analyser: Analyser, columns: bool = True
) -> list[tuple[SegmentData, int]]:
    """Every segment's cache with its docnum offset, computed in memory where missing (without
    `columns`, see `load`)."""
    result = []
    for leaf, offset in reader.leaf_readers():
        seg_id = segment_id(leaf)
        data = None
        if seg_id is not None:
            data = load(index_dir, seg_id, leaf.doc_count_all(), columns)
        if data is None:
            data = compute(leaf, index_dir, analyser)
        result.append((_attach_stored(data, leaf, index_dir), offset))
    return result


def write_missing(index_dir: Path, reader: IndexReader, analyser: Analyser) -> None:
    """Write the caches of segments that have none; drop those of segments gone (merged)."""
    current = set()
    for leaf, _ in reader.leaf_readers():
        seg_id = segment_id(leaf)
        if seg_id is None:
            continue
        current.add(seg_id)
        if load(index_dir, seg_id, leaf.doc_count_all(), columns=False) is None:
            data = compute(leaf, index_dir, analyser)
            data.cached = True
            write(index_dir, data)
    for path in index_dir.glob(f"{SEGMENT_PREFIX}*"):
        if path.name[len(SEGMENT_PREFIX) :] not in current:
            shutil.rmtree(path, ignore_errors=True)
