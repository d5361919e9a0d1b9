"""One quote full-screen: everything the detail pane shows, with room to read."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from nato_browse.index import Hit
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.detail_pane import DetailPane
from ..widgets.quote_list import QuoteList

if TYPE_CHECKING:
    from .main import MainScreen


class DetailScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Quote (full screen)"
    AUTO_FOCUS = "#full-detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="detail-back"),
        Binding("n,J", "step(1)", "Next", id="detail-next"),
        Binding("p,K", "step(-1)", "Previous", id="detail-previous"),
        Binding("f8,c,y", "copy", "Copy", id="detail-copy"),
        Binding("u,f12", "open_url", "Open url", id="detail-open-url"),
        Binding("P", "speaker", "Speaker view", id="detail-speaker-view"),
        Binding("question_mark", "app.help", "Help", show=False, id="detail-help"),
    ]

    def __init__(self, main: MainScreen) -> None:
        super().__init__()
        self.main = main

    def compose(self) -> ComposeResult:
        yield DetailPane(id="full-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_current()

    @property
    def hit(self) -> Hit | None:
        return self.main.query_one(QuoteList).highlighted_hit

    def show_current(self) -> None:
        hit = self.hit
        pane = self.query_one(DetailPane)
        if hit is not None:
            pane.show(hit, self.main.other_quotes(hit))
            if self.main.other_quotes(hit) is None:
                self.main.fetch_speaker_count(hit)

    def speaker_count_known(self, hit: Hit) -> None:
        if self.hit is hit:
            self.show_current()

    def action_step(self, step: int) -> None:
        quotes = self.main.query_one(QuoteList)
        if step > 0:
            quotes.action_cursor_down()
        else:
            quotes.action_cursor_up()
        self.show_current()

    def action_copy(self) -> None:
        self.main.action_copy(self.hit)

    def action_open_url(self) -> None:
        self.main.action_open_url(self.hit)

    def action_speaker(self) -> None:
        self.main.action_speaker(self.hit)
