"""Filters, sorting, pages, facet counts, months, groups and the other QuoteIndex methods."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from nato_browse.index.api import Filters
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, sample_quotes) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("index")
    index_quotes(sample_quotes(), folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def speakers_of(index: QuoteIndex, query: str, filters: Filters, **kw: object) -> list[str]:
    hits = index.search(query, filters, collapse=False, **kw).hits
    return sorted(h.quote.speaker for h in hits)


def test_values_within_a_field_are_ored(index: QuoteIndex) -> None:
    both = Filters(speakers=("Kaja Kallas", "Antony Blinken"))
    assert speakers_of(index, "", both) == ["Antony Blinken"] * 2 + ["Kaja Kallas"] * 2
    assert speakers_of(index, "", Filters(regions=("Baltic", "Black Sea"))) == [
        "Antony Blinken",
        "Kaja Kallas",
        "Kaja Kallas",
    ]


def test_fields_are_anded(index: QuoteIndex) -> None:
    filters = Filters(speakers=("Jens Stoltenberg",), topics=("Ukraine",))
    hits = index.search("", filters, collapse=False).hits
    assert {h.quote.text for h in hits} == {
        "Russia's aggression against Ukraine is a threat to Euro-Atlantic security.",
        "We will support Ukraine for as long as it takes.",
    }
    filters = Filters(countries=("Estonia",), topics=("Cyber defence",))
    assert [h.quote.text for h in index.search("", filters).hits] == [
        "Cyber attacks on our banks were stopped within hours."
    ]


def test_filters_combine_with_the_query(index: QuoteIndex) -> None:
    assert speakers_of(index, "cyber", Filters(regions=("Europe",))) == ["Jens Stoltenberg"]


def test_unknown_filter_value_matches_nothing(index: QuoteIndex) -> None:
    assert index.search("", Filters(speakers=("Nobody",))).total == 0
    assert index.search("", Filters(topics=("Nothing",))).total == 0


def test_date_range_is_inclusive_and_takes_partial_dates(index: QuoteIndex) -> None:
    def dates(filters: Filters) -> list[str]:
        return sorted(h.quote.date for h in index.search("", filters, collapse=False).hits)

    assert dates(Filters(date_from="2023-12-05", date_to="2024-02-14")) == [
        "2023-12-05",
        "2023-12-05",
        "2024-02-14",
        "2024-02-14",
    ]
    assert dates(Filters(date_from="2024")) == ["2024-02-14", "2024-02-14", "2024-04-03"]
    assert dates(Filters(date_to="2023-11")) == ["2023-11-27", "2023-11-27"]
    assert dates(Filters(date_from="2023-12", date_to="2023-12")) == ["2023-12-05"] * 2
    # Undated quotes are left out of any range.
    assert "" not in dates(Filters(date_to="2030"))


def test_sort_by_date_newest_first_undated_last(index: QuoteIndex) -> None:
    hits = index.search("", sort="newest", collapse=False).hits
    dates = [h.quote.date for h in hits]
    assert dates == [*sorted(dates[:-1], reverse=True), ""]
    hits = index.search("ukraine", sort="newest", collapse=False, prefix_last=False).hits
    # Three quotes say "Ukraine"; the grain corridor one (2023-12-05) is tagged with it.
    assert [h.quote.date for h in hits] == ["2024-04-03", "2023-12-05", "2023-12-05", "2023-11-27"]


def test_sort_oldest_first_undated_last(index: QuoteIndex) -> None:
    dates = [h.quote.date for h in index.search("", sort="oldest", collapse=False).hits]
    assert dates == [*sorted(dates[:-1]), ""]
    hits = index.search("ukraine", sort="oldest", collapse=False, prefix_last=False).hits
    assert [h.quote.date for h in hits] == ["2023-11-27", "2023-12-05", "2023-12-05", "2024-04-03"]


def test_sort_by_speaker_a_to_z_unnamed_last_then_newest(index: QuoteIndex) -> None:
    hits = index.search("", sort="speaker", collapse=False).hits
    assert [(h.quote.speaker, h.quote.date) for h in hits] == [
        ("Antony Blinken", "2023-12-05"),
        ("Antony Blinken", "2023-12-05"),
        ("Jens Stoltenberg", "2024-04-03"),
        ("Jens Stoltenberg", "2023-11-27"),
        ("Jens Stoltenberg", "2023-11-27"),
        ("Kaja Kallas", "2024-02-14"),
        ("Kaja Kallas", "2024-02-14"),
        ("a spokesman", ""),
    ]
    # Paging in speaker order gives the same list, page by page.
    pages = [index.search("", sort="speaker", collapse=False, limit=3, offset=o) for o in (0, 3, 6)]
    assert [h for p in pages for h in p.hits] == list(hits)


def test_result_says_its_order_an_empty_query_is_newest_first(index: QuoteIndex) -> None:
    assert index.search("").sort == "newest"
    assert index.search("", sort="oldest").sort == "oldest"
    assert index.search("ukraine").sort == "relevance"
    with pytest.raises(ValueError, match="not a sort order"):
        index.search("", sort="date")  # type: ignore[arg-type]


def test_counts_of_quotes_and_of_merged_repeats(index: QuoteIndex) -> None:
    # "We will support Ukraine for as long as it takes." is said in d2 and d5: one row.
    result = index.search('"as long as it takes"', prefix_last=False)
    assert (result.total, result.quotes) == (1, 2)
    apart = index.search('"as long as it takes"', prefix_last=False, collapse=False)
    assert (apart.total, apart.quotes) == (2, 2)
    assert index.search("zzz").quotes == 0


def test_pages(index: QuoteIndex) -> None:
    everything = index.search("", collapse=False, limit=100)
    pages = [index.search("", collapse=False, limit=3, offset=o) for o in (0, 3, 6)]
    assert [h.quote.quote_id for p in pages for h in p.hits] == [
        h.quote.quote_id for h in everything.hits
    ]
    assert all(p.total == everything.total == 8 for p in pages)
    assert pages[2].offset == 6 and len(pages[2].hits) == 2
    assert index.search("", limit=3, offset=50).hits == ()


def test_groups_collapse_to_one_hit_with_its_sources(index: QuoteIndex) -> None:
    # "We will support Ukraine for as long as it takes." is said in d2 and d5.
    result = index.search('"as long as it takes"')
    assert result.total == 1
    assert result.hits[0].sources == 2
    apart = index.search('"as long as it takes"', collapse=False)
    assert apart.total == 2
    assert all(h.sources == 1 for h in apart.hits)
    assert index.search("").total == 7
    sources = index.sources(result.hits[0].quote.quote_id)
    assert [(q.doc, q.speaker) for q in sources] == [
        ("d2", "Antony Blinken"),
        ("d5", "Jens Stoltenberg"),
    ]


def test_facets_count_groups_within_the_results(index: QuoteIndex) -> None:
    facets = index.facets("ukraine", prefix_last=False)
    # Three groups: the aggression quote (Stoltenberg), "as long as it takes" (both), and the
    # grain corridor (Blinken), which does not say "Ukraine" but is tagged with it.
    assert dict(facets.speakers) == {"Jens Stoltenberg": 2, "Antony Blinken": 2}
    assert dict(facets.topics) == {"Ukraine": 2, "Diplomacy": 1}
    assert dict(facets.countries) == {
        "Ukraine": 3,
        "Russia": 1,
        "United States": 1,
        "Turkey": 1,
    }
    assert dict(facets.regions) == {"Eastern Europe": 2, "North America": 1, "Black Sea": 1}
    assert facets.topics[0] == ("Ukraine", 2)  # most frequent first


def test_facets_follow_the_filters(index: QuoteIndex) -> None:
    facets = index.facets("", Filters(regions=("Baltic",)))
    assert facets.speakers == (("Kaja Kallas", 2),)
    assert dict(facets.topics) == {"Cyber defence": 1, "Deterrence": 1}


def test_months(index: QuoteIndex) -> None:
    months = dict(index.months(""))
    assert list(months) == ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
    assert months == {
        "2023-11": 2,
        "2023-12": 2,
        "2024-01": 0,
        "2024-02": 2,
        "2024-03": 0,
        "2024-04": 1,
    }
    assert index.months("zzzqqq", prefix_last=False) == ()


def test_stats(index: QuoteIndex) -> None:
    stats = index.stats()
    assert stats.quotes == 8
    assert stats.speakers == 3  # "a spokesman" is no speaker: his quote is unattributed
    assert stats.first_date == "2023-11-27" and stats.last_date == "2024-04-03"
    assert stats.top.speakers[0] == ("Jens Stoltenberg", 3)
    assert dict(stats.top.topics)["Ukraine"] == 2  # three quotes, two groups


def test_speaker_quote_count_get_values_and_by_speaker(index: QuoteIndex, sample_quotes) -> None:
    assert index.speaker_quote_count("Jens Stoltenberg") == 3
    assert index.speaker_quote_count("Kaja Kallas") == 2
    assert index.speaker_quote_count("Nobody") == 0
    quote = sample_quotes()[4]
    assert index.get(quote.quote_id) == quote
    assert index.get("nope:0") is None
    assert index.sources("nope:0") == []
    assert dict(index.values("regions"))["Baltic"] == 2
    assert [q.date for q in index.quotes_by_speaker("Kaja Kallas")] == ["2024-02-14"] * 2


def test_refresh_picks_up_a_new_commit(tmp_path: Path, sample_quotes) -> None:
    quotes = sample_quotes()
    index_quotes(quotes[:3], tmp_path)
    with QuoteIndex.open(tmp_path) as ix:
        assert ix.search("").total == 3
        ix.refresh()  # nothing changed
        assert ix.search("").total == 3
        index_quotes(quotes, tmp_path)
        assert ix.search("").total == 3  # still the state it opened
        ix.refresh()
        assert ix.search("", collapse=False).total == 8
        assert ix.grouped


def test_concurrent_searches_and_refreshes(tmp_path: Path, make_quote, sample_quotes) -> None:
    quotes = sample_quotes()
    index_quotes(quotes, tmp_path)
    errors: list[BaseException] = []
    with QuoteIndex.open(tmp_path) as ix:

        def work(query: str) -> None:
            try:
                for _ in range(30):
                    result = ix.search(query, Filters(regions=("Eastern Europe",)))
                    assert result.total >= 1
                    ix.facets(query)
                    ix.refresh()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(q,)) for q in ("ukr", "support", "")]
        for t in threads:
            t.start()
        index_quotes(
            [
                *quotes,
                make_quote(
                    "d9", "2024-05-01", "X Y", "", "More for Ukraine.", regions=("Eastern Europe",)
                ),
            ],
            tmp_path,
        )
        for t in threads:
            t.join()
    assert errors == []


def test_closed_index_says_so(tmp_path: Path, sample_quotes) -> None:
    from nato_browse.index.api import IndexUnavailable

    index_quotes(sample_quotes(), tmp_path)
    ix = QuoteIndex.open(tmp_path)
    ix.close()
    with pytest.raises(IndexUnavailable, match="closed"):
        ix.search("ukraine")
