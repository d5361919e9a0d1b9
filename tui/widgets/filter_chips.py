"""The active filters as chips: click one to drop it, or "clear all".

One `Static` of clickable spans rather than a row of widgets, so chips wrap onto more lines
when the terminal is narrow.
"""

from __future__ import annotations

from nato_browse.index import Filters
from textual.content import Content
from textual.reactive import var
from textual.style import Style
from textual.widgets import Static

from ..export import filter_values
from ..messages import RemoveFilter

CHIP = "$text-primary on $primary-muted"
CLEAR = "$text-error on $error-muted"


def chip_values(filters: Filters) -> list[tuple[str, str, str]]:
    """(label, field, value) for each active filter value, in a fixed order."""
    chips = [
        (f"{label}: {value}", field, value)
        for field, label, values in filter_values(filters)
        for value in values
    ]
    if filters.date_from or filters.date_to:
        span = f"{filters.date_from or '…'} to {filters.date_to or '…'}"
        chips.append((f"dates: {span}", "dates", span))
    return chips


class FilterChips(Static):
    """Follows the main screen's filters (bound with `data_bind`); hidden while none is set."""

    filters: var[Filters] = var(Filters)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.chips: list[tuple[str, str, str]] = []
        self.display = False

    def watch_filters(self, filters: Filters) -> None:
        self.chips = chip_values(filters)
        parts = []
        for index, (label, _field, _value) in enumerate(self.chips):
            click = Style.from_meta({"@click": f"remove_chip({index})"})
            parts.append(Content.styled(f" {label} × ", CHIP).stylize(click))
        if len(self.chips) > 1:
            click = Style.from_meta({"@click": "remove_chip(-1)"})
            parts.append(Content.styled(" clear all × ", CLEAR).stylize(click))
        self.update(Content(" ").join(parts))
        self.display = bool(self.chips)

    def action_remove_chip(self, index: int) -> None:
        if index < 0:
            self.post_message(RemoveFilter(""))
        elif index < len(self.chips):
            _label, field, value = self.chips[index]
            self.post_message(RemoveFilter(field, value))
