"""Building and updating the quote index from the sources of the library (library.py).

A run holds the builder's lock (folder.py) throughout, then:
1. reads the library and applies what was asked: sources added (a path inside a source reads
   that part of it again), removed, or all read again; the library file is saved at once, so a
   run killed before its commit still knows what the user asked for;
2. reads the sources asked about: fingerprints every file found; unchanged files are not
   re-read, changed and new ones are loaded and their documents extracted; a document already
   indexed (the same release in two files) is indexed once, by `Document.doc_id`. A source that
   is missing, unreadable or gives no documents keeps its files, and so its documents; a file
   gone from a source that is there is dropped. Sources not asked about are not read;
3. deletes the documents no source gives any more and adds the new ones in one Whoosh commit,
   preceded by the new generation's manifest (so the commit is never without one). The new
   quotes are written as new Whoosh segments in bulk (writer.py), each with its search cache
   (segments.py); small segments are merged into the new one as they accumulate;
4. after the commit, assembles the per-document columns from the segments' and regroups the
   quotes the run touched (all of them when it rewrote a fifth of the index or more), saves them
   for the searchers (columns.py), then the library.
Interrupted before the commit's rename, the previous generation is untouched and everything the
run wrote is removed; interrupted after it, the new one is whole and the next run finishes
step 4 (searchers meanwhile treat each quote as its own group).
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import itertools
import math
import os
import shutil
import stat
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from ..api import (
    BuildReport,
    DiskFull,
    IndexCorrupt,
    IndexMissing,
    NatoBrowseError,
    ProgressCallback,
    SkippedFile,
    SourceInfo,
    SourceStatus,
)
from ..extract.people import People
from ..grouping.groups import assign_groups, assign_groups_from
from ..grouping.incremental import update_groups
from ..grouping.inputs import GroupingInputs
from ..ingest.loaders import (
    NO_SUCH_PATH,
    LoadOptions,
    discover,
    display_path,
    fingerprint,
    load_file,
)
from ..model import Document, Quote
from ..paths import DEFAULT_CORPUS
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
    damage_error,
    discard_index,
    has_index,
    manifest_path,
    open_index,
    read_manifest,
    remove_leftovers,
    remove_old_sidecars,
    unavailable,
    write_json_atomic,
)
from .heap import big_blocks_mapped
from .library import (
    MANIFEST_VERSION,
    READABLE_MANIFESTS,
    Library,
    Source,
    is_within,
    now,
    read_library,
    remove_library_file,
    source_key,
    sources_of_manifest,
)
from .parallel import (
    PARALLEL_MIN_TEXT,
    SegmentSink,
    extract_one,
    worker_count,
)
from .schema import quote_from_stored
from .segments import (
    CacheDamaged,
    SegmentData,
    cache_dir,
    open_segments,
    stored_quotes,
    write_missing,
)
from .whoosh_compat import (
    DAMAGE,
    cancel_quietly,
    commit_segments,
    has_term,
    latest_generation,
    live_mask,
    next_generation,
    remove_orphan_segments,
    segment_id,
    segment_live_count,
    segment_of,
    writer_segments,
)
from .writer import SEGMENT_QUOTES, Analyser

_MB = 1024 * 1024
# The disk an index takes, at its peak while a commit assembles its segment (the segment's
# files then exist twice) and with its search caches, per byte of quote text and context (and
# parallel.QUOTE_FIELDS_BYTES a quote): measured at 5.3 on the test corpus (4,568 quotes,
# 18 MB), 4.1 on made-up releases (2,400 quotes, 4.8 MB).
_INDEX_BYTES_PER_PAYLOAD_BYTE = 5.0
# What reading a damaged index (or cache) raises.
_READ_FAILURES: tuple[type[BaseException], ...] = (*DAMAGE, CacheDamaged)


@dataclass(frozen=True)
class _Request:
    add: tuple[Path, ...] = ()  # sources to add (or parts of sources to read again)
    remove: tuple[Path, ...] = ()  # sources to take out of the library
    rebuild: bool = False
    workers: int | None = None  # processes to extract and write with (None: automatic)


@dataclass
class _Plan:
    new_docs: dict[str, Document] = field(default_factory=dict)  # loaded, by doc_id
    skipped: list[SkippedFile] = field(default_factory=list)
    quotes: dict[str, int] = field(default_factory=dict)  # quotes per document extracted
    extracted: int = 0  # documents extracted so far (for the disk-full estimate)
    # Told of each file's documents new to the run, as soon as the file is read.
    on_read: Callable[[list[Document]], None] | None = None
    # Told of the files a source holds, before they are read.
    on_files: Callable[[list[Path]], None] | None = None


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    options: LoadOptions | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Add each of `paths` to the library kept in `index_dir` and index it, re-reading only
    changed files; without `paths`, read every source of the library again (the demo corpus
    when the library is empty). With `rebuild`, the index is written anew from every source.
    Many documents are extracted and written by `workers` processes (default: one a core;
    a few are done in this process).

    Documents of other sources are never dropped, nor those of a source found missing,
    unreadable or empty. The previous index stays whole and searchable until the new one is
    committed (Ctrl-C or a kill leaves it as it was). Raises IndexLocked when another writer
    holds the index, IndexUnavailable when the folder cannot be written (DiskFull when the disk
    filled up), IndexCorrupt when the index is damaged and `rebuild` is False, NatoBrowseError
    (nothing changed) when none of `paths` exists.
    """
    request = _Request(add=tuple(Path(p) for p in paths), rebuild=rebuild, workers=workers)
    return _locked_run(request, Path(index_dir), progress, options)


def remove_source(
    path: Path, index_dir: Path, *, progress: ProgressCallback | None = None
) -> BuildReport:
    """Take the source `path` out of the library and drop the documents no other source gives
    (`BuildReport.removed`). Raises NatoBrowseError when `path` is not a source."""
    return _locked_run(_Request(remove=(Path(path),)), Path(index_dir), progress, None)


def list_sources(index_dir: Path) -> tuple[SourceInfo, ...]:
    """The sources of the library kept in `index_dir`, as its last runs left them (nothing is
    read but the index's own records). Raises NatoBrowseError when the records are lost."""
    index_dir = Path(index_dir)
    library = read_library(index_dir)
    if library.lost:
        raise _lost(index_dir)
    counts = library.quote_counts()
    unknown = library.docs() - set(counts)
    if unknown:  # an index written before the counts were kept
        with contextlib.suppress(NatoBrowseError, *DAMAGE, OSError):
            ix = open_index(index_dir)
            with ix.reader() as reader:
                counts.update(_quote_counts(reader, unknown))
    return library.infos(counts)


def ensure_index(
    index_dir: Path, paths: Sequence[Path] = (), progress: ProgressCallback | None = None
) -> BuildReport | None:
    """Build the index when `index_dir` holds none yet; None when one exists.

    The build reads the library's sources, or `paths` when the library is empty (the demo
    corpus when both are). An index whose very first build was interrupted (created, but never
    committed to) counts as none. A damaged index counts as one: opening it says so, and offers
    the rebuild.
    """
    index_dir = Path(index_dir)
    if has_index(index_dir) and not _never_committed(index_dir):
        return None
    try:
        open_index(index_dir)
    except IndexMissing:
        pass
    except IndexCorrupt:
        if not _never_committed(index_dir):
            raise
    library = read_library(index_dir)
    return build_index([] if library.sources else paths, index_dir, progress=progress)


def _never_committed(index_dir: Path) -> bool:
    try:
        ix = open_index(index_dir)
        return ix.latest_generation() == 0 and ix.is_empty()
    except NatoBrowseError:
        return False


def _noop_progress(done: int, total: int | None, what: str) -> None:
    return None


def _lost(index_dir: Path) -> NatoBrowseError:
    return NatoBrowseError(
        f"the list of sources kept in {index_dir} is damaged (nb-library.json and the manifest):"
        " index your folders again with `nato-browse index PATH`"
    )


def _locked_run(
    request: _Request,
    index_dir: Path,
    progress: ProgressCallback | None,
    options: LoadOptions | None,
) -> BuildReport:
    started = time.monotonic()
    report = _noop_progress if progress is None else progress
    check_folder(index_dir)
    with build_lock(index_dir):
        try:
            return _run(request, index_dir, report, options or LoadOptions(), started)
        except NatoBrowseError:
            raise
        except OSError as err:
            if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC):
                raise unavailable(index_dir, err, "write") from err
            raise damage_error(index_dir, err) from err
        except _READ_FAILURES as err:
            raise damage_error(index_dir, err) from err


def _open_for_writing(index_dir: Path, rebuild: bool) -> tuple[FileIndex, bool]:
    """The index to write into, and whether it was created by this run."""
    try:
        return open_index(index_dir), False
    except IndexMissing:
        return create_index(index_dir), True
    except IndexCorrupt:
        if not rebuild:
            raise
        # Unreadable (or another version's): nothing in it is worth keeping.
        return create_index(index_dir), True


def _apply(
    library: Library, request: _Request
) -> tuple[dict[str, list[str]], list[Source], list[Source], list[SkippedFile]]:
    """Change the library as asked. Returns what to read (source path -> the paths in it to
    read), the sources added and dropped, and the paths not added (they do not exist).

    The demo corpus is there only while the library holds nothing of the user's: asked for
    when it does, it is not added (the other sources are read instead), and a source of the
    user's added takes its place."""
    scopes: dict[str, list[str]] = {}
    added: list[Source] = []
    dropped: list[Source] = []
    skipped: list[SkippedFile] = []
    for raw in request.remove:
        source = library.find(source_key(raw)) or library.find(os.path.abspath(raw))
        if source is None:
            raise NatoBrowseError(
                f"{display_path(raw)} is not a source of the library: "
                "`nato-browse sources` lists them"
            )
        library.sources.remove(source)
        dropped.append(source)
    users = any(not s.demo for s in library.sources)
    adds = [p for p in request.add if not (users and source_key(p) == source_key(DEFAULT_CORPUS))]
    for raw in adds:
        key = source_key(raw)
        owner = library.owner(key)
        if owner is not None:
            scopes.setdefault(owner.path, []).append(key)
            continue
        if not os.path.lexists(key):
            skipped.append(SkippedFile(display_path(raw), NO_SUCH_PATH))
            continue
        source = Source(path=key, added=now())
        for inner in [s for s in library.sources if is_within(s.path, key)]:
            # The new source holds an older one: its files (and their documents) move in.
            source.files.update(inner.files)
            library.sources.remove(inner)
            scopes.pop(inner.path, None)
        library.sources.append(source)
        added.append(source)
        scopes[key] = [key]
    if adds and not scopes:
        # Most likely a typo: nothing is added, nothing changes.
        raise NatoBrowseError(f"{NO_SUCH_PATH}: {', '.join(s.path for s in skipped)}")
    for pending in library.sources:
        if adds and pending.status == "not indexed" and pending.path not in scopes:
            scopes[pending.path] = [pending.path]  # asked for by a run that did not finish
    if any(not s.demo for s in added):
        # The demo corpus is there only while nothing else is (unless asked for with the rest).
        for demo in [s for s in library.sources if s.demo and s not in added]:
            library.sources.remove(demo)
            dropped.append(demo)
    if not adds and not request.remove:
        if not library.sources:
            demo = Source(path=source_key(DEFAULT_CORPUS), added=now())
            library.sources.append(demo)
            added.append(demo)
        scopes = {s.path: [s.path] for s in library.sources}
    return scopes, added, dropped, skipped


def _run(
    request: _Request,
    index_dir: Path,
    progress: ProgressCallback,
    options: LoadOptions,
    started: float,
) -> BuildReport:
    remove_leftovers(index_dir)
    library = read_library(index_dir)
    if library.lost and not request.add:
        raise _lost(index_dir)
    scopes, added, dropped, not_added = _apply(library, request)
    if added or dropped:
        library.save(index_dir, latest_generation(index_dir))

    ix, created = _open_for_writing(index_dir, request.rebuild)
    generation = ix.latest_generation()
    manifest = None if created else read_manifest(index_dir, generation)
    if manifest is not None and manifest.get("version") not in READABLE_MANIFESTS:
        manifest = None
    # No record of which file gave what (or quotes written directly): everything is read again
    # and the index replaced whole.
    whole = request.rebuild or generation == 0 or manifest is None or bool(manifest.get("direct"))
    old = sources_of_manifest(manifest) if manifest is not None else []
    old_docs = {d for source in old for d in source.docs()}
    counts = Library(old).quote_counts()
    if whole:
        scopes = {s.path: [s.path] for s in library.sources}

    plan = _Plan()
    # Extraction starts as the files are read, in workers, once there is enough to do.
    sink = SegmentSink(ix, Analyser(ix.schema), worker_count(request.workers))
    held: list[Document] = []
    held_text = 0

    def on_read(docs: list[Document]) -> None:
        nonlocal held_text
        for doc in docs:
            if whole or doc.doc_id not in old_docs:
                held.append(doc)
                held_text += len(doc.body)
        if request.workers is not None or held_text >= PARALLEL_MIN_TEXT:
            sink.prefetch(held)
            held.clear()
            held_text = 0

    def on_files(files: list[Path]) -> None:
        # A whole build reads every file: when they are big, the workers start at once and
        # load the extractor's tables while the first file is read.
        if whole and sum(_size(f) for f in files) >= PARALLEL_MIN_TEXT:
            sink.warm()

    plan.on_read = on_read
    plan.on_files = on_files
    try:
        read = [s for s in library.sources if s.path in scopes]
        for i, source in enumerate(read):
            position = (i, len(read))
            _read_source(source, scopes[source.path], whole, plan, progress, options, position)
        for source in added:
            if source.status != "ok" and not source.files and source in library.sources:
                # Asked for, but nothing in it could be read: not worth a place in the library.
                library.sources.remove(source)
                read.remove(source)
                not_added.append(SkippedFile(display_path(source.path), _NOT_ADDED[source.status]))

        wanted = library.docs()
        carried: list[Quote] = []
        if whole:
            # Documents kept but not read again (their source is missing, unreadable or empty):
            # carried over from the index being replaced, or dropped when it cannot be read.
            kept = wanted - set(plan.new_docs)
            found = _carry(ix, kept) if kept and not created else None
            if found is not None:
                carried = found
            elif kept:
                _forget(library, kept)
                wanted -= kept
        to_remove = set() if whole else old_docs - wanted
        to_add = [doc for doc_id, doc in plan.new_docs.items() if whole or doc_id not in old_docs]
        if not whole:
            unknown = wanted - set(counts) - {doc.doc_id for doc in to_add}
            if unknown:  # an index written before the counts were kept
                with ix.reader() as reader:
                    counts.update(_quote_counts(reader, unknown))
        manifest_out = {
            "version": MANIFEST_VERSION,
            "sources": library.manifest_sources(),
            "documents": len(wanted),
        }
        in_order: list[GroupingInputs] | None = None
        if whole or to_remove or to_add:
            carried_counts = Counter(q.doc for q in carried)
            if whole:  # its quotes are the index's, in docnum order: grouped as written
                in_order = []

            workers = sink.workers if sink.started else _workers_for(to_add, request.workers)
            sink.workers = workers

            def batches() -> Iterator[list[Quote]]:
                if carried:
                    yield carried
                if workers == 1:
                    yield from _extracted(to_add, plan, progress)

            def set_counts() -> None:
                # Known only now, and still before the manifest is written.
                _set_counts(library, {**counts, **carried_counts, **plan.quotes})
                manifest_out["sources"] = library.manifest_sources()

            try:
                generation = _commit(
                    ix,
                    index_dir,
                    manifest_out,
                    to_remove,
                    batches(),
                    whole,
                    documents=to_add if workers > 1 else (),
                    expected=len(to_add),
                    plan=plan,
                    progress=progress,
                    workers=workers,
                    before_manifest=set_counts,
                    sink=sink,
                    grouping=in_order,
                )
            except BaseException:
                if created:
                    discard_index(index_dir)  # a first build leaves no half-made index behind
                raise
        elif _files_changed(old, library) and generation > 0:
            # Same documents, other files or sources (a file renamed, a source removed whose
            # documents another gives): this generation's manifest is rewritten in place.
            _set_counts(library, counts)
            write_json_atomic(manifest_path(index_dir, generation), manifest_out)
        columns = _finish_or_full(ix, index_dir, generation, progress, in_order)
        with contextlib.suppress(OSError):  # the manifest has the sources too: recoverable
            library.save(index_dir, generation)

        live = columns.live
        speakers = columns.speaker_count(np.flatnonzero(live))
        final_counts = library.quote_counts()
        return BuildReport(
            documents=len(wanted),
            quotes=int(live.sum()),
            speakers=speakers,
            added=len(to_add),
            removed=len(to_remove) if not whole else len(old_docs - wanted),
            unchanged=len(wanted) - len(to_add) if not whole else 0,
            skipped=tuple(plan.skipped),
            seconds=time.monotonic() - started,
            not_added=tuple(not_added),
            sources=tuple(s.info(final_counts) for s in read),
            dropped=tuple(display_path(s.path) for s in dropped),
        )

    finally:
        sink.stop()  # the workers of a run that failed before its commit


_NOT_ADDED = {
    "missing": NO_SUCH_PATH,
    "unreadable": "cannot be read (permission denied)",
    "empty": "no documents could be read from it",
    "not indexed": "not read",
    "ok": "",
}


def _read_source(
    source: Source,
    scopes: list[str],
    whole: bool,
    plan: _Plan,
    progress: ProgressCallback,
    options: LoadOptions,
    position: tuple[int, int],
) -> None:
    """Read `scopes` (the source itself, or paths inside it) into `source.files`.

    A source that is missing or cannot be read, or that gives no document at all when read
    whole, keeps its files as they were: only its status changes. Within a source that is
    there, a file that is gone is dropped; one that cannot be read keeps what it gave.
    """
    reachable = _reachable(Path(source.path))
    if reachable != "ok":
        source.status = reachable
        return
    old = source.files
    reuse = {} if whole else old
    files, skipped = discover([Path(p) for p in scopes])
    if plan.on_files is not None:
        plan.on_files(files)
    in_scope = {k for k in old if any(is_within(k, scope) for scope in scopes)}
    new: dict[str, dict[str, Any]] = {k: e for k, e in old.items() if k not in in_scope}
    found = set()
    label = Path(source.path).name or source.path
    for i, path in enumerate(files):
        key = str(path.resolve())
        found.add(key)
        progress(i, len(files), f"reading {label}: {path.name}")
        try:
            digest = fingerprint(path)
        except OSError as err:
            skipped.append(SkippedFile(display_path(path), err.strerror or "cannot be read"))
            if key in old and not isinstance(err, FileNotFoundError):
                new[key] = old[key]  # there but unreadable: what it gave is kept
            continue
        previous = reuse.get(key)
        if previous is not None and previous.get("fingerprint") == digest:
            new[key] = previous
            continue
        loaded = load_file(path, options)
        skipped.extend(SkippedFile(display_path(path), w) for w in loaded.warnings)
        if loaded.error:
            skipped.append(SkippedFile(display_path(path), loaded.error))
            if key in old and not loaded.fingerprint:  # its bytes could not be read
                new[key] = old[key]
            continue
        fresh = []
        for doc in loaded.documents:
            if doc.doc_id not in plan.new_docs:  # read twice: the first one counts
                plan.new_docs[doc.doc_id] = doc
                fresh.append(doc)
        if plan.on_read is not None and fresh:
            plan.on_read(fresh)
        docs = [doc.doc_id for doc in loaded.documents]
        new[key] = {"fingerprint": loaded.fingerprint or digest, "docs": docs}
    for key in in_scope - found:
        if not _gone(key):  # not found, but there (a folder on the way cannot be read)
            new[key] = old[key]
    progress(len(files), len(files), f"read {label} ({position[0] + 1} of {position[1]})")
    plan.skipped.extend(skipped)
    whole_source = source.path in scopes
    if whole_source and not any(entry["docs"] for entry in new.values()):
        source.status = "empty"
        source.skipped = skipped
        return
    source.files = new
    source.status = "ok"
    source.indexed = now()
    if whole_source:
        source.skipped = skipped
    else:
        outside = [s for s in source.skipped if not any(is_within(s.path, p) for p in scopes)]
        source.skipped = outside + skipped


def _reachable(path: Path) -> SourceStatus:
    """ "ok", "missing" or "unreadable"."""
    try:
        is_dir = stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError:
        return "unreadable"
    return "ok" if os.access(path, os.R_OK | os.X_OK if is_dir else os.R_OK) else "unreadable"


def _gone(path: str) -> bool:
    """Whether a file is known not to exist any more (not merely out of reach)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _files_changed(old: list[Source], library: Library) -> bool:
    before = {s.path: {k: e.get("fingerprint") for k, e in s.files.items()} for s in old}
    after = {s.path: {k: e.get("fingerprint") for k, e in s.files.items()} for s in library.sources}
    return before != after


def _set_counts(library: Library, counts: dict[str, int]) -> None:
    for source in library.sources:
        for entry in source.files.values():
            entry["quotes"] = [counts.get(d, 0) for d in entry["docs"]]


def _forget(library: Library, docs: set[str]) -> None:
    """Drop the files whose documents could not be carried into a rebuilt index."""
    for source in library.sources:
        source.files = {k: e for k, e in source.files.items() if not set(e["docs"]) & docs}


def _carry(ix: FileIndex, doc_ids: set[str]) -> list[Quote] | None:
    """The quotes of these documents in the index being replaced; None when it cannot be read
    (they are then dropped: nothing else holds them)."""
    try:
        with ix.reader() as reader:
            quotes = []
            for doc_id in sorted(doc_ids):
                if has_term(reader, "doc", doc_id):
                    for docnum in reader.postings("doc", doc_id).all_ids():
                        quotes.append(quote_from_stored(reader.stored_fields(docnum)))
            return quotes
    except (*_READ_FAILURES, OSError, KeyError, TypeError):  # type: ignore[misc]
        return None


def _quote_counts(reader: IndexReader, doc_ids: Iterable[str]) -> dict[str, int]:
    counts = {}
    for doc_id in doc_ids:
        n = 0
        if has_term(reader, "doc", doc_id):
            n = len(list(reader.postings("doc", doc_id).all_ids()))
        counts[doc_id] = n
    return counts


# A segment this small, or at most this many times the size of what a run writes, is merged
# into the run's new segment: a run adding a few documents to a big index writes a small
# segment, and the small ones are merged as they accumulate (their number stays logarithmic).
# A segment half full or more is never rewritten for its size (a run's segments are at most
# SEGMENT_QUOTES: merging full ones would gain nothing), only when mostly deleted.
_MERGE_BELOW = 2_000
_MERGE_RATIO = 2


def _commit(
    ix: FileIndex,
    index_dir: Path,
    manifest: dict[str, Any],
    to_remove: set[str],
    batches: Iterable[list[Quote]],
    whole: bool,
    *,
    documents: Sequence[Document] = (),
    expected: int = 0,
    plan: _Plan | None = None,
    progress: ProgressCallback = _noop_progress,
    workers: int = 1,
    before_manifest: Callable[[], None] | None = None,
    sink: SegmentSink | None = None,
    grouping: list[GroupingInputs] | None = None,
) -> int:
    """One Whoosh commit: the removals, then every quote of `batches`, then those extracted from
    `documents`; returns its generation.

    The new quotes are written as new segments in bulk (writer.py), each with its search cache,
    by `workers` processes (parallel.py; `sink`, when the run began extracting while it read).
    What grouping compares of the quotes written, computed by the writers, is added to
    `grouping`, if given, segment by segment in docnum order.
    `before_manifest` runs once every quote is written.
    The manifest is saved as the new generation's before the commit; on any failure or
    interrupt the writer is cancelled (the previous generation stays current) and every file
    the run wrote removed. A full disk raises DiskFull with the space the run would need
    (`expected` documents to extract, of which `plan.extracted` were when the disk filled up).
    """
    writer = ix.writer()
    new_manifest = manifest_path(index_dir, next_generation(writer))
    if sink is None:
        sink = SegmentSink(ix, Analyser(ix.schema), workers)
    settled = False  # committed, or already undone
    try:
        for doc_id in sorted(to_remove):
            writer.delete_by_term("doc", doc_id)
        batch: list[Quote] = []
        added = 0
        merged: set[str] | None = None
        handed = 0  # segments handed to the sink

        def segment_size() -> int:
            """With workers, the first segments are split among them: each starts as soon as
            its share is read, and a build of a few segments' quotes ends with the workers
            finishing together (not one writing a full segment while the others wait)."""
            if sink.parallel and handed < sink.workers:
                return max(1, SEGMENT_QUOTES // sink.workers)
            return SEGMENT_QUOTES

        def merge_first() -> None:
            """Decide which segments to merge (at the first flush, or at the end) and put their
            live quotes before the new ones: docnums keep the order quotes were indexed in
            (ties in a search are listed in that order, as a rebuild would list them)."""
            nonlocal merged, batch
            if merged is not None:
                return
            merged = set() if whole else _to_merge(writer_segments(writer), added)
            old: list[Quote] = []
            for seg in writer_segments(writer):
                if segment_of(seg) in merged:
                    old.extend(_live_quotes(index_dir, ix, seg))
            batch = old + batch

        def extracted() -> Iterator[list[Quote]]:
            """The quotes of `documents`, extracted by the workers, in order."""
            for result in sink.extract(documents, progress):
                if plan is not None:
                    plan.quotes.update(result.counts)
                    plan.skipped.extend(result.skipped)
                    plan.extracted += len(result.counts)
                yield result.quotes
            progress(len(documents), len(documents), "writing the index")

        for quotes in itertools.chain(batches, extracted() if documents else ()):
            batch.extend(quotes)
            added += len(quotes)
            if len(batch) >= segment_size():
                merge_first()
                while len(batch) >= (size := segment_size()):
                    sink.write(batch[:size])
                    handed += 1
                    batch = batch[size:]
        merge_first()
        while len(batch) > (size := segment_size()):
            sink.write(batch[:size])
            handed += 1
            batch = batch[size:]
        sink.write(batch, last=True)
        sink.finish(progress)
        if before_manifest is not None:
            before_manifest()
        chosen = merged or set()
        write_json_atomic(new_manifest, manifest)
        new = [item.segment for item in sink.written()]
        commit_segments(writer, lambda seg: segment_of(seg) not in chosen, new, clear=whole)
        settled = True
        if grouping is not None:
            grouping.extend(sink.take_grouping())
        return next_generation(writer)
    except OSError as err:
        if err.errno != errno.ENOSPC:
            raise
        # Functions that failed may hold a new file open in their frames: cleared, the files
        # close, and the space of the files removed below is given back at once.
        traceback.clear_frames(err.__traceback__)
        payload = sum(item.payload for item in sink.written())
        _abandon(index_dir, ix, writer, new_manifest, sink)
        settled = True
        done = plan.extracted if plan is not None else 0
        raise _disk_full(index_dir, payload, done, expected) from err
    finally:
        if not settled:
            _abandon(index_dir, ix, writer, new_manifest, sink)


def _to_merge(segments: Sequence[Any], added: int) -> set[str]:
    """The existing segments to rewrite into this run's new one: the small ones (next to what
    the run writes, growing as they join it) and the mostly deleted ones."""
    chosen: set[str] = set()
    size = added
    for seg in sorted(segments, key=_live_count):
        total, deleted = segment_live_count(seg)
        live = total - deleted
        small = live <= max(_MERGE_BELOW, size * _MERGE_RATIO) and live < SEGMENT_QUOTES // 2
        if small or deleted * 2 > total:
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


def _abandon(
    index_dir: Path, ix: FileIndex, writer: Any, manifest: Path, sink: SegmentSink
) -> None:
    """Undo a commit that failed or was interrupted: the workers stopped, the writer cancelled,
    and the files it had begun for its new segment (Whoosh would only clean them up at the next
    commit), the new segments written in bulk with their caches (those of a worker stopped
    midway too), and the new manifest removed."""
    sink.abandon()
    cancel_quietly(writer)
    paths = [manifest, manifest.with_name(f".{manifest.name}.{os.getpid()}.tmp")]
    segment = getattr(writer, "newsegment", None)
    if segment is not None:
        paths.extend(index_dir.glob(segment.segment_id() + ".*"))
    if sink.parallel:  # what workers stopped midway had begun
        remove_orphan_segments(ix, lambda seg_id: cache_dir(index_dir, seg_id))
        remove_leftovers(index_dir)
    shutil.rmtree(index_dir / "MAIN.tmp", ignore_errors=True)
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _disk_full(index_dir: Path, payload: int, done: int, expected: int) -> DiskFull:
    """The error for a full disk, with the space the run needs: the quotes it had added when
    the disk filled, scaled to all it had to add, times what an index takes per byte of them."""
    scale = expected / done if done and expected > done else 1.0
    needed = int(payload * scale * _INDEX_BYTES_PER_PAYLOAD_BYTE) + _MB
    return DiskFull(
        f"disk full: writing the index in {index_dir} needs about {math.ceil(needed / _MB)} MB "
        "free; what this run wrote is removed, the index is as it was",
        needed,
    )


def _finish_or_full(
    ix: FileIndex,
    index_dir: Path,
    generation: int,
    progress: ProgressCallback,
    grouping: list[GroupingInputs] | None = None,
) -> Columns:
    """`_finish`, with a full disk said as such: the commit is made, only the caches are not."""
    try:
        return _finish(ix, index_dir, generation, progress, grouping)
    except OSError as err:
        if err.errno != errno.ENOSPC:
            raise
        segments = sum(_size(p) for p in index_dir.glob("MAIN_*.*"))
        raise DiskFull(
            f"disk full: the index in {index_dir} is updated, but its search caches need about "
            f"{math.ceil(segments / _MB)} MB more; searches are slower until `nato-browse "
            "index` can write them",
            segments,
            committed=True,
        ) from err


def _workers_for(docs: Sequence[Document], requested: int | None) -> int:
    """Processes to extract and write `docs` with: one, unless there is much to do."""
    if requested is None and sum(len(d.body) for d in docs) < PARALLEL_MIN_TEXT:
        return 1
    return worker_count(requested)


def _extracted(
    docs: list[Document], plan: _Plan, progress: ProgressCallback
) -> Iterator[list[Quote]]:
    """The quotes of each document, extracted in this process as the writer asks for them."""
    tagger = Tagger.default()
    people = People.default()
    for i, doc in enumerate(docs):
        progress(i, len(docs), f"indexing {doc.title[:60] or doc.source}")
        quotes, skipped = extract_one(doc, tagger, people)
        if skipped is not None:  # an extractor bug must not stop the run: report the doc
            plan.skipped.append(skipped)
        plan.quotes[doc.doc_id] = len(quotes)
        plan.extracted = i + 1
        yield quotes
    progress(len(docs), len(docs), "writing the index")


def index_quotes(
    quotes: Iterable[Quote],
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    add: bool = False,
    workers: int | None = None,
) -> BuildReport:
    """Replace the index in `index_dir` with exactly `quotes` (no files behind them), or with
    `add`, add them to it (their documents must be new to it).

    For benchmarks and tests that have quotes rather than documents; a later `build_index`
    into the same folder replaces them with what its files give. More than a segment's worth
    of quotes is written by `workers` processes (default: one a core).
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = _noop_progress if progress is None else progress
    check_folder(index_dir)
    with build_lock(index_dir):
        remove_leftovers(index_dir)
        ix, created = _open_for_writing(index_dir, rebuild=not add)
        whole = created or not add
        before = (read_manifest(index_dir, ix.latest_generation()) or {}) if not whole else {}
        docs: set[str] = set()
        in_order: list[GroupingInputs] | None = [] if whole else None

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

        def set_documents() -> None:
            # Known only now, and still before the manifest is written.
            manifest["documents"] = int(before.get("documents", 0)) + len(docs)

        # No sources: a later build replaces these quotes whole with what its files give.
        remove_library_file(index_dir)
        manifest: dict[str, Any] = {
            "version": MANIFEST_VERSION,
            "sources": {},
            "documents": 0,
            "direct": True,
        }
        generation = _commit(
            ix,
            index_dir,
            manifest,
            set(),
            batches(),
            whole,
            workers=worker_count(workers),
            before_manifest=set_documents,
            grouping=in_order,
        )
        columns = _finish(ix, index_dir, generation, report, in_order)
    live = columns.live
    return BuildReport(
        documents=len(docs),
        quotes=int(live.sum()),
        speakers=columns.speaker_count(np.flatnonzero(live)),
        added=len(docs),
        seconds=time.monotonic() - started,
    )


def _finish(
    ix: FileIndex,
    index_dir: Path,
    generation: int,
    progress: ProgressCallback,
    grouping: list[GroupingInputs] | None = None,
) -> Columns:
    """The columns and groups of the committed generation, computed and saved for searchers
    (or loaded, when a previous run already did). `grouping`, when a whole build has it, is
    what grouping compares of the index's quotes, segment by segment in docnum order (the
    writers computed it): grouped without reading a quote back.

    The columns are saved before the grouping, so that a grouping that fails or is interrupted
    still leaves an index that opens fast (each quote its own group until the next run).
    """
    with big_blocks_mapped():  # (heap.py: the peak of a big build is in here)
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
                    group = _group_all(columns, segments, grouping)
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


def _group_all(
    columns: Columns,
    segments: list[tuple[SegmentData, int]],
    grouping: list[GroupingInputs] | None,
) -> np.ndarray:
    """Every live quote's group: from the writers' `grouping` inputs when they cover the
    index, else from the quotes read back."""
    live = columns.live
    inputs = GroupingInputs.join(grouping) if grouping else None
    if inputs is not None and len(inputs) == columns.n and live.all():
        numbers = assign_groups_from(inputs)
    else:
        del inputs
        numbers = assign_groups(_LiveQuotes(segments, live))
    return groups_from_numbers(live, numbers)


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
