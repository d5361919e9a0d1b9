"""Bounded work on hostile input (issue 14): what a document or a query built to exhaust the
machine costs.

    .venv/bin/python benchmarks/hostile.py [--timeout S] [--line-mb MB] [--no-baseline]
                                           [--only transcript|line|word|query ...]

Each case runs in a fresh subprocess (so its peak memory, max RSS, is its own) with a timeout
(--timeout, 120 s by default): a case that runs past it is reported as "> S s", not waited for.
Every document is generated here; nothing is downloaded.

1. The long transcript: 1.9 MB with no full stop and 200 quotes, indexed; the index's size on
   disk with the context window as shipped and, side by side, with the window off (a quote's
   whole sentence as context, as before issue 14).
2. One long line (--line-mb, 10 MB by default; the issue's case is 50): index size and peak
   memory, with the window.
3. The long word: a word in capitals of 20k, 40k and 100k characters inside a quote, a
   capitalised one as the speaker, and a lower-case one of 100k, through the extractor.
4. The long query: on an index of 10k quotes, an ordinary query, a 10k-character word, a
   20k-character pasted text, a fuzzy word~ and a prefix*.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_case(code: str, timeout: float) -> dict | None:
    """Run `code` (which prints one JSON object) in a fresh interpreter; None past `timeout`."""
    prelude = "import json, resource, time, sys\n"
    coda = "\nresult['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    coda += "print(json.dumps(result))\n"
    try:
        done = subprocess.run(
            [sys.executable, "-c", prelude + textwrap.dedent(code) + coda],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"a case failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def transcript(quotes: int, size: int) -> str:
    """An unpunctuated transcript of about `size` characters with `quotes` quotations. Its
    words are drawn at random (fixed seed), so the store's compression sees text, not a
    repeated line."""
    rng = random.Random(14)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(5_000)
    ]
    each = size // quotes
    parts = []
    for i in range(quotes):
        words: list[str] = []
        length = 0
        while length < each - 60:
            words.append(rng.choice(vocabulary))
            length += len(words[-1]) + 1
        parts.append(" ".join(words) + f" the minister said “we will keep helping number {i}” ")
    return "".join(parts)


def index_case(text: str, work: Path, window: bool, timeout: float) -> dict | None:
    """Index one .txt document holding `text`; the index's size and the build's cost."""
    docs, index_dir = work / "docs", work / ("ix-window" if window else "ix-whole")
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "doc.txt").write_text("A hostile transcript\n\n" + text, encoding="utf-8")
    code = f"""
        from pathlib import Path
        from nato_browse.index.extract import pipeline
        from nato_browse.index.store.build import build_index
        if not {window!r}:
            pipeline.CONTEXT_CHARS = 10**12  # the whole sentence, as before the window
        pipeline.MAX_SECONDS = 10**6
        started = time.perf_counter()
        report = build_index([Path({str(docs)!r})], Path({str(index_dir)!r}))
        result = {{"seconds": time.perf_counter() - started, "quotes": report.quotes,
                   "skipped": [str(s) for s in report.skipped]}}
    """
    result = run_case(code, timeout)
    if result is not None:
        result["index_mb"] = folder_mb(index_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    return result


def show_index(label: str, doc_mb: float, result: dict | None, timeout: float) -> None:
    if result is None:
        print(f"  {label:34} > {timeout:.0f} s")
        return
    print(
        f"  {label:34} {doc_mb:7.1f} MB doc {result['quotes']:6} quotes "
        f"{result['index_mb']:9.1f} MB index ({result['index_mb'] / doc_mb:6.1f}x) "
        f"{result['seconds']:6.1f} s  peak {result['peak_mb']:6.0f} MB"
    )
    for skipped in result["skipped"]:
        print(f"    skipped: {skipped}")


def long_transcript(work: Path, timeout: float, baseline: bool) -> None:
    print("1. an unpunctuated transcript, 1.9 MB, 200 quotes: the index on disk")
    text = transcript(200, 1_900_000)
    doc_mb = len(text.encode()) / 1e6
    windowed = index_case(text, work / "transcript", True, timeout)
    show_index("context window (shipped)", doc_mb, windowed, timeout)
    if baseline:
        whole = index_case(text, work / "transcript", False, timeout)
        show_index("whole sentence (before)", doc_mb, whole, timeout)
        if whole and windowed:
            print(f"  ratio whole / window: {whole['index_mb'] / windowed['index_mb']:.0f}x")


def long_line(work: Path, timeout: float, megabytes: float) -> None:
    print(f"2. one line of {megabytes:g} MB, a quote every ~10 kB: the index on disk")
    quotes = max(1, int(megabytes * 100))
    text = transcript(quotes, int(megabytes * 1e6)).replace("\n", " ")
    result = index_case(text, work / "line", True, timeout)
    show_index("context window (shipped)", len(text.encode()) / 1e6, result, timeout)


def long_word(timeout: float) -> None:
    print("3. a long word: extraction time")
    cases = (
        ("in capitals, inside the quote", "QUOTE", 20_000),
        ("in capitals, inside the quote", "QUOTE", 40_000),
        ("in capitals, inside the quote", "QUOTE", 100_000),
        ("capitalised, as the speaker", "SPEAKER", 20_000),
        ("capitalised, as the speaker", "SPEAKER", 100_000),
        ("capitalised, as a transcript label", "LABEL", 20_000),
        ("capitalised, as a transcript label", "LABEL", 100_000),
        ("lower-case, inside the quote", "LOWER", 100_000),
    )
    bodies = {
        "QUOTE": '"Minister Ann Lee said: “We will " + "Q" * size + " help.” Then she left."',
        "SPEAKER": '"“We will help,” said Q" + "q" * (size - 1) + ". Then she left."',
        "LABEL": '"Q" + "q" * (size - 1) + ": we will help.\\nAnn Lee: yes."',
        "LOWER": '"Minister Ann Lee said: “We will " + "q" * size + " help.” Then she left."',
    }
    for shape, kind, size in cases:
        code = f"""
            from nato_browse.index.extract.pipeline import extract_quotes
            from nato_browse.index.model import Document
            from nato_browse.index.tagging.tagger import Tagger
            tagger = Tagger.default()
            tagger.tag("warm up Ukraine")
            size = {size}
            body = {bodies[kind]}
            started = time.perf_counter()
            quotes = extract_quotes(Document("t", body), tagger, time_limit=10**6)
            result = {{"seconds": time.perf_counter() - started, "quotes": len(quotes)}}
        """
        result = run_case(code, timeout)
        label = f"{size // 1000}k characters, {shape}"
        if result is None:
            print(f"  {label:54} > {timeout:.0f} s")
        else:
            print(f"  {label:54} {result['seconds']:8.2f} s  peak {result['peak_mb']:6.0f} MB")


def long_query(work: Path, timeout: float) -> None:
    print("4. long and expanding queries on 10k quotes: QuoteIndex.search time")
    index_dir = work / "queries"
    build = f"""
        import random
        from pathlib import Path
        from nato_browse.index.model import Quote
        from nato_browse.index.store.build import index_quotes
        rng = random.Random(7)
        words = ("allies defence deterrence ukraine russia cyber summit budget industry "
                 "shells drones airspace border energy sanctions treaty").split()
        words += [f"term{{n}}" for n in range(3000)]  # a vocabulary for * and ~ to expand into
        def quotes():
            for i in range(10_000):
                text = " ".join(rng.choice(words) for _ in range(20))
                yield Quote(doc=f"d{{i // 10}}", title="T", date="2024-01-01", text=text,
                            start=i, end=i + len(text), speaker=f"Speaker {{i % 50}}")
        started = time.perf_counter()
        index_quotes(quotes(), Path({str(index_dir)!r}))
        result = {{"seconds": time.perf_counter() - started}}
    """
    built = run_case(build, timeout * 3)
    if built is None:
        print(f"  building the 10k-quote index took over {timeout * 3:.0f} s")
        return
    print(f"  (index of 10k quotes built in {built['seconds']:.1f} s)")
    queries = {
        "ordinary: allies defence": "allies defence",
        "one word of 10k characters": "x" * 10_000,
        "20k characters pasted": ("deterrence ukraine " * 1100)[:20_000],
        "fuzzy: deterrence~": "deterrence~",
        "prefix: d*": "d*",
    }
    for label, query in queries.items():
        code = f"""
            from pathlib import Path
            from nato_browse.index.search.quote_index import QuoteIndex
            index = QuoteIndex.open(Path({str(index_dir)!r}))
            index.search("warm up")
            started = time.perf_counter()
            found = index.search({query!r}, limit=200)
            result = {{"seconds": time.perf_counter() - started, "total": found.total,
                       "note": found.note}}
            index.close()
        """
        result = run_case(code, timeout)
        if result is None:
            print(f"  {label:34} > {timeout:.0f} s")
            continue
        note = f"  note: {result['note']}" if result["note"] else ""
        print(f"  {label:34} {result['seconds'] * 1000:9.1f} ms {result['total']:6} hits{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a case may take")
    parser.add_argument("--line-mb", type=float, default=10.0, help="size of the long line")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the index without the context window"
    )
    parser.add_argument(
        "--only",
        choices=("transcript", "line", "word", "query"),
        action="append",
        help="run only these cases (repeatable); all by default",
    )
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    with tempfile.TemporaryDirectory(prefix="nato-browse-hostile-") as tmp:
        work = Path(tmp)
        only = set(args.only or ("transcript", "line", "word", "query"))
        if "transcript" in only:
            long_transcript(work, args.timeout, not args.no_baseline)
        if "line" in only:
            long_line(work, args.timeout, args.line_mb)
        if "word" in only:
            long_word(args.timeout)
        if "query" in only:
            long_query(work, args.timeout)


if __name__ == "__main__":
    main()
