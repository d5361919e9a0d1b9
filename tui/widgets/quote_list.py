"""The list of matching quotes: an `OptionList` of options that carry their `Hit`.

The list holds a window of the results, never all of them (an `OptionList` measures every row
up front): it starts with the first page, fetches the next page itself when the highlight nears
the end of the window and the previous one when it nears the start, on the app's search thread,
from the `Pages` the screen gave it with the first page. `G` / End jump to the real last result
(the window moves there) and `g` / Home back to the first. While a page is on its way, moves
wait in a queue and run when it is in, so keys sent in a burst move as far as they would typed
slowly; the list is `busy` meanwhile, and its screen holds other keys (keys.py). The main list
and the speaker view's list page the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, cast

from nato_browse.index import Hit, NatoBrowseError, SearchResult
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.option_list import Option

from ..render import SNIPPET_MAX, row
from .page_keys import PageSafe

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

# Ask for the next (previous) page when the highlight is this close to the last (first) row.
PAGE_AHEAD = 20
# Rows fetched per page unless the screen says otherwise.
PAGE = 100


class Pages(Protocol):
    """More of one search's results: e.g. `partial(index.search, query, filters, sort=...)`.
    Called on the search thread."""

    def __call__(self, *, limit: int, offset: int) -> SearchResult: ...


class QuoteOption(Option):
    def __init__(self, hit: Hit, width: int) -> None:
        self.hit = hit
        super().__init__(row(hit, width))


class QuoteList(PageSafe):
    BINDING_GROUP_TITLE = "Quote list"
    # Keys that only move in the list: a run of them goes straight to it (keys.py).
    LOCAL_KEYS = frozenset({"up", "down", "j", "k", "pageup", "pagedown", "home", "end", "g", "G"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up"),
        Binding("g", "first", "First", show=False, id="list-first"),
        Binding("G", "last", "Last", show=False, id="list-last"),
    ]

    @dataclass
    class PageLoaded(Message):
        """Another page is in the list: `loaded` rows now."""

        loaded: int

    @dataclass
    class PageFailed(Message):
        """The next page could not be read; `problem` says why, in one line."""

        problem: str

    def __init__(self, *, page: int = PAGE, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.page = page
        self.total = 0  # matches in all, loaded or not
        self.start = 0  # the place in the results of the first row
        self._pages: Pages | None = None
        self._generation = 0  # bumped by `show` and each jump: an older page is dropped
        self._asked: tuple[int, int] | None = None  # (offset, rows) when a page was last asked
        # The page asked for last and still on its way (0: none). Set when it is asked for,
        # not when its worker starts: a move right behind the request must already wait.
        self._fetching = 0
        self._requests = 0
        self._queued: list[str] = []  # moves asked for while a page was on its way
        self._made_for = SNIPPET_MAX  # the width the rows were cut to

    @property
    def busy(self) -> bool:
        """A page is on its way, or moves wait for one (the screen holds other keys)."""
        return bool(self._fetching or self._queued)

    @property
    def place(self) -> int | None:
        """The highlighted row's place in all the results (0 the first), or None."""
        return None if self.highlighted is None else self.start + self.highlighted

    @property
    def row_width(self) -> int:
        """Characters a row can show (rows are cut to it when made; see render.row)."""
        width = self.scrollable_content_region.width - 2  # the option's padding
        return width if width > 0 else SNIPPET_MAX

    def show(self, result: SearchResult, pages: Pages | None = None) -> None:
        """Replace the rows with the first page `result`, highlighting the first; `pages` reads
        the rest of the same search when the highlight nears the end."""
        self._generation += 1
        self._pages = pages
        self.total = result.total
        self._asked = None
        self._queued.clear()  # moves in the list that was
        self._fetching = 0  # and its page, if one is on its way, is not wanted
        self._rows(result.hits, result.offset, 0)

    def _rows(self, hits: Iterable[Hit], start: int, highlight: int | None) -> None:
        self.start = start
        self._made_for = width = self.row_width
        self.set_options(QuoteOption(hit, width) for hit in hits)
        if self.option_count:
            self.highlighted = min(highlight or 0, self.option_count - 1)
        self._show_position()

    def extend(self, hits: Iterable[Hit]) -> None:
        """Append the next page, keeping the highlight where it is."""
        self.add_options(QuoteOption(hit, self._made_for) for hit in hits)
        self._show_position()

    def on_resize(self) -> None:
        # Rows were cut to the old width: make them again for the new one.
        width = self.row_width
        if width != self._made_for and self.option_count:
            self._rows(self.hits, self.start, self.highlighted)

    @property
    def highlighted_hit(self) -> Hit | None:
        option = self.highlighted_option
        return option.hit if isinstance(option, QuoteOption) else None

    @property
    def hits(self) -> list[Hit]:
        return [option.hit for option in self.options if isinstance(option, QuoteOption)]

    def _show_position(self) -> None:
        place = self.place
        self.border_subtitle = (
            f"{place + 1:,} of {self.total:,}" if place is not None and self.total else ""
        )

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._show_position()
        if highlighted is None or self._pages is None:
            return
        loaded = self.option_count
        window = (self.start, loaded)
        if self._asked == window:
            return
        # At least two screens ahead: a PageDown never runs into the end of the window.
        ahead = max(PAGE_AHEAD, self.scrollable_content_region.height)
        if self.start + loaded < self.total and highlighted >= loaded - ahead:
            self._asked = window
            self._fetch(self.start + loaded, "after")
        elif self.start > 0 and highlighted < ahead:
            self._asked = window
            start = max(self.start - self.page, 0)
            self._fetch(start, "before", self.start - start)

    # Moving: never round from one end to the other (the window's end is not the results');
    # while a page is on its way, a move waits for it.

    def _wait(self, action: str) -> bool:
        if self._fetching:
            self._queued.append(action)
            return True
        return False

    def _replay(self) -> None:
        """The moves that waited, in order, until one of them sends for a page again."""
        while self._queued and not self._fetching:
            getattr(self, f"action_{self._queued.pop(0)}")()

    def action_cursor_down(self) -> None:
        if self._wait("cursor_down"):
            return
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted < self.option_count - 1:
            self.highlighted += 1

    def action_cursor_up(self) -> None:
        if self._wait("cursor_up"):
            return
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted > 0:
            self.highlighted -= 1

    def action_page_down(self) -> None:
        if not self._wait("page_down"):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._wait("page_up"):
            super().action_page_up()

    def action_first(self) -> None:
        if self._wait("first"):
            return
        if self.start == 0 or self._pages is None:
            super().action_first()
        else:
            self._jump(0)

    def action_last(self) -> None:
        if self._wait("last"):
            return
        if self.start + self.option_count >= self.total or self._pages is None:
            super().action_last()
        else:
            self._jump(self.total - 1)

    def _jump(self, target: int) -> None:
        """Move the window to the page around `target` (a place in the results) and highlight
        it there."""
        assert self._pages is not None
        self._generation += 1
        start = max(min(target - self.page // 2, self.total - self.page), 0)
        self._fetch(start, "jump", self.page, target - start)

    def _fetch(
        self,
        offset: int,
        how: Literal["after", "before", "jump"],
        limit: int = 0,
        highlight: int = 0,
    ) -> None:
        assert self._pages is not None
        self._requests += 1
        self._fetching = self._requests
        self._load(self._pages, self._generation, self._requests, offset, how, limit, highlight)

    @work(exclusive=True, group="quote-list-page", exit_on_error=False)
    async def _load(
        self,
        pages: Pages,
        generation: int,
        request: int,
        offset: int,
        how: Literal["after", "before", "jump"],
        limit: int = 0,
        highlight: int = 0,
    ) -> None:
        app = cast("NatoBrowseApp", self.app)
        result: SearchResult | None = None
        try:
            result = await app.in_search_thread(pages, limit=limit or self.page, offset=offset)
        except NatoBrowseError as exc:
            self.post_message(self.PageFailed(str(exc)))
        if request != self._fetching:
            return  # a newer request replaced this one
        self._fetching = 0
        # Dropped if a new search was shown meanwhile.
        if result is not None and generation == self._generation:
            self._place(result, offset, how, highlight)
        self._replay()

    def _place(
        self, result: SearchResult, offset: int, how: Literal["after", "before", "jump"], at: int
    ) -> None:
        """Put a page that came in where it goes (unless the rows changed under it)."""
        if how == "jump":
            self._rows(result.hits, offset, at)
        elif how == "after" and self.start + self.option_count == offset:
            self.extend(result.hits)
        elif how == "before" and offset + len(result.hits) == self.start:
            # Rows above: the same quote stays highlighted, and in view.
            rows = [*result.hits, *self.hits]
            self._rows(rows, offset, (self.highlighted or 0) + len(result.hits))
        else:
            return
        self.post_message(self.PageLoaded(self.option_count))
