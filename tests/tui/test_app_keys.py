"""Moving around from the keyboard, the help screen, remapping keys, quitting."""

from __future__ import annotations

from pathlib import Path

from nato_browse.tui.screens.detail import DetailScreen
from nato_browse.tui.screens.help import HelpScreen, binding_rows
from nato_browse.tui.screens.main import FIRST_PAGE
from nato_browse.tui.screens.picker import FilterPicker
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.quote_list import QuoteList
from textual.widgets import Input


async def test_list_navigation(big_index: Path, make_app, settle) -> None:
    app = make_app(big_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        await pilot.press("down")
        assert app.focused is quotes and quotes.highlighted == 0
        await pilot.press("j", "j", "down")
        assert quotes.highlighted == 3
        await pilot.press("k", "up")
        assert quotes.highlighted == 1
        await pilot.press("pagedown")
        page = quotes.highlighted
        assert page > 4
        await pilot.press("pageup")
        assert quotes.highlighted < page
        await pilot.press("G")  # the last of all the results: the list goes there
        await settle(pilot)
        assert quotes.place == quotes.total - 1 > FIRST_PAGE
        await pilot.press("g")
        await settle(pilot)
        assert quotes.place == quotes.highlighted == 0
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("tab")
        assert app.focused is quotes


async def test_detail_pane_follows_the_highlight(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index, query="arctic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.main.query_one(DetailPane)
        quotes = app.main.query_one(QuoteList)
        assert pane.hit is quotes.highlighted_hit
        await pilot.press("down", "j")
        await settle(pilot)
        hit = quotes.highlighted_hit
        assert pane.hit is hit
        text = str(pane.query_one("#detail-body").render())
        quote = hit.quote
        for part in (quote.speaker, quote.role, quote.title, quote.url, "In context"):
            assert part in text
        assert ", ".join(quote.topics) in text and ", ".join(quote.regions) in text
        expected = app.index.speaker_quote_count(quote.speaker) - 1
        assert f"has {expected} other quote" in text


async def test_enter_opens_the_quote_full_screen_and_escape_comes_back(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index, query="ukraine")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        first = app.screen.query_one(DetailPane).hit
        assert first is quotes.highlighted_hit
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(DetailPane).hit is quotes.get_option_at_index(1).hit
        await pilot.press("p")
        assert app.screen.query_one(DetailPane).hit is first
        await pilot.press("escape")
        assert app.screen is app.main
        assert app.focused is quotes
        await pilot.press("slash", "enter")  # Enter in the search box goes to the list
        assert app.focused is quotes
        await pilot.press("escape")  # and Escape back to the search box
        assert isinstance(app.focused, Input)


async def test_escape_in_the_search_box_clears_it(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index, query="arctic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.query_one("#search", Input).value == ""
        assert app.main.result.query == ""


async def test_help_lists_every_binding(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        ids = {row[3] for row in binding_rows(app)}
        for binding_id in (
            "filter-speaker",
            "filter-topic",
            "filter-region",
            "filter-dates",
            "sort",
            "clear-filters",
            "copy",
            "open-url",
            "export",
            "quit",
            "help",
            "command-palette",
            "list-down",
            "list-last",
            "detail-next",
            "open-document",
            "detail-open-document",
            "reader-next",
            "reader-previous",
            "reader-find",
            "reader-back",
        ):
            assert binding_id in ids
        await pilot.press("escape")
        assert app.screen is app.main
        await pilot.press("?")  # in the search box `?` is typed, not help
        assert app.main.query_one("#search", Input).value == "?"
        await pilot.press("backspace", "down", "?")  # in the list it is help
        assert isinstance(app.screen, HelpScreen)


async def test_keys_are_remapped_from_the_config_file(
    app_index: Path, config_dir: Path, make_app, settle
) -> None:
    (config_dir / "config.toml").write_text('[keys]\nfilter-speaker = "f10"\n', "utf-8")
    app = make_app(app_index, config_dir=config_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is app.main  # the old key no longer opens the picker
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, FilterPicker)
        rows = {row[3]: row[1] for row in binding_rows(app)}
        assert rows["filter-speaker"] == "f10"
        assert rows["filter-topic"] == "f3 t"


async def test_a_bad_config_file_is_a_notification(
    app_index: Path, config_dir: Path, make_app, settle
) -> None:
    (config_dir / "config.toml").write_text("[keys\n", "utf-8")
    app = make_app(app_index, config_dir=config_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("config.toml: not valid TOML" in m for m in messages)
        assert app.main.result.total > 0


async def test_unknown_theme_is_a_notification_and_a_known_one_applies(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index, theme="no-such-theme")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any("no-such-theme" in n.message for n in app._notifications)
    app = make_app(app_index, theme="gruvbox")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"


async def test_ctrl_q_quits_from_anywhere(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_o_reads_and_shift_o_sorts_remappable_by_id(
    app_index: Path, config_dir: Path, make_app, settle
) -> None:
    from nato_browse.tui.screens.reader import ReaderScreen

    (config_dir / "config.toml").write_text(
        '[keys]\nopen-document = "f11"\nsort = "f6,z"\n', "utf-8"
    )
    app = make_app(app_index, config_dir=config_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "z")
        await settle(pilot)
        assert app.main.sort == "newest"
        await pilot.press("o")  # no longer bound: nothing happens
        await settle(pilot)
        assert app.screen is app.main
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        rows = {row[3]: row[1] for row in binding_rows(app)}
        assert rows["open-document"] == "f11" and rows["sort"] == "f6 z"
