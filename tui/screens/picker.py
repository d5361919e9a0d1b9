"""Pick speakers, topics or regions to filter by: the values in the current results with their
counts, narrowed as you type, several at once."""

from __future__ import annotations

from typing import ClassVar, Literal

from nato_browse.index import UNATTRIBUTED
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.selection_list import Selection

from ..widgets.page_keys import page_ready
from .dialog import Dialog

# The picker lists at most this many values at once; typing narrows to the rest.
MAX_SHOWN = 500


class PickerList(SelectionList[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.apply", "Apply", id="picker-apply"),
        Binding("j", "cursor_down", show=False, id="picker-down"),
        Binding("k", "cursor_up", show=False, id="picker-up"),
    ]

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        if page_ready(self):  # see widgets/page_keys.py
            super()._move_page(direction)

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A highlight queued before the list was narrowed (keys in a burst) may name an option
        # that is gone; SelectionList would fail building its message for it.
        event.prevent_default()
        if event.option_index < self.option_count:
            super()._on_option_list_option_highlighted(event)
        else:
            event.stop()

    def on_key(self, event: events.Key) -> None:
        # Typing in the list goes on narrowing it, as it would in the box above.
        if event.is_printable and event.character not in (" ", "j", "k"):
            event.stop()
            box = self.screen.query_one("#picker-filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character or "")


def _shown(value: str) -> Content:
    """The unattributed quotes' entry reads as what it is, not as someone's name."""
    return Content.styled(value, "italic") if value == UNATTRIBUTED else Content(value)


def matches(value: str, typed: str) -> bool:
    """Every typed word appears in the value, in any order, ignoring case."""
    folded = value.casefold()
    return all(word in folded for word in typed.casefold().split())


class FilterPicker(Dialog[tuple[str, ...] | None]):
    BINDING_GROUP_TITLE = "Filter picker"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "to_list", "To the list", show=False, id="picker-to-list"),
        Binding("f7", "select_none", "None", id="picker-none"),
    ]

    def __init__(
        self,
        label: str,
        values: tuple[tuple[str, int], ...],
        selected: tuple[str, ...],
        aliases: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__()
        self.label = label
        self.values = values
        # Other names of a value (a speaker's spellings): shown beside it and found by typing.
        self.aliases = aliases or {}
        # Kept in the order chosen; values filtered by already but absent from the counts stay.
        self.selected: list[str] = list(selected)
        counts = dict(values)
        self.extra = tuple((value, 0) for value in selected if value not in counts)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog") as box:
            box.border_title = f"Filter by {self.label}"
            yield Input(placeholder=f"Type to narrow the {self.label}s…", id="picker-filter")
            yield PickerList(id="picker-list")
            yield Static(
                "Space picks · Enter applies · F7 none · Esc cancels", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.narrow("")

    def narrow(self, typed: str) -> None:
        if not self.is_attached:  # a key that arrived as the picker closed
            return
        picker = self.query_one(PickerList)
        shown = [
            (v, n)
            for v, n in (*self.extra, *self.values)
            if matches(v, typed) or any(matches(a, typed) for a in self.aliases.get(v, ()))
        ]
        picker.clear_options()
        picker.add_options(
            Selection(self._label(value, count), value, value in self.selected)
            for value, count in shown[:MAX_SHOWN]
        )
        if picker.option_count:
            picker.highlighted = 0
        everything = len(self.values) + len(self.extra)
        box = self.query_one("#picker-box")
        box.border_subtitle = f"{len(shown):,} of {everything:,}" if typed else f"{everything:,}"

    def _label(self, value: str, count: int) -> Content:
        label = Content.assemble(_shown(value), (f"  {count:,}", "dim"))
        others = self.aliases.get(value, ())
        if others:
            label += Content.styled(f"  also {', '.join(others[:4])}", "dim italic")
        return label

    @on(Input.Changed, "#picker-filter")
    def typed(self, event: Input.Changed) -> None:
        self.narrow(event.value)

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        value = event.selection.value
        if value in self.selected:
            self.selected.remove(value)
        else:
            self.selected.append(value)

    @on(Input.Submitted, "#picker-filter")
    def submitted(self) -> None:
        picker = self.query_one(PickerList)
        # Enter with nothing picked takes the value under the cursor: type, Enter, done.
        if not self.selected and picker.highlighted is not None:
            self.selected.append(picker.get_option_at_index(picker.highlighted).value)
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss(tuple(self.selected))

    def action_select_none(self) -> None:
        self.selected.clear()
        self.query_one(PickerList).deselect_all()

    def action_to_list(self) -> None:
        self.query_one(PickerList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
