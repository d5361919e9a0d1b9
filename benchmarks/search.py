"""Search speed of the quote index, side by side with SQLite FTS5 and tantivy on the same quotes.

    .venv/bin/pip install -e '.[bench]'              # tantivy (optional: its column is skipped)
    .venv/bin/python benchmarks/search.py            # real corpus, 10k, 100k
    .venv/bin/python benchmarks/search.py --million  # and 1M (slow: ~25 minutes in all)

Quotes: first those extracted from the real corpus (../shared/corpus via the loaders and the
extractor), then synthetic quotes drawn from the real corpus's vocabulary (word frequencies,
quote lengths, speakers and tags of real quotes, 5% repeated across documents) to 10k, 100k and
optionally 1M. For each size and engine, a fresh subprocess builds the index and another one
queries it, so peak memory (max RSS) is per step. For nato-browse, a third adds 1,000 new
quotes (125 new documents) to the built index, grouping and columns included ("add 1k s");
and, once, a fresh process builds an index of ../shared/corpus from its files, extraction
included (the first run a user makes on that corpus).

tantivy (its Python binding, the `[bench]` extra) runs with its default writer (a thread a
core); its keystroke is the same query (the words ANDed, the last one a regex prefix on the
stemmed terms) with the filter as a term, 200 hits fetched with their stored quote; facets are
its terms aggregations.

The keystroke workload types two-word phrases from real quotes one key at a time, the last word
a prefix, each with a speaker or a region filter, and asks for the top 200 hits with their
fields (Whoosh: `QuoteIndex.search`, which also computes the total and highlight spans; FTS5: a
bm25-ordered SELECT ... LIMIT 200 plus a count). Facets: speaker/topic/region/country counts
within the same result sets. Targets (issue 3): keystroke p95 < 16 ms at 100k and < 50 ms at 1M;
facets p95 < 50 ms at 100k.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CACHE = ROOT / "benchmarks" / ".cache"
SEED = 7
KEYSTROKE_PHRASES = 40
WORD = re.compile(r"\w+(?:['’]\w+)?")


# Quotes.


def real_quotes() -> list[dict]:
    """Quotes extracted from the real corpus (cached between runs)."""
    from nato_browse.index.extract.pipeline import extract_quotes
    from nato_browse.index.ingest.loaders import discover, fingerprint, load_file
    from nato_browse.index.tagging.tagger import Tagger

    files, _ = discover([CORPUS])
    key = "-".join(fingerprint(f)[:8] for f in files)
    cached = CACHE / f"real-{key}.jsonl"
    if cached.exists():
        return [json.loads(line) for line in cached.open(encoding="utf-8")]
    tagger = Tagger.default()
    quotes, seen = [], set()
    for path in files:
        for doc in load_file(path).documents:
            if doc.doc_id in seen:
                continue
            seen.add(doc.doc_id)
            quotes.extend(q.to_json() for q in extract_quotes(doc, tagger))
    CACHE.mkdir(parents=True, exist_ok=True)
    with cached.open("w", encoding="utf-8") as out:
        for q in quotes:
            out.write(json.dumps(q, ensure_ascii=False) + "\n")
    return quotes


def synthetic_quotes(real: list[dict], n: int, path: Path) -> None:
    """Write `n` quotes to `path` (JSON Lines): the real ones, then synthetic ones."""
    rng = np.random.default_rng(SEED)
    counts = Counter(w for q in real for w in WORD.findall(q["text"]))
    vocab = list(counts)
    p = np.array([counts[w] for w in vocab], dtype=np.float64)
    p /= p.sum()
    lengths = np.array([max(len(WORD.findall(q["text"])), 3) for q in real]).clip(3, 300)
    dates = sorted({q["date"] for q in real if q["date"]}) or ["2022-01-01"]
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for q in real[:n]:
            out.write(json.dumps(q, ensure_ascii=False) + "\n")
            texts.append(q["text"])
        made = len(texts)
        doc, in_doc = 0, 0
        chunk = 20_000
        while made < n:
            size = min(chunk, n - made)
            lens = rng.choice(lengths, size)
            words = rng.choice(len(vocab), int(lens.sum()), p=p)
            offsets = np.concatenate([[0], np.cumsum(lens)])
            models = rng.integers(0, len(real), size)
            repeat = rng.random(size) < 0.05
            picks = rng.integers(0, len(dates), size)
            for i in range(size):
                if repeat[i] and texts:
                    text = texts[int(rng.integers(0, len(texts)))]
                else:
                    text = " ".join(vocab[w] for w in words[offsets[i] : offsets[i + 1]]) + "."
                    if len(texts) < 50_000:
                        texts.append(text)
                model = real[int(models[i])]
                quote = dict(model)
                quote.update(
                    doc=f"synthetic-{doc:07d}",
                    title=f"Synthetic release {doc}",
                    date=dates[int(picks[i])],
                    text=text,
                    start=in_doc * 1000,
                    end=in_doc * 1000 + len(text),
                    context=text,
                    context_start=in_doc * 1000,
                    source="synthetic",
                )
                out.write(json.dumps(quote, ensure_ascii=False) + "\n")
                in_doc += 1
                if in_doc == 8:
                    doc, in_doc = doc + 1, 0
            made += size


def read_quotes(path: Path):
    from nato_browse.index.model import Quote

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield Quote.from_json(json.loads(line))


def workload(real: list[dict], phrases: int = KEYSTROKE_PHRASES) -> list[tuple[str, str, str]]:
    """(typed text, filter kind, filter value): phrases typed key by key."""
    rng = random.Random(SEED)
    # People by name (every word capitalised): a role ("the President") may stand for several
    # speakers, which the app asks the user to choose between rather than filter by.
    named = (q["speaker"] for q in real if q.get("named", True))
    people = (s for s in named if len(s.split()) >= 2 and all(w[:1].isupper() for w in s.split()))
    speakers = [s for s, _ in Counter(people).most_common(20)]
    regions = [r for r, _ in Counter(r for q in real for r in q["regions"]).most_common(10)]
    steps = []
    candidates = [q for q in real if len(WORD.findall(q["text"])) >= 6]
    for _ in range(phrases):
        words = [w for w in WORD.findall(rng.choice(candidates)["text"]) if len(w) >= 4]
        if len(words) < 2:
            continue
        i = rng.randrange(len(words) - 1)
        phrase = f"{words[i]} {words[i + 1]}".lower()
        kind = rng.choice(["speaker", "region"])
        value = rng.choice(speakers if kind == "speaker" else regions)
        for end in range(1, len(phrase) + 1):
            if phrase[end - 1] != " ":
                steps.append((phrase[:end], kind, value))
    return steps


def percentiles(samples: list[float]) -> tuple[float, float]:
    a = np.array(samples) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def timed_workload(t0: float, steps: list, keystroke, facets) -> dict:  # type: ignore[no-untyped-def]
    """The first keystroke (timed from `t0`, the open), then every step's keystroke and facets."""
    keystroke(*steps[0])
    first = time.perf_counter() - t0
    keys, facet_times = [], []
    for step in steps:
        t = time.perf_counter()
        keystroke(*step)
        keys.append(time.perf_counter() - t)
        t = time.perf_counter()
        facets(*step)
        facet_times.append(time.perf_counter() - t)
    return {"open_first_s": first, "key": percentiles(keys), "facets": percentiles(facet_times)}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# Whoosh (QuoteIndex).


def whoosh_build(quotes_path: Path, index_dir: Path) -> dict:
    from nato_browse.index.store.build import index_quotes

    shutil.rmtree(index_dir, ignore_errors=True)
    marks: dict[str, float] = {}

    def progress(done: int, total: int | None, what: str) -> None:
        if what == "grouping quotes":
            marks["grouping"] = time.perf_counter()

    t0 = time.perf_counter()
    report = index_quotes(read_quotes(quotes_path), index_dir, progress=progress)
    seconds = time.perf_counter() - t0
    grouping = seconds - (marks.get("grouping", t0 + seconds) - t0)
    return {
        "quotes": report.quotes,
        "build_s": seconds,
        "grouping_s": grouping,
        "size_mb": folder_mb(index_dir),
        "build_peak_mb": peak_mb(),
    }


def whoosh_query(index_dir: Path, steps: list[tuple[str, str, str]]) -> dict:
    from nato_browse.index.api import Filters
    from nato_browse.index.search.quote_index import QuoteIndex

    def filters(kind: str, value: str) -> Filters:
        return Filters(speakers=(value,)) if kind == "speaker" else Filters(regions=(value,))

    t0 = time.perf_counter()
    ix = QuoteIndex.open(index_dir)
    ix.search(steps[0][0], filters(*steps[0][1:]))
    first = time.perf_counter() - t0
    keys, facets, totals = [], [], []
    for text, kind, value in steps:
        f = filters(kind, value)
        t = time.perf_counter()
        result = ix.search(text, f, limit=200)
        keys.append(time.perf_counter() - t)
        totals.append(result.total)
        t = time.perf_counter()
        ix.facets(text, f)
        facets.append(time.perf_counter() - t)
    hostile = {name: _timed(lambda q=q: ix.search(q)) for name, q in HOSTILE.items()}
    ix.close()
    return {
        "open_first_s": first,
        "key": percentiles(keys),
        "facets": percentiles(facets),
        "mean_total": float(np.mean(totals)),
        "query_peak_mb": peak_mb(),
        "hostile_ms": hostile,
    }


# Queries a person may paste or mistype (issue 14): each is cut or bounded in the core.
HOSTILE = {
    "a 10,000-letter word": "x" * 10_000,
    "a 10,000-character query": "ukraine support allies " * 435,
    "fuzzy word~": "ukrane~",
    "one-letter prefix*": "a*",
    "*wildcard": "*tion",
}


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    call()
    return (time.perf_counter() - t) * 1000


# SQLite FTS5.

_FTS_SCHEMA = """
CREATE TABLE quotes(id INTEGER PRIMARY KEY, text TEXT, speaker TEXT, role TEXT, date TEXT,
                    title TEXT, url TEXT, doc TEXT, start INTEGER);
CREATE TABLE tags(quote INTEGER, kind TEXT, value TEXT);
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',
                                           tokenize='porter unicode61', prefix='1 2 3');
"""


def sqlite_build(quotes_path: Path, db: Path) -> dict:
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.executescript(_FTS_SCHEMA)
    rows, tags, n = [], [], 0
    for i, q in enumerate(read_quotes(quotes_path)):
        rows.append((i, q.text, q.speaker, q.role, q.date, q.title, q.url, q.doc, q.start))
        for kind, values in (("topic", q.topics), ("region", q.regions), ("country", q.countries)):
            tags.extend((i, kind, v) for v in values)
        n += 1
        if len(rows) >= 5000:
            con.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?)", rows)
            con.executemany("INSERT INTO tags VALUES (?,?,?)", tags)
            rows, tags = [], []
    con.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO tags VALUES (?,?,?)", tags)
    con.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
    con.execute("CREATE INDEX quotes_speaker ON quotes(speaker)")
    con.execute("CREATE INDEX tags_value ON tags(kind, value, quote)")
    con.execute("CREATE INDEX tags_quote ON tags(quote)")
    con.commit()
    con.close()
    return {
        "quotes": n,
        "build_s": time.perf_counter() - t0,
        "size_mb": folder_mb(db),
        "build_peak_mb": peak_mb(),
    }


def fts_expression(text: str) -> str | None:
    words = WORD.findall(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words[:-1]]
    last = words[-1]
    parts.append(f'"{last}"*' if not text.endswith(" ") else f'"{last}"')
    return " AND ".join(parts)


_FTS_FROM = "FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid WHERE quotes_fts MATCH ? AND "


def sqlite_query(db: Path, steps: list[tuple[str, str, str]]) -> dict:
    t0 = time.perf_counter()
    con = sqlite3.connect(db)

    def where(kind: str) -> str:
        if kind == "speaker":
            return "q.speaker = ?"
        return "q.id IN (SELECT quote FROM tags WHERE kind = 'region' AND value = ?)"

    def keystroke(text: str, kind: str, value: str) -> int:
        expr = fts_expression(text)
        base = _FTS_FROM + where(kind)
        con.execute(
            f"SELECT q.*, bm25(quotes_fts) AS score {base} ORDER BY score LIMIT 200", (expr, value)
        ).fetchall()
        return con.execute(f"SELECT count(*) {base}", (expr, value)).fetchone()[0]

    def facets(text: str, kind: str, value: str) -> None:
        # The matches once into a temporary table, then one GROUP BY per facet.
        expr = fts_expression(text)
        con.execute("DROP TABLE IF EXISTS temp.hits")
        con.execute(
            f"CREATE TEMP TABLE hits AS SELECT q.id AS id, q.speaker AS speaker "
            f"{_FTS_FROM}{where(kind)}",
            (expr, value),
        )
        con.execute("SELECT speaker, count(*) FROM hits GROUP BY speaker").fetchall()
        con.execute(
            "SELECT t.kind, t.value, count(*) FROM tags t JOIN hits h ON t.quote = h.id "
            "GROUP BY t.kind, t.value"
        ).fetchall()

    result = timed_workload(t0, steps, keystroke, facets)
    con.close()
    return {
        **result,
        "query_peak_mb": peak_mb(),
    }


# tantivy.


def _tantivy_schema():  # type: ignore[no-untyped-def]
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", tokenizer_name="en_stem")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("role", tokenizer_name="default")
    for name in ("speaker", "topic", "region", "country"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("date", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("quote", stored=True, indexed=False)
    return builder.build()


def tantivy_build(quotes_path: Path, folder: Path) -> dict:
    import tantivy

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    index = tantivy.Index(_tantivy_schema(), path=str(folder))
    writer = index.writer(heap_size=512_000_000)
    n = 0
    for q in read_quotes(quotes_path):
        doc = tantivy.Document()
        doc.add_text("text", q.text)
        doc.add_text("title", q.title)
        doc.add_text("role", q.role)
        doc.add_text("speaker", q.speaker)
        for name, values in (("topic", q.topics), ("region", q.regions), ("country", q.countries)):
            for value in values:
                doc.add_text(name, value)
        doc.add_text("date", q.date)
        doc.add_text("doc", q.doc)
        doc.add_bytes("quote", json.dumps(q.to_json(), ensure_ascii=False).encode("utf-8"))
        writer.add_document(doc)
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    return {
        "quotes": n,
        "build_s": time.perf_counter() - t0,
        "size_mb": folder_mb(folder),
        "build_peak_mb": peak_mb(),
    }


def tantivy_query(folder: Path, steps: list[tuple[str, str, str]]) -> dict:
    import tantivy
    from nato_browse.index.model import Quote

    t0 = time.perf_counter()
    index = tantivy.Index.open(str(folder))
    schema = index.schema
    searcher = index.searcher()

    def query(text: str, kind: str, value: str):  # type: ignore[no-untyped-def]
        words = WORD.findall(text.lower())
        parts = []
        whole = words if text.endswith(" ") else words[:-1]
        if whole:
            # Each word quoted, as for FTS5: "let's" is a syntax error to tantivy's parser.
            parsed = index.parse_query(" AND ".join(f'"{w}"' for w in whole), ["text"])
            parts.append((tantivy.Occur.Must, parsed))
        if words and not text.endswith(" "):
            prefix = re.escape(words[-1]) + ".*"
            parts.append((tantivy.Occur.Must, tantivy.Query.regex_query(schema, "text", prefix)))
        parts.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, kind, value)))
        return tantivy.Query.boolean_query(parts)

    def keystroke(text: str, kind: str, value: str) -> int:
        result = searcher.search(query(text, kind, value), limit=200, count=True)
        for _, address in result.hits:
            data = searcher.doc(address)["quote"][0]
            Quote.from_json(json.loads(data))
        return result.count

    aggregation = {
        name: {"terms": {"field": name, "size": 10_000}}
        for name in ("speaker", "topic", "region", "country")
    }

    def facets(text: str, kind: str, value: str) -> None:
        searcher.aggregate(query(text, kind, value), aggregation)

    steps = [(t, "speaker" if k == "speaker" else "region", v) for t, k, v in steps]
    return {
        **timed_workload(t0, steps, keystroke, facets),
        "query_peak_mb": peak_mb(),
    }


# nato-browse: adding to a built index, and the first build of a real corpus.


def whoosh_add(quotes_path: Path, index_dir: Path, n: int = 1000) -> dict:
    """Add `n` new quotes (new documents) to the index, grouping and columns included."""
    import itertools

    from nato_browse.index.model import Quote
    from nato_browse.index.store.build import index_quotes

    added = []
    for i, q in enumerate(itertools.islice(read_quotes(quotes_path), n)):
        added.append(Quote.from_json({**q.to_json(), "doc": f"added-{i // 8:05d}"}))
    t0 = time.perf_counter()
    report = index_quotes(added, index_dir, add=True)
    return {"add_s": time.perf_counter() - t0, "quotes": report.quotes, "add_peak_mb": peak_mb()}


def corpus_build(folder: Path) -> dict:
    """The first build of ../shared/corpus in a fresh process, from its files."""
    t0 = time.perf_counter()
    from nato_browse.index.store.build import build_index

    shutil.rmtree(folder, ignore_errors=True)
    report = build_index([CORPUS], folder)
    return {
        "seconds": time.perf_counter() - t0,
        "documents": report.documents,
        "quotes": report.quotes,
        "peak_mb": peak_mb(),
    }


# Driver.


def child(args: argparse.Namespace) -> None:
    """One step in a fresh process; prints its figures as JSON."""
    steps = [tuple(s) for s in json.loads(Path(args.steps).read_text())] if args.steps else []
    path, target = Path(args.quotes), Path(args.target)
    steps_of = {
        "whoosh-build": lambda: whoosh_build(path, target),
        "whoosh-query": lambda: whoosh_query(target, steps),
        "whoosh-add": lambda: whoosh_add(path, target),
        "corpus-build": lambda: corpus_build(target),
        "sqlite-build": lambda: sqlite_build(path, target),
        "sqlite-query": lambda: sqlite_query(target, steps),
        "tantivy-build": lambda: tantivy_build(path, target),
        "tantivy-query": lambda: tantivy_query(target, steps),
    }
    result = steps_of[args.step]()
    print(json.dumps(result))


def run_child(
    step: str, quotes: Path, target: Path, steps: Path | None = None, limit: float | None = None
) -> dict | None:
    """The child's figures, or None when it ran past `limit` seconds (it is killed)."""
    cmd = [sys.executable, __file__, "--child", step, "--quotes", str(quotes)]
    cmd += ["--target", str(target)] + (["--steps", str(steps)] if steps else [])
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--million", action="store_true", help="also 1M quotes (slow)")
    parser.add_argument(
        "--query-limit",
        type=float,
        default=600.0,
        help="seconds one engine's query run may take before it is reported as too slow",
    )
    parser.add_argument("--sizes", default="10000,100000", help="synthetic sizes, comma separated")
    parser.add_argument("--engines", default="whoosh,sqlite,tantivy")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus's first build")
    parser.add_argument("--keep", action="store_true", help="reuse indexes already built")
    parser.add_argument(
        "--phrases", type=int, default=KEYSTROKE_PHRASES, help="phrases typed (about 12 keys each)"
    )
    parser.add_argument("--child", dest="step", help=argparse.SUPPRESS)
    parser.add_argument("--quotes", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--steps", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args)
        return

    from rich.console import Console
    from rich.table import Table

    console = Console(width=150)
    console.print("reading the real corpus...")
    real = real_quotes()
    sizes = [len(real), *(int(s) for s in args.sizes.split(",") if s)]
    if args.million:
        sizes.append(1_000_000)
    CACHE.mkdir(parents=True, exist_ok=True)
    # Byte-compiled first, as an installed package is and as a user's first run leaves it (with
    # PYTHONDONTWRITEBYTECODE set, each child would compile its ~50 modules again: ~0.2 s).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", ROOT / "index", ROOT / "tui"], check=True
    )
    steps_path = CACHE / "steps.json"
    steps = workload(real, args.phrases)
    steps_path.write_text(json.dumps(steps))
    engines = args.engines.split(",")
    if "tantivy" in engines:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            console.print("tantivy is not installed (pip install -e '.[bench]'): skipped")
            engines.remove("tantivy")
    names = {"whoosh": "nato-browse", "sqlite": "SQLite FTS5", "tantivy": "tantivy"}

    table = Table(title=f"Quote search: {len(steps)} keystrokes with a speaker or region filter")
    for col in (
        "quotes",
        "engine",
        "keystroke p50/p95 ms",
        "facets p50/p95 ms",
        "build q/s",
        "grouping s",
        "add 1k s",
        "size MB",
        "open+1st query s",
        "peak MB build/query",
    ):
        table.add_column(col, justify="right")
    for n in sizes:
        quotes_path = CACHE / f"quotes-{n}.jsonl"
        if not quotes_path.exists():
            console.print(f"generating {n} quotes...")
            synthetic_quotes(real, n, quotes_path)
        for engine in engines:
            suffix = {"whoosh": "", "sqlite": ".sqlite", "tantivy": ".tantivy"}[engine]
            target = CACHE / f"{engine}-{n}{suffix}"
            console.print(f"{engine}: {n} quotes: building...")
            built_file = CACHE / f"{target.name}.build.json"
            if args.keep and built_file.exists() and target.exists():
                built = json.loads(built_file.read_text())
            else:
                built = run_child(f"{engine}-build", quotes_path, target)
                built_file.write_text(json.dumps(built))
            console.print(f"{engine}: {n} quotes: querying...")
            queried = run_child(
                f"{engine}-query", quotes_path, target, steps_path, limit=args.query_limit
            )
            if engine == "whoosh" and queried is not None:
                (CACHE / f"whoosh-{n}.query.json").write_text(json.dumps(queried))
            added = None
            if engine == "whoosh":
                console.print(f"{engine}: {n} quotes: adding 1,000...")
                added = run_child("whoosh-add", quotes_path, target)
            # (SQLite's prefix queries at 1M took over 40 CPU-minutes here: the run is bounded.)
            slow = f"over {args.query_limit:g} s"
            table.add_row(
                f"{built['quotes']:,}",
                names[engine],
                "{:.1f} / {:.1f}".format(*queried["key"]) if queried else slow,
                "{:.1f} / {:.1f}".format(*queried["facets"]) if queried else "-",
                f"{built['quotes'] / built['build_s']:,.0f}",
                f"{built['grouping_s']:.1f}" if "grouping_s" in built else "-",
                f"{added['add_s']:.1f}" if added else "-",
                f"{built['size_mb']:.0f}",
                f"{queried['open_first_s']:.2f}" if queried else "-",
                f"{built['build_peak_mb']:.0f} / "
                + (f"{queried['query_peak_mb']:.0f}" if queried else "-"),
            )
    console.print(table)
    for n in sizes:
        whoosh_file = CACHE / f"whoosh-{n}.query.json"
        if whoosh_file.exists():
            hostile = json.loads(whoosh_file.read_text()).get("hostile_ms", {})
            figures = ", ".join(f"{k} {v:.0f} ms" for k, v in hostile.items())
            console.print(f"nato-browse, {n:,} quotes, hostile queries: {figures}")
    if not args.no_corpus:
        corpus = run_child("corpus-build", CACHE / "quotes-corpus.unused", CACHE / "corpus-index")
        assert corpus is not None
        console.print(
            f"First build of ../shared/corpus from its files (a fresh process, extraction "
            f"included): {corpus['seconds']:.1f} s, {corpus['documents']:,} documents, "
            f"{corpus['quotes']:,} quotes, peak {corpus['peak_mb']:.0f} MB"
        )
    import whoosh

    console.print(
        f"machine: {os.cpu_count()} cpus, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}; whoosh3 {'.'.join(map(str, whoosh.__version__))}; "
        f"SQLite {sqlite3.sqlite_version}; numpy {np.__version__}; "
        f"tantivy {_version('tantivy')}"
    )
    console.print(
        "nato-browse's 'build q/s' includes grouping (over all quotes) and the columns; its "
        "keystroke includes the total, highlight spans and group collapsing; 'add 1k s' adds "
        "1,000 quotes to the built index, grouping included."
    )


if __name__ == "__main__":
    main()
