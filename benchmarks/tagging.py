"""Tagging throughput over ../shared/corpus/, and the tags it finds there.

Prints MB/s and documents/s of `Tagger.tag` on every document body (the fastest of --repeat
runs: the machine is shared), then the 20 most frequent topics, countries and regions per corpus
file (documents tagged), so the taxonomies in data/ can be judged by eye on real text.

    .venv/bin/python benchmarks/tagging.py [--corpus DIR] [--top N] [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from nato_browse.index.tagging.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def read_bodies(path: Path) -> list[str]:
    """The document texts of one corpus file (CSV `body` column, JSONL `text` field)."""
    if path.suffix == ".csv":
        csv.field_size_limit(sys.maxsize)
        with path.open(encoding="utf-8", newline="") as handle:
            return [row["body"] for row in csv.DictReader(handle)]
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per file; the fastest counts"
    )
    args = parser.parse_args()

    files = sorted([*args.corpus.glob("*.csv"), *args.corpus.glob("*.jsonl")])
    if not files:
        print(f"no .csv or .jsonl files in {args.corpus}", file=sys.stderr)
        return 1
    corpora = {f.name: read_bodies(f) for f in files}

    start = time.perf_counter()
    tagger = Tagger.default()
    print(
        f"taxonomy loaded and compiled in {(time.perf_counter() - start) * 1000:.0f} ms: "
        f"{len(tagger.topic_names)} topics, {len(tagger.country_names)} countries, "
        f"{len(tagger.region_names)} regions"
    )

    total_chars = total_docs = 0
    elapsed = 0.0
    for name, bodies in corpora.items():
        counts: dict[str, Counter[str]] = {k: Counter() for k in ("topics", "countries", "regions")}
        untagged = 0
        spent = float("inf")
        for _ in range(max(1, args.repeat)):  # the machine is shared: keep the fastest run
            start = time.perf_counter()
            results = [tagger.tag(body) for body in bodies]
            spent = min(spent, time.perf_counter() - start)
        elapsed += spent
        chars = sum(len(b) for b in bodies)
        total_chars += chars
        total_docs += len(bodies)
        for tags in results:
            for kind, counter in counts.items():
                counter.update(getattr(tags, kind))
            untagged += not (tags.topics or tags.countries or tags.regions)
        print(
            f"\n== {name}: {len(bodies)} documents, {chars / 1e6:.1f} M chars, "
            f"{chars / 1e6 / spent:.1f} MB/s, {len(bodies) / spent:.0f} docs/s, "
            f"{untagged} with no tag"
        )
        for kind, counter in counts.items():
            top = ", ".join(f"{k} {v}" for k, v in counter.most_common(args.top))
            print(f"  {kind}: {top}")

    print(
        f"\nall: {total_docs} documents, {total_chars / 1e6:.1f} M chars in {elapsed:.2f} s: "
        f"{total_chars / 1e6 / elapsed:.1f} MB/s, {total_docs / elapsed:.0f} docs/s "
        "(one core; characters counted as bytes of text)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
