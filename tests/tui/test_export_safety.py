"""Exports are opened by other programs: a spreadsheet, a Markdown viewer, a script. Nothing a
document says may become a formula, a link, HTML or a terminal command there, and an export never
replaces a file unasked."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from nato_browse.index import Filters, Hit, Quote
from nato_browse.tui import export

NOW = datetime(2024, 3, 1, 9, 30)


def quote(**changes: object) -> Quote:
    fields: dict[str, object] = {
        "doc": "d1",
        "title": "Ministers meet",
        "date": "2024-02-14",
        "text": "We will defend every inch of Allied territory",
        "start": 0,
        "end": 45,
        "speaker": "Jens Stoltenberg",
        "role": "NATO Secretary General",
        "topics": ("Deterrence", "Deterrence"),
        "countries": ("Estonia", "Latvia", "Estonia"),
        "regions": ("Baltic", "Baltic"),
        "url": "https://example.org/release?id=1",
        "source": "a.txt",
    }
    fields.update(changes)
    return Quote(**fields)  # type: ignore[arg-type]


FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)")


def test_csv_cells_that_would_be_formulas_are_prefixed(assert_no_controls, hostile_text) -> None:
    hits = [Hit(quote(text=f, speaker=f, title=f, role=f, source=f), 1.0) for f in FORMULAS] + [
        Hit(quote(text=f"Hello{hostile_text}", title=f"T{hostile_text}"), 1.0)
    ]
    text = export.to_csv(hits, "defend", Filters(), total=9, now=NOW)
    assert_no_controls(text.replace("\r\n", "\n"))
    rows = export.csv_rows(text)
    assert len(rows) == 5
    for row, formula in zip(rows, FORMULAS, strict=False):
        for column in ("text", "speaker", "title", "role", "source"):
            assert row[column] == "'" + formula
    assert rows[4]["text"].startswith("Hello") and rows[4]["text"].endswith("[/nomatch][bold")
    # No cell of the whole file starts a formula.
    for cells in csv.reader(io.StringIO(text)):
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_every_export_starts_with_query_filters_date_and_counts() -> None:
    hits = [Hit(quote(), 2.0)]
    filters = Filters(speakers=("Jens Stoltenberg",), regions=("Baltic",), date_from="2024-01-01")
    md = export.to_markdown(hits, "defend", filters, total=7, now=NOW)
    csv_text = export.to_csv(hits, "defend", filters, total=7, now=NOW)
    data = json.loads(export.to_json(hits, "defend", filters, total=7, now=NOW))
    for text in (md, csv_text):
        head = text[:400]
        assert "Query: defend" in head
        assert "speaker: Jens Stoltenberg" in head and "region: Baltic" in head
        assert "2024-03-01 09:30" in head
        assert "1 of 7 matching quotes" in head
    assert csv_text.startswith("# Query: defend\r\n")
    assert list(data)[:5] == ["query", "filters", "exported", "count", "total"]
    assert (data["count"], data["total"], data["exported"]) == (1, 7, "2024-03-01T09:30:00")


def test_topics_countries_and_regions_are_separate_and_listed_once() -> None:
    hits = [Hit(quote(), 1.0)]
    (row,) = export.csv_rows(export.to_csv(hits, now=NOW))
    assert (row["topics"], row["countries"], row["regions"]) == (
        "Deterrence",
        "Estonia; Latvia",
        "Baltic",
    )
    md = export.to_markdown(hits, "", Filters(), now=NOW)
    assert "Topics: Deterrence  \nCountries: Estonia, Latvia  \nRegions: Baltic  " in md
    (item,) = json.loads(export.to_json(hits, "", Filters(), now=NOW))["quotes"]
    assert (item["topics"], item["countries"], item["regions"]) == (
        ["Deterrence"],
        ["Estonia", "Latvia"],
        ["Baltic"],
    )


def links_and_html(markdown: str) -> tuple[list[str], list[str]]:
    """Every link target and every piece of raw HTML a Markdown viewer would make."""
    links, html = [], []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in [token, *(token.children or [])]:
            if child.type == "link_open":
                links.append(str(child.attrs["href"]))
            if child.type in ("html_inline", "html_block", "image"):
                html.append(child.content)
    return links, html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "/relative/path",
        "https:no-host",
    ],
)
def test_markdown_links_only_to_the_web(url: str) -> None:
    md = export.to_markdown([Hit(quote(url=url), 1.0)], "x", Filters(), now=NOW)
    links, html = links_and_html(md)
    assert links == [] and html == []
    assert "*Ministers meet*" in md  # the title, without a link


def test_markdown_shows_a_documents_words_and_nothing_else(
    assert_no_controls, hostile_text
) -> None:
    sneaky = Quote(
        doc="d2",
        title="Click [here](javascript:alert(1)) <img src=x onerror=alert(1)>",
        date="",
        text="See [the report](file:///etc/passwd) and <script>alert(1)</script> **now**",
        start=0,
        end=10,
        speaker=f"# Heading{hostile_text}",
        url="https://example.org/a b)(<c>",
        regions=("[x](javascript:y)",),
    )
    md = export.to_markdown([Hit(sneaky, 1.0)], "<b>[q](file:///x)</b>", Filters(), now=NOW)
    assert_no_controls(md)
    links, html = links_and_html(md)
    assert html == []
    assert links == ["https://example.org/a%20b%29%28%3Cc%3E"]
    rendered = MarkdownIt("commonmark").render(md)
    assert "See [the report](file:///etc/passwd) and &lt;script&gt;" in rendered


def test_a_web_link_keeps_its_address() -> None:
    md = export.to_markdown([Hit(quote(), 1.0)], "x", Filters(), now=NOW)
    assert links_and_html(md) == (["https://example.org/release?id=1"], [])


def test_json_is_clean(assert_no_controls, hostile_text) -> None:
    hit = Hit(quote(text=f"a{hostile_text}", speaker=f"b{hostile_text}"), 1.0)
    text = export.to_json([hit], f"q{hostile_text}", Filters(speakers=(hostile_text,)), now=NOW)
    data = json.loads(text)
    for value in (data["query"], *data["filters"], *map(str, data["quotes"][0].values())):
        assert_no_controls(value)


def test_an_existing_file_is_never_replaced_unasked(tmp_path: Path) -> None:
    source = tmp_path / "source-document.md"
    source.write_text("the user's own notes", encoding="utf-8")
    hits = [Hit(quote(), 1.0)]
    with pytest.raises(export.ExportExists, match="already exists"):
        export.write_export(hits, source, "md", "x", Filters())
    assert source.read_text(encoding="utf-8") == "the user's own notes"
    export.write_export(hits, source, "md", "x", Filters(), overwrite=True)
    assert source.read_text(encoding="utf-8").startswith("# Quotes for “x”")


@pytest.mark.parametrize("name", ["X", "quotes.csv", "notes.txt", "with space.md", "ünï.json"])
def test_the_name_given_is_the_name_written(tmp_path: Path, name: str) -> None:
    written = export.write_export([Hit(quote(), 1.0)], tmp_path / name, "csv", "x", Filters())
    assert written == (tmp_path / name).resolve()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_the_default_folder_is_the_documents_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    assert export.default_folder() == documents
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "gone"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert export.default_folder() == tmp_path
