"""Every use of Whoosh's internals, in one place (a test fails loudly when the pinned whoosh3
changes them).

- `raw_postings`: a term's whole posting list as numpy arrays. Whoosh hands postings out one at a
  time (~1 us each); its W3 codec stores them in blocks of up to 128, so reading a block at a
  time is ~10x faster. Any surprise falls back to the one-at-a-time loop.
- `DAMAGE`: what reading a damaged or truncated index raises, as opposed to a bug.
- `has_term`, `next_generation`: what whoosh3's annotations get narrower than its code.
- `latest_generation`, `find_damage`, `WRITE_LOCK`: how Whoosh names its files, read without
  opening the index (which may be damaged).
"""

from __future__ import annotations

import collections
import contextlib
import io
import os
import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
from whoosh.codec import whoosh3 as whoosh3_codec
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.index import IndexError as WhooshIndexError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.writing import IndexWriter, SegmentWriter

INDEX_NAME = "MAIN"  # Whoosh's default index name: _MAIN_<gen>.toc, MAIN_<segment id>.seg
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"


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


def latest_generation(index_dir: Path) -> int:
    """The generation of the newest table of contents in the folder; -1 when there is none."""
    try:
        return int(TOC._latest_generation(FileStorage(str(index_dir)), INDEX_NAME))
    except OSError:
        return -1


def find_damage(index_dir: Path) -> str:
    """What is wrong with the index's Whoosh files, for a person ("MAIN_x.seg is missing"), or ""
    when nothing is found. Reads the table of contents, then opens each segment and reads its
    first and last stored document and each field's first and last term: enough to find a file
    that is missing, cut short or overwritten, without reading a whole big index."""
    storage = FileStorage(str(index_dir))
    generation = latest_generation(index_dir)
    if generation < 0:
        return f"its table of contents, _{INDEX_NAME}_<n>.toc, is missing"
    toc_name = TOC._filename(INDEX_NAME, generation)
    try:
        toc = TOC.read(storage, INDEX_NAME, generation)
    except Exception:
        return f"{toc_name} cannot be read"
    for segment in toc.segments:
        name = segment.make_filename(segment.COMPOUND_EXT) if segment.is_compound() else ""
        if name and not (index_dir / name).is_file():
            return f"{name} is missing"
        try:
            reader = SegmentReader(storage, toc.schema, segment)
            try:
                _touch(reader)
            finally:
                reader.close()
        except FileNotFoundError as err:
            missing = Path(os.fsdecode(err.filename)).name if err.filename else name
            return f"{missing} is missing"
        except Exception:
            return f"{name or segment.segment_id() + '.*'} cannot be read"
    return ""


def _touch(reader: SegmentReader) -> None:
    count = reader.doc_count_all()
    for docnum in {0, count - 1} if count else ():
        reader.stored_fields(docnum)
    for fieldname in reader.schema.names():
        if not reader.schema[fieldname].indexed:
            continue
        terms = list(reader.lexicon(fieldname))
        for text in {terms[0], terms[-1]} if terms else ():
            list(reader.postings(fieldname, text).all_ids())


def cancel_quietly(writer: IndexWriter) -> None:
    """Cancel a writer whose commit failed or was interrupted, and close every file it had open.

    Whoosh closes a writer whose commit failed (cancelling it again raises "This writer is
    closed", which would hide the real error), and cancelling can fail again on a full disk:
    neither must replace the error at hand. A cancel that failed leaves the segment's files open;
    deleted, they would still hold their disk space until the writer is collected (in the app,
    maybe never), so they are closed here.
    """
    if not (isinstance(writer, SegmentWriter) and writer.is_closed):
        with contextlib.suppress(Exception):
            writer.cancel()
    for handle in _open_files(writer):
        with contextlib.suppress(Exception):
            handle.close()  # a buffered file closes its OS file even when its flush fails


def _open_files(root: object, depth: int = 8) -> list[io.IOBase]:
    """The files reachable from `root` through attributes, lists and dicts (breadth first)."""
    found: list[io.IOBase] = []
    seen: set[int] = set()
    todo: collections.deque[tuple[object, int]] = collections.deque([(root, 0)])
    while todo:
        obj, level = todo.popleft()
        if id(obj) in seen or level > depth:
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            if not obj.closed:
                found.append(obj)
            continue
        if isinstance(obj, dict):
            children = list(obj.values())
        elif isinstance(obj, (list, tuple, set)):
            children = list(obj)
        elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("whoosh"):
            children = list(vars(obj).values())
        else:
            continue
        todo.extend((child, level + 1) for child in children)
    return found
