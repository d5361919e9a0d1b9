"""The main screen: search box, filter chips, the quote list beside (or above) the detail pane,
and a status line.

Searching follows each keystroke. A search runs at once when the person pauses; while they type
quickly, each keystroke waits DEBOUNCE for the next one and a newer keystroke cancels it (the
worker is exclusive), so stale searches are dropped before they start.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import Filters, Hit, NatoBrowseError, SearchResult, SortOrder
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Footer, Input, Label, OptionList, ProgressBar, Static

from ..citation import citation
from ..clipboard import copy_text
from ..messages import BuildProgress, IndexFailed, IndexReady, RemoveFilter, ResultsShown
from ..widgets.detail_pane import DetailPane
from ..widgets.filter_chips import FilterChips
from ..widgets.month_chart import MonthChart
from ..widgets.quote_list import QuoteList
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from ..app import NatoBrowseApp
    from ..export import ExportFormat

# Seconds to wait for the next keystroke when keys come faster than this.
DEBOUNCE = 0.08
# Rows fetched for a new search: more than the tallest terminal shows, few enough that each
# keystroke stays cheap (an OptionList measures every row it holds).
FIRST_PAGE = 60
# Rows fetched each time the highlight nears the end of what is loaded.
PAGE = 200
# Most quotes an export writes.
EXPORT_LIMIT = 100_000
FIELD_NAMES = {"speakers": "speaker", "topics": "topic", "regions": "region"}


class MainScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Search and filter"
    AUTO_FOCUS = "#search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", show=False, id="focus-search"),
        Binding("down", "focus_list", "To the list", show=False, id="focus-list"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("f2,s", "pick('speakers')", "Speaker", id="filter-speaker"),
        Binding("f3,t", "pick('topics')", "Topic", id="filter-topic"),
        Binding("f4,r", "pick('regions')", "Region", id="filter-region"),
        Binding("f5,d", "dates", "Dates", id="filter-dates"),
        Binding("f6,o", "sort", "Sort", id="sort", tooltip="Relevance or date, newest first"),
        Binding("f7,X", "clear_filters", "Clear", id="clear-filters"),
        Binding("x,backspace", "remove_last_filter", "Drop filter", show=False, id="drop-filter"),
        Binding("f8,c,y", "copy", "Copy", id="copy", tooltip="Copy the quote with its citation"),
        Binding("u", "open_url", "Open url", show=False, id="open-url"),
        Binding("f9,e", "export", "Export", id="export"),
        Binding("p", "speaker", "Speaker view", show=False, id="speaker-view"),
        Binding("S", "save_search", "Save search", show=False, id="save-search"),
        Binding("question_mark", "app.help", "Help", show=False, id="help-key"),
    ]

    def __init__(self, query: str = "", filters: Filters | None = None) -> None:
        super().__init__()
        self.initial_query = query
        self.filters = filters or Filters()
        self.sort: SortOrder = "relevance"
        self.query_text = query
        self.result: SearchResult | None = None
        self.generation = 0  # bumped by every new search; pages of an older one are dropped
        self.speaker_counts: dict[str, int] = {}
        self._last_key = 0.0
        self._first_results = True

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    def compose(self) -> ComposeResult:
        yield SearchBox(self.initial_query, id="search")
        yield FilterChips(id="chips")
        yield Static("", id="note", markup=False)
        with Vertical(id="loading"):
            yield Label("Opening the index…", id="loading-label")
            yield ProgressBar(id="loading-bar", show_eta=False)
        yield MonthChart(id="months")
        with Horizontal(id="panes"):
            yield QuoteList(id="quotes")
            yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=True)

    def on_mount(self) -> None:
        self.query_one(FilterChips).show(self.filters)
        self.query_one("#note").display = False
        self.query_one(StatusLine).show_message("Opening the index…")

    # ------------------------------------------------------------------ the index

    def show_loading(self, message: str) -> None:
        self.query_one("#loading-label", Label).update(message)
        self.query_one("#loading-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#loading").display = True
        self.query_one(StatusLine).show_message(message)

    def on_build_progress(self, event: BuildProgress) -> None:
        loading = self.query_one("#loading")
        if not loading.display:
            self.show_loading("Building the index (the first time only)…")
        self.query_one("#loading-label", Label).update(f"Building the index: {event.what}")
        self.query_one("#loading-bar", ProgressBar).update(total=event.total, progress=event.done)

    def on_index_ready(self, event: IndexReady) -> None:
        # The index's many long-lived objects would otherwise be scanned by every full garbage
        # collection (60-90 ms at 100k quotes, a visible stutter while typing): freeze them.
        gc.freeze()
        self.query_one("#loading").display = False
        self.speaker_counts.clear()
        self.start_search(debounce=False)

    def on_index_failed(self, event: IndexFailed) -> None:
        from .error import ErrorScreen

        self.query_one("#loading").display = False
        self.query_one(StatusLine).show_message(event.title)

        def chosen(choice: str | None) -> None:
            if choice == "rebuild":
                self.nb_app.rebuild_index()
            else:
                self.app.exit(return_code=1)

        self.app.push_screen(ErrorScreen(event), chosen)

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.start_search(debounce=True)

    def start_search(self, *, debounce: bool = False) -> None:
        """Search again for the current query, filters and sort."""
        now = time.monotonic()
        # Only wait for the next key when keys are coming fast; a lone keystroke searches at once.
        delay = DEBOUNCE if debounce and now - self._last_key < DEBOUNCE else 0.0
        if debounce:
            self._last_key = now
        self.generation += 1
        self.run_search(self.query_text, self.filters, self.sort, self.generation, delay)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(
        self, query: str, filters: Filters, sort: SortOrder, generation: int, delay: float
    ) -> None:
        index = self.nb_app.index
        if index is None:
            return  # searched again when the index is ready
        if delay:
            await asyncio.sleep(delay)
        try:
            result = await self.nb_app.in_search_thread(
                index.search, query, filters, sort=sort, limit=FIRST_PAGE
            )
        except NatoBrowseError as exc:
            self.show_note(str(exc))
            return
        if generation == self.generation:
            self.show_result(result)
            # After the list's frame: the chart's thread would hold the GIL while it is drawn.
            self.call_after_refresh(self.query_one(MonthChart).follow, query, filters)

    def show_result(self, result: SearchResult) -> None:
        self.result = result
        quotes = self.query_one(QuoteList)
        quotes.show(result.hits, result.total)
        if not result.hits:
            self.query_one(DetailPane).show(None)
        self.update_status()
        if result.total == 0 and result.suggestion:
            self.show_note(
                Content.assemble(
                    "No quotes match. Did you mean ",
                    Content.styled(
                        result.suggestion,
                        Style(bold=True, underline=True)
                        + Style.from_meta({"@click": "screen.apply_suggestion"}),
                    ),
                    "? Press Enter to search for it.",
                )
            )
        elif result.total == 0:
            self.show_note("No quotes match." + (f" {result.note}" if result.note else ""))
        else:
            self.show_note(result.note)
        self.post_message(ResultsShown(result))
        if self._first_results:
            self._first_results = False
            self.nb_app.first_results_shown()

    def show_note(self, note: str | Content) -> None:
        widget = self.query_one("#note", Static)
        widget.update(note)
        widget.display = bool(note)

    def update_status(self) -> None:
        result = self.result
        if result is None:
            return
        self.query_one(StatusLine).show_status(
            result.total,
            self.query_one(QuoteList).option_count,
            self.filters,
            self.sort,
            self.nb_app.index_summary,
        )

    def action_apply_suggestion(self) -> None:
        if self.result is not None and self.result.suggestion:
            search = self.query_one(SearchBox)
            search.value = self.result.suggestion
            search.cursor_position = len(search.value)
            search.focus()

    @on(Input.Submitted, "#search")
    def query_submitted(self) -> None:
        if self.result is not None and self.result.total == 0 and self.result.suggestion:
            self.action_apply_suggestion()
        elif self.query_one(QuoteList).option_count:
            self.query_one(QuoteList).focus()

    @on(QuoteList.NeedMore)
    def need_more(self, event: QuoteList.NeedMore) -> None:
        self.load_more(self.generation, event.loaded)

    @work(exclusive=True, group="more", exit_on_error=False)
    async def load_more(self, generation: int, offset: int) -> None:
        index = self.nb_app.index
        if index is None:
            return
        try:
            result = await self.nb_app.in_search_thread(
                index.search,
                self.query_text,
                self.filters,
                sort=self.sort,
                limit=PAGE,
                offset=offset,
            )
        except NatoBrowseError as exc:
            self.show_note(str(exc))
            return
        quotes = self.query_one(QuoteList)
        if generation == self.generation and quotes.option_count == offset:
            quotes.extend(result.hits)
            self.update_status()

    # ------------------------------------------------------------------ the detail pane

    @on(OptionList.OptionHighlighted, "#quotes")
    def quote_highlighted(self) -> None:
        # After the list's next frame: while typing, the list is what must follow each key.
        self.call_after_refresh(self._detail_for_highlight)

    def _detail_for_highlight(self) -> None:
        self.show_detail(self.query_one(QuoteList).highlighted_hit)

    def show_detail(self, hit: Hit | None) -> None:
        if hit is None:
            self.query_one(DetailPane).show(None)
            return
        count = self.speaker_counts.get(hit.quote.speaker)
        self.query_one(DetailPane).show(hit, None if count is None else max(count - 1, 0))
        if count is None:
            self.fetch_speaker_count(hit)

    def other_quotes(self, hit: Hit) -> int | None:
        count = self.speaker_counts.get(hit.quote.speaker)
        return None if count is None else max(count - 1, 0)

    @work(exclusive=True, group="speaker-count", exit_on_error=False)
    async def fetch_speaker_count(self, hit: Hit) -> None:
        index = self.nb_app.index
        if index is None:
            return
        try:
            count = await asyncio.to_thread(index.speaker_quote_count, hit.quote.speaker)
        except NatoBrowseError:
            return
        self.speaker_counts[hit.quote.speaker] = count
        pane = self.query_one(DetailPane)
        if pane.hit is hit:
            pane.show(hit, max(count - 1, 0))
        for screen in self.app.screen_stack:
            refresh = getattr(screen, "speaker_count_known", None)
            if refresh is not None:
                refresh(hit)

    @on(OptionList.OptionSelected, "#quotes")
    def quote_selected(self) -> None:
        from .detail import DetailScreen

        if self.query_one(QuoteList).highlighted_hit is not None:
            self.app.push_screen(DetailScreen(self))

    # ------------------------------------------------------------------ filters

    def set_filters(self, filters: Filters) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        self.query_one(FilterChips).show(filters)
        self.start_search()

    def action_pick(self, field: str) -> None:
        self.pick(field)

    @work(exclusive=True, group="picker", exit_on_error=False)
    async def pick(self, field: str) -> None:
        """Open the picker for speakers, topics or regions, counted in the current results."""
        from .picker import FilterPicker

        index = self.nb_app.index
        if index is None:
            self.notify("The index is not open yet.", severity="warning")
            return
        # Counts as if this field were not filtered, so more values can be added to it.
        others = self.filters.with_values(field, ())
        try:
            facets = await asyncio.to_thread(index.facets, self.query_text, others)
        except NatoBrowseError as exc:
            self.notify(str(exc), severity="error")
            return
        values = getattr(facets, field)

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                self.set_filters(self.filters.with_values(field, tuple(values)))
                self.query_one(QuoteList).focus()

        self.app.push_screen(
            FilterPicker(FIELD_NAMES[field], values, getattr(self.filters, field)), chosen
        )

    def jump_to(self, field: str, value: str) -> None:
        """Show only this speaker, topic or region (from the command palette)."""
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()
        self.set_filters(self.filters.with_values(field, (value,)))
        self.query_one(QuoteList).focus()

    def action_dates(self) -> None:
        from .dates import DateRangeScreen

        def chosen(span: tuple[str, str] | None) -> None:
            if span is not None:
                date_from, date_to = span
                self.set_filters(replace(self.filters, date_from=date_from, date_to=date_to))

        self.app.push_screen(DateRangeScreen(self.filters.date_from, self.filters.date_to), chosen)

    def on_remove_filter(self, event: RemoveFilter) -> None:
        self.remove_filter(event.field, event.value)

    def remove_filter(self, field: str, value: str) -> None:
        if not field:
            self.set_filters(Filters())
        elif field == "dates":
            self.set_filters(replace(self.filters, date_from="", date_to=""))
        else:
            self.set_filters(self.filters.toggled(field, value))

    def action_clear_filters(self) -> None:
        if self.filters.is_empty():
            self.notify("No filters to clear.", timeout=2)
        self.set_filters(Filters())

    def action_remove_last_filter(self) -> None:
        chips = self.query_one(FilterChips).chips
        if chips:
            _label, field, value = chips[-1]
            self.remove_filter(field, value)

    def action_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        self.notify(f"Sorted by {self.sort}", timeout=2)
        self.start_search()

    # ------------------------------------------------------------------ moving around

    def action_focus_search(self) -> None:
        self.query_one(SearchBox).focus()

    def action_focus_list(self) -> None:
        quotes = self.query_one(QuoteList)
        if quotes.option_count:
            quotes.focus()

    def action_back(self) -> None:
        search = self.query_one(SearchBox)
        if self.focused is search:
            if search.value:
                search.value = ""
        else:
            search.focus()

    # ------------------------------------------------------------------ the selected quote

    def selected_hit(self) -> Hit | None:
        return self.query_one(QuoteList).highlighted_hit

    def action_copy(self, hit: Hit | None = None) -> None:
        hit = hit or self.selected_hit()
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
            return
        copy_text(self.app, citation(hit.quote), f"Quote by {hit.quote.speaker}, with its citation")

    def action_open_url(self, hit: Hit | None = None) -> None:
        hit = hit or self.selected_hit()
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
            return
        if not hit.quote.url:
            self.notify("This quote's document has no url.", severity="warning", timeout=3)
            return
        self.open_url(hit.quote.url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_url(self, url: str) -> None:
        from ..browser import open_in_browser

        problem = open_in_browser(url)
        if problem:
            self.app.call_from_thread(self._url_not_opened, url, problem)
        else:
            self.app.call_from_thread(self.notify, url, title="Opening", timeout=3)

    def _url_not_opened(self, url: str, problem: str) -> None:
        self.app.copy_to_clipboard(url)
        self.notify(f"{problem}; the url is copied instead:\n{url}", severity="warning")

    def action_speaker(self, hit: Hit | None = None) -> None:
        """The selected quote's speaker: roles, quotes per month, topics, every quote."""
        hit = hit or self.selected_hit()
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
            return
        from ..commands.views import open_speaker_of

        self.run_worker(open_speaker_of(self.nb_app, hit), group="speaker-view", exclusive=True)

    def action_save_search(self) -> None:
        from ..commands.saved_searches import save_current

        save_current(self)

    def action_export(self) -> None:
        from .export import ExportScreen

        if self.nb_app.index is None or self.result is None:
            self.notify("Nothing to export yet.", severity="warning")
            return
        if self.result.total == 0:
            self.notify("No quotes match, so there is nothing to export.", severity="warning")
            return

        def chosen(choice: tuple[ExportFormat, Path] | None) -> None:
            if choice is not None:
                self.export(*choice)

        self.app.push_screen(ExportScreen(self.result.total), chosen)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def export(self, fmt: ExportFormat, path: Path) -> None:
        """Write every matching quote (up to EXPORT_LIMIT), not only the loaded pages."""
        from ..export import ExportError, write_export

        index = self.nb_app.index
        if index is None or self.result is None:
            return
        query, filters, sort = self.query_text, self.filters, self.sort
        total = min(self.result.total, EXPORT_LIMIT)

        def write() -> tuple[Path, int]:
            result = index.search(query, filters, sort=sort, limit=total, prefix_last=False)
            return write_export(result.hits, path, fmt, query, filters), len(result.hits)

        try:
            written, count = await asyncio.to_thread(write)
        except (ExportError, NatoBrowseError) as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10)
            return
        self.notify(f"{count:,} quotes written to {written}", title="Exported", timeout=10)
