"""Faults: a second writer, a damaged index, a read-only/full/deleted folder, and a build killed
or interrupted half-way, which must leave the previous index whole and usable."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nato_browse.index.api import IndexCorrupt, IndexLocked, IndexUnavailable
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index, index_quotes

ROOT = Path(__file__).resolve().parents[2]


def total(index_dir: Path, query: str = "") -> int:
    with QuoteIndex.open(index_dir) as ix:
        return ix.search(query, collapse=False).total


def test_second_writer_gets_index_locked(tmp_path: Path, small_corpus) -> None:
    docs = small_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from nato_browse.index.store.folder import build_lock\n"
            f"with build_lock(Path({str(index_dir)!r})):\n"
            "    print('locked', flush=True); time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match="another nato-browse is updating the index"):
            build_index([docs], index_dir)
        # The CLI says it in one line, no traceback.
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "nato_browse.tui.cli",
                "index",
                str(docs),
                "--index-dir",
                str(index_dir),
            ],
            capture_output=True,
            text=True,
        )
        assert cli.returncode == 1
        assert cli.stderr.strip().startswith("nato-browse: another nato-browse is updating")
        assert "Traceback" not in cli.stderr and len(cli.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
    # The lock dies with its holder.
    assert build_index([docs], index_dir).quotes == 4


def test_damaged_index_says_rebuild_and_rebuild_fixes_it(tmp_path: Path, small_corpus) -> None:
    docs = small_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(IndexCorrupt, match=r"run `nato-browse index --rebuild`"):
        QuoteIndex.open(index_dir)
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        build_index([docs], index_dir)
    assert build_index([docs], index_dir, rebuild=True).quotes == 4
    assert total(index_dir) == 4


def test_damaged_segment_is_reported_as_corrupt(tmp_path: Path, sample_quotes) -> None:
    index_dir = tmp_path / "index"
    index_quotes(sample_quotes(), index_dir)
    for segment in index_dir.glob("MAIN_*.*"):  # the segment's files (postings, stored...)
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 3])
    for sidecar in index_dir.glob("nb-*-*"):  # so that opening reads the segment itself
        shutil.rmtree(sidecar) if sidecar.is_dir() else sidecar.unlink()
    with pytest.raises(IndexCorrupt, match="--rebuild"), QuoteIndex.open(index_dir) as ix:
        ix.search("ukraine")


def test_index_of_another_version_asks_for_a_rebuild(tmp_path: Path) -> None:
    from whoosh import fields, index

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    index.create_in(str(index_dir), fields.Schema(content=fields.TEXT))
    with pytest.raises(IndexCorrupt, match=r"another version.*--rebuild"):
        QuoteIndex.open(index_dir)


def test_read_only_index_folder_still_searches(tmp_path: Path, sample_quotes) -> None:
    index_dir = tmp_path / "index"
    index_quotes(sample_quotes(), index_dir)
    for sidecar in index_dir.glob("nb-columns-*"):
        sidecar.unlink()  # so opening must compute, and cannot save, the columns
    index_dir.chmod(0o555)
    try:
        with QuoteIndex.open(index_dir) as ix:
            # Three quotes say "Ukraine", one more is tagged with it.
            assert ix.search("ukraine", collapse=False).total == 4
    finally:
        index_dir.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_build_into_read_only_folder_is_unavailable(tmp_path: Path, small_corpus) -> None:
    docs = small_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    index_dir.chmod(0o555)
    try:
        with pytest.raises(IndexUnavailable, match="permission denied"):
            build_index([docs], index_dir)
    finally:
        index_dir.chmod(0o755)


def test_disk_full_during_commit_keeps_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_corpus
) -> None:
    from whoosh.writing import SegmentWriter

    docs = small_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    small_corpus(docs, n=5)

    def full(self: SegmentWriter, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "commit", full)
    with pytest.raises(IndexUnavailable, match="disk full"):
        build_index([docs], index_dir)
    monkeypatch.undo()
    assert total(index_dir) == 4  # the previous index, whole
    assert build_index([docs], index_dir).quotes == 10  # and the lock was released


def test_folder_deleted_under_a_running_index(tmp_path: Path, sample_quotes) -> None:
    index_dir = tmp_path / "index"
    index_quotes(sample_quotes(), index_dir)
    ix = QuoteIndex.open(index_dir)
    ix.search("ukraine")
    shutil.rmtree(index_dir)
    with pytest.raises(IndexUnavailable, match="deleted"):
        ix.refresh()
    # What it had is still served.
    assert ix.search("ukraine", collapse=False, prefix_last=False).total == 4
    ix.close()
    with pytest.raises(Exception, match="no index"):
        QuoteIndex.open(index_dir)


_BUILDER = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    from nato_browse.index.store.build import build_index

    # A run started in the background of a non-interactive shell inherits SIGINT ignored:
    # take it back, as a terminal's foreground job has it.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def progress(done, total, what):
        if what.startswith("indexing") and done == 20:
            print("indexing", flush=True)
        if what.startswith("indexing"):
            time.sleep(0.02)

    try:
        build_index([Path(sys.argv[1])], Path(sys.argv[2]), progress=progress)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    print("finished", flush=True)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_build_killed_midway_leaves_the_previous_index(
    tmp_path: Path, sig: int, small_corpus
) -> None:
    docs = small_corpus(tmp_path / "docs", n=2)
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    assert total(index_dir) == 4
    before = sorted(p.name for p in index_dir.iterdir())

    small_corpus(docs, n=200)
    child = subprocess.Popen(
        [sys.executable, "-c", _BUILDER, str(docs), str(index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "indexing"
    child.send_signal(sig)
    out = child.stdout.read()
    child.wait(timeout=60)
    assert "finished" not in out
    if sig == signal.SIGINT:
        assert "interrupted" in out
        # Cancelled cleanly: no half-written files left behind.
        assert sorted(p.name for p in index_dir.iterdir()) == before

    # The previous index is whole and searchable.
    assert total(index_dir) == 4
    assert total(index_dir, "measure") == 2
    # And the next run completes (lock released, leftovers cleaned up).
    assert build_index([docs], index_dir).quotes == 400
    assert total(index_dir) == 400
    assert not (index_dir / "MAIN.tmp").exists()
    from whoosh import index

    segments = {s.segment_id() for s in index.open_dir(str(index_dir))._segments()}
    whoosh_files = {p.name.split(".")[0] for p in index_dir.glob("MAIN_*")} - {"MAIN_WRITELOCK"}
    assert whoosh_files == segments  # no orphans of the killed run


def test_what_killed_writers_left_is_removed_by_the_next_run(tmp_path: Path, small_corpus) -> None:
    docs = small_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    # A cache folder and a manifest half-written, Whoosh's spill folder: as a SIGKILL leaves them.
    (index_dir / ".nb-seg-MAIN_abc.4242.tmp").mkdir()
    (index_dir / ".nb-seg-MAIN_abc.4242.tmp" / "quotes.pkl").write_bytes(b"\0" * 1000)
    (index_dir / ".nb-manifest-9.json.4242.tmp").write_text("{", encoding="utf-8")
    (index_dir / "MAIN.tmp").mkdir()
    (index_dir / "MAIN.tmp" / "spill.ctmp").write_bytes(b"\0" * 1000)
    build_index([], index_dir)
    assert not list(index_dir.glob(".nb-*")) and not (index_dir / "MAIN.tmp").exists()
    assert total(index_dir) == 4
