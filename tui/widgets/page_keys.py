"""Page Up / Page Down on an option list that has not been laid out yet.

Textual 8.2's `OptionList` moves a page from the highlighted option's line, which it knows only
once the list has been laid out: a page key that arrives in the same burst as new options
(typing, then PgDn at once) raises KeyError and ends the app. `PageSafe` does the layout's
bookkeeping first, and ignores the key while there is still no line to move from.
"""

from __future__ import annotations

from typing import Literal

from textual.widgets import OptionList


def page_ready(options: OptionList) -> bool:
    """Whether a page key can move the highlight of `options` now."""
    options._update_lines()
    return (options.highlighted or 0) in options._index_to_line


class PageSafe(OptionList):
    """An `OptionList` whose page keys wait for its first layout."""

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        if page_ready(self):
            super()._move_page(direction)
