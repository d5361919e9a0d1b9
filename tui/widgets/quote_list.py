"""The list of matching quotes: an `OptionList` of options that carry their `Hit`.

Only a page of results is ever in the list (an `OptionList` measures every row up front); when
the highlight nears the end the list asks for the next page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from nato_browse.index import Hit
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..render import SNIPPET_MAX, row

# Ask for the next page when the highlight is this close to the last loaded row.
PAGE_AHEAD = 20


class QuoteOption(Option):
    def __init__(self, hit: Hit, width: int) -> None:
        self.hit = hit
        super().__init__(row(hit, width))


class QuoteList(OptionList):
    BINDING_GROUP_TITLE = "Quote list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up"),
        Binding("g", "first", "First", show=False, id="list-first"),
        Binding("G", "last", "Last", show=False, id="list-last"),
    ]

    @dataclass
    class NeedMore(Message):
        """The highlight is near the last loaded row and more results exist."""

        loaded: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.total = 0  # matches in all, loaded or not
        self._asked_at = -1  # number of loaded rows when NeedMore was last posted
        self._made_for = SNIPPET_MAX  # the width the rows were cut to

    @property
    def row_width(self) -> int:
        """Characters a row can show (rows are cut to it when made; see render.row)."""
        width = self.scrollable_content_region.width - 2  # the option's padding
        return width if width > 0 else SNIPPET_MAX

    def show(self, hits: Iterable[Hit], total: int) -> None:
        """Replace the rows, highlighting the first."""
        self.total = total
        self._asked_at = -1
        self._made_for = width = self.row_width
        self.set_options(QuoteOption(hit, width) for hit in hits)
        if self.option_count:
            self.highlighted = 0

    def extend(self, hits: Iterable[Hit]) -> None:
        """Append the next page, keeping the highlight where it is."""
        self.add_options(QuoteOption(hit, self._made_for) for hit in hits)

    def on_resize(self) -> None:
        # Rows were cut to the old width: make them again for the new one.
        width = self.row_width
        if width != self._made_for and self.option_count:
            highlighted = self.highlighted
            self._made_for = width
            self.set_options([QuoteOption(hit, width) for hit in self.hits])
            self.highlighted = highlighted

    @property
    def highlighted_hit(self) -> Hit | None:
        option = self.highlighted_option
        return option.hit if isinstance(option, QuoteOption) else None

    @property
    def hits(self) -> list[Hit]:
        return [option.hit for option in self.options if isinstance(option, QuoteOption)]

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        loaded = self.option_count
        if (
            highlighted is not None
            and loaded < self.total
            and highlighted >= loaded - PAGE_AHEAD
            and self._asked_at != loaded
        ):
            self._asked_at = loaded
            self.post_message(self.NeedMore(loaded))
