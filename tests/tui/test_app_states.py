"""Honest counts, and the empty and failing states: one count everywhere with the others
explained, plurals right, an empty index that says how to fill it, zero hits under filters that
offers to drop them one at a time, a chart that says why it is empty."""

from __future__ import annotations

from pathlib import Path

from nato_browse.index import Filters, SearchResult
from nato_browse.tui.widgets.month_chart import MonthChart
from nato_browse.tui.widgets.status_line import StatusLine, status_text
from nato_browse.tui.wording import match_count, plural
from textual.widgets import Static


def test_one_count_with_the_repeats_explained() -> None:
    assert match_count(4462, 4499) == "4,499 quotes match (4,462 after merging repeats)"
    assert match_count(12, 12) == "12 quotes match"
    assert match_count(1, 1) == "1 quote matches"
    assert match_count(1, 3) == "3 quotes match (1 after merging repeats)"
    assert match_count(0) == "0 quotes match"
    assert plural(1, "document") == "1 document" and plural(2, "document") == "2 documents"
    assert plural(1_204, "quote") == "1,204 quotes"


def test_the_status_says_the_real_order() -> None:
    result = SearchResult("", (), total=4462, quotes=4499, sort="newest")
    line = str(status_text(result, Filters(regions=("Nordic",)), "4,499 quotes in 1 document"))
    assert line == (
        "4,499 quotes match (4,462 after merging repeats) · region: Nordic · newest first"
        " · 4,499 quotes in 1 document"
    )


async def test_one_document_is_one_document(tmp_path: Path, make_app, settle, said) -> None:
    from nato_browse.index import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "only.txt").write_text(
        "A single release\n\n" + said("Jens Stoltenberg", "One quote is enough for today") + "\n",
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    app = make_app(index_dir)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        status = str(app.main.query_one(StatusLine).render())
        assert "1 quote matches" in status and "1 quote in 1 document" in status


async def test_an_empty_index_says_how_to_fill_it(tmp_path: Path, make_app, settle) -> None:
    from nato_browse.index.store.build import index_quotes

    index_dir = tmp_path / "index"
    index_quotes([], index_dir)
    app = make_app(index_dir)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        note = app.main.query_one("#note", Static)
        text = str(note.render())
        assert note.display
        assert str(index_dir) in text
        assert "nato-browse index PATH" in text and "--data" in text
        assert "0 quotes in 0 documents" in str(app.main.query_one(StatusLine).render())


async def test_zero_hits_under_filters_offers_to_drop_them_one_at_a_time(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    filters = Filters(speakers=("Mark Rutte",), regions=("Baltic",))
    app = make_app(app_index, query="beijing", filters=filters)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.main.result.total == 0
        note = app.main.query_one("#note", Static)
        assert "No quotes match with these filters. Drop region Baltic?" in str(note.render())
        await pilot.press("enter")  # as the note says
        await settle(pilot)
        assert app.main.filters == Filters(speakers=("Mark Rutte",))
        assert "Drop speaker Mark Rutte?" in str(note.render())
        offer = str(note.render()).index("Drop")
        await pilot.click("#note", offset=(offer + 1, 0))  # or a click on the offer
        await settle(pilot)
        assert app.main.filters == Filters()
        assert shown_hits(app) and not note.display


async def test_the_chart_says_why_it_is_empty(app_index: Path, make_app, settle, type_text) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await type_text(pilot, "zzyzx")
        await settle(pilot)
        caption = app.main.query_one(MonthChart).query_one(".month-caption", Static)
        assert str(caption.render()) == "No chart: no quotes match."
