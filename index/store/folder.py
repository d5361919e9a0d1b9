"""The index folder: opening and creating the Whoosh index, the writer's lock and sidecar files.

Atomicity: Whoosh writes new segment files, then a new table of contents (`_MAIN_<gen>.toc`)
by rename, so a reader always sees one whole committed generation; a writer killed before that
rename leaves the previous generation as it was (its orphan files are cleaned up at the next
commit). The builder's manifest (which file gave which documents) is written as
`nb-manifest-<gen>.json` *before* the commit that creates generation <gen>, so whichever
generation is current always has its manifest. The library of sources (library.py) is
`nb-library.json`; it outlives a rebuild.

Locking: `nb-build` (flock, released by the kernel when a writer dies) is held for a whole
build, around Whoosh's own write lock.

Damage: whatever reading the index raises (Whoosh's many errors, EOFError, struct.error, an
OSError on a file) becomes one line naming the damaged file and the command that fixes it
(`damage_error`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from ..api import IndexCorrupt, IndexLocked, IndexMissing, IndexUnavailable, NatoBrowseError
from .columns import COLUMNS_PREFIX
from .schema import make_schema, schema_matches
from .whoosh_compat import WRITE_LOCK, find_damage

MANIFEST_PREFIX = "nb-manifest-"
SIDECAR_PREFIX = "nb-"
BUILD_LOCK = "nb-build"
LIBRARY_FILE = "nb-library.json"
REBUILD_HINT = "run `nato-browse index --rebuild`"
# What a rebuild keeps of an index it replaces: the library, and the lock it holds.
_KEPT = (BUILD_LOCK, LIBRARY_FILE)


def _os_reason(index_dir: Path, err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    if err.errno == errno.ENOSPC:
        return "disk full"
    if err.errno == errno.ENOENT:
        if not index_dir.is_dir():
            return "folder was deleted"
        name = Path(os.fsdecode(err.filename)).name if err.filename else "a file"
        return f"{name} went missing"
    return err.strerror or type(err).__name__


def unavailable(index_dir: Path, err: OSError, doing: str = "read") -> IndexUnavailable:
    reason = _os_reason(index_dir, err)
    return IndexUnavailable(f"cannot {doing} the index in {index_dir}: {reason}")


def damaged(index_dir: Path, what: str = "") -> IndexCorrupt:
    detail = f" ({what})" if what else ""
    return IndexCorrupt(f"the index in {index_dir} is damaged{detail}: {REBUILD_HINT}")


def damage_error(index_dir: Path, err: BaseException) -> NatoBrowseError:
    """The error for a failure while reading the index: its folder gone or unreadable, or a
    damaged file, named when it can be found."""
    if isinstance(err, NatoBrowseError):
        return err
    if isinstance(err, OSError):
        if not index_dir.is_dir():
            return IndexUnavailable(f"the index folder {index_dir} was deleted")
        if err.errno in (errno.EACCES, errno.EPERM, errno.EMFILE, errno.ENFILE, errno.ENOMEM):
            return unavailable(index_dir, err)
    what = find_damage(index_dir)
    if not what and isinstance(err, FileNotFoundError) and err.filename:
        what = f"{Path(os.fsdecode(err.filename)).name} is missing"
    if not what and isinstance(err, OSError) and err.errno not in (errno.EINVAL, errno.ENOENT):
        return unavailable(index_dir, err)  # e.g. EIO: the disk, not the index
    return damaged(index_dir, what)


def has_index(index_dir: Path) -> bool:
    try:
        return whoosh_index.exists_in(str(index_dir))
    except OSError:
        return False
    except Exception:  # present but unreadable: open_index reports it as IndexCorrupt
        return True


def has_whoosh_files(index_dir: Path) -> bool:
    """Whether the folder holds segments or manifests of an index (left by a commit)."""
    try:
        return any(
            p.name.startswith(MANIFEST_PREFIX) or (p.name.startswith("MAIN_") and "." in p.name)
            for p in index_dir.iterdir()
        )
    except OSError:
        return False


def open_index(index_dir: Path) -> FileIndex:
    """Open the index for reading. Raises IndexMissing, IndexCorrupt or IndexUnavailable."""
    if not index_dir.exists():
        raise IndexMissing(f"no index in {index_dir} yet: run `nato-browse index`")
    if not index_dir.is_dir():
        raise IndexUnavailable(f"index folder {index_dir} is not a folder")
    if not os.access(index_dir, os.R_OK | os.X_OK):
        raise IndexUnavailable(f"cannot read the index in {index_dir}: permission denied")
    try:
        if not whoosh_index.exists_in(str(index_dir)):
            if has_whoosh_files(index_dir):
                raise damaged(index_dir, "its table of contents, _MAIN_<n>.toc, is missing")
            raise IndexMissing(f"no index in {index_dir} yet: run `nato-browse index`")
        ix = whoosh_index.open_dir(str(index_dir))
        schema = ix.schema
    except Exception as err:  # Whoosh raises many kinds for a damaged table of contents
        raise damage_error(index_dir, err) from err
    if not schema_matches(schema):
        raise IndexCorrupt(
            f"the index in {index_dir} was made by another version of nato-browse: {REBUILD_HINT}"
        )
    return ix


def check_folder(index_dir: Path) -> None:
    """Refuse to write an index into a folder holding anything but an index of ours (the user
    may have pointed --index-dir at their documents: Whoosh would delete files it thinks are
    its own)."""
    try:
        names = [p.name for p in index_dir.iterdir()] if index_dir.is_dir() else []
    except OSError as err:
        raise unavailable(index_dir, err) from err
    foreign = sorted(
        n for n in names if not n.startswith(("MAIN_", "MAIN.", "_MAIN_", SIDECAR_PREFIX, ".nb-"))
    )
    if foreign:
        raise IndexUnavailable(
            f"{index_dir} holds other files ({foreign[0]}, ...): choose an empty folder "
            "for the index"
        )


def create_index(index_dir: Path) -> FileIndex:
    """Create an empty index (in an empty folder, or over a damaged index of ours)."""
    check_folder(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        # A new index restarts Whoosh's generations at 0: drop sidecars of any previous one.
        for p in index_dir.iterdir():
            if p.name.startswith(SIDECAR_PREFIX) and p.name not in _KEPT:
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
        return whoosh_index.create_in(str(index_dir), make_schema())
    except OSError as err:
        raise unavailable(index_dir, err, "create") from err


def remove_leftovers(index_dir: Path) -> None:
    """What writers killed mid-run left: Whoosh's spill files (gigabytes at 1M quotes, in
    `MAIN.tmp`) and our half-written temporary files and cache folders (`.nb-*`). Called under
    the builder's lock, when no other writer can be using them (readers write nothing)."""
    shutil.rmtree(index_dir / "MAIN.tmp", ignore_errors=True)
    with contextlib.suppress(OSError):
        for p in index_dir.glob(".nb-*"):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def discard_index(index_dir: Path) -> None:
    """Remove an index this run created and could not finish (a first build that failed): the
    folder is left as it was before, but for the library and the lock."""
    with contextlib.suppress(OSError):
        for p in index_dir.iterdir():
            if p.name in (*_KEPT, WRITE_LOCK):
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the builder's lock; IndexLocked at once when another process has it."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        repair_lock(index_dir, BUILD_LOCK)
        lock = FileStorage(str(index_dir)).lock(BUILD_LOCK)
        acquired = lock.acquire(blocking=False)
    except OSError as err:
        raise unavailable(index_dir, err, "write") from err
    if not acquired:
        raise IndexLocked(
            f"another nato-browse is updating the index in {index_dir}: wait for it to finish"
        )
    try:
        repair_lock(index_dir, WRITE_LOCK)
        yield
    finally:
        lock.release()


def repair_lock(index_dir: Path, name: str) -> None:
    """Remake a lock file that is not a file (a folder, a link): nobody can hold a lock on it,
    and opening it to lock would fail. What a lock file holds does not matter."""
    path = index_dir / name
    if path.is_symlink():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def builder_running(index_dir: Path) -> bool:
    """Whether another process holds the builder's lock right now."""
    try:
        lock = FileStorage(str(index_dir)).lock(BUILD_LOCK)
        if not lock.acquire(blocking=False):
            return True
    except OSError:
        return False  # cannot even take it (read-only folder): nobody is writing there
    lock.release()
    return False


# Sidecars.


def manifest_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"{MANIFEST_PREFIX}{generation}.json"


def write_json_atomic(path: Path, data: Any) -> None:
    """Write by temporary file, fsync and rename. ASCII only: a file name that is not valid UTF-8
    is a str with lone surrogates, which JSON's \\u escapes keep (and give back as they were)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=True, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object from a file of ours; None when missing, unreadable or damaged."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def read_manifest(index_dir: Path, generation: int) -> dict[str, Any] | None:
    return read_json(manifest_path(index_dir, generation))


def remove_old_sidecars(index_dir: Path, keep_generation: int) -> None:
    """Drop manifests and column caches of generations older than the current one."""
    for prefix in (MANIFEST_PREFIX, COLUMNS_PREFIX):
        for p in index_dir.glob(f"{prefix}*"):
            number = p.name[len(prefix) :].split(".", 1)[0]
            if number.isdigit() and int(number) != keep_generation:
                with contextlib.suppress(OSError):
                    p.unlink()
