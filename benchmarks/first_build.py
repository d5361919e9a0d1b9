"""The first index build of a corpus, end to end, and where its time goes.

Each run starts a fresh process that imports nato-browse and builds a new index of the corpus
(../shared/corpus by default) from its files, extraction included, as `nato-browse index` does
the first time. Printed per run: wall seconds from the process's start (imports included), the
CPU seconds of the builder and of its worker processes, and when each phase began (read,
extract and write, cache, group) by the build's own progress messages; then the median.
Nothing is asserted. For a side-by-side figure against another checkout, run `nato-browse index`
of each checkout in turns (A B A B ...) and time each whole process from outside (the README's
figures were taken so, 7 pairs, the median of the pair-by-pair ratios).

    .venv/bin/python benchmarks/first_build.py [--corpus DIR] [--runs N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

# The phase a progress message opens (the first word of its text).
PHASES = {
    "reading": "read",
    "indexing": "extract+write",
    "writing": "last writes",
    "caching": "cache",
    "grouping": "group",
}


def child(corpus: Path, target: Path, workers: int | None) -> None:
    """One build in this (fresh) process; prints its figures as JSON."""
    started = time.perf_counter()
    import resource

    from nato_browse.index import build_index

    imported = time.perf_counter() - started
    marks: dict[str, float] = {}

    def progress(done: int, total: int | None, what: str) -> None:
        phase = PHASES.get(what.split(" ", 1)[0])
        if phase is not None and phase not in marks:
            marks[phase] = time.perf_counter() - started

    report = build_index([corpus], target, progress=progress, workers=workers)
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "imported": imported,
                "builder_cpu": own.ru_utime + own.ru_stime,
                "workers_cpu": kids.ru_utime + kids.ru_stime,
                "marks": marks,
                "documents": report.documents,
                "quotes": report.quotes,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.corpus, args.child, args.workers)
        return
    # Byte-compiled first, as an installed package is and as a user's first run leaves it (with
    # PYTHONDONTWRITEBYTECODE set, each run would compile its ~50 modules again: ~0.2 s).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", ROOT / "index", ROOT / "tui"], check=True
    )
    runs = []
    print(f"first build of {args.corpus}, {args.runs} runs, each in a fresh process")
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, __file__, "--corpus", str(args.corpus), "--child", tmp]
            if args.workers is not None:
                cmd += ["--workers", str(args.workers)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        runs.append(run)
        phases = "  ".join(f"{name} {at:.2f}" for name, at in run["marks"].items())
        print(
            f"  run {i + 1}: {run['wall']:.2f} s wall, builder {run['builder_cpu']:.2f} s CPU, "
            f"workers {run['workers_cpu']:.2f} s CPU ({run['documents']:,} documents, "
            f"{run['quotes']:,} quotes)\n    began at (s): imported {run['imported']:.2f}  {phases}"
        )
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "builder_cpu", "workers_cpu")}
    print(
        f"median: {med['wall']:.2f} s wall, builder {med['builder_cpu']:.2f} s CPU, "
        f"workers {med['workers_cpu']:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
