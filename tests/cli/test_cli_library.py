"""`nato-browse index PATH`, `index`, `sources` and `remove` from the command line: the library
as a person uses it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from nato_browse.tui.cli import main


@pytest.fixture
def folders(tmp_path: Path, said, write_release) -> tuple[Path, Path]:
    """Two folders of releases: three in `corpus`, two in `nato-docs`."""
    made = []
    for name, n in (("corpus", 3), ("nato-docs", 2)):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(n):
            write_release(
                folder,
                f"{name}-{i}.txt",
                f"Release {name} {i}",
                [said("Jens Stoltenberg", f"Allies agreed on {name} measure {i} today")],
            )
        made.append(folder)
    return made[0], made[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sources(capsys: pytest.CaptureFixture[str], index_dir: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "sources", "--json", "--index-dir", str(index_dir))
    assert code == 0
    data = json.loads(out)
    assert data["index"] == str(index_dir)
    return data["sources"]


def test_index_adds_sources_and_sources_lists_them(
    folders: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus, docs = folders
    index_dir = str(tmp_path / "index")
    assert run(capsys, "index", str(corpus), "--index-dir", index_dir)[0] == 0
    code, out, _ = run(capsys, "index", str(docs), "--index-dir", index_dir)
    assert code == 0
    assert "5 documents, 5 quotes, 1 speakers" in out
    assert "2 documents added, 0 removed, 3 unchanged" in out
    listed = sources(capsys, tmp_path / "index")
    assert [
        (Path(str(s["path"])).name, s["documents"], s["quotes"], s["status"]) for s in listed
    ] == [
        ("corpus", 3, 3, "ok"),
        ("nato-docs", 2, 2, "ok"),
    ]
    assert all(s["indexed"] and s["skipped"] == [] and s["demo"] is False for s in listed)
    # The table: one row a source, with its counts, when it was read and its status.
    monkeypatch.setenv("COLUMNS", "200")  # a terminal wide enough for the test's long paths
    code, out, _ = run(capsys, "sources", "--index-dir", index_dir)
    assert code == 0
    rows = [line for line in out.splitlines() if "nato-docs" in line]
    assert len(rows) == 1 and " 2 " in rows[0] and " ok " in rows[0]


def test_a_missing_source_is_kept_and_says_how_to_drop_it(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, docs = folders
    index_dir = str(tmp_path / "index")
    run(capsys, "index", str(corpus), str(docs), "--index-dir", index_dir)
    docs.rename(tmp_path / "unplugged")
    code, out, err = run(capsys, "index", "--index-dir", index_dir)
    assert code == 1
    assert "5 documents" in out and "0 removed" in out
    (line,) = err.strip().splitlines()
    assert line == (
        f"nato-browse: {docs} is missing: kept 2 documents (`nato-browse remove {docs}` drops it)"
    )
    assert [s["status"] for s in sources(capsys, tmp_path / "index")] == ["ok", "missing"]
    # The command it gives does what it says.
    code, out, _ = run(capsys, "remove", str(docs), "--index-dir", index_dir)
    assert code == 0
    assert out.strip() == (
        f"Removed {docs} from the library: 2 documents dropped; 3 documents, 3 quotes left in "
        f"{index_dir}"
    )
    assert [Path(str(s["path"])).name for s in sources(capsys, tmp_path / "index")] == ["corpus"]


def test_an_empty_folder_removes_nothing(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, _ = folders
    index_dir = str(tmp_path / "index")
    run(capsys, "index", str(corpus), "--index-dir", index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "index", str(empty), "--index-dir", index_dir)
    assert code == 1 and "3 documents" in out and "0 removed" in out
    assert err.strip() == (
        f"nato-browse: {empty}: no documents could be read from it: not added to the library"
    )
    code, _, err = run(capsys, "index", str(tmp_path / "typo"), "--index-dir", index_dir)
    assert code == 1 and err.strip() == f"nato-browse: no such file or folder: {tmp_path / 'typo'}"
    assert [s["documents"] for s in sources(capsys, tmp_path / "index")] == [3]


def test_remove_a_path_that_is_not_a_source(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, docs = folders
    index_dir = str(tmp_path / "index")
    run(capsys, "index", str(corpus), "--index-dir", index_dir)
    code, _, err = run(capsys, "remove", str(docs), "--index-dir", index_dir)
    assert code == 1
    assert err.strip() == (
        f"nato-browse: {docs} is not a source of the library: `nato-browse sources` lists them"
    )


def test_sources_of_an_empty_library_builds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    code, out, _ = run(capsys, "sources", "--index-dir", str(index_dir))
    words = " ".join(out.split())  # (the console wraps a long folder's line anywhere)
    assert code == 0 and "is empty" in words and "nato-browse index PATH" in words
    assert not index_dir.exists()
    assert sources(capsys, index_dir) == []


def test_a_file_name_that_is_not_utf8_is_printed_escaped(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], said
) -> None:
    corpus, _ = folders
    name = os.fsdecode(b"r\xe9sum\xe9.txt")
    (corpus / name).write_text("Résumé\n\n" + said("Kaja Kallas", "Our banks held firm"))
    code, out, err = run(capsys, "index", str(corpus), "--index-dir", str(tmp_path / "index"))
    assert code == 0 and err == ""
    assert "4 documents" in out
    assert "r\\xe9sum\\xe9.txt: its name is not valid UTF-8" in out
    code, out, _ = run(capsys, "search", "banks", "--json", "--index-dir", str(tmp_path / "index"))
    assert code == 0 and json.loads(out)["source"].endswith("r\\xe9sum\\xe9.txt")
