"""An Input with shell-like query history: Up goes back through past searches, Down comes
forward (and, when not going through the history, leaves the box for the list).

A query is recorded when it is submitted (Enter) or when the box loses focus with it, i.e. once
the person has moved on to read its results. The history is saved in the app's config directory
between runs; with no config directory it lasts until the app quits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input

if TYPE_CHECKING:
    from ..state.history import HistoryNavigator, QueryHistory


class HistoryInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_older", "Older search", show=False, id="history-older"),
        Binding("down", "history_newer", "Newer search", show=False, id="history-newer"),
    ]

    _history: QueryHistory | None = None
    _navigator: HistoryNavigator | None = None

    @property
    def history(self) -> QueryHistory:
        """Loaded on first use: nothing is read from disk while the app starts."""
        if self._history is None:
            from ..state.history import HISTORY_FILE, QueryHistory

            folder = getattr(getattr(self.app, "settings", None), "config_dir", None)
            self._history = QueryHistory.load(folder / HISTORY_FILE) if folder else QueryHistory()
            self._warn()
        return self._history

    _warned = ""

    def _warn(self) -> None:
        """Tell the person once about an unreadable or unwritable history file."""
        warning = self.history.warning
        if warning and warning != self._warned:
            self._warned = warning
            self.notify(warning, title="History", severity="warning", timeout=10)

    def _show(self, query: str) -> None:
        self.value = query
        self.cursor_position = len(query)

    def action_history_older(self) -> None:
        if self._navigator is None:
            self._navigator = self.history.navigator()
        query = self._navigator.older(self.value)
        if query is not None:
            self._show(query)

    async def action_history_newer(self) -> None:
        query = None if self._navigator is None else self._navigator.newer()
        if query is None:
            # Not going through the history: Down keeps its meaning, into the list.
            await self.screen.run_action("focus_list")
            return
        self._show(query)

    def record(self) -> None:
        """Remember the query in the box (once in a row) and start the next Up from it."""
        if self.value.strip():
            self.history.add(self.value)
            self._warn()
        self._navigator = None

    def on_input_submitted(self) -> None:
        self.record()  # the event goes on to the screen

    def on_blur(self, event: events.Blur) -> None:
        self.record()
