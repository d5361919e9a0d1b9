"""Copying text out of the app, and telling the person honestly whether it arrived.

Three ways, tried together:
- the system clipboard, through pyperclip (xclip, wl-copy, pbcopy, ...): confirmed when the
  program ran;
- tmux's own paste buffer when the app runs inside tmux (`$TMUX`): confirmed when `tmux
  load-buffer` succeeded (`-w` also hands it to the outer terminal's clipboard);
- OSC 52, a request to the terminal, which never answers: tmux ignores it by default
  (`set-clipboard external`), GNU screen and the Linux console do not know it.
"Copied" is said only for the first two. When only OSC 52 could be sent, the message says so;
when nothing could work, the text itself is shown, to select with the terminal's own selection.

What is copied is cleaned first: a quote's escape sequences must not reach the clipboard and,
from there, a shell it is pasted into.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import partial
from typing import Any

from nato_browse.index import clean_text
from textual.app import App

TMUX_TIMEOUT = 2.0  # seconds; tmux answers at once, but a wedged server must not hang a worker


def system_copy(text: str) -> bool:
    """Put `text` on the system clipboard; whether a clipboard program took it."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # no clipboard program, no display
        return False
    return True


def _tmux(*args: str, text: str | None = None) -> subprocess.CompletedProcess[str] | None:
    tmux = shutil.which("tmux")
    if tmux is None:
        return None
    try:
        return subprocess.run(
            [tmux, *args],
            input=text,
            capture_output=True,
            text=True,
            timeout=TMUX_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def tmux_copy(text: str) -> bool:
    """Put `text` in tmux's paste buffer when running inside tmux; whether tmux took it."""
    if not os.environ.get("TMUX"):
        return False
    # -w also sets the outer terminal's clipboard (tmux 3.2+); older tmux refuses the flag.
    for args in (("load-buffer", "-w", "-"), ("load-buffer", "-")):
        done = _tmux(*args, text=text)
        if done is not None and done.returncode == 0:
            return True
    return False


def osc52_may_arrive() -> bool:
    """Whether an OSC 52 request can reach a terminal that honours it: not through tmux unless
    its `set-clipboard` is on, not through GNU screen, not on the Linux console."""
    if os.environ.get("TMUX"):
        done = _tmux("show-options", "-gv", "set-clipboard")
        return done is not None and done.stdout.strip() == "on"
    if os.environ.get("STY"):
        return False
    return os.environ.get("TERM", "") not in ("", "dumb", "linux")


def confirmed_copy(text: str) -> str:
    """Copy `text` where it can be confirmed; where it went ("" when nowhere)."""
    if system_copy(text):
        return "the clipboard"
    if tmux_copy(text):
        return "tmux's paste buffer (prefix ] pastes it)"
    return ""


def copy_text(app: App[Any], text: str, what: str) -> None:
    """Copy `text` and tell the person what was copied, and where, as far as it is known."""
    text = clean_text(text)
    what = clean_text(what)
    app.copy_to_clipboard(text)  # OSC 52: costs nothing, and may be all there is
    app.run_worker(
        partial(_copy_and_tell, app, text, what),
        thread=True,
        group="clipboard",
        exit_on_error=False,
        description="clipboard",
    )


def _copy_and_tell(app: App[Any], text: str, what: str) -> None:
    # In a thread: pyperclip and tmux run programs.
    where = confirmed_copy(text)
    osc52 = not where and osc52_may_arrive()
    app.call_from_thread(tell, app, text, what, where, osc52)


def tell(app: App[Any], text: str, what: str, where: str, osc52: bool) -> None:
    """The notice after a copy: confirmed, sent without confirmation, or the text to select."""
    if where:
        app.notify(f"{what}, to {where}.", title="Copied", markup=False)
    elif osc52:
        app.notify(
            f"{what}: sent to the terminal's clipboard (OSC 52). The terminal cannot confirm "
            "it; if pasting gives nothing, install xclip or wl-clipboard.",
            title="Sent to the terminal",
            timeout=8,
            markup=False,
        )
    else:
        app.notify(
            text,
            title="Not copied (no clipboard found): select the text below",
            severity="warning",
            timeout=30,
            markup=False,
        )
