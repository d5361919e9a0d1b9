"""`nato-browse stats`: what the quote index holds: counts, and the top speakers, topics,
regions and countries."""

from __future__ import annotations

import argparse
import json

from nato_browse.index import clean_data, clean_line, visible_controls
from rich.columns import Columns
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .shared import add_index_dir, open_index


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="counts of the quote index: documents, quotes, top speakers, topics, regions",
        description="Show what the quote index holds.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object")
    add_index_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False)
    with open_index(args, err) as index:
        stats = index.stats()
        where = index.index_dir
    top = {
        "speakers": stats.top.speakers,
        "topics": stats.top.topics,
        "regions": stats.top.regions,
        "countries": stats.top.countries,
    }
    if args.json:
        data = {
            "index": str(where),
            "documents": stats.documents,
            "quotes": stats.quotes,
            "speakers": stats.speakers,
            "first_date": stats.first_date,
            "last_date": stats.last_date,
            "kinds": dict(stats.kinds),
            "top": {name: [list(item) for item in items] for name, items in top.items()},
        }
        print(json.dumps(clean_data(data), ensure_ascii=False))
        return 0
    out = Console(highlight=False)
    span = f", {stats.first_date} to {stats.last_date}" if stats.first_date else ""
    out.print(
        f"[bold]{stats.documents}[/] documents, [bold]{stats.quotes}[/] quotes, "
        f"[bold]{stats.speakers}[/] speakers{span}"
    )
    kinds = ", ".join(f"{count} {kind}" for kind, count in stats.kinds if count)
    if kinds:
        out.print(f"by kind: {kinds}")
    out.print(f"index: {escape(visible_controls(str(where)))}", style="dim")
    tables = []
    singular = {
        "speakers": "speaker",
        "topics": "topic",
        "regions": "region",
        "countries": "country",
    }
    for name, items in top.items():
        table = Table(title=f"top {name}", title_justify="left")
        table.add_column(singular[name])
        table.add_column("quotes", justify="right")
        for value, count in items:
            table.add_row(Text(clean_line(value)), str(count))
        tables.append(table)
    out.print(Columns(tables))
    return 0
