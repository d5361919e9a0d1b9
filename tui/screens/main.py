"""The main screen: search box, filter chips, the quote list beside (or above) the detail pane,
and a status line.

What the person asked for is three reactives, `query_text`, `filters` and `sort`: whatever
changes one (a key, a picker, a chip, a saved search, the palette) just sets it, and the
watchers search again. The chips, the status line and the detail pane are bound to the screen's
state (`data_bind`) and the month chart follows each result, so nothing is updated by hand.
Other screens and the palette talk to this one through messages (messages.py).

Searching follows each keystroke. A search runs at once when the person pauses; while they type
quickly, each keystroke waits DEBOUNCE for the next one and a newer keystroke cancels it (the
worker is exclusive), so stale searches are dropped before they start.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import (
    DEFAULT_KINDS,
    QUOTE_KINDS,
    SORT_ORDERS,
    Facets,
    Filters,
    Hit,
    NatoBrowseError,
    SearchResult,
    SortOrder,
)
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Input, Label, OptionList, ProgressBar, Static

from ..keys import is_typing
from ..messages import (
    ApplySearch,
    BuildProgress,
    IndexFailed,
    IndexLoading,
    IndexReady,
    RemoveFilter,
    ResultsShown,
    ShowOnly,
    ShowSpeaker,
    StepQuote,
)
from ..quote_actions import copy_quote, open_source, speaker_of
from ..widgets.detail_pane import DetailPane
from ..widgets.filter_chips import FilterChips, chip_values
from ..widgets.fit_footer import FitFooter
from ..widgets.month_chart import MonthChart
from ..widgets.quote_list import QuoteList
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine
from ..wording import SORT_LABELS

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
FIELD_NAMES = {"speakers": "speaker", "topics": "topic", "regions": "region", "kinds": "kind"}


def kinds_filter(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Filters.kinds for the kinds picked: () for none or for the default ones."""
    picked = tuple(k for k in QUOTE_KINDS if k in kinds)
    return () if not picked or set(picked) == set(DEFAULT_KINDS) else picked


def speaker_offer(speakers: tuple[tuple[str, int], ...]) -> Content:
    """ "Jens Stoltenberg · 14 quotes — filter (ctrl+f)": each clickable."""
    parts: list[Content] = []
    for i, (name, count) in enumerate(speakers):
        noun = "quote" if count == 1 else "quotes"
        action = Style(bold=True, underline=True) + Style.from_meta(
            {"@click": f"screen.filter_named({i})"}
        )
        parts.append(
            Content.assemble(
                (name, "bold"), f" · {count:,} {noun} — ", Content.styled("filter", action)
            )
        )
    return Content("   ").join(parts) + Content.styled("  (ctrl+f)", "dim")


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
        Binding(
            "K",
            "pick('kinds')",
            "Kinds",
            show=False,
            id="filter-kind",
            tooltip="Quotes, remarks, turns, questions asked",
        ),
        Binding(
            "f6,O",
            "sort",
            "Sort",
            id="sort",
            tooltip="Change the order: best match, newest, oldest, speaker A-Z",
        ),
        Binding("f7,X", "clear_filters", "Clear", id="clear-filters"),
        Binding("x,backspace", "remove_last_filter", "Drop filter", show=False, id="drop-filter"),
        Binding("f8,c,y", "copy", "Copy", id="copy", tooltip="Copy the quote with its citation"),
        Binding(
            "o",
            "open_document",
            "Read",
            id="open-document",
            tooltip="Read the quote's whole document, every quote in it marked",
        ),
        Binding("u", "open_url", "Open url", show=False, id="open-url"),
        Binding("f9,e", "export", "Export", id="export"),
        Binding(
            "ctrl+f",
            "filter_named",
            "Filter by the speaker named",
            show=False,
            id="filter-named",
            tooltip="When the typed words name a speaker, filter by them",
        ),
        Binding("p", "speaker", "Speaker view", show=False, id="speaker-view"),
        Binding("S", "save_search", "Save search", show=False, id="save-search"),
        Binding("question_mark", "app.help", "Help", show=False, id="help-key"),
    ]

    # What the person asked for; setting any of them searches again (see the watchers).
    query_text: var[str] = var("", init=False)
    filters: var[Filters] = var(Filters, init=False)
    sort: var[SortOrder] = var("relevance", init=False)
    # The search on screen: its first page (the list holds more as it pages in).
    result: var[SearchResult | None] = var(None, init=False, always_update=True)
    # The quote the detail pane shows: the list's highlight, one frame behind it.
    highlighted: var[Hit | None] = var(None, init=False, always_update=True)
    # What the index is doing ("" when it is open); the loading panel follows it.
    index_task: var[str] = var("", init=False)
    # Shown in the status line instead of the counts until results arrive ("" then).
    status_message: var[str] = var("Opening the index…", init=False)
    # What the open index holds, for the status line.
    index_summary: var[str] = var("", init=False)
    # The open index holds no quotes at all (the list then says how to fill it).
    index_empty: var[bool] = var(False, init=False)

    def __init__(
        self, query: str = "", filters: Filters | None = None, sort: SortOrder = "relevance"
    ) -> None:
        super().__init__()
        # The starting state, without the watchers: the index is not open yet.
        self.set_reactive(MainScreen.query_text, query)
        self.set_reactive(MainScreen.filters, filters or Filters())
        self.set_reactive(MainScreen.sort, sort)
        self.generation = 0  # bumped by every new search; an older one's result is dropped
        self.shown_generation = 0  # the search on screen (behind `generation` while searching)
        self._last_key = 0.0
        self._typed = False  # query_text is being set from the search box

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    def compose(self) -> ComposeResult:
        yield SearchBox(self.query_text, id="search")
        yield FilterChips(id="chips").data_bind(MainScreen.filters)
        yield Static("", id="note", markup=False)
        with Vertical(id="loading"):
            # What is being read: a file name or a document's title, never markup.
            yield Label("Opening the index…", id="loading-label", markup=False)
            yield ProgressBar(id="loading-bar", show_eta=False)
        yield MonthChart(id="months")
        with Horizontal(id="panes"):
            yield QuoteList(page=PAGE, id="quotes")
            yield DetailPane(count_others=True, id="detail").data_bind(hit=MainScreen.highlighted)
        yield StatusLine(id="status").data_bind(
            MainScreen.result,
            MainScreen.filters,
            message=MainScreen.status_message,
            summary=MainScreen.index_summary,
        )
        yield FitFooter(compact=True, show_command_palette=True)

    def on_mount(self) -> None:
        self.query_one("#note").display = False

    # ------------------------------------------------------------------ the state

    def watch_query_text(self, query: str) -> None:
        # Set from elsewhere (a saved search, "did you mean"): the box shows it. Not when it
        # came from the box: keys typed since would be undone.
        if not self._typed:
            box = self.query_one(SearchBox)
            box.value = query
            box.cursor_position = len(query)
        self.start_search(debounce=True)

    def watch_filters(self) -> None:
        self.start_search()

    def watch_sort(self) -> None:
        self.start_search()

    def watch_result(self, result: SearchResult | None) -> None:
        if result is None:
            return
        self.status_message = ""
        if not result.hits:
            self.highlighted = None
            if self.focused is self.query_one(QuoteList):
                # Nothing to move through: the box, where Enter takes what the note offers.
                self.query_one(SearchBox).focus()
        if result.total == 0 and self.index_empty:
            self.show_note(self._how_to_fill())
        elif result.total == 0 and result.suggestion:
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
        elif result.total == 0 and not self.filters.is_empty():
            self.show_note(self._offer_to_drop())
        elif result.total == 0:
            self.show_note("No quotes match." + (f" {result.note}" if result.note else ""))
        elif result.speakers and not result.note:
            self.show_note(speaker_offer(result.speakers))
        else:
            self.show_note(result.note)
        # After the list's frame: the chart's thread would hold the GIL while it is drawn.
        chart = self.query_one(MonthChart)
        self.call_after_refresh(chart.follow, self.query_text, self.filters, result.total)
        self.post_message(ResultsShown(result))

    def watch_index_task(self, what: str) -> None:
        panel = self.query_one("#loading")
        panel.display = bool(what)
        if what:
            self.query_one("#loading-label", Label).update(what)
            self.query_one("#loading-bar", ProgressBar).update(total=None, progress=0)
            self.status_message = what

    # ------------------------------------------------------------------ the index

    def on_index_loading(self, event: IndexLoading) -> None:
        self.index_task = event.what

    def on_build_progress(self, event: BuildProgress) -> None:
        if not self.index_task:
            self.index_task = "Building the index (the first time only)…"
        self.query_one("#loading-label", Label).update(f"Building the index: {event.what}")
        self.query_one("#loading-bar", ProgressBar).update(total=event.total, progress=event.done)

    def on_index_ready(self, event: IndexReady) -> None:
        # The index's many long-lived objects would otherwise be scanned by every full garbage
        # collection (60-90 ms at 100k quotes, a visible stutter while typing): freeze them.
        gc.freeze()
        self.index_task = ""
        self.index_summary = event.summary
        self.index_empty = event.empty
        self.start_search()

    def on_index_failed(self, event: IndexFailed) -> None:
        from .error import ErrorScreen

        self.index_task = ""
        self.status_message = event.title

        def chosen(choice: str | None) -> None:
            if choice == "rebuild":
                self.nb_app.rebuild_index()
            else:
                self.app.exit(return_code=1)

        self.app.push_screen(ErrorScreen(event), chosen)

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self._typed = True
        try:
            self.query_text = event.value
        finally:
            self._typed = False

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
            if generation == self.generation:
                self.shown_generation = generation
            self.show_note(str(exc))
            return
        if generation == self.generation:
            self.shown_generation = generation
            quotes = self.query_one(QuoteList)
            quotes.show(result, partial(index.search, query, filters, sort=sort))
            self.result = result

    @property
    def searching(self) -> bool:
        """A search for what the person asked is still on its way to the list."""
        return self.nb_app.index is not None and self.shown_generation != self.generation

    def holds_key(self, event: events.Key) -> bool:
        """Keys wait for the list they act on (keys.py): the results of the query typed before
        them, or the list's page on its way. Typing in the search box never waits."""
        if self.query_one(QuoteList).busy:
            return True
        return self.searching and not is_typing(self.app, event)

    def _how_to_fill(self) -> Content:
        where = self.nb_app.settings.index_dir
        return Content.assemble(
            f"The index at {where} holds no quotes yet. Fill it from a folder of documents: ",
            ("nato-browse index PATH", "bold"),
            ", or start the app with ",
            ("nato-browse --data PATH", "bold"),
            ".",
        )

    def _offer_to_drop(self) -> Content:
        """ "No quotes match with these filters. Drop region Nordic? (x)": the last filter, one
        at a time, as x drops them."""
        label, _field, _value = chip_values(self.filters)[-1]
        return Content.assemble(
            "No quotes match with these filters. ",
            Content.styled(
                f"Drop {label.replace(': ', ' ', 1)}?",
                Style(bold=True, underline=True)
                + Style.from_meta({"@click": "screen.remove_last_filter"}),
            ),
            " Press Enter (or click).",
        )

    def show_note(self, note: str | Content) -> None:
        widget = self.query_one("#note", Static)
        widget.update(note)
        widget.display = bool(note)

    def action_filter_named(self, which: int = 0) -> None:
        """Filter by a speaker the typed words name (the offer above the list)."""
        if self.result is None or which >= len(self.result.speakers):
            return
        name = self.result.speakers[which][0]
        if name not in self.filters.speakers:
            self.filters = self.filters.toggled("speakers", name)

    def action_apply_suggestion(self) -> None:
        if self.result is not None and self.result.suggestion:
            self.query_text = self.result.suggestion
            self.query_one(SearchBox).focus()

    @on(Input.Submitted, "#search")
    def query_submitted(self) -> None:
        if self.result is not None and self.result.total == 0 and self.result.suggestion:
            self.action_apply_suggestion()
        elif self.result is not None and self.result.total == 0 and not self.filters.is_empty():
            self.action_remove_last_filter()  # what the note offers
        elif self.query_one(QuoteList).option_count:
            self.query_one(QuoteList).focus()

    @on(QuoteList.PageFailed)
    def page_failed(self, event: QuoteList.PageFailed) -> None:
        self.show_note(event.problem)

    # ------------------------------------------------------------------ the detail pane

    @on(OptionList.OptionHighlighted, "#quotes")
    def quote_highlighted(self) -> None:
        # After the list's next frame: while typing, the list is what must follow each key.
        self.call_after_refresh(self._follow_highlight)

    def _follow_highlight(self) -> None:
        self.highlighted = self.query_one(QuoteList).highlighted_hit

    @on(OptionList.OptionSelected, "#quotes")
    def quote_selected(self) -> None:
        from .detail import DetailScreen

        if self.query_one(QuoteList).highlighted_hit is not None:
            self._follow_highlight()
            self.app.push_screen(DetailScreen(self))

    @on(StepQuote)
    def step_quote(self, event: StepQuote) -> None:
        quotes = self.query_one(QuoteList)
        if event.step > 0:
            quotes.action_cursor_down()
        else:
            quotes.action_cursor_up()
        self._follow_highlight()

    # ------------------------------------------------------------------ filters

    def action_pick(self, field: str) -> None:
        """Open the picker for speakers, topics or regions, counted in the current results.

        At once, from the key: the keys after it go to the picker (which counts its values on
        the search thread, and holds keys until they are in)."""
        from .picker import FilterPicker

        index = self.nb_app.index
        if index is None:
            self.notify("The index is not open yet.", severity="warning")
            return
        # Counts as if this field were not filtered, so more values can be added to it (every
        # kind, questions included, for the kinds).
        others = self.filters.with_values(field, QUOTE_KINDS if field == "kinds" else ())
        count = partial(_facet_values, index.facets, self.query_text, others, field)
        aliases = index.speaker_aliases if field == "speakers" else None
        # The kinds shown are picked, the default ones too; picking them all but questions is
        # the default again.
        selected = self.filters.shown_kinds() if field == "kinds" else self.filters.values(field)

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                if field == "kinds":
                    values = kinds_filter(values)
                self.filters = self.filters.with_values(field, tuple(values))
                self.query_one(QuoteList).focus()

        self.app.push_screen(FilterPicker(FIELD_NAMES[field], count, selected, aliases), chosen)

    def action_toggle_questions(self) -> None:
        """Show the questions asked too, or hide them again."""
        shown = self.filters.shown_kinds()
        if "question" in shown:
            kinds = tuple(k for k in shown if k != "question")
            self.notify("Questions hidden", timeout=2)
        else:
            kinds = (*shown, "question")
            self.notify("Questions shown", timeout=2)
        self.filters = self.filters.with_values("kinds", kinds_filter(kinds))

    def _to_front(self) -> None:
        """Close whatever is over this screen (the palette's commands run from anywhere)."""
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()

    @on(ShowOnly)
    def show_only(self, event: ShowOnly) -> None:
        """Show only this speaker, topic or region (from the command palette)."""
        self._to_front()
        self.filters = self.filters.with_values(event.field, (event.value,))
        self.query_one(QuoteList).focus()

    @on(ApplySearch)
    def apply_search(self, event: ApplySearch) -> None:
        """Show a saved search's results: its query, filters and sort."""
        self._to_front()
        search = event.search
        self.sort = search.sort
        self.filters = search.filters
        self.query_text = search.query
        self.query_one(SearchBox).focus()

    def action_dates(self) -> None:
        from .dates import DateRangeScreen

        def chosen(span: tuple[str, str] | None) -> None:
            if span is not None:
                date_from, date_to = span
                self.filters = replace(self.filters, date_from=date_from, date_to=date_to)

        self.app.push_screen(DateRangeScreen(self.filters.date_from, self.filters.date_to), chosen)

    @on(RemoveFilter)
    def chip_removed(self, event: RemoveFilter) -> None:
        self.remove_filter(event.field, event.value)

    def remove_filter(self, field: str, value: str) -> None:
        """Drop one value of one filter field ("dates": the range; "": every filter)."""
        if not field:
            self.filters = Filters()
        elif field == "dates":
            self.filters = replace(self.filters, date_from="", date_to="")
        elif field == "kinds":
            kinds = tuple(k for k in self.filters.kinds if k != value)
            self.filters = self.filters.with_values(field, kinds_filter(kinds))
        else:
            self.filters = self.filters.toggled(field, value)

    def action_clear_filters(self) -> None:
        if self.filters.is_empty():
            self.notify("No filters to clear.", timeout=2)
        self.filters = Filters()

    def action_remove_last_filter(self) -> None:
        chips = chip_values(self.filters)
        if chips:
            _label, field, value = chips[-1]
            self.remove_filter(field, value)

    def action_sort(self, order: SortOrder | None = None) -> None:
        """Sort by `order`, or by the next order after the current one."""
        if order in SORT_ORDERS:
            self.sort = order
        else:
            self.sort = SORT_ORDERS[(SORT_ORDERS.index(self.sort) + 1) % len(SORT_ORDERS)]
        shown = SORT_LABELS[self.sort]
        if not self.query_text.strip() and self.sort == "relevance":
            shown += " (with no query: newest first)"
        self.notify(f"Sorted: {shown}", timeout=2)

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
            self.query_text = ""
        else:
            search.focus()

    # ------------------------------------------------------------------ the selected quote

    def selected_hit(self) -> Hit | None:
        return self.query_one(QuoteList).highlighted_hit

    def action_copy(self) -> None:
        copy_quote(self.nb_app, self.selected_hit())

    def action_open_url(self) -> None:
        open_source(self.nb_app, self.selected_hit())

    def action_open_document(self) -> None:
        """The selected quote's whole document, the quote in view and every quote marked."""
        from .reader import ReaderScreen

        hit = self.selected_hit()
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
            return
        self.app.push_screen(ReaderScreen(hit.quote))

    def action_speaker(self) -> None:
        """The selected quote's speaker: roles, quotes per month, topics, every quote."""
        hit = self.selected_hit()
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
            return
        self._speaker_of(hit)

    @work(exclusive=True, group="speaker-view", exit_on_error=False)
    async def _speaker_of(self, hit: Hit) -> None:
        self.post_message(ShowSpeaker(await speaker_of(self.nb_app, hit)))

    @on(ShowSpeaker)
    def show_speaker(self, event: ShowSpeaker) -> None:
        from .speaker import SpeakerScreen

        self.app.push_screen(SpeakerScreen(event.speaker))

    def action_save_search(self) -> None:
        from ..commands.saved_searches import ask_and_save
        from ..state.saved_searches import SavedSearch

        ask_and_save(self.nb_app, SavedSearch("-", self.query_text, self.filters, self.sort))

    def action_export(self) -> None:
        from .export import ExportChoice, ExportScreen

        if self.nb_app.index is None or self.result is None:
            self.notify("Nothing to export yet.", severity="warning")
            return
        if self.result.total == 0:
            self.notify("No quotes match, so there is nothing to export.", severity="warning")
            return

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.export(choice.fmt, choice.path, choice.overwrite)

        self.app.push_screen(ExportScreen(self.result.total), chosen)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def export(self, fmt: ExportFormat, path: Path, overwrite: bool = False) -> None:
        """Write every matching quote (up to EXPORT_LIMIT), not only the loaded pages."""
        from ..export import ExportError, write_export

        index = self.nb_app.index
        if index is None or self.result is None:
            return
        query, filters, sort = self.query_text, self.filters, self.sort
        total = min(self.result.total, EXPORT_LIMIT)

        def write() -> tuple[Path, int]:
            result = index.search(query, filters, sort=sort, limit=total, prefix_last=False)
            written = write_export(
                result.hits, path, fmt, query, filters, total=result.total, overwrite=overwrite
            )
            return written, len(result.hits)

        try:
            written, count = await self.nb_app.in_search_thread(write)
        except (ExportError, NatoBrowseError) as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10)
            return
        self.notify(f"{count:,} quotes written to {written}", title="Exported", timeout=10)


def _facet_values(
    facets: Callable[[str, Filters], Facets], query: str, filters: Filters, field: str
) -> tuple[tuple[str, int], ...]:
    """One field's values with their counts (run on the search thread)."""
    values: tuple[tuple[str, int], ...] = getattr(facets(query, filters), field)
    return values
