"""Reading around a quote: `o` (or Enter on the full-screen quote) opens its whole document, the
quote highlighted and in view, every quote marked with its speaker in the margin; n/p, / and
Esc; and the source named wherever a quote is shown or cited."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nato_browse.tui.citation import citation
from nato_browse.tui.screens.detail import DetailScreen
from nato_browse.tui.screens.main import MainScreen
from nato_browse.tui.screens.reader import ReaderScreen
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.document_view import DocumentView
from nato_browse.tui.widgets.quote_list import QuoteList
from textual import events
from textual.widgets import Label, Static

FILLER = (
    "Delegations spent the morning on procedure, budgets and the calendar for the coming "
    "year, and the afternoon on reports from the working groups."
)


def _briefing() -> str:
    paragraphs = [
        '"Allies agreed today to double the number of ships in the northern harbour patrols," '
        "NATO Secretary General Jens Stoltenberg said.",
        *[FILLER] * 6,
        '"Estonia will host the next exercise, and our engineers are ready for it," Prime '
        "Minister of Estonia Kaja Kallas said.",
        *[FILLER] * 6,
        '"The lighthouse project on the coast will be finished before the winter storms," '
        "Secretary General Mark Rutte said.",
    ]
    head = "---\ntitle: Ministers agree on the northern patrols\ndate: 2024-03-12\n"
    head += "url: https://example.org/news/northern-patrols\n---\n\n"
    return head + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def reading(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A folder of documents written here (one long briefing, an export without urls) and
    its index; returns (documents folder, index folder)."""
    from nato_browse.index import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "briefing.md").write_text(_briefing(), encoding="utf-8")
    with open(docs / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "body"])
        writer.writerow(
            [
                "Defence ministers meet",
                "2024-05-02",
                '"Our factories will triple the output of shells by next year," '
                "NATO Secretary General Mark Rutte said.",
            ]
        )
        writer.writerow(
            [
                "Harbour visit in Tallinn",
                "2024-05-03",
                '"The quay in Tallinn can take the largest frigates now," Prime Minister of '
                "Estonia Kaja Kallas said.",
            ]
        )
    index_dir = tmp_path / "index"
    report = build_index([docs], index_dir)
    assert report.quotes == 5 and not report.skipped
    return docs, index_dir


def _view_text(view: DocumentView) -> list[str]:
    """The lines of the document as they are on screen now."""
    height = view.scrollable_content_region.height
    return ["".join(seg.text for seg in view.render_line(y)) for y in range(height)]


async def _read(pilot, settle) -> ReaderScreen:  # type: ignore[no-untyped-def]
    """Into the list and `o`: the highlighted quote's document."""
    await pilot.press("down", "o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReaderScreen)
    return pilot.app.screen


def _head(screen: ReaderScreen) -> str:
    return "\n".join(str(static.render()) for static in screen.query("#reader-head Static"))


async def test_o_opens_the_whole_document_with_the_quote_in_view(reading, make_app, settle) -> None:
    docs, index_dir = reading
    app = make_app(index_dir, query="lighthouse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hit = app.main.query_one(QuoteList).highlighted_hit
        screen = await _read(pilot, settle)
        head = _head(screen)
        assert "Ministers agree on the northern patrols" in head
        assert "12 Mar 2024" in head and "https://example.org/news/northern-patrols" in head
        assert str(docs / "briefing.md") in head
        assert "Quote 3 of 3" in head and "Mark Rutte" in head
        view = screen.query_one(DocumentView)
        assert view.quotes[view.current].text == hit.quote.text
        # The quote is on screen (the document is longer than the screen, so it scrolled),
        # with its speaker in the margin.
        assert view.scroll_y > 0
        shown = _view_text(view)
        assert any("lighthouse project" in line for line in shown)
        assert any(line.lstrip().startswith("Mark Rutte") for line in shown)


async def test_every_quote_is_marked_with_its_speaker_and_n_p_move_between_them(
    reading, make_app, settle
) -> None:
    _, index_dir = reading
    app = make_app(index_dir, query="lighthouse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await _read(pilot, settle)
        view = screen.query_one(DocumentView)
        assert [q.speaker for q in view.quotes] == ["Jens Stoltenberg", "Kaja Kallas", "Mark Rutte"]
        assert view.current == 2
        await pilot.press("p")
        await settle(pilot)
        assert view.current == 1 and "Quote 2 of 3" in _head(screen)
        shown = _view_text(view)
        kallas = [line for line in shown if line.lstrip().startswith("Kaja Kallas")]
        assert kallas and "engineers" in kallas[0]
        await pilot.press("p")
        await settle(pilot)
        assert view.current == 0
        assert any("Stoltenberg" in line and "harbour" in line for line in _view_text(view))
        await pilot.press("p")  # the first already: it stays, and says so
        await settle(pilot)
        assert view.current == 0
        await pilot.press("n", "n")
        await settle(pilot)
        assert view.current == 2


async def test_slash_finds_words_in_the_document(reading, make_app, settle, type_text) -> None:
    _, index_dir = reading
    app = make_app(index_dir, query="allies")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _read(pilot, settle)
        view = screen.query_one(DocumentView)
        await pilot.press("slash")
        await type_text(pilot, "working groups")
        await settle(pilot)
        count = screen.query_one("#reader-find-count", Label)
        assert str(count.render()) == "1 of 12"
        assert any("working groups" in line for line in _view_text(view))
        await pilot.press("enter")
        await settle(pilot)
        assert str(count.render()) == "2 of 12"
        await pilot.press("up")
        await settle(pilot)
        assert str(count.render()) == "1 of 12"
        # Esc closes the find box (the words stay marked), Esc again goes back.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.focused is view
        assert len(view.matches) == 12
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_esc_goes_back_to_where_you_were(reading, make_app, settle) -> None:
    _, index_dir = reading
    app = make_app(index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        await pilot.press("down", "down", "down")
        before = quotes.highlighted_hit
        # From the list: o, then Esc: the list, the same quote highlighted.
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main and app.focused is quotes
        assert quotes.highlighted_hit is before
        # From the full-screen quote: Enter reads the document, Esc comes back to the quote.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.quote == before.quote
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main


async def test_a_document_gone_says_so_and_shows_the_quote_in_its_context(
    reading, make_app, settle
) -> None:
    docs, index_dir = reading
    app = make_app(index_dir, query="lighthouse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (docs / "briefing.md").unlink()
        screen = await _read(pilot, settle)
        where = str(screen.query_one("#reader-where", Static).render())
        assert "briefing.md: the file is no longer there" in where and "\n" not in where
        view = screen.query_one(DocumentView)
        assert view.quotes[view.current].text in view.text
        text = "\n".join(_view_text(view))
        assert "no longer there" in text and "lighthouse project" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main


async def test_a_document_changed_since_indexing_says_so(reading, make_app, settle) -> None:
    docs, index_dir = reading
    app = make_app(index_dir, query="lighthouse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        path = docs / "briefing.md"
        path.write_text(path.read_text(encoding="utf-8").replace("winter", "autumn"), "utf-8")
        screen = await _read(pilot, settle)
        where = str(screen.query_one("#reader-where", Static).render())
        assert "changed since it was indexed" in where


async def test_keys_in_a_burst_read_as_typed_slowly(reading, make_app, settle) -> None:
    _, index_dir = reading

    async def after(keys: list[str], burst: bool) -> tuple[str, int]:
        app = make_app(index_dir, query="engineers")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if burst:
                for key in keys:
                    app.post_message(events.Key(key, key if len(key) == 1 else None))
            else:
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            view = app.screen.query_one(DocumentView)
            return type(app.screen).__name__, view.current

    keys = ["down", "o", "n", "p", "p"]
    assert await after(keys, burst=True) == await after(keys, burst=False) == ("ReaderScreen", 0)


async def test_the_detail_and_the_citation_name_the_file_when_there_is_no_url(
    reading, make_app, settle
) -> None:
    docs, index_dir = reading
    app = make_app(index_dir, query="quay")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        hit = app.main.query_one(QuoteList).highlighted_hit
        assert hit.quote.url == ""
        where = f"{docs / 'export.csv'}, row 2"
        pane = str(app.main.query_one(DetailPane).query_one("#detail-body").render())
        assert where in pane.splitlines()[1]  # under the speaker, before the quote
        assert citation(hit.quote).splitlines()[-1] == where
        # With a url, the url is the source the citation names.
        app.main.query_text = "lighthouse"
        await settle(pilot)
        quote = app.main.query_one(QuoteList).highlighted_hit.quote
        assert citation(quote).splitlines()[-1] == "https://example.org/news/northern-patrols"


async def test_the_reader_names_the_row_of_an_export(reading, make_app, settle) -> None:
    docs, index_dir = reading
    app = make_app(index_dir, query="quay")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        head = _head(await _read(pilot, settle))
        assert "Harbour visit in Tallinn" in head and f"{docs / 'export.csv'}, row 2" in head
        assert "The only quote" in head
