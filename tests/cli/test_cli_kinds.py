"""Kinds of record on the command line: `search --kind`, `stats` by kind, `extract` marks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.tui.cli import main

PRESS_CONFERENCE = """Doorstep statement

by NATO Secretary General Mark Rutte

12 Feb. 2025

Good morning.

Allies will agree on a new plan for air defence this week.

Question (Reuters): Will the plan for air defence cover the Baltic states?

The plan covers every Ally, from the north to the south.
"""

JOINT = """Joint press conference

with President Anna Example and Prime Minister Berit Sample

We have agreed on a plan for air defence today.
"""


@pytest.fixture
def index_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doorstep.txt").write_text(PRESS_CONFERENCE, encoding="utf-8")
    (docs / "joint.txt").write_text(JOINT, encoding="utf-8")
    folder = tmp_path / "index"
    assert main(["index", str(docs), "--index-dir", str(folder)]) == 0
    capsys.readouterr()
    return folder


def search(index_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["search", *args, "--json", "--index-dir", str(index_dir)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_search_leaves_questions_out_unless_asked(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hits = search(index_dir, capsys, "plan")
    assert {h["kind"] for h in hits} == {"remarks"}
    assert "Reuters" not in {h["speaker"] for h in hits}
    asked = search(index_dir, capsys, "plan", "--kind", "question")
    assert [(h["speaker"], h["kind"]) for h in asked] == [("Reuters", "question")]
    both = search(index_dir, capsys, "plan", "--kind", "question", "--kind", "remarks")
    assert {h["kind"] for h in both} == {"question", "remarks"}


def test_search_table_says_who_is_unclear_and_what_is_asked(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "plan", "--index-dir", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "unclear:" in out and "Berit" in out  # the speaker column folds the names
    (unclear,) = [h for h in search(index_dir, capsys, "plan today") if not h["speaker"]]
    assert unclear["candidates"] == ["Anna Example", "Berit Sample"]
    assert main(["search", "plan", "--kind", "question", "--index-dir", str(index_dir)]) == 0
    assert "question: Will the plan" in capsys.readouterr().out


def test_an_unknown_kind_is_refused_in_one_line(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "plan", "--kind", "answer", "--index-dir", str(index_dir)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'answer'" in err and "Traceback" not in err


def test_stats_count_by_kind(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--index-dir", str(index_dir)]) == 0
    assert "by kind: 4 remarks, 1 question" in capsys.readouterr().out
    assert main(["stats", "--json", "--index-dir", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kinds"] == {"quote": 0, "remarks": 4, "turn": 0, "question": 1}


def test_extract_marks_kinds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doorstep.txt"
    path.write_text(PRESS_CONFERENCE, encoding="utf-8")
    assert main(["extract", str(path), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["kind"], r["speaker"]) for r in rows] == [
        ("remarks", "Mark Rutte"),
        ("remarks", "Mark Rutte"),
        ("question", "Reuters"),
        ("remarks", "Mark Rutte"),
    ]
    assert rows[0]["procedural"] and not rows[1]["procedural"]
    assert main(["extract", str(path)]) == 0
    out = capsys.readouterr().out
    assert "? Will the plan" in out and "» Allies will agree" in out
