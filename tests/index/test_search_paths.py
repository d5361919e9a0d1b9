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

import numpy as np
import pytest
from nato_browse.index import Filters, Quote
from nato_browse.index.search import evaluate
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store import segments
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
    "kallas",
    "baltic sup",
    "eastern eu",
    "release 1",
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


def test_a_prefix_combined_once_gives_what_filtered_words_give(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A prefix's words combined over their whole lists once, kept, and filtered at each use,
    # against each word filtered first and combined at each use.
    with monkeypatch.context() as patch:
        patch.setattr(evaluate.Evaluator, "_combine_whole", lambda self, key, texts: True)
        combined = list(_results(folder))
    again = list(_results(folder))  # combined when the filters leave most docs
    with monkeypatch.context() as patch:
        patch.setattr(evaluate.Evaluator, "_best_of_words", lambda self, words, positive: None)
        each = list(_results(folder))
    assert combined == each
    assert again == each


@pytest.mark.parametrize("bound", [0, 10**9])
def test_a_few_docs_filter_combines_a_prefix_when_asked_again_and_cheap(
    folder: Path, monkeypatch: pytest.MonkeyPatch, bound: int
) -> None:
    # Within a speaker's quotes in a region (few docs), "s" expands to long lists: combined
    # whole only when asked for again (here within another such filter) and cheap enough.
    monkeypatch.setattr(evaluate, "_COMBINE_FEW_MAX", bound)
    with QuoteIndex.open(folder) as ix:
        for speaker in ("Kaja Kallas", "Antony Blinken"):
            few = Filters(speakers=(speaker,), regions=("Baltic",))
            assert ix.search("s", few, limit=50).hits
            if speaker == "Kaja Kallas":
                assert not [k for k in ix._state.postings._items if k[0] == "best of"]
        kept = [k for k in ix._state.postings._items if k[0] == "best of"]
    assert bool(kept) == (bound > 0)


def test_kept_combinations_serve_other_filters_and_ands(folder: Path) -> None:
    # One index state, so combinations computed for one query serve the next ones.
    with QuoteIndex.open(folder) as ix:
        warm = []
        for _ in range(2):
            warm = [
                (q, f, ix.search(q, f, limit=50).hits) for q in QUERIES for f in reversed(FILTERS)
            ]
        kept = [key for key in ix._state.postings._items if key[0] == "best of"]
    assert kept
    fresh = []
    for q in QUERIES:
        for f in reversed(FILTERS):
            with QuoteIndex.open(folder) as ix:
                fresh.append((q, f, ix.search(q, f, limit=50).hits))
    assert warm == fresh


@pytest.mark.parametrize("lookup_cost", [0, 10**9])
@pytest.mark.parametrize("combined", [True, False])
def test_short_prefixes_find_whooshs_hits(
    folder: Path, monkeypatch: pytest.MonkeyPatch, lookup_cost: int, combined: bool
) -> None:
    monkeypatch.setattr(evaluate, "_LOOKUP_COST", lookup_cost)
    if combined:
        monkeypatch.setattr(evaluate.Evaluator, "_combine_whole", lambda self, key, texts: True)
    else:
        monkeypatch.setattr(evaluate.Evaluator, "_best_of_words", lambda self, w, p: None)
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


def test_name_field_postings_from_the_caches_are_whooshs(folder: Path) -> None:
    with QuoteIndex.open(folder) as ix:
        state = ix._state
        reader = state.searcher.reader()
        # (read back from the folders the builder wrote, not analysed afresh)
        assert all(data.cached and data.folder for data, _ in state.segments)
        assert all((data.folder / "names.json").is_file() for data, _ in state.segments)
        evaluator = evaluate.Evaluator(
            state.searcher, state.columns, evaluate.PostingsCache(), state.segments
        )
        checked = 0
        for name in segments.NAME_FIELDS:
            for btext in reader.lexicon(name):
                term = btext.decode("utf-8")
                ours = evaluator._segment_postings(name, term)
                assert ours is not None, (name, term)
                theirs = evaluate.read_postings(state.searcher, name, term)
                assert ours[0].tolist() == theirs[0].tolist(), (name, term)
                assert ours[1].astype(float).tolist() == theirs[1].tolist(), (name, term)
                checked += 1
            builder_df = state.builder._cached_field_df(name)
            assert builder_df == {
                t.decode("utf-8"): reader.doc_frequency(name, t) for t in reader.lexicon(name)
            }
        assert checked > 20


def test_searches_without_the_name_field_caches_give_the_same(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = list(_results(folder))
    with monkeypatch.context() as patch:
        patch.setattr(segments.SegmentData, "field_cache", lambda self, name: None)
        through_whoosh = list(_results(folder))
    assert cached == through_whoosh


def test_a_groups_members_are_found_by_lookup_as_by_a_pass(folder: Path) -> None:
    import dataclasses

    with QuoteIndex.open(folder) as ix:
        cols = ix._state.columns
    assert cols.grouped and cols.shared.any()
    live = cols.live.copy()
    live[np.flatnonzero(cols.shared)[::3]] = False  # some repeated quotes deleted
    for columns in (cols, dataclasses.replace(cols, live=live)):
        for doc in range(columns.n):
            every = np.flatnonzero((columns.group == columns.group[doc]) & columns.live)
            assert columns.members(doc).tolist() == every.tolist(), doc


def test_an_open_index_is_kept_out_of_the_collectors_walks_until_closed(folder: Path) -> None:
    import gc

    ix = QuoteIndex.open(folder)
    try:
        assert gc.get_freeze_count() > 0
        ix.search("support", limit=5)
    finally:
        ix.close()
    assert gc.get_freeze_count() == 0  # what it held can be collected again


@pytest.mark.parametrize("n", [200, 20_000])
def test_a_best_of_union_keeps_each_docs_highest_score_whether_sparse_or_dense(n: int) -> None:
    # A typed word's expansions filtered one by one are joined keeping each doc's best score:
    # by a pass over every doc when the parts are many against the index, by merging their
    # sorted ids when few; both are the maximum over the parts, doc by doc.
    rng = np.random.default_rng(n)
    matches = []
    for size in (60, 40, 25, 5, 1):
        # (docs drawn from the first hundred: most are in several parts)
        ids = np.unique(rng.integers(0, 100, size)).astype(np.int32)
        scores = rng.choice(np.array([0.5, 1.25, 2.0, 3.5], np.float32), len(ids))
        matches.append(evaluate.Match(ids, scores))
    matches.append(evaluate.Match.empty())
    best: dict[int, float] = {}
    for m in matches:
        for doc, score in zip(m.ids.tolist(), m.scores.tolist(), strict=True):
            best[doc] = max(best.get(doc, score), score)
    total = sum(len(m) for m in matches)
    assert (total * 16 > n) == (n == 200)  # one case each way
    assert total - len(best) > 20
    joined = evaluate.union(matches, n, best=True)
    assert joined.ids.dtype == np.int32 and joined.scores.dtype == np.float32
    assert joined.ids.tolist() == sorted(best)
    assert joined.scores.tolist() == [best[doc] for doc in sorted(best)]


@pytest.mark.parametrize("few", [False, True])
def test_a_group_is_shown_as_its_best_scored_then_earliest_then_first_doc(
    folder: Path, few: bool
) -> None:
    # Collapsing keeps, of each group's matched docs, the best score, then the earliest date,
    # then the lowest docnum; docs of one-quote groups stay. Scores from a few values, so
    # ties are common; every doc (the groups' docs ordered by marking them) or two groups'
    # docs and a few others (ordered by sorting).
    rng = np.random.default_rng(int(few))
    with QuoteIndex.open(folder) as ix:
        cols = ix._state.columns
        ids = np.flatnonzero(cols.live)
        shared = ids[cols.shared[ids]]
        if few:
            # Two groups whose docs interleave (ordered by docnum, they are not by group).
            members = {g: shared[cols.group[shared] == g] for g in np.unique(cols.group[shared])}
            pair = next(
                (a, b)
                for a in members
                for b in members
                if len(members[a]) + len(members[b]) <= 5
                and members[a][0] < members[b][0] < members[a][-1]
            )
            grouped = np.concatenate([members[pair[0]], members[pair[1]]])
            ids = np.union1d(grouped, ids[~cols.shared[ids]][::40])
            grouped = ids[cols.shared[ids]]
            assert len(grouped) * 16 < len(shared)
            assert not np.all(np.diff(cols.group[grouped]) >= 0)
        ids = ids.astype(np.int32)
        scores = rng.choice(np.array([1.0, 2.0, 3.0], np.float32), len(ids))
        collapsed = QuoteIndex._collapse(cols, evaluate.Match(ids, scores))
    best: dict[int, tuple[float, int, int]] = {}
    for doc, score in zip(ids.tolist(), scores.tolist(), strict=True):
        key = (-score, int(cols.date[doc]) or 99_999_999, doc)
        group = int(cols.group[doc])
        best[group] = min(best.get(group, key), key)
    expected = sorted(doc for _, _, doc in best.values())
    assert len(expected) < len(ids)  # groups of several docs were collapsed
    assert collapsed.ids.tolist() == expected
    assert collapsed.scores.tolist() == [float(scores[ids == d][0]) for d in expected]


def test_kept_gives_what_boolean_indexing_gives() -> None:
    rng = np.random.default_rng(5)
    for size, share in ((0, 0.5), (1, 1.0), (1000, 0.0), (1000, 0.3), (5000, 1.0)):
        keep = rng.random(size) < share
        ids = np.sort(rng.choice(10 * size + 1, size, replace=False)).astype(np.int32)
        scores = rng.random(size).astype(np.float32)
        where = evaluate.Match(ids, scores).where(keep)
        assert where.ids.dtype == np.int32 and where.scores.dtype == np.float32
        assert where.ids.tolist() == ids[keep].tolist()
        assert where.scores.tolist() == scores[keep].tolist()
