"""The index folder: opening and creating the Whoosh index, the writer's lock and sidecar files.

Atomicity: Whoosh writes new segment files, then a new table of contents (`_MAIN_<gen>.toc`)
by rename, so a reader always sees one whole committed generation; a writer killed before that
rename leaves the previous generation as it was (its orphan files are cleaned up at the next
commit). The builder's manifest (which file gave which documents) is written as
`nb-manifest-<gen>.json` *before* the commit that creates generation <gen>, so whichever
generation is current always has its manifest.

Locking: `nb-build.lock` (flock, released by the kernel when a writer dies) is held for a whole
build, around Whoosh's own write lock.
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

from ..api import IndexCorrupt, IndexLocked, IndexMissing, IndexUnavailable
from .columns import COLUMNS_PREFIX
from .schema import make_schema, schema_matches

MANIFEST_PREFIX = "nb-manifest-"
SIDECAR_PREFIX = "nb-"
BUILD_LOCK = "nb-build"
REBUILD_HINT = "run `nato-browse index --rebuild`"


def _os_reason(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    if err.errno == errno.ENOSPC:
        return "disk full"
    if err.errno == errno.ENOENT:
        return "folder was deleted"
    return err.strerror or type(err).__name__


def unavailable(index_dir: Path, err: OSError, doing: str = "read") -> IndexUnavailable:
    return IndexUnavailable(f"cannot {doing} the index in {index_dir}: {_os_reason(err)}")


def has_index(index_dir: Path) -> bool:
    try:
        return whoosh_index.exists_in(str(index_dir))
    except OSError:
        return False
    except Exception:  # present but unreadable: open_index reports it as IndexCorrupt
        return True


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
            raise IndexMissing(f"no index in {index_dir} yet: run `nato-browse index`")
        ix = whoosh_index.open_dir(str(index_dir))
        schema = ix.schema
    except (IndexMissing, IndexUnavailable):
        raise
    except PermissionError as err:
        raise unavailable(index_dir, err) from err
    except FileNotFoundError as err:
        raise IndexUnavailable(f"the index in {index_dir} went away while opening it") from err
    except Exception as err:  # Whoosh raises many kinds for a damaged table of contents
        raise IndexCorrupt(f"the index in {index_dir} is damaged: {REBUILD_HINT}") from err
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
            if p.name.startswith(SIDECAR_PREFIX) and p.name != BUILD_LOCK:
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
        return whoosh_index.create_in(str(index_dir), make_schema())
    except OSError as err:
        raise unavailable(index_dir, err, "create") from err


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the builder's lock; IndexLocked at once when another process has it."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(index_dir)).lock(BUILD_LOCK)
        acquired = lock.acquire(blocking=False)
    except OSError as err:
        raise unavailable(index_dir, err, "write") from err
    if not acquired:
        raise IndexLocked(
            f"another nato-browse is updating the index in {index_dir}: wait for it to finish"
        )
    try:
        yield
    finally:
        lock.release()


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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_manifest(index_dir: Path, generation: int) -> dict[str, Any] | None:
    try:
        with open(manifest_path(index_dir, generation), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remove_old_sidecars(index_dir: Path, keep_generation: int) -> None:
    """Drop manifests and column caches of generations older than the current one."""
    for prefix in (MANIFEST_PREFIX, COLUMNS_PREFIX):
        for p in index_dir.glob(f"{prefix}*"):
            number = p.name[len(prefix) :].split(".", 1)[0]
            if number.isdigit() and int(number) != keep_generation:
                with contextlib.suppress(OSError):
                    p.unlink()
