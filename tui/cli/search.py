"""`nato-browse search QUERY [--speaker S]... [--kind K]... [--json]`: search the quote index.

QUERY uses Whoosh's query syntax over the quote text (words, "phrases", AND/OR/NOT,
speaker:stoltenberg, topic:cyber, prefix*, fuzzy~). `--kind` narrows to kinds of record (quote,
remarks, turn, question); without it every kind but questions is searched. `--json` prints
JSON Lines: one hit a line, the quote's fields plus score, highlight spans and sources.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import datetime

from nato_browse.index import (
    QUOTE_KINDS,
    SORT_ORDERS,
    Filters,
    Hit,
    NatoBrowseError,
    SearchResult,
    clean_data,
    clean_line,
)
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..wording import SORT_LABELS, match_count, plural
from .labels import who
from .shared import add_index_dir, open_index

_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
SNIPPET_CHARS = 400  # a long transcript turn is cut around its first matched word


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search the quotes from the shell",
        description='Search the quote index. QUERY: words, "phrases", AND/OR/NOT, '
        "speaker:NAME, topic:T, region:R, country:C, prefix*, fuzzy~.",
    )
    parser.add_argument("query", nargs="*", metavar="QUERY", help="what to search for")
    for name, meta, what in (
        ("speaker", "S", "by speaker S"),
        ("topic", "T", "about topic T"),
        ("region", "R", "about region R"),
        ("country", "C", "about country C"),
    ):
        parser.add_argument(
            f"--{name}",
            action="append",
            default=[],
            metavar=meta,
            help=f"only quotes {what} (repeatable: any of them)",
        )
    parser.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=QUOTE_KINDS,
        metavar="K",
        help="only records of kind K: quote (between quotation marks), remarks (a speech's "
        "paragraphs), turn (a transcript's labelled turns), question (asked of the speakers); "
        "repeatable; default: all but question",
    )
    parser.add_argument("--from", dest="date_from", default="", metavar="DATE", help="from DATE")
    parser.add_argument("--to", dest="date_to", default="", metavar="DATE", help="up to DATE")
    parser.add_argument(
        "--sort",
        choices=(*SORT_ORDERS, "date"),
        default="relevance",
        help="the order of the hits (date: newest; an empty query lists newest first)",
    )
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits")
    parser.add_argument(
        "--all-sources",
        action="store_true",
        help="list every source of a quote, not each quote once",
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, one hit a line")
    add_index_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for flag, value in (("--from", args.date_from), ("--to", args.date_to)):
        if value and not _valid_date(value):
            raise NatoBrowseError(f"{flag} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    if args.limit < 1:
        raise NatoBrowseError(f"--limit {args.limit}: give a number of hits of 1 or more")
    err = Console(stderr=True, highlight=False)
    filters = Filters(
        speakers=tuple(args.speaker),
        topics=tuple(args.topic),
        regions=tuple(args.region),
        countries=tuple(args.country),
        date_from=args.date_from,
        date_to=args.date_to,
        kinds=tuple(dict.fromkeys(args.kind)),
    )
    query = " ".join(args.query)
    with open_index(args, err) as index:
        result = index.search(
            query,
            filters,
            sort="newest" if args.sort == "date" else args.sort,
            limit=args.limit,
            prefix_last=False,
            collapse=not args.all_sources,
        )
    # Quotes are the documents' words: every string is cleaned again on its way out, whatever
    # index it came from, and printed as text, never as markup.
    if result.note:
        err.print(Text(clean_line(result.note), style="yellow"))
    if result.suggestion:
        err.print(Text(f"No match. Did you mean: {clean_line(result.suggestion)}", style="yellow"))
    for name, count in result.speakers:
        err.print(
            Text(f"{clean_line(name)} · {plural(count, 'quote')} — filter with --speaker"),
            style="cyan",
        )
    if args.json:
        for hit in result.hits:
            print(json.dumps(clean_data(hit_json(hit)), ensure_ascii=False))
        return 0
    out = Console(highlight=False)
    out.print(_table(result))
    return 0


def _valid_date(value: str) -> bool:
    fmt = _DATE_FORMATS.get(len(value))
    if fmt is None:
        return False
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def hit_json(hit: Hit) -> dict[str, object]:
    data = hit.quote.to_json()
    data["score"] = round(hit.score, 4)
    data["highlights"] = [list(span) for span in hit.highlights]
    data["sources"] = hit.sources
    return data


def _table(result: SearchResult) -> Table:
    """The hits under the app's own count line: "4,499 quotes match (4,462 after merging
    repeats) · newest first", and how many are listed when --limit cut them."""
    hits = result.hits
    title = f"{match_count(result.total, result.quotes)} · {SORT_LABELS[result.sort]}"
    if result.total > len(hits):
        title += f" · the first {len(hits):,} listed"
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=22)
    table.add_column("quote and source", ratio=1)
    for hit in hits:
        quote = clean_data(hit.quote)
        hit = replace(hit, quote=quote)
        speaker = Text(who(quote))
        if quote.role:
            speaker.append(f"\n{quote.role}", style="dim")
        cell = snippet(hit)
        if quote.kind == "question":
            cell = Text("question: ", style="dim") + cell
        cell.append(f"\n{quote.title}", style="dim italic")
        if hit.sources > 1:
            cell.append(f" (+{hit.sources - 1} more sources)", style="dim")
        table.add_row(quote.date or "—", speaker, cell)
    return table


def snippet(hit: Hit, width: int = SNIPPET_CHARS) -> Text:
    """The quote with its matched words marked, cut to `width` around the first of them."""
    text = hit.quote.text
    start = 0
    if len(text) > width and hit.highlights:
        start = max(0, min(hit.highlights[0][0] - width // 4, len(text) - width))
    end = min(len(text), start + width)
    out = Text("…" if start else "")
    offset = len(out) - start
    out.append(text[start:end])
    for a, b in hit.highlights:
        if a >= start and b <= end:
            out.stylize("bold reverse", a + offset, b + offset)
    if end < len(text):
        out.append("…")
    return out
