"""What the main screens look like, as SVG snapshots (`pytest --snapshot-update` to accept a
change after looking at it). Deterministic: a fixed index from the fixture documents, a fixed
theme, no blinking cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input


async def _still(pilot) -> None:  # type: ignore[no-untyped-def]
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.fixture
def typing(settle, type_text):  # type: ignore[no-untyped-def]
    """`typing(query, *keys)`: what to do before the snapshot: type, press, let it settle."""

    def make(query: str, *keys: str):  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot)
            if query:
                await type_text(pilot, query)
                await settle(pilot)
            if keys:
                await pilot.press(*keys)
                await settle(pilot)
            await _still(pilot)

        return run_before

    return make


# The sizes every screen is held to: a roomy terminal, the classic 80x24, a small split pane.
SIZES = {"120x35": (120, 35), "80x24": (80, 24), "40x12": (40, 12)}
sizes = pytest.mark.parametrize("size", list(SIZES))


@sizes
def test_main(snap_compare, app_index: Path, make_app, typing, size: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=typing("ukraine"))


@sizes
def test_detail(snap_compare, app_index: Path, make_app, typing, size: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    run_before = typing("beijing", "down", "enter")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_help(snap_compare, app_index: Path, make_app, typing, size: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=typing("", "f1"))


@sizes
def test_picker(snap_compare, app_index: Path, make_app, typing, size: str) -> None:  # type: ignore[no-untyped-def]
    # One speaker picked (a check mark), the cursor on the next.
    app = make_app(app_index, theme="textual-dark")
    run_before = typing("", "f2", "down", "space", "down")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_reader(snap_compare, app_index: Path, make_app, typing, size: str) -> None:  # type: ignore[no-untyped-def]
    # The China briefing from its second quote: the quote highlighted, the others marked.
    app = make_app(app_index, theme="textual-dark")
    run_before = typing("beijing", "down", "o")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
