"""Kinds of record in the index (issue 9): questions hidden unless asked for, greetings never
first, a speech and the article that quotes it one group with the speech as the original."""

from __future__ import annotations

import pytest
from nato_browse.index.api import Filters
from nato_browse.index.grouping.groups import group_summary
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.search.speaker_profile import speaker_profile
from nato_browse.index.store.build import build_index

SPEECH = """Speech

by NATO Secretary General Jens Stoltenberg at a security conference

17 Feb. 2024

Good morning.

Allies have sent more air defence to Ukraine this winter than in the whole of last year.

Our security is not a gift, and it is something we must invest in every single year.

Thank you.
"""

PRESS_CONFERENCE = """Press conference

by NATO Secretary General Jens Stoltenberg

20 Feb. 2024

Question (Reuters): Will Allies send more air defence to Ukraine this spring?

More air defence will arrive in the spring, because Allies have signed new contracts.

Question (Agence Europe): Is the morning session on the cyber pledge open to the press?

The cyber pledge session is closed, as always.
"""

ARTICLE = """NATO chief says Allies must invest every year

BRUSSELS, 18 Feb. 2024 - NATO Secretary General Jens Stoltenberg spoke at a security conference
on Saturday. “Our security is not a gift, and it is something we must invest in,” Mr
Stoltenberg told the audience.
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "speech.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "press-conference.txt").write_text(PRESS_CONFERENCE, encoding="utf-8")
    (corpus / "article.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path_factory.mktemp("index")
    build_index([corpus], folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def kinds_of(index: QuoteIndex, query: str, filters: Filters) -> list[str]:
    return [h.quote.kind for h in index.search(query, filters, prefix_last=False).hits]


def test_questions_are_hidden_from_search_by_default(index: QuoteIndex) -> None:
    hits = index.search("air defence", prefix_last=False).hits
    assert hits and all(h.quote.kind != "question" for h in hits)
    assert "Reuters" not in {h.quote.speaker for h in hits}


def test_a_kind_filter_finds_the_questions(index: QuoteIndex) -> None:
    asked = index.search("air defence", Filters(kinds=("question",)), prefix_last=False).hits
    assert [(h.quote.speaker, h.quote.kind) for h in asked] == [("Reuters", "question")]
    both = kinds_of(index, "air defence", Filters(kinds=("question", "remarks")))
    assert sorted(set(both)) == ["question", "remarks"]


def test_askers_are_not_speakers_in_facets_or_counts(index: QuoteIndex) -> None:
    speakers = dict(index.facets("").speakers)
    assert "Reuters" not in speakers and "Agence Europe" not in speakers
    assert "Reuters" not in dict(index.values("speakers"))
    assert index.speaker_quote_count("Reuters") == 0
    asked = dict(index.facets("", Filters(kinds=("question",))).speakers)
    assert asked == {"Reuters": 1, "Agence Europe": 1}
    assert index.facets("").kinds == (("quote", 1), ("remarks", 6))
    every_kind = Filters(kinds=("quote", "remarks", "turn", "question"))
    assert index.facets("", every_kind).kinds == (("quote", 1), ("remarks", 6), ("question", 2))


def test_an_answer_leads_to_its_question(index: QuoteIndex) -> None:
    (answer,) = [h.quote for h in index.search("signed new contracts", prefix_last=False).hits]
    question = index.get(answer.reply_to)  # found by id though hidden from search
    assert question is not None
    assert (question.kind, question.speaker) == ("question", "Reuters")
    assert question.text.startswith("Will Allies send more air defence")


def test_stats_count_by_kind(index: QuoteIndex) -> None:
    stats = index.stats()
    counts = dict(stats.kinds)
    assert counts == {"quote": 1, "remarks": 6, "turn": 0, "question": 2}
    assert stats.quotes == 9
    assert stats.speakers == 1  # the askers of questions are not counted


def test_greetings_never_lead_a_search(index: QuoteIndex) -> None:
    # "Good morning." is the best match for "morning" (two words, one of them matched), yet
    # it comes after every statement that matches.
    hits = index.search("morning OR year", prefix_last=False).hits
    assert [h.quote.procedural for h in hits] == [False, False, True]
    assert hits[-1].quote.text == "Good morning."
    assert hits[-1].score > hits[0].score
    newest_first = index.search("morning OR year", sort="newest", prefix_last=False).hits
    assert newest_first[-1].quote.text == "Good morning."


def test_greetings_never_lead_a_speakers_view(index: QuoteIndex) -> None:
    quotes = index.quotes_by_speaker("Jens Stoltenberg")
    assert not quotes[0].procedural
    procedural = [q.procedural for q in quotes]
    assert procedural == sorted(procedural)  # every greeting after every statement
    profile = speaker_profile(quotes)
    assert profile.first_quote is not None and not profile.first_quote.procedural
    assert profile.last_quote is not None and not profile.last_quote.procedural


def test_a_news_quote_of_a_speech_line_is_grouped_with_the_speech(index: QuoteIndex) -> None:
    hits = index.search('"not a gift"', prefix_last=False).hits
    assert len(hits) == 1 and hits[0].sources == 2
    info = group_summary(index.sources(hits[0].quote.quote_id))
    assert info.original is not None
    assert info.sources[0] is info.original  # listed first
    assert (info.original.quote.kind, info.original.quote.form) == ("remarks", "speech")
    assert info.original.quote.date == "2024-02-17"
    assert [s.quote.kind for s in info.sources] == ["remarks", "quote"]
    assert info.sources[1].fragment
    assert info.speaker == "Jens Stoltenberg"
