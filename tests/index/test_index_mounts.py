"""Real read-only and full file systems under the index (root, as in CI, ignores chmod).

Each test mounts a small tmpfs; where mounting is not allowed the tests skip.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from nato_browse.index.api import IndexUnavailable
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return result.returncode == 0


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[list[Path]]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted: list[Path] = []
    yield mounted
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_build_into_a_read_only_file_system_is_unavailable(
    tmp_path: Path, mounts: list[Path], small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs")
    target = tmp_path / "ro"
    if not _mount(target, "ro,size=1m"):
        pytest.skip("mount is not allowed here")
    mounts.append(target)
    with pytest.raises(IndexUnavailable) as err:
        build_index([docs], target / "index")
    assert "\n" not in str(err.value)
    assert "permission denied" in str(err.value)


def test_a_full_disk_keeps_the_previous_index(
    tmp_path: Path, mounts: list[Path], small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs")
    target = tmp_path / "small"
    if not _mount(target, "size=4m"):
        pytest.skip("mount is not allowed here")
    mounts.append(target)
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
