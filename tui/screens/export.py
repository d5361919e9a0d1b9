"""Where and how to export the current results: a format and a file name."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..export import ExportFormat, default_path, format_for

CHOICES: tuple[tuple[ExportFormat, str], ...] = (
    ("md", "Markdown (quotes with citations)"),
    ("csv", "CSV (one row per quote)"),
    ("json", "JSON (every field)"),
)


class ExportScreen(ModalScreen[tuple[ExportFormat, Path] | None]):
    BINDING_GROUP_TITLE = "Export"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
        Binding("f2", "format('md')", "Markdown", id="export-md"),
        Binding("f3", "format('csv')", "CSV", id="export-csv"),
        Binding("f4", "format('json')", "JSON", id="export-json"),
    ]

    def __init__(self, total: int, directory: Path | None = None) -> None:
        super().__init__()
        self.total = total
        self.directory = directory or Path.cwd()
        self.fmt: ExportFormat = "md"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog") as box:
            box.border_title = f"Export {self.total:,} quotes"
            with RadioSet(id="export-format"):
                for index, (_fmt, label) in enumerate(CHOICES):
                    yield RadioButton(label, value=index == 0)
            yield Input(str(default_path(self.fmt, self.directory)), id="export-path")
            yield Static(
                "F2 Markdown · F3 CSV · F4 JSON · Enter writes · Esc cancels",
                classes="dialog-hint",
            )
            yield Static("", id="export-error", markup=False)

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value)

    def action_format(self, fmt: ExportFormat) -> None:
        index = [f for f, _ in CHOICES].index(fmt)
        buttons = list(self.query(RadioButton))
        buttons[index].value = True
        self._set_format(fmt)

    @on(RadioSet.Changed)
    def format_chosen(self, event: RadioSet.Changed) -> None:
        self._set_format(CHOICES[event.index][0])

    def _set_format(self, fmt: ExportFormat) -> None:
        """Change the format, and the file name's suffix with it."""
        self.fmt = fmt
        box = self.query_one("#export-path", Input)
        path = Path(box.value.strip() or default_path(fmt, self.directory))
        if format_for(path) != fmt:
            box.value = str(path.with_suffix(f".{fmt}"))

    @on(Input.Submitted, "#export-path")
    def write(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#export-error", Static).update("Give a file name.")
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        if path.is_dir():
            path = default_path(self.fmt, path)
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(f"{path.parent}: no such folder")
            return
        self.dismiss((format_for(path) or self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
