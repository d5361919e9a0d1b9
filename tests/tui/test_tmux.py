"""The installed `nato-browse` command in a real terminal: tmux runs it, we type, we read the
screen back with `capture-pane`."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "data" / "corpus"

pytestmark = pytest.mark.tmux
WIDTH, HEIGHT = 110, 32


def test_type_a_query_and_read_the_screen(tmux, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from nato_browse.index.store.build import build_index

    command = Path(sys.executable).parent / "nato-browse"
    assert command.exists(), "the nato-browse console script is not installed in this venv"
    index_dir = tmp_path / "index"
    assert build_index([SEED], index_dir).quotes > 0
    env = f"NATO_BROWSE_CONFIG_DIR={shlex.quote(str(tmp_path / 'config'))} TERM=xterm-256color"
    line = f"env {env} {shlex.quote(str(command))} --index-dir {shlex.quote(str(index_dir))}"
    tmux.run("new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), line)

    # The whole first screen: results under the search box, and the footer's keys.
    tmux.wait_for("14 quotes match")
    tmux.wait_for("Palette")
    tmux.run("send-keys", "-t", "app", "-l", "Finland")
    # The quote that says "Finland", then the one only tagged with it.
    # (waited for together: the count can be drawn a frame before the rows)
    tmux.wait_for("2 quotes match", "solidarity with our Ally Finland", "Jens Stoltenberg")

    tmux.run("send-keys", "-t", "app", "C-q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = subprocess.run(
            ["tmux", "-S", str(tmux.socket), "has-session", "-t", "app"], capture_output=True
        )
        if alive.returncode != 0:
            return  # the app quit and its session closed
        time.sleep(0.1)
    raise AssertionError("ctrl+q did not quit the app:\n" + tmux.screen())


def test_the_app_runs_with_stderr_sent_to_a_log(tmux, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`nato-browse 2>log`: stdin and stdout are the terminal, so the app draws there."""
    from nato_browse.index.store.build import build_index

    command = Path(sys.executable).parent / "nato-browse"
    index_dir = tmp_path / "index"
    assert build_index([SEED], index_dir).quotes > 0
    log = tmp_path / "log"
    env = f"NATO_BROWSE_CONFIG_DIR={shlex.quote(str(tmp_path / 'config'))} TERM=xterm-256color"
    line = (
        f"env {env} {shlex.quote(str(command))} --index-dir {shlex.quote(str(index_dir))}"
        f" 2>{shlex.quote(str(log))}; echo exit=$?; sleep 30"
    )
    tmux.run("new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), line)
    tmux.wait_for("14 quotes match")
    tmux.run("send-keys", "-t", "app", "-l", "Finland")
    # The quote that says "Finland", then the one only tagged with it.
    tmux.wait_for("2 quotes match", "solidarity with our Ally Finland")
    tmux.run("send-keys", "-t", "app", "C-q")
    tmux.wait_for("exit=0")
    assert "\x1b[" not in log.read_text(encoding="utf-8", errors="replace")  # nothing drawn there


def test_open_a_document_from_a_quote_and_come_back_at_80x24(tmux, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from nato_browse.index.store.build import build_index

    command = Path(sys.executable).parent / "nato-browse"
    index_dir = tmp_path / "index"
    assert build_index([SEED], index_dir).quotes > 0
    env = f"NATO_BROWSE_CONFIG_DIR={shlex.quote(str(tmp_path / 'config'))} TERM=xterm-256color"
    line = f"env {env} {shlex.quote(str(command))} --index-dir {shlex.quote(str(index_dir))}"
    tmux.run("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", line)
    tmux.wait_for("14 quotes match")
    tmux.run("send-keys", "-t", "app", "-l", "finland")
    # The quote that says "Finland" first, then the one only tagged with it.
    tmux.wait_for("2 quotes match")
    # Into the list, then o: the whole article, this quote among the others.
    tmux.run("send-keys", "-t", "app", "Down", "o")
    # The reader paints its top first, then scrolls to the quote: wait for both.
    screen = tmux.wait_for("Quote ", "solidarity with our Ally Finland")
    assert "Secretary General: NATO to reaffirm long-term support to Ukraine" in screen
    assert "nato-2023-11-27-foreign-ministers.txt" in screen
    assert "Stoltenberg" in screen  # the speaker, in the margin
    assert "esc Back" in screen and "n Next" in screen
    # p and n walk the article's quotes; the header follows.
    match = re.search(r"Quote (\d+) of 14", screen)
    assert match is not None
    at = int(match.group(1))
    tmux.run("send-keys", "-t", "app", "p")
    tmux.wait_for(f"Quote {at - 1} of 14")
    tmux.run("send-keys", "-t", "app", "n")
    tmux.wait_for(f"Quote {at} of 14")
    # Esc (alone: an Esc followed at once by a key reads as Alt+key) goes back to the list.
    time.sleep(0.3)
    tmux.run("send-keys", "-t", "app", "Escape")
    back = tmux.wait_for("2 quotes match", "solidarity with our Ally Finland")
    assert "Quote " not in back
