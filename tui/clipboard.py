"""Copying text out of the app: the terminal's clipboard (OSC 52) first, the system's second.

OSC 52 cannot report whether the terminal honoured it (tmux drops it unless `set-clipboard` is
on), so pyperclip also tries the system clipboard, in a thread because it may run a program.
"""

from __future__ import annotations

from typing import Any

from textual.app import App


def _system_copy(text: str) -> bool:
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # no clipboard program, no display: OSC 52 is all there is
        return False
    return True


def copy_text(app: App[Any], text: str, what: str) -> None:
    """Copy `text` and tell the person what was copied."""
    app.copy_to_clipboard(text)
    app.run_worker(
        lambda: _system_copy(text),
        thread=True,
        group="clipboard",
        exit_on_error=False,
        description="system clipboard",
    )
    app.notify(what, title="Copied")
