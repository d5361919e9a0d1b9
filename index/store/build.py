"""Building and updating the quote index from the user's files.

A run holds the builder's lock (store.py) throughout, then:
1. reads the manifest of the current generation (file path -> fingerprint and document ids);
2. fingerprints every file found; unchanged files are not re-read, changed and new ones are
   loaded and their documents extracted; a document already indexed (the same release in two
   files) is indexed once, by `Document.doc_id`;
3. deletes the documents no file gives any more and adds the new ones in one Whoosh commit,
   preceded by the new generation's manifest (so the commit is never without one);
4. after the commit, computes the per-document columns and the quote groups over *all* quotes
   (groups span documents) and saves them for the searchers (columns.py).
Interrupted before the commit's rename, the previous generation is untouched; interrupted after
it, the new one is whole and the next run finishes step 4 (searchers meanwhile treat each quote
as its own group).
"""

from __future__ import annotations

import bisect
import contextlib
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.writing import CLEAR

from ..api import BuildReport, IndexCorrupt, NatoBrowseError, ProgressCallback, SkippedFile
from ..extract.pipeline import extract_quotes
from ..grouping.groups import assign_groups
from ..ingest.loaders import LoadOptions, discover, fingerprint, load_file
from ..model import Document, Quote
from ..tagging.tagger import Tagger
from .columns import (
    Columns,
    columns_path,
    count_words,
    groups_from_numbers,
    load_columns,
    read_columns,
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
from .schema import quote_to_document, surface_words
from .segments import SegmentData, open_segments, write_missing
from .whoosh_compat import has_term, next_generation

MANIFEST_VERSION = 2
# Whoosh's in-memory buffer before it spills a segment to disk.
_WRITER_MB = 256


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
    old_manifest = manifest
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
        words = Counter() if whole else Counter(old_manifest.get("words", {}))
        generation = _commit(ix, index_dir, manifest, to_remove, batches, words)
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
            if not path.is_absolute():
                # Sources name files in full: the app reads a document again from any folder.
                doc = replace(doc, source=str(path.absolute()) + doc.source[len(str(path)) :])
            doc_ids.append(doc.doc_id)
            plan.new_docs.setdefault(doc.doc_id, doc)
        plan.files[key] = {"fingerprint": loaded.fingerprint or digest, "docs": doc_ids}
    progress(len(files), len(files), "read all files")
    return plan


def _commit(
    ix: FileIndex,
    index_dir: Path,
    manifest: dict[str, Any],
    to_remove: set[str],
    batches: Iterable[list[Quote]],
    words: Counter[str],
) -> int:
    """One Whoosh commit: the removals, then every quote of `batches`; returns its generation.

    `words` (the previous lexicon; empty to replace the index whole) is updated with the words
    of the quotes removed and added, and saved in `manifest`. The manifest is saved as the new
    generation's before the commit; on any failure or interrupt the writer is cancelled (the
    previous generation stays current) and the manifest removed.
    """
    whole = not words
    writer = ix.writer(limitmb=_WRITER_MB)
    new_manifest = manifest_path(index_dir, next_generation(writer))
    committed = False
    try:
        if not whole:
            reader = ix.reader()
            try:
                words.subtract(_words_of_docs(reader, to_remove))
            finally:
                reader.close()
            for doc_id in sorted(to_remove):
                writer.delete_by_term("doc", doc_id)
        for quotes in batches:
            for quote in quotes:
                writer.add_document(**quote_to_document(quote))
                words.update(surface_words(quote.text))
        manifest["words"] = {w: n for w, n in sorted(words.items()) if n > 0}
        write_json_atomic(new_manifest, manifest)
        writer.commit(mergetype=CLEAR) if whole else writer.commit()
        committed = True
        return next_generation(writer)
    finally:
        if not committed:
            writer.cancel()
            new_manifest.unlink(missing_ok=True)
            _remove_segment_files(index_dir, writer)


def _remove_segment_files(index_dir: Path, writer: Any) -> None:
    """Files a cancelled writer had begun for its new segment (Whoosh would only clean them up
    at the next commit)."""
    segment = getattr(writer, "newsegment", None)
    if segment is None:
        return
    prefix = segment.segment_id() + "."
    for path in index_dir.glob(prefix + "*"):
        with contextlib.suppress(OSError):
            path.unlink()


def _words_of_docs(reader: IndexReader, doc_ids: Iterable[str]) -> Counter[str]:
    """The lexicon counts of the quotes of these documents (about to be deleted)."""
    texts = []
    for doc_id in doc_ids:
        if has_term(reader, "doc", doc_id):
            for docnum in reader.postings("doc", doc_id).all_ids():
                texts.append(reader.stored_fields(docnum)["quote"]["text"])
    return count_words(texts)


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
    quotes: Iterable[Quote], index_dir: Path, *, progress: ProgressCallback | None = None
) -> BuildReport:
    """Replace the index in `index_dir` with exactly `quotes` (no files behind them).

    For benchmarks and tests that have quotes rather than documents; a later `build_index`
    into the same folder replaces them with what its files give.
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = _noop_progress if progress is None else progress
    check_folder(index_dir)
    with build_lock(index_dir):
        ix, _ = _open_for_writing(index_dir, rebuild=True)
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
            manifest["documents"] = len(docs)

        manifest: dict[str, Any] = {"version": MANIFEST_VERSION, "files": {}, "documents": 0}
        generation = _commit(ix, index_dir, manifest, set(), batches(), Counter())
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
    """Segment caches, columns and groups for the current generation, where not yet saved.

    The columns are saved before the grouping, so that a grouping that fails or is interrupted
    still leaves an index that opens fast (each quote its own group until the next run).
    """
    reader = ix.reader()
    try:
        progress(0, None, "caching the new segments")
        write_missing(index_dir, reader)
        token = state_token(reader)
        path = columns_path(index_dir, generation)
        columns = load_columns(path, token)
        if columns is not None and columns.grouped:
            return columns
        segments = open_segments(index_dir, reader)
        try:
            if columns is None:
                words = (read_manifest(index_dir, generation) or {}).get("words")
                columns = read_columns(reader, words, segments)
                save_columns(columns, path)
            progress(0, None, "grouping quotes")
            numbers = assign_groups(_LiveQuotes(segments, columns.live))
        finally:
            for data, _ in segments:
                data.close()
        columns = columns.with_groups(groups_from_numbers(columns.live, numbers))
        save_columns(columns, path)
        remove_old_sidecars(index_dir, generation)
        progress(1, 1, "grouped quotes")
        return columns
    finally:
        reader.close()


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
