"""`nato-browse index [PATH...] [--rebuild]`: add documents to the library and index them.

Each PATH (a folder or a file) becomes a source of the library kept with the index, and is read
into it; a PATH inside a source reads that part of it again. Without PATH, every source is read
again (the demo corpus when the library is empty). A second run re-reads only the files whose
content changed and drops the documents of files deleted from a source; a source that is
missing, unreadable or empty keeps its documents, and says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nato_browse.index import BuildReport, LoadOptions, build_index, clean_line, visible_controls
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..library import report_problems
from .shared import add_index_dir, index_dir, progress_bar


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="add documents to the library and index them",
        description="Add each PATH (a file or folder, read recursively) to the library kept with "
        "the index and read it into the index; without PATH, read every source of the library "
        "again. Only what changed is re-read; documents of other sources are never dropped, "
        "nor those of a source that is missing or empty (`nato-browse remove` drops a source).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="write the index anew from every source of the library (a damaged index, too)",
    )
    add_index_dir(parser)
    columns = parser.add_argument_group("CSV and JSON Lines columns (found by name if not given)")
    for name in ("title", "date", "url", "body"):
        columns.add_argument(f"--{name}-column", metavar="NAME", default=None)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    where = index_dir(args)
    options = LoadOptions(
        title_column=args.title_column,
        date_column=args.date_column,
        url_column=args.url_column,
        body_column=args.body_column,
    )
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with progress_bar(err) as progress:
        report = build_index(
            args.paths, where, rebuild=args.rebuild, progress=progress, options=options
        )
    print_report(report, where)
    problems = report_problems(report)
    for problem in problems:
        print(f"nato-browse: {visible_controls(problem)}", file=sys.stderr)
    if report.documents == 0:
        print("nato-browse: no documents could be read", file=sys.stderr)
    return 1 if problems or report.documents == 0 else 0


def print_report(report: BuildReport, where: Path) -> None:
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"[bold]{report.documents:,}[/] documents, [bold]{report.quotes:,}[/] quotes, "
        f"[bold]{report.speakers:,}[/] speakers in {escape(visible_controls(str(where)))}"
    )
    out.print(
        f"{report.added:,} documents added, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged ({report.seconds:.1f} s)",
        style="dim",
    )
    for path in report.dropped:
        out.print(Text(f"{visible_controls(path)} is no longer in the library", style="dim"))
    if report.skipped:
        out.print(f"[yellow]{len(report.skipped)} skipped:[/]")
        for skipped in report.skipped:
            # Named safely by SkippedFile itself; cleaned again here as a guard, and as text.
            name, reason = visible_controls(skipped.path), clean_line(skipped.reason)
            out.print(Text(f"  {name}: {reason}"))
