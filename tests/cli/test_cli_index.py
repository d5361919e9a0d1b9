"""`nato-browse index`, `search` and `stats` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.index.paths import INDEX_DIR_ENV
from nato_browse.tui.cli import main


@pytest.fixture
def docs(tmp_path: Path, said, write_release) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_release(
        folder,
        "a.txt",
        "Allies meet in Brussels",
        [
            said("Jens Stoltenberg", "Allies will keep supporting Ukraine for as long as it takes"),
            said("Kaja Kallas", "Cyber attacks on our banks were stopped within hours"),
        ],
    )
    (folder / "empty.md").write_bytes(b"")
    return folder


def test_index_prints_a_summary_with_skipped_files(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    assert main(["index", str(docs), "--index-dir", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 documents, 2 quotes, 2 speakers" in out
    assert "1 skipped" in out and "empty.md" in out
    # Without PATH, the paths of the previous run.
    assert main(["index", "--index-dir", str(index_dir)]) == 0
    assert "0 documents added, 0 removed, 1 unchanged" in capsys.readouterr().out


def test_index_with_nothing_readable_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert main(["index", str(empty), "--index-dir", str(tmp_path / "index")]) == 1
    assert "no documents could be read" in capsys.readouterr().err


def test_search_json_lines(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index_dir = tmp_path / "index"
    main(["index", str(docs), "--index-dir", str(index_dir)])
    capsys.readouterr()
    assert main(["search", "ukraine", "--json", "--index-dir", str(index_dir)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    hit = json.loads(lines[0])
    assert hit["speaker"] == "Jens Stoltenberg"
    assert hit["text"] == "Allies will keep supporting Ukraine for as long as it takes"
    assert [hit["text"][a:b] for a, b in hit["highlights"]] == ["Ukraine"]
    assert hit["score"] > 0 and hit["sources"] == 1
    for key in ("doc", "title", "date", "start", "end", "role", "topics", "regions", "url"):
        assert key in hit


def test_search_filters_and_table(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = str(tmp_path / "index")
    main(["index", str(docs), "--index-dir", index_dir])
    capsys.readouterr()
    args = ["search", "--speaker", "Kaja Kallas", "--speaker", "Nobody", "--json"]
    assert main([*args, "--index-dir", index_dir]) == 0
    speakers = {json.loads(line)["speaker"] for line in capsys.readouterr().out.splitlines()}
    assert speakers == {"Kaja Kallas"}
    assert main(["search", "cyber", "--index-dir", index_dir]) == 0
    out = capsys.readouterr().out
    assert "1 quote matches · best match first" in out and "Kaja Kallas" in out


def test_search_counts_like_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], said, write_release
) -> None:
    """One count line, the app's: repeats explained, plurals right, the order named, and how
    many are listed when --limit cuts them."""
    folder = tmp_path / "docs"
    folder.mkdir()
    repeated = said(
        "Jens Stoltenberg", "Allies will keep supporting Ukraine for as long as it takes"
    )
    write_release(folder, "a.txt", "Allies meet in Brussels", [repeated])
    write_release(
        folder,
        "b.txt",
        "Ministers meet in Vilnius",
        [repeated, said("Kaja Kallas", "Cyber attacks on our banks were stopped within hours")],
    )
    index_dir = str(tmp_path / "index")
    main(["index", str(folder), "--index-dir", index_dir])
    capsys.readouterr()
    assert main(["search", "supporting", "--index-dir", index_dir]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "2 quotes match (1 after merging repeats) · best match first" in out
    assert main(["search", "--sort", "speaker", "--limit", "1", "--index-dir", index_dir]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "3 quotes match (2 after merging repeats) · speaker A-Z · the first 1 listed" in out
    assert main(["search", "--all-sources", "--index-dir", index_dir]) == 0
    assert "3 quotes match · newest first" in " ".join(capsys.readouterr().out.split())


def test_search_notes_malformed_queries_and_suggests(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = str(tmp_path / "index")
    main(["index", str(docs), "--index-dir", index_dir])
    capsys.readouterr()
    assert main(["search", '"cyber banks', "--json", "--index-dir", index_dir]) == 0
    captured = capsys.readouterr()
    assert "plain words" in captured.err
    assert len(captured.out.splitlines()) == 1
    assert main(["search", "ukrane", "--index-dir", index_dir]) == 0
    assert "Did you mean: ukraine" in capsys.readouterr().err


def test_bad_dates_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "x", "--from", "27/11/2023", "--index-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("nato-browse: --from '27/11/2023'") and "\n" not in err


def test_search_and_stats_build_the_default_corpus_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "fresh"))
    assert main(["stats", "--json"]) == 0
    captured = capsys.readouterr()
    stats = json.loads(captured.out)
    assert stats["documents"] >= 1 and stats["quotes"] >= 1
    assert stats["index"] == str(tmp_path / "fresh")
    assert "Built an index" in captured.err
    assert main(["search", "Stoltenberg", "--json"]) == 0
    assert "Built an index" not in capsys.readouterr().err


def test_stats_table(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index_dir = str(tmp_path / "index")
    main(["index", str(docs), "--index-dir", index_dir])
    capsys.readouterr()
    assert main(["stats", "--index-dir", index_dir]) == 0
    out = capsys.readouterr().out
    assert "1 documents, 2 quotes, 2 speakers" in out
    assert "top speakers" in out and "Kaja Kallas" in out


def test_damaged_index_is_one_line(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    main(["index", str(docs), "--index-dir", str(index_dir)])
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    capsys.readouterr()
    assert main(["search", "ukraine", "--index-dir", str(index_dir)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("run `nato-browse index --rebuild`") and "\n" not in err
    assert main(["index", "--rebuild", "--index-dir", str(index_dir)]) == 0
