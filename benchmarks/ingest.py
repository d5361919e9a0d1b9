"""Loading speed: how fast the files a user collected become `Document` records.

Prints, for ../shared/corpus/ (or --corpus DIR), each file's load time (best of --runs) with
documents/s and MB/s, and the totals; then saved HTML pages/s (the test fixtures, read through
the nato.int reader and through trafilatura) and date parsing per call on its fast and slow
paths. Nothing here is asserted: it prints figures.

    .venv/bin/python benchmarks/ingest.py [--corpus DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from nato_browse.index.ingest.dates import _parse_slow, parse_date
from nato_browse.index.ingest.loaders import discover, load_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
T = TypeVar("T")


def best_of(runs: int, func: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `runs` calls (at least one), and what the call returned."""
    start = time.perf_counter()
    result = func()
    best = time.perf_counter() - start
    for _ in range(runs - 1):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best, result


def corpus(folder: Path, runs: int) -> None:
    files, skipped = discover([folder])
    print(f"corpus {folder} ({len(files)} files, {len(skipped)} skipped)")
    print(
        f"  {'file':32} {'docs':>6} {'dated':>6} {'MB':>6} {'seconds':>8} {'docs/s':>8} {'MB/s':>6}"
    )
    total_docs = total_bytes = 0
    total_seconds = 0.0
    for path in files:
        seconds, loaded = best_of(runs, lambda p=path: load_file(p))
        size = path.stat().st_size / 1e6
        docs = len(loaded.documents)
        dated = sum(1 for d in loaded.documents if d.date)
        note = f"  error: {loaded.error}" if loaded.error else ""
        print(
            f"  {path.name:32} {docs:6} {dated:6} {size:6.2f} {seconds:8.3f} "
            f"{docs / seconds:8.0f} {size / seconds:6.1f}{note}"
        )
        total_docs += docs
        total_bytes += path.stat().st_size
        total_seconds += seconds
    if total_seconds:
        print(
            f"  {'total':32} {total_docs:6} {'':6} {total_bytes / 1e6:6.2f} {total_seconds:8.3f} "
            f"{total_docs / total_seconds:8.0f} {total_bytes / 1e6 / total_seconds:6.1f}"
        )


def html_pages(runs: int, repeat: int = 20) -> None:
    pages = sorted(FIXTURES.glob("*.htm*"))
    print(f"saved HTML pages ({len(pages)} fixtures x {repeat})")
    for page in pages:
        seconds, _ = best_of(runs, lambda p=page: [load_file(p) for _ in range(repeat)])
        print(f"  {page.name:32} {repeat / seconds:8.0f} pages/s")


def dates(repeat: int = 2000) -> None:
    print("parse_date, microseconds per call")
    _parse_slow.__wrapped__("1 janvier 2020")  # import dateutil and dateparser first
    for text in ("2023-11-27T10:00:00Z", "27 Nov. 2023", "Tuesday the 27th of November, 2023"):
        start = time.perf_counter()
        for _ in range(repeat):
            parse_date(text)
        per_call = (time.perf_counter() - start) / repeat * 1e6
        print(f"  {text!r:40} {per_call:8.1f}  (regular expressions, slow path cached)")
    for text in ("Tuesday the 27th of November, 2023", "24 ноября 2023"):
        start = time.perf_counter()
        for _ in range(50):
            _parse_slow.__wrapped__(text)
        per_call = (time.perf_counter() - start) / 50 * 1e6
        print(f"  {text!r:40} {per_call:8.1f}  (uncached: dateutil / dateparser)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    corpus(args.corpus, args.runs)
    html_pages(args.runs)
    dates()


if __name__ == "__main__":
    main()
