"""Building with worker processes (store/parallel.py): the same index as one process writes, a
document that breaks the extractor skipped in one line, a worker that dies replaced, and an
interrupted run leaving the previous index as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store import build, parallel
from nato_browse.index.store.build import build_index, index_quotes


@pytest.fixture
def releases(small_corpus, said, write_release) -> Callable[[Path], Path]:
    """Forty releases, and two that repeat a quote of the first (one group across segments)."""

    def write(folder: Path) -> Path:
        small_corpus(folder, n=40)
        for name in ("echo-a.txt", "echo-b.txt"):
            write_release(
                folder,
                name,
                f"Echo {name}",
                [said("Jens Stoltenberg", "Allies agreed on measure number 0 for Ukraine today")],
            )
        return folder

    return write


def _listing(index_dir: Path) -> list[tuple[str, str, str, int]]:
    with QuoteIndex.open(index_dir) as ix:
        hits = ix.search("", collapse=False, limit=1000).hits
        return [(h.quote.quote_id, h.quote.text, h.quote.speaker, h.sources) for h in hits]


def _search(index_dir: Path, query: str) -> list[tuple[str, float, int]]:
    with QuoteIndex.open(index_dir) as ix:
        hits = ix.search(query, limit=1000).hits
        return [(h.quote.quote_id, round(h.score, 5), h.sources) for h in hits]


def _segments(index_dir: Path) -> int:
    return len(list(index_dir.glob("nb-seg-*")))


def test_workers_write_the_index_one_process_writes(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last segment is split between the workers from 2 x 20 quotes (1,000 each outside
    # this test): this run's 82 quotes come back from the workers and go out again in two.
    monkeypatch.setattr(parallel, "SPLIT_MIN_QUOTES", 20)
    docs = releases(tmp_path / "docs")
    one, two = tmp_path / "one", tmp_path / "two"
    report_one = build_index([docs], one, workers=1)
    report_two = build_index([docs], two, workers=2)
    assert report_two.quotes == report_one.quotes == 82
    assert _segments(one) == 1 and _segments(two) == 2  # the workers wrote one each
    assert _listing(two) == _listing(one)
    for query in ("allies measure", "estonia", "ukraine today", '"air defence"', "speaker:kallas"):
        assert _search(two, query) == _search(one, query), query
    # The repeated quote is one group across the workers' segments.
    with QuoteIndex.open(two) as ix:
        hit = ix.search('"measure number 0"').hits[0]
        assert hit.sources == 3
        assert len(ix.sources(hit.quote.quote_id)) == 3


def test_a_whole_build_groups_what_its_writers_computed_as_it_would_read_back(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = releases(tmp_path / "docs")
    held, read_back = tmp_path / "held", tmp_path / "read-back"
    build_index([docs], held, workers=2)
    real = build._finish
    seen: list[object] = []

    def without_inputs(ix, index_dir, generation, progress, grouping=None):  # type: ignore[no-untyped-def]
        seen.append([len(part) for part in grouping or ()])
        return real(ix, index_dir, generation, progress, None)

    monkeypatch.setattr(build, "_finish", without_inputs)
    build_index([docs], read_back, workers=2)
    # The run had the grouping inputs its writers computed, for every quote.
    assert seen and sum(seen[0]) == 82
    assert _listing(held) == _listing(read_back)
    with QuoteIndex.open(held) as ix:
        assert ix.search('"measure number 0"').hits[0].sources == 3


def test_a_big_whole_build_starts_its_workers_before_reading(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers load the extractor's tables while the first file is read, and extract each
    # file's documents as soon as it is read; a run that reads nothing new starts none.
    docs = releases(tmp_path / "docs")
    monkeypatch.setattr(build, "PARALLEL_MIN_TEXT", 2_000)  # the 42 files: ~10 KB
    events: list[str] = []
    real_load, real_start = build.load_file, parallel.SegmentSink._start

    def load(path, options=None):  # type: ignore[no-untyped-def]
        events.append("read")
        return real_load(path, options)

    def start(self, fn, *args):  # type: ignore[no-untyped-def]
        events.append(fn.__name__)
        return real_start(self, fn, *args)

    monkeypatch.setattr(build, "load_file", load)
    monkeypatch.setattr(parallel.SegmentSink, "_start", start)
    report = build_index([docs], tmp_path / "ix", workers=None)
    assert report.quotes == 82
    assert events[0] == "_ready" and events[1] == "read"  # started before the first read
    # Extraction began before the last file was read.
    assert events.index("_extract_job") < len(events) - 1 - events[::-1].index("read")
    events.clear()
    build_index([docs], tmp_path / "ix")
    assert "_ready" not in events and "_extract_job" not in events  # nothing new to read


def test_a_whole_build_groups_from_what_the_workers_computed(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers reduce each quote to what grouping compares while they write it; the builder,
    # once the writes are back, groups from that alone (no quote read back or analysed again),
    # and the groups are those of the quotes themselves.
    docs = releases(tmp_path / "docs")
    events: list[str] = []
    real_from, real_finish = build.assign_groups_from, parallel.SegmentSink.finish

    def from_inputs(inputs):  # type: ignore[no-untyped-def]
        events.append(f"group {len(inputs)} from the workers' inputs")
        return real_from(inputs)

    def read_back(quotes):  # type: ignore[no-untyped-def]
        events.append("read back")
        raise AssertionError("a whole build reads no quote back to group it")

    def finish(self, progress=None):  # type: ignore[no-untyped-def]
        events.append("wait for the writes")
        return real_finish(self, progress)

    monkeypatch.setattr(build, "assign_groups_from", from_inputs)
    monkeypatch.setattr(build, "assign_groups", read_back)
    monkeypatch.setattr(parallel.SegmentSink, "finish", finish)
    build_index([docs], tmp_path / "inputs", workers=2)
    assert events == ["wait for the writes", "group 82 from the workers' inputs"]
    monkeypatch.undo()
    build_index([docs], tmp_path / "one", workers=1)
    assert _listing(tmp_path / "inputs") == _listing(tmp_path / "one")
    with QuoteIndex.open(tmp_path / "inputs") as ix:
        assert ix.search('"measure number 0"').hits[0].sources == 3


def test_a_document_the_extractor_fails_on_is_skipped_in_a_worker(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = releases(tmp_path / "docs")
    real = parallel.extract_quotes

    def fragile(doc, tagger, people):  # type: ignore[no-untyped-def]
        if doc.title == "Release number 7":
            raise ValueError("a bug the document found")
        return real(doc, tagger, people)

    monkeypatch.setattr(parallel, "extract_quotes", fragile)  # forked workers inherit it
    report = build_index([docs], tmp_path / "index", workers=2)
    assert report.quotes == 80
    assert [s.path for s in report.skipped] == [str(docs / "r0007.txt")]
    reason = report.skipped[0].reason
    assert reason == "quotes could not be extracted (ValueError: a bug the document found)"


def test_work_of_a_worker_that_died_is_done_by_the_builder(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = releases(tmp_path / "docs")
    builder = os.getpid()
    real = parallel.extract_quotes

    def deadly(doc, tagger, people):  # type: ignore[no-untyped-def]
        if doc.title == "Release number 3" and os.getpid() != builder:
            os._exit(9)  # as the kernel's OOM killer would end it
        return real(doc, tagger, people)

    monkeypatch.setattr(parallel, "extract_quotes", deadly)
    report = build_index([docs], tmp_path / "index", workers=2)
    assert report.quotes == 82 and not report.skipped
    assert len(_listing(tmp_path / "index")) == 82
    whoosh = {p.name.split(".")[0] for p in (tmp_path / "index").glob("MAIN_*")}
    caches = {p.name.removeprefix("nb-seg-") for p in (tmp_path / "index").glob("nb-seg-*")}
    assert whoosh - {"MAIN_WRITELOCK"} == caches  # no segment of the dead worker is left


def test_interrupted_parallel_build_leaves_the_previous_index(
    tmp_path: Path, releases, small_corpus
) -> None:
    index_dir = tmp_path / "index"
    build_index([small_corpus(tmp_path / "first", n=2)], index_dir, workers=1)
    before = sorted(p.name for p in index_dir.iterdir())
    docs = releases(tmp_path / "docs")
    calls = []

    def interrupt(done: int, total: int | None, what: str) -> None:
        calls.append(what)
        if what.startswith("indexing"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([docs], index_dir, workers=2, progress=interrupt)
    assert any(c.startswith("indexing") for c in calls)
    assert sorted(p.name for p in index_dir.iterdir()) == before
    assert len(_listing(index_dir)) == 4
    # (The first two releases are the same documents as the first source's.)
    assert build_index([docs], index_dir, workers=2).quotes == 82  # the lock was released


def test_runs_extracted_while_reading_are_still_reported(
    tmp_path: Path, releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every run done before the builder asks for it (a fast machine, small files): the
    # progress still counts the documents up to all of them (and Ctrl-C is still heard there).
    docs = releases(tmp_path / "docs")
    real = parallel.SegmentSink.extract

    def after_the_workers(self, documents, progress):  # type: ignore[no-untyped-def]
        for _, _, future in self._prefetched:
            if future is not None:
                future.result()
        return real(self, documents, progress)

    monkeypatch.setattr(parallel.SegmentSink, "extract", after_the_workers)
    seen: list[tuple[int, int | None]] = []

    def progress(done: int, total: int | None, what: str) -> None:
        if what.startswith("indexing"):
            seen.append((done, total))

    assert build_index([docs], tmp_path / "ix", workers=2, progress=progress).quotes == 82
    assert seen and seen[-1] == (42, 42)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    def interrupt(done: int, total: int | None, what: str) -> None:
        if what.startswith("indexing"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([docs], tmp_path / "ix2", workers=2, progress=interrupt)
    left = {p.name for p in (tmp_path / "ix2").iterdir()} - {"MAIN_WRITELOCK"}
    assert not any(name.startswith(("MAIN_", "nb-seg-", "_MAIN")) for name in left), left


def test_quotes_in_several_segments_are_written_by_workers(
    tmp_path: Path, make_quote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "SEGMENT_QUOTES", 50)
    quotes = [
        make_quote(f"d{i // 4}", "2024-01-01", f"Speaker {i % 7}", "", f"allies agree on item {i}")
        for i in range(230)
    ]
    # The builder keeps a batch (to redo it if its worker dies) only until it is written.
    held: list[int] = []
    collect = parallel.SegmentSink._collect

    def counting(sink: parallel.SegmentSink) -> None:
        collect(sink)
        held.append(len(sink._inputs))

    monkeypatch.setattr(parallel.SegmentSink, "_collect", counting)
    one, two = tmp_path / "one", tmp_path / "two"
    index_quotes(quotes, one, workers=1)
    index_quotes(quotes, two, workers=2)
    assert held and max(held) <= 2 and held[-1] == 0
    # One worker: 4 x 50 + 30. Two: the first 50 split between them, then 3 x 50 + 30.
    assert (_segments(one), _segments(two)) == (5, 6)
    assert _listing(two) == _listing(one)
    assert _search(two, "allies item") == _search(one, "allies item")


_BUILDER = textwrap.dedent(
    """
    import signal, sys
    from pathlib import Path
    from nato_browse.index.store.build import build_index

    # A run started in the background of a non-interactive shell inherits SIGINT ignored:
    # take it back, as a terminal's foreground job has it.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def progress(done, total, what):
        if what.startswith("indexing"):
            print("indexing", flush=True)
            sys.stdin.readline()  # until the test has pressed Ctrl-C

    try:
        build_index([Path(sys.argv[1])], Path(sys.argv[2]), progress=progress, workers=2)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    print("finished", flush=True)
    """
)


def test_ctrl_c_stops_the_workers_without_a_traceback(tmp_path: Path, releases) -> None:
    """Ctrl-C in a terminal reaches every process of the group: the workers leave it to the
    builder, which stops them and removes what they wrote."""
    docs = releases(tmp_path / "docs")
    index_dir = tmp_path / "index"
    child = subprocess.Popen(
        [sys.executable, "-c", _BUILDER, str(docs), str(index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "indexing"
    os.killpg(child.pid, signal.SIGINT)
    child.stdin.write("\n")
    child.stdin.flush()
    out, err = child.communicate(timeout=120)
    assert "interrupted" in out and "finished" not in out
    assert "Traceback" not in err, err
    assert not list(index_dir.glob("MAIN_*.*")) and not list(index_dir.glob("nb-seg-*"))


@pytest.mark.parametrize("parts", [1, 2, 3, 5])
def test_a_last_segment_is_split_by_its_text_not_its_count(parts: int) -> None:
    # Long quotes first, short ones after (a speech, then a briefing's answers): halves by
    # count would give the first part most of the words to write.
    from nato_browse.index.model import Quote

    sizes = [900] * 30 + [60] * 270 + [1]
    quotes = [Quote(f"d{i}", "", "", "x" * n, 0, n, "A") for i, n in enumerate(sizes)]
    split = parallel.split_by_length(quotes, parts)
    assert [q for part in split for q in part] == quotes  # in order, each once
    assert len(split) == parts and all(split)
    texts = [sum(len(q.text) + len(q.context) for q in part) for part in split]
    assert max(texts) - min(texts) <= 2 * max(sizes)  # even to within a quote or two
    assert parallel.split_by_length(quotes[:2], 5) == [quotes[:1], quotes[1:2]]
