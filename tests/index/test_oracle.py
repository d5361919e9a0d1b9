"""The oracle: the evaluator (search/evaluate.py) returns exactly Whoosh's own hit sets.

Hypothesis makes small corpora and queries (words, phrases, prefixes, AND/OR/NOT, fields,
filters); each query's tree (as `QueryBuilder` parses it) is run both by our evaluator over the
cached postings and columns, and by Whoosh's `Searcher.search` with the filters as a Whoosh
filter query. The hit sets must be equal; the scores of queries on the quote text must agree
within SCORE_TOLERANCE (relative). Terms of other fields (speaker:, topic:, ...) score without
length normalisation here (BM25 with b=0: those fields are a name or a few), so their scores
are not compared; the README says so.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nato_browse.index import Filters, Quote
from nato_browse.index.search.evaluate import Evaluator
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import index_quotes
from whoosh import query as wq

SCORE_TOLERANCE = 1e-4

WORDS = [
    "allies",
    "ally",
    "support",
    "supported",
    "the",
    "cyber",
    "defence",
    "ukraine",
    "talks",
    "negotiations",
    "negotiate",
    "russia",
    "will",
    "Kyiv",
]
SPEAKERS = ["Jens Stoltenberg", "Kaja Kallas", "Antony Blinken", ""]
TOPICS = ["Cyber defence", "Ukraine", "Diplomacy"]
DATES = ["", "2023-11-27", "2023-12-05", "2024-02-14", "2024-04-03"]

quotes_st = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
        st.sampled_from(SPEAKERS),
        st.lists(st.sampled_from(TOPICS), max_size=2, unique=True),
        st.sampled_from(DATES),
    ),
    min_size=1,
    max_size=25,
)

word_st = st.sampled_from([w.lower() for w in WORDS] + ["absent"])
leaf_st = st.one_of(
    word_st,
    st.builds(lambda a, b: f'"{a} {b}"', word_st, word_st),
    st.builds(lambda w, n: w[:n] + "*", word_st, st.integers(2, 5)),
    st.builds(lambda w: f"speaker:{w}", st.sampled_from(["jens", "kallas", "blinken", "x"])),
    st.builds(lambda w: f"topic:{w}", st.sampled_from(["cyber", "ukraine", "diplomacy"])),
    st.just("date:2023*"),
)
query_st = st.recursive(
    leaf_st,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b: f"({a} NOT {b})", inner, inner),
        st.builds(lambda a, b: f"{a} {b}", inner, inner),
    ),
    max_leaves=4,
)
filters_st = st.builds(
    Filters,
    speakers=st.lists(st.sampled_from(SPEAKERS[:3]), max_size=2, unique=True).map(tuple),
    topics=st.lists(st.sampled_from(TOPICS), max_size=1).map(tuple),
    date_from=st.sampled_from(["", "2023-12-01"]),
    date_to=st.sampled_from(["", "2024-03-01"]),
)


def _quotes(rows: list[tuple[list[str], str, list[str], str]]) -> list[Quote]:
    quotes = []
    for i, (words, speaker, topics, date) in enumerate(rows):
        text = " ".join(words)
        quotes.append(
            Quote(
                doc=f"d{i // 3}",
                title=f"Release {i // 3}",
                date=date,
                text=text,
                start=i * 100,
                end=i * 100 + len(text),
                speaker=speaker,
                named=bool(speaker),
                topics=tuple(topics),
            )
        )
    return quotes


def _whoosh_filter(filters: Filters) -> wq.Query | None:
    parts: list[wq.Query] = []
    if filters.speakers:
        parts.append(wq.Or([wq.Term("spk", s) for s in filters.speakers]))
    if filters.topics:
        parts.append(wq.Or([wq.Term("tpc", t) for t in filters.topics]))
    if filters.date_from or filters.date_to:
        parts.append(wq.TermRange("date", filters.date_from or None, filters.date_to or None))
    return wq.And(parts) if parts else None


def _text_only(tree: wq.Query) -> bool:
    return all(getattr(leaf, "fieldname", "text") == "text" for leaf in tree.leaves())


def _compare(ix: QuoteIndex, text: str, filters: Filters, prefix_last: bool) -> None:
    state = ix._state
    parsed = state.builder.parse(text, prefix_last=prefix_last)
    if parsed.query is None:
        return
    mask = ix._filter_mask(state, filters)
    evaluator = Evaluator(state.searcher, state.columns, state.postings, state.segments, mask)
    match = evaluator.run(parsed.query)
    keep = mask[match.ids]
    ours = dict(zip(match.ids[keep].tolist(), match.scores[keep].tolist(), strict=True))
    results = state.searcher.search(parsed.query, filter=_whoosh_filter(filters), limit=None)
    theirs = {hit.docnum: hit.score for hit in results}
    assert set(ours) == set(theirs), (text, filters, parsed.query)
    if _text_only(parsed.query) and theirs:
        docs = sorted(theirs)
        a = np.array([ours[d] for d in docs])
        b = np.array([theirs[d] for d in docs])
        assert np.allclose(a, b, rtol=SCORE_TOLERANCE, atol=1e-6), (text, parsed.query, a, b)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    rows=quotes_st,
    queries=st.lists(st.tuples(query_st, filters_st, st.booleans()), min_size=1, max_size=8),
)
def test_evaluator_returns_whooshs_hits(rows, queries) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        index_quotes(_quotes(rows), Path(folder))
        with QuoteIndex.open(Path(folder)) as ix:
            for text, filters, prefix_last in queries:
                _compare(ix, text, filters, prefix_last)
