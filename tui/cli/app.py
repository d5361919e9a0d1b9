"""`nato-browse app` (the default): open the Textual app, optionally searching and filtered.

Textual is imported only in `run`, so `nato-browse --help` and the other subcommands stay quick.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "app",
        help="open the app (the default when no subcommand is given)",
        description="Search, read and filter quotes from the keyboard. "
        "`nato-browse [QUERY] [--speaker S] ...` opens it searching and filtered.",
    )
    parser.add_argument("query", nargs="*", metavar="QUERY", help="search for these words")
    parser.add_argument(
        "--speaker", action="append", default=[], metavar="S", help="only quotes by S (repeatable)"
    )
    parser.add_argument(
        "--topic", action="append", default=[], metavar="T", help="only quotes about T (repeatable)"
    )
    parser.add_argument(
        "--region", action="append", default=[], metavar="R", help="only quotes in R (repeatable)"
    )
    parser.add_argument("--from", dest="date_from", default="", metavar="DATE", help="from DATE")
    parser.add_argument("--to", dest="date_to", default="", metavar="DATE", help="up to DATE")
    parser.add_argument(
        "--index-dir", type=Path, default=None, metavar="DIR", help="where the index lives"
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="add a folder or file to the library and index it first (repeatable)",
    )
    parser.add_argument("--theme", default="", help="a Textual theme, e.g. gruvbox, nord")
    parser.add_argument(
        "--saved",
        default="",
        metavar="NAME",
        help="open the search saved as NAME (a QUERY replaces its query; filters are added)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="write the index anew from every source of the library before opening",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # The app reads the keyboard from stdin and draws on the terminal stdout is: both must be
    # one. (stderr may go to a log: `nato-browse 2>log`.)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "nato-browse: the app needs a terminal; for plain output use "
            "`nato-browse search QUERY`",
            file=sys.stderr,
        )
        return 2
    from nato_browse.index import DEFAULT_CORPUS, Filters, SortOrder, config_dir, default_index_dir

    from ..daterange import DateRangeError, parse_range

    try:
        date_from, date_to = parse_range(args.date_from, args.date_to)
    except DateRangeError as exc:
        print(f"nato-browse: --from/--to: {exc}", file=sys.stderr)
        return 2
    from ..app import AppSettings, NatoBrowseApp
    from ..state.saved_searches import SavedSearchError, merge_saved

    query = " ".join(args.query)
    filters = Filters(
        speakers=tuple(args.speaker),
        topics=tuple(args.topic),
        regions=tuple(args.region),
        date_from=date_from,
        date_to=date_to,
    )
    sort: SortOrder = "relevance"
    if args.saved:
        try:
            query, filters, sort = merge_saved(args.saved, config_dir(), query, filters)
        except SavedSearchError as exc:
            print(f"nato-browse: --saved: {exc}", file=sys.stderr)
            return 2
    settings = AppSettings(
        index_dir=(args.index_dir or default_index_dir()).expanduser(),
        data=tuple(p.expanduser() for p in args.data),
        default_corpus=DEFAULT_CORPUS,
        query=query,
        filters=filters,
        sort=sort,
        theme=args.theme,
        config_dir=config_dir(),
        rebuild=args.rebuild,
    )
    app = NatoBrowseApp(settings)
    with _drawing_on_stdout():
        app.run()
    return app.return_code or 0


@contextlib.contextmanager
def _drawing_on_stdout() -> Iterator[None]:
    """Textual draws on stderr (file descriptor 2). When stderr is not the terminal (`2>log`),
    it is pointed at stdout's terminal while the app runs, then given back to the log."""
    if sys.stderr.isatty():
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        os.dup2(sys.stdout.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    """`python -m nato_browse.tui.cli.app [QUERY] [--speaker S] ...`: the app alone, without
    building (and importing) the other subcommands' parsers."""
    parser = argparse.ArgumentParser(prog="nato-browse")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["app", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
