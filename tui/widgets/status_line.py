"""One line under the list: how many quotes match, the active filters and the sort order; or,
while there is nothing to count yet, what the app is doing ("Opening the index…")."""

from __future__ import annotations

from nato_browse.index import Filters, SearchResult
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from ..export import describe_filters
from ..wording import SORT_LABELS, match_count


def status_text(result: SearchResult, filters: Filters, index_summary: str = "") -> Content:
    """ "4,499 quotes match (4,462 after merging repeats) · region: Nordic · newest first"."""
    parts = [Content.styled(match_count(result.total, result.quotes), "bold")]
    parts.extend(Content(part) for part in describe_filters(filters))
    # The order the results are really in (an empty query lists newest first).
    parts.append(Content.styled(SORT_LABELS[result.sort], "dim"))
    if index_summary:
        parts.append(Content.styled(index_summary, "dim"))
    return Content(" · ").join(parts)


class StatusLine(Static):
    """Follows the main screen's state (bound with `data_bind`): each change redraws it."""

    message: var[str] = var("", init=False)  # shown instead of the counts when set
    result: var[SearchResult | None] = var(None, init=False)
    filters: var[Filters] = var(Filters, init=False)
    summary: var[str] = var("", init=False)  # what the index holds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def _redraw(self) -> None:
        result = self.result
        if self.message or result is None:
            self.update(self.message)
        else:
            self.update(status_text(result, self.filters, self.summary))

    watch_message = watch_result = watch_filters = watch_summary = _redraw
