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

from nato_browse.index import Document, Quote, Tagger, discover, extract_quotes, load_file

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
        if loaded.error:
            yield f"{path}: {loaded.error}"
        for warning in loaded.warnings:
            yield f"{path}: {warning}"
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
        found = extract_quotes(item, tagger)
        if args.json:
            for q in found:
                print(json.dumps(_json(q), ensure_ascii=False))
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

        console = Console()
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
            speaker = who(q)
            if q.role:
                speaker += f"\n[dim]{_escape(q.role)}[/dim]"
            if q.kind == "question":
                speaker += "\n[dim](asks)[/dim]"
            elif not q.named and q.speaker:
                speaker += "\n[dim](unnamed)[/dim]"
            tags = _escape(", ".join(q.topics))
            places = _escape(", ".join((*q.countries, *q.regions)))
            if places:
                tags = f"{tags}\n[dim]{places}[/dim]" if tags else f"[dim]{places}[/dim]"
            doc = q.title or q.source
            if q.date:
                doc += f"\n[dim]{q.date}[/dim]"
            table.add_row(_escape_first(speaker), _escape(marked(q)), tags, _escape_first(doc))
        console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _escape_first(text: str) -> str:
    """Escape the first line (user text); later lines carry our own dim markup."""
    first, sep, rest = text.partition("\n")
    return _escape(first) + sep + rest
