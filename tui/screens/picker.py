"""Pick speakers, topics or regions to filter by: the values in the current results with their
counts, narrowed as you type, several at once.

The dialog opens at once, from the key, and counts its values on the search thread; until they
are in it holds the keys that act on them (keys.py), so "s Down Space Down Space Enter" sent in
one burst picks what it picks typed slowly. `ValuesDialog` is that part, shared with the
one-value dialog (choose.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar, cast

from nato_browse.index import UNATTRIBUTED, NatoBrowseError
from rich.segment import Segment
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, Input, OptionList, SelectionList, Static
from textual.widgets.selection_list import Selection

from ..keys import is_typing
from ..widgets.page_keys import page_ready
from .dialog import Dialog

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

# The picker lists at most this many values at once; typing narrows to the rest.
MAX_SHOWN = 500
# The mark of a picked row (an unpicked one shows a blank box): not a colour alone.
PICKED, UNPICKED = "✓", " "

Values = Sequence[tuple[str, int]]
Aliases = dict[str, tuple[str, ...]]  # a value's other names
T = TypeVar("T")


def _shown(value: str) -> Content:
    """The unattributed quotes' entry reads as what it is, not as someone's name."""
    return Content.styled(value, "italic") if value == UNATTRIBUTED else Content(value)


def matches(value: str, typed: str) -> bool:
    """Every typed word appears in the value, in any order, ignoring case."""
    folded = value.casefold()
    return all(word in folded for word in typed.casefold().split())


class ValuesDialog(Dialog[T]):
    """A dialog over values with counts, given or counted when it opens (`count`, run on the
    search thread). Subclasses show them (`narrow`) and name their box and filter input."""

    FILTER_ID: ClassVar[str] = ""
    BOX_ID: ClassVar[str] = ""

    def __init__(self, values: Values | Callable[[], Values]) -> None:
        super().__init__()
        self.values: tuple[tuple[str, int], ...] = ()
        self._count: Callable[[], Values] | None = None
        if callable(values):
            self._count = values
        else:
            self.values = tuple(values)
        self.ready = self._count is None

    def on_mount(self) -> None:
        if self._count is not None:
            self.query_one(f"#{self.BOX_ID}").border_subtitle = "counting…"
            self._load(self._count)
        else:
            self._show()

    @work(exclusive=True, group="dialog-values", exit_on_error=False)
    async def _load(self, count: Callable[[], Values]) -> None:
        app = cast("NatoBrowseApp", self.app)
        try:
            values = await app.in_search_thread(self.fetch, count)
        except NatoBrowseError as exc:
            self.notify(str(exc), severity="error")
            self.dismiss(None)
            return
        self.values = tuple(values)
        self.ready = True
        self.query_one(f"#{self.BOX_ID}").border_subtitle = ""
        self._show()

    def fetch(self, count: Callable[[], Values]) -> Values:
        """The values (on the search thread): `count`'s; a subclass may read more there."""
        return count()

    def _show(self) -> None:
        if self.is_attached:
            self.narrow(self.query_one(f"#{self.FILTER_ID}", Input).value)

    def holds_key(self, event: events.Key) -> bool:
        """Until the values are in, keys wait (but Esc, which cancels, and typing, which the
        values are narrowed by when they come)."""
        return not self.ready and event.key != "escape" and not is_typing(self.app, event)

    def narrow(self, typed: str) -> None:
        raise NotImplementedError


class PickerList(SelectionList[str]):
    # Keys that move or pick within the list: a run of them goes straight to it (keys.py).
    LOCAL_KEYS = frozenset({"up", "down", "j", "k", "pageup", "pagedown", "home", "end", "space"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.apply", "Apply", id="picker-apply"),
        Binding("space", "pick", "Pick", show=False, id="picker-pick"),
        Binding("j", "cursor_down", show=False, id="picker-down"),
        Binding("k", "cursor_up", show=False, id="picker-up"),
    ]

    def action_pick(self) -> None:
        # At once, on the row highlighted now (SelectionList's own Space toggles the row
        # highlighted when its message comes round: after the Down of a quick "Space Down").
        if self.highlighted is not None and self.highlighted < self.option_count:
            self.toggle(self.get_option_at_index(self.highlighted))

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

    def render_line(self, y: int) -> Strip:
        # The toggle button shows a check mark when picked, a blank when not (SelectionList
        # draws the same "X" for both, told apart only by colour).
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        index = self.scroll_offset.y + y
        picked = index < self.option_count and self.get_option_at_index(index).value in set(
            self.selected
        )
        segments[1] = Segment(PICKED if picked else UNPICKED, segments[1].style)
        return Strip(segments, strip.cell_length)


class FilterPicker(ValuesDialog[tuple[str, ...] | None]):
    BINDING_GROUP_TITLE = "Filter picker"
    FILTER_ID = "picker-filter"
    BOX_ID = "picker-box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "to_list", "To the list", show=False, id="picker-to-list"),
        Binding("f7", "select_none", "None", id="picker-none"),
    ]

    def __init__(
        self,
        label: str,
        values: Values | Callable[[], Values],
        selected: tuple[str, ...],
        aliases: dict[str, tuple[str, ...]]
        | Callable[[], dict[str, tuple[str, ...]]]
        | None = None,
    ) -> None:
        super().__init__(values)
        self.label = label
        # Other names of a value (a speaker's spellings): shown beside it and found by typing;
        # read on the search thread with the values when given as a function.
        self._aliases = aliases if callable(aliases) else None
        self.aliases: Aliases = {} if callable(aliases) else aliases or {}
        # Kept in the order chosen; values filtered by already but absent from the counts stay.
        self.selected: list[str] = list(selected)
        self._shown = ""  # "12 of 40": the values the typed words leave

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog") as box:
            box.border_title = f"Filter by {self.label}"
            yield Input(placeholder=f"Type to narrow the {self.label}s…", id="picker-filter")
            yield PickerList(id="picker-list")
            yield Static(
                "Space picks · Enter applies · F7 none · Esc cancels", classes="dialog-hint"
            )

    def fetch(self, count: Callable[[], Values]) -> Values:
        if self._aliases is not None:
            self.aliases = self._aliases()
        return count()

    def narrow(self, typed: str) -> None:
        if not self.is_attached:  # a key that arrived as the picker closed
            return
        picker = self.query_one(PickerList)
        counts = dict(self.values)
        extra = tuple((value, 0) for value in self.selected if value not in counts)
        shown = [
            (v, n)
            for v, n in (*extra, *self.values)
            if matches(v, typed) or any(matches(a, typed) for a in self.aliases.get(v, ()))
        ]
        picker.clear_options()
        picker.add_options(
            Selection(self._label(value, count), value, value in self.selected)
            for value, count in shown[:MAX_SHOWN]
        )
        if picker.option_count:
            picker.highlighted = 0
        everything = len(self.values) + len(extra)
        self._shown = f"{len(shown):,} of {everything:,}" if typed else f"{everything:,}"
        self._subtitle()

    def _label(self, value: str, count: int) -> Content:
        label = Content.assemble(_shown(value), (f"  {count:,}", "dim"))
        others = self.aliases.get(value, ())
        if others:
            label += Content.styled(f"  also {', '.join(others[:4])}", "dim italic")
        return label

    def _subtitle(self) -> None:
        picked = f" · {len(self.selected):,} picked" if self.selected else ""
        self.query_one("#picker-box").border_subtitle = self._shown + picked

    @on(Input.Changed, "#picker-filter")
    def typed(self, event: Input.Changed) -> None:
        if self.ready:
            self.narrow(event.value)

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        value = event.selection.value
        if value in self.selected:
            self.selected.remove(value)
        else:
            self.selected.append(value)
        self._subtitle()

    @on(Input.Submitted, "#picker-filter")
    def submitted(self) -> None:
        picker = self.query_one(PickerList)
        # Enter with nothing picked takes the value under the cursor: type, Enter, done.
        highlighted = picker.highlighted
        if not self.selected and highlighted is not None and highlighted < picker.option_count:
            self.selected.append(picker.get_option_at_index(highlighted).value)
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss(tuple(self.selected))

    def action_select_none(self) -> None:
        self.selected.clear()
        self.query_one(PickerList).deselect_all()
        self._subtitle()

    def action_to_list(self) -> None:
        self.query_one(PickerList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
