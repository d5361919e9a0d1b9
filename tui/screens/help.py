"""Every key the app answers to, by where it works, with the binding ids a config file remaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from ..state.config import CONFIG_NAME
from .dialog import Dialog

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

# Keys the person uses that Textual widgets provide (not remappable through our ids).
BUILT_IN: dict[str, list[tuple[str, str]]] = {
    "Quote list": [
        ("↑ ↓", "Previous / next quote"),
        ("PgUp PgDn", "A page up / down (more results load as you go)"),
        ("Home End", "The first / the last of all the results"),
        ("Enter", "Open the quote full-screen"),
    ],
    "Document": [
        ("↑ ↓ PgUp PgDn", "Scroll the document"),
        ("Enter ↓ / ↑", "In the find box: the next / previous match"),
    ],
    "Search box": [
        ("Enter", "Go to the list (or take the “did you mean”)"),
        ("Tab", "Go to the list"),
    ],
    "Filter picker": [
        ("Space", "Pick or unpick a value"),
        ("Enter", "Apply the picked values"),
    ],
}


def binding_sources() -> list[tuple[str, type[DOMNode]]]:
    """Where bindings live, in the order the help lists them."""
    from ..app import NatoBrowseApp
    from ..widgets.history_input import HistoryInput
    from ..widgets.quote_list import QuoteList
    from .compare import CompareScreen
    from .dates import DateRangeScreen
    from .detail import DetailScreen
    from .error import ErrorScreen
    from .export import ExportScreen
    from .main import MainScreen
    from .picker import FilterPicker
    from .reader import ReaderScreen
    from .save_search import SaveSearchScreen
    from .speaker import SpeakerScreen

    return [
        ("Everywhere", NatoBrowseApp),
        ("Main screen", MainScreen),
        ("Search box", HistoryInput),
        ("Quote list", QuoteList),
        ("Quote (full screen)", DetailScreen),
        ("Document", ReaderScreen),
        ("Speaker view", SpeakerScreen),
        ("Compare speakers", CompareScreen),
        ("Save search", SaveSearchScreen),
        ("Filter picker", FilterPicker),
        ("Date range", DateRangeScreen),
        ("Export", ExportScreen),
        ("Problem", ErrorScreen),
    ]


def binding_rows(app: NatoBrowseApp) -> list[tuple[str, str, str, str]]:
    """(group, keys, description, binding id) for every binding, after the user's keymap."""
    rows = []
    for group, source in binding_sources():
        # "f2,s" arrives as two bindings with one id: show them as one row.
        merged: dict[str, tuple[list[str], Binding]] = {}
        for binding in Binding.make_bindings(source.__dict__.get("BINDINGS", [])):
            if binding.system:
                continue
            keys, _ = merged.setdefault(binding.id or binding.action, ([], binding))
            keys.append(binding.key)
        for keys, binding in merged.values():
            if binding.id and binding.id in app.keymap:
                keys = [key.strip() for key in app.keymap[binding.id].split(",")]
            shown = " ".join(app.get_key_display(Binding(key, binding.action)) for key in keys)
            description = binding.tooltip or binding.description
            rows.append((group, shown, description, binding.id or ""))
        for keys_shown, description in BUILT_IN.get(group, []):
            rows.append((group, keys_shown, description, ""))
    return rows


class HelpTable:
    """The rows as a table that fits its width: keys, description and id side by side when
    there is room; narrower, the id goes under the description; narrowest, one column. The
    description always shows."""

    WIDE = 70  # cells for three columns
    NARROW = 30  # cells for two

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if width >= self.WIDE:
            yield self._table(self.rows, width)
            return
        # Narrower: a heading over each group's own table, so a heading never wraps.
        groups: dict[str, list[tuple[str, str, str, str]]] = {}
        for row in self.rows:
            groups.setdefault(row[0], []).append(row)
        for group, rows in groups.items():
            yield Text(f"\n{group}", style="bold underline")
            yield self._table(rows, width)

    def _table(self, rows: list[tuple[str, str, str, str]], width: int) -> Table:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        if width >= self.WIDE:
            table.add_column("keys", style="bold", no_wrap=True)
            table.add_column("what", ratio=1)
            table.add_column("id", style="dim", no_wrap=True)
        elif width >= self.NARROW:
            # Long key lists wrap rather than squeeze the descriptions.
            table.add_column("keys", style="bold", ratio=1)
            table.add_column("what", ratio=2, overflow="fold")
        else:
            table.add_column("keys and what", overflow="fold")
        group = ""
        for row_group, keys, description, binding_id in rows:
            if width >= self.WIDE and row_group != group:
                group = row_group
                table.add_row()
                table.add_row(Text(group, style="bold underline"))
            what = Text(description)
            if binding_id and width < self.WIDE:
                what.append(f"\n{binding_id}", style="dim")
            if width >= self.WIDE:
                table.add_row(Text(keys), what, Text(binding_id))
            elif width >= self.NARROW:
                table.add_row(Text(keys), what)
            else:
                table.add_row(Text.assemble((keys, "bold"), "\n", what))
        return table


class HelpScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help-close")
    ]

    def compose(self) -> ComposeResult:
        app = cast("NatoBrowseApp", self.app)
        config = app.settings.config_dir
        where = config / CONFIG_NAME if config else CONFIG_NAME
        with VerticalScroll(id="help-box", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(HelpTable(binding_rows(app)))
            yield Static(
                f"Remap keys in {where}"
                ' under [keys], e.g. filter-speaker = "f2,s" (the ids are the grey names).\n'
                "ctrl+p opens the command palette: every command, and any speaker, topic or "
                "region by name.",
                classes="dialog-hint",
                markup=False,
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
