"""Building and updating the quote index from the user's files.

A run holds the builder's lock (store.py) throughout, then:
1. reads the manifest of the current generation (file path -> fingerprint and document ids);
2. fingerprints every file found; unchanged files are not re-read, changed and new ones are
   loaded and their documents extracted; a document already indexed (the same release in two
   files) is indexed once, by `Document.doc_id`;
3. deletes the documents no file gives any more and adds the new ones in one Whoosh commit,
   preceded by the new generation's manifest (so the commit is never without one). The new
   quotes are written as new Whoosh segments in bulk (writer.py), each with its search cache
   (segments.py); small segments are merged into the new one as they accumulate;
4. after the commit, assembles the per-document columns from the segments' and computes the
   quote groups over *all* quotes (groups span documents), and saves them for the searchers
   (columns.py).
Interrupted before the commit's rename, the previous generation is untouched; interrupted after
it, the new one is whole and the next run finishes step 4 (searchers meanwhile treat each quote
as its own group).
"""

from __future__ import annotations

import bisect
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex

from ..api import BuildReport, IndexCorrupt, NatoBrowseError, ProgressCallback, SkippedFile
from ..extract.pipeline import extract_quotes
from ..grouping.groups import assign_groups
from ..grouping.incremental import update_groups
from ..ingest.loaders import LoadOptions, discover, fingerprint, load_file
from ..model import Document, Quote
from ..tagging.tagger import Tagger
from .columns import (
    COLUMNS_PREFIX,
    Columns,
    assemble_columns,
    columns_path,
    groups_from_numbers,
    load_columns,
    save_columns,
    state_token,
)
from .folder import (
    build_lock,
    check_folder,
    create_index,
    has_index,
    manifest_path,
    open_index,
    read_manifest,
    remove_old_sidecars,
    unavailable,
    write_json_atomic,
)
from .segments import (
    SegmentData,
    cache_dir,
    from_analysis,
    open_segments,
    stored_quotes,
    write_missing,
)
from .segments import write as write_cache
from .whoosh_compat import (
    cancel_writer,
    commit_segments,
    live_mask,
    next_generation,
    segment_id,
    segment_live_count,
    segment_of,
    writer_segments,
)
from .writer import Analyser, write_segment

MANIFEST_VERSION = 3


@dataclass
class _Plan:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # the new manifest's files
    new_docs: dict[str, Document] = field(default_factory=dict)  # loaded, by doc_id
    skipped: list[SkippedFile] = field(default_factory=list)
    unchanged_docs: set[str] = field(default_factory=set)


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    options: LoadOptions | None = None,
) -> BuildReport:
    """Index the documents under `paths` into `index_dir`, re-reading only changed files.

    The files under `paths` are the whole corpus: documents of files no longer found are
    dropped. The previous index stays whole and searchable until the new one is committed
    (Ctrl-C or a kill leaves it as it was). Raises IndexLocked when another writer holds the
    index, IndexUnavailable when the folder cannot be written, IndexCorrupt when the index is
    damaged and `rebuild` is False, NatoBrowseError (nothing changed) when none of `paths`
    exists.
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = _noop_progress if progress is None else progress
    missing = [str(p) for p in paths if not Path(p).expanduser().exists()]
    if paths and len(missing) == len(paths):
        # Most likely a typo: indexing nothing would empty the index.
        raise NatoBrowseError(f"no such file or folder: {', '.join(missing)}")
    check_folder(index_dir)
    with build_lock(index_dir):
        try:
            return _build(paths, index_dir, rebuild, report, options or LoadOptions(), started)
        except OSError as err:
            raise unavailable(index_dir, err, "write") from err


def ensure_index(
    index_dir: Path, paths: Sequence[Path], progress: ProgressCallback | None = None
) -> BuildReport | None:
    """Build the index from `paths` when `index_dir` holds none yet; None when one exists.

    An index whose very first build was interrupted (created, but never committed to) counts
    as none. A damaged index counts as one: opening it says so, and offers the rebuild.
    """
    index_dir = Path(index_dir)
    if has_index(index_dir) and not _never_committed(index_dir):
        return None
    return build_index(paths, index_dir, progress=progress)


def _never_committed(index_dir: Path) -> bool:
    try:
        ix = open_index(index_dir)
        return ix.latest_generation() == 0 and ix.is_empty()
    except NatoBrowseError:
        return False


def indexed_paths(index_dir: Path) -> list[Path] | None:
    """The paths the index in `index_dir` was last built from, or None (no index, or quotes
    written directly)."""
    try:
        generation = open_index(Path(index_dir)).latest_generation()
    except NatoBrowseError:
        return None
    manifest = read_manifest(Path(index_dir), generation) or {}
    paths = manifest.get("paths")
    return [Path(p) for p in paths] if paths else None


def _noop_progress(done: int, total: int | None, what: str) -> None:
    return None


def _open_for_writing(index_dir: Path, rebuild: bool) -> tuple[FileIndex, bool]:
    """The index to write into, and whether it must be rewritten whole."""
    if not has_index(index_dir):
        return create_index(index_dir), True
    try:
        return open_index(index_dir), rebuild
    except IndexCorrupt:
        if not rebuild:
            raise
        # Unreadable (or another version's): nothing in it is worth keeping.
        return create_index(index_dir), True


def _build(
    paths: Sequence[Path],
    index_dir: Path,
    rebuild: bool,
    progress: ProgressCallback,
    options: LoadOptions,
    started: float,
) -> BuildReport:
    # A writer killed mid-run leaves its spill files (gigabytes at 1M quotes) in Whoosh's
    # temporary folder; under the lock no other writer can be using it.
    shutil.rmtree(index_dir / "MAIN.tmp", ignore_errors=True)
    ix, whole = _open_for_writing(index_dir, rebuild)
    generation = ix.latest_generation()
    manifest = read_manifest(index_dir, generation)
    if manifest is None or manifest.get("version") != MANIFEST_VERSION:
        # No record of which file gave what: re-read everything and replace the index whole.
        manifest, whole = {"files": {}}, True
    old_files: dict[str, dict[str, Any]] = manifest["files"]
    old_docs = {d for entry in old_files.values() for d in entry["docs"]}

    plan = _plan(paths, {} if whole else old_files, progress, options)
    wanted = {d for entry in plan.files.values() for d in entry["docs"]}
    to_remove = old_docs - wanted
    to_add = [doc for doc_id, doc in plan.new_docs.items() if whole or doc_id not in old_docs]

    if whole or to_remove or to_add:
        manifest = {
            "version": MANIFEST_VERSION,
            "paths": [str(Path(p).expanduser().resolve()) for p in paths],
            "files": plan.files,
            "documents": len(wanted),
        }
        batches = _extracted(to_add, plan, progress)
        generation = _commit(ix, index_dir, manifest, to_remove, batches, whole)
    columns = _finish(ix, index_dir, generation, progress)
    live = columns.live
    speakers = np.unique(columns.speaker[live & (columns.speaker >= 0)])
    return BuildReport(
        documents=len(wanted),
        quotes=int(live.sum()),
        speakers=len(speakers),
        added=len(to_add),
        removed=len(to_remove) if not whole else len(old_docs - set(plan.new_docs)),
        unchanged=len(plan.unchanged_docs),
        skipped=tuple(plan.skipped),
        seconds=time.monotonic() - started,
    )


def _plan(
    paths: Sequence[Path],
    old_files: dict[str, dict[str, Any]],
    progress: ProgressCallback,
    options: LoadOptions,
) -> _Plan:
    """Fingerprint every file; load the changed and new ones."""
    plan = _Plan()
    files, skipped = discover([Path(p) for p in paths])
    plan.skipped.extend(skipped)
    for i, path in enumerate(files):
        key = str(path.resolve())
        progress(i, len(files), f"reading {path.name}")
        try:
            digest = fingerprint(path)
        except OSError as err:
            plan.skipped.append(SkippedFile(str(path), err.strerror or "cannot be read"))
            continue
        old = old_files.get(key)
        if old is not None and old.get("fingerprint") == digest:
            plan.files[key] = old
            plan.unchanged_docs.update(old["docs"])
            continue
        loaded = load_file(path, options)
        plan.skipped.extend(SkippedFile(str(path), w) for w in loaded.warnings)
        if loaded.error:
            plan.skipped.append(SkippedFile(str(path), loaded.error))
            continue
        doc_ids = []
        for doc in loaded.documents:
            doc_ids.append(doc.doc_id)
            plan.new_docs.setdefault(doc.doc_id, doc)
        plan.files[key] = {"fingerprint": loaded.fingerprint or digest, "docs": doc_ids}
    progress(len(files), len(files), "read all files")
    return plan


# Quotes a segment holds at most: bounds the builder's memory (about 2 KB a quote while it is
# analysed) whatever the corpus, and lets the search cache keep docnums in 16 bits.
SEGMENT_QUOTES = 65_536
# A segment this small, or at most this many times the size of what a run writes, is merged
# into the run's new segment: a run adding a few documents to a big index writes a small
# segment, and the small ones are merged as they accumulate (their number stays logarithmic).
_MERGE_BELOW = 2_000
_MERGE_RATIO = 2


def _commit(
    ix: FileIndex,
    index_dir: Path,
    manifest: dict[str, Any],
    to_remove: set[str],
    batches: Iterable[list[Quote]],
    whole: bool,
) -> int:
    """One Whoosh commit: the removals, then every quote of `batches`; returns its generation.

    The manifest is saved as the new generation's before the commit; on any failure or
    interrupt the writer is cancelled (the previous generation stays current) and the
    manifest, the new segments' files and their caches are removed.
    """
    writer = ix.writer()
    new_manifest = manifest_path(index_dir, next_generation(writer))
    analyser = Analyser(ix.schema)
    written: list[Any] = []  # SegmentFiles of the new segments
    committed = False

    def flush(quotes: list[Quote]) -> None:
        segment, analysed, files = write_segment(ix, analyser, quotes)
        written.append(files)
        write_cache(index_dir, from_analysis(segment.segment_id(), analysed))

    try:
        for doc_id in sorted(to_remove):
            writer.delete_by_term("doc", doc_id)
        batch: list[Quote] = []
        added = 0
        for quotes in batches:
            batch.extend(quotes)
            added += len(quotes)
            while len(batch) >= SEGMENT_QUOTES:
                flush(batch[:SEGMENT_QUOTES])
                batch = batch[SEGMENT_QUOTES:]
        merged = set() if whole else _to_merge(writer_segments(writer), added)
        for seg in writer_segments(writer):
            if segment_of(seg) in merged:
                batch.extend(_live_quotes(index_dir, ix, seg))
                while len(batch) >= SEGMENT_QUOTES:
                    flush(batch[:SEGMENT_QUOTES])
                    batch = batch[SEGMENT_QUOTES:]
        if batch:
            flush(batch)
        write_json_atomic(new_manifest, manifest)
        new = [files.segment for files in written]
        commit_segments(writer, lambda seg: segment_of(seg) not in merged, new, clear=whole)
        committed = True
        return next_generation(writer)
    finally:
        if not committed:
            cancel_writer(writer, str(index_dir))
            new_manifest.unlink(missing_ok=True)
            for files in written:
                files.cancel()
                shutil.rmtree(cache_dir(index_dir, files.segment.segment_id()), ignore_errors=True)


def _to_merge(segments: Sequence[Any], added: int) -> set[str]:
    """The existing segments to rewrite into this run's new one: the small ones (next to what
    the run writes, growing as they join it) and the mostly deleted ones."""
    chosen: set[str] = set()
    size = added
    by_live = sorted(segments, key=_live_count)
    for seg in by_live:
        total, deleted = segment_live_count(seg)
        live = total - deleted
        if live <= max(_MERGE_BELOW, size * _MERGE_RATIO) or deleted * 2 > total:
            chosen.add(segment_of(seg))
            size += live
    return chosen


def _live_count(segment: Any) -> int:
    total, deleted = segment_live_count(segment)
    return total - deleted


def _live_quotes(index_dir: Path, ix: FileIndex, segment: Any) -> list[Quote]:
    """The quotes of a segment about to be merged that are not deleted."""
    reader = ix.reader()
    try:
        for leaf, _ in reader.leaf_readers():
            if segment_id(leaf) == segment_of(segment):
                quotes = stored_quotes(leaf, index_dir)
                return [q for i, q in enumerate(quotes) if not segment.is_deleted(i)]
    finally:
        reader.close()
    return []


def _extracted(
    docs: list[Document], plan: _Plan, progress: ProgressCallback
) -> Iterator[list[Quote]]:
    """The quotes of each document, extracted as the writer asks for them."""
    tagger = Tagger.default()
    for i, doc in enumerate(docs):
        progress(i, len(docs), f"indexing {doc.title[:60] or doc.source}")
        try:
            yield extract_quotes(doc, tagger)
        except Exception as err:  # an extractor bug must not stop the run: report the doc
            reason = f"quotes could not be extracted ({type(err).__name__}: {err})"
            plan.skipped.append(SkippedFile(doc.source or doc.doc_id, reason))
    progress(len(docs), len(docs), "writing the index")


def index_quotes(
    quotes: Iterable[Quote],
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    add: bool = False,
) -> BuildReport:
    """Replace the index in `index_dir` with exactly `quotes` (no files behind them), or with
    `add`, add them to it (their documents must be new to it).

    For benchmarks and tests that have quotes rather than documents; a later `build_index`
    into the same folder replaces them with what its files give.
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = _noop_progress if progress is None else progress
    check_folder(index_dir)
    with build_lock(index_dir):
        ix, whole = _open_for_writing(index_dir, rebuild=not add)
        before = (read_manifest(index_dir, ix.latest_generation()) or {}) if not whole else {}
        docs: set[str] = set()

        def batches() -> Iterator[list[Quote]]:
            batch: list[Quote] = []
            for quote in quotes:
                docs.add(quote.doc)
                batch.append(quote)
                if len(batch) >= 1000:
                    yield batch
                    report(len(docs), None, "indexing quotes")
                    batch = []
            yield batch
            # Known only now, and still before the manifest is written.
            manifest["documents"] = int(before.get("documents", 0)) + len(docs)

        manifest: dict[str, Any] = {"version": MANIFEST_VERSION, "files": {}, "documents": 0}
        generation = _commit(ix, index_dir, manifest, set(), batches(), whole)
        columns = _finish(ix, index_dir, generation, report)
    live = columns.live
    return BuildReport(
        documents=len(docs),
        quotes=int(live.sum()),
        speakers=len(np.unique(columns.speaker[live & (columns.speaker >= 0)])),
        added=len(docs),
        seconds=time.monotonic() - started,
    )


def _finish(ix: FileIndex, index_dir: Path, generation: int, progress: ProgressCallback) -> Columns:
    """The columns and groups of the committed generation, computed and saved for searchers
    (or loaded, when a previous run already did).

    The columns are saved before the grouping, so that a grouping that fails or is interrupted
    still leaves an index that opens fast (each quote its own group until the next run).
    """
    reader = ix.reader()
    analyser = Analyser(ix.schema)
    try:
        progress(0, None, "caching the new segments")
        write_missing(index_dir, reader, analyser)
        token = state_token(reader)
        path = columns_path(index_dir, generation)
        columns = load_columns(path, token)
        if columns is not None and columns.grouped:
            return columns
        segments = open_segments(index_dir, reader, analyser)
        try:
            if columns is None:
                columns = assemble_columns(segments, live_mask(reader), token)
                save_columns(columns, path)
            progress(0, None, "grouping quotes")
            previous = _previous_columns(index_dir, generation)
            group = None
            if previous is not None:
                group = _regroup_changes(previous, columns, segments, analyser)
            if group is None:
                numbers = assign_groups(_LiveQuotes(segments, columns.live))
                group = groups_from_numbers(columns.live, numbers)
        finally:
            for data, _ in segments:
                data.close()
        columns = columns.with_groups(group)
        save_columns(columns, path)
        remove_old_sidecars(index_dir, generation)
        progress(1, 1, "grouped quotes")
        return columns
    finally:
        reader.close()


def _previous_columns(index_dir: Path, generation: int) -> Columns | None:
    """The grouped columns of the latest earlier generation still on disk, if any."""
    found = []
    for path in index_dir.glob(f"{COLUMNS_PREFIX}*.npz"):
        number = path.name[len(COLUMNS_PREFIX) :].split(".", 1)[0]
        if number.isdigit() and int(number) < generation:
            found.append((int(number), path))
    for _, path in sorted(found, reverse=True):
        columns = load_columns(path, None)
        if columns is not None and columns.grouped and columns.layout:
            return columns
    return None


# Candidates of a new quote: indexed quotes having at least this many of its rarest words.
_RARE_WORDS = 6
_SHARED_RARE = 3
_RARE_DF = 500


def _regroup_changes(
    previous: Columns, columns: Columns, segments: list[tuple[SegmentData, int]], analyser: Analyser
) -> np.ndarray | None:
    """The group column after a run that changed part of the index, regrouping only the groups
    it touched (grouping/incremental.py); None when everything must be regrouped."""
    old_offsets: dict[str, tuple[int, int]] = {}
    offset = 0
    for seg_id, count in previous.layout:
        old_offsets[seg_id] = (offset, count)
        offset += count
    if offset != previous.n:
        return None
    group = np.full(columns.n, -1, np.int64)
    carried = np.zeros(previous.n, bool)
    for data, new_offset in segments:
        old = old_offsets.get(data.segment_id)
        if old is None or old[1] != data.doc_count:
            continue
        old_ids = np.arange(old[0], old[0] + old[1])
        new_ids = np.arange(new_offset, new_offset + data.doc_count)
        both = previous.live[old_ids] & columns.live[new_ids]
        group[new_ids[both]] = previous.group[old_ids[both]]
        carried[old_ids[both]] = True
    fresh = int((columns.live & (group < 0)).sum())
    if fresh * 5 > int(columns.live.sum()):
        return None  # a large part is new: regrouping everything is as cheap, and exact
    lost = np.unique(previous.group[previous.live & ~carried])
    quotes = _LiveQuotes(segments, np.ones(columns.n, bool))
    text = analyser.tokenizers.get("text")

    def postings(term: str) -> np.ndarray:
        parts = []
        for data, off in segments:
            found = data.postings(term)
            if found is not None and len(found[0]):
                parts.append(np.asarray(found[0], dtype=np.int64) + off)
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def df(term: str) -> int:
        total = 0
        for data, _ in segments:
            i = data.terms.get(term)
            if i is not None:
                total += int(data.ptr[i + 1]) - int(data.ptr[i])
        return total

    hashes = np.concatenate([np.asarray(data.text_hash) for data, _ in segments])

    def candidates(docs: np.ndarray) -> np.ndarray:
        # The same words (a repeat), by text key; near-duplicates and fragments, by sharing
        # rare words: _SHARED_RARE of the new quote's rarest words, each in at most
        # _RARE_DF quotes (a common word finds everything and tells nothing).
        found = [np.flatnonzero(np.isin(hashes, hashes[docs]))]
        for d in docs.tolist():
            terms = set(text.positions(quotes[d].text)[0]) if text is not None else set()
            rare = sorted((df(t), t) for t in terms)
            rarest = [t for n, t in rare[:_RARE_WORDS] if n <= _RARE_DF]
            if len(rarest) < _SHARED_RARE:
                continue
            ids, counts = np.unique(
                np.concatenate([postings(t) for t in rarest]), return_counts=True
            )
            found.append(ids[counts >= _SHARED_RARE])
        return np.unique(np.concatenate(found))

    updated = update_groups(group, columns.live, lost, candidates, lambda d: quotes[d])
    if updated is None:
        return None
    out = np.zeros(columns.n, np.int32)
    live_ids = np.flatnonzero(columns.live)
    _, numbers = np.unique(updated[live_ids], return_inverse=True)
    out[live_ids] = numbers
    dead = np.flatnonzero(~columns.live)
    start = int(numbers.max(initial=-1)) + 1
    out[dead] = np.arange(start, start + len(dead), dtype=np.int32)
    return out


class _LiveQuotes(Sequence[Quote]):
    """The live quotes in docnum order, read from the segment caches one at a time (1M Quote
    objects held at once would take gigabytes)."""

    def __init__(self, segments: list[tuple[SegmentData, int]], live: np.ndarray) -> None:
        self.segments = segments
        self.offsets = [offset for _, offset in segments]
        self.docnums = np.flatnonzero(live)

    def __len__(self) -> int:
        return len(self.docnums)

    def __getitem__(self, i: int) -> Quote:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        docnum = int(self.docnums[i])
        data, offset = self.segments[bisect.bisect_right(self.offsets, docnum) - 1]
        return data.quote(docnum - offset)
