"""The selected quote in full: used beside the list and as the full-screen detail view."""

from __future__ import annotations

from nato_browse.index import Hit
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..render import detail
from .sources import SourcesBlock


class DetailPane(VerticalScroll):
    BINDING_GROUP_TITLE = "Detail"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hit: Hit | None = None
        self.other_quotes: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-body", markup=False)
        yield SourcesBlock()

    def show(self, hit: Hit | None, other_quotes: int | None = None) -> None:
        """Show `hit` (None: an empty pane); `other_quotes` may come later via `show` again."""
        same = hit is not None and self.hit is not None and hit.quote == self.hit.quote
        self.hit, self.other_quotes = hit, other_quotes
        body = self.query_one("#detail-body", Static)
        body.update(detail(hit, other_quotes) if hit is not None else "")
        self.query_one(SourcesBlock).show(hit)
        if not same:
            self.scroll_home(animate=False)
