"""One quote full-screen: everything the detail pane shows, with room to read.

It shows the main list's highlighted quote: it watches the main screen's `highlighted` and asks
it to move with a `StepQuote` message, so paging on in the list works here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import Hit
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from ..messages import ShowSpeaker, StepQuote
from ..quote_actions import copy_quote, open_source, speaker_of
from ..widgets.detail_pane import DetailPane
from ..widgets.fit_footer import FitFooter

if TYPE_CHECKING:
    from ..app import NatoBrowseApp
    from .main import MainScreen


class DetailScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Quote (full screen)"
    AUTO_FOCUS = "#full-detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="detail-back"),
        Binding("n,J", "step(1)", "Next", id="detail-next"),
        Binding("p,K", "step(-1)", "Previous", id="detail-previous"),
        Binding(
            "o,enter",
            "open_document",
            "Read",
            id="detail-open-document",
            tooltip="Read the quote's whole document, every quote in it marked",
        ),
        Binding("f8,c,y", "copy", "Copy", id="detail-copy"),
        Binding("u,f12", "open_url", "Open url", id="detail-open-url"),
        Binding("P", "speaker", "Speaker view", id="detail-speaker-view"),
        Binding("question_mark", "app.help", "Help", show=False, id="detail-help"),
    ]

    hit: var[Hit | None] = var(None, init=False, always_update=True)

    def __init__(self, main: MainScreen) -> None:
        super().__init__()
        self.main = main

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    def compose(self) -> ComposeResult:
        yield DetailPane(count_others=True, id="full-detail").data_bind(DetailScreen.hit)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.watch(self.main, "highlighted", self._follow)

    def _follow(self, hit: Hit | None) -> None:
        self.hit = hit

    def action_step(self, step: int) -> None:
        self.main.post_message(StepQuote(step))

    def action_open_document(self) -> None:
        from .reader import ReaderScreen

        if self.hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
        else:
            self.app.push_screen(ReaderScreen(self.hit.quote))

    def action_copy(self) -> None:
        copy_quote(self.nb_app, self.hit)

    def action_open_url(self) -> None:
        open_source(self.nb_app, self.hit)

    def action_speaker(self) -> None:
        if self.hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
        else:
            self._show_speaker(self.hit)

    @work(exclusive=True, group="speaker-view", exit_on_error=False)
    async def _show_speaker(self, hit: Hit) -> None:
        self.main.post_message(ShowSpeaker(await speaker_of(self.nb_app, hit)))
