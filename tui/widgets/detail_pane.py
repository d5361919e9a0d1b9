"""The selected quote in full: used beside the list and as the full-screen detail view.

It follows the `hit` its screen binds to it (`data_bind`); with `count_others` it also says how
many other quotes the speaker has, counted on the search thread once per speaker and index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from nato_browse.index import Hit, NatoBrowseError
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from ..render import detail
from .question import QuestionBlock
from .sources import SourcesBlock

if TYPE_CHECKING:
    from ..app import NatoBrowseApp


class DetailPane(VerticalScroll):
    BINDING_GROUP_TITLE = "Detail"

    # Always: an equal hit from a new search is still the one on show (tests compare by `is`).
    hit: var[Hit | None] = var(None, init=False, always_update=True)

    def __init__(
        self, *, count_others: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.count_others = count_others
        self.other_quotes: int | None = None
        self._shown: Hit | None = None

    def compose(self) -> ComposeResult:
        yield QuestionBlock()  # an answer's question, above it
        yield Static("", id="detail-body", markup=False)
        yield SourcesBlock()

    def watch_hit(self, hit: Hit | None) -> None:
        same = hit is not None and self._shown is not None and hit.quote == self._shown.quote
        self._shown = hit
        self.other_quotes = None
        # An unattributed quote's source words ("a spokesman") are nobody to count quotes of.
        if hit is not None and self.count_others and hit.quote.speaker and hit.quote.named:
            counts = cast("NatoBrowseApp", self.app).speaker_counts
            count = counts.get(hit.quote.speaker)
            if count is None:
                self._count(hit)
            else:
                self.other_quotes = max(count - 1, 0)
        self._draw()
        self.query_one(QuestionBlock).show(hit)
        self.query_one(SourcesBlock).show(hit)
        if not same:
            self.scroll_home(animate=False)

    def _draw(self) -> None:
        hit = self.hit
        body = self.query_one("#detail-body", Static)
        body.update(detail(hit, self.other_quotes) if hit is not None else "")

    @work(exclusive=True, group="speaker-count", exit_on_error=False)
    async def _count(self, hit: Hit) -> None:
        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return
        try:
            count = await app.in_search_thread(index.speaker_quote_count, hit.quote.speaker)
        except NatoBrowseError:
            return
        app.speaker_counts[hit.quote.speaker] = count
        if self.hit is hit:
            self.other_quotes = max(count - 1, 0)
            self._draw()
