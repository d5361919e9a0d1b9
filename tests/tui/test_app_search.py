"""Search as you type: results follow each keystroke, stale searches are dropped, a malformed
query gets a quiet note, no hits gets "did you mean", and the order can be changed."""

from __future__ import annotations

from pathlib import Path

from nato_browse.tui import render
from nato_browse.tui.messages import ResultsShown
from nato_browse.tui.screens.main import FIRST_PAGE, PAGE
from nato_browse.tui.widgets.quote_list import QuoteList
from nato_browse.tui.widgets.status_line import StatusLine
from textual import events
from textual.widgets import Input, Static


async def test_typing_narrows_the_list_and_highlights_the_words(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        everything = app.main.result.total
        await type_text(pilot, "beijing")
        await settle(pilot)
        hits = shown_hits(app)
        assert 0 < len(hits) < everything
        assert all("beijing" in h.quote.text.lower() for h in hits)
        first = app.main.query_one(QuoteList).get_option_at_index(0)
        marked = [s for s in first.prompt.spans if s.style == render.MATCH]
        assert marked and all(
            first.prompt.plain[s.start : s.end].lower().startswith("beijing") for s in marked
        )


async def test_the_last_word_is_a_prefix_while_typing(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "ammun")
        await settle(pilot)
        assert any("ammunition" in h.quote.text for h in shown_hits(app))


async def test_stale_searches_are_dropped(app_index: Path, make_app, settle, shown_hits) -> None:
    shown: list[ResultsShown] = []
    app = make_app(app_index)

    def hook(message: object) -> None:
        # A message is seen by each node it bubbles through: count each once.
        if isinstance(message, ResultsShown) and all(message is not s for s in shown):
            shown.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        shown.clear()
        query = "undersea infrastructure"
        # Keystrokes as fast as a terminal delivers a paste or a quick typist's burst.
        for ch in query:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await settle(pilot)
        assert app.main.query_one("#search", Input).value == query
        # Far fewer lists than keystrokes, and the one left on screen is for the whole query.
        assert 1 <= len(shown) <= 3
        assert shown[-1].result.query == query
        assert [h.quote.speaker for h in shown_hits(app)] == ["Mark Rutte"]


async def test_malformed_query_is_searched_as_words_with_a_quiet_note(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(app_index, query='"ukraine AND (')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        result = app.main.result
        assert result.note
        note = app.main.query_one("#note", Static)
        assert note.display and result.note in str(note.render())
        assert shown_hits(app)


async def test_no_hits_offers_did_you_mean_and_enter_takes_it(
    app_index: Path, make_app, settle, shown_hits, type_text
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "arctik")
        await settle(pilot)
        result = app.main.result
        assert result.total == 0 and result.suggestion
        note = str(app.main.query_one("#note", Static).render())
        assert f"Did you mean {result.suggestion}?" in note
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.query_one("#search", Input).value == result.suggestion
        assert shown_hits(app)


async def test_sort_goes_round_the_four_orders(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(app_index, query="alliance")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = app.main.query_one(StatusLine)
        assert "best match first" in str(status.render())
        await pilot.press("f6")
        await settle(pilot)
        assert app.main.sort == "newest"
        dates = [h.quote.date for h in shown_hits(app)]
        assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
        assert "newest first" in str(status.render())
        await pilot.press("down", "O")  # the same from the list
        await settle(pilot)
        assert app.main.sort == "oldest"
        dates = [h.quote.date for h in shown_hits(app)]
        assert dates == sorted(dates) and "oldest first" in str(status.render())
        await pilot.press("O")
        await settle(pilot)
        assert app.main.sort == "speaker" and "speaker A-Z" in str(status.render())
        speakers = [h.quote.speaker for h in shown_hits(app)]
        assert speakers == sorted(speakers, key=str.casefold)
        await pilot.press("O")
        await settle(pilot)
        assert app.main.sort == "relevance"


async def test_with_no_query_the_status_says_newest_first(
    app_index: Path, make_app, settle, shown_hits
) -> None:
    app = make_app(app_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.main.sort == "relevance"  # asked for, but an empty query has no relevance
        status = str(app.main.query_one(StatusLine).render())
        assert "newest first" in status and "best match" not in status
        dates = [h.quote.date for h in shown_hits(app) if h.quote.date]
        assert dates == sorted(dates, reverse=True)


async def test_g_and_end_reach_the_real_last_result_and_paging_goes_both_ways(
    big_index: Path, make_app, settle
) -> None:
    from nato_browse.index import QuoteIndex

    with QuoteIndex.open(big_index) as index:
        every = [h.quote.quote_id for h in index.search("", limit=1000).hits]
    app = make_app(big_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        quotes = app.main.query_one(QuoteList)
        total = app.main.result.total
        assert total == len(every) and quotes.option_count == FIRST_PAGE < total
        assert quotes.border_subtitle == f"1 of {total}"
        # G: the last of all the results, not of those loaded.
        await pilot.press("down", "G")
        await settle(pilot)
        assert quotes.place == total - 1
        assert quotes.highlighted_hit.quote.quote_id == every[-1]
        assert quotes.border_subtitle == f"{total} of {total}"
        # Going up from there pages in what comes before, in order.
        for _ in range(PAGE // 2 + 5):
            await pilot.press("up")
        await settle(pilot)
        window = [h.quote.quote_id for h in quotes.hits]
        assert window == every[quotes.start : quotes.start + len(window)]
        assert quotes.highlighted_hit.quote.quote_id == every[total - 1 - (PAGE // 2 + 5)]
        # g (Home): the first again; End: the last again.
        await pilot.press("home")
        await settle(pilot)
        assert quotes.place == 0 and quotes.highlighted_hit.quote.quote_id == every[0]
        await pilot.press("end")
        await settle(pilot)
        assert quotes.place == total - 1


async def test_page_down_keeps_going_even_in_a_burst(big_index: Path, make_app, settle) -> None:
    async def place_after(keys: list[str], burst: bool) -> int:
        app = make_app(big_index)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            if burst:  # as a terminal delivers a held key: no pause between them
                for key in keys:
                    app.post_message(events.Key(key, None))
            else:
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            return app.main.query_one(QuoteList).place

    keys = ["down"] + ["pagedown"] * 12
    slowly = await place_after(keys, burst=False)
    assert slowly > FIRST_PAGE  # past the first page: the list paged in as it went
    assert await place_after(keys, burst=True) == slowly


async def test_the_speaker_view_pages_in_the_same_way(big_index: Path, make_app, settle) -> None:
    from nato_browse.tui.screens.speaker import LIST_PAGE, SpeakerScreen

    app = make_app(big_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(SpeakerScreen("Jens Stoltenberg"))
        await settle(pilot)
        quotes = app.screen.query_one(QuoteList)
        total = quotes.total
        assert quotes.option_count == LIST_PAGE < total
        seen = [h.quote.quote_id for h in quotes.hits]
        await pilot.press("down")
        for _ in range(LIST_PAGE + 10):  # down past the first page, one by one
            await pilot.press("j")
        await settle(pilot)
        assert quotes.option_count > LIST_PAGE
        assert [h.quote.quote_id for h in quotes.hits][:LIST_PAGE] == seen
        dates = [h.quote.date for h in quotes.hits]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("G")
        await settle(pilot)
        assert quotes.place == total - 1
