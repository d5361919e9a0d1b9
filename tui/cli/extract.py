"""`nato-browse extract PATH... [--json]`: print the quotes found in files, no index needed.

PATH is a file or a folder (read recursively). Files that cannot be read get one line on
stderr naming the file and the reason; the others are still processed. The exit status is
non-zero only when nothing at all could be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from nato_browse.index import (
    Document,
    NatoBrowseError,
    Quote,
    Tagger,
    clean_data,
    discover,
    extract_quotes,
    load_file,
    visible_controls,
)

from .labels import marked, who

JSON_KEYS = (
    "doc",
    "title",
    "date",
    "text",
    "start",
    "end",
    "speaker",
    "role",
    "named",
    "kind",
    "topics",
    "countries",
    "regions",
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="print the quotes, speakers and tags found in files (no index needed)",
        description="Find every quotation in the files given, with its speaker, role, topics, "
        "countries and regions. PATH is a file or a folder (read recursively); a .txt "
        "file's first line is its title.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file or folder")
    parser.add_argument("--json", action="store_true", help="one JSON object per quote per line")
    parser.set_defaults(run=run)


def read_documents(paths: list[str]) -> Iterator[Document | str]:
    """Documents from the paths, and one message (a str) per file that could not be used."""
    files, skipped = discover([Path(p) for p in paths])
    for skip in skipped:
        yield str(skip)
    for path in files:
        loaded = load_file(path)
        name = visible_controls(str(path))  # a file name is shown, never obeyed
        if loaded.error:
            yield f"{name}: {loaded.error}"
        for warning in loaded.warnings:
            yield f"{name}: {warning}"
        yield from loaded.documents


def run(args: argparse.Namespace) -> int:
    tagger = Tagger.default()
    documents = 0
    quotes: list[Quote] = []
    table = None if args.json else _Table()
    for item in read_documents(args.paths):
        if isinstance(item, str):
            print(f"nato-browse: {item}", file=sys.stderr)
            continue
        documents += 1
        try:
            found = extract_quotes(item, tagger)
        except NatoBrowseError as err:  # beyond a bound (too long, too slow): say so, go on
            print(f"nato-browse: {item.source}: {err}", file=sys.stderr)
            continue
        # Cleaned again on the way out (the loader already did): a guard, never a no-op to skip.
        found = [clean_data(q) for q in found]
        if args.json:
            for q in found:
                print(json.dumps(clean_data(_json(q)), ensure_ascii=False))
        else:
            quotes.extend(found)
    if documents == 0:
        print("nato-browse: no document could be read", file=sys.stderr)
        return 1
    if table is not None:
        table.print(quotes, documents)
    return 0


def _json(q: Quote) -> dict[str, object]:
    data = q.to_json()
    # The keys first, then everything else the model carries.
    ordered = {k: data.pop(k) for k in JSON_KEYS}
    ordered.update(data)
    return ordered


class _Table:
    """The readable form: one row per quote."""

    def print(self, quotes: list[Quote], documents: int) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        console = Console(highlight=False)
        table = Table(
            title=f"{len(quotes)} quotes in {documents} document(s)",
            show_lines=True,
            expand=True,
        )
        table.add_column("Speaker", ratio=2, overflow="fold")
        table.add_column("Quote", ratio=6, overflow="fold")
        table.add_column("Topics / places", ratio=2, overflow="fold")
        table.add_column("Document", ratio=2, overflow="fold")
        for q in quotes:
            # Text objects, never markup: a name or title with "[/x]" in it is just text.
            speaker = Text(who(q))
            if q.role:
                speaker.append(f"\n{q.role}", style="dim")
            if q.kind == "question":
                speaker.append("\n(asks)", style="dim")
            elif not q.named and q.speaker:
                speaker.append("\n(unnamed)", style="dim")
            tags = Text(", ".join(q.topics))
            places = ", ".join((*q.countries, *q.regions))
            if places:
                tags.append(f"\n{places}" if q.topics else places, style="dim")
            doc = Text(q.title or q.source)
            if q.date:
                doc.append(f"\n{q.date}", style="dim")
            table.add_row(speaker, Text(marked(q)), tags, doc)
        console.print(table)
