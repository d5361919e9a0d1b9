"""Highlight spans on real quote text, checked against the schema's own analyzer: every span is
one whole word, and every word of a shown quote whose indexed term is one the query matched
is marked, none other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes
from nato_browse.index.store.schema import make_schema

# Whole words, stemmed forms, prefixes as typed (one letter to whole words), ORs.
QUERIES = (
    "province",
    "afghan forces",
    "negotiating",
    "ukrain",
    "a",
    "s",
    "th",
    "nat",
    "the secur",
    "russia OR ukraine",
    "operations insurg",
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, shared: Path, make_quote) -> QuoteIndex:
    quotes = []
    with (shared / "eval" / "pressreleases-dev.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            for i, gold in enumerate(row["quotes"]):
                quotes.append(
                    make_quote(
                        row["doc"], "2022-03-01", gold["speaker"], "", gold["text"], start=i * 10
                    )
                )
    folder = tmp_path_factory.mktemp("index")
    index_quotes(quotes, folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, indexed term) of each word of `text` the schema's analyzer keeps."""
    analyzer = make_schema()["text"].analyzer
    return [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True, mode="index")]


@pytest.mark.parametrize("query", QUERIES)
def test_highlights_are_every_occurrence_of_the_matched_terms(
    index: QuoteIndex, query: str
) -> None:
    result = index.search(query, limit=500, collapse=False)
    assert result.hits, query
    marked_some = 0
    for hit in result.hits:
        text = hit.quote.text
        terms = {(a, b): term for a, b, term in words(text)}
        # Every span is one word the analyzer keeps (no stop word, no part of a word).
        assert all(span in terms for span in hit.highlights), (query, text, hit.highlights)
        matched = {terms[span] for span in hit.highlights}
        # Every occurrence of a marked word's term is marked (inflected forms included).
        expected = tuple(sorted(span for span, term in terms.items() if term in matched))
        assert hit.highlights == expected, (query, text)
        marked_some += bool(hit.highlights)
    # The words typed match the quote text itself in almost every hit (the rest match a
    # title or a name).
    assert marked_some >= 0.9 * len(result.hits), query


def test_a_typed_word_is_marked_wherever_its_stem_is(index: QuoteIndex) -> None:
    analyzer = make_schema()["text"].analyzer
    for query in ("province", "security", "negotiating", "operations"):
        stem = next(t.text for t in analyzer(query, mode="query"))
        for hit in index.search(query, limit=500, collapse=False, prefix_last=False).hits:
            spans = [(a, b) for a, b, term in words(hit.quote.text) if term == stem]
            assert set(spans) <= set(hit.highlights), (query, hit.quote.text)
