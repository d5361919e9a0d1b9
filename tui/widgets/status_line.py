"""One line under the list: how many quotes match, the active filters and the sort order; or,
while there is nothing to count yet, what the app is doing ("Opening the index…")."""

from __future__ import annotations

from nato_browse.index import Filters, SearchResult, SortOrder
from textual.content import Content
from textual.reactive import var
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
    """Follows the main screen's state (bound with `data_bind`): each change redraws it."""

    message: var[str] = var("", init=False)  # shown instead of the counts when set
    result: var[SearchResult | None] = var(None, init=False)
    loaded: var[int] = var(0, init=False)  # rows in the list
    filters: var[Filters] = var(Filters, init=False)
    sort: var[SortOrder] = var("relevance", init=False)
    summary: var[str] = var("", init=False)  # what the index holds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def _redraw(self) -> None:
        result = self.result
        if self.message or result is None:
            self.update(self.message)
        else:
            self.update(
                status_text(result.total, self.loaded, self.filters, self.sort, self.summary)
            )

    watch_message = watch_result = watch_loaded = watch_filters = watch_sort = watch_summary = (
        _redraw
    )
