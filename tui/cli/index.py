"""`nato-browse index [PATH...] [--rebuild]`: read documents into the quote index.

A second run re-reads only the files whose content changed and drops the documents of files
that went away. Without PATH, the folders and files of the previous run are indexed again (the
default corpus the first time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nato_browse.index import (
    DEFAULT_CORPUS,
    LoadOptions,
    build_index,
    clean_line,
    indexed_paths,
    visible_controls,
)
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from .shared import add_index_dir, index_dir, progress_bar


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="read documents into the quote index",
        description="Read the documents under PATH (files or folders, recursively) into the "
        "quote index. A second run re-reads only what changed and drops what was deleted; "
        "without PATH, the paths of the previous run (the default corpus the first time).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument(
        "--rebuild", action="store_true", help="read everything again into a new index"
    )
    add_index_dir(parser)
    columns = parser.add_argument_group("CSV and JSON Lines columns (found by name if not given)")
    for name in ("title", "date", "url", "body"):
        columns.add_argument(f"--{name}-column", metavar="NAME", default=None)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    where = index_dir(args)
    paths = list(args.paths) or indexed_paths(where) or [DEFAULT_CORPUS]
    options = LoadOptions(
        title_column=args.title_column,
        date_column=args.date_column,
        url_column=args.url_column,
        body_column=args.body_column,
    )
    err = Console(stderr=True)
    with progress_bar(err) as progress:
        report = build_index(paths, where, rebuild=args.rebuild, progress=progress, options=options)
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"[bold]{report.documents}[/] documents, [bold]{report.quotes}[/] quotes, "
        f"[bold]{report.speakers}[/] speakers in {escape(visible_controls(str(where)))}"
    )
    out.print(
        f"{report.added} documents added, {report.removed} removed, "
        f"{report.unchanged} unchanged ({report.seconds:.1f} s)",
        style="dim",
    )
    if report.skipped:
        out.print(f"[yellow]{len(report.skipped)} skipped:[/]")
        for skipped in report.skipped:
            # Named safely by SkippedFile itself; cleaned again here as a guard, and as text.
            name, reason = visible_controls(skipped.path), clean_line(skipped.reason)
            out.print(Text(f"  {name}: {reason}"))
    if report.documents == 0:
        names = ", ".join(visible_controls(str(p)) for p in paths)
        print(f"nato-browse: no documents could be read from {names}", file=sys.stderr)
        return 1
    return 0
