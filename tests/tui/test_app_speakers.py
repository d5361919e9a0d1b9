"""Issue 10 in the app: typing a speaker's name offers to filter by them, unattributed quotes
look like what they are and can be picked, and the speaker picker finds other spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.index import UNATTRIBUTED
from nato_browse.tui.screens.picker import FilterPicker, PickerList
from nato_browse.tui.widgets.quote_list import QuoteList
from textual.widgets import Static


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (40, 12)])
async def test_typing_a_name_offers_the_speaker_filter(
    app_index: Path, make_app, settle, shown_hits, type_text, size: tuple[int, int]
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await type_text(pilot, "kallas")
        await settle(pilot)
        note = app.main.query_one("#note", Static)
        assert note.display
        offer = str(note.render())
        assert "Kaja Kallas · 3 quotes — filter" in offer
        assert {h.quote.speaker for h in shown_hits(app)} == {"Kaja Kallas"}
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.main.filters.speakers == ("Kaja Kallas",)


async def test_unattributed_quotes_read_as_such_and_are_filterable(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "membership for kyiv")
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        first = quotes.get_option_at_index(0)
        assert first.prompt.plain.startswith("unnamed: A spokesman")
        app.main.filters = app.main.filters.toggled("speakers", UNATTRIBUTED)
        await settle(pilot)
        assert shown_hits(app) and all(not h.quote.named for h in shown_hits(app))


async def test_the_speaker_picker_finds_other_spellings(app_index: Path, make_app, settle) -> None:
    picker = FilterPicker(
        "speaker",
        (("Volodymyr Zelenskyy", 12), ("Kaja Kallas", 3)),
        (),
        {"Volodymyr Zelenskyy": ("Zelensky", "Zelenskiy")},
    )
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(picker)
        await settle(pilot)
        await pilot.press(*"zelensky")
        await settle(pilot)
        options = picker.query_one(PickerList)
        assert options.option_count == 1
        label = options.get_option_at_index(0).prompt
        assert "Volodymyr Zelenskyy" in str(label) and "also Zelensky, Zelenskiy" in str(label)
