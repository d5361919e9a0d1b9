"""Finding a person by typing (issue 10): any alias or a unique surname in `--speaker` and
`speaker:`, an ambiguous one named, variants of a name merged, and plain words that also find a
quote's speaker, role and tags, the quotes that say them listed first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nato_browse.index import UNATTRIBUTED, AmbiguousSpeaker, Filters, Quote, QuoteIndex
from nato_browse.index.store.build import index_quotes

ROWS = [
    # doc, speaker, role, text, topics, countries
    ("d1", "Jens Stoltenberg", "NATO Secretary General", "Allies stand together.", (), ()),
    (
        "d1",
        "Jens Stoltenberg",
        "NATO Secretary General",
        "We will do more for air defence.",
        (),
        (),
    ),
    ("d2", "Oleg Ustenko", "Economic adviser", "Oil prices must be capped.", (), ("Ukraine",)),
    ("d3", "Oleh Ustenko", "", "The embargo works slowly.", (), ()),
    ("d4", "John Smith", "", "The bridge will reopen.", (), ()),
    ("d5", "Anna Smith", "", "Ukraine needs more air defence now.", ("Ukraine",), ("Ukraine",)),
    ("d6", "Volodymyr Zelensky", "", "We will rebuild every city.", ("Ukraine",), ("Ukraine",)),
    ("d7", "a senior official", "", "The talks were useful.", (), ()),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, make_quote: Callable[..., Quote]) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("speakers")
    quotes = [
        make_quote(doc, "2022-05-01", speaker, role, text, topics, (), countries, start=i * 100)
        for i, (doc, speaker, role, text, topics, countries) in enumerate(ROWS)
    ]
    index_quotes(quotes, folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def speakers_of(index: QuoteIndex, query: str = "", **filters: tuple[str, ...]) -> set[str]:
    hits = index.search(query, Filters(**filters), collapse=False, prefix_last=False).hits
    return {h.quote.speaker for h in hits}


@pytest.mark.parametrize(
    "typed", ["Jens Stoltenberg", "jens stoltenberg", "Stoltenberg", "STOLTENBERG", "jens"]
)
def test_speaker_filter_by_any_form_of_the_name(index: QuoteIndex, typed: str) -> None:
    assert speakers_of(index, speakers=(typed,)) == {"Jens Stoltenberg"}


def test_speaker_filter_by_an_alias_of_people_toml(index: QuoteIndex) -> None:
    assert speakers_of(index, speakers=("Zelenskyy",)) == {"Volodymyr Zelenskyy"}
    assert speakers_of(index, speakers=("Volodymyr Zelenskiy",)) == {"Volodymyr Zelenskyy"}


def test_variants_of_a_name_are_one_speaker(index: QuoteIndex) -> None:
    # "Oleh Ustenko" is shown under the more frequent "Oleg Ustenko", found by either name.
    assert speakers_of(index, speakers=("Oleh Ustenko",)) == {"Oleg Ustenko"}
    assert index.speaker_quote_count("Oleg Ustenko") == 2
    hit = index.search("embargo", prefix_last=False).hits[0]
    assert hit.quote.speaker == "Oleg Ustenko"
    assert hit.quote.extra["speaker_as_written"] == "Oleh Ustenko"
    names = dict(index.facets("").speakers)
    assert "Oleh Ustenko" not in names and names["Oleg Ustenko"] == 2


def test_an_ambiguous_speaker_names_the_candidates(index: QuoteIndex) -> None:
    with pytest.raises(AmbiguousSpeaker) as caught:
        index.search("", Filters(speakers=("smith",)))
    message = str(caught.value)
    assert "Anna Smith" in message and "John Smith" in message and "\n" not in message
    assert caught.value.candidates == ("Anna Smith", "John Smith")


def test_an_unknown_speaker_says_so(index: QuoteIndex) -> None:
    result = index.search("", Filters(speakers=("Nobody Atall",)))
    assert result.total == 0
    assert "No speaker named 'Nobody Atall'" in result.note


def test_speaker_field_in_a_query_takes_any_name(index: QuoteIndex) -> None:
    assert speakers_of(index, "speaker:stoltenberg") == {"Jens Stoltenberg"}
    assert speakers_of(index, "speaker:zelenskiy") == {"Volodymyr Zelenskyy"}
    assert speakers_of(index, "speaker:oleh") == {"Oleg Ustenko"}
    # In a query an ambiguous name means all of them, as a word would.
    assert speakers_of(index, "speaker:smith") == {"Anna Smith", "John Smith"}


def test_unattributed_quotes_are_one_filterable_speaker(index: QuoteIndex) -> None:
    assert dict(index.facets("").speakers)[UNATTRIBUTED] == 1
    hits = index.search("", Filters(speakers=(UNATTRIBUTED,)), collapse=False).hits
    assert [(h.quote.speaker, h.quote.named) for h in hits] == [("a senior official", False)]


def test_typing_a_speakers_name_finds_their_quotes_and_offers_the_filter(
    index: QuoteIndex,
) -> None:
    result = index.search("stoltenberg", collapse=False, prefix_last=False)
    assert {h.quote.speaker for h in result.hits} == {"Jens Stoltenberg"}
    assert result.total == 2
    assert result.speakers == (("Jens Stoltenberg", 2),)
    # While typing: the last word is a prefix of his name.
    assert index.search("stoltenb", collapse=False).total == 2
    assert index.search("zelensky").speakers == (("Volodymyr Zelenskyy", 1),)


def test_a_country_finds_the_quotes_tagged_with_it_the_ones_saying_it_first(
    index: QuoteIndex,
) -> None:
    hits = index.search("ukraine", collapse=False, prefix_last=False).hits
    texts = [h.quote.text for h in hits]
    assert texts[0] == "Ukraine needs more air defence now."  # says it
    assert set(texts[1:]) == {"Oil prices must be capped.", "We will rebuild every city."}
    assert hits[0].score > max(h.score for h in hits[1:])


def test_the_speakers_list(index: QuoteIndex) -> None:
    listed = {s.name: s for s in index.speakers()}
    assert listed["Oleg Ustenko"].quotes == 2
    assert "Oleh Ustenko" in listed["Oleg Ustenko"].aliases
    assert listed["Oleg Ustenko"].roles == ("Economic adviser",)
    zelenskyy = listed["Volodymyr Zelenskyy"]
    assert "Zelensky" in zelenskyy.aliases
    assert zelenskyy.roles[0] == "President of Ukraine"
    assert index.speakers()[-1].name == UNATTRIBUTED
    assert index.resolve_speaker("stoltenberg") == "Jens Stoltenberg"
    assert index.resolve_speaker("nobody") is None


def test_speaker_names_survive_a_reopen(index: QuoteIndex) -> None:
    # The merged names are saved with the columns: a second searcher sees the same.
    with QuoteIndex.open(index.index_dir) as again:
        assert again.speaker_quote_count("Oleh Ustenko") == 2
