"""The derived files next to Whoosh's (columns, groups, per-segment postings and quotes): search
gives the same answers with or without them, across many segments, and a builder that died
before writing them is caught up by the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

from nato_browse.index.api import Filters
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store.build import build_index, index_quotes


def answers(index_dir: Path) -> list[object]:
    with QuoteIndex.open(index_dir) as ix:
        out: list[object] = []
        for query in ("", "ukraine", "support", "cyber OR deterrence", '"as long as"', "negotia"):
            result = ix.search(query, collapse=False)
            out.append([(h.quote, round(h.score, 4), h.highlights) for h in result.hits])
            out.append(ix.facets(query))
        out.append(ix.months(""))
        out.append(ix.stats())
        return out


def drop_caches(index_dir: Path, columns: bool = True) -> None:
    for path in index_dir.glob("nb-seg-*"):
        shutil.rmtree(path)
    if columns:  # the groups go with them
        for path in index_dir.glob("nb-columns-*"):
            path.unlink()


def test_same_answers_without_the_segment_caches(tmp_path: Path, sample_quotes) -> None:
    index_quotes(sample_quotes(), tmp_path)
    with_caches = answers(tmp_path)
    drop_caches(tmp_path, columns=False)
    assert answers(tmp_path) == with_caches


def test_many_segments(tmp_path: Path, said, write_release) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    index_dir = tmp_path / "index"
    for i in range(6):  # one commit (one new segment) per run
        write_release(
            docs,
            f"r{i}.txt",
            f"Release {i}",
            [said("Jens Stoltenberg", f"Allies agreed on measure number {i} for Ukraine today")],
        )
        build_index([docs], index_dir)
    (docs / "r2.txt").unlink()
    build_index([docs], index_dir)
    with QuoteIndex.open(index_dir) as ix:
        result = ix.search("measure", collapse=False, sort="newest", limit=100)
        texts = sorted(h.quote.text for h in result.hits)
        assert texts == [
            f"Allies agreed on measure number {i} for Ukraine today" for i in (0, 1, 3, 4, 5)
        ]
        for hit in result.hits:
            assert ix.get(hit.quote.quote_id) == hit.quote
            assert hit.quote.text[hit.highlights[0][0] : hit.highlights[0][1]] == "measure"
    drop_caches(index_dir)
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("measure", collapse=False).total == 5


def test_next_run_groups_a_commit_whose_builder_died(tmp_path: Path, said, write_release) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    words = "We will support Ukraine for as long as it takes"
    write_release(docs, "a.txt", "A", [said("Jens Stoltenberg", words)])
    write_release(docs, "b.txt", "B", [said("Jens Stoltenberg", words + ", he said")])
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)
    drop_caches(index_dir)  # as if killed right after the commit
    with QuoteIndex.open(index_dir) as ix:
        assert not ix.grouped
        assert ix.search("ukraine").total == 2  # each quote its own group meanwhile
        report = build_index([docs], index_dir)
        assert report.added == 0 and report.unchanged == 2
        ix.refresh()
        assert ix.grouped
        result = ix.search("ukraine")
        assert result.total == 1 and result.hits[0].sources == 2
    assert sorted(p.name for p in index_dir.glob("nb-seg-*"))


def test_filters_on_values_with_odd_characters(tmp_path: Path, make_quote) -> None:
    quotes = [
        make_quote(
            "d1",
            "2024-01-01",
            "Jean-Luc O'Neil, Jr.",
            "",
            "Peace, now.",
            topics=("Arms control: nuclear",),
            regions=("Côte d'Ivoire",),
        ),
        make_quote("d2", "2024-01-02", "X", "", "Peace later.", topics=("Other",)),
    ]
    index_quotes(quotes, tmp_path)
    with QuoteIndex.open(tmp_path) as ix:
        filters = Filters(speakers=("Jean-Luc O'Neil, Jr.",), topics=("Arms control: nuclear",))
        assert [h.quote.doc for h in ix.search("peace", filters).hits] == ["d1"]
        assert ix.search("", Filters(regions=("Côte d'Ivoire",))).total == 1
        assert dict(ix.facets("peace").topics) == {"Arms control: nuclear": 1, "Other": 1}


def test_refresh_waits_for_a_running_builder_to_finish(tmp_path: Path, sample_quotes) -> None:
    from nato_browse.index.store.folder import build_lock
    from nato_browse.index.store.schema import quote_to_document
    from whoosh import index

    quotes = sample_quotes()
    index_quotes(quotes[:3], tmp_path)
    with QuoteIndex.open(tmp_path) as ix:
        with build_lock(tmp_path):
            # A builder's commit, before it has written the commit's columns and groups.
            writer = index.open_dir(str(tmp_path)).writer()
            for quote in quotes[3:]:
                writer.add_document(**quote_to_document(quote))
            writer.commit()
            ix.refresh()
            assert ix.search("", collapse=False).total == 3
        ix.refresh()  # the builder is gone: open the commit as it is
        assert ix.search("", collapse=False).total == 8
        assert not ix.grouped


def _partition(index_dir: Path) -> set[frozenset[str]]:
    with QuoteIndex.open(index_dir) as ix:
        hits = ix.search("", collapse=False, limit=10_000).hits
        return {frozenset(q.quote_id for q in ix.sources(h.quote.quote_id)) for h in hits}


def test_an_update_regroups_only_what_it_touched_as_a_full_build_would(
    tmp_path: Path, said, write_release, monkeypatch
) -> None:
    from nato_browse.index.store import build

    docs = tmp_path / "docs"
    docs.mkdir()
    words = "We will support Ukraine for as long as it takes"
    kallas = "Estonia will send more air defence systems to Kyiv this winter"
    write_release(
        docs, "a.txt", "A", [said("Jens Stoltenberg", words), said("Kaja Kallas", kallas)]
    )
    for i in range(30):
        line = f"Filler statement number {i} about the grain corridor talks in Istanbul"
        write_release(docs, f"f{i:02d}.txt", f"F{i}", [said("Antony Blinken", line)])
    index_dir = tmp_path / "index"
    build_index([docs], index_dir)

    # As in a big index, whose segments are too big to be merged into a small update's.
    monkeypatch.setattr(build, "_MERGE_BELOW", 0)
    full_runs: list[int] = []
    full = build.assign_groups
    monkeypatch.setattr(build, "assign_groups", lambda q: full_runs.append(len(q)) or full(q))
    write_release(docs, "b.txt", "B", [said("Jens Stoltenberg", words + ", he said")])
    write_release(docs, "c.txt", "C", [said("Kaja Kallas", kallas)])
    build_index([docs], index_dir)
    assert full_runs == []  # two documents of 33: only their groups were regrouped
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("ukraine").hits[0].sources == 2
        assert ix.search("estonia").hits[0].sources == 2
    rebuilt = tmp_path / "rebuilt"
    build_index([docs], rebuilt)
    assert _partition(index_dir) == _partition(rebuilt)

    full_runs.clear()  # (the rebuild above grouped everything, as a first build does)
    (docs / "b.txt").unlink()
    build_index([docs], index_dir)
    assert full_runs == []
    with QuoteIndex.open(index_dir) as ix:
        assert ix.search("ukraine").hits[0].sources == 1
        assert ix.search("estonia").hits[0].sources == 2
