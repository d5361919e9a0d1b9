"""Starting the app: the window at once, the index opened or built in a worker, errors shown
as messages with what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nato_browse.index.api import Filters
from nato_browse.tui.messages import BuildProgress, IndexReady
from nato_browse.tui.screens.error import ErrorScreen
from nato_browse.tui.widgets.filter_chips import FilterChips
from nato_browse.tui.widgets.status_line import StatusLine
from textual.widgets import Input

APP_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "app_corpus"


async def test_opens_with_the_search_box_focused_and_every_quote_listed(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "search"
        stats = app.index.stats()
        assert app.main.result.total == stats.quotes
        status = str(app.main.query_one(StatusLine).render())
        assert f"{stats.quotes} quotes match" in status
        assert "newest first" in status  # an empty query: the real order


async def test_query_and_filters_from_the_command_line(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(app_index, query="ukraine", filters=Filters(speakers=("Kaja Kallas",)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hits = shown_hits(app)
        assert hits and {h.quote.speaker for h in hits} == {"Kaja Kallas"}
        assert all("ukrain" in h.quote.text.lower() for h in hits)
        assert app.main.query_one("#search", Input).value == "ukraine"
        chips = app.main.query_one(FilterChips)
        assert chips.display and "speaker: Kaja Kallas" in str(chips.render())


async def test_first_run_builds_the_index_with_progress(
    tmp_path: Path, make_app, settle, shown_hits
) -> None:
    messages: list[object] = []
    app = make_app(tmp_path / "new-index", data=(APP_CORPUS,))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert any(isinstance(m, BuildProgress) for m in messages)
        assert any(isinstance(m, IndexReady) for m in messages)
        assert len(shown_hits(app)) >= 16
        assert not app.main.query_one("#loading").display


async def test_default_corpus_is_used_when_no_index_and_no_data(
    tmp_path: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(tmp_path / "new-index", default_corpus=APP_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert {h.quote.speaker for h in shown_hits(app)} >= {"Mark Rutte", "Kaja Kallas"}


async def test_unreadable_folder_is_a_message_not_a_traceback(
    tmp_path: Path, make_app, settle
) -> None:
    app = make_app(tmp_path / "idx", data=(tmp_path / "no-such-folder",))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        text = str(screen.query_one("#error-message").render())
        assert "no-such-folder" in text
        assert "--data" in str(screen.query_one("#error-advice").render())
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 1


async def test_corrupt_index_offers_a_rebuild(tmp_path: Path, make_app, settle, shown_hits) -> None:
    from nato_browse.index.store.build import build_index

    index_dir = tmp_path / "idx"
    build_index([APP_CORPUS], index_dir)
    for path in index_dir.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 10)
    app = make_app(index_dir, data=(), default_corpus=APP_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert app.screen.failure.can_rebuild
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert len(shown_hits(app)) >= 16


async def test_index_folder_that_is_a_file_says_what_to_do(
    tmp_path: Path, make_app, settle
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    app = make_app(not_a_folder, default_corpus=APP_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert str(not_a_folder) in str(app.screen.query_one("#error-message").render())


def test_the_app_refuses_to_run_without_a_terminal() -> None:
    env = {**os.environ, "NATO_BROWSE_INDEX_DIR": "/nonexistent"}
    code = (
        "import argparse, sys\n"
        "from nato_browse.tui.cli import app as cli_app\n"
        "p = argparse.ArgumentParser(); cli_app.add_parser(p.add_subparsers())\n"
        "a = p.parse_args(['app', 'nato', '--speaker', 'X', '--from', '2023'])\n"
        "assert a.query == ['nato'] and a.speaker == ['X']\n"
        "sys.exit(a.run(a))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr and "Traceback" not in out.stderr


async def test_build_progress_merges_in_the_queue(app_index: Path, make_app, settle) -> None:
    from textual.widgets import Label

    handled: list[BuildProgress] = []

    def hook(message: object) -> None:
        # A message is seen by each node it bubbles through: count each once.
        if isinstance(message, BuildProgress) and all(message is not m for m in handled):
            handled.append(message)

    app = make_app(app_index)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await settle(pilot)
        # A build reports per file, far faster than the screen draws: only the latest counts.
        for done in range(1, 501):
            app.main.post_message(BuildProgress(done, 500, f"reading file {done}"))
        await pilot.pause()
        assert [(m.done, m.what) for m in handled] == [(500, "reading file 500")]
        label = app.main.query_one("#loading-label", Label)
        assert str(label.render()) == "Building the index: reading file 500"
