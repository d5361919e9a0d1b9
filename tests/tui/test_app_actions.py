"""Copy with citation, open the source, export the results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.tui import browser, export
from nato_browse.tui.citation import citation
from nato_browse.tui.screens.export import ExportScreen
from nato_browse.tui.widgets.quote_list import QuoteList


async def test_copy_puts_the_quote_and_its_citation_on_the_clipboard(
    app_index: Path, make_app, settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", lambda text: None)  # a clipboard that takes it
    app = make_app(app_index, query="shadow fleet")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")  # works from the search box
        await settle(pilot)
        quote = app.main.query_one(QuoteList).highlighted_hit.quote
        assert app.clipboard == citation(quote)
        for part in (
            "Kaja Kallas",
            "EU High Representative",
            "30 Dec 2024",
            quote.title,
            quote.url,
        ):
            assert part in app.clipboard
        assert any(n.title == "Copied" for n in app._notifications)


class FakeBrowser:
    name = "firefox"

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0) -> bool:
        self.opened.append(url)
        return True


async def test_open_url_starts_the_browser(
    app_index: Path, monkeypatch: pytest.MonkeyPatch, make_app, settle
) -> None:
    fake = FakeBrowser()
    monkeypatch.setattr(browser.webbrowser, "get", lambda: fake)
    app = make_app(app_index, query="arctic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "u")
        await settle(pilot)
        assert fake.opened == [app.main.query_one(QuoteList).highlighted_hit.quote.url]


async def test_a_text_browser_is_not_started_the_url_is_copied(
    app_index: Path, monkeypatch: pytest.MonkeyPatch, make_app, settle
) -> None:
    fake = FakeBrowser()
    fake.name = "lynx"
    monkeypatch.setattr(browser.webbrowser, "get", lambda: fake)
    app = make_app(app_index, query="arctic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "u")
        await settle(pilot)
        url = app.main.query_one(QuoteList).highlighted_hit.quote.url
        assert fake.opened == [] and app.clipboard == url


@pytest.mark.parametrize(("key", "suffix"), [("f2", "md"), ("f3", "csv"), ("f4", "json")])
async def test_export_writes_every_result(
    app_index: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    suffix: str,
    make_app,
    settle,
    shown_hits,
) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))  # the dialog's default folder
    app = make_app(app_index, query="ukraine")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        total = app.main.result.total
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press(key, "enter")
        await settle(pilot)
        (written,) = tmp_path.glob(f"nato-browse-*.{suffix}")
        assert any(str(written) in n.message for n in app._notifications)
        speakers = {h.quote.speaker for h in shown_hits(app)}
    text = written.read_text(encoding="utf-8")
    if suffix == "csv":
        rows = export.csv_rows(text)
        assert len(rows) == total and {r["speaker"] for r in rows} == speakers
    elif suffix == "json":
        assert json.loads(text)["count"] == total
    else:
        assert text.count("\n> ") >= total and "Quotes for “ukraine”" in text


async def test_export_to_a_chosen_path(
    app_index: Path, tmp_path: Path, make_app, settle, type_text
) -> None:
    app = make_app(app_index, query="china")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        box = app.screen.query_one("#export-path")
        box.value = ""
        await type_text(pilot, str(tmp_path / "china.json"))
        await pilot.press("enter")
        await settle(pilot)
    assert json.loads((tmp_path / "china.json").read_text("utf-8"))["count"] >= 3


async def test_export_to_a_missing_folder_says_so(
    app_index: Path, tmp_path: Path, make_app, settle
) -> None:
    app = make_app(app_index, query="china")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        box = app.screen.query_one("#export-path")
        box.value = str(tmp_path / "missing" / "out.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "no such folder" in str(app.screen.query_one("#export-error").render())


async def test_copy_also_tries_the_system_clipboard(
    app_index: Path, monkeypatch: pytest.MonkeyPatch, make_app, settle
) -> None:
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = make_app(app_index, query="shadow fleet")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "y")
        await settle(pilot)
        assert copied == [app.clipboard] and "Kaja Kallas" in copied[0]


async def test_palette_runs_app_commands(app_index: Path, make_app, settle, type_text) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Sort: oldest first")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.sort == "oldest"
