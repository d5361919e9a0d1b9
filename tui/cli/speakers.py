"""`nato-browse speakers [--json]`: who is quoted in the index: each speaker once, under one
name, with the number of quotes, the other names merged into it and the roles it is quoted
with. The quotes nobody is named for are counted last, as "unattributed"."""

from __future__ import annotations

import argparse
import json

from nato_browse.index import UNATTRIBUTED, clean_data
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .shared import add_index_dir, open_index


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "speakers",
        help="list the speakers with their quote counts, other names and roles",
        description="List who is quoted in the index, most quoted first.",
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, one speaker a line")
    parser.add_argument(
        "--limit", type=int, default=0, metavar="N", help="only the N most quoted speakers"
    )
    add_index_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False)
    with open_index(args, err) as index:
        # Names come from documents: cleaned again on their way out, as everywhere.
        speakers = clean_data(index.speakers())
    if args.limit > 0:
        speakers = speakers[: args.limit]
    if args.json:
        for s in speakers:
            record = {
                "speaker": s.name,
                "quotes": s.quotes,
                "aliases": list(s.aliases),
                "roles": list(s.roles),
                "kind": "unattributed"
                if s.name == UNATTRIBUTED
                else ("organisation" if s.organisation else "person"),
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    table = Table(title=f"{len(speakers)} speakers", title_justify="left", expand=True)
    table.add_column("speaker", overflow="fold")
    table.add_column("quotes", justify="right")
    table.add_column("also written", overflow="fold", ratio=1)
    table.add_column("roles", overflow="fold", ratio=1)
    for s in speakers:
        name = escape(s.name) if s.name != UNATTRIBUTED else "[dim italic]unattributed[/]"
        if s.organisation:
            name += " [dim](organisation)[/]"
        table.add_row(name, str(s.quotes), escape(", ".join(s.aliases)), escape("; ".join(s.roles)))
    Console(highlight=False).print(table)
    return 0
