"""Speeches, press conferences and interviews in the app (issue 9): questions hidden until the
kind picker or the palette asks for them, a question shown above its answer, an unclear speaker
said so, the speech listed as the original of an article's quote. At 120x35, 80x24 and 40x12."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.tui.screens.detail import DetailScreen
from nato_browse.tui.screens.picker import FilterPicker, PickerList
from nato_browse.tui.widgets.detail_pane import DetailPane
from nato_browse.tui.widgets.filter_chips import FilterChips
from nato_browse.tui.widgets.question import QuestionBlock
from nato_browse.tui.widgets.quote_list import QuoteList
from nato_browse.tui.widgets.sources import SourcesBlock

SIZES = [(120, 35), (80, 24), (40, 12)]

SPEECH = """Speech

by NATO Secretary General Jens Stoltenberg at a security conference

17 Feb. 2024

Good morning.

Our security is not a gift, and it is something we must invest in every single year.
"""

PRESS_CONFERENCE = """Press conference

by NATO Secretary General Jens Stoltenberg

20 Feb. 2024

Question (Reuters): Will Allies send more air defence to Ukraine this spring?

More air defence will arrive in the spring, because Allies have signed new contracts.
"""

JOINT = """Joint press point

with President Anna Example and Prime Minister Berit Sample

21 Feb. 2024

We have agreed on a common plan for the harbour today.
"""

ARTICLE = """NATO chief says Allies must invest every year

BRUSSELS, 18 Feb. 2024 - NATO Secretary General Jens Stoltenberg spoke at a security conference
on Saturday. “Our security is not a gift, and it is something we must invest in,” Mr
Stoltenberg told the audience.
"""


@pytest.fixture(scope="module")
def transcripts_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from nato_browse.index.store.build import build_index

    corpus = tmp_path_factory.mktemp("transcripts-corpus")
    for name, text in (
        ("speech.txt", SPEECH),
        ("press-conference.txt", PRESS_CONFERENCE),
        ("joint.txt", JOINT),
        ("article.txt", ARTICLE),
    ):
        (corpus / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("transcripts-index")
    report = build_index([corpus], index_dir)
    assert not report.skipped
    return index_dir


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may touch the person's real config directory."""
    monkeypatch.setenv("NATO_BROWSE_CONFIG_DIR", str(tmp_path / "env-config"))


def kinds(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.quote.kind for hit in app.main.query_one(QuoteList).hits]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_questions_are_hidden_until_the_kind_picker_shows_them(
    transcripts_index: Path, make_app, settle, type_text, size: tuple[int, int]
) -> None:
    app = make_app(transcripts_index, query="air defence")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert kinds(app) == ["remarks"]
        await pilot.press("down", "K")  # from the list, as the other filter keys
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, FilterPicker) and picker.label == "kind"
        assert picker.selected == ["quote", "remarks", "turn"]  # what is shown now
        options = picker.query_one(PickerList)
        values = [options.get_option_at_index(i).value for i in range(options.option_count)]
        # The kinds shown now, and the kinds in these results with their counts.
        assert values == ["quote", "turn", "remarks", "question"]
        await type_text(pilot, "quest")  # narrows the list to "question"
        await pilot.press("down", "space", "enter")  # to the list, pick it, apply
        await settle(pilot)
        assert app.main.filters.kinds == ("quote", "remarks", "turn", "question")
        assert sorted(kinds(app)) == ["question", "remarks"]
        chips = str(app.main.query_one(FilterChips).render())
        assert "kind: question" in chips
        # Dropping the question chip (the last one) hides them again: the default, no chips.
        await pilot.press("x")
        await settle(pilot)
        assert app.main.filters.kinds == () and kinds(app) == ["remarks"]
        assert not app.main.query_one(FilterChips).display


async def test_the_palette_shows_and_hides_questions(
    transcripts_index: Path, make_app, settle, palette
) -> None:
    app = make_app(transcripts_index, query="air defence")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for command, expected in (("show questions", 2), ("hide questions", 1)):
            await palette(pilot, command)
            assert len(kinds(app)) == expected
        assert app.main.filters.kinds == ()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_an_answer_shows_its_question_above_it(
    transcripts_index: Path, make_app, settle, size: tuple[int, int]
) -> None:
    app = make_app(transcripts_index, query="contracts")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if size[1] < 20:  # a short terminal has no detail pane: Enter opens the quote
            await pilot.press("down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen)
        pane = app.screen.query_one(DetailPane)
        block = pane.query_one(QuestionBlock)
        assert block.display and block.question is not None
        text = str(block.render())
        assert text.startswith("Asked by Reuters:")
        assert "Will Allies send more air defence to Ukraine this spring?" in text
        body = pane.query_one("#detail-body")
        assert block.region.y < body.region.y  # above the answer
        assert "More air defence will arrive" in str(body.render())


async def test_a_question_is_shown_as_asked_and_an_unclear_speaker_as_unclear(
    transcripts_index: Path, make_app, settle, type_text
) -> None:
    app = make_app(transcripts_index, query="harbour")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        (hit,) = app.main.query_one(QuoteList).hits
        assert hit.quote.candidates == ("Anna Example", "Berit Sample")
        row = str(app.main.query_one(QuoteList).get_option_at_index(0).prompt)
        assert row.startswith("unclear: Anna Example or Berit Sample")
        body = str(app.main.query_one(DetailPane).query_one("#detail-body").render())
        assert body.startswith("unclear: Anna Example or Berit Sample")  # who, first
        assert "does not say which of them said this" in body
        assert "other quote" not in body  # no count for a speaker the document does not name
        await pilot.press("escape")  # the search box: a new query
        await pilot.press("ctrl+a")
        await type_text(pilot, "spring")
        await settle(pilot)
        await pilot.press("down", "K")
        await settle(pilot)
        await type_text(pilot, "quest")
        await pilot.press("down", "space", "enter")
        await settle(pilot)
        question = next(h for h in app.main.query_one(QuoteList).hits if h.quote.kind == "question")
        assert question.quote.speaker == "Reuters"
        index = [h.quote.kind for h in app.main.query_one(QuoteList).hits].index("question")
        row = str(app.main.query_one(QuoteList).get_option_at_index(index).prompt)
        assert row.startswith("question · Reuters")


async def test_the_speech_is_the_original_of_the_article_that_quotes_it(
    transcripts_index: Path, make_app, settle
) -> None:
    app = make_app(transcripts_index, query="gift")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        (hit,) = app.main.query_one(QuoteList).hits
        assert hit.sources == 2
        block = app.main.query_one(DetailPane).query_one(SourcesBlock)
        assert block.display and block.info is not None
        text = str(block.render())
        assert text.startswith("2 sources · original: speech, 17 Feb 2024")
        lines = text.splitlines()
        assert "Speech by NATO Secretary General" not in lines[1]  # the title is the file's
        assert "(original)" in lines[1] and "17 Feb 2024" in lines[1]  # listed first
        assert "NATO chief says Allies must invest" in text
        # The hit is the article's words (the best match); the block names the speech.
        body = str(app.main.query_one(DetailPane).query_one("#detail-body").render())
        assert "said in 2 sources" in body
        # The speech's own paragraph says where it was said.
        app.main.query_text = "invest every single year"
        await settle(pilot)
        hit = app.main.query_one(QuoteList).hits[0]
        assert hit.quote.kind == "remarks"
        body = str(app.main.query_one(DetailPane).query_one("#detail-body").render())
        assert body.splitlines()[1].startswith("17 Feb 2024  ·  speech  ·  ")
        assert "Document: Speech" in body


def test_answer_with_its_question_snapshot(  # type: ignore[no-untyped-def]
    snap_compare, transcripts_index: Path, make_app, settle, type_text
) -> None:
    from textual.widgets import Input

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await type_text(pilot, "contracts")
        await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    app = make_app(transcripts_index, theme="textual-dark")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
