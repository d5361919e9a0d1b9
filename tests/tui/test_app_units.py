"""The app's plain parts, without running it: citation, export, date ranges, settings, looks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from nato_browse.index.api import Filters, Hit
from nato_browse.index.model import Quote
from nato_browse.tui import export, render
from nato_browse.tui.citation import citation, display_date
from nato_browse.tui.daterange import DateRangeError, parse_bound, parse_range
from nato_browse.tui.state.config import load_config

QUOTE = Quote(
    doc="d1",
    title="Ministers discuss China",
    date="2023-11-28",
    text="China is not our adversary, but Beijing's behaviour challenges our interests",
    start=100,
    end=176,
    speaker="Jens Stoltenberg",
    role="NATO Secretary General",
    context="Ministers met. \"China is not our adversary, but Beijing's behaviour challenges "
    'our interests," he said.',
    context_start=84,
    topics=("China",),
    countries=("China",),
    regions=("Indo-Pacific",),
    url="https://example.org/china",
)
HIT = Hit(QUOTE, 1.5, highlights=((0, 5),))


def test_citation_names_speaker_role_date_title_and_url() -> None:
    text = citation(QUOTE)
    assert text.startswith("“China is not our adversary")
    for part in ("Jens Stoltenberg, NATO Secretary General", "28 Nov 2023", QUOTE.title, QUOTE.url):
        assert part in text


def test_display_date_keeps_odd_dates() -> None:
    assert display_date("") == "undated"
    assert display_date("2023-1") == "2023-1"


def test_markdown_export_cites_every_quote() -> None:
    text = export.to_markdown([HIT, HIT], "china", Filters(speakers=("Jens Stoltenberg",)))
    assert text.count("> China is not our adversary") == 2
    assert "speaker: Jens Stoltenberg" in text
    assert f"[{QUOTE.title}]({QUOTE.url})" in text


def test_csv_export_round_trips() -> None:
    rows = export.csv_rows(export.to_csv([HIT]))
    assert rows[0]["speaker"] == "Jens Stoltenberg"
    assert rows[0]["text"] == QUOTE.text
    assert rows[0]["regions"] == "Indo-Pacific"


def test_json_export_keeps_every_field(tmp_path: Path) -> None:
    path = export.write_export([HIT], tmp_path / "out.json", "json", "china", Filters())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["count"] == 1
    assert (
        Quote.from_json(
            {k: v for k, v in data["quotes"][0].items() if k not in {"score", "sources"}}
        )
        == QUOTE
    )


def test_export_to_a_missing_folder_fails_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(export.ExportError, match="cannot write"):
        export.write_export([HIT], tmp_path / "nope" / "x.md", "md", "", Filters())


def test_export_paths() -> None:
    when = datetime(2024, 1, 2, 3, 4, 5)
    assert export.default_path("csv", Path("/x"), when) == Path(
        "/x/nato-browse-20240102-030405.csv"
    )
    assert export.format_for(Path("a.MD")) == "md"
    assert export.format_for(Path("a.txt")) is None


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2023", False, "2023-01-01"),
        ("2023", True, "2023-12-31"),
        ("2024-02", True, "2024-02-29"),
        ("2023-11-27", False, "2023-11-27"),
        ("27 November 2023", True, "2023-11-27"),
        ("", True, ""),
    ],
)
def test_date_bounds(text: str, end: bool, expected: str) -> None:
    assert parse_bound(text, end=end) == expected


def test_date_range_errors() -> None:
    with pytest.raises(DateRangeError, match="no month 13"):
        parse_range("2023-13", "")
    with pytest.raises(DateRangeError, match="after it ends"):
        parse_range("2024", "2023")
    with pytest.raises(DateRangeError, match="not a date"):
        parse_range("soon", "")


def test_config_keymap_and_theme(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'theme = "nord"\n[keys]\nfilter-speaker = "f10, s"\ncopy = ["y", "f8"]\n', "utf-8"
    )
    config = load_config(tmp_path)
    assert config.keymap == {"filter-speaker": "f10,s", "copy": "y,f8"}
    assert config.theme == "nord"
    assert config.problems == ()


def test_config_problems_are_one_line_each(tmp_path: Path) -> None:
    assert load_config(tmp_path).keymap == {}  # no file: nothing to say
    (tmp_path / "config.toml").write_text("[keys\n", "utf-8")
    (problem,) = load_config(tmp_path).problems
    assert "config.toml: not valid TOML" in problem and "\n" not in problem
    (tmp_path / "config.toml").write_text("[keys]\ncopy = 3\n", "utf-8")
    assert "keys.copy" in load_config(tmp_path).problems[0]


def test_row_shows_the_match_even_late_in_a_long_quote() -> None:
    text = "word " * 40 + "Arctic matters"
    quote = Quote(doc="d", title="t", date="", text=text, start=0, end=len(text), speaker="S")
    start = text.index("Arctic")
    content = render.row(Hit(quote, 1.0, highlights=((start, start + 6),)))
    line = content.plain.split("\n")[1]
    assert line.startswith("…") and "Arctic" in line[:60]
    marked = [s for s in content.spans if s.style == render.MATCH]
    assert [content.plain[s.start : s.end] for s in marked] == ["Arctic"]


def test_detail_marks_the_quote_in_its_context() -> None:
    content = render.detail(HIT, 4)
    marked = [s for s in content.spans if s.style == render.QUOTE_IN_CONTEXT]
    assert [content.plain[s.start : s.end] for s in marked] == [QUOTE.text]
    for part in ("NATO Secretary General", QUOTE.url, "Indo-Pacific", "has 4 other quotes"):
        assert part in content.plain


def test_rows_are_cut_to_the_width_with_an_ellipsis() -> None:
    text = "agree recommendations for reforms, as we continue to support Kyiv on its path"
    quote = Quote(doc="d", title="t", date="", text=text, start=0, end=len(text), speaker="S")
    for width in (20, 40, 45, 60):
        line = render.row(Hit(quote, 1.0), width).plain.split("\n")[1]
        assert len(line) <= width and line.endswith("…")
    assert render.row(Hit(quote, 1.0), 200).plain.split("\n")[1] == text


def test_a_new_filter_field_is_described_with_no_change_here() -> None:
    from dataclasses import make_dataclass

    from nato_browse.tui.widgets.filter_chips import chip_values

    # A field added to Filters (say, the language of a quote) shows in the status line, the
    # export's heading and the chips under its own name, after the labelled ones.
    wider = make_dataclass(
        "WiderFilters", [("languages", tuple[str, ...], ())], bases=(Filters,), frozen=True
    )
    filters = wider(speakers=("Jens Stoltenberg",), languages=("en", "fr"))
    assert export.describe_filters(filters) == [
        "speaker: Jens Stoltenberg",
        "languages: en or fr",
    ]
    assert [c[1:] for c in chip_values(filters)] == [
        ("speakers", "Jens Stoltenberg"),
        ("languages", "en"),
        ("languages", "fr"),
    ]
