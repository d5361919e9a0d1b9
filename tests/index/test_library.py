"""The library of sources: indexing one folder never drops another's documents; a source that is
missing, unreadable or empty keeps its documents; `remove_source` drops them; the demo corpus
only while nothing else is asked for; an index written by the previous version keeps its paths
as the library; file names that are not UTF-8."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from nato_browse.index.api import NatoBrowseError
from nato_browse.index.paths import DEFAULT_CORPUS
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import (
    build_index,
    ensure_index,
    index_quotes,
    list_sources,
    remove_source,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def releases(said, write_release) -> Callable[..., Path]:
    """Writes `n` releases into a folder, each with one quote naming the folder's `tag`."""

    def write(folder: Path, tag: str, n: int = 2, start: int = 0) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(start, start + n):
            write_release(
                folder,
                f"{tag}-{i:03d}.txt",
                f"Release {tag} {i}",
                [said("Jens Stoltenberg", f"Allies discussed {tag} item number {i} today")],
            )
        return folder

    return write


@pytest.fixture
def two_sources(tmp_path: Path, releases) -> tuple[Path, Path, Path]:
    """Folders `a` (three releases) and `b` (two), both indexed: (a, b, the index folder)."""
    a = releases(tmp_path / "a", "alpha", n=3)
    b = releases(tmp_path / "b", "beta", n=2)
    index_dir = tmp_path / "index"
    build_index([a, b], index_dir)
    return a, b, index_dir


def texts(index_dir: Path, query: str = "") -> list[str]:
    with QuoteIndex.open(index_dir) as ix:
        return sorted(h.quote.text for h in ix.search(query, collapse=False, limit=10_000).hits)


def by_path(index_dir: Path) -> dict[str, tuple[int, int, str]]:
    return {s.path: (s.documents, s.quotes, s.status) for s in list_sources(index_dir)}


def test_indexing_a_second_folder_keeps_the_first(tmp_path: Path, releases) -> None:
    corpus = releases(tmp_path / "corpus", "alpha", n=5)
    docs = releases(tmp_path / "nato-docs", "beta", n=3)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir)
    report = build_index([docs], index_dir)
    assert (report.documents, report.added, report.removed, report.unchanged) == (8, 3, 0, 5)
    assert len(texts(index_dir)) == 8
    assert by_path(index_dir) == {
        str(corpus.resolve()): (5, 5, "ok"),
        str(docs.resolve()): (3, 3, "ok"),
    }
    # One file is a source too; the folders' documents stay.
    one = releases(tmp_path / "loose", "gamma", n=1) / "gamma-000.txt"
    assert build_index([one], index_dir).documents == 9
    assert len(list_sources(index_dir)) == 3


def test_index_without_paths_reads_every_source_again(tmp_path: Path, releases) -> None:
    a = releases(tmp_path / "a", "alpha")
    b = releases(tmp_path / "b", "beta")
    index_dir = tmp_path / "index"
    build_index([a], index_dir)
    build_index([b], index_dir)
    releases(a, "alpha", n=1, start=2)
    (b / "beta-000.txt").unlink()  # a file deleted inside a source that is there: dropped
    report = build_index([], index_dir)
    assert (report.added, report.removed, report.documents) == (1, 1, 4)
    assert {s.path for s in report.sources} == {str(a.resolve()), str(b.resolve())}
    assert "Allies discussed beta item number 0 today" not in texts(index_dir)


def test_only_the_sources_asked_about_are_read(tmp_path: Path, releases) -> None:
    a = releases(tmp_path / "a", "alpha")
    b = releases(tmp_path / "b", "beta")
    index_dir = tmp_path / "index"
    build_index([a, b], index_dir)
    (b / "beta-000.txt").unlink()
    report = build_index([a], index_dir)
    assert [s.path for s in report.sources] == [str(a.resolve())]
    assert (report.removed, report.documents) == (0, 4)  # b was not read: its file is not missed


@pytest.mark.parametrize("how", ["renamed away", "emptied", "unplugged"])
def test_a_missing_or_empty_source_keeps_its_documents(
    tmp_path: Path, releases, two_sources: tuple[Path, Path, Path], how: str
) -> None:
    _, b, index_dir = two_sources
    if how == "renamed away":
        b.rename(tmp_path / "elsewhere")
    elif how == "emptied":
        for path in b.iterdir():
            path.unlink()
    else:  # a mount point left empty: the folder is there, its files are not
        for path in b.iterdir():
            path.rename(tmp_path / path.name)
    for report in (build_index([], index_dir), build_index([b], index_dir)):
        status = "missing" if how == "renamed away" else "empty"
        (source,) = [s for s in report.sources if s.path == str(b.resolve())]
        assert (source.status, source.documents, source.quotes) == (status, 2, 2)
        assert (report.removed, report.documents) == (0, 5)
    assert len(texts(index_dir)) == 5
    assert by_path(index_dir)[str(b.resolve())][2] == status
    # Back in place, it is read again.
    if how == "renamed away":
        (tmp_path / "elsewhere").rename(b)
    else:
        releases(b, "beta", n=2)
    assert by_path(index_dir)[str(b.resolve())][2] != "ok"
    build_index([], index_dir)
    assert by_path(index_dir)[str(b.resolve())] == (2, 2, "ok")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable folders")
def test_an_unreadable_source_keeps_its_documents(tmp_path: Path, releases) -> None:
    a = releases(tmp_path / "a", "alpha", n=2)
    index_dir = tmp_path / "index"
    build_index([a], index_dir)
    a.chmod(0)
    try:
        report = build_index([], index_dir)
    finally:
        a.chmod(0o755)
    assert [(s.status, s.documents) for s in report.sources] == [("unreadable", 2)]
    assert len(texts(index_dir)) == 2


def test_a_new_empty_folder_is_not_added_and_removes_nothing(tmp_path: Path, releases) -> None:
    a = releases(tmp_path / "a", "alpha", n=3)
    index_dir = tmp_path / "index"
    build_index([a], index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    report = build_index([empty], index_dir)
    assert report.documents == 3 and report.removed == 0
    assert [(s.path, s.reason) for s in report.not_added] == [
        (str(empty), "no documents could be read from it")
    ]
    assert list(by_path(index_dir)) == [str(a.resolve())]
    # A path that does not exist (a typo) changes nothing at all.
    with pytest.raises(NatoBrowseError, match="no such file or folder"):
        build_index([tmp_path / "nato-dcos"], index_dir)
    assert len(texts(index_dir)) == 3


def test_a_path_inside_a_source_reads_that_part_again(tmp_path: Path, releases) -> None:
    a = releases(tmp_path / "a", "alpha", n=2)
    sub = releases(a / "sub", "beta", n=2)
    index_dir = tmp_path / "index"
    build_index([a], index_dir)
    (sub / "beta-000.txt").unlink()
    (a / "alpha-000.txt").unlink()
    report = build_index([sub], index_dir)
    # Only the part asked about was read: its deleted file is dropped, the other is not.
    assert (report.removed, report.documents) == (1, 3)
    assert list(by_path(index_dir)) == [str(a.resolve())]
    # A folder holding a source takes it in.
    build_index([], index_dir)
    releases(tmp_path / "a-sibling", "gamma", n=1)
    report = build_index([tmp_path], index_dir)
    assert report.added == 1 and report.removed == 0
    assert list(by_path(index_dir)) == [str(tmp_path.resolve())]


def test_remove_drops_a_source_and_its_documents(
    tmp_path: Path, two_sources: tuple[Path, Path, Path]
) -> None:
    a, b, index_dir = two_sources
    (b / "copy-of-alpha.txt").write_bytes((a / "alpha-000.txt").read_bytes())
    build_index([b], index_dir)
    report = remove_source(a, index_dir)
    # The document b also gives stays.
    assert (report.removed, report.documents, report.quotes) == (2, 3, 3)
    assert report.dropped == (str(a.resolve()),)
    assert list(by_path(index_dir)) == [str(b.resolve())]
    assert "Allies discussed alpha item number 0 today" in texts(index_dir)
    with pytest.raises(NatoBrowseError, match="not a source of the library") as err:
        remove_source(a, index_dir)
    assert "\n" not in str(err.value)
    # A source whose folder is gone can be removed by the path it had.
    b.rename(tmp_path / "gone")
    assert remove_source(b, index_dir).documents == 0
    assert texts(index_dir) == []


def test_the_demo_corpus_only_while_nothing_else_is_asked_for(tmp_path: Path, releases) -> None:
    index_dir = tmp_path / "index"
    first = ensure_index(index_dir)
    assert first is not None and first.quotes > 0
    assert [(s.path, s.demo) for s in list_sources(index_dir)] == [
        (str(DEFAULT_CORPUS.resolve()), True)
    ]
    docs = releases(tmp_path / "docs", "alpha", n=2)
    report = build_index([docs], index_dir)
    assert report.dropped == (str(DEFAULT_CORPUS.resolve()),)
    assert report.documents == 2 and len(texts(index_dir)) == 2
    # Refreshing (or rebuilding) a library of the user's never brings the demo back, even
    # when asked for by its path (as an older caller may).
    build_index([], index_dir)
    build_index([], index_dir, rebuild=True)
    assert build_index([DEFAULT_CORPUS], index_dir, rebuild=True).added == 2
    # Asked for together with the user's own, it is one of the sources like any other.
    both = build_index([DEFAULT_CORPUS, docs], tmp_path / "another")
    assert both.dropped == () and len(list_sources(tmp_path / "another")) == 2
    assert [s.demo for s in list_sources(index_dir)] == [False]
    assert len(texts(index_dir)) == 2


def _as_previous_version(index_dir: Path) -> None:
    """Rewrite the current manifest in the form the previous version wrote (version 2: one list
    of paths, one map of files, no quote counts) and drop the library file it did not have."""
    (path,) = index_dir.glob("nb-manifest-*.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files = {}
    for source in manifest["sources"].values():
        for key, entry in source["files"].items():
            files[key] = {"fingerprint": entry["fingerprint"], "docs": entry["docs"]}
    old = {
        "version": 2,
        "paths": list(manifest["sources"]),
        "files": files,
        "documents": manifest["documents"],
        "words": manifest.get("words", {}),  # (kept per segment now)
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    (index_dir / "nb-library.json").unlink()


def test_an_index_of_the_previous_version_keeps_its_paths_as_the_library(
    tmp_path: Path, releases, two_sources: tuple[Path, Path, Path]
) -> None:
    a, b, index_dir = two_sources
    before = texts(index_dir)
    _as_previous_version(index_dir)

    assert texts(index_dir) == before  # it opens as it is
    assert by_path(index_dir) == {
        str(a.resolve()): (3, 3, "ok"),
        str(b.resolve()): (2, 2, "ok"),
    }
    report = build_index([], index_dir)  # no forced rebuild: nothing is read again
    assert (report.added, report.removed, report.unchanged) == (0, 0, 5)
    # A document already indexed, now also in b, counts its quote there too.
    (b / "copy.txt").write_bytes((a / "alpha-000.txt").read_bytes())
    assert build_index([b], index_dir).added == 0
    assert by_path(index_dir)[str(b.resolve())] == (3, 3, "ok")
    c = releases(tmp_path / "c", "gamma", n=1)
    assert build_index([c], index_dir).documents == 6
    assert len(list_sources(index_dir)) == 3


def test_quotes_written_directly_are_replaced_by_a_build(
    tmp_path: Path, releases, sample_quotes
) -> None:
    index_dir = tmp_path / "index"
    index_quotes(sample_quotes(), index_dir)
    assert list_sources(index_dir) == ()
    docs = releases(tmp_path / "docs", "alpha", n=2)
    assert build_index([docs], index_dir).quotes == 2
    assert len(texts(index_dir)) == 2


def test_rebuild_reads_every_source_and_keeps_a_missing_ones_documents(
    tmp_path: Path, two_sources: tuple[Path, Path, Path]
) -> None:
    _, b, index_dir = two_sources
    before = texts(index_dir)
    b.rename(tmp_path / "unplugged")
    report = build_index([], index_dir, rebuild=True)
    assert (report.added, report.documents) == (3, 5)
    assert texts(index_dir) == before
    assert by_path(index_dir)[str(b.resolve())] == (2, 2, "missing")


_FIRST_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from nato_browse.index.store.build import build_index

    def progress(done, total, what):
        if what.startswith("indexing") and done == 5:
            print("indexing", flush=True)
            time.sleep(60)

    build_index([Path(sys.argv[1])], Path(sys.argv[2]), progress=progress)
    """
)


@pytest.mark.parametrize("then", ["search", "index another folder"])
def test_a_first_build_killed_before_its_commit_is_finished_from_the_library(
    tmp_path: Path, releases, then: str
) -> None:
    docs = releases(tmp_path / "docs", "alpha", n=20)
    index_dir = tmp_path / "index"
    child = subprocess.Popen(
        [sys.executable, "-c", _FIRST_BUILD, str(docs), str(index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "indexing"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    # What the user asked for is known; the next reader builds it, not the demo corpus.
    assert [(s.path, s.status) for s in list_sources(index_dir)] == [
        (str(docs.resolve()), "not indexed")
    ]
    if then == "search":
        report = ensure_index(index_dir)
        assert report is not None and report.documents == 20
    else:
        other = releases(tmp_path / "other", "beta", n=1)
        assert build_index([other], index_dir).documents == 21
    assert {(s.status, s.demo) for s in list_sources(index_dir)} == {("ok", False)}


def test_an_interrupted_first_build_leaves_no_index_but_the_library(
    tmp_path: Path, releases
) -> None:
    docs = releases(tmp_path / "docs", "alpha", n=5)
    index_dir = tmp_path / "index"

    def interrupt(done: int, total: int | None, what: str) -> None:
        if what.startswith("indexing") and done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([docs], index_dir, progress=interrupt)
    assert sorted(p.name for p in index_dir.iterdir()) == [
        "MAIN_WRITELOCK",
        "nb-build",
        "nb-library.json",
    ]
    report = ensure_index(index_dir)
    assert report is not None and report.documents == 5


def test_a_file_name_that_is_not_utf8_is_indexed_and_named_escaped(
    tmp_path: Path, releases, said, write_release
) -> None:
    docs = releases(tmp_path / "docs", "alpha", n=2)
    bad = os.fsdecode(b"caf\xe9-release.txt")  # Latin-1 bytes: not UTF-8
    write_release(docs, bad, "Release café", [said("Kaja Kallas", "Our banks held firm")])
    index_dir = tmp_path / "index"
    report = build_index([docs], index_dir)
    assert report.documents == 3
    (note,) = report.skipped
    assert note.path.endswith("caf\\xe9-release.txt") and "not valid UTF-8" in note.reason
    json.dumps(note.path).encode("utf-8")  # printable anywhere
    (hit,) = QuoteIndex.open(index_dir).search("banks").hits
    assert hit.quote.source.endswith("caf\\xe9-release.txt")
    # Its entry in the manifest gives the same name back: the next run reads nothing again.
    again = build_index([docs], index_dir)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 3)
