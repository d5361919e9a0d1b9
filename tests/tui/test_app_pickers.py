"""The pickers and the one-value dialog: picked rows carry a check mark, and keys sent in a burst
(a paste, a fast typist, a script) do exactly what they do typed slowly."""

from __future__ import annotations

from pathlib import Path

from nato_browse.index import Filters
from nato_browse.tui.screens.choose import ChoiceScreen
from nato_browse.tui.screens.picker import PICKED, FilterPicker, PickerList
from textual import events


async def _send(pilot, keys: list[str], burst: bool, settle) -> None:  # type: ignore[no-untyped-def]
    """The keys with no pause at all between them (as one read from the terminal), or one at
    a time, each handled before the next."""
    if burst:
        for key in keys:
            char = " " if key == "space" else key if len(key) == 1 else None
            pilot.app.post_message(events.Key(key, char))
    else:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    await settle(pilot)


async def _filters_after(app_index: Path, make_app, settle, keys: list[str], burst: bool):  # type: ignore[no-untyped-def]
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _send(pilot, keys, burst, settle)
        return app.main.filters, type(app.screen).__name__, app.main.query_text


async def test_down_space_down_space_enter_in_a_burst_picks_what_it_picks_slowly(
    app_index: Path, make_app, settle
) -> None:
    keys = ["down", "s", "down", "space", "down", "space", "enter"]
    slowly = await _filters_after(app_index, make_app, settle, keys, burst=False)
    filters, screen, query = slowly
    assert len(filters.speakers) == 2 and screen == "MainScreen" and query == ""
    assert await _filters_after(app_index, make_app, settle, keys, burst=True) == slowly


async def test_a_pasted_name_then_enter_in_the_speaker_picker(
    app_index: Path, make_app, settle
) -> None:
    # Issue 14: the app exited (NoMatches, then OptionDoesNotExist) on a burst then Enter.
    keys = ["f2", *"kallas", "enter"]
    for burst in (False, True):
        filters, screen, query = await _filters_after(app_index, make_app, settle, keys, burst)
        assert filters == Filters(speakers=("Kaja Kallas",)), burst
        assert screen == "MainScreen" and query == ""  # nothing typed into the search box


async def test_a_burst_that_narrows_to_nothing_then_enter(
    app_index: Path, make_app, settle
) -> None:
    keys = ["f2", *"zzzz", "enter", "escape"]
    for burst in (False, True):
        filters, screen, query = await _filters_after(app_index, make_app, settle, keys, burst)
        assert filters == Filters() and screen == "MainScreen" and query == ""


async def test_keys_typed_while_the_picker_counts_reach_the_picker(
    app_index: Path, make_app, settle
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The picker opens at once, from the key, and counts its values afterwards.
        await pilot.press("f4")
        assert isinstance(app.screen, FilterPicker)
        await _send(pilot, [*"balt", "enter"], True, settle)
        assert app.main.filters.regions == ("Baltic",)


async def test_picked_rows_carry_a_check_mark(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "down", "space")
        await settle(pilot)
        picker = app.screen.query_one(PickerList)
        lines = ["".join(s.text for s in picker.render_line(y)) for y in range(picker.option_count)]
        picked = [line for line in lines if PICKED in line]
        assert len(picked) == 1 and picker.get_option_at_index(0).prompt.plain in picked[0]
        assert all(PICKED not in line for line in lines[1:])
        assert "1 picked" in str(app.screen.query_one("#picker-box").border_subtitle)
        await pilot.press("space")  # unpicked: the mark goes
        await settle(pilot)
        assert PICKED not in "".join(s.text for s in picker.render_line(0))


async def test_compare_dialogs_take_a_burst(app_index: Path, make_app, settle) -> None:
    from nato_browse.tui.screens.compare import CompareScreen

    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.compare_speakers()  # the palette's "Compare speakers…"
        assert isinstance(app.screen, ChoiceScreen)
        await _send(pilot, [*"kallas", "enter", *"rutte", "enter", "enter"], True, settle)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.speakers == ("Kaja Kallas", "Mark Rutte") and screen.topic == ""
