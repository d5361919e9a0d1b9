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


def test_wide(snap_compare, app_index: Path, make_app, typing) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=typing("ukraine"))


def test_narrow(snap_compare, app_index: Path, make_app, typing) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(40, 20), run_before=typing("arctic"))


def test_help(snap_compare, app_index: Path, make_app, typing) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=typing("", "f1"))


def test_filter_picker(snap_compare, app_index: Path, make_app, typing) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=typing("", "f2", "k", "a"))
