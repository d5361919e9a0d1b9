"""Every use of Whoosh's internals, in one place (tests/index/test_whoosh_compat.py fails loudly
when the pinned whoosh3 changes them).

Reading:
- `raw_postings`: a term's whole posting list as numpy arrays. Whoosh hands postings out one at a
  time (~1 us each); its W3 codec stores them in blocks, so reading a block at a time is ~10x
  faster. Any surprise falls back to the one-at-a-time loop.
- `StoredColumn`: a segment's stored fields (the `_stored` column file), memory-mapped and read
  by docnum without Whoosh's per-call file seeks.
- `DAMAGE`: what reading a damaged or truncated index raises, as opposed to a bug.
- `latest_generation`, `find_damage`, `WRITE_LOCK`: how Whoosh names its files, read without
  opening the index (which may be damaged).

Writing (the builder's fast path, `store/writer.py`):
- `derive_tokenizer`: a field's analyzer as plain string functions, built from the analyzer's
  own parts (its tokenizer's pattern, its stop list, its stemmer), so it cannot drift from it.
- `SegmentFiles`: one W3 segment written from postings computed in bulk: the same files, in
  the same format, that `SegmentWriter.add_document` + `commit` would write, without the
  per-posting Python of Whoosh's pool and postings writer.
- `commit_segments`: a Whoosh commit (its lock, generation, table of contents and cleanup)
  whose new segments are ours.
"""

from __future__ import annotations

import collections
import contextlib
import io
import mmap
import os
import pickle
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from isal import isal_zlib
from whoosh import formats
from whoosh.analysis import (
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.codec import whoosh3 as whoosh3_codec
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3Segment,
    W3TermInfo,
)
from whoosh.columns import VarBytesColumn
from whoosh.fields import FieldType, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import FileFormatError, OrderedHashWriter
from whoosh.filedb.filetables import _lengths as _HASH_ENTRY_LENGTHS
from whoosh.index import TOC, FileIndex
from whoosh.index import IndexError as WhooshIndexError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.system import pack_ushort
from whoosh.util.numeric import _length_byte_cache, byte_to_length
from whoosh.writing import IndexWriter, SegmentWriter

# The stored fields' column: compressed pickles, in a column of variable-length bytes.
STORED_BYTES = VarBytesColumn()
INDEX_NAME = "MAIN"  # Whoosh's default index name: _MAIN_<gen>.toc, MAIN_<segment id>.*
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"

# Reading.


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
    found = _read_blocks(matcher) if isinstance(matcher, W3LeafMatcher) else None
    if found is not None:
        return found
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def _read_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray] | None:
    """A block at a time, decoded with numpy (Whoosh decodes each posting's id delta and
    weight in Python). This reaches into Whoosh's W3 codec (a block's data is the tuple
    (id deltas, weights: None for all 1.0, a float for all the same, else one each, values)),
    so any surprise falls back to the generic loop (None)."""
    id_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    try:
        if matcher._byteids:
            return None
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            data: Any = matcher._data
            deltas, weights = data[0], data[1]
            ids = np.cumsum(np.array(deltas, dtype=np.int64))
            if weights is None:
                block_weights = np.ones(len(ids), np.float32)
            elif isinstance(weights, float):
                block_weights = np.full(len(ids), weights, np.float32)
            else:
                block_weights = np.array(weights, dtype=np.float32)
            if len(block_weights) != len(ids) or len(ids) != abs(int(matcher._blocklength or 0)):
                raise ValueError("a block unlike the W3 codec's")
            id_parts.append(ids)
            weight_parts.append(block_weights)
            matcher._next_block()
    except Exception:
        matcher.reset()
        return None
    if not id_parts:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(id_parts).astype(np.int32), np.concatenate(weight_parts)


def segment_id(leaf: IndexReader) -> str | None:
    """The id of a leaf reader's segment (None for a reader of no one segment)."""
    segment = leaf.segment()
    return None if segment is None else str(segment.segment_id())


class StoredColumn:
    """A segment's `_stored` column (zlib-compressed pickles of each document's stored fields),
    memory-mapped: `column[docnum]` costs one decompress and one unpickle."""

    def __init__(self, path: str, doc_count: int) -> None:
        self._handle = open(path, "rb")  # noqa: SIM115 (kept open for the mmap)
        try:
            size = os.fstat(self._handle.fileno()).st_size
            self._data = mmap.mmap(self._handle.fileno(), 0, access=mmap.ACCESS_READ)
            self.offsets, self.lengths = _var_bytes_index(self._data, size, doc_count)
            if doc_count and int(self.offsets[-1] + self.lengths[-1]) > size:
                raise ValueError("values past the end of the file")
        except ValueError as err:
            self._handle.close()
            raise _CORRUPT(f"damaged stored fields in {path}: {err}") from err
        except BaseException:
            self._handle.close()
            raise

    def __getitem__(self, docnum: int) -> dict[str, Any]:
        length = int(self.lengths[docnum])
        if not length:
            return {}
        start = int(self.offsets[docnum])
        value = pickle.loads(isal_zlib.decompress(self._data[start : start + length]))
        return value if isinstance(value, dict) else {}

    def close(self) -> None:
        self._data.close()
        self._handle.close()


def _var_bytes_index(data: mmap.mmap, size: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and lengths of a VarBytesColumn's values (the layout its Reader parses): the
    values, then the lengths array, [the offsets array,] and type codes at the very end."""
    if size < 1:
        raise ValueError("empty column file")
    last = size - 1
    lens_code = chr(data[last])
    offsets: np.ndarray | None = None
    if lens_code == "X":
        lens_code, offsets_code = chr(data[last - 2]), chr(data[last - 1])
        item = struct.calcsize(offsets_code)
        start = (last - 2) - count * item
        offsets = np.frombuffer(
            data, dtype=np.dtype(offsets_code).newbyteorder(">"), count=count, offset=start
        ).astype(np.int64)
        last = start
    item = struct.calcsize(lens_code)
    start = last - item * count
    if start < 0:
        raise ValueError("column shorter than its document count")
    lengths = np.frombuffer(
        data, dtype=np.dtype(lens_code).newbyteorder(">"), count=count, offset=start
    ).astype(np.int64)
    if offsets is None:
        offsets = np.zeros(count, np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
    return offsets, lengths


def stored_column_path(storage_folder: str, leaf: IndexReader) -> str | None:
    """The file of a leaf's `_stored` column, when the segment keeps its files apart (not in a
    compound `.seg` file); else None."""
    segment = leaf.segment()
    if segment is None or getattr(segment, "compound", False):
        return None
    path = os.path.join(storage_folder, W3Codec.column_filename(segment, "_stored"))
    return path if os.path.exists(path) else None


_CORRUPT: type[Exception] = getattr(whoosh3_codec, "CorruptIndexError", WhooshIndexError)

# What reading a damaged or truncated index raises (a bug raises something else). The whoosh3
# fork names its own error; Whoosh 2.7 raises the others.
DAMAGE: tuple[type[BaseException], ...] = (
    getattr(whoosh3_codec, "CorruptIndexError", WhooshIndexError),
    WhooshIndexError,
    pickle.UnpicklingError,
    EOFError,
    struct.error,
    zlib.error,
    cast(type[BaseException], isal_zlib.error),  # (our own reads of the stored quotes)
    UnicodeDecodeError,
    FileFormatError,  # a terms file whose header is garbage
)


# The analyzers, derived.

Step = Callable[[str], "str | None"]  # a filter on one token's text; None: stopped


@dataclass(frozen=True)
class Tokenizer:
    """A field's analyzer as plain functions: split, then each token through the filters.

    `terms(value)` returns the indexed terms in order and the position of the first: with a
    renumbering stop filter (Whoosh's default) positions are consecutive from there.
    """

    split: Callable[[str], list[str]]
    steps: tuple[Step, ...]
    renumber: bool
    _cache: dict[str, str | None]
    start: int = 0  # the first token's position (Whoosh's IDTokenizer numbers it 1)
    # `split` over many values joined by SEPARATOR, which comes out as a token of its own
    # between two values' tokens (one call for a whole batch); None when the pattern could
    # match across it.
    split_many: Callable[[str], list[str]] | None = None

    def term(self, token: str) -> str | None:
        cached = self._cache.get(token, "")
        if cached != "":
            return cached
        text: str | None = token
        for step in self.steps:
            text = step(text)  # type: ignore[arg-type]  # never None here: the loop stops first
            if text is None:
                break
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[token] = text
        return text

    def positions(self, value: str) -> tuple[list[str], Sequence[int]]:
        """The terms of `value` and their positions (as Whoosh numbers them)."""
        return self.tokens_positions(self.split(value))

    def tokens_positions(self, tokens: list[str]) -> tuple[list[str], Sequence[int]]:
        """`positions`, from the tokens `split` made."""
        get = self._cache.get
        terms: list[Any] = [get(token, _MISSING) for token in tokens]
        if _MISSING in terms:
            terms = [
                self.term(token) if t is _MISSING else t
                for t, token in zip(terms, tokens, strict=True)
            ]
        start = self.start
        if None not in terms:
            return terms, range(start, start + len(terms))
        kept = [t for t in terms if t is not None]
        if not self.renumber:
            return kept, [start + i for i, t in enumerate(terms) if t is not None]
        # Whoosh's StopFilter: the first kept token keeps its place, the next ones follow it.
        first = start + next((i for i, t in enumerate(terms) if t is not None), 0)
        return kept, range(first, first + len(kept))


_MISSING: Any = object()


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern with its groups made non-capturing (a test checks it splits the same),
    so that `findall` returns whole matches; None when that cannot be done."""
    if pattern.groups == 0:
        return pattern
    source = re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern.pattern)
    try:
        plain = re.compile(source, pattern.flags)
    except re.error:
        return None
    return plain if plain.groups == 0 else None


def _finder(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    """`pattern.findall` returning whole matches (Whoosh's patterns have capture groups)."""
    plain = _plain(pattern)
    if plain is not None:
        return plain.findall
    return lambda text: [m.group(0) for m in pattern.finditer(text)]


def token_pattern(analyzer: Any) -> re.Pattern[str] | None:
    """The regular expression the analyzer's tokenizer splits text with (None: it splits
    otherwise), for finding a query's words in a shown quote."""
    first = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) else analyzer
    if type(first) is RegexTokenizer and not first.gaps:
        return _plain(first.expression) or first.expression
    return None


def derive_tokenizer(analyzer: Any) -> Tokenizer | None:
    """The analyzer's parts as a `Tokenizer`, or None when it has a part this does not know
    (the builder then runs the analyzer itself)."""
    items = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    if not items:
        return None
    first = items[0]
    split: Callable[[str], list[str]]
    start = 0
    split_many = None
    if type(first) is RegexTokenizer and not first.gaps:
        split = _finder(first.expression)
        split_many = _many_finder(first.expression)
    elif type(first) is IDTokenizer:
        split, start = _whole, 1
    else:
        return None
    steps: list[Step] = []
    renumber = False
    for part in items[1:]:
        item: Any = part
        kind = type(item)
        if kind is LowercaseFilter:
            steps.append(str.lower)
        elif kind is StopFilter:
            if renumber:
                return None  # two stop filters: positions would need both
            steps.append(_stopper(item.stops, item.min, item.max))
            renumber = bool(item.renumber)
        elif kind is StemFilter:
            steps.append(_stemmer(item._stem, item.ignore))
        else:
            return None
    return Tokenizer(split, tuple(steps), renumber, {}, start, split_many)


# Joins the values `Tokenizer.split_many` splits at once (never in a field's text: checked).
SEPARATOR = "\x00"


def _many_finder(pattern: re.Pattern[str]) -> Callable[[str], list[str]] | None:
    """`findall` over values joined by SEPARATOR, the separator a token of its own; None when
    the pattern matches the separator or runs across it."""
    plain = _plain(pattern)
    if plain is None or plain.search(SEPARATOR) or plain.search(f"a{SEPARATOR}a") is None:
        return None
    if plain.findall(f"a{SEPARATOR}a") != ["a", "a"] or plain.findall(f"1.{SEPARATOR}.1") != [
        "1",
        "1",
    ]:
        return None
    return re.compile(f"(?:{plain.pattern})|{SEPARATOR}", plain.flags).findall


def _whole(value: str) -> list[str]:
    return [value]


def _stemmer(stem: Callable[[str], str], ignore: frozenset[str]) -> Step:
    def step(text: str) -> str:
        return text if text in ignore else stem(text)

    return step


def _stopper(stops: frozenset[str], minsize: int, maxsize: int | None) -> Step:
    def stop(text: str) -> str | None:
        if len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops:
            return None
        return text

    return stop


def analyzer_of(field: FieldType) -> Any:
    return field.analyzer


# The formats a field's postings take.

EXISTENCE, POSITIONS = "existence", "positions"


def posting_kind(field: FieldType) -> str | None:
    """How the field's postings are encoded, or None for a format this writer does not know."""
    kind = type(field.format)
    if kind is formats.Existence:
        return EXISTENCE
    if kind is formats.Positions:
        return POSITIONS
    return None


def field_boost(field: FieldType) -> float:
    fmt: Any = field.format
    return float(fmt.field_boost) if fmt is not None else 1.0


# Lengths, as Whoosh keeps them: one byte a document, a logarithmic approximation.

_LENGTH_CACHE = np.array(_length_byte_cache, dtype=np.int64)


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """`whoosh.util.numeric.length_to_byte` over an array."""
    found = np.searchsorted(_LENGTH_CACHE, lengths, side="left")
    return np.where(lengths >= _LENGTH_CACHE[-1], 255, found).astype(np.uint8)


def quantized_lengths(lengths: np.ndarray) -> np.ndarray:
    """The length Whoosh scores a document's field with: byte_to_length(length_to_byte(n))."""
    return _LENGTH_CACHE[length_bytes(lengths)]


# Writing a segment.

_POS_HEADER = struct.Struct("!I")
_BLOCK_LENGTH = struct.Struct("!i")
# Postings gathered before they are written (add_field).
_FLUSH_BYTES = 4 << 20


def encode_positions(deltas: tuple[int, ...]) -> bytes:
    """What `formats.Positions.encode` makes of the positions whose deltas these are."""
    return _POS_HEADER.pack(len(deltas)) + pickle.dumps(list(deltas), 2)


class PositionsEncoder:
    """Each posting's positions as `formats.Positions.encode` writes them, in bulk: most
    postings have one position, looked up in a table; the others are cached by their deltas."""

    def __init__(self) -> None:
        self._single = [encode_positions((p,)) for p in range(4096)]
        self._cache: dict[tuple[int, ...], bytes] = {}

    def encode(self, pos: np.ndarray, starts: np.ndarray, freqs: np.ndarray) -> list[bytes]:
        """`pos`: positions grouped by posting (posting i's begin at starts[i])."""
        out: list[bytes] = [b""] * len(starts)
        single = freqs == 1
        table = self._single
        first = pos[starts]
        small = single & (first < len(table))
        for i, value in zip(np.flatnonzero(small).tolist(), first[small].tolist(), strict=True):
            out[i] = table[value]
        rest = np.flatnonzero(~small)
        if len(rest):
            first_of = np.zeros(len(pos), bool)
            first_of[starts] = True
            delta = np.where(first_of, pos, pos - np.r_[0, pos[:-1]]).tolist()
            ends = np.r_[starts[1:], len(pos)]
            cache = self._cache
            for i, a, b in zip(
                rest.tolist(), starts[rest].tolist(), ends[rest].tolist(), strict=True
            ):
                key = tuple(delta[a:b])
                value = cache.get(key)
                if value is None:
                    value = encode_positions(key)
                    if len(cache) < 200_000:
                        cache[key] = value
                out[i] = value
        return out


class SegmentFiles:
    """One new W3 segment, written field by field from postings computed in bulk.

    Call `add_field` once per indexed field, in field-name order, with its terms sorted by
    their UTF-8 bytes; `add_lengths` for every scorable field; `add_stored` once; then
    `finish`. `cancel` removes what was written.
    """

    BLOCK = 128  # postings per block (W3Codec's default block limit)
    # Whoosh's readers decompress whatever level wrote a block (or a stored value) and unpickle
    # whatever protocol: level 1 is ~30% faster than W3Codec's 3 for 2% more bytes (and
    # ISA-L's deflate, the same zlib streams, writes them ~2.4x faster than zlib's and the
    # stored quotes read back ~1.4x faster, 2% smaller: measured on 5,000 stored quotes), and
    # protocol 4 keeps the positions as bytes where Whoosh's 2 pickles each as a call to
    # `codecs.encode` (the posting file a third smaller, and faster to read back).
    COMPRESSION = 1
    PROTOCOL = 4

    def __init__(self, ix: FileIndex) -> None:
        self.storage = ix.storage
        self.schema: Schema = ix.schema
        self.codec = W3Codec()
        self.segment: W3Segment = self.codec.new_segment(self.storage, ix.indexname)
        self.files: list[str] = []
        self._postfile = self._create(self.segment.make_filename(W3Codec.POSTS_EXT))
        self._tindex = OrderedHashWriter(
            self._create(self.segment.make_filename(W3Codec.TERMS_EXT))
        )
        self._fieldmap: dict[str, int] = {}
        self._tindex.extras["fieldmap"] = self._fieldmap
        self._fieldlengths: dict[str, int] = {}
        self._lengths: dict[str, np.ndarray] = {}  # field -> quantized length of each doc
        self._closed = False

    def _create(self, name: str) -> Any:
        self.files.append(name)
        return self.storage.create_file(name)

    def column_file(self, name: str) -> str:
        return W3Codec.column_filename(self.segment, name)

    def add_lengths(self, fieldname: str, lengths: np.ndarray) -> None:
        """A scorable field's length in each document (its `_<field>_len` column)."""
        lengths = np.asarray(lengths, dtype=np.int64)
        self._fieldlengths[fieldname] = int(lengths.sum())
        self._lengths[fieldname] = quantized_lengths(lengths)
        if not lengths.any():
            return  # Whoosh writes the column only when some document has the field
        handle = self._create(self.column_file(f"_{fieldname}_len"))
        handle.write(length_bytes(lengths).tobytes())
        handle.close()

    def add_stored(self, values: Iterable[dict[str, Any] | None], doc_count: int) -> None:
        """Each document's stored fields (the `_stored` column)."""
        handle = self._create(self.column_file("_stored"))
        # STORED_COLUMN's layout (a VarBytesColumn of compressed pickles), its values made here.
        writer = STORED_BYTES.writer(handle)
        level, protocol = self.COMPRESSION, self.PROTOCOL
        for docnum, value in enumerate(values):
            if value:
                writer.add(docnum, isal_zlib.compress(pickle.dumps(value, protocol), level))
        writer.finish(doc_count)
        handle.close()

    def add_field(
        self,
        fieldname: str,
        terms: Sequence[bytes],
        ptr: np.ndarray,
        docs: np.ndarray,
        freqs: np.ndarray,
        values: list[bytes] | None = None,
    ) -> None:
        """One field's postings: term i has postings [ptr[i], ptr[i+1]) of `docs` (ascending
        within a term) with `freqs`; for a positions field, each posting's encoded positions
        (`PositionsEncoder`)."""
        field = self.schema[fieldname]
        kind = posting_kind(field)
        if kind is None:
            raise TypeError(f"field {fieldname!r} has a format this writer does not know")
        if not terms:
            return
        self._fieldmap[fieldname] = fieldid = len(self._fieldmap)
        prefix = pack_ushort(fieldid)
        boost = field_boost(field)
        lengths = self._lengths.get(fieldname)
        n = len(docs)
        if kind == EXISTENCE:
            weights = np.full(n, boost)
        else:
            weights = freqs.astype(np.float64) * boost
        doc_lengths = lengths[docs] if lengths is not None else np.zeros(n, np.int64)
        # Blocks of up to BLOCK postings, never spanning two terms.
        counts = np.diff(ptr)
        per_term = (counts + self.BLOCK - 1) // self.BLOCK
        term_of_block = np.repeat(np.arange(len(terms)), per_term)
        first_block = np.repeat(np.cumsum(per_term) - per_term, per_term)
        starts = ptr[term_of_block] + (np.arange(len(term_of_block)) - first_block) * self.BLOCK
        ends = np.minimum(starts + self.BLOCK, ptr[term_of_block + 1])
        first = np.zeros(n, bool)
        first[starts] = True
        # Each block's ids are delta-encoded from 0 (`delta_encode`).
        delta = np.where(first, docs, docs - np.concatenate(([0], docs[:-1]))).tolist()
        block_max_w = np.maximum.reduceat(weights, starts).tolist()
        block_min_w = np.minimum.reduceat(weights, starts).tolist()
        block_min_l = length_bytes(np.minimum.reduceat(doc_lengths, starts)).tolist()
        block_max_l = length_bytes(np.maximum.reduceat(doc_lengths, starts)).tolist()
        weight_list = weights.tolist()
        docs_list = docs.tolist()
        term_starts = ptr[:-1]
        # Whoosh sums a term's weights as float32 block by block (they are small integers).
        term_weight = np.add.reduceat(weights, term_starts).tolist()
        term_max_w = np.maximum.reduceat(weights, term_starts).tolist()
        term_min_l = np.minimum.reduceat(doc_lengths, term_starts).tolist()
        term_max_l = np.maximum.reduceat(doc_lengths, term_starts).tolist()
        if kind == POSITIONS and values is None:
            raise ValueError("a positions field needs each posting's positions")
        if kind != POSITIONS:
            values = None
        postfile = self._postfile
        protocol = self.PROTOCOL
        block_ends = np.cumsum(per_term).tolist()
        starts_list, ends_list = starts.tolist(), ends.tolist()
        done = 0  # blocks written
        bounds = ptr.tolist()
        # The postings are gathered and written a few MB at a time, their offsets counted here
        # (a write and a tell through Whoosh's file wrapper a block cost a tenth of the field).
        pos = flushed = postfile.tell()
        out: list[bytes] = []
        magic, length_size = WHOOSH3_HEADER_MAGIC, _BLOCK_LENGTH.size
        entries: list[tuple[bytes, bytes]] = []  # the terms table's, added at the end
        for i, term in enumerate(terms):
            a, b = bounds[i], bounds[i + 1]
            info = W3TermInfo()
            start_offset = pos
            out.append(magic)
            pos += len(magic)
            for block in range(done, block_ends[i]):
                s, e = starts_list[block], ends_list[block]
                maxw, minw = block_max_w[block], block_min_w[block]
                if maxw == 1.0 and minw == 1.0:
                    w: Any = None
                elif maxw == minw:
                    w = maxw
                else:
                    w = tuple(weight_list[s:e])
                vs = None if values is None else tuple(values[s:e])
                data = pickle.dumps((tuple(delta[s:e]), w, vs), protocol)
                comp = self.COMPRESSION if len(data) >= COMPRESSION_MIN_SIZE else 0
                if comp:
                    data = isal_zlib.compress(data, comp)
                head = pickle.dumps(
                    (e - s, docs_list[e - 1], maxw, comp, block_min_l[block], block_max_l[block]),
                    2,
                )
                size = len(head) + len(data)
                out.append(_BLOCK_LENGTH.pack(-size if e == b else size))
                out.append(head)
                out.append(data)
                pos += length_size + size
            done = block_ends[i]
            info._weight = term_weight[i]
            info._df = b - a
            info._minlength = term_min_l[i] or None
            info._maxlength = term_max_l[i]
            info._maxweight = term_max_w[i]
            info._minid = docs_list[a]
            info._maxid = docs_list[b - 1]
            info.set_extent(start_offset, pos - start_offset)
            entries.append((prefix + term, info.to_bytes()))
            if pos - flushed >= _FLUSH_BYTES:
                postfile.write(b"".join(out))
                out.clear()
                flushed = pos
        postfile.write(b"".join(out))
        add_ordered(self._tindex, entries)

    def finish(self, doc_count: int) -> W3Segment:
        """Close the files; the segment, ready for `commit_segments`."""
        self._tindex.close()
        self._postfile.close()
        self._closed = True
        segment: Any = self.segment
        segment.set_doc_count(doc_count)
        segment._fieldlengths = dict(self._fieldlengths)  # what W3PerDocWriter.close sets
        return self.segment

    def cancel(self) -> None:
        if not self._closed:
            for handle in (self._tindex, self._postfile):
                with contextlib.suppress(Exception):  # already broken: the files go anyway
                    handle.close()
            self._closed = True
        for name in self.files:
            with contextlib.suppress(OSError):
                self.storage.delete_file(name)


def add_ordered(table: OrderedHashWriter, entries: Sequence[tuple[bytes, bytes]]) -> None:
    """`table.add(key, value)` for each of `entries` (keys in increasing order), written in one
    call: the same bytes, positions and hash buckets as Whoosh's `OrderedHashWriter.add` and
    `HashWriter.add` make one pair at a time (a segment's terms table takes a pair a term)."""
    dbfile, hashfn, buckets, index = table.dbfile, table.hashfn, table.buckets, table.index
    pos = dbfile.tell()
    last = table.lastkey
    out: list[bytes] = []
    for key, value in entries:
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        index.append(pos)
        head = _HASH_ENTRY_LENGTHS.pack(len(key), len(value))
        out += (head, key, value)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        pos += len(head) + len(key) + len(value)
        last = key
    dbfile.write(b"".join(out))
    table.lastkey = last


def commit_segments(
    writer: IndexWriter, keep: Callable[[Any], bool], new: Sequence[W3Segment], *, clear: bool
) -> None:
    """Commit `writer` (its deletions) with the existing segments `keep` accepts (all but those
    merged into `new`; none with `clear`) and `new` appended."""
    if not isinstance(writer, SegmentWriter):
        raise TypeError(f"expected a SegmentWriter, got {type(writer).__name__}")

    def policy(_writer: Any, segments: list[Any]) -> list[Any]:
        kept = [] if clear else [s for s in segments if keep(s)]
        return [*kept, *new]

    writer.commit(mergetype=policy)


def index_folder(ix: FileIndex) -> Path:
    """The folder of an index kept in files."""
    storage = ix.storage
    if not isinstance(storage, FileStorage):
        raise TypeError(f"expected an index in a folder, got {type(storage).__name__}")
    return Path(storage.folder)


def remove_orphan_segments(ix: FileIndex, extra: Callable[[str], Path]) -> None:
    """Remove the files of every segment the latest table of contents does not name (with
    `extra(segment id)`, a folder of ours beside it): what a writer stopped midway left. Only
    while holding the write lock, when no other writer can be making a segment."""
    current = {str(s.segment_id()) for s in ix._segments()}
    pattern = TOC._segment_pattern(ix.indexname)
    orphans = set()
    for name in list(ix.storage):
        found = pattern.match(name)
        if found and found.group(1) not in current:
            orphans.add(found.group(1))
            with contextlib.suppress(OSError):
                ix.storage.delete_file(name)
    for seg_id in orphans:
        folder = extra(seg_id)
        if folder.is_dir():
            for path in folder.iterdir():
                with contextlib.suppress(OSError):
                    path.unlink()
            with contextlib.suppress(OSError):
                folder.rmdir()


def segment_of(segment: Any) -> str:
    return str(segment.segment_id())


def segment_live_count(segment: Any) -> tuple[int, int]:
    """(documents, deleted documents) of a segment in a writer's list."""
    return int(segment.doc_count_all()), int(segment.deleted_count())


def byte_length(byte: int) -> int:
    return int(byte_to_length(byte))


def writer_segments(writer: IndexWriter) -> list[Any]:
    """The segments a writer's commit starts from (with the deletions it has made)."""
    if not isinstance(writer, SegmentWriter):
        raise TypeError(f"expected a SegmentWriter, got {type(writer).__name__}")
    return list(writer.segments)


def live_mask(reader: IndexReader) -> np.ndarray:
    """True for each docnum of the reader that is not deleted."""
    live = np.ones(reader.doc_count_all(), bool)
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        deleted = list(segment.deleted_docs()) if segment is not None else []
        if deleted:
            live[np.array(deleted, dtype=np.int64) + offset] = False
    return live


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
