"""Real read-only and full file systems under the index (root, as in CI, ignores chmod): a full
disk says so with the space needed, and leaves nothing of the run behind.

Each test mounts a small tmpfs (the `tmpfs` fixture); where mounting is not allowed it skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nato_browse.index.api import DiskFull, IndexUnavailable
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index, list_sources


def test_build_into_a_read_only_file_system_is_unavailable(
    tmp_path: Path, tmpfs, small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs")
    target = tmpfs("ro,size=1m")
    with pytest.raises(IndexUnavailable) as err:
        build_index([docs], target / "index")
    assert "\n" not in str(err.value)
    assert "permission denied" in str(err.value)


def test_a_full_disk_keeps_the_previous_index(tmp_path: Path, tmpfs, small_corpus) -> None:
    docs = small_corpus(tmp_path / "docs")
    target = tmpfs("size=4m")
    index_dir = target / "index"
    build_index([docs], index_dir)
    with QuoteIndex.open(index_dir) as ix:
        before = ix.search("", collapse=False).total
    assert before > 0
    # Fill the file system, then try to index more documents into it.
    stat = os.statvfs(target)
    (target / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 16 * 1024))
    small_corpus(docs, n=40)
    with pytest.raises(IndexUnavailable) as err:
        build_index([docs], index_dir)
    assert "disk full" in str(err.value)
    assert "\n" not in str(err.value)
    (target / "filler").unlink()
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("", collapse=False).total == before


def _fill(target: Path, leave: int) -> Path:
    """Fill the file system at `target` but for `leave` bytes."""
    filler = target / "filler"
    stat = os.statvfs(target)
    filler.write_bytes(b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))
    return filler


def _used(target: Path) -> int:
    stat = os.statvfs(target)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def test_a_first_build_on_a_full_disk_leaves_nothing_behind(
    tmp_path: Path, tmpfs, small_corpus
) -> None:
    # (Enough quotes that the index itself, not only its caches, cannot fit.)
    docs = small_corpus(tmp_path / "docs", n=1500)
    target = tmpfs("size=512k")
    index_dir = target / "index"
    for _ in range(2):  # and the next run fails the same way: the disk was not left full
        with pytest.raises(DiskFull) as err:
            build_index([docs], index_dir)
        message = str(err.value)
        assert message.startswith(f"disk full: writing the index in {index_dir} needs about ")
        assert "MB free" in message and "\n" not in message
        assert err.value.needed > 512 * 1024 and not err.value.committed
        # What the run wrote is gone: only the library (what was asked for) and the locks.
        assert sorted(p.name for p in index_dir.iterdir()) == [
            "MAIN_WRITELOCK",
            "nb-build",
            "nb-library.json",
        ]
        assert _used(target) < 64 * 1024  # and its space is given back
    assert [(s.path, s.status) for s in list_sources(index_dir)] == [
        (str(docs.resolve()), "not indexed")
    ]


def test_a_rebuild_on_a_full_disk_leaves_the_previous_index(
    tmp_path: Path, tmpfs, small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs", n=5)
    target = tmpfs("size=4m")
    index_dir = target / "index"
    build_index([docs], index_dir)
    small_corpus(docs, n=300)
    before = sorted(p.name for p in index_dir.iterdir())
    filler = _fill(target, 256 * 1024)
    used = _used(target)
    with pytest.raises(DiskFull, match=r"^disk full: writing the index in .* needs about \d+ MB"):
        build_index([], index_dir, rebuild=True)
    assert sorted(p.name for p in index_dir.iterdir()) == before
    assert _used(target) <= used
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("", collapse=False).total == 10 and ix.warnings == ()
    filler.unlink()
    assert build_index([], index_dir, rebuild=True).quotes == 600


def test_a_disk_that_fills_while_caching_keeps_the_commit(
    tmp_path: Path, tmpfs, small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs", n=100)
    target = tmpfs("size=4m")
    index_dir = target / "index"
    fillers: list[Path] = []

    def fill_when_caching(done: int, total: int | None, what: str) -> None:
        if what.startswith("caching") and not fillers:
            fillers.append(_fill(target, 0))

    with pytest.raises(DiskFull) as err:
        build_index([docs], index_dir, progress=fill_when_caching)
    assert "is updated, but its search caches need about" in str(err.value)
    assert err.value.committed
    assert "`nato-browse index`" in str(err.value) and "\n" not in str(err.value)
    with QuoteIndex.open(index_dir) as ix:  # the commit is whole and searchable
        assert ix.search("measure", collapse=False).total == 100
        (warning,) = ix.warnings
        assert "search caches" in warning and "`nato-browse index`" in warning
    fillers[0].unlink()
    assert build_index([], index_dir).added == 0
    with QuoteIndex.open(index_dir) as ix:
        assert ix.warnings == ()
