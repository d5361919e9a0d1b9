"""Hostile documents in a real terminal: the installed command prints them and the app shows
them inside tmux, and the terminal obeys none of what they carry. The pane keeps its title (OSC
0), its earlier lines (ESC[2J), no cursor report is typed into the shell (ESC[6n), and no paste
buffer holds their clipboard write (OSC 52; tmux is set to accept one here, so any that got
through would land there)."""

from __future__ import annotations

import re
import shlex
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux
WIDTH, HEIGHT = 120, 60
TITLE = "untouched-title"
CURSOR_REPORT = re.compile(r"\d+;\d+R")


def untouched(tmux) -> None:  # type: ignore[no-untyped-def]
    """The checks of the module's docstring, on the pane as it is now."""
    assert tmux.run("display-message", "-p", "-t", "app", "#{pane_title}").strip() == TITLE
    buffers = tmux.run("list-buffers", "-F", "#{buffer_sample}")
    assert "curl" not in buffers and "evil" not in buffers
    assert not CURSOR_REPORT.search(tmux.screen())


def test_documents_do_not_command_a_real_terminal(  # type: ignore[no-untyped-def]
    tmux, tmp_path: Path, hostile_folder
) -> None:
    from nato_browse.index.store.build import build_index

    command = shlex.quote(str(Path(sys.executable).parent / "nato-browse"))
    docs = tmp_path / "docs"
    hostile_folder(docs)
    index_dir = tmp_path / "index"
    assert build_index([docs], index_dir).quotes >= 6
    env = {
        "NATO_BROWSE_CONFIG_DIR": str(tmp_path / "config"),
        "XDG_DOCUMENTS_DIR": str(tmp_path),
        "TERM": "xterm-256color",
        "PS1": "$ ",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    tmux.run("new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), "sh")
    tmux.run("set-option", "-g", "set-clipboard", "on")
    tmux.run("set-option", "-g", "allow-rename", "on")
    tmux.run("select-pane", "-t", "app", "-T", TITLE)
    ix = shlex.quote(str(index_dir))

    # The command line: search, extract and index print the documents' words and file names.
    # (The markers are computed, so the typed command line never matches them.)
    line = (
        f"export {exports}; echo START-$((2+2)); "
        f"{command} search defend --limit 1 --index-dir {ix}; "
        f"{command} extract {shlex.quote(str(docs / 'a.txt'))}; "
        f"{command} index {shlex.quote(str(docs))} --index-dir {shlex.quote(str(tmp_path / 'ix2'))}"
        f" >/dev/null; echo DONE-$((3+3))"
    )
    tmux.run("send-keys", "-t", "app", "-l", line)
    tmux.run("send-keys", "-t", "app", "Enter")
    screen = tmux.wait_for("DONE-6", timeout=120)
    assert "START-4" in screen  # nothing cleared the screen
    assert "Jens Stoltenberg" in screen
    time.sleep(0.5)  # a cursor report, had one been asked for, would arrive by now
    untouched(tmux)

    # The app: the list and the detail pane show the same quotes.
    tmux.run(
        "send-keys", "-t", "app", "-l", f"{command} --index-dir {ix} defend; echo EXIT-$((0+$?))"
    )
    tmux.run("send-keys", "-t", "app", "Enter")
    tmux.wait_for("Palette", timeout=60)
    tmux.wait_for("Jens Stoltenberg", timeout=30)
    tmux.run("send-keys", "-t", "app", "Down")
    time.sleep(1.0)
    untouched(tmux)
    tmux.run("send-keys", "-t", "app", "C-q")
    screen = tmux.wait_for("EXIT-0", timeout=30)  # the app quit, cleanly
    assert "Traceback" not in screen
    time.sleep(0.5)
    untouched(tmux)
