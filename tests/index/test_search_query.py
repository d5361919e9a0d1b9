"""The query language: Whoosh syntax over the stemmed quote text, prefixes while typing,
malformed queries searched as plain words, "did you mean", highlight spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, sample_quotes) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("index")
    index_quotes(sample_quotes(), folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def texts(index: QuoteIndex, query: str, **kwargs: object) -> list[str]:
    kwargs.setdefault("prefix_last", False)
    kwargs.setdefault("collapse", False)
    return sorted(h.quote.text for h in index.search(query, **kwargs).hits)


def test_words_are_stemmed(index: QuoteIndex) -> None:
    found = texts(index, "negotiation")
    assert found == [
        "Allies will negotiate with partners on cyber defence.",
        "The negotiations on the grain corridor continue in Istanbul.",
    ]


def test_words_are_anded_by_default(index: QuoteIndex) -> None:
    assert texts(index, "cyber banks") == ["Cyber attacks on our banks were stopped within hours."]


def test_phrase(index: QuoteIndex) -> None:
    assert texts(index, '"air defence"') == [
        "Deterrence on the eastern flank needs more air defence."
    ]
    assert texts(index, '"defence air"') == []


def test_boolean_operators(index: QuoteIndex) -> None:
    assert len(texts(index, "cyber OR deterrence")) == 3
    assert texts(index, "cyber AND NOT banks") == [
        "Allies will negotiate with partners on cyber defence."
    ]
    assert texts(index, "cyber NOT banks") == texts(index, "cyber AND NOT banks")
    everything_but = texts(index, "NOT ukraine")
    assert everything_but and all("Ukraine" not in t for t in everything_but)


def test_field_queries(index: QuoteIndex) -> None:
    assert {h.quote.speaker for h in index.search("speaker:kallas", collapse=False).hits} == {
        "Kaja Kallas"
    }
    assert texts(index, "topic:cyber") == texts(index, "cyber")
    assert texts(index, "region:baltic deterrence") == [
        "Deterrence on the eastern flank needs more air defence."
    ]
    assert texts(index, 'role:"prime minister" cyber') == [
        "Cyber attacks on our banks were stopped within hours."
    ]


def test_explicit_prefix_finds_words_whose_stem_is_shorter(index: QuoteIndex) -> None:
    # "negotia" is not a prefix of the stem "negoti": expansion goes through the words.
    assert texts(index, "negotia*") == texts(index, "negotiation")


def test_fuzzy(index: QuoteIndex) -> None:
    assert texts(index, "deterence~") == ["Deterrence on the eastern flank needs more air defence."]


def test_last_word_is_a_prefix_while_typing(index: QuoteIndex) -> None:
    assert texts(index, "grain corr", prefix_last=True) == [
        "The negotiations on the grain corridor continue in Istanbul."
    ]
    assert texts(index, "grain corr", prefix_last=False) == []
    # A finished word (space typed) is no longer a prefix.
    assert texts(index, "grain corr ", prefix_last=True) == []
    # One letter, dropped by the analyzer as a word, still narrows as a prefix.
    assert texts(index, "cyber b", prefix_last=True) == [
        "Cyber attacks on our banks were stopped within hours."
    ]
    assert {h.quote.speaker for h in index.search("speaker:kal", collapse=False).hits} == {
        "Kaja Kallas"
    }


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ('"grain corridor', "unbalanced quote"),
        ("(grain corridor", "unbalanced parenthesis"),
        ("grain corridor)", "unbalanced parenthesis"),
        ("grain corridor NOT", "lone NOT"),
        ("AND grain corridor", "lone AND"),
        ("grain OR OR corridor", "lone OR"),
        ("colour:grain corridor", "unknown field"),
    ],
)
def test_malformed_query_is_searched_as_plain_words(
    index: QuoteIndex, query: str, why: str
) -> None:
    result = index.search(query, prefix_last=False)
    assert why in result.note
    assert "plain words" in result.note
    if "colour" not in query:
        assert [h.quote.text for h in result.hits] == [
            "The negotiations on the grain corridor continue in Istanbul."
        ]


def test_well_formed_query_has_no_note(index: QuoteIndex) -> None:
    assert index.search('"grain corridor" OR (cyber AND banks)').note == ""


def test_did_you_mean(index: QuoteIndex) -> None:
    result = index.search("corridr", prefix_last=False)
    assert result.total == 0
    assert result.suggestion == "corridor"
    result = index.search("grain corridr", prefix_last=False)
    assert result.suggestion == "grain corridor"
    # Nothing to offer when the corrected query would not match either.
    assert index.search("zzzqqq", prefix_last=False).suggestion == ""
    assert index.search("grain", prefix_last=False).suggestion == ""


def test_highlights_mark_the_matched_words(index: QuoteIndex) -> None:
    result = index.search("negotiation OR cyber", collapse=False, prefix_last=False)
    marked = {h.quote.text[a:b] for h in result.hits for a, b in h.highlights}
    assert marked == {"negotiate", "negotiations", "cyber", "Cyber"}
    # Words under NOT are not highlighted.
    result = index.search("ukraine NOT russia", prefix_last=False)
    for hit in result.hits:
        assert {hit.quote.text[a:b] for a, b in hit.highlights} == {"Ukraine"}


def test_highlights_of_a_prefix_being_typed(index: QuoteIndex) -> None:
    hit = index.search("grain corr").hits[0]
    assert [hit.quote.text[a:b] for a, b in hit.highlights] == ["grain", "corridor"]


def test_empty_and_stop_word_queries_match_everything_newest_first(index: QuoteIndex) -> None:
    for query in ("", "   ", "the", "and"):
        result = index.search(query, collapse=False)
        assert result.total == 8, query
        dates = [h.quote.date for h in result.hits]
        assert dates[0] == "2024-04-03"
        assert dates[-1] == ""  # undated last


def test_odd_input_never_raises(index: QuoteIndex) -> None:
    for query in [
        '"',
        "(",
        ")",
        "NOT",
        "AND",
        "OR",
        "*",
        "?",
        "~",
        "^",
        ":",
        "speaker:",
        'speaker:"',
        "[a TO",
        "{",
        "\\",
        "a:b:c",
        "ü*",
        "x" * 300,
        "\x00",
        "😀",
    ]:
        result = index.search(query)
        # Never raises, and the page is consistent with the count.
        assert len(result.hits) == min(result.total, 200), query
        index.facets(query)
        index.months(query)


def test_relevance_orders_by_score(index: QuoteIndex) -> None:
    hits = index.search("ukraine", prefix_last=False, collapse=False).hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_open_missing_index(tmp_path: Path) -> None:
    from nato_browse.index.api import IndexMissing

    with pytest.raises(IndexMissing, match="nato-browse index"):
        QuoteIndex.open(tmp_path / "nothing-here")
    with pytest.raises(IndexMissing):
        QuoteIndex.open(tmp_path)


def test_date_field_and_prefix(index: QuoteIndex) -> None:
    assert len(texts(index, "date:2023-12-05")) == 2
    assert len(texts(index, "date:2023*")) == 4
    assert texts(index, "date:2024* cyber") == [
        "Cyber attacks on our banks were stopped within hours."
    ]


def test_did_you_mean_keeps_field_names(index: QuoteIndex) -> None:
    result = index.search("topic:cyber bnaks", prefix_last=False)
    assert result.total == 0
    assert result.suggestion == "topic:cyber banks"


# Hostile input: limits in the core, so the CLI and the app share them.


def test_a_long_query_is_cut_with_a_note(index: QuoteIndex) -> None:
    from nato_browse.index.search.parse import MAX_QUERY_CHARS

    result = index.search("ukraine " * 1000, prefix_last=False, collapse=False)
    assert f"cut to its first {MAX_QUERY_CHARS - 8}" in result.note or "cut to its first" in (
        result.note
    )
    assert result.total == index.search("ukraine", prefix_last=False, collapse=False).total


def test_a_huge_word_is_cut_with_a_note(index: QuoteIndex) -> None:
    from nato_browse.index.search.parse import MAX_WORD_CHARS, bound_query

    result = index.search("x" * 10_000)
    assert result.total == 0
    assert f"longer than {MAX_WORD_CHARS} letters" in result.note
    text, _ = bound_query("ukraine " + "y" * 10_000)
    assert text == "ukraine " + "y" * MAX_WORD_CHARS


def test_fuzzy_finds_near_words_and_is_bounded(index: QuoteIndex, monkeypatch) -> None:
    from nato_browse.index.search import parse

    # Like the word in the quote text (a plain word also finds the quotes tagged with it).
    assert texts(index, "ukrane~") == texts(index, "text:ukraine")
    monkeypatch.setattr(parse, "EXPLICIT_PREFIX_TERMS", 1)
    tree = index._state.builder.parse("defence~", prefix_last=False).query
    assert tree is not None and len(list(tree.leaves())) == 1


def test_a_query_within_the_limits_has_no_note(index: QuoteIndex) -> None:
    assert index.search("ukraine", prefix_last=False).note == ""


def test_a_name_being_typed_finds_its_speaker_in_every_segment(tmp_path: Path, make_quote) -> None:
    """The metadata fields' prefixes come from every segment's terms, the most frequent first:
    a speaker only a later run added is found as their name is typed."""
    folder = tmp_path / "index"
    first = [
        make_quote(f"a{i}", "2024-01-01", f"Speaker Kal{i:02d}", "", f"Quote number {i} here.")
        for i in range(20)
    ]
    index_quotes(first, folder)
    later = [
        make_quote(f"b{i}", "2024-02-01", "Kaja Kallas", "", f"Estonia stands firm, {i}.")
        for i in range(2)
    ]
    index_quotes(later, folder, add=True)
    with QuoteIndex.open(folder) as ix:
        assert {h.quote.speaker for h in ix.search("kalla").hits} == {"Kaja Kallas"}
        # 21 names start with "kal": the 16 kept are the most frequent (Kallas, in two
        # quotes), then the first by name; "kal19" is not one of them.
        found = {h.quote.speaker for h in ix.search("kal").hits}
        assert "Kaja Kallas" in found and len(found) == 16
        assert "Speaker Kal19" not in found and "Speaker Kal14" in found
