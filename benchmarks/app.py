"""How quick the app feels: start-up to the first painted screen, and keystroke to updated list.

    .venv/bin/python benchmarks/app.py                   # seed index, 10k and 100k quotes
    .venv/bin/python benchmarks/app.py --sizes 10000     # fewer sizes

Start-up: the installed `nato-browse` runs in a pseudo-terminal (a real tty, as in a terminal
emulator) with an existing index; with NATO_BROWSE_PROBE set, the app writes the wall-clock time
of its first frame (Textual's Ready event: the first screen painted) and of its first results on
screen, then exits. Times are from just before the process is spawned, so interpreter start-up
and every import count.

Keystrokes: the app runs in-process (Textual's headless driver, 120x40) on indexes of 10k and
100k quotes made by benchmarks/search.py's generator and builder (kept in benchmarks/.cache as
app-whoosh-N and reused while they open). Two-word phrases from real quotes are typed one key
at a time, a key every GAP seconds (a brisk typist; quicker keys are coalesced by design, see
screens/main.py). Each latency runs from the key event to the list holding that query's
results (ResultsShown, posted right after the list's options are replaced), and to the next
frame composed (what Textual's refresh timer does next: layout and render; the headless driver
skips only the write to the terminal). Targets (issue 4): first screen < 0.5 s; keystroke p95
< 50 ms at 100k.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).parent / "nato-browse"
GAP = 0.15  # seconds between keystrokes


def _search_bench():  # type: ignore[no-untyped-def]
    """benchmarks/search.py as a module: its corpus-derived quotes and index builder."""
    spec = importlib.util.spec_from_file_location("search_bench", ROOT / "benchmarks" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def index_for(n: int, bench) -> Path:  # type: ignore[no-untyped-def]
    """An index of the search benchmark's `n` quotes, built its way when missing or unreadable."""
    from nato_browse.index.api import NatoBrowseError
    from nato_browse.index.search.quote_index import QuoteIndex

    # Our own copy: the search benchmark rebuilds its indexes in place when it runs.
    target = bench.CACHE / f"app-whoosh-{n}"
    try:
        QuoteIndex.open(target).close()
        return target
    except NatoBrowseError:
        pass
    quotes_path = bench.CACHE / f"quotes-{n}.jsonl"
    if not quotes_path.exists():
        print(f"generating {n:,} quotes...", flush=True)
        bench.CACHE.mkdir(parents=True, exist_ok=True)
        bench.synthetic_quotes(bench.real_quotes(), n, quotes_path)
    print(f"building the {n:,}-quote index...", flush=True)
    bench.whoosh_build(quotes_path, target)
    return target


def seed_index(folder: Path) -> Path:
    from nato_browse.index.paths import DEFAULT_CORPUS
    from nato_browse.index.store.build import build_index

    build_index([DEFAULT_CORPUS], folder)
    return folder


# ---------------------------------------------------------------------- start-up


def start_once(
    command: list[str], index_dir: Path, size: tuple[int, int] = (120, 40)
) -> tuple[float, float, float]:
    """Seconds from spawn to the first frame and to the first results, in a real pty, and the
    CPU seconds the process used in all (it exits right after its first results)."""
    import fcntl
    import struct
    import termios

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe"
        env = {
            **os.environ,
            "NATO_BROWSE_PROBE": str(probe),
            "NATO_BROWSE_CONFIG_DIR": tmp,
            "TERM": "xterm-256color",
        }
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))

        def drain() -> None:  # the app blocks if nobody reads what it draws
            try:
                while os.read(master, 65536):
                    pass
            except OSError:
                pass

        threading.Thread(target=drain, daemon=True).start()
        started = time.time()
        process = subprocess.Popen(
            [*command, "--index-dir", str(index_dir)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        killer = threading.Timer(60, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            killer.cancel()
            os.close(master)
        marks = dict(line.split() for line in probe.read_text().splitlines())
    cpu = usage.ru_utime + usage.ru_stime
    return float(marks["ready"]) - started, float(marks["results"]) - started, cpu


# ---------------------------------------------------------------------- keystrokes


async def type_phrases(
    index_dir: Path, phrases: list[str]
) -> tuple[list[float], list[float], list[float]]:
    """Per key: seconds to the list holding the new results, to the new frame composed, and
    the main thread's CPU seconds for that frame."""
    from nato_browse.index.paths import DEFAULT_CORPUS
    from nato_browse.tui.app import AppSettings, NatoBrowseApp
    from nato_browse.tui.messages import ResultsShown
    from textual import events

    shown: list[tuple[float, str]] = []

    def hook(message: object) -> None:
        if isinstance(message, ResultsShown):
            shown.append((time.perf_counter(), message.result.query))

    app = NatoBrowseApp(AppSettings(index_dir=index_dir, default_corpus=DEFAULT_CORPUS))
    to_list: list[float] = []
    to_frame: list[float] = []
    frame_cpu: list[float] = []
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        while app.main.result is None:
            await pilot.pause(0.05)
        search = app.main.query_one("#search")
        for phrase in phrases:
            search.value = ""  # type: ignore[attr-defined]
            await pilot.pause(GAP)
            for end in range(1, len(phrase) + 1):
                query, key = phrase[:end], phrase[end - 1]
                shown.clear()
                started = time.perf_counter()
                app.post_message(events.Key("space" if key == " " else key, key))
                while not any(q == query for _, q in shown):
                    await asyncio.sleep(0.0005)
                    if time.perf_counter() - started > 10:
                        raise RuntimeError(f"no results for {query!r} after 10 s")
                to_list.append(next(t for t, q in shown if q == query) - started)
                # What Textual's refresh timer would do next: lay out and compose the frame.
                cpu = time.thread_time()
                app.screen._on_timer_update()
                frame_cpu.append(time.thread_time() - cpu)
                to_frame.append(time.perf_counter() - started)
                await asyncio.sleep(max(0.0, GAP - (time.perf_counter() - started)))
    return to_list, to_frame, frame_cpu


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="index sizes, comma separated")
    parser.add_argument("--runs", type=int, default=5, help="start-ups timed per index")
    parser.add_argument("--phrases", type=int, default=12, help="phrases typed per size")
    parser.add_argument("--no-startup", action="store_true", help="keystrokes only")
    args = parser.parse_args()
    if not COMMAND.exists():
        sys.exit(f"{COMMAND} is missing: install the project (pip install -e .)")

    bench = _search_bench()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {"seed": seed_index(Path(tmp) / "seed")}
        indexes.update({f"{n:,}": index_for(n, bench) for n in sizes})
        commands = {
            "nato-browse": [str(COMMAND)],
            # The app's own share: the same app without the CLI's other subcommand parsers.
            "app module alone": [sys.executable, "-m", "nato_browse.tui.cli.app"],
        }
        if args.no_startup:
            commands = {}
        print(f"\nstart-up, {args.runs} runs each (median, worst), target first screen < 500 ms")
        for label, command in commands.items():
            print(f"  {label}:")
            for name, index_dir in indexes.items():
                start_once(command, index_dir)  # warm the file cache, as after any first run
                runs = [start_once(command, index_dir) for _ in range(args.runs)]
                ready, results, cpu = ([r[i] for r in runs] for i in range(3))
                print(
                    f"    {name:>8} quotes: first screen {statistics.median(ready) * 1000:4.0f} ms"
                    f" (worst {max(ready) * 1000:.0f}), first results "
                    f"{statistics.median(results) * 1000:4.0f} ms (worst "
                    f"{max(results) * 1000:.0f}); CPU in all {statistics.median(cpu) * 1000:.0f} ms"
                )

        real = bench.real_quotes()
        steps = bench.workload(real, args.phrases)
        phrases = sorted({text for text, _, _ in steps}, key=len)
        # The workload lists every prefix; keep the whole phrases, typed key by key here.
        phrases = [p for p in phrases if not any(o != p and o.startswith(p) for o in phrases)]
        print(f"\nkeystroke to updated list, {GAP * 1000:.0f} ms between keys, target p95 < 50 ms")
        for n in sizes:
            to_list, to_frame, cpu = asyncio.run(type_phrases(indexes[f"{n:,}"], phrases))
            print(
                f"  {n:>8,} quotes, {len(to_list)} keys: list updated p50 {pct(to_list, 50):5.1f}"
                f" / p95 {pct(to_list, 95):5.1f} ms; frame composed p50 {pct(to_frame, 50):5.1f}"
                f" / p95 {pct(to_frame, 95):5.1f} ms (its CPU p50 {pct(cpu, 50):.1f} / p95 "
                f"{pct(cpu, 95):.1f} ms)"
            )
    load = os.getloadavg()[0]
    print(f"\n(load average {load:.1f} on {os.cpu_count()} CPUs while measuring)")


if __name__ == "__main__":
    main()
