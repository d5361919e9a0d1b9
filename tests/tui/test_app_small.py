"""Small terminals: at 80x24 the stacked detail shows who, in what role, when and where before
the text; the footer shows whole bindings or none (never a stray letter); at 40x12 the help
shows what each key does, not only its id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from nato_browse.tui.screens.help import HelpScreen, binding_rows
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.fit_footer import FitFooter
from rich.console import Console
from textual.widgets import Static
from textual.widgets._footer import FooterKey


async def test_at_80x24_the_stacked_detail_shows_who_when_and_where_first(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index, query="beijing")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quote = app.main.highlighted.quote
        pane = app.main.query_one(DetailPane)
        assert pane.region.y > app.main.query_one("#quotes").region.y  # stacked
        visible = pane.scrollable_content_region.height
        lines = str(pane.query_one("#detail-body", Static).render()).splitlines()
        # The pane is short: what it shows first is the speaker and role, the date and source.
        assert visible >= 3
        assert quote.speaker in lines[0] and quote.role in lines[0]
        assert "28 Nov 2023" in lines[1] and quote.url in lines[1]
        assert quote.text.strip()[:20] in "\n".join(lines[2:])


def _footer_keys(screen) -> tuple[list[FooterKey], FooterKey | None]:  # type: ignore[no-untyped-def]
    keys = list(screen.query_one(FitFooter).query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    return [k for k in keys if not k.has_class("-command-palette")], (
        palette[0] if palette else None
    )


def _assert_whole(screen) -> list[str]:  # type: ignore[no-untyped-def]
    """Every key shown in the footer is shown whole, left of the palette's key; returns the
    descriptions shown."""
    keys, palette = _footer_keys(screen)
    shown = [k for k in keys if k.display]
    limit = palette.region.x if palette is not None else screen.size.width
    for key in shown:
        text = f"{key.key_display} {key.description}"
        assert key.region.width >= len(text), text
        assert key.region.right <= limit, (text, key.region, limit)
    return [k.description for k in shown]


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (40, 12)])
async def test_the_footer_shows_whole_bindings_help_last_to_go(
    app_index: Path, make_app, settle, size: tuple[int, int]
) -> None:
    app = make_app(app_index, query="beijing")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("down")  # the list: every binding of the main screen is active
        await settle(pilot)
        shown = _assert_whole(app.screen)
        keys, _ = _footer_keys(app.screen)
        assert "Help" in shown
        if size[0] >= 120:
            assert len(shown) == len(keys)  # room for all
        else:
            assert len(shown) < len(keys)
        for opens in ("enter", "o"):  # the full-screen quote, then its document
            await pilot.press(opens)
            await settle(pilot)
            shown = _assert_whole(app.screen)
            assert shown[0] == "Back" and "Help" in shown


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_the_help_shows_what_each_key_does(
    app_index: Path, make_app, settle, size: tuple[int, int]
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-box Static", Static)
        width = table.content_region.width
        assert 0 < width <= size[0]
        console = Console(width=width, record=True, color_system=None)
        console.print(table.content)
        text = console.export_text()
        words = set(re.findall(r"[\w'-]+", text))
        joined = re.sub(r"\s+", "", text)  # an id too long for its column is folded
        for _group, _keys, description, binding_id in binding_rows(app):
            missing = [w for w in re.findall(r"[\w'-]+", description) if w not in words]
            assert not missing, (description, missing)
            if binding_id:
                assert binding_id in joined
