"""What reading around a quote and sending keys in bursts cost (issue 12).

    .venv/bin/python benchmarks/reader.py
    .venv/bin/python benchmarks/reader.py --documents 600 --paragraphs 400

Generated documents (words from a fixed list, quotes by a few speakers; no corpus text):
- the reader: wrapping a long document (1 MB) at 100 columns, and `o` to a drawn document, in
  the app (headless, 120x35), beside Enter to the full-screen quote;
- the list: `G` (the last of all the results) and `g` back, on an index of every quote;
- the keys: a 24-key paste into the search box, and a burst of 40 navigation keys, routed by
  the app's key sequencer and, side by side in the same run, straight as Textual routes them
  (the keys the sequencer exists for land elsewhere then: the figure is only its cost).
Each figure is the median of --runs runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Words of the generated documents (a made-up vocabulary, no corpus text).
VOCABULARY = (
    "alliance ministers patrol convoy harbour airfield radar brigade corridor winter ports "
    "bridges grain cables drones sanctions pledge summit reform budget veterans border "
    "satellites frigates shells training logistics exercise deterrence resilience"
)
WORDS = tuple(VOCABULARY.split())
SPEAKERS = ("Jens Stoltenberg", "Kaja Kallas", "Mark Rutte", "Antony Blinken")


def write_documents(folder: Path, documents: int, paragraphs: int, seed: int = 12) -> None:
    """Markdown releases: `paragraphs` paragraphs each, every fifth a quote."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(documents):
        lines = ["---", f"title: Generated release {d}", f"date: 2023-{d % 12 + 1:02d}-01", "---"]
        for p in range(paragraphs):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
            if p % 5 == 0:
                speaker = rng.choice(SPEAKERS)
                lines.append(f'"We discussed {words} today," NATO official {speaker} said.')
            else:
                lines.append(words.capitalize() + ".")
        (folder / f"release-{d:04d}.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:8.1f} ms"


def bench_wrap(runs: int) -> None:
    from nato_browse.tui.document_lines import wrap

    rng = random.Random(3)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(2500)]
    text = "\n\n".join(paragraphs)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        lines = wrap(text, 100)
        times.append(time.perf_counter() - started)
    print(
        f"wrap {len(text) / 1e6:.1f} MB at 100 columns ({len(lines):,} lines): {median_ms(times)}",
        flush=True,
    )


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until every message is handled, no worker runs and the key sequencer is idle."""
    app = pilot.app
    for _ in range(2000):
        await pilot._wait_for_screen()  # the messages queued so far, keys among them
        if app.keys.idle and all(w.is_finished for w in app.workers):
            await pilot._wait_for_screen()
            if app.keys.idle and all(w.is_finished for w in app.workers):
                return
        await asyncio.sleep(0.001)
    raise RuntimeError("the app never settled")


async def bench_app(index_dir: Path, runs: int) -> None:
    from nato_browse.tui.app import AppSettings, NatoBrowseApp
    from nato_browse.tui.screens.reader import ReaderScreen
    from nato_browse.tui.widgets.quote_list import QuoteList
    from textual import events

    timings: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        timings.setdefault(name, []).append(seconds)

    for _ in range(runs):
        with tempfile.TemporaryDirectory() as config:
            app = NatoBrowseApp(AppSettings(index_dir=index_dir, config_dir=Path(config)))
            async with app.run_test(size=(120, 35)) as pilot:
                while app.main.result is None:  # the index opens in a worker
                    await asyncio.sleep(0.01)
                await _settled(pilot)
                total = app.main.result.total
                quotes = app.main.query_one(QuoteList)
                await pilot.press("down")
                await _settled(pilot)

                started = time.perf_counter()
                app.post_message(events.Key("G", "G"))
                await _settled(pilot)
                record(f"G to the last of {total:,} results", time.perf_counter() - started)
                assert quotes.place == total - 1, (
                    quotes.place,
                    total,
                    app.focused,
                    quotes.fetching,
                )
                started = time.perf_counter()
                app.post_message(events.Key("g", "g"))
                await _settled(pilot)
                record("g back to the first", time.perf_counter() - started)

                # Side by side: Enter, the full-screen quote (a screen of a few widgets).
                started = time.perf_counter()
                app.post_message(events.Key("enter", None))
                await _settled(pilot)
                await pilot.pause()
                record(
                    "Enter: the full-screen quote (for comparison)", time.perf_counter() - started
                )
                await pilot.press("escape")
                await _settled(pilot)

                started = time.perf_counter()
                app.post_message(events.Key("o", "o"))
                await _settled(pilot)
                await pilot.pause()
                record("o: the document read, laid out and drawn", time.perf_counter() - started)
                assert isinstance(app.screen, ReaderScreen) and app.screen.ready
                await pilot.press("escape")
                await _settled(pilot)

                for routed in ("sequenced", "straight"):
                    if routed == "straight":
                        app.keys.take = lambda event: True  # type: ignore[method-assign]
                    await pilot.press("slash")
                    await _settled(pilot)
                    paste = "undersea infrastructure"
                    started = time.perf_counter()
                    for ch in paste:
                        app.post_message(events.Key("space" if ch == " " else ch, ch))
                    await _settled(pilot)
                    record(f"paste of {len(paste)} keys, {routed}", time.perf_counter() - started)
                    await pilot.press("escape", "down")
                    await _settled(pilot)
                    started = time.perf_counter()
                    for key in ["j", "k"] * 20:
                        app.post_message(events.Key(key, key))
                    await _settled(pilot)
                    record(f"burst of 40 list keys, {routed}", time.perf_counter() - started)
                    await pilot.press("escape")
                    await _settled(pilot)
    for name, times in timings.items():
        print(f"{name}: {median_ms(times)}")
    opened = statistics.median(timings["o: the document read, laid out and drawn"])
    detail = statistics.median(timings["Enter: the full-screen quote (for comparison)"])
    print(f"o / Enter = {opened / detail:.2f}")
    for what in ("paste of 23 keys", "burst of 40 list keys"):
        sequenced = statistics.median(timings[f"{what}, sequenced"])
        straight = statistics.median(timings[f"{what}, straight"])
        print(f"{what}: sequenced / straight = {sequenced / straight:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300, help="documents generated")
    parser.add_argument("--paragraphs", type=int, default=100, help="paragraphs a document")
    parser.add_argument("--runs", type=int, default=5, help="runs a figure")
    args = parser.parse_args()
    from nato_browse.index import build_index

    bench_wrap(args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        docs, index_dir = Path(tmp) / "docs", Path(tmp) / "index"
        write_documents(docs, args.documents, args.paragraphs)
        report = build_index([docs], index_dir)
        print(f"index: {report.documents:,} documents, {report.quotes:,} quotes", flush=True)
        asyncio.run(bench_app(index_dir, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
