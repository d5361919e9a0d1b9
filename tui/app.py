"""The nato-browse Textual app: opens (or builds) the index in a worker and shows the main screen.

Start-up is kept light: Whoosh and the core's search code are imported in the worker thread,
after the first frame is on screen.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from nato_browse.index import (
    SORT_ORDERS,
    Filters,
    NatoBrowseError,
    SortOrder,
    clean_data,
    clean_line,
    clean_text,
    visible_controls,
)
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from .commands.filters import FilterValuesProvider
from .commands.views import SavedSearchProvider, SpeakerViewProvider
from .keys import KeySequencer
from .messages import BuildProgress, IndexFailed, IndexLoading, IndexReady, ResultsShown
from .screens.main import MainScreen
from .state.config import load_config
from .wording import SORT_LABELS, plural

if TYPE_CHECKING:
    from nato_browse.index import BuildReport, QuoteIndex, SourceInfo

T = TypeVar("T")
DEFAULT_THEME = "textual-dark"
# Set to a file path to have the app write when its first frame and first results appear, then
# exit: benchmarks/app.py measures start-up this way.
PROBE_ENV = "NATO_BROWSE_PROBE"
# How often to look for an index rebuilt by another process (`nato-browse index`).
REFRESH_SECONDS = 30.0


@dataclass(frozen=True)
class AppSettings:
    index_dir: Path
    data: tuple[Path, ...] = ()  # --data: sources to add to the library and index first
    # What a build reads when the library is empty and nothing else is asked for.
    default_corpus: Path | None = None
    query: str = ""
    filters: Filters = field(default_factory=Filters)
    theme: str = ""
    config_dir: Path | None = None
    rebuild: bool = False
    sort: SortOrder = "relevance"  # --saved: the saved search's order


class NatoBrowseApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "nato-browse"
    BINDING_GROUP_TITLE = "Everywhere"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit nato-browse"),
        Binding("f1", "help", "Help", id="help", tooltip="Every key, and how to remap them"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            id="command-palette",
            priority=True,
            show=False,
            tooltip="Run a command, or jump to a speaker, topic or region",
        ),
    ]
    COMMANDS = App.COMMANDS | {FilterValuesProvider, SpeakerViewProvider, SavedSearchProvider}
    # Classes every screen gets from the terminal's size (app.tcss: narrow stacks the panes,
    # short drops borders and the side pane). Textual declares both per instance, not ClassVar.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-tall")]  # noqa: RUF012

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.index: QuoteIndex | None = None
        # Quotes per speaker in the open index (the detail pane's "N other quotes").
        self.speaker_counts: dict[str, int] = {}
        self.keymap: dict[str, str] = {}
        # The one executor for search work: one thread runs every read of the index, in order.
        # A stale search that has not started is dropped when its worker is cancelled, and
        # searches never pile up on the GIL.
        self.search_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
        self.main = MainScreen(settings.query, settings.filters, settings.sort)
        # Every key goes through it: a burst of keys does what the same keys do typed slowly.
        self.keys = KeySequencer(self)
        self._probe = os.environ.get(PROBE_ENV, "")
        self.theme = DEFAULT_THEME

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def on_mount(self) -> None:
        config = load_config(self.settings.config_dir) if self.settings.config_dir else None
        if config is not None:
            self.keymap = config.keymap
            if config.keymap:
                self.set_keymap(config.keymap)
            for problem in config.problems:
                self.notify(problem, title="Settings", severity="warning", timeout=10)
        theme = self.settings.theme or (config.theme if config else "")
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                names = ", ".join(sorted(self.available_themes))
                self.notify(
                    f"There is no theme {theme!r}; try one of: {names}",
                    title="Theme",
                    severity="warning",
                    timeout=10,
                )
        self.set_interval(REFRESH_SECONDS, self.refresh_index, name="index refresh")

    def on_ready(self) -> None:
        self._write_probe("ready")
        # Only now: the first frame does not wait on the worker's imports (they hold the GIL).
        self.load_index(rebuild=self.settings.rebuild)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and not self.keys.take(event):
            return  # queued: the sequencer hands it back in its turn
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.keys.stop()
        self.search_thread.shutdown(wait=False, cancel_futures=True)
        if self.index is not None:
            self.index.close()
        gc.unfreeze()  # the main screen froze the index's objects; let them go with it

    def _write_probe(self, event: str) -> None:
        if self._probe:
            with open(self._probe, "a", encoding="utf-8") as handle:
                handle.write(f"{event} {time.time():.6f}\n")

    @on(ResultsShown)
    def _first_results(self) -> None:
        # Bubbled up from the main screen: the first results are on screen.
        if self._probe:
            self._write_probe("results")
            self.exit(0)

    # ------------------------------------------------------------------ index

    async def in_search_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` on the search thread; cancelling the caller drops it if not yet started.

        What it returns is cleaned there (control characters, escape sequences, bidi) before
        the app sees it: a guard on everything read from the index, which its build already
        cleaned unless an older version built it. Clean values come back as they are."""
        loop = asyncio.get_running_loop()
        call = partial(fn, *args, **kwargs)
        return await loop.run_in_executor(self.search_thread, partial(_cleaned, call))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text, whoever sends it: notices carry names, titles, file names
        and queries, and "[/x]" in one would be read as markup and end the app. `markup` is
        ignored (widgets pass True by default)."""
        super().notify(
            clean_text(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _progress(self, done: int, total: int | None, what: str) -> None:
        # As often as the build calls: queued messages merge (BuildProgress.can_replace).
        # `what` may name a file: its control characters are shown, never sent.
        self.main.post_message(BuildProgress(done, total, visible_controls(what)))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def load_index(self, rebuild: bool = False) -> None:
        """Open the index, building it first when there is none (or when asked to)."""
        failed = self._open_or_build(rebuild)
        if failed is not None:
            self.main.post_message(failed)

    def _open_or_build(self, rebuild: bool) -> IndexFailed | None:
        from nato_browse.index import (
            DiskFull,
            IndexCorrupt,
            IndexLocked,
            IndexMissing,
            IndexUnavailable,
            QuoteIndex,
        )

        settings = self.settings
        report: BuildReport | None = None
        index: QuoteIndex | None = None
        notes: list[str] = []
        where = self._where()
        try:
            if rebuild or settings.data:
                # The building code (extraction, tagging) is imported only when it is needed.
                from nato_browse.index import build_index

                # --data adds its paths to the library (the other sources keep their
                # documents); a rebuild reads every source of the library again.
                paths = settings.data or self._when_empty()
                try:
                    report = build_index(
                        paths, settings.index_dir, rebuild=rebuild, progress=self._progress
                    )
                except DiskFull as exc:
                    if not exc.committed:
                        raise
                    notes.append(str(exc))  # the index is updated: open it, and say so
            else:
                try:
                    index = QuoteIndex.open(settings.index_dir)
                except IndexMissing:
                    from nato_browse.index import ensure_index

                    report = ensure_index(
                        settings.index_dir, self._when_empty(), progress=self._progress
                    )
            if report is not None and report.documents == 0:
                return _nothing_to_read(report, where)
            if index is None:
                index = QuoteIndex.open(settings.index_dir)
        except DiskFull as exc:
            return IndexFailed(
                "The disk is full",
                str(exc),
                "Free some space on that disk (or choose another folder with --index-dir "
                "FOLDER), then press r to try again.",
                can_rebuild=True,
            )
        except IndexCorrupt as exc:
            return IndexFailed(
                "The index is damaged",
                str(exc),
                f"Press r to rebuild it from {where}, or ctrl+q to quit.",
                can_rebuild=True,
            )
        except IndexLocked as exc:
            return IndexFailed(
                "The index is busy",
                str(exc),
                "Another nato-browse is writing it. Press r to try again when it is done.",
                can_rebuild=True,
            )
        except IndexMissing as exc:
            return IndexFailed(
                "There is no index yet",
                str(exc),
                f"Press r to build it from {where}, or start with --data FOLDER.",
                can_rebuild=True,
            )
        except IndexUnavailable as exc:
            return IndexFailed(
                "The index folder cannot be used",
                str(exc),
                "Check the folder's permissions, or choose another with --index-dir FOLDER.",
                can_rebuild=False,
            )
        except NatoBrowseError as exc:
            # e.g. a --data folder that does not exist or cannot be read
            return IndexFailed(
                "nato-browse cannot start",
                str(exc),
                "Pass --data with a folder of documents you can read "
                "(.txt, .md, .html, .csv, .jsonl), or --index-dir to use another index.",
                can_rebuild=False,
            )
        except Exception as exc:  # never a traceback on the user's screen
            return IndexFailed(
                "Unexpected error",
                f"{type(exc).__name__}: {exc}",
                "Please report this. Press r to try rebuilding the index.",
                can_rebuild=True,
            )
        stats = index.stats()
        old, self.index = self.index, index
        self.speaker_counts = {}
        if old is not None:
            old.close()
        if report is not None:
            from .library import report_problems

            notes.extend(report_problems(report))
            if report.skipped:
                self.call_from_thread(self._warn_skipped, report.skipped)
        notes.extend(index.warnings)
        for note in notes:
            self.call_from_thread(
                self.notify, note, title="Index", severity="warning", timeout=15, markup=False
            )
        summary = f"{plural(stats.quotes, 'quote')} in {plural(stats.documents, 'document')}"
        self.main.post_message(IndexReady(summary, empty=stats.quotes == 0))
        return None

    def _library(self) -> tuple[SourceInfo, ...]:
        from nato_browse.index import list_sources

        try:
            return list_sources(self.settings.index_dir)
        except NatoBrowseError:  # its records are lost: as good as empty
            return ()

    def _when_empty(self) -> tuple[Path, ...]:
        """What to build when nothing else is asked for: the library's sources (no path), or
        the default corpus when the library is empty."""
        corpus = self.settings.default_corpus
        return () if self._library() or corpus is None else (corpus,)

    def _where(self) -> str:
        """What a build reads, for a person."""
        if self.settings.data:
            return ", ".join(str(p) for p in self.settings.data)
        sources = self._library()
        if sources:
            more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
            return f"the sources of your library ({sources[0].path}{more})"
        corpus = self.settings.default_corpus
        return str(corpus) if corpus is not None else "(no documents given)"

    def _warn_skipped(self, skipped: Iterable[object]) -> None:
        lines = [str(s) for s in skipped]
        more = f"\n…and {len(lines) - 3} more" if len(lines) > 3 else ""
        self.notify(
            "\n".join(lines[:3]) + more,
            title=f"{len(lines)} files skipped",
            severity="warning",
            timeout=10,
            markup=False,  # file names are data: "[draft].txt" is not markup
        )

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def refresh_index(self) -> None:
        if self.index is not None:
            try:
                self.index.refresh()
            except NatoBrowseError as exc:
                self.call_from_thread(self.notify, str(exc), severity="warning")

    def rebuild_index(self) -> None:
        """Rebuild from scratch (the error screen's r, and the palette's command)."""
        self.main.post_message(IndexLoading("Rebuilding the index…"))
        self.load_index(rebuild=True)

    # ------------------------------------------------------------------ actions

    def compare_speakers(self) -> None:
        from .screens.compare import compare_speakers

        compare_speakers(self)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .commands.palette import SafeCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # The main screen's own actions, by name: the same door its keys use.
        act = self.main.run_action
        yield SystemCommand("Filter by speaker", "Pick speakers", partial(act, "pick('speakers')"))
        yield SystemCommand("Filter by topic", "Pick topics", partial(act, "pick('topics')"))
        yield SystemCommand("Filter by region", "Pick regions", partial(act, "pick('regions')"))
        yield SystemCommand("Filter by date", "Choose a date range", partial(act, "dates"))
        yield SystemCommand(
            "Filter by kind",
            "Quotes, speeches' remarks, transcripts' turns, questions asked",
            partial(act, "pick('kinds')"),
        )
        yield SystemCommand(
            "Hide questions" if "question" in self.main.filters.shown_kinds() else "Show questions",
            "The questions journalists asked, beside what was said",
            partial(act, "toggle_questions"),
        )
        yield SystemCommand("Clear filters", "Remove every filter", partial(act, "clear_filters"))
        for order in SORT_ORDERS:
            if order != self.main.sort:
                yield SystemCommand(
                    f"Sort: {SORT_LABELS[order]}",
                    "Change the order of the results",
                    partial(act, f"sort({order!r})"),
                )
        yield SystemCommand(
            "Copy quote", "Copy the selected quote with its citation", partial(act, "copy")
        )
        yield SystemCommand(
            "Open source", "Open the selected quote's url in a browser", partial(act, "open_url")
        )
        yield SystemCommand(
            "Read the document",
            "The selected quote's whole document, every quote marked",
            partial(act, "open_document"),
        )
        yield SystemCommand(
            "Export results", "Write the results to Markdown, CSV or JSON", partial(act, "export")
        )
        yield SystemCommand(
            "Speaker view", "The selected quote's speaker over time", partial(act, "speaker")
        )
        yield SystemCommand("Compare speakers…", "Two speakers on one topic", self.compare_speakers)
        yield SystemCommand(
            "Save search as…", "Name this search to run it again", partial(act, "save_search")
        )
        yield SystemCommand(
            "Rebuild index",
            "Read every source of the library again into a new index",
            self.rebuild_index,
        )


def _nothing_to_read(report: BuildReport, where: str) -> IndexFailed:
    if report.skipped:
        reasons = "; ".join(str(s) for s in report.skipped[:3])
        return IndexFailed(
            "No documents could be read",
            reasons,
            "Pass --data with a folder of .txt, .md, .html, .csv or .jsonl files you can read.",
            can_rebuild=False,
        )
    return IndexFailed(
        "No documents found",
        f"Nothing to index in {where}.",
        "Pass --data with a folder of .txt, .md, .html, .csv or .jsonl files.",
        can_rebuild=False,
    )


def _cleaned(call: Callable[[], T]) -> T:
    return clean_data(call())
