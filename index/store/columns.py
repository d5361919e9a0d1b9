"""Per-document columns of one index generation, as numpy arrays indexed by Whoosh docnum.

Filters, facet counts, dates and group collapsing run on these arrays instead of Whoosh's
`groupedby` (~110 ms for speaker facets at 100k quotes, against ~1 ms here). They are read from
the exact-value fields' posting lists (one pass over N postings per field), then cached in a
sidecar file written by the index builder under its lock, so the app opens a big index quickly.
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh.reading import IndexReader

from ..api import UNATTRIBUTED
from ..extract.people import People
from ..grouping.speakers import merge_speakers
from ..model import QUOTE_KINDS

if TYPE_CHECKING:
    from .segments import SegmentData

COLUMNS_PREFIX = "nb-columns-"
MULTI_FIELDS = ("topics", "regions", "countries")


def date_key(date: str) -> int:
    """ "2023-11-27" -> 20231127; "2023-11" -> 20231100; "2023" -> 20230000; else 0."""
    digits = date[:10].replace("-", "")
    if len(digits) not in (4, 6, 8) or not digits.isdigit():
        return 0
    return int(digits.ljust(8, "0"))


@dataclass(frozen=True, eq=False)
class MultiColumn:
    """A multi-valued column (topics, regions, countries) both ways: per doc and per value."""

    names: tuple[str, ...]
    indptr: np.ndarray  # int64, n+1: doc d has values[indptr[d]:indptr[d+1]]
    values: np.ndarray  # int32 value ids
    vptr: np.ndarray  # int64, len(names)+1: value v is in docs[vptr[v]:vptr[v+1]] (sorted)
    docs: np.ndarray  # int32 docnums
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index.update({name: i for i, name in enumerate(self.names)})

    def docs_of(self, value: int) -> np.ndarray:
        return self.docs[self.vptr[value] : self.vptr[value + 1]]

    def values_of(self, doc: int) -> np.ndarray:
        return self.values[self.indptr[doc] : self.indptr[doc + 1]]

    def gather(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(value, doc) pairs of the docs `ids`, as two aligned arrays."""
        starts = self.indptr[ids]
        counts = self.indptr[ids + 1] - starts
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, np.int64)
            return empty, empty
        owner = np.repeat(np.arange(len(ids)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return self.values[starts[owner] + offsets].astype(np.int64), ids[owner]

    @classmethod
    def from_postings(cls, n: int, postings: dict[str, np.ndarray]) -> MultiColumn:
        names = tuple(sorted(postings, key=lambda k: (-len(postings[k]), k)))
        sizes = np.array([len(postings[k]) for k in names], dtype=np.int64)
        vptr = np.zeros(len(names) + 1, np.int64)
        np.cumsum(sizes, out=vptr[1:])
        docs = (
            np.concatenate([postings[k] for k in names]).astype(np.int32)
            if names
            else np.zeros(0, np.int32)
        )
        vals = np.repeat(np.arange(len(names), dtype=np.int32), sizes)
        order = np.argsort(docs, kind="stable")
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(docs, minlength=n)[:n], out=indptr[1:])
        return cls(names, indptr, vals[order], vptr, docs)


@dataclass(frozen=True, eq=False)
class Columns:
    """Everything per document that search needs besides the postings of the words."""

    token: str  # which index state these describe (generation and segments)
    live: np.ndarray  # bool: not deleted
    speaker: np.ndarray  # int32 speaker id, -1 when none
    speakers: tuple[str, ...]
    date: np.ndarray  # int32 yyyymmdd, 0 when unknown
    length: np.ndarray  # float32: words in `text`, for BM25's length normalisation
    group: np.ndarray  # int32 group number
    grouped: bool  # False: groups not computed for this state, every quote is its own group
    topics: MultiColumn
    regions: MultiColumn
    countries: MultiColumn
    words: tuple[str, ...]  # the unstemmed lexicon, sorted, for prefix expansion and spelling
    word_df: np.ndarray  # int32 document frequency of each word
    kind: np.ndarray  # int8: the quote's kind as an index into model.QUOTE_KINDS
    procedural: np.ndarray  # bool: a greeting or procedural line (ranked last)
    # Per speaker id: the other names it was indexed or is known under ("Zelensky", "Oleh
    # Ustenko"): the variants merged into it across the corpus (grouping/speakers.py).
    speaker_aliases: tuple[tuple[str, ...], ...] = ()
    # The segments these describe, in docnum order: (segment id, documents).
    layout: tuple[tuple[str, int], ...] = ()
    # Each word's quote-text term ("" for a stop word), when every segment's cache knew them.
    word_stems: tuple[str, ...] | None = None
    speaker_index: dict[str, int] = field(default_factory=dict)
    group_size: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def __post_init__(self) -> None:
        self.speaker_index.update({name: i for i, name in enumerate(self.speakers)})
        sizes = np.bincount(self.group[self.live], minlength=int(self.group.max(initial=-1)) + 1)
        object.__setattr__(self, "group_size", sizes.astype(np.int32))

    @property
    def n(self) -> int:
        return len(self.live)

    @functools.cached_property
    def shared(self) -> np.ndarray:
        """bool per doc: its group has other live quotes (the words said again elsewhere)."""
        return self.group_size[self.group] > 1

    @functools.cached_property
    def _shared_by_group(self) -> tuple[np.ndarray, np.ndarray]:
        """The live docs of groups of several, ordered by group (then docnum), and their groups."""
        ids = np.flatnonzero(self.shared & self.live).astype(np.int32)
        ids = ids[np.argsort(self.group[ids], kind="stable")]
        return ids, self.group[ids]

    @functools.cached_property
    def _group_rank(self) -> np.ndarray:
        """Per doc, its place in `_shared_by_group`'s order (-1: not in a group of several)."""
        ids, _ = self._shared_by_group
        rank = np.full(self.n, -1, np.int32)
        rank[ids] = np.arange(len(ids), dtype=np.int32)
        return rank

    def group_order(self, docs: np.ndarray) -> np.ndarray:
        """The order of `docs` (distinct live docs of groups of several) by group, then docnum:
        their places in `_shared_by_group` are distinct, so many are ordered by marking them
        (a pass, no sort: at a million quotes a first letter's matches hold ~100k such)."""
        rank = self._group_rank[docs]
        size = len(self._shared_by_group[0])
        if len(docs) * 16 < size:
            return np.argsort(rank)
        marked = np.zeros(size, bool)
        marked[rank] = True
        place = np.empty(size, np.int32)
        place[rank] = np.arange(len(docs), dtype=np.int32)
        return place[np.flatnonzero(marked)]

    def members(self, doc: int) -> np.ndarray:
        """The live docs of `doc`'s group, ascending: a lookup, not a pass over every doc."""
        if self.shared[doc]:
            ids, groups = self._shared_by_group
            g = self.group[doc]
            return ids[np.searchsorted(groups, g) : np.searchsorted(groups, g, "right")]
        if self.live[doc]:
            return np.array([doc], np.int64)
        return np.flatnonzero((self.group == self.group[doc]) & self.live)

    def speaker_count(self, docs: np.ndarray) -> int:
        """Distinct speakers of `docs`: people and organisations, not the unattributed entry."""
        ids = np.unique(self.speaker[docs])
        ids = ids[ids >= 0]
        nobody = self.speaker_index.get(UNATTRIBUTED)
        return int(len(ids) - (nobody is not None and bool(np.isin(nobody, ids))))

    def multi(self, name: str) -> MultiColumn:
        return {"topics": self.topics, "regions": self.regions, "countries": self.countries}[name]

    def with_groups(self, group: np.ndarray) -> Columns:
        return Columns(
            token=self.token,
            live=self.live,
            speaker=self.speaker,
            speakers=self.speakers,
            date=self.date,
            length=self.length,
            group=group.astype(np.int32),
            grouped=True,
            topics=self.topics,
            regions=self.regions,
            countries=self.countries,
            words=self.words,
            word_df=self.word_df,
            kind=self.kind,
            procedural=self.procedural,
            speaker_aliases=self.speaker_aliases,
            layout=self.layout,
            word_stems=self.word_stems,
        )

    def kind_mask(self, kinds: Sequence[str]) -> np.ndarray:
        """Docs whose kind is one of `kinds` (names from model.QUOTE_KINDS)."""
        table = np.zeros(len(QUOTE_KINDS), bool)
        table[[QUOTE_KINDS.index(k) for k in kinds if k in QUOTE_KINDS]] = True
        return table[self.kind]  # (one lookup a doc: np.isin over a million docs is ~6x slower)


def state_token(reader: IndexReader) -> str:
    """Identifies one committed state of the index: generation, segments and their deletions."""
    parts = [str(reader.generation())]
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        if segment is not None:
            parts.append(f"{segment.segment_id()}-{segment.deleted_count()}")
    return ":".join(parts)


def assemble_columns(
    segments: Sequence[tuple[SegmentData, int]], live: np.ndarray, token: str
) -> Columns:
    """The index's columns from its segments' (each quote its own group: grouping is the
    builder's, later). Cheap: a concatenation, with each segment's names mapped to the
    index's."""
    n = len(live)
    speakers = tuple(sorted({s for data, _ in segments for s in data.speakers}))
    speaker = np.full(n, -1, np.int32)
    date = np.zeros(n, np.int32)
    length = np.zeros(n, np.float32)
    kind = np.zeros(n, np.int8)  # a quote of an index without kinds is a quote
    procedural = np.zeros(n, bool)
    for data, offset in segments:
        size = data.doc_count
        if data.speakers:
            mapping = np.searchsorted(speakers, data.speakers).astype(np.int32)
            local = np.asarray(data.speaker)
            speaker[offset : offset + size] = np.where(local >= 0, mapping[local.clip(0)], -1)
        date[offset : offset + size] = data.date
        length[offset : offset + size] = data.length
        kind[offset : offset + size] = data.kind
        procedural[offset : offset + size] = data.procedural
    speakers, speaker, aliases = _one_name_each(speakers, speaker, live)
    multi = {
        name: _assemble_multi(name, segments, live) for name in ("topics", "regions", "countries")
    }
    df: Counter[str] = Counter()
    stem_of: dict[str, str] | None = {}
    for data, _ in segments:
        df.update(dict(zip(data.words, np.asarray(data.word_df).tolist(), strict=True)))
        if stem_of is not None and data.word_stems is not None:
            stem_of.update(zip(data.words, data.word_stems, strict=True))
        elif data.words:
            stem_of = None  # a cache written before they were kept
    lexicon = sorted(df)
    return Columns(
        token=token,
        live=live,
        speaker=speaker,
        speakers=speakers,
        date=date,
        length=length,
        group=np.arange(n, dtype=np.int32),
        grouped=False,
        topics=multi["topics"],
        regions=multi["regions"],
        countries=multi["countries"],
        words=tuple(lexicon),
        word_df=np.array([df[w] for w in lexicon], dtype=np.int32),
        kind=kind,
        procedural=procedural,
        speaker_aliases=aliases,
        layout=tuple((data.segment_id, data.doc_count) for data, _ in segments),
        word_stems=None if stem_of is None else tuple(stem_of[w] for w in lexicon),
    )


def _assemble_multi(
    name: str, segments: Sequence[tuple[SegmentData, int]], live: np.ndarray
) -> MultiColumn:
    n = len(live)
    names = tuple(sorted({v for data, _ in segments for v in data.multi[name][0]}))
    counts = np.zeros(n, np.int64)
    value_parts = []
    for data, offset in segments:
        local_names, indptr, values = data.multi[name]
        counts[offset : offset + data.doc_count] = np.diff(indptr)
        if len(values):
            mapping = np.searchsorted(names, local_names).astype(np.int32)
            value_parts.append(mapping[np.asarray(values)])
    values = np.concatenate(value_parts) if value_parts else np.zeros(0, np.int32)
    indptr = np.zeros(n + 1, np.int32 if len(values) < 2**31 else np.int64)
    np.cumsum(counts, out=indptr[1:])
    owner = np.repeat(np.arange(n, dtype=np.int32), counts)
    keep = live[owner]
    order = np.argsort(values[keep], kind="stable")
    docs = owner[keep][order]
    vptr = np.zeros(len(names) + 1, np.int64)
    np.cumsum(np.bincount(values[keep], minlength=len(names)), out=vptr[1:])
    return MultiColumn(names, indptr, values.astype(np.int32), vptr, docs.astype(np.int32))


def groups_from_numbers(live: np.ndarray, numbers: Sequence[int]) -> np.ndarray:
    """Group column from `assign_groups` output over the live docs in docnum order.

    Deleted docs get numbers of their own after the real groups, so they never share one.
    """
    group = np.zeros(len(live), np.int32)
    live_ids = np.flatnonzero(live)
    group[live_ids] = np.asarray(numbers, dtype=np.int32)
    dead = np.flatnonzero(~live)
    start = int(group[live_ids].max(initial=-1)) + 1
    group[dead] = np.arange(start, start + len(dead), dtype=np.int32)
    return group


# The sidecar file.


def _one_name_each(
    names: tuple[str, ...], speaker: np.ndarray, live: np.ndarray
) -> tuple[tuple[str, ...], np.ndarray, tuple[tuple[str, ...], ...]]:
    """One person, one name: the speaker names as indexed mapped to their canonical names
    (grouping/speakers.py), the column renumbered, and each canonical name's aliases."""
    quoted = speaker[live & (speaker >= 0)]
    counts = np.bincount(quoted, minlength=len(names)) if len(names) else np.zeros(0, np.int64)
    table = merge_speakers({name: int(counts[i]) for i, name in enumerate(names)}, People.default())
    canonical = tuple(sorted(set(table.canonical.values())))
    ids = {name: i for i, name in enumerate(canonical)}
    remap = np.array([ids[table.canonical[name]] for name in names], dtype=np.int32)
    if len(remap):
        speaker = np.where(speaker >= 0, remap[speaker.clip(0)], -1).astype(np.int32)
    aliases = tuple(table.aliases.get(name, ()) for name in canonical)
    return canonical, speaker, aliases


def columns_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"{COLUMNS_PREFIX}{generation}.npz"


def _multi_arrays(prefix: str, column: MultiColumn) -> dict[str, Any]:
    return {
        f"{prefix}_indptr": column.indptr,
        f"{prefix}_values": column.values,
        f"{prefix}_vptr": column.vptr,
        f"{prefix}_docs": column.docs,
    }


def save_columns(columns: Columns, path: Path) -> None:
    """Write atomically (temporary file, fsync, rename): a reader sees all of it or none."""
    meta = {
        "token": columns.token,
        "grouped": columns.grouped,
        "speakers": columns.speakers,
        "speaker_aliases": columns.speaker_aliases,
        "topics": columns.topics.names,
        "regions": columns.regions.names,
        "countries": columns.countries.names,
        "words": columns.words,
        "layout": columns.layout,
    }
    if columns.word_stems is not None:
        # One string: read at open as fast as one word (a list would cost as much as `words`).
        meta["word_stems"] = "\n".join(columns.word_stems)
    arrays = {
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        "live": columns.live,
        "speaker": columns.speaker,
        "date": columns.date,
        "length": columns.length,
        "group": columns.group,
        "word_df": columns.word_df,
        "kind": columns.kind,
        "procedural": columns.procedural,
        **_multi_arrays("topics", columns.topics),
        **_multi_arrays("regions", columns.regions),
        **_multi_arrays("countries", columns.countries),
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            np.savez(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _stems(joined: object, count: int) -> tuple[str, ...] | None:
    if not isinstance(joined, str):
        return None
    stems = tuple(joined.split("\n")) if count else ()
    return stems if len(stems) == count else None


def load_columns(path: Path, token: str | None) -> Columns | None:
    """The cached columns when they describe the state `token` (any state: None), else None."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            if token is not None and meta.get("token") != token:
                return None

            def multi(prefix: str) -> MultiColumn:
                return MultiColumn(
                    tuple(meta[prefix]),
                    data[f"{prefix}_indptr"],
                    data[f"{prefix}_values"],
                    data[f"{prefix}_vptr"],
                    data[f"{prefix}_docs"],
                )

            return Columns(
                token=str(meta.get("token")),
                live=data["live"],
                speaker=data["speaker"],
                speakers=tuple(meta["speakers"]),
                date=data["date"],
                length=data["length"],
                group=data["group"],
                grouped=bool(meta["grouped"]),
                topics=multi("topics"),
                regions=multi("regions"),
                countries=multi("countries"),
                words=tuple(meta["words"]),
                word_df=data["word_df"],
                kind=data["kind"],
                procedural=data["procedural"],
                speaker_aliases=tuple(tuple(a) for a in meta.get("speaker_aliases", ())),
                layout=tuple((str(s), int(n)) for s, n in meta.get("layout", ())),
                word_stems=_stems(meta.get("word_stems"), len(meta["words"])),
            )
    except Exception:
        # Missing, cut short, overwritten or foreign (np.load raises BadZipFile, EOFError,
        # ValueError...): recompute instead.
        return None
