"""Documents are data, never commands, on the command line: no escape sequence, control or bidi
character from a document reaches the terminal through `index`, `search`, `extract` or `stats`,
and text with markup in it is printed as it is.

Captured output is not a terminal, so Rich adds no escape sequences of its own: any control
character in it came from a document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.index import Quote
from nato_browse.index.store.build import index_quotes
from nato_browse.tui.cli import main


def all_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *all_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return []


@pytest.fixture
def indexed(tmp_path: Path, hostile_folder, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "docs"
    hostile_folder(folder)
    (folder / "bin\x1b]0;t\x07.txt").write_bytes(b"\x00\x01" * 20)  # skipped, named safely
    index_dir = tmp_path / "ix"
    assert main(["index", str(folder), "--index-dir", str(index_dir)]) == 0
    return index_dir


def test_index_summary_and_skipped_files_are_safe(
    indexed: Path, capsys: pytest.CaptureFixture[str], assert_no_controls
) -> None:
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)
    assert "6 documents, 6 quotes, 1 speakers" in out.out
    assert "bin\\x1b]0;t\\x07.txt: binary file" in out.out


def test_search_prints_text_never_commands(
    indexed: Path, capsys: pytest.CaptureFixture[str], assert_no_controls, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    capsys.readouterr()
    assert main(["search", "defend", "--all-sources", "--index-dir", str(indexed)]) == 0
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)
    assert out.out.count("Jens Stoltenberg") == 6
    assert "[/nomatch][bold" in out.out  # markup in a quote is printed as text
    assert main(["search", "defend", "--json", "--all-sources", "--index-dir", str(indexed)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    for line in lines:
        for text in all_strings(json.loads(line)):
            assert_no_controls(text)


def test_stats_are_safe(
    indexed: Path, capsys: pytest.CaptureFixture[str], assert_no_controls
) -> None:
    capsys.readouterr()
    assert main(["stats", "--index-dir", str(indexed)]) == 0
    assert main(["stats", "--json", "--index-dir", str(indexed)]) == 0
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)


def test_extract_prints_text_never_commands(
    tmp_path: Path,
    hostile_folder,
    capsys: pytest.CaptureFixture[str],
    assert_no_controls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    folder = tmp_path / "docs"
    hostile_folder(folder)
    (folder / "bad\x1b[2J.md").write_text('---\ntitle: "x\\e[2J"\na: &a [1]\nb: *a\n---\nText.\n')
    assert main(["extract", str(folder)]) == 0
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)
    assert out.out.count("Jens Stoltenberg") == 6
    assert "bad\\x1b[2J.md: front matter unreadable" in out.err
    assert main(["extract", "--json", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    for line in lines:
        for text in all_strings(json.loads(line)):
            assert_no_controls(text)


def test_an_index_written_before_cleaning_is_still_printed_safely(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    assert_no_controls,
    hostile_text: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Quotes written straight into an index, as an older version stored them: raw.
    monkeypatch.setenv("COLUMNS", "200")
    text = f"We will defend {hostile_text} the Alliance"
    quote = Quote(
        doc="d1",
        title=f"Release {hostile_text}",
        date="2023-11-27",
        text=text,
        start=0,
        end=len(text),
        speaker=f"Jens {hostile_text}Stoltenberg",
        role=hostile_text,
        context=text,
        topics=(f"Cyber{hostile_text}",),
        regions=(hostile_text,),
        url=f"https://example.org/{hostile_text}",
        source=f"a{hostile_text}.txt",
    )
    index_quotes([quote], tmp_path / "ix")
    for args in (
        ["search", "defend"],
        ["search", "defend", "--json"],
        ["stats"],
        ["stats", "--json"],
    ):
        assert main([*args, "--index-dir", str(tmp_path / "ix")]) == 0
        out = capsys.readouterr()
        if "--json" in args:
            for text in all_strings(json.loads(out.out.splitlines()[0])):
                assert_no_controls(text)
        else:
            assert_no_controls(out.out + out.err)
            assert "Stoltenberg" in out.out


def test_an_error_message_is_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], assert_no_controls
) -> None:
    missing = tmp_path / "no\x1b[2Jsuch"
    assert main(["index", str(missing), "--index-dir", str(tmp_path / "ix")]) == 1
    err = capsys.readouterr().err
    assert_no_controls(err)
    assert len(err.strip().splitlines()) == 1


def test_a_source_folder_with_controls_in_its_name_is_named_safely(
    tmp_path: Path, hostile_folder, capsys: pytest.CaptureFixture[str], assert_no_controls
) -> None:
    folder = tmp_path / "docs\x1b]0;t\x07 [/x]"
    hostile_folder(folder)
    index_dir = str(tmp_path / "ix")
    assert main(["index", str(folder), "--index-dir", index_dir]) == 0
    assert main(["sources", "--index-dir", index_dir]) == 0
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)
    assert main(["sources", "--json", "--index-dir", index_dir]) == 0
    (source,) = json.loads(capsys.readouterr().out)["sources"]
    assert source["path"].endswith("docs\\x1b]0;t\\x07 [/x]")
    assert main(["remove", str(folder), "--index-dir", index_dir]) == 0
    out = capsys.readouterr()
    assert_no_controls(out.out + out.err)
