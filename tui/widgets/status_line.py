"""One line under the list: how many quotes match, the active filters and the sort order."""

from __future__ import annotations

from nato_browse.index import Filters, SortOrder
from textual.content import Content
from textual.widgets import Static

from ..export import describe_filters


def status_text(
    total: int, shown: int, filters: Filters, sort: SortOrder, index_summary: str = ""
) -> Content:
    noun = "quote matches" if total == 1 else "quotes match"
    parts = [Content.styled(f"{total:,} {noun}", "bold")]
    if shown < total:
        parts.append(Content.styled(f"{shown:,} loaded", "dim"))
    parts.extend(Content(part) for part in describe_filters(filters))
    parts.append(Content.styled(f"sorted by {sort}", "dim"))
    if index_summary:
        parts.append(Content.styled(index_summary, "dim"))
    return Content(" · ").join(parts)


class StatusLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show_status(
        self, total: int, shown: int, filters: Filters, sort: SortOrder, index_summary: str
    ) -> None:
        self.update(status_text(total, shown, filters, sort, index_summary))

    def show_message(self, message: str) -> None:
        self.update(message)
