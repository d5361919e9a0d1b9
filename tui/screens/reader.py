"""A quote's whole document: read around a quote.

Title, date, url and file at the top; the text below, scrollable, with the quote highlighted and
in view, and every other quote of the document marked with its speaker in the margin. `n` / `p`
move from quote to quote, `/` finds words in the document, Esc goes back to where you were.

The index keeps quotes, not documents, so the text is read again from the quote's source file
(`load_document`, off the app's thread) and its quotes come from the index
(`QuoteIndex.document_quotes`). A file gone or changed since it was indexed is said in one
line, and the quote is shown in its context as indexed instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import Document, Hit, NatoBrowseError, Quote
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Input, Label, Static

from ..browser import web_url
from ..citation import display_date, source_file, speaker_line
from ..quote_actions import copy_quote, open_source
from ..widgets.document_view import DocumentView
from ..widgets.fit_footer import FitFooter

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

DIM = "dim"


class FindBox(Input):
    """The reader's search box: Enter or Down finds the next match, Up the previous."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_match(1)", "Next match", show=False, id="reader-next-match"),
        Binding("up", "screen.to_match(-1)", "Previous match", show=False, id="reader-prev-match"),
    ]


class ReaderScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Document"
    AUTO_FOCUS = "#reader-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="reader-back"),
        Binding("n", "step(1)", "Next", id="reader-next", tooltip="The document's next quote"),
        Binding("p", "step(-1)", "Previous", id="reader-previous", tooltip="The previous quote"),
        Binding("slash", "find", "Find", id="reader-find"),
        Binding("f8,c,y", "copy", "Copy", id="reader-copy"),
        Binding("u", "open_url", "Open url", show=False, id="reader-open-url"),
        Binding("question_mark", "app.help", "Help", show=False, id="reader-help"),
    ]
    DEFAULT_CSS = """
    ReaderScreen #reader-head {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    ReaderScreen #reader-head > Static {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ReaderScreen #reader-find-bar {
        height: 1;
        display: none;
    }
    ReaderScreen #reader-find-bar.-open {
        display: block;
    }
    ReaderScreen #reader-find {
        border: none;
        height: 1;
        padding: 0 1;
        width: 1fr;
    }
    ReaderScreen DocumentView {
        scrollbar-size-vertical: 1;
    }
    ReaderScreen #reader-find-count {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, quote: Quote) -> None:
        super().__init__()
        self.quote = quote
        self.document: Document | None = None
        self.problem = ""  # why the document could not be read, one line
        self.ready = False

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    def compose(self) -> ComposeResult:
        quote = self.quote
        with Vertical(id="reader-head"):
            yield Static(Content.styled(quote.title or "untitled", "bold"), id="reader-title")
            when = Content.styled(display_date(quote.date), DIM)
            url = web_url(quote.url)
            if url:  # a terminal hyperlink only to the web, never file:// or javascript:
                when += Content.styled("  ·  ", DIM) + Content.styled(
                    quote.url, Style(underline=True, link=url)
                )
            elif quote.url:
                when += Content.styled(f"  ·  {quote.url}", DIM)
            yield Static(when, id="reader-when")
            yield Static(Content.styled(source_file(quote, short=True), DIM), id="reader-file")
            yield Static(Content.styled("Reading the document…", DIM), id="reader-where")
        yield DocumentView(id="reader-text")
        with Horizontal(id="reader-find-bar"):
            yield FindBox(placeholder="Find in the document…", id="reader-find")
            yield Label("", id="reader-find-count")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reader-file").display = bool(self.quote.source)
        self._load()

    def holds_key(self, event: events.Key) -> bool:
        """Keys wait for the document (keys.py), but Esc, which goes back."""
        return not self.ready and event.key != "escape"

    # ------------------------------------------------------------------ reading

    @work(exclusive=True, group="reader", exit_on_error=False)
    async def _load(self) -> None:
        from nato_browse.index import load_document

        quote = self.quote
        quotes: list[Quote] = []
        index = self.nb_app.index
        try:
            if index is not None:
                quotes = await self.nb_app.in_search_thread(index.document_quotes, quote.doc)
            # The user's file, read off the app's thread (not the search thread: no index work).
            self.document = await asyncio.to_thread(load_document, quote.source, quote.doc)
        except NatoBrowseError as exc:
            self.problem = str(exc)
        self._show(quotes)
        self.ready = True

    def _show(self, quotes: list[Quote]) -> None:
        view = self.query_one(DocumentView)
        quote = self.quote
        if self.document is None:
            text, shown = _in_context(quote, self.problem)
            view.show(text, [shown], 0)
            where = Content.styled(self.problem or "The document could not be read.", "$warning")
            self.query_one("#reader-where", Static).update(where)
            return
        if not any(_same(q, quote) for q in quotes):
            quotes = sorted([*quotes, quote], key=lambda q: (q.start, q.end))
        current = next(i for i, q in enumerate(quotes) if _same(q, quote))
        view.show(self.document.body, quotes, current)
        self._where()

    def _where(self) -> None:
        """The line under the head: which quote of how many, and whose."""
        view = self.query_one(DocumentView)
        if self.document is None or not view.quotes:
            return
        quote = view.quotes[view.current]
        count = len(view.quotes)
        self.query_one("#reader-where", Static).update(
            Content.assemble(
                (f"Quote {view.current + 1} of {count}" if count > 1 else "The only quote", "bold"),
                (" · ", DIM),
                speaker_line(quote),
            )
        )

    # ------------------------------------------------------------------ keys

    def action_step(self, step: int) -> None:
        view = self.query_one(DocumentView)
        if not view.step(step):
            where = "last" if step > 0 else "first"
            self.notify(f"This is the document's {where} quote.", timeout=2)
        self._where()

    def action_find(self) -> None:
        self.query_one("#reader-find-bar").add_class("-open")
        self.query_one(FindBox).focus()

    @on(Input.Changed, "#reader-find")
    def find_changed(self, event: Input.Changed) -> None:
        view = self.query_one(DocumentView)
        found = view.find(event.value)
        self._count(found, view.to_match(1, from_top=True) if found else None)

    @on(Input.Submitted, "#reader-find")
    def find_next(self) -> None:
        self.action_to_match(1)

    def action_to_match(self, step: int) -> None:
        view = self.query_one(DocumentView)
        self._count(len(view.matches), view.to_match(step))

    def _count(self, found: int, at: int | None) -> None:
        wanted = self.query_one(FindBox).value.strip()
        if not wanted:
            text = ""
        elif not found:
            text = "not found"
        else:
            text = f"{(at or 0) + 1} of {found}"
        self.query_one("#reader-find-count", Label).update(text)

    def action_back(self) -> None:
        bar = self.query_one("#reader-find-bar")
        if bar.has_class("-open") and self.focused is self.query_one(FindBox):
            # The found words stay marked; `/` comes back to them.
            bar.remove_class("-open")
            self.query_one(DocumentView).focus()
        else:
            self.dismiss()

    def _current_hit(self) -> Hit:
        view = self.query_one(DocumentView)
        quote = view.quotes[view.current] if view.quotes and self.document else self.quote
        return Hit(quote=quote, score=0.0)

    def action_copy(self) -> None:
        copy_quote(self.nb_app, self._current_hit())

    def action_open_url(self) -> None:
        open_source(self.nb_app, self._current_hit())


def _same(a: Quote, b: Quote) -> bool:
    return (a.start, a.end) == (b.start, b.end)


def _in_context(quote: Quote, problem: str) -> tuple[str, Quote]:
    """When the document cannot be read: the reason, then the quote in its context as the index
    keeps it, with the quote's offsets moved to that text."""
    lead = f"{problem}\n\nThe quote in its context, as indexed:\n\n"
    context, start = quote.context, quote.start - quote.context_start
    if not context.strip() or not 0 <= start <= start + len(quote.text) <= len(context):
        context, start = quote.text, 0
    moved = replace(quote, start=len(lead) + start, end=len(lead) + start + len(quote.text))
    return lead + context, moved
