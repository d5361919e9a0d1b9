"""Grouping of quotes ("one quote, many sources"): figures on the real corpus and timing at scale.

    .venv/bin/python benchmarks/grouping.py                  # real corpus, 100k and 1M quotes
    .venv/bin/python benchmarks/grouping.py --sizes 100000   # skip 1M

Real corpus: every document of ../shared/corpus/ read by the loaders, quotes extracted with their
speakers, then grouped: quotes, groups, groups of more than one, the largest groups.

Scale: synthetic quotes drawn from the real corpus. Statements are word-bigram chains over the
real quotes' words, as long as real quotes (lengths sampled from them, capped at 400 words), each
said by a real or made-up speaker. Each statement has 1 source (80%), 2 (12%), 3-5 (5%), 6-20
(2.5%) or 21-60 (0.5%); a further source is an exact copy (55%), a cosmetic variant (case, marks,
trailing punctuation; 10%), a dropped word (10%), an editor's "[insertion]" (5%), a fragment of
8 words or more (15%, of statements of 16 words or more) or the same text from "a spokesman"
(5%). Printed: wall and CPU time (the machine is shared), memory, the share of each kind of
variant found in its statement's group (misses by design: a dropped "not", texts under 5 words)
and the groups that join statements of different wording.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.grouping.groups import assign_groups, group_summary, normalise
from nato_browse.index.ingest.loaders import load_file
from nato_browse.index.model import Quote

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = 7


def real_quotes() -> list[Quote]:
    quotes: list[Quote] = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in {".csv", ".jsonl"}:
            continue
        loaded = load_file(path)
        for doc in loaded.documents:
            quotes.extend(extract_quotes(doc))
    return quotes


def report_real(quotes: list[Quote]) -> None:
    start = time.perf_counter()
    numbers = assign_groups(quotes)
    seconds = time.perf_counter() - start
    members: dict[int, list[Quote]] = {}
    for quote, number in zip(quotes, numbers, strict=True):
        members.setdefault(number, []).append(quote)
    multi = [m for m in members.values() if len(m) > 1]
    print(
        f"real corpus ({CORPUS}): {len(quotes)} quotes -> {len(members)} groups in {seconds:.2f} s"
    )
    print(f"  groups of more than one quote: {len(multi)} ({sum(map(len, multi))} quotes)")
    print(f"  texts that differ within a group: {sum(1 for m in multi if _differ(m))} groups")
    for group in sorted(multi, key=len, reverse=True)[:5]:
        info = group_summary(group)
        text = " ".join(info.text.split())[:60]
        print(f"  largest: {len(group)} sources, {info.speaker or '(no speaker)'}: {text!r}")


def _differ(group: list[Quote]) -> bool:
    return len({" ".join(q.text.casefold().split()) for q in group}) > 1


# --- synthetic quotes ---------------------------------------------------------------------------


class Generator:
    """Statements from a word-bigram chain over real quotes, and their sources."""

    def __init__(self, quotes: list[Quote], rng: np.random.Generator) -> None:
        self.rng = rng
        texts = [q.text.split() for q in quotes if len(q.text.split()) >= 3]
        self.lengths = np.array([min(len(t), 400) for t in texts])
        vocab = {w: i for i, w in enumerate(dict.fromkeys(w for t in texts for w in t))}
        self.words = np.array(list(vocab), dtype=object)
        first, second = [], []
        for t in texts:
            ids = [vocab[w] for w in t]
            first.extend(ids[:-1])
            second.extend(ids[1:])
        order = np.argsort(first, kind="stable")
        self.successors = np.array(second)[order]
        counts = np.bincount(np.array(first), minlength=len(vocab))
        self.offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.counts = counts
        self.starts = np.array([vocab[t[0]] for t in texts])
        names = Counter(q.speaker for q in quotes if q.named and q.speaker)
        made_up = [f"Speaker {i}" for i in range(5000)]
        self.speakers = [name for name, _ in names.most_common()] + made_up

    def statements(self, n: int) -> list[str]:
        """n texts; lengths sampled from the real quotes."""
        lengths = np.sort(self.rng.choice(self.lengths, size=n))[::-1]
        total = int(lengths.sum())
        out = np.zeros(total, dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        current = self.rng.choice(self.starts, size=n)
        for step in range(int(lengths[0])):
            active = int((lengths > step).sum())  # lengths are sorted, longest first
            cur = current[:active]
            out[offsets[:active] + step] = cur
            has_next = self.counts[cur] > 0
            pick = self.offsets[cur] + (self.rng.random(active) * self.counts[cur]).astype(np.int64)
            nxt = np.where(has_next, self.successors[np.minimum(pick, len(self.successors) - 1)], 0)
            restart = self.rng.choice(self.starts, size=active)
            current[:active] = np.where(has_next, nxt, restart)
        words = self.words[out]
        bounds = np.concatenate([offsets, [total]])
        texts = [" ".join(words[bounds[i] : bounds[i + 1]]) for i in range(n)]
        self.rng.shuffle(texts)
        return texts

    def quotes(self, size: int) -> tuple[list[Quote], list[int], list[str]]:
        """`size` quotes, the statement each comes from, and the kind of each."""
        rng = self.rng
        kinds_p = {"exact": 55, "cosmetic": 10, "dropped": 10, "inserted": 5, "fragment": 15}
        kinds_p["unnamed"] = 5
        kinds = list(kinds_p)
        weights = np.array(list(kinds_p.values()), dtype=float)
        weights /= weights.sum()
        # Sources per statement, expected ~1.76.
        buckets = [(1, 1), (2, 2), (3, 5), (6, 20), (21, 60)]
        shares = [0.80, 0.12, 0.05, 0.025, 0.005]
        statements = self.statements(int(size / 1.7) + 10)
        zipf = rng.zipf(1.3, size=len(statements)) % len(self.speakers)
        quotes: list[Quote] = []
        origin: list[int] = []
        kind_of: list[str] = []
        for s, text in enumerate(statements):
            lo, hi = buckets[rng.choice(len(buckets), p=shares)]
            n = int(rng.integers(lo, hi + 1))
            speaker = self.speakers[zipf[s]]
            for copy in range(n):
                kind = "base" if copy == 0 else kinds[rng.choice(len(kinds), p=weights)]
                variant, who, named, kind = self._variant(text, kind, speaker)
                day = int(rng.integers(0, 5000))
                date = str(np.datetime64("2009-01-01") + np.timedelta64(day, "D"))
                quotes.append(
                    Quote(
                        doc=f"d{len(quotes)}",
                        title="",
                        date=date,
                        text=variant,
                        start=0,
                        end=len(variant),
                        speaker=who,
                        named=named,
                    )
                )
                origin.append(s)
                kind_of.append(kind)
                if len(quotes) == size:
                    return quotes, origin, kind_of
        return quotes, origin, kind_of

    def _variant(self, text: str, kind: str, speaker: str) -> tuple[str, str, bool, str]:
        """The variant's text, speaker, named flag, and its kind ("exact" when the text is too
        short for the kind asked)."""
        rng = self.rng
        words = text.split()
        if kind == "cosmetic":
            marked = f"\u201c{text.upper() if rng.random() < 0.3 else text}.\u201d"
            return marked, speaker, True, kind
        if kind == "dropped" and len(words) >= 6:
            i = int(rng.integers(1, len(words) - 1))
            return " ".join(words[:i] + words[i + 1 :]), speaker, True, kind
        if kind == "inserted" and len(words) >= 4:
            i = int(rng.integers(1, len(words)))
            return " ".join([*words[:i], "[the Alliance]", *words[i:]]), speaker, True, kind
        if kind == "fragment" and len(words) >= 16:
            n = int(rng.integers(8, max(9, int(len(words) * 0.7))))
            i = int(rng.integers(0, len(words) - n + 1))
            return " ".join(words[i : i + n]), speaker, True, kind
        if kind == "unnamed":
            return text, "a spokesman", False, kind
        return text, speaker, True, "base" if kind == "base" else "exact"


def report_scale(generator: Generator, size: int) -> None:
    start = time.perf_counter()
    quotes, origin, kinds = generator.quotes(size)
    made = time.perf_counter() - start
    before = _reset_peak_memory()
    start, cpu = time.perf_counter(), time.process_time()
    numbers = assign_groups(quotes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    extra = _peak_memory() - before
    groups = len(set(numbers))
    base_group: dict[int, int] = {}
    base_text: dict[int, str] = {}
    for quote, number, statement, kind in zip(quotes, numbers, origin, kinds, strict=True):
        if kind == "base":
            base_group[statement] = number
            base_text[statement] = normalise(quote.text)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for number, statement, kind in zip(numbers, origin, kinds, strict=True):
        if kind != "base":
            total[kind] += 1
            found[kind] += number == base_group[statement]
    texts_in: dict[int, set[str]] = {}
    for number, statement in zip(numbers, origin, strict=True):
        texts_in.setdefault(number, set()).add(base_text[statement])
    mixed = sum(1 for texts in texts_in.values() if len(texts) > 1)
    words = sum(len(q.text.split()) for q in quotes)
    print(
        f"{size:>9,} quotes, {words / size:.0f} words each on average ({len(base_group):,} "
        f"statements, made in {made:.0f} s): grouped in {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"({size / cpu:,.0f} quotes per CPU second), {groups:,} groups; memory: "
        f"{before:,.0f} MB with the quotes loaded, {extra:+,.0f} MB at the peak of grouping"
    )
    print(
        "  variants found with their statement: "
        + ", ".join(f"{k} {found[k] / total[k]:.1%}" for k in sorted(total) if total[k])
    )
    print(
        f"  groups joining statements of different wording: {mixed:,} of {groups:,} (chance "
        "near-duplicates among the generated texts, e.g. one word apart)"
    )


def _reset_peak_memory() -> float:
    """The resident memory now (MB), after resetting the peak that _peak_memory reports (Linux;
    elsewhere the peak of the whole run)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_memory() -> float:
    try:
        return _status("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise OSError(f"no {field} in /proc/self/status")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    print(f"machine: {_machine()}")
    quotes = real_quotes()
    report_real(quotes)
    generator = Generator(quotes, np.random.default_rng(SEED))
    for size in args.sizes:
        report_scale(generator, size)
    return 0


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    sys.exit(main())
