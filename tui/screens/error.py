"""What went wrong while opening the index, and what to do about it: never a traceback."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from ..messages import IndexFailed
from ..widgets.fit_footer import FitFooter
from .dialog import Dialog


class ErrorScreen(Dialog[str]):
    BINDING_GROUP_TITLE = "Problem"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rebuild", "Rebuild the index", id="error-rebuild"),
        Binding("escape,q", "quit", "Quit", id="error-quit"),
    ]

    def __init__(self, failure: IndexFailed) -> None:
        super().__init__()
        self.failure = failure

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box") as box:
            box.border_title = self.failure.title
            yield Static(self.failure.message, id="error-message", markup=False)
            if self.failure.advice:
                yield Static(self.failure.advice, id="error-advice", markup=False)
        yield FitFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rebuild":
            return self.failure.can_rebuild
        return True

    def action_rebuild(self) -> None:
        self.dismiss("rebuild")

    def action_quit(self) -> None:
        self.dismiss("quit")
