"""Choose one value from a list with counts, narrowed as you type: the compare view's steps.

Like the filter picker (picker.py), it opens at once and may count its values itself; keys wait
for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.page_keys import PageSafe
from .picker import MAX_SHOWN, Values, ValuesDialog, matches


class ChoiceScreen(ValuesDialog[str | None]):
    """Dismisses with the chosen value, or None (Esc)."""

    DEFAULT_CSS = """
    #choose-list {
        height: auto;
        max-height: 60vh;
        min-width: 16;
        border: none;
        padding: 0;
    }
    ChoiceScreen.-short #choose-list {
        max-height: 40vh;
    }
    """
    BINDING_GROUP_TITLE = "Choose"
    FILTER_ID = "choose-filter"
    BOX_ID = "choose-box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choose-cancel"),
        Binding("down", "to_list", "To the list", show=False, id="choose-to-list"),
    ]

    def __init__(
        self,
        title: str,
        values: Values | Callable[[], Values],
        *,
        first: tuple[str, str] | None = None,
    ) -> None:
        """`values`, or a function counting them (on the search thread); `first`: an extra
        (value, label) offered before the counted values."""
        super().__init__(values)
        self.title_text = title
        self.first = first

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box", classes="dialog") as box:
            box.border_title = Content(self.title_text)  # it may hold a name: never markup
            yield Input(placeholder="Type to narrow…", id="choose-filter")
            yield PageSafe(id="choose-list")
            yield Static("Enter chooses · ↓ to the list · Esc cancels", classes="dialog-hint")

    def narrow(self, typed: str) -> None:
        options = self.query_one("#choose-list", OptionList)
        options.clear_options()
        if self.first is not None and not typed:
            value, label = self.first
            options.add_option(Option(Content.styled(label, "italic"), id=f"={value}"))
        shown = [(v, n) for v, n in self.values if matches(v, typed)]
        options.add_options(
            Option(Content.assemble(value, (f"  {count:,}", "dim")), id=f"={value}")
            for value, count in shown[:MAX_SHOWN]
        )
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#choose-filter")
    def typed(self, event: Input.Changed) -> None:
        if self.ready:
            self.narrow(event.value)

    @on(Input.Submitted, "#choose-filter")
    def submitted(self) -> None:
        options = self.query_one("#choose-list", OptionList)
        highlighted = options.highlighted
        if highlighted is not None and highlighted < options.option_count:
            self._choose(options.get_option_at_index(highlighted))

    @on(OptionList.OptionSelected, "#choose-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        # Option ids carry the value behind "=", so "" (every topic) is a value too.
        self.dismiss((option.id or "=")[1:])

    def action_to_list(self) -> None:
        self.query_one("#choose-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
