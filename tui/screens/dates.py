"""The date range filter: two ends, each a year, a month or a day, either may stay open."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..daterange import DateRangeError, parse_range
from .dialog import Dialog


class DateRangeScreen(Dialog[tuple[str, str] | None]):
    BINDING_GROUP_TITLE = "Date range"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dates-cancel"),
        Binding("f7", "clear", "Any date", id="dates-clear"),
    ]

    def __init__(self, date_from: str = "", date_to: str = "") -> None:
        super().__init__()
        self.date_from = date_from
        self.date_to = date_to

    def compose(self) -> ComposeResult:
        with Vertical(id="dates-box", classes="dialog") as box:
            box.border_title = "Quotes dated…"
            with Horizontal(classes="dates-row"):
                yield Label("from ", classes="dates-label")
                yield Input(self.date_from, placeholder="2023, 2023-11 or 2023-11-27", id="from")
            with Horizontal(classes="dates-row"):
                yield Label("to   ", classes="dates-label")
                yield Input(self.date_to, placeholder="blank: no end", id="to")
            yield Static(
                "Enter applies · Tab moves · F7 any date · Esc cancels", classes="dialog-hint"
            )
            yield Static("", id="dates-error", markup=False)

    @on(Input.Submitted)
    def apply(self) -> None:
        start = self.query_one("#from", Input).value
        stop = self.query_one("#to", Input).value
        try:
            self.dismiss(parse_range(start, stop))
        except DateRangeError as exc:
            self.query_one("#dates-error", Static).update(str(exc))

    def action_clear(self) -> None:
        self.dismiss(("", ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
