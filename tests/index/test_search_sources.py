"""One quote, many sources: a group is one hit, credited to the speaker a source names."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("index")
    build_index([ROOT / "tests" / "fixtures" / "issue5_corpus"], folder)
    with QuoteIndex.open(folder) as ix:
        yield ix


def test_a_repeated_quote_is_one_hit_with_its_sources(index: QuoteIndex) -> None:
    result = index.search("closer to the Alliance than ever", prefix_last=False)
    assert result.total == 1
    (hit,) = result.hits
    assert hit.sources == 2  # the Vilnius review and the weekly digest
    assert len(index.sources(hit.quote.quote_id)) == 2


def test_an_unnamed_source_is_credited_to_the_named_speaker(index: QuoteIndex) -> None:
    hits = index.search("closer to the Alliance than ever", prefix_last=False).hits
    assert hits[0].quote.speaker == "Jens Stoltenberg"
    sources = index.sources(hits[0].quote.quote_id)
    unnamed = [q for q in sources if not q.named]
    assert unnamed and unnamed[0].speaker == "a NATO spokesman"
    # Whichever source ranks first, the list shows the named speaker.
    for q in sources:
        found = index.search(f'"{q.text[:40]}"', prefix_last=False).hits
        assert all(h.quote.speaker == "Jens Stoltenberg" for h in found)
