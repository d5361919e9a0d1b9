"""The command palette, safe from bursts of keys: page keys wait for its list to be laid out
(widgets/page_keys.py), a second Enter does not dismiss it twice (screens/dialog.py), and a
search started by keys queued behind Esc does not fail once it is gone."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches

from ..screens.dialog import gone
from ..widgets.page_keys import page_ready


class SafeCommandPalette(CommandPalette):
    def dismiss(self, result: Any = None) -> AwaitComplete:
        # Two Enters in a burst select twice: the second would close the screen under the
        # palette (see screens/dialog.py).
        if gone(self):
            return AwaitComplete.nothing()
        return super().dismiss(result)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        # Typing queued behind Esc starts a search after the palette closed; Textual's search
        # then fails to find the palette's list, and the failed worker ends the app.
        if gone(self):
            return
        gather = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
        try:
            await gather(self, search_value)
        except NoMatches:
            if not gone(self):
                raise

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down") and not page_ready(self.query_one(CommandList)):
            return
        super()._action_command_list(action)
