"""The `nato-browse` command: the app by default, and subcommands for headless work.

Each subcommand lives in its own module exposing `add_parser(subparsers)` and `run(args) -> int`;
this file only wires them together, and makes sure no traceback reaches a user. Only the module
of the subcommand being run is imported, so the app's start-up never pays for the indexer's
imports and `nato-browse extract` never pays for Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> (module that implements it, one-line summary for `nato-browse --help`).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "app": ("nato_browse.tui.cli.app", "open the app (the default when no subcommand is given)"),
    "extract": ("nato_browse.tui.cli.extract", "print the quotes found in documents"),
    "index": ("nato_browse.tui.cli.index", "add documents to the library and index them"),
    "sources": ("nato_browse.tui.cli.sources", "the library: each source and its status"),
    "remove": ("nato_browse.tui.cli.remove", "take a source out of the library"),
    "search": ("nato_browse.tui.cli.search", "search the index from the shell"),
    "stats": ("nato_browse.tui.cli.stats", "counts and top speakers, topics and regions"),
    "speakers": ("nato_browse.tui.cli.speakers", "who is quoted: names, other names, roles"),
}
DESCRIPTION = (
    "Find who said what, about which topic and region, in NATO and European-security "
    "documents. With no subcommand, opens the app: nato-browse [QUERY] [--speaker S] "
    "[--topic T] [--region R]."
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that subcommand's module is imported and filled in."""
    parser = argparse.ArgumentParser(prog="nato-browse", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, summary) in SUBCOMMANDS.items():
        if name == command:
            importlib.import_module(module).add_parser(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `nato-browse [QUERY] [--speaker S] ...` opens the app: route anything that is not a
    # subcommand (or a top-level --help) to the `app` subcommand.
    if not argv or (argv[0] not in {*SUBCOMMANDS, "-h", "--help"}):
        argv = ["app", *argv]
    command = argv[0] if argv[0] in SUBCOMMANDS else None
    try:
        args = build_parser(command).parse_args(argv)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("nato-browse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last line of defence: one line, never a traceback
        from nato_browse.index import NatoBrowseError, clean_line

        # A message may quote a document or a file name: one clean line, like everything else.
        if isinstance(exc, NatoBrowseError):
            print(f"nato-browse: {clean_line(str(exc))}", file=sys.stderr)
        else:
            what = clean_line(f"{type(exc).__name__}: {exc}")
            print(f"nato-browse: unexpected error: {what}", file=sys.stderr)
        return 1
