"""The command palette, safe from bursts of keys: page keys wait for its list to be laid out
(widgets/page_keys.py), and a second Enter does not dismiss it twice (screens/dialog.py)."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette

from ..screens.dialog import gone
from ..widgets.page_keys import page_ready


class SafeCommandPalette(CommandPalette):
    def dismiss(self, result: Any = None) -> AwaitComplete:
        # Two Enters in a burst select twice: the second would close the screen under the
        # palette (see screens/dialog.py).
        if gone(self):
            return AwaitComplete.nothing()
        return super().dismiss(result)

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down") and not page_ready(self.query_one(CommandList)):
            return
        super()._action_command_list(action)
