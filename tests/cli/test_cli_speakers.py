"""`nato-browse speakers` and finding a person from the shell (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.tui.cli import main


@pytest.fixture
def index_dir(tmp_path: Path, said, write_release) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_release(
        folder,
        "a.txt",
        "Allies meet in Brussels",
        [
            said("Jens Stoltenberg", "Allies will keep supporting Ukraine"),
            said("Mr Stoltenberg", "Air defence comes first"),
            said("Anna Smith", "Our banks were not harmed"),
        ],
    )
    write_release(
        folder,
        "b.txt",
        "Ministers meet in Kyiv",
        [
            said("Volodymyr Zelensky", "We will rebuild every city"),
            said("John Smith", "The bridge will reopen"),
        ],
    )
    where = tmp_path / "index"
    assert main(["index", str(folder), "--index-dir", str(where)]) == 0
    return where


def test_speakers_json(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["speakers", "--json", "--index-dir", str(index_dir)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_name = {r["speaker"]: r for r in rows}
    assert rows[0]["speaker"] == "Jens Stoltenberg" and rows[0]["quotes"] == 2
    zelenskyy = by_name["Volodymyr Zelenskyy"]
    assert "Zelensky" in zelenskyy["aliases"]
    assert zelenskyy["roles"][0] == "President of Ukraine"
    assert zelenskyy["kind"] == "person"


def test_speakers_table(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["speakers", "--index-dir", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "Jens Stoltenberg" in out and "Volodymyr Zelenskyy" in out


def test_search_by_surname_and_ambiguous_surname(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert (
        main(["search", "--speaker", "stoltenberg", "--json", "--index-dir", str(index_dir)]) == 0
    )
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(hits) == 2 and {h["speaker"] for h in hits} == {"Jens Stoltenberg"}
    assert main(["search", "--speaker", "smith", "--index-dir", str(index_dir)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "Anna Smith" in err and "John Smith" in err and "Traceback" not in err


def test_search_offers_the_speaker_the_words_name(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["search", "stoltenberg", "--index-dir", str(index_dir)]) == 0
    captured = capsys.readouterr()
    assert "2 quotes match" in captured.out
    assert "Jens Stoltenberg · 2 quotes — filter with --speaker" in captured.err
