"""Building the index from files: counts, incremental runs by content hash, duplicates, files
that cannot be read, and the user's files left untouched."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from nato_browse.index.api import BuildReport
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index, ensure_index, list_sources


@pytest.fixture
def corpus(said, write_release) -> Callable[[Path], Path]:
    """Writes two releases with three quotes into a folder."""

    def write(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        write_release(
            folder,
            "a.txt",
            "Allies meet in Brussels",
            [
                said(
                    "Jens Stoltenberg",
                    "Allies will keep supporting Ukraine for as long as it takes",
                ),
                said("Kaja Kallas", "Cyber attacks on our banks were stopped within hours"),
            ],
        )
        write_release(
            folder,
            "b.txt",
            "Talks on the grain corridor",
            [said("Antony Blinken", "The negotiations on the grain corridor continue in Istanbul")],
        )
        return folder

    return write


def all_texts(index_dir: Path) -> list[str]:
    with QuoteIndex.open(index_dir) as ix:
        return sorted(h.quote.text for h in ix.search("", collapse=False, limit=1000).hits)


def test_first_build_reports_what_it_indexed(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    calls: list[tuple[int, int | None, str]] = []
    report = build_index([docs], tmp_path / "index", progress=lambda *a: calls.append(a))
    assert isinstance(report, BuildReport)
    assert (report.documents, report.quotes, report.speakers) == (2, 3, 3)
    assert (report.added, report.removed, report.unchanged) == (2, 0, 0)
    assert report.skipped == ()
    assert calls and calls[-1][0] == (calls[-1][1] or calls[-1][0])
    assert all_texts(tmp_path / "index") == [
        "Allies will keep supporting Ukraine for as long as it takes",
        "Cyber attacks on our banks were stopped within hours",
        "The negotiations on the grain corridor continue in Istanbul",
    ]
    assert [s.path for s in list_sources(tmp_path / "index")] == [str(docs.resolve())]


def test_second_run_rereads_only_what_changed(tmp_path: Path, said, write_release, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)

    again = build_index([docs], index_dir)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 2)
    assert again.quotes == 3

    write_release(
        docs,
        "b.txt",
        "Talks on the grain corridor",
        [said("Antony Blinken", "The grain corridor reopened this morning")],
    )
    changed = build_index([docs], index_dir)
    assert (changed.added, changed.removed, changed.unchanged) == (1, 1, 1)
    assert "The grain corridor reopened this morning" in all_texts(index_dir)
    assert "The negotiations on the grain corridor continue in Istanbul" not in all_texts(index_dir)

    (docs / "a.txt").unlink()
    deleted = build_index([docs], index_dir)
    assert (deleted.documents, deleted.removed, deleted.quotes) == (1, 1, 1)
    assert all_texts(index_dir) == ["The grain corridor reopened this morning"]


def test_same_document_twice_is_indexed_once(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    (docs / "copy").mkdir()
    (docs / "copy" / "a-again.txt").write_bytes((docs / "a.txt").read_bytes())
    index_dir = tmp_path / "index"
    report = build_index([docs], index_dir)
    assert (report.documents, report.quotes) == (2, 3)
    # Dropping one of the two files keeps the document: the other still gives it.
    (docs / "a.txt").unlink()
    report = build_index([docs], index_dir)
    assert (report.documents, report.quotes, report.removed) == (2, 3, 0)


def test_unreadable_files_are_reported_and_the_rest_indexed(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "broken.csv").write_text("no,known,columns\n1,2,3\n", encoding="utf-8")
    report = build_index([docs, tmp_path / "missing.txt"], tmp_path / "index")
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "broken.csv"}
    assert all(reason and "\n" not in reason for reason in reasons.values())
    assert [(Path(s.path).name, s.reason) for s in report.not_added] == [
        ("missing.txt", "no such file or folder")
    ]
    assert report.quotes == 3


def test_rebuild_replaces_everything(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    report = build_index([docs], index_dir, rebuild=True)
    assert (report.added, report.unchanged, report.quotes) == (2, 0, 3)
    assert len(all_texts(index_dir)) == 3


def test_ensure_index_builds_only_once(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    first = ensure_index(index_dir, [docs])
    assert first is not None and first.quotes == 3
    assert ensure_index(index_dir, [docs]) is None


def test_groups_are_recomputed_across_documents(
    tmp_path: Path, said, write_release, corpus
) -> None:
    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("ukraine").hits[0].sources == 1
    # A later article quoting the same words joins the existing quote's group.
    write_release(
        docs,
        "c.txt",
        "News: Stoltenberg on Ukraine",
        [said("Jens Stoltenberg", "Allies will keep supporting Ukraine for as long as it takes")],
    )
    build_index([docs], index_dir)
    with QuoteIndex.open(index_dir) as ix:
        result = ix.search("ukraine")
        assert result.total == 1 and result.hits[0].sources == 2
        assert len(ix.sources(result.hits[0].quote.quote_id)) == 2


def test_the_users_files_are_never_modified(tmp_path: Path, corpus) -> None:
    docs = corpus(tmp_path / "docs")
    (docs / "empty.txt").write_bytes(b"")

    def snapshot() -> dict[str, tuple[str, int]]:
        return {
            str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(docs.rglob("*"))
        }

    before = snapshot()
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    build_index([docs], index_dir)
    build_index([docs], index_dir, rebuild=True)
    assert snapshot() == before


def test_refuses_a_folder_holding_other_files(tmp_path: Path, corpus) -> None:
    from nato_browse.index.api import IndexUnavailable

    docs = corpus(tmp_path / "docs")
    with pytest.raises(IndexUnavailable, match="choose an empty folder"):
        build_index([docs], docs)
    assert sorted(os.listdir(docs)) == ["a.txt", "b.txt"]


def test_ensure_index_finishes_a_first_build_that_was_interrupted(tmp_path: Path, corpus) -> None:
    from nato_browse.index.store.folder import create_index

    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    create_index(index_dir)  # what a first build killed before its commit leaves
    report = ensure_index(index_dir, [docs])
    assert report is not None and report.quotes == 3


def test_a_mistyped_path_does_not_empty_the_index(tmp_path: Path, corpus) -> None:
    from nato_browse.index.api import NatoBrowseError

    docs = corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    with pytest.raises(NatoBrowseError, match="no such file or folder"):
        build_index([tmp_path / "dcos"], index_dir)
    assert len(all_texts(index_dir)) == 3
