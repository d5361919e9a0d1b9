"""A keystroke's fast paths give exactly what the plain evaluation gives.

Within an AND, the parts after the first are evaluated only among the docs matched so far:
looked up one by one in their postings when those docs are few, masked when many. Short prefixes
(one or two letters) expand to a letter's most frequent words, whose postings are long. Whatever
the path, the hits, their scores, the totals and the highlights are the same as intersecting
whole lists, and the hit sets are Whoosh's own.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from nato_browse.index import Filters, Quote
from nato_browse.index.search import evaluate
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes

# Words made up for the test, a few frequent and many rare, so that one- and two-letter
# prefixes expand to long posting lists and a rare word leaves few candidates.
COMMON = ["support", "security", "alliance", "allies", "talks", "summit", "troops", "defence"]
RARE = ["nine", "harbour", "lantern", "meadow", "granite", "sparrow", "tundra", "velvet"]
SPEAKERS = ["Jens Stoltenberg", "Kaja Kallas", "Antony Blinken", "a spokesperson"]
REGIONS = ["Eastern Europe", "Baltic", "Middle East"]

QUERIES = [
    "s",
    "su",
    "a",
    "al",
    "t",
    "nine s",
    "nine st",
    "harbour a",
    "support al",
    "support t",
    "security alliance s",
    "granite meadow",
    "allies NOT talks",
    "nine OR harbour s",
    '"support security" a',
    "speaker:kallas s",
]
FILTERS = [
    Filters(),
    Filters(speakers=("Kaja Kallas",)),
    Filters(regions=("Baltic",)),
    Filters(regions=("Eastern Europe",), date_from="2023-06-01"),
]


def _quotes() -> list[Quote]:
    rng = random.Random(11)
    weights = [40] * len(COMMON) + [1] * len(RARE)
    quotes: list[Quote] = []
    texts: list[str] = []
    for i in range(600):
        if texts and rng.random() < 0.1:
            text = rng.choice(texts)  # said again by another source: one group
        else:
            words = rng.choices(COMMON + RARE, weights, k=rng.randint(3, 14))
            text = " ".join(words).capitalize() + "."
            texts.append(text)
        speaker = rng.choice(SPEAKERS)
        quotes.append(
            Quote(
                doc=f"doc{i // 4}",
                title=f"Release {i // 4}",
                date=f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                text=text,
                start=(i % 4) * 1000,
                end=(i % 4) * 1000 + len(text),
                speaker=speaker,
                named=not speaker.startswith("a "),
                regions=tuple(rng.sample(REGIONS, rng.randint(0, 2))),
            )
        )
    return quotes


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paths")
    index_quotes(_quotes(), path)
    return path


def _results(folder: Path) -> Iterator[tuple[str, Filters, object]]:
    with QuoteIndex.open(folder) as ix:
        for query in QUERIES:
            for filters in FILTERS:
                result = ix.search(query, filters, limit=50)
                hits = [(h.quote.quote_id, h.score, h.highlights, h.sources) for h in result.hits]
                yield query, filters, (result.total, result.quotes, hits)


def test_narrowed_ands_give_what_whole_lists_give(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(evaluate.Evaluator, "_narrow", lambda self, match: None)
        plain = list(_results(folder))
    with monkeypatch.context() as patch:
        patch.setattr(evaluate, "_LOOKUP_COST", 0)  # candidates always looked up
        looked_up = list(_results(folder))
    with monkeypatch.context() as patch:
        patch.setattr(evaluate, "_LOOKUP_COST", 10**9)  # candidates always masked
        masked = list(_results(folder))
    assert any(result[0] > 50 for _, _, result in plain)  # pages were cut: ranking counts
    assert any(result[0] == 0 for _, _, result in plain)
    for a, b, c in zip(plain, looked_up, masked, strict=True):
        assert a == b, a[:2]
        assert a == c, a[:2]


def test_a_prefix_filtered_once_gives_what_filtered_words_give(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A prefix's words scored over their whole lists and filtered once at the end (the path
    # for filters that leave most docs), against each word filtered first.
    with monkeypatch.context() as patch:
        patch.setattr(evaluate.Evaluator, "_dense", lambda self: True)
        late = list(_results(folder))
    with monkeypatch.context() as patch:
        patch.setattr(evaluate.Evaluator, "_dense", lambda self: False)
        early = list(_results(folder))
    assert late == early


@pytest.mark.parametrize("lookup_cost", [0, 10**9])
@pytest.mark.parametrize("dense", [True, False])
def test_short_prefixes_find_whooshs_hits(
    folder: Path, monkeypatch: pytest.MonkeyPatch, lookup_cost: int, dense: bool
) -> None:
    monkeypatch.setattr(evaluate, "_LOOKUP_COST", lookup_cost)
    monkeypatch.setattr(evaluate.Evaluator, "_dense", lambda self: dense)
    with QuoteIndex.open(folder) as ix:
        state = ix._state
        for query in QUERIES:
            for filters in FILTERS:
                parsed = state.builder.parse(query)
                assert parsed.query is not None
                mask = ix._filter_mask(state, filters)
                ours = evaluate.Evaluator(
                    state.searcher, state.columns, state.postings, state.segments, mask
                ).run(parsed.query)
                found = state.searcher.search(parsed.query, limit=None)
                theirs = {hit.docnum for hit in found if mask[hit.docnum]}
                if '"' in query:  # a phrase is Whoosh's own matcher, filtered afterwards
                    assert {d for d in ours.ids.tolist() if mask[d]} == theirs, query
                else:
                    assert set(ours.ids.tolist()) == theirs, (query, filters)
