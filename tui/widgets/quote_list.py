"""The list of matching quotes: an `OptionList` of options that carry their `Hit`.

Only a page of results is ever in the list (an `OptionList` measures every row up front); when
the highlight nears the end the list fetches the next page itself, on the app's search thread,
from the `Pages` the screen gave it with the first page. The main list and the speaker view's
list page the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from nato_browse.index import Hit, NatoBrowseError, SearchResult
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.option_list import Option

from ..render import SNIPPET_MAX, row
from .page_keys import PageSafe

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

# Ask for the next page when the highlight is this close to the last loaded row.
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
        self._pages: Pages | None = None
        self._generation = 0  # bumped by `show`: a page of an older search is dropped
        self._asked_at = -1  # number of loaded rows when the next page was last asked for
        self._made_for = SNIPPET_MAX  # the width the rows were cut to

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
        self._asked_at = -1
        self._made_for = width = self.row_width
        self.set_options(QuoteOption(hit, width) for hit in result.hits)
        if self.option_count:
            self.highlighted = 0

    def extend(self, hits: Iterable[Hit]) -> None:
        """Append the next page, keeping the highlight where it is."""
        self.add_options(QuoteOption(hit, self._made_for) for hit in hits)

    def on_resize(self) -> None:
        # Rows were cut to the old width: make them again for the new one.
        width = self.row_width
        if width != self._made_for and self.option_count:
            highlighted = self.highlighted
            self._made_for = width
            self.set_options([QuoteOption(hit, width) for hit in self.hits])
            self.highlighted = highlighted

    @property
    def highlighted_hit(self) -> Hit | None:
        option = self.highlighted_option
        return option.hit if isinstance(option, QuoteOption) else None

    @property
    def hits(self) -> list[Hit]:
        return [option.hit for option in self.options if isinstance(option, QuoteOption)]

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        loaded = self.option_count
        if (
            highlighted is not None
            and self._pages is not None
            and loaded < self.total
            and highlighted >= loaded - PAGE_AHEAD
            and self._asked_at != loaded
        ):
            self._asked_at = loaded
            self._load_page(self._pages, self._generation, loaded)

    @work(exclusive=True, group="quote-list-page", exit_on_error=False)
    async def _load_page(self, pages: Pages, generation: int, offset: int) -> None:
        app = cast("NatoBrowseApp", self.app)
        try:
            result = await app.in_search_thread(pages, limit=self.page, offset=offset)
        except NatoBrowseError as exc:
            self.post_message(self.PageFailed(str(exc)))
            return
        # Dropped if a new search was shown meanwhile, or the rows changed under it.
        if generation == self._generation and self.option_count == offset:
            self.extend(result.hits)
            self.post_message(self.PageLoaded(self.option_count))
