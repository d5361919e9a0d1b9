"""What the subcommands share: the index folder option, the progress bar, and opening the index
(building it the first time: from the library, or the demo corpus when the library is empty)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from nato_browse.index import (
    INDEX_DIR_ENV,
    ProgressCallback,
    clean_line,
    default_index_dir,
    ensure_index,
    visible_controls,
)
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

if TYPE_CHECKING:
    from nato_browse.index import QuoteIndex


def add_index_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"where the index lives (default: ${INDEX_DIR_ENV} or the user's cache folder)",
    )


def index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index_dir).expanduser() if args.index_dir else default_index_dir()


@contextlib.contextmanager
def progress_bar(console: Console) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on a terminal (None otherwise: no bar, no noise in a pipe)."""
    if not console.is_terminal:
        yield None
        return
    with Progress(
        # What is being read names a file or a title: text, never markup.
        TextColumn("{task.description:<48.48}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(done: int, total: int | None, what: str) -> None:
            bar.update(task, completed=done, total=total, description=visible_controls(what))

        yield update


def open_index(args: argparse.Namespace, console: Console) -> QuoteIndex:
    """The index, built first when there is none yet; what it works around is said on
    `console` (stderr), one line each."""
    where = index_dir(args)
    with progress_bar(console) as progress:
        report = ensure_index(where, progress=progress)
    if report is not None:
        names = ", ".join(s.path + (" (demo)" if s.demo else "") for s in report.sources)
        console.print(
            Text(
                f"Built an index of {report.documents:,} documents ({report.quotes:,} quotes) "
                f"from {visible_controls(names)} in {visible_controls(str(where))}",
                style="dim",
            ),
            soft_wrap=True,
        )
    # Imported here: `nato-browse index` needs none of the search side (a tenth of a second).
    from nato_browse.index import QuoteIndex

    index = QuoteIndex.open(where)
    for warning in index.warnings:
        console.print(Text(f"nato-browse: {clean_line(warning)}", style="yellow"), soft_wrap=True)
    return index
