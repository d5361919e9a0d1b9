"""Every kind of index file, damaged (cut short, overwritten, deleted): `nato-browse search` either
answers as before or says in one line what is wrong and the command that fixes it; that command
fixes it, from the library's sources (never the demo corpus)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from nato_browse.tui.cli import main

# kind -> the files of that kind in an index folder
KINDS: dict[str, Callable[[Path], list[Path]]] = {
    "table of contents": lambda d: sorted(d.glob("_MAIN_*.toc")),
    # (a segment's files: postings, terms, stored quotes, lengths)
    "segment": lambda d: sorted(p for p in d.glob("MAIN_*.*") if p.name != "MAIN_WRITELOCK"),
    "columns": lambda d: sorted(d.glob("nb-columns-*.npz")),
    "segment cache": lambda d: sorted(d.glob("nb-seg-*/*")),
    "manifest": lambda d: sorted(d.glob("nb-manifest-*.json")),
    "library": lambda d: [d / "nb-library.json"],
    "lock": lambda d: [d / "nb-build", d / "MAIN_WRITELOCK"],
}
# What search says about each kind: the exit code, and whether it names the file (a lock's
# content does not matter; the library is kept twice, in its file and in the manifest).
SAYS = {
    "table of contents": (1, True),
    "segment": (1, True),
    "columns": (0, True),
    "segment cache": (0, True),
    "manifest": (0, True),
    "library": (0, False),
    "lock": (0, False),
}
COMMAND = re.compile(r"`(nato-browse [^`]+)`")


def damage(path: Path, how: str) -> None:
    if how == "deleted":
        path.unlink()
    elif how == "cut short":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "overwritten":
        data = path.read_bytes() or b"\0"
        path.write_bytes(bytes((b * 7 + 13) % 256 for b in data))
    elif how == "a folder":
        path.unlink()
        path.mkdir()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, said, write_release) -> tuple[Path, str]:
    """An index of two sources, and what `search --json` answers on it."""
    root = tmp_path_factory.mktemp("damage")
    for name in ("a", "b"):
        folder = root / name
        folder.mkdir()
        for i in range(3):
            write_release(
                folder,
                f"{name}{i}.txt",
                f"Release {name} {i}",
                [said("Kaja Kallas", f"Estonia will send package {name}{i} to Ukraine")],
            )
    index_dir = root / "index"
    assert main(["index", str(root / "a"), "--index-dir", str(index_dir)]) == 0
    assert main(["index", str(root / "b"), "--index-dir", str(index_dir)]) == 0
    return index_dir, _search(index_dir)[1]


def _search(index_dir: Path) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["search", "ukraine", "--json", "--index-dir", str(index_dir)])
    return code, out.getvalue(), err.getvalue()


def _sources(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, bool]]:
    capsys.readouterr()
    assert main(["sources", "--json", "--index-dir", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    return [(Path(s["path"]).name, s["documents"], s["demo"]) for s in data["sources"]]


CASES = [
    (kind, how)
    for kind in KINDS
    for how in ("cut short", "overwritten", "deleted", *(("a folder",) if kind == "lock" else ()))
]


@pytest.mark.parametrize(("kind", "how"), CASES)
def test_a_damaged_file_is_named_with_the_command_that_fixes_it(
    built: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    how: str,
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(built[0], index_dir)
    files = KINDS[kind](index_dir)
    assert files, f"no {kind} file in the index"
    for path in files:
        damage(path, how)

    code, out, err = _search(index_dir)
    exit_code, named = SAYS[kind]
    assert "Traceback" not in err and "unexpected error" not in err
    assert code == exit_code
    if code == 0:
        assert out == built[1]  # searching works around it
    if named:
        (line,) = err.strip().splitlines()
        assert any(p.name in line or p.parent.name in line for p in files), line
        (fix,) = COMMAND.findall(line)
    else:
        assert err == ""
        fix = "nato-browse index"
    # The command fixes it, from the library's two sources.
    capsys.readouterr()
    assert main([*fix.split()[1:], "--index-dir", str(index_dir)]) == 0
    assert _search(index_dir) == (0, built[1], "")
    assert _sources(index_dir, capsys) == [("a", 3, False), ("b", 3, False)]


def test_a_cache_overwritten_inside_is_named_when_read(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    # Its first and last quotes are whole, so it opens; the ones between are garbage.
    index_dir = tmp_path / "index"
    shutil.copytree(built[0], index_dir)
    stored = sorted(index_dir.glob("MAIN_*._stored.col"))
    assert stored
    for pickles in stored:  # the quotes, stored once, in Whoosh's stored-fields file
        data = bytearray(pickles.read_bytes())
        middle = len(data) // 2
        data[middle - 40 : middle + 40] = b"\xff" * 80
        pickles.write_bytes(bytes(data))
    code, _, err = _search(index_dir)
    assert code == 1
    (line,) = err.strip().splitlines()
    assert "cannot be read" in line and line.endswith("`nato-browse index --rebuild`")
    assert any(p.name.split(".")[0] in line for p in stored)
    assert main(["index", "--rebuild", "--index-dir", str(index_dir)]) == 0
    assert _search(index_dir) == (0, built[1], "")


def test_with_both_records_of_the_library_lost_rebuild_asks_for_the_folders(
    built: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(built[0], index_dir)
    for path in KINDS["manifest"](index_dir) + KINDS["library"](index_dir):
        damage(path, "overwritten")
    capsys.readouterr()
    assert main(["index", "--rebuild", "--index-dir", str(index_dir)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "nato-browse index PATH" in line
    # Searching still works meanwhile; naming the folders again rebuilds.
    assert _search(index_dir)[0] == 0
    folders = [str(built[0].parent / name) for name in ("a", "b")]
    assert main(["index", "--rebuild", *folders, "--index-dir", str(index_dir)]) == 0
    assert _search(index_dir) == (0, built[1], "")
