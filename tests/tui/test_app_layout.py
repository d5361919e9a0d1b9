"""Sizes: wide terminals put the detail beside the list, narrow ones stack them, tiny ones keep
just the list; nothing breaks from 30x10 to 300x80."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.quote_list import QuoteList


@pytest.mark.parametrize("size", [(30, 10), (40, 20), (80, 24), (120, 40), (300, 80)])
async def test_every_size_works(
    app_index: Path, size: tuple[int, int], make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await type_text(pilot, "nato")
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        assert shown_hits(app) and quotes.region.height >= 3 and quotes.region.width >= 16
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("escape", "f2")
        await settle(pilot)
        await pilot.press("escape")


async def test_panes_side_by_side_when_wide_stacked_when_narrow(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        quotes, detail = app.main.query_one(QuoteList), app.main.query_one(DetailPane)
        assert detail.region.x > quotes.region.x and detail.region.y == quotes.region.y
        await pilot.resize_terminal(60, 30)
        await settle(pilot)
        assert detail.region.y > quotes.region.y and detail.region.x == quotes.region.x
        await pilot.resize_terminal(30, 10)
        await settle(pilot)
        assert not detail.display or detail.region.height == 0
