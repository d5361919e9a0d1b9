"""The base of the app's dialogs: a modal screen that is dismissed once.

Textual's `dismiss` pops whatever screen is on top when it runs. Two Enters in a burst queue two
"submitted" messages on a dialog; the first dismisses it, the second would then close the screen
under it, and from the main screen leave the app with no screen at all. So a dialog that is no
longer on top ignores `dismiss`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

ResultT = TypeVar("ResultT")


def gone(screen: Screen[Any]) -> bool:
    """Whether `screen` is no longer the one on top (dismissed already, or covered)."""
    return screen.app.screen is not screen


class Dialog(ModalScreen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if gone(self):
            return AwaitComplete.nothing()
        return super().dismiss(result)
