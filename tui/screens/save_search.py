"""Name the current search to find it again from the palette or with `nato-browse --saved`."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from .dialog import Dialog


class SaveSearchScreen(Dialog[str | None]):
    """Dismisses with the name typed (stripped, never empty), or None (Esc)."""

    BINDING_GROUP_TITLE = "Save search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save-search-cancel"),
    ]

    def __init__(self, summary: str, suggested: str = "", taken: Collection[str] = ()) -> None:
        super().__init__()
        self.summary = summary
        self.suggested = suggested
        self.taken = {name.casefold() for name in taken}

    def compose(self) -> ComposeResult:
        with Vertical(id="save-search-box", classes="dialog") as box:
            box.border_title = "Save search as…"
            yield Static(self.summary, classes="dialog-hint", markup=False)
            yield Input(self.suggested, placeholder="A name, e.g. arctic", id="save-search-name")
            yield Static("Enter saves · Esc cancels", classes="dialog-hint")
            yield Static("", id="save-search-note", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)
        self.typed(Input.Changed(box, box.value))

    @on(Input.Changed, "#save-search-name")
    def typed(self, event: Input.Changed) -> None:
        taken = event.value.strip().casefold() in self.taken
        note = "A saved search has this name: Enter replaces it." if taken else ""
        self.query_one("#save-search-note", Static).update(note)

    @on(Input.Submitted, "#save-search-name")
    def submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.query_one("#save-search-note", Static).update("Type a name first.")

    def action_cancel(self) -> None:
        self.dismiss(None)
