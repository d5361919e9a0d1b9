"""The `nato-browse` command: the app by default, and subcommands for headless work.

Each subcommand lives in its own module exposing `add_parser(subparsers)` and `run(args) -> int`;
this file only wires them together, and makes sure no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> module (relative to nato_browse) that implements it. Imported lazily so that
# `nato-browse extract` never pays for Textual.
SUBCOMMANDS: dict[str, str] = {
    "extract": "nato_browse.index.cli_extract",
    "index": "nato_browse.index.cli_index",
    "search": "nato_browse.index.cli_search",
    "stats": "nato_browse.index.cli_stats",
}
APP_MODULE = "nato_browse.tui.cli_app"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nato-browse",
        description="Find who said what, about which topic and region, in NATO and "
        "European-security documents. With no subcommand, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS.values():
        importlib.import_module(module).add_parser(sub)
    importlib.import_module(APP_MODULE).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `nato-browse [QUERY] [--speaker S] ...` opens the app: route anything that is not a
    # subcommand (or a top-level --help) to the `app` subcommand.
    if not argv or (argv[0] not in {*SUBCOMMANDS, "app", "-h", "--help"}):
        argv = ["app", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("nato-browse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last line of defence: one line, never a traceback
        from nato_browse.index.api import NatoBrowseError

        if isinstance(exc, NatoBrowseError):
            print(f"nato-browse: {exc}", file=sys.stderr)
        else:
            print(f"nato-browse: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
