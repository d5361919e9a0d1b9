"""Where and how to export the current results: a format and a file name.

The file name is written exactly as typed (relative to the documents folder the dialog opens
in): the dialog never rewrites what the person typed. Choosing a format renames only the
dialog's own suggested name; a name typed with a suffix we write (.md, .csv, .json) chooses
that format, and the format shown is always the one that will be written. An existing file is
replaced only after a second Enter on the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from nato_browse.index import visible_controls
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..export import ExportFormat, default_folder, default_path, format_for
from .dialog import Dialog

CHOICES: tuple[tuple[ExportFormat, str], ...] = (
    ("md", "Markdown (quotes with citations)"),
    ("csv", "CSV (one row per quote)"),
    ("json", "JSON (every field)"),
)
NAMES = {"md": "Markdown", "csv": "CSV", "json": "JSON"}


@dataclass(frozen=True)
class ExportChoice:
    fmt: ExportFormat
    path: Path
    overwrite: bool = False  # the person confirmed replacing the file there


class ExportScreen(Dialog[ExportChoice | None]):
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
        self.directory = directory or default_folder()
        self.fmt: ExportFormat = "md"
        self.suggested = str(default_path(self.fmt, self.directory))
        self.confirming: Path | None = None  # an existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog") as box:
            box.border_title = f"Export {self.total:,} quotes"
            with RadioSet(id="export-format"):
                for index, (_fmt, label) in enumerate(CHOICES):
                    yield RadioButton(label, value=index == 0)
            yield Input(self.suggested, id="export-path")
            yield Static(
                "F2 Markdown · F3 CSV · F4 JSON · Enter writes · Esc cancels",
                classes="dialog-hint",
            )
            yield Static("", id="export-error", markup=False)

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value)
        self._show_format()

    def _button(self, fmt: ExportFormat) -> RadioButton:
        return list(self.query(RadioButton))[[f for f, _ in CHOICES].index(fmt)]

    def action_format(self, fmt: ExportFormat) -> None:
        self._button(fmt).value = True
        self._set_format(fmt)

    @on(RadioSet.Changed)
    def format_chosen(self, event: RadioSet.Changed) -> None:
        self._set_format(CHOICES[event.index][0])

    def _set_format(self, fmt: ExportFormat) -> None:
        """Change the format; the suggested name follows it, a typed name is left alone."""
        self.fmt = fmt
        box = self.query_one("#export-path", Input)
        if box.value == self.suggested:
            self.suggested = str(Path(self.suggested).with_suffix(f".{fmt}"))
            box.value = self.suggested
            box.cursor_position = len(box.value)
        self._show_format()

    @on(Input.Changed, "#export-path")
    def name_changed(self, event: Input.Changed) -> None:
        """A suffix we write chooses its format, and the radio buttons show it."""
        self.confirming = None
        typed = format_for(Path(event.value.strip()))
        if typed is not None and typed != self.fmt:
            self.fmt = typed
            self._button(typed).value = True
        self._show_format()

    def _show_format(self) -> None:
        box = self.query_one("#export-box")
        box.border_subtitle = Content(f"writes {NAMES[self.fmt]}")

    def _say(self, message: str) -> None:
        self.query_one("#export-error", Static).update(message)

    @on(Input.Submitted, "#export-path")
    def write(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._say("Give a file name.")
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        try:
            if path.is_dir():
                path = default_path(self.fmt, path)
            folder_missing, exists = not path.parent.is_dir(), path.exists()
        except OSError as exc:  # a name too long, a folder that cannot be read
            self._say(f"{visible_controls(path.name)[:80]}: {exc.strerror or exc}")
            return
        if folder_missing:
            self._say(f"{visible_controls(str(path.parent))}: no such folder")
            return
        if exists:
            if self.confirming != path:
                self.confirming = path
                self._say(
                    f"{visible_controls(path.name)} exists. Enter again to replace it, "
                    "or change the name."
                )
                return
            self.dismiss(ExportChoice(self.fmt, path, overwrite=True))
            return
        self.dismiss(ExportChoice(self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
