"""What the main screens look like, as SVG snapshots (`pytest --snapshot-update` to accept a
change after looking at it). Deterministic: a fixed index from the fixture documents, a fixed
theme, no blinking cursor."""

from __future__ import annotations

from pathlib import Path

from app_helpers import make_app, settle, type_text
from textual.widgets import Input

pytest_plugins = ["app_fixtures"]  # the app_index, big_index and config_dir fixtures


async def _still(pilot) -> None:  # type: ignore[no-untyped-def]
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def _typing(query: str, *keys: str):  # type: ignore[no-untyped-def]
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


def test_wide(snap_compare, app_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_typing("ukraine"))


def test_narrow(snap_compare, app_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(40, 20), run_before=_typing("arctic"))


def test_help(snap_compare, app_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_typing("", "f1"))


def test_filter_picker(snap_compare, app_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(app_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_typing("", "f2", "k", "a"))
