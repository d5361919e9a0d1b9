"""The app over hostile documents and hostile user state: what it draws holds no control
character, no text is ever read as markup (notices included: these tests turn notifications
on, which `run_test` leaves off by default), long pastes are cut with a note, ctrl+q works
while a search runs, and the export dialog writes the name typed, in the documents folder,
never over a file unasked.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from nato_browse.index import QuoteIndex
from nato_browse.tui.screens.export import ExportScreen
from nato_browse.tui.widgets.search_box import MAX_QUERY_CHARS, SearchBox
from textual import events
from textual.widgets import Input

SIZE = (120, 36)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Every line on screen, as the terminal gets it (less the styles Textual adds)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_export(pilot, settle, name: str | None = "") -> Input:  # type: ignore[no-untyped-def]
    """The export dialog, opened from the main screen once it settled; its file name box
    emptied (or set to `name`) unless `name` is None."""
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ExportScreen)
    box = pilot.app.screen.query_one("#export-path", Input)
    if name is not None:
        box.value = name
    return box


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_hostile_quotes_are_drawn_as_text(
    hostile_app_index: Path, quiet_world: Path, make_app, settle, assert_no_controls
) -> None:
    app = make_app(hostile_app_index, query="defend", config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.main.result is not None and app.main.result.total >= 1
        await pilot.press("down")
        await settle(pilot)
        shown = screen_text(app)
        assert_no_controls(shown)
        assert "Jens Stoltenberg" in shown
        assert "[/nomatch][bold" in shown  # markup in a quote, shown as the text it is
        await pilot.press("enter")  # the quote full-screen
        await settle(pilot)
        assert_no_controls(screen_text(app))
        assert app.is_running


async def test_urls_open_only_on_the_web(
    tmp_path: Path, quiet_world: Path, make_app, settle
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    urls = ("javascript:alert(1)", "file:///etc/passwd", "https://example.org/fine")
    for n, url in enumerate(urls):
        (docs / f"{n}.md").write_text(
            f"---\ntitle: Release {n}\ndate: 2024-01-0{n + 1}\nurl: {url}\n---\n"
            f"“We will defend number {n},” said Jens Stoltenberg.\n",
            encoding="utf-8",
        )
    app = make_app(tmp_path / "ix", data=(docs,), config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down")
        for _ in urls:
            await pilot.press("u", "down")
            await settle(pilot)
        assert app.is_running
        from nato_browse.tui import browser

        assert browser.webbrowser.get().opened == ["https://example.org/fine"]  # type: ignore[attr-defined]
        assert sum("only http and https links are opened" in n for n in notices(app)) == 2


async def test_a_url_with_markup_in_it_is_opened_or_copied_as_text(
    tmp_path: Path, quiet_world: Path, make_app, settle
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "---\ntitle: Markup [/x] title\nurl: https://example.org/[/nomatch]\n---\n"
        "“We will defend every inch,” said Jens Stoltenberg.\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "ix", data=(docs,), config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down", "u")
        await settle(pilot)
        assert app.is_running
        assert any("https://example.org/[/nomatch]" in n for n in notices(app))


async def test_hostile_saved_searches_config_and_history_do_not_bring_it_down(
    app_index: Path, quiet_world: Path, make_app, settle, hostile_text: str
) -> None:
    config = quiet_world / "config"
    (config / "config.toml").write_text(
        '[keys]\n"[/x]" = "f2"\n"[/y]" = 5\n"bold [b]" = ""\ntheme = 3\n', encoding="utf-8"
    )
    (config / "saved-searches.json").write_text(
        json.dumps(
            {
                "version": 1,
                "searches": [
                    {"name": "name [/y]", "query": "[/q]", "filters": {"speakers": ["[/s]"]}},
                    {"name": f"evil{hostile_text}", "query": hostile_text},
                ],
            }
        ),
        encoding="utf-8",
    )
    (config / "history.json").write_text(
        json.dumps({"version": 1, "queries": [hostile_text, "[/h]"]}), encoding="utf-8"
    )
    app = make_app(app_index, config_dir=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("[/y]" in n for n in notices(app))  # the config's problems, as text
        await pilot.press("ctrl+p")
        await pilot.press(*"Saved")
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.is_running
        await pilot.press("escape", "f1")  # the help lists the bindings and the config
        await settle(pilot)
        await pilot.press("escape", "up", "up", "up")  # the history, walked back
        await settle(pilot)
        assert app.is_running


@pytest.mark.timeout(120)  # a hang guard: the palette's own fuzzy matcher explodes here
async def test_the_palette_matches_long_names_in_linear_time(
    tmp_path: Path, quiet_world: Path, make_app, settle
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    name = "Aa Ba " * 15  # letters the query needs, never in a row
    (docs / "a.txt").write_text(
        f"Talks\n\n“We will help,” said {name.strip()}.\n", encoding="utf-8"
    )
    app = make_app(tmp_path / "ix", data=(docs,), config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"aaaaaaaaaaaaaaaa")
        await settle(pilot)
        await pilot.pause(0.5)
        assert app.is_running


async def test_a_long_paste_is_cut_with_a_note(
    app_index: Path, quiet_world: Path, make_app, settle, hostile_text: str
) -> None:
    app = make_app(app_index, config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        box = app.main.query_one(SearchBox)
        app._driver.send_message(events.Paste(("deterrence ukraine " * 1_200)[:20_000]))
        await settle(pilot)
        assert len(box.value) == MAX_QUERY_CHARS
        assert any("cut to fit the search box" in n for n in notices(app))
        box.value = ""
        app._driver.send_message(events.Paste(f"two\nlines{hostile_text}"))
        await settle(pilot)
        assert box.value.startswith("two lines") and "\x1b" not in box.value
        assert app.is_running


@pytest.mark.timeout(120)  # a hang guard: ctrl+q must not wait for the search
async def test_ctrl_q_quits_while_a_search_runs(
    app_index: Path, quiet_world: Path, make_app, settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    search = QuoteIndex.search

    def slow_search(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        if query == "slow":
            started.set()
            deadline = time.monotonic() + 60
            while not release.is_set() and time.monotonic() < deadline:
                sum(range(1000))  # holds the GIL as a long search would
        return search(self, query, *args, **kwargs)

    monkeypatch.setattr(QuoteIndex, "search", slow_search)
    app = make_app(app_index, config_dir=quiet_world / "config")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press(*"slow")
            for _ in range(200):
                if started.is_set():
                    break
                await pilot.pause(0.05)
            assert started.is_set()
            asked = time.monotonic()
            await pilot.press("ctrl+q")
            for _ in range(200):
                if not app.is_running:
                    break
                await pilot.pause(0.05)
            assert not app.is_running, "ctrl+q did not quit while a search ran"
            assert time.monotonic() - asked < 30
    finally:
        release.set()


async def test_export_writes_the_name_typed_in_the_documents_folder(
    app_index: Path, quiet_world: Path, make_app, settle, type_text
) -> None:
    documents = quiet_world / "documents"
    app = make_app(app_index, query="ukraine", config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        box = await open_export(pilot, settle, name=None)
        dialog = app.screen
        assert Path(box.value).parent == documents  # the documents folder, not the cwd
        assert "writes Markdown" in str(dialog.query_one("#export-box").border_subtitle)
        await pilot.press("f3")  # CSV: the suggested name follows the format
        assert box.value.endswith(".csv")
        assert "writes CSV" in str(dialog.query_one("#export-box").border_subtitle)
        box.value = ""
        await type_text(pilot, "X")  # no suffix: written as X, in the format chosen
        await pilot.press("enter")
        await settle(pilot)
    assert [p.name for p in documents.iterdir()] == ["X"]
    assert (documents / "X").read_text(encoding="utf-8").startswith("# Query: ukraine")


async def test_export_asks_before_replacing_a_file(
    app_index: Path, quiet_world: Path, make_app, settle, type_text
) -> None:
    documents = quiet_world / "documents"
    mine = documents / "notes.md"
    mine.write_text("the person's own notes", encoding="utf-8")
    app = make_app(app_index, query="ukraine", config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_export(pilot, settle)
        await type_text(pilot, "notes.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)  # still asking
        assert "exists" in str(app.screen.query_one("#export-error").render())
        assert mine.read_text(encoding="utf-8") == "the person's own notes"
        await pilot.press("enter")  # the second Enter replaces it
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert mine.read_text(encoding="utf-8").startswith("# Quotes for “ukraine”")


async def test_a_typed_suffix_chooses_the_format_shown(
    app_index: Path, quiet_world: Path, make_app, settle, type_text
) -> None:
    documents = quiet_world / "documents"
    app = make_app(app_index, query="ukraine", config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_export(pilot, settle)
        await type_text(pilot, "out.json")
        await settle(pilot)
        assert "writes JSON" in str(app.screen.query_one("#export-box").border_subtitle)
        await pilot.press("enter")
        await settle(pilot)
    assert json.loads((documents / "out.json").read_text(encoding="utf-8"))["query"] == "ukraine"


async def test_an_impossible_export_name_is_a_message(
    app_index: Path, quiet_world: Path, make_app, settle
) -> None:
    app = make_app(app_index, query="ukraine", config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_export(pilot, settle, "x" * 5_000)  # longer than any file system allows
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "too long" in str(app.screen.query_one("#export-error").render()).lower()
        assert app.is_running


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (40, 12)])
def test_export_dialog_shows_the_format_chosen_snapshot(  # type: ignore[no-untyped-def]
    snap_compare, app_index: Path, quiet_world: Path, make_app, settle, type_text, size, monkeypatch
) -> None:
    # Files are shown from the working folder: the checkout's, so that the picture is the same
    # wherever the checkout is (nothing is written: the dialog is not submitted).
    monkeypatch.chdir(Path(__file__).resolve().parents[2])

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        box = await open_export(pilot, settle)
        await type_text(pilot, "quotes.csv")  # a name, not the timestamped suggestion
        await settle(pilot)
        box.cursor_blink = False
        await pilot.pause()

    app = make_app(app_index, query="ukraine", theme="textual-dark")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
