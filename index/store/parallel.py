"""Segments written in worker processes, so that a big build uses every core.

A Whoosh commit takes any number of new segments. A build with much to do hands whole segments
to worker processes: a batch of quotes to analyse and write (writer.py, with its search cache),
or a run of documents to extract, then analyse and write. Each worker writes its segments' files
in the index folder and sends back only their description (`Written`); the builder commits
them in the order it handed the work out, so docnums follow the order quotes were indexed in
whichever worker finished first, and the index is the one a single process would have written
but for where one segment ends and the next begins.

`SegmentSink` is the builder's side: `extract` hands runs of documents to the workers and gives
their quotes back in order (extraction is most of a build's work, and documents differ in cost:
many small runs keep every worker busy to the end); `write` hands a segment's quotes to a worker,
in the order the quotes are to be numbered; `finish` returns every segment written, `abandon`
removes them. Quotes come back to the builder before they are written so that a build writes
few, large segments: a segment's cost grows with its distinct words, so six small segments cost
a third more to write than two of the same quotes. With one worker, or little to do, it writes
in the calling process (no pool is started).

Workers are forked where the platform allows (no start-up cost: the extractor's tables are
already loaded); they ignore Ctrl-C (the builder handles it, and stops them) and, on Linux, die
with the builder. A document whose extraction fails is reported as a skipped file, as in the
builder's own process; a worker that dies is replaced by the builder's own process for the work
it had not returned.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import dataclasses
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex

from ..api import NatoBrowseError, ProgressCallback, SkippedFile
from ..extract.people import People
from ..extract.pipeline import extract_quotes
from ..grouping.inputs import GroupingInputs
from ..model import Document, Quote
from ..tagging.tagger import Tagger
from .schema import quote_row
from .segments import from_analysis
from .segments import write as write_cache
from .whoosh_compat import index_folder
from .writer import Analyser, write_segment

# Workers at most (each holds up to a segment's quotes being analysed, ~150 MB).
MAX_WORKERS = 4
# Documents whose bodies add up to less are extracted in the builder's process: a pool would
# cost more than it saves (extraction runs at ~1.5 MB of text a second).
PARALLEL_MIN_TEXT = 1_000_000
# Runs of documents handed out per worker: enough that none is left working long after the
# others (a run's cost is only roughly its text's length).
RUNS_PER_WORKER = 8
# Text a run of documents read while the builder reads on holds (the builder hands them out
# as it reads, before it knows how many there will be).
RUN_TEXT = 200_000
# The last segment of a run with workers is split among them when each part has this many
# quotes or more (a part costs about a fifth of a second more than its share of one segment).
SPLIT_MIN_QUOTES = 1_000
# What a quote's other fields (speaker, role, title, date, url, tags) add to its text, for the
# disk-full estimate.
QUOTE_FIELDS_BYTES = 300


def worker_count(requested: int | None = None) -> int:
    """`requested`, or the cores this process may use (at most MAX_WORKERS)."""
    if requested is not None:
        return max(1, requested)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def payload_bytes(quotes: Sequence[Quote]) -> int:
    """About the bytes a batch of quotes adds to the index (for the disk-full estimate)."""
    return sum(len(q.text) + len(q.context) + QUOTE_FIELDS_BYTES for q in quotes)


@dataclass(frozen=True)
class Written:
    """One new segment, written and cached, ready for `whoosh_compat.commit_segments`."""

    segment: Any  # W3Segment
    files: tuple[str, ...]  # its files in the index folder (removed if the run is undone)
    quotes: int
    payload: int
    grouping: GroupingInputs | None = None  # what grouping compares of its quotes


@dataclass
class Extracted:
    """What extracting a run of documents gave: its quotes in order, the number of quotes of
    each document and the documents that could not be extracted."""

    quotes: list[Quote] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)


def write_quotes(
    ix: FileIndex, analyser: Analyser, index_dir: Path, quotes: list[Quote]
) -> Written:
    """Write `quotes` as one segment with its search cache (not yet committed)."""
    segment, analysed, files = write_segment(ix, analyser, quotes)
    try:
        write_cache(index_dir, from_analysis(segment.segment_id(), analysed))
    except BaseException:
        files.cancel()
        raise
    return Written(
        segment, tuple(files.files), len(quotes), payload_bytes(quotes), analysed.grouping
    )


def extract_one(
    doc: Document, tagger: Tagger, people: People
) -> tuple[list[Quote], SkippedFile | None]:
    """The quotes of one document; an extractor bug is the document's skip, not the run's end."""
    try:
        return extract_quotes(doc, tagger, people), None
    except NatoBrowseError as err:  # beyond a bound (too long, too slow): its reason
        return [], SkippedFile(doc.source or doc.doc_id, str(err))
    except Exception as err:
        reason = f"quotes could not be extracted ({type(err).__name__}: {err})"
        return [], SkippedFile(doc.source or doc.doc_id, reason)


def extract_run(docs: Sequence[Document], tick: Callable[[int, Document], None]) -> Extracted:
    """Extract `docs` in order."""
    tagger = Tagger.default()
    people = People.default()
    out = Extracted()
    for i, doc in enumerate(docs):
        tick(i, doc)
        quotes, skipped = extract_one(doc, tagger, people)
        if skipped is not None:
            out.skipped.append(skipped)
        out.counts[doc.doc_id] = len(quotes)
        out.quotes.extend(quotes)
    tick(len(docs), docs[-1] if docs else Document("", ""))
    return out


def cancel(ix: FileIndex, written: Sequence[Written]) -> None:
    """Remove the files of segments written but not committed."""
    from .segments import cache_dir

    for item in written:
        for name in item.files:
            with contextlib.suppress(OSError):
                ix.storage.delete_file(name)
        cache = cache_dir(index_folder(ix), item.segment.segment_id())
        with contextlib.suppress(OSError):
            for path in cache.iterdir():
                path.unlink()
            cache.rmdir()


def split_by_length(quotes: list[Quote], parts: int) -> list[list[Quote]]:
    """`quotes` in `parts` runs, in order, of about the same text each (quote and context):
    a part's cost to write follows its words, not its count (the corpus's quotes split in two
    halves by count cost 0.9 and 0.5 s to write; by text, 0.7 and 0.7 s)."""
    if parts <= 1:
        return [quotes]
    lengths = np.cumsum([len(q.text) + len(q.context) for q in quotes])
    ends = np.searchsorted(lengths, lengths[-1] * np.arange(1, parts) / parts, side="left") + 1
    bounds = [0, *(int(e) for e in ends), len(quotes)]
    return [quotes[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def split_by_text(docs: Sequence[Document], parts: int) -> list[Sequence[Document]]:
    """`docs` in `parts` runs, in order, of about the same amount of text each."""
    total = sum(len(d.body) for d in docs) or 1
    runs: list[Sequence[Document]] = []
    start, size, part = 0, 0, 1
    for i, doc in enumerate(docs):
        size += len(doc.body)
        if size * parts >= total * part and part < parts:
            runs.append(docs[start : i + 1])
            start, part = i + 1, part + 1
    runs.append(docs[start:])
    return [run for run in runs if run]


# The worker processes' side.

_WORKER: dict[str, Any] = {}


def _worker_init(ix: FileIndex, events: Any, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the builder's to handle
    _die_with_parent(parent)
    _WORKER.update(ix=ix, analyser=Analyser(ix.schema), events=events)
    # The extractor's tables (~0.2 s to build), loaded before the first run comes: a pool
    # started early (`SegmentSink.warm`) does this while the builder reads on.
    Tagger.default()
    People.default()


def _ready() -> None:
    """A job that does nothing: handing it out starts the workers."""


def _die_with_parent(parent: int) -> None:
    """Linux: this process is killed when the builder dies (else it would write on, holding
    the builder's lock, inherited, until its work is done)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)  # the builder died before this could be asked


def _write_job(rows: list[tuple[Any, ...]]) -> Written:
    ix = _WORKER["ix"]
    quotes = [Quote(*row) for row in rows]
    return write_quotes(ix, _WORKER["analyser"], index_folder(ix), quotes)


def _extract_job(job: int, docs: Sequence[Document]) -> tuple[list[tuple[Any, ...]], Any, Any]:
    events = _WORKER["events"]
    last = [0.0]

    def tick(done: int, doc: Document) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.1 or done == len(docs):
            last[0] = now
            events.put((job, done, doc.title[:60] or doc.source))

    out = extract_run(docs, tick)
    return _rows(out.quotes), out.counts, out.skipped


def _rows(quotes: Sequence[Quote]) -> list[tuple[Any, ...]]:
    """Quotes as plain tuples: a tenth of the cost of pickling the dataclasses."""
    return list(map(quote_row, quotes))


def _context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (Linux; on Python 3.12+ only while no other thread runs), else
    a fork server."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux"):
        if sys.version_info < (3, 12) or threading.active_count() == 1:
            return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


# The builder's side.


class SegmentSink:
    """Where the builder sends documents to be extracted and quotes to be written, in docnum
    order."""

    def __init__(self, ix: FileIndex, analyser: Analyser, workers: int) -> None:
        self.ix = ix
        self.analyser = analyser
        self.index_dir = index_folder(ix)
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None
        self._events: Any = None
        # In order: segments written and futures of writes not yet back.
        self._work: list[Any] = []
        self._inputs: dict[int, list[tuple[Any, ...]]] = {}  # write -> its rows, to redo here
        self._progress: dict[int, int] = {}  # extraction job -> documents done
        # Runs handed out before `extract` was called (`prefetch`), in order.
        self._prefetched: list[tuple[int, Sequence[Document], cf.Future[Any] | None]] = []

    @property
    def parallel(self) -> bool:
        return self.workers > 1

    @property
    def started(self) -> bool:
        """Whether work was handed to workers (the run goes on with them)."""
        return self._pool is not None

    def stop(self) -> None:
        """Stop the workers, if any still run (a run that failed before its commit: work
        prefetched wrote nothing)."""
        self._terminate()

    def write(self, quotes: list[Quote], last: bool = False) -> None:
        """Write one segment's quotes, in a worker when there is a pool. The `last` segment
        of a run that needed no pool so far is written here (a pool for one would cost more);
        with a pool, it is split among the workers when it is big enough."""
        if not self.parallel or not quotes or (last and self._pool is None):
            if quotes:
                self._work.append(write_quotes(self.ix, self.analyser, self.index_dir, quotes))
            return
        parts = max(1, min(self.workers, len(quotes) // SPLIT_MIN_QUOTES)) if last else 1
        for part in split_by_length(quotes, parts):
            self._bound()
            self._submit(_rows(part))

    def extract(self, docs: Sequence[Document], progress: ProgressCallback) -> Iterator[Extracted]:
        """The quotes of `docs`, a run of documents at a time, in order: extracted by the
        workers (or here, without a pool)."""
        total = len(docs)
        if not self.parallel:

            def tick(i: int, doc: Document) -> None:
                if i < total:
                    progress(i, total, f"indexing {doc.title[:60] or doc.source}")

            yield extract_run(docs, tick)
            return
        jobs, i = self._take_prefetched(docs)
        rest = docs[i:]
        parts = self.workers * RUNS_PER_WORKER
        if i:  # the runs still to hand out are as long as those handed out while reading
            parts = max(self.workers, -(-sum(len(d.body) for d in rest) // RUN_TEXT))
        for run in split_by_text(rest, parts):
            jobs.append(self._start_run(run))
        for job, run, future in jobs:
            if future is not None:
                self._wait(future.done, progress, total, [future])
            result = self._extracted(run, future)
            self._progress[job] = len(run)
            # Said for each run as it is taken (one done while the builder read sent no word).
            last = run[-1]
            done = min(sum(self._progress.values()), total)
            progress(done, total, f"indexing {last.title[:60] or last.source}")
            yield result

    def warm(self) -> None:
        """Start the workers now (with workers only), so that they load the extractor's tables
        while the builder reads: for a run that will surely extract much."""
        if self.parallel and self._pool is None:
            self._start(_ready)

    def prefetch(self, docs: Sequence[Document]) -> None:
        """Start extracting `docs`, the next documents `extract` will be given, while the
        builder reads on (with workers only)."""
        if not self.parallel or not docs:
            return
        parts = max(1, -(-sum(len(d.body) for d in docs) // RUN_TEXT))
        for run in split_by_text(docs, parts):
            self._prefetched.append(self._start_run(run))

    def finish(self, progress: ProgressCallback | None = None) -> list[Written]:
        """Every segment written, in the order the work was given; the pool is shut down."""
        self._wait(lambda: all(not _pending(w) for w in self._work), progress, None)
        self.close()
        return list(self._work)

    def written(self) -> list[Written]:
        """The segments written so far whose description is back (to undo them)."""
        return [item for item in self._work if isinstance(item, Written)]

    def take_grouping(self) -> list[GroupingInputs]:
        """What grouping compares of each segment written, in order; empty unless every
        segment has it. The segments let it go (it is the caller's to keep)."""
        written = self.written()
        parts = [item.grouping for item in written]
        for i, item in enumerate(self._work):
            if isinstance(item, Written):
                self._work[i] = dataclasses.replace(item, grouping=None)
        return [p for p in parts if p is not None] if None not in parts else []

    def abandon(self) -> None:
        """Stop the workers and remove every file of the segments written."""
        self._terminate()
        cancel(self.ix, self.written())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    # Internals.

    def _start(self, fn: Callable[..., Any], *args: Any) -> cf.Future[Any] | None:
        """Hand `fn(*args)` to a worker (None when the pool is broken)."""
        if self._pool is None:
            ctx = _context()
            self._events = ctx.SimpleQueue()
            self._pool = cf.ProcessPoolExecutor(
                self.workers,
                mp_context=ctx,
                initializer=_worker_init,
                initargs=(self.ix, self._events, os.getpid()),
            )
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            return None

    def _submit(self, rows: list[tuple[Any, ...]]) -> None:
        """Hand a segment's quotes to a worker to write (here, if the pool is broken)."""
        i = len(self._work)
        self._inputs[i] = rows
        future = self._start(_write_job, rows)
        self._work.append(future)
        if future is None:
            self._work[i] = self._redo(i)
            del self._inputs[i]

    def _start_run(
        self, run: Sequence[Document]
    ) -> tuple[int, Sequence[Document], cf.Future[Any] | None]:
        job = len(self._progress)
        self._progress[job] = 0
        return job, run, self._start(_extract_job, job, run)

    def _take_prefetched(
        self, docs: Sequence[Document]
    ) -> tuple[list[tuple[int, Sequence[Document], cf.Future[Any] | None]], int]:
        """The runs prefetched that `docs` begins with, and how many documents they hold; the
        others (none, unless the builder changed its mind) are dropped."""
        taken, i = [], 0
        for item in self._prefetched:
            run = item[1]
            if len(run) <= len(docs) - i and all(d is docs[i + k] for k, d in enumerate(run)):
                taken.append(item)
                i += len(run)
                continue
            if item[2] is not None:
                item[2].cancel()
            self._progress.pop(item[0], None)
        self._prefetched = []
        return taken, i

    def _extracted(self, run: Sequence[Document], future: cf.Future[Any] | None) -> Extracted:
        """A run's extraction, back from its worker (done here when the worker died)."""
        try:
            if future is not None:
                rows, counts, skipped = future.result()
                return Extracted([Quote(*row) for row in rows], counts, skipped)
        except BrokenProcessPool:
            pass
        return extract_run(run, lambda *_: None)

    def _bound(self) -> None:
        """Wait while as many batches as workers are queued (quotes waiting take memory)."""
        self._wait(lambda: sum(_pending(w) for w in self._work) < self.workers, None, None)

    def _wait(
        self,
        done: Callable[[], bool],
        progress: ProgressCallback | None,
        total: int | None,
        also: Sequence[cf.Future[Any]] = (),
    ) -> None:
        """Collect written segments as they come back, until `done()`, passing progress on
        (waiting on the futures `also`, too)."""
        while True:
            self._collect()
            if done():
                return
            futures = [w for w in self._work if _pending(w)] + [f for f in also if not f.done()]
            cf.wait(futures, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            self._pump(progress, total)

    def _collect(self) -> None:
        for i, item in enumerate(self._work):
            if isinstance(item, cf.Future) and item.done():
                try:
                    self._work[i] = item.result()
                except BrokenProcessPool:
                    self._work[i] = self._redo(i)
                # Done: its input is needed no more (a 1M-quote build kept 2.5 GB of them).
                self._inputs.pop(i, None)

    def _redo(self, i: int) -> Any:
        """A write a worker that died did not return, done in this process."""
        rows = self._inputs[i]
        return write_quotes(self.ix, self.analyser, self.index_dir, [Quote(*row) for row in rows])

    def _pump(self, progress: ProgressCallback | None, total: int | None) -> None:
        """Pass the workers' progress on (documents extracted so far, all jobs together)."""
        if self._events is None:
            return
        latest = ""
        while not self._events.empty():
            job, done, title = self._events.get()
            self._progress[job] = done
            latest = title
        if progress is not None and total is not None and latest:
            progress(min(sum(self._progress.values()), total), total, f"indexing {latest}")

    def _terminate(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=10)


def _pending(item: Any) -> bool:
    return isinstance(item, cf.Future) and not item.done()
