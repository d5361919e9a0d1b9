"""`nato-browse extract`: JSON lines, the table, and bad files reported one line each."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from nato_browse.tui.cli import extract as cli_extract

KEYS = {"doc", "title", "date", "text", "start", "end", "speaker", "role", "named", "topics",
        "countries", "regions"}  # fmt: skip
SEED = "nato-2023-11-27-foreign-ministers"


def extract(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nato-browse")
    cli_extract.add_parser(parser.add_subparsers())
    args = parser.parse_args(["extract", *argv])
    return args.run(args)


def test_json_lines_for_the_seed(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extract(str(shared / "seed" / f"{SEED}.txt"), "--json") == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 14
    for r in records:
        assert r.keys() >= KEYS
        assert r["speaker"] == "Jens Stoltenberg"
        assert r["title"].startswith("Secretary General: NATO to reaffirm")
    assert records[0]["text"].startswith("I call for an extension of the pause.")
    assert "Iran" in records[1]["countries"]


def test_table_output(
    shared: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    assert extract(str(shared / "seed" / f"{SEED}.txt")) == 0
    out = capsys.readouterr().out
    assert "Jens Stoltenberg" in out
    assert "rein in its proxies" in out


def test_folder_with_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "nested" / "good.txt"
    good.parent.mkdir()
    good.write_text(
        "Allies meet\nNATO Secretary General Jens Stoltenberg spoke. “We are ready,” he said.\n",
        encoding="utf-8",
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    # cp1252 curly quotes and latin-1 accents: decoded, not rejected.
    (tmp_path / "cp1252.txt").write_bytes(
        "Talks\nMinister Anna Dupré said: \x93We will help.\x94\n".encode("latin-1").replace(
            b"\\x93", b"\x93"
        )
    )
    (tmp_path / "cp1252.txt").write_bytes(
        b"Talks\nMinister Anna Dupr\xe9 said: \x93We will help.\x94 Then she left.\n"
    )
    (tmp_path / "latin1.txt").write_bytes(
        b"Visit\nLe ministre Andr\xe9 L\xe9vy a d\xe9clar\xe9: \xabNous sommes pr\xeats.\xbb\n"
    )
    assert extract(str(tmp_path), "--json") == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    texts = {r["text"]: r for r in records}
    assert texts["We are ready,"]["speaker"] == "Jens Stoltenberg"
    assert texts["We will help."]["speaker"] == "Anna Dupré"
    assert "Nous sommes prêts." in texts
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert all("Traceback" not in e for e in errors)


def test_large_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """6 MB of press-release prose, a quote every few sentences: read and extracted whole (the
    size bound itself, 25M characters, is tested in test_hostile_input.py)."""
    path = tmp_path / "big.txt"
    prose = (
        "Ministers of the Alliance met in Brussels on Tuesday to discuss support for Ukraine, "
        "air defence, the defence industry and the situation in the Western Balkans. "
    ) * 8
    paragraph = f"{prose}“We stand with Ukraine,” said Jens Stoltenberg.\n\n"
    count = 6 * 1024 * 1024 // len(paragraph.encode()) + 1
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("A big file\n")
        for _ in range(count):
            handle.write(paragraph)
    assert path.stat().st_size > 6 * 1024 * 1024
    assert extract(str(path), "--json") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == count
    assert json.loads(lines[-1])["speaker"] == "Jens Stoltenberg"


def test_nothing_readable_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert extract(str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")) == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "missing.txt" in err
    assert "Traceback" not in err


def test_the_command_line_entry_point(tmp_path: Path) -> None:
    """`python -m nato_browse.tui.cli extract ...`, as a user would run it."""
    doc = tmp_path / "doc.txt"
    doc.write_text("Title\n“We are ready,” said Jens Stoltenberg.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    proc = subprocess.run(
        [sys.executable, "-m", "nato_browse.tui.cli", "extract", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    record = json.loads(line)
    assert record.keys() >= KEYS
    assert (record["text"], record["speaker"]) == ("We are ready,", "Jens Stoltenberg")
    (error,) = proc.stderr.splitlines()
    assert "bad.txt" in error and "binary" in error
