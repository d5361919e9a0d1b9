"""Issue 5 in the app: the month chart above the list, a quote's sources, the speaker view, the
compare view, query history and saved searches; SVG snapshots of the speaker and compare views.

The index is the app tests' fixture documents plus tests/fixtures/issue5_corpus: Jens
Stoltenberg's Vilnius quote is repeated a day later (same words) and a week later by "a NATO
spokesman" with a word dropped, so it is one quote with three sources and a disagreement, and
Stoltenberg is quoted across several months.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nato_browse.index.api import Filters
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.tui.screens.choose import ChoiceScreen
from nato_browse.tui.screens.compare import CompareScreen
from nato_browse.tui.screens.main import MainScreen
from nato_browse.tui.screens.save_search import SaveSearchScreen
from nato_browse.tui.screens.speaker import SpeakerScreen
from nato_browse.tui.state.history import HISTORY_FILE
from nato_browse.tui.state.saved_searches import SAVED_SEARCHES_FILE, SavedSearch, SavedSearches
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.month_chart import MonthChart, chart_caption
from nato_browse.tui.widgets.quote_list import QuoteList
from nato_browse.tui.widgets.search_box import SearchBox
from nato_browse.tui.widgets.sources import SourcesBlock
from textual.widgets import Input, Sparkline

ROOT = Path(__file__).resolve().parents[2]
APP_CORPUS = ROOT / "tests" / "fixtures" / "app_corpus"
SEED = ROOT / "data" / "corpus"


ISSUE5_CORPUS = ROOT / "tests" / "fixtures" / "issue5_corpus"
STOLTENBERG = "Jens Stoltenberg"
VILNIUS = "Ukraine's future is in NATO"


@pytest.fixture(scope="session")
def index5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from nato_browse.index.store.build import build_index

    index_dir = tmp_path_factory.mktemp("issue5-index")
    report = build_index([APP_CORPUS, SEED, ISSUE5_CORPUS], index_dir)
    assert not report.skipped
    return index_dir


@pytest.fixture(scope="session")
def searcher(index5: Path) -> Iterator[QuoteIndex]:
    with QuoteIndex.open(index5) as index:
        yield index


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may touch the person's real config directory."""
    monkeypatch.setenv("NATO_BROWSE_CONFIG_DIR", str(tmp_path / "env-config"))


# ---------------------------------------------------------------- the month chart


def test_chart_caption() -> None:
    months = (("2023-03", 2), ("2023-04", 0), ("2023-05", 5), ("2023-06", 5))
    assert chart_caption(months) == "2023-03 … 2023-06 · peak 5 in 2023-06 · 12 quotes"
    assert chart_caption((("2024-01", 1),)) == "2024-01 · peak 1 in 2024-01 · 1 quote"
    assert chart_caption(()) == "No chart: no quotes with a known month."
    assert chart_caption((), 0) == "No chart: no quotes match."
    assert chart_caption((), 3) == "No chart: none of the 3 matching quotes has a known month."


async def test_month_chart_follows_the_search(
    index5: Path, searcher: QuoteIndex, make_app, settle, type_text
) -> None:
    app = make_app(index5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.main.query_one(MonthChart)
        assert chart.display and chart.region.y < app.main.query_one(QuoteList).region.y
        assert chart.months == searcher.months("", Filters())
        assert chart.query_one(Sparkline).data == [n for _, n in chart.months]
        await type_text(pilot, "arctic")
        await settle(pilot)
        arctic = searcher.months("arctic", Filters())
        assert chart.months == arctic and arctic[0][0] == "2023-03"
        assert sum(n for _, n in arctic) == app.main.result.total  # type: ignore[union-attr]
        await pilot.resize_terminal(30, 10)  # short: the chart gives its rows to the list
        await settle(pilot)
        assert not chart.display or chart.region.height == 0


# ---------------------------------------------------------------- a quote's sources


async def test_detail_pane_lists_every_source(index5: Path, make_app, settle) -> None:
    app = make_app(index5, query="future")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hit = app.main.query_one(QuoteList).highlighted_hit
        assert hit is not None and VILNIUS in hit.quote.text and hit.sources == 3
        block = app.main.query_one(DetailPane).query_one(SourcesBlock)
        assert block.display and block.info is not None
        info = block.info
        assert [s.quote.date for s in info.sources] == ["2023-07-12", "2023-07-13", "2023-07-20"]
        assert info.speaker == STOLTENBERG and info.speakers == (STOLTENBERG, "a NATO spokesman")
        text = str(block.render())
        assert text.startswith("3 sources")
        assert "Sources differ on who said it: Jens Stoltenberg" in text
        assert "“a NATO spokesman”" in text
        assert "What Vilnius decided, a day later" in text and "Weekly security digest" in text
        assert "https://example.org/digest/2023-29" in text
        # The spokesman's version drops "before": shown struck through.
        content = block.visual
        struck = [
            str(content)[span.start : span.end]
            for span in content.spans  # type: ignore[union-attr]
            if "strike" in str(span.style)
        ]
        assert struck == ["before,"]


async def test_a_single_source_shows_no_sources_block(
    index5: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(index5, query="arctic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert all(hit.sources == 1 for hit in shown_hits(app))
        assert not app.main.query_one(SourcesBlock).display


# ---------------------------------------------------------------- the speaker view


async def test_speaker_view_from_the_list(
    index5: Path, searcher: QuoteIndex, make_app, settle, type_text
) -> None:
    app = make_app(index5, query="bring ukraine closer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SpeakerScreen) and screen.speaker == STOLTENBERG
        profile = screen.profile
        assert profile is not None
        assert profile.quotes == searcher.speaker_quote_count(STOLTENBERG)
        # The repeated Vilnius quote counts once, its second document counts too.
        every = searcher.search("", Filters(speakers=(STOLTENBERG,)), limit=500, collapse=False)
        assert profile.documents == len({h.quote.doc for h in every.hits}) >= 6
        assert profile.first_date == "2023-03-14" and profile.last_date == "2024-10-01"
        roles = [role.role for role in profile.roles]
        assert roles[0] == "NATO Secretary General" and "Outgoing Secretary General" in roles
        chart = screen.query_one(MonthChart)
        assert chart.months == searcher.months("", Filters(speakers=(STOLTENBERG,)))
        assert chart.months[0][0] == "2023-03" and chart.months[-1][0] == "2024-10"
        assert dict(profile.topics)["Ukraine"] >= 2
        head = str(screen.query_one("#speaker-head").render())
        assert "NATO Secretary General" in head and f"{profile.quotes} quotes" in head
        facts = str(screen.query_one("#speaker-facts").render())
        assert "First: 14 Mar 2023" in facts and "Topics: Ukraine" in facts
        # Their quotes, newest first, searchable.
        quotes = screen.query_one(QuoteList)
        dates = [hit.quote.date for hit in quotes.hits]
        assert len(dates) == profile.quotes and dates == sorted(dates, reverse=True)
        assert all(hit.quote.speaker == STOLTENBERG for hit in quotes.hits)
        assert isinstance(app.focused, Input)
        await type_text(pilot, "arctic")
        await settle(pilot)
        assert 1 <= len(quotes.hits) < len(dates)
        assert all(hit.quote.date == "2023-03-14" for hit in quotes.hits)
        await pilot.press("down")
        assert app.focused is quotes
        assert screen.query_one(DetailPane).hit is quotes.highlighted_hit
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_speaker_view_from_the_palette_and_full_screen(
    index5: Path, make_app, settle, palette
) -> None:
    app = make_app(index5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await palette(pilot, "speaker view kallas")
        screen = app.screen
        assert isinstance(screen, SpeakerScreen) and screen.speaker == "Kaja Kallas"
        assert screen.profile is not None
        assert [r.role for r in screen.profile.roles] == [
            "Estonian Prime Minister",
            "EU High Representative",
        ]
        await pilot.press("escape")
        await settle(pilot)
        # From the full-screen quote: P.
        await pilot.press("down", "enter")
        await settle(pilot)
        speaker = app.main.query_one(QuoteList).highlighted_hit.quote.speaker  # type: ignore[union-attr]
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, SpeakerScreen) and app.screen.speaker == speaker


@pytest.mark.parametrize("size", [(30, 10), (40, 20), (200, 60)])
async def test_speaker_and_compare_views_fit_any_size(
    index5: Path, size: tuple[int, int], make_app, settle
) -> None:
    app = make_app(index5)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await app.push_screen(SpeakerScreen(STOLTENBERG))
        await settle(pilot)
        quotes = app.screen.query_one(QuoteList)
        assert quotes.option_count and quotes.region.height >= 1
        await pilot.press("escape")
        await app.push_screen(CompareScreen(STOLTENBERG, "Mark Rutte", "Ukraine"))
        await settle(pilot)
        assert app.screen.query_one("#compare-b").region.width >= 1


# ---------------------------------------------------------------- the compare view


async def test_compare_two_speakers_on_a_topic(
    index5: Path, searcher: QuoteIndex, make_app, settle, type_text, palette
) -> None:
    app = make_app(index5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "compare speakers")
        assert isinstance(app.screen, ChoiceScreen)
        await type_text(pilot, "stoltenb")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await type_text(pilot, "rutte")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)  # the topic, from those they spoke about
        await type_text(pilot, "ukraine")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.speakers == (STOLTENBERG, "Mark Rutte") and screen.topic == "Ukraine"
        comparison = screen.comparison
        assert comparison is not None
        for name, total in ((STOLTENBERG, comparison.total_a), ("Mark Rutte", comparison.total_b)):
            on_topic = searcher.search("", Filters(speakers=(name,), topics=("Ukraine",)))
            assert total == on_topic.total > 0
        # The same months under both charts: from Stoltenberg's first to Rutte's last.
        assert comparison.months[0] == "2023-07" and comparison.months[-1] == "2025-02"
        a, b = screen.query(Sparkline).results()
        assert len(a.data or []) == len(b.data or []) == len(comparison.months)
        latest = str(screen.query_one("#compare-b .compare-latest").render())
        assert latest.index("13 Feb 2025") < latest.index("1 Oct 2024")  # newest first
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_compare_every_topic_and_cancel(
    index5: Path, make_app, settle, type_text, palette
) -> None:
    app = make_app(index5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "compare speakers")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await palette(pilot, "compare speakers")
        await type_text(pilot, "kallas")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "blinken")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the first choice: every topic
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.topic == ""
        assert screen.comparison is not None
        # Kallas has three quotes: "A spokesman for the summit host said: ..." is not hers.
        assert (screen.comparison.total_a, screen.comparison.total_b) == (3, 4)


# ---------------------------------------------------------------- query history


async def test_query_history_up_down_kept_between_runs(
    index5: Path, config_dir: Path, make_app, settle, type_text
) -> None:
    app = make_app(index5, config_dir=config_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = app.main.query_one(SearchBox)
        await type_text(pilot, "arctic")
        await pilot.press("enter")  # recorded; focus moves to the list
        await settle(pilot)
        await pilot.press("slash", "escape")  # back to the box, emptied
        await type_text(pilot, "china")
        await pilot.press("down")  # leaving the box records it too
        await settle(pilot)
        assert app.focused is app.main.query_one(QuoteList)
        await pilot.press("slash", "escape")
        await type_text(pilot, "drones")  # a draft, not searched for long
        await pilot.press("up")
        assert box.value == "china"
        await pilot.press("up")
        assert box.value == "arctic"
        await pilot.press("up")  # the oldest: stays
        assert box.value == "arctic"
        await settle(pilot)
        assert app.main.query_text == "arctic"  # a recalled query is searched
        await pilot.press("down")
        assert box.value == "china"
        await pilot.press("down")
        assert box.value == "drones"  # the draft comes back
        await pilot.press("down")  # past the draft: into the list, as always
        await settle(pilot)
        assert app.focused is app.main.query_one(QuoteList)
    saved = (config_dir / HISTORY_FILE).read_text("utf-8")
    assert '"arctic"' in saved and '"china"' in saved

    again = make_app(index5, config_dir=config_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("up")
        assert again.main.query_one(SearchBox).value == "drones"
        await pilot.press("up")
        assert again.main.query_one(SearchBox).value == "china"


# ---------------------------------------------------------------- saved searches


async def test_save_a_search_and_run_it_from_the_palette(
    index5: Path, config_dir: Path, make_app, settle, shown_hits, type_text, palette
) -> None:
    app = make_app(
        index5,
        query="ukraine",
        filters=Filters(speakers=(STOLTENBERG,)),
        config_dir=config_dir,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "O", "S")  # sort newest first, then save
        await settle(pilot)
        assert isinstance(app.screen, SaveSearchScreen)
        assert app.screen.query_one(Input).value == "ukraine"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Stoltenberg on Ukraine")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    store = SavedSearches.load(config_dir / SAVED_SEARCHES_FILE)
    assert store.get("stoltenberg on ukraine") == SavedSearch(
        "Stoltenberg on Ukraine", "ukraine", Filters(speakers=(STOLTENBERG,)), "newest"
    )

    again = make_app(index5, config_dir=config_dir)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "saved: stoltenberg")
        main = again.main
        assert main.query_one(SearchBox).value == main.query_text == "ukraine"
        assert main.filters == Filters(speakers=(STOLTENBERG,)) and main.sort == "newest"
        hits = shown_hits(again)
        assert hits and all(h.quote.speaker == STOLTENBERG for h in hits)
        dates = [h.quote.date for h in hits]
        assert dates == sorted(dates, reverse=True)


async def test_save_search_from_the_palette_can_be_cancelled(
    index5: Path, config_dir: Path, make_app, settle, palette
) -> None:
    app = make_app(index5, query="arctic", config_dir=config_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await palette(pilot, "save search as")
        assert isinstance(app.screen, SaveSearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert not (config_dir / SAVED_SEARCHES_FILE).exists()


def test_saved_option_merges_the_command_line(tmp_path: Path) -> None:
    from nato_browse.tui.state.saved_searches import SavedSearchError, merge_saved

    store = SavedSearches(path=tmp_path / SAVED_SEARCHES_FILE)
    store.put(SavedSearch("arctic", "arctic", Filters(topics=("Arctic and High North",)), "oldest"))
    query, filters, sort = merge_saved("ARCTIC", tmp_path, "", Filters(speakers=(STOLTENBERG,)))
    assert (query, sort) == ("arctic", "oldest")
    assert filters == Filters(speakers=(STOLTENBERG,), topics=("Arctic and High North",))
    query, _, _ = merge_saved("arctic", tmp_path, "finland", Filters())
    assert query == "finland"
    with pytest.raises(SavedSearchError, match=r"no saved search named 'nope' \(saved: arctic\)"):
        merge_saved("nope", tmp_path, "", Filters())
    with pytest.raises(SavedSearchError, match="none saved yet"):
        merge_saved("arctic", tmp_path / "empty", "", Filters())


def test_saved_option_is_parsed() -> None:
    import argparse

    from nato_browse.tui.cli import app as cli_app

    parser = argparse.ArgumentParser()
    cli_app.add_parser(parser.add_subparsers())
    args = parser.parse_args(["app", "--saved", "arctic watch"])
    assert args.saved == "arctic watch"


async def test_help_lists_the_new_keys(index5: Path, make_app, settle) -> None:
    from nato_browse.tui.screens.help import binding_rows

    app = make_app(index5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = {row[3] for row in binding_rows(app)}
        assert {"speaker-view", "save-search", "history-older", "detail-speaker-view"} <= ids


# ---------------------------------------------------------------- snapshots


async def _still(pilot) -> None:  # type: ignore[no-untyped-def]
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_speaker_view_snapshot(snap_compare, index5: Path, make_app, settle) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.app.push_screen(SpeakerScreen(STOLTENBERG))
        await settle(pilot)
        await _still(pilot)

    app = make_app(index5, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_compare_view_snapshot(snap_compare, index5: Path, make_app, settle) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.app.push_screen(CompareScreen(STOLTENBERG, "Mark Rutte", "Ukraine"))
        await settle(pilot)
        await _still(pilot)

    app = make_app(index5, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
