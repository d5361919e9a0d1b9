"""Filters by speaker, topic, region and date: pickers with counts, narrowed by typing, several
values at once; chips that remove one filter or all; the palette's jump to a value."""

from __future__ import annotations

from pathlib import Path

from nato_browse.index.api import Filters
from nato_browse.tui.screens.dates import DateRangeScreen
from nato_browse.tui.screens.picker import FilterPicker, PickerList
from nato_browse.tui.widgets.filter_chips import FilterChips
from nato_browse.tui.widgets.status_line import StatusLine


def picker_values(app) -> list[str]:  # type: ignore[no-untyped-def]
    picker = app.screen.query_one(PickerList)
    return [picker.get_option_at_index(i).value for i in range(picker.option_count)]


async def test_speaker_picker_from_the_search_box(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FilterPicker)
        counts = dict(app.screen.values)
        assert counts["Jens Stoltenberg"] >= 5 and counts["Mark Rutte"] == 3
        await type_text(pilot, "kal")
        assert picker_values(app) == ["Kaja Kallas"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.filters.speakers == ("Kaja Kallas",)
        assert {h.quote.speaker for h in shown_hits(app)} == {"Kaja Kallas"}
        assert "speaker: Kaja Kallas" in str(app.main.query_one(StatusLine).render())
        assert "speaker: Kaja Kallas" in str(app.main.query_one(FilterChips).render())


async def test_several_speakers_at_once_and_counts_follow_the_query(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(app_index, query="ukraine")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "s")  # `s` works from the list
        await settle(pilot)
        counts = dict(app.screen.values)
        assert "Antony Blinken" not in counts  # he never mentions Ukraine here
        assert counts["Kaja Kallas"] == 2
        await pilot.press("down")  # into the list of values
        for name in ("Kaja Kallas", "Mark Rutte"):
            picker = app.screen.query_one(PickerList)
            picker.highlighted = picker_values(app).index(name)
            await pilot.press("space")
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.filters.speakers == ("Kaja Kallas", "Mark Rutte")
        assert {h.quote.speaker for h in shown_hits(app)} == {"Kaja Kallas", "Mark Rutte"}


async def test_topic_and_region_pickers(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert "China" in picker_values(app)
        await type_text(pilot, "china")
        await pilot.press("enter")
        await settle(pilot)
        assert all("China" in h.quote.topics for h in shown_hits(app))
        await pilot.press("down", "r")
        await settle(pilot)
        assert picker_values(app) == ["Indo-Pacific"]  # regions within the China quotes
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.filters.regions == ()


async def test_chips_remove_one_filter_or_all(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    filters = Filters(speakers=("Jens Stoltenberg", "Mark Rutte"), topics=("Ukraine",))
    app = make_app(app_index, filters=filters)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chips = app.main.query_one(FilterChips)
        assert [c[2] for c in chips.chips] == ["Jens Stoltenberg", "Mark Rutte", "Ukraine"]
        await pilot.click(FilterChips, offset=(2, 0))  # the first chip
        await settle(pilot)
        assert app.main.filters.speakers == ("Mark Rutte",)
        assert {h.quote.speaker for h in shown_hits(app)} == {"Mark Rutte"}
        await pilot.press("down", "x")  # drops the last chip
        await settle(pilot)
        assert app.main.filters == Filters(speakers=("Mark Rutte",))
        await pilot.press("f7")
        await settle(pilot)
        assert app.main.filters.is_empty() and not chips.display


async def test_clear_all_chip(app_index: Path, make_app, settle) -> None:
    app = make_app(app_index, filters=Filters(speakers=("Mark Rutte",), topics=("Ukraine",)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chips = app.main.query_one(FilterChips)
        x = chips.render().plain.index("clear all")
        await pilot.click(FilterChips, offset=(x + 1, 0))
        await settle(pilot)
        assert app.main.filters.is_empty()


async def test_date_range(app_index: Path, make_app, settle, shown_hits, type_text) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DateRangeScreen)
        await type_text(pilot, "2024")
        await pilot.press("tab")
        await type_text(pilot, "2024-10")
        await pilot.press("enter")
        await settle(pilot)
        assert (app.main.filters.date_from, app.main.filters.date_to) == (
            "2024-01-01",
            "2024-10-31",
        )
        dates = {h.quote.date for h in shown_hits(app)}
        assert dates == {"2024-02-06", "2024-10-01"}
        assert "dates: 2024-01-01 to 2024-10-31" in str(app.main.query_one(FilterChips).render())


async def test_a_bad_date_is_explained_in_place(
    app_index: Path, make_app, settle, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await type_text(pilot, "2024-13")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DateRangeScreen)
        assert "no month 13" in str(app.screen.query_one("#dates-error").render())


async def test_palette_jumps_to_a_speaker(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Speaker: Mark Rutte")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.filters.speakers == ("Mark Rutte",)
        assert {h.quote.speaker for h in shown_hits(app)} == {"Mark Rutte"}


async def test_palette_jumps_to_a_region(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Region: Indo-Pacific")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.filters.regions == ("Indo-Pacific",)
        assert all("Indo-Pacific" in h.quote.regions for h in shown_hits(app))


async def test_setting_the_state_is_all_it_takes(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    from nato_browse.tui.widgets.search_box import SearchBox

    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.main
        # The state is three reactives: the box, the results, the chips and the status line
        # follow whatever sets them.
        main.query_text = "ukraine"
        main.filters = Filters(speakers=("Kaja Kallas",))
        main.sort = "oldest"
        await settle(pilot)
        assert main.query_one(SearchBox).value == "ukraine"
        assert main.result is not None and main.result.query == "ukraine"
        hits = shown_hits(app)
        assert hits and {h.quote.speaker for h in hits} == {"Kaja Kallas"}
        status = str(main.query_one(StatusLine).render())
        assert f"{main.result.total} quote" in status
        assert "speaker: Kaja Kallas" in status and "oldest first" in status
        assert "speaker: Kaja Kallas" in str(main.query_one(FilterChips).render())
