"""Quotes per month as a one-line chart with a caption: "when did they start talking about X".

Used above the main screen's list (fed by `QuoteIndex.months` for the current search) and by the
speaker and compare views (fed by `speaker_profile` figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from nato_browse.index import Filters, NatoBrowseError
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from ..wording import plural

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

MonthCounts = Sequence[tuple[str, int]]


def chart_caption(months: MonthCounts, matching: int | None = None) -> str:
    """ "2023-03 … 2024-12 · peak 17 in 2023-11 · 31 quotes", or why there is no chart
    (`matching`: how many quotes the chart is of, dated or not)."""
    if not months:
        if matching == 0:
            return "No chart: no quotes match."
        if matching:
            return f"No chart: none of the {plural(matching, 'matching quote')} has a known month."
        return "No chart: no quotes with a known month."
    total = sum(n for _, n in months)
    peak_month, peak = max(months, key=lambda m: (m[1], m[0]))  # the latest of equal peaks
    span = months[0][0] if len(months) == 1 else f"{months[0][0]} … {months[-1][0]}"
    return f"{span} · peak {peak:,} in {peak_month} · {plural(total, 'quote')}"


class MonthChart(Vertical):
    """A sparkline of counts per month over a caption; hidden on short terminals."""

    # Not scoped: the last rule looks at the screen the chart is on.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    MonthChart {
        height: auto;
        padding: 0 1;
    }
    MonthChart > Sparkline {
        height: 1;
    }
    MonthChart > .month-caption {
        height: 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Screen.-short MonthChart {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.months: tuple[tuple[str, int], ...] = ()

    def compose(self) -> ComposeResult:
        yield Sparkline([], summary_function=max)
        yield Static("", classes="month-caption", markup=False)

    def show(self, months: MonthCounts, matching: int | None = None) -> None:
        self.months = tuple(months)
        self.query_one(Sparkline).data = [n for _, n in self.months]
        self.query_one(".month-caption", Static).update(chart_caption(self.months, matching))

    def follow(self, query: str, filters: Filters, matching: int | None = None) -> None:
        """Chart the matches of this search (after the list shows it; stale ones are dropped);
        `matching`: how many there are, to say why the chart is empty."""
        if matching == 0:
            self.show((), 0)  # nothing to ask the index
            return
        self._load(query, filters, matching)

    @work(exclusive=True, group="month-chart", exit_on_error=False)
    async def _load(self, query: str, filters: Filters, matching: int | None) -> None:
        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return
        try:
            # The search thread: after the list's search, whose match it reuses (cached).
            months = await app.in_search_thread(index.months, query, filters)
        except NatoBrowseError:
            return
        self.show(months, matching)
