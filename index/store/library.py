"""The library: the folders and files the user asked to index (its sources), kept with the index.

`nato-browse index PATH` adds PATH to the library and reads it; `nato-browse index` reads every
source again; `remove_source` takes one out. A run reads only the sources it is asked about, so
indexing one folder never drops the documents of another, and a source that is missing,
unreadable or empty keeps its documents (an unplugged disk must not empty the index).

Two records, both written atomically (folder.py's `write_json_atomic`):
- `nb-library.json` lists the sources with what became of them (when read, status, files
  skipped), stamped with the index generation it was written against. It is written before a
  run reads anything (so a first build killed half-way still knows what the user asked for) and
  again after it.
- the manifest of each generation (`nb-manifest-<gen>.json`, written before its commit) holds,
  per source, which file gave which documents. It is the record of what the index holds.

Which wins: the library file when its generation is the index's (a run that changed the
sources without a commit, or a removal not yet committed); otherwise the manifest decides which
sources there are (a run killed between its commit and its last write), keeping the library
file's dates and statuses. With one of the two damaged or missing, the other is used; an index
written before the library existed (manifest version 2, a list of paths) opens with those paths
as its sources.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast, get_args

from ..api import SkippedFile, SourceInfo, SourceStatus
from ..ingest.loaders import display_path
from ..paths import DEFAULT_CORPUS
from .folder import LIBRARY_FILE, manifest_path, read_json, write_json_atomic
from .whoosh_compat import latest_generation

LIBRARY_VERSION = 1
# 2: {"paths": [...], "files": {file: entry}}; 3: {"sources": {source: {"files": {...}}}}.
MANIFEST_VERSION = 3
READABLE_MANIFESTS = (2, 3)
_STATUSES: tuple[str, ...] = get_args(SourceStatus)


def source_key(path: str | os.PathLike[str]) -> str:
    """How a source is named in the records: absolute, links resolved (also for a path that
    does not exist: what exists of it is resolved)."""
    return str(Path(path).expanduser().resolve())


def is_within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies inside it (both source keys)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Source:
    """One source: its record in the library file, and its files from the manifest."""

    path: str  # source_key() of what the user gave
    added: str = ""
    indexed: str = ""  # when a run last read it; "" never
    status: SourceStatus = "not indexed"
    skipped: list[SkippedFile] = field(default_factory=list)
    # file key -> {"fingerprint": str, "docs": [doc_id, ...], "quotes": [count per doc]}
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def demo(self) -> bool:
        return self.path == source_key(DEFAULT_CORPUS)

    def docs(self) -> set[str]:
        return {d for entry in self.files.values() for d in entry["docs"]}

    def info(self, quote_counts: dict[str, int]) -> SourceInfo:
        docs = self.docs()
        return SourceInfo(
            path=display_path(self.path),
            documents=len(docs),
            quotes=sum(quote_counts.get(d, 0) for d in docs),
            status=self.status,
            indexed=self.indexed,
            skipped=tuple(self.skipped),
            demo=self.demo,
        )

    def record(self) -> dict[str, Any]:
        """The library file's record (the files live in the manifest)."""
        return {
            "path": self.path,
            "added": self.added,
            "indexed": self.indexed,
            "status": self.status,
            "skipped": [[s.path, s.reason] for s in self.skipped],
        }

    @classmethod
    def from_record(cls, data: Any) -> Source | None:
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            return None
        status = data.get("status")
        skipped = [
            SkippedFile(str(item[0]), str(item[1]))
            for item in data.get("skipped") or ()
            if isinstance(item, list) and len(item) == 2
        ]
        return cls(
            path=data["path"],
            added=str(data.get("added") or ""),
            indexed=str(data.get("indexed") or ""),
            status=cast(SourceStatus, status) if status in _STATUSES else "not indexed",
            skipped=skipped,
        )


@dataclass
class Library:
    sources: list[Source] = field(default_factory=list)
    # Neither record could be read although the index has a manifest or documents: the sources
    # are unknown (rather than none).
    lost: bool = False

    def find(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.path == key), None)

    def owner(self, key: str) -> Source | None:
        """The source that is `key` or holds it."""
        return next((s for s in self.sources if is_within(key, s.path)), None)

    def docs(self) -> set[str]:
        return {d for source in self.sources for d in source.docs()}

    def quote_counts(self) -> dict[str, int]:
        """Quotes per document as the manifest records them (documents of an index written
        before the counts were kept are left out)."""
        counts: dict[str, int] = {}
        for source in self.sources:
            for entry in source.files.values():
                for doc, n in zip(entry["docs"], entry.get("quotes") or (), strict=False):
                    counts[doc] = n
        return counts

    def infos(self, quote_counts: dict[str, int]) -> tuple[SourceInfo, ...]:
        return tuple(s.info(quote_counts) for s in self.sources)

    def manifest_sources(self) -> dict[str, Any]:
        return {s.path: {"files": s.files} for s in self.sources}

    def save(self, index_dir: Path, generation: int) -> None:
        data = {
            "version": LIBRARY_VERSION,
            "generation": generation,
            "sources": [s.record() for s in self.sources],
        }
        write_json_atomic(index_dir / LIBRARY_FILE, data)

    def copy(self) -> Library:
        return Library([replace(s, files=dict(s.files)) for s in self.sources], self.lost)


def read_library(index_dir: Path, manifest: dict[str, Any] | None = None) -> Library:
    """The library kept with the index in `index_dir`, from whatever of its records is readable.

    `manifest` is the current generation's, when the caller has read it already. Never raises:
    a folder with no records gives an empty library.
    """
    generation = latest_generation(index_dir)
    if manifest is None and generation > 0:
        manifest = read_json(manifest_path(index_dir, generation))
    if not _readable_manifest(manifest):
        manifest = None
    file = read_json(index_dir / LIBRARY_FILE)
    records = _records(file)
    by_manifest = sources_of_manifest(manifest) if manifest is not None else None

    if records is not None and (by_manifest is None or file_generation(file) == generation):
        library = Library(records)
        if by_manifest is not None:
            files = {s.path: s.files for s in by_manifest}
            for source in library.sources:
                source.files = files.get(source.path, {})
        return library
    if by_manifest is not None:
        # The manifest says which sources there are; the library file (if any) what became
        # of them.
        known = {s.path: s for s in records or ()}
        for source in by_manifest:
            record = known.get(source.path)
            if record is not None:
                source.added, source.indexed = record.added, record.indexed
                source.status, source.skipped = record.status, record.skipped
        return Library(by_manifest)
    # Neither: the newest manifest of any generation still names the sources (their files
    # cannot be trusted to match the index).
    for older in _older_manifests(index_dir, generation):
        sources = sources_of_manifest(older)
        for source in sources:
            source.files = {}
        if sources:
            return Library(sources)
    has_records = any(index_dir.glob("nb-manifest-*")) or (index_dir / LIBRARY_FILE).exists()
    return Library([], lost=has_records)


def file_generation(data: dict[str, Any] | None) -> int:
    value = (data or {}).get("generation")
    return value if isinstance(value, int) else -1


def _records(data: dict[str, Any] | None) -> list[Source] | None:
    if data is None or data.get("version") != LIBRARY_VERSION:
        return None
    raw = data.get("sources")
    if not isinstance(raw, list):
        return None
    sources = [s for s in (Source.from_record(item) for item in raw) if s is not None]
    return _unique(sources)


def _unique(sources: Iterable[Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for source in sources:
        seen.setdefault(source.path, source)
    return list(seen.values())


def _readable_manifest(manifest: dict[str, Any] | None) -> bool:
    return manifest is not None and manifest.get("version") in READABLE_MANIFESTS


def _older_manifests(index_dir: Path, generation: int) -> Iterator[dict[str, Any]]:
    numbers = []
    for path in index_dir.glob("nb-manifest-*.json"):
        digits = path.name[len("nb-manifest-") : -len(".json")]
        if digits.isdigit() and int(digits) != generation:
            numbers.append(int(digits))
    for number in sorted(numbers, reverse=True):
        manifest = read_json(manifest_path(index_dir, number))
        if _readable_manifest(manifest):
            yield cast(dict[str, Any], manifest)


def sources_of_manifest(manifest: dict[str, Any]) -> list[Source]:
    """The sources a manifest records, with their files. A version-2 manifest (one list of
    paths, one map of files) is read as one source per path, each file under the path that
    holds it (a file under none becomes a source of its own)."""
    if manifest.get("version") == 2:
        return _sources_of_v2(manifest)
    sources = []
    for path, data in (manifest.get("sources") or {}).items():
        files = data.get("files") if isinstance(data, dict) else None
        sources.append(Source(path=path, status="ok", files=_valid_files(files)))
    return sources


def _sources_of_v2(manifest: dict[str, Any]) -> list[Source]:
    paths = [p for p in manifest.get("paths") or () if isinstance(p, str)]
    sources = {p: Source(path=p, status="ok") for p in paths}
    for key, entry in _valid_files(manifest.get("files")).items():
        owner = next((p for p in paths if is_within(key, p)), None)
        if owner is None:
            owner = key
            sources[key] = Source(path=key, status="ok")
        sources[owner].files[key] = entry
    return list(sources.values())


def _valid_files(files: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(files, dict):
        return {}
    valid = {}
    for key, entry in files.items():
        if isinstance(entry, dict) and isinstance(entry.get("docs"), list):
            valid[key] = entry
    return valid


def remove_library_file(index_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (index_dir / LIBRARY_FILE).unlink()
