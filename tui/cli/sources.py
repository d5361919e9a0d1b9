"""`nato-browse sources [--json]`: the library, one source a line: its documents and quotes in
the index, when it was last read, and what became of it (ok, missing, unreadable, empty, files
skipped)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from nato_browse.index import SourceInfo, list_sources, visible_controls
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .shared import add_index_dir, index_dir


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="the library: each source with its documents, quotes and status",
        description="List the sources of the library (the folders and files `nato-browse index "
        "PATH` added): documents and quotes in the index, when each was last read, its status.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object")
    add_index_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    where = index_dir(args)
    sources = list_sources(where)
    if args.json:
        data = {"index": str(where), "sources": [_json(s) for s in sources]}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    out = Console(highlight=False)
    if not sources:
        out.print(f"The library in {_shown(where)} is empty: add a folder with")
        out.print("  nato-browse index PATH")
        return 0
    table = Table(title=f"library of {_shown(where)}", title_justify="left")
    table.add_column("source")
    table.add_column("documents", justify="right")
    table.add_column("quotes", justify="right")
    table.add_column("last indexed")
    table.add_column("status")
    for source in sources:
        name = _shown(source.path) + (" [dim](demo)[/]" if source.demo else "")
        table.add_row(
            name,
            f"{source.documents:,}",
            f"{source.quotes:,}",
            _when(source.indexed),
            escape(status_text(source)),
        )
    out.print(table)
    return 0


def status_text(source: SourceInfo) -> str:
    if source.status == "ok" and source.skipped:
        n = len(source.skipped)
        return f"ok, {n} file{'s' if n != 1 else ''} skipped"
    return source.status


def _when(indexed: str) -> str:
    if not indexed:
        return "never"
    try:
        return datetime.fromisoformat(indexed).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return indexed


def _shown(path: object) -> str:
    """A path in the table: its control characters as escapes, its brackets not markup."""
    return escape(visible_controls(str(path)))


def _json(source: SourceInfo) -> dict[str, object]:
    return {
        "path": visible_controls(source.path),
        "documents": source.documents,
        "quotes": source.quotes,
        "indexed": source.indexed,
        "status": source.status,
        "skipped": [{"path": s.path, "reason": s.reason} for s in source.skipped],
        "demo": source.demo,
    }
