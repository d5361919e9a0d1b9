"""Search as you type: a whole word typed last must find at least what it finds when finished."""

from __future__ import annotations

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, sample_quotes) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("index")
    index_quotes(sample_quotes(), folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


@pytest.mark.parametrize("word", ["allies", "negotiations", "ally", "attacked", "ukraine", "bank"])
def test_a_whole_word_as_prefix_finds_what_the_word_finds(index: QuoteIndex, word: str) -> None:
    finished = {h.quote.quote_id for h in index.search(word, prefix_last=False).hits}
    typing = {h.quote.quote_id for h in index.search(word, prefix_last=True).hits}
    assert finished, word
    assert finished <= typing, word
