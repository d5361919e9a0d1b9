"""`nato-browse remove PATH`: take a source out of the library and drop its documents (those no
other source gives)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nato_browse.index import remove_source, visible_controls
from rich.console import Console
from rich.markup import escape

from .shared import add_index_dir, index_dir, progress_bar


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remove",
        help="take a source out of the library and drop its documents",
        description="Take PATH, a source of the library (see `nato-browse sources`), out of "
        "it, and drop from the index the documents no other source gives. The files are "
        "not touched.",
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="a source of the library")
    add_index_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    where = index_dir(args)
    with progress_bar(Console(stderr=True)) as progress:
        report = remove_source(args.path, where, progress=progress)
    out = Console(highlight=False, soft_wrap=True)
    name = report.dropped[0] if report.dropped else str(args.path)
    out.print(
        f"Removed {escape(visible_controls(name))} from the library: [bold]{report.removed:,}[/] "
        f"documents dropped; {report.documents:,} documents, {report.quotes:,} quotes left in "
        f"{escape(visible_controls(str(where)))}"
    )
    return 0
