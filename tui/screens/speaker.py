"""A speaker's voice over time: who they are (every role, with dates), how much and when they
spoke, about what and where, and their quotes newest first, searchable."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import Filters, Hit, NatoBrowseError, SearchResult
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ..citation import display_date
from ..widgets.detail_pane import DetailPane
from ..widgets.fit_footer import FitFooter
from ..widgets.month_chart import MonthChart
from ..widgets.quote_list import QuoteList
from ..wording import plural

if TYPE_CHECKING:
    from nato_browse.index import Quote, SpeakerProfile

    from ..app import NatoBrowseApp

# Quotes read to draw the profile: beyond it, the profile is of the newest PROFILE_LIMIT.
PROFILE_LIMIT = 20_000
# Rows of the searchable list per page (the list pages in the rest).
LIST_PAGE = 100
LABEL = "bold $text-secondary"
DIM = "dim"


def _counts(label: str, values: tuple[tuple[str, int], ...]) -> Content:
    if not values:
        return Content.assemble((f"{label}: ", LABEL), ("none", DIM))
    items = [Content.assemble(value, (f" {count:,}", DIM)) for value, count in values]
    return Content.styled(f"{label}: ", LABEL) + Content(" · ").join(items)


def _quote_line(label: str, quote: Quote | None) -> Content:
    if quote is None:
        return Content("")
    text = " ".join(quote.text.split())
    return Content.assemble(
        (f"{label}: ", LABEL), (display_date(quote.date), DIM), "  “", text, "”"
    )


def profile_content(profile: SpeakerProfile, capped: int = 0) -> Content:
    """Everything above the chart: name, counts, first and last dates, roles."""
    q, d = profile.quotes, profile.documents
    counts = f"{q:,} quote{'s' if q != 1 else ''} in {d:,} document{'s' if d != 1 else ''}" + (
        f" · {profile.undated:,} undated" if profile.undated else ""
    )
    span = (
        f"first {display_date(profile.first_date)} · last {display_date(profile.last_date)}"
        if profile.first_date
        else "no dated quotes"
    )
    lines = [
        Content.styled(profile.name, "bold $text-accent"),
        Content.assemble(counts, (" · ", DIM), span),
    ]
    if profile.aliases:
        lines.append(Content.assemble(("Also written ", LABEL), ", ".join(profile.aliases)))
    if capped:
        lines.append(Content.styled(f"(figures from the newest {capped:,} quotes)", DIM))
    if profile.roles:
        lines.append(Content.styled("Roles", LABEL))
        for role in profile.roles:
            if role.first and role.first != role.last:
                when = f"{display_date(role.first)} – {display_date(role.last)}"
            else:
                when = display_date(role.first)
            lines.append(
                Content.assemble(
                    "  ",
                    (role.role, "italic"),
                    ("  ", ""),
                    (when, DIM),
                    (f"  ({role.quotes})", DIM),
                )
            )
    else:
        lines.append(Content.assemble(("Roles: ", LABEL), ("none given", DIM)))
    return Content("\n").join(lines)


def facts_content(profile: SpeakerProfile) -> Content:
    """Under the chart: first and last quote, top topics and regions."""
    return Content("\n").join(
        [
            _quote_line("First", profile.first_quote),
            _quote_line("Last", profile.last_quote),
            _counts("Topics", profile.topics),
            _counts("Regions", profile.regions),
        ]
    )


class SpeakerScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Speaker view"
    AUTO_FOCUS = "#speaker-search"
    CSS = """
    SpeakerScreen {
        layout: vertical;
    }
    #speaker-top {
        height: auto;
        max-height: 50%;
        padding: 0 1;
    }
    #speaker-head, #speaker-facts {
        height: auto;
    }
    #speaker-top MonthChart {
        padding: 0;
        margin: 1 0 0 0;
    }
    #speaker-top MonthChart > Sparkline {
        height: 3;
    }
    SpeakerScreen.-short #speaker-top MonthChart > Sparkline {
        height: 1;
    }
    #speaker-panes {
        height: 1fr;
    }
    SpeakerScreen.-narrow #speaker-panes {
        layout: vertical;
    }
    SpeakerScreen.-narrow QuoteList, SpeakerScreen.-narrow DetailPane {
        width: 1fr;
    }
    SpeakerScreen.-short #speaker-top {
        max-height: 3;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="speaker-back"),
        Binding("slash", "focus_search", "Search", show=False, id="speaker-focus-search"),
        Binding("down", "focus_list", "To the list", show=False, id="speaker-focus-list"),
        Binding("o", "open_document", "Read", id="speaker-open-document"),
        Binding("question_mark", "app.help", "Help", show=False, id="speaker-help"),
    ]

    # The quote the detail pane shows: the list's highlight, one frame behind it.
    highlighted: var[Hit | None] = var(None, init=False, always_update=True)

    def __init__(self, speaker: str) -> None:
        super().__init__()
        self.speaker = speaker
        self.profile: SpeakerProfile | None = None
        self.result: SearchResult | None = None

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    @property
    def filters(self) -> Filters:
        return Filters(speakers=(self.speaker,))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="speaker-top"):
            yield Static(Content.styled(self.speaker, "bold"), id="speaker-head")
            yield MonthChart(id="speaker-months")
            yield Static("Reading their quotes…", id="speaker-facts", markup=False)
        yield Input(placeholder=f"Search {self.speaker}'s quotes…", id="speaker-search")
        with Horizontal(id="speaker-panes"):
            yield QuoteList(page=LIST_PAGE, id="speaker-quotes")
            yield DetailPane(id="speaker-detail").data_bind(hit=SpeakerScreen.highlighted)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.speaker
        self.load_profile()
        self.search("")

    # ------------------------------------------------------------------ the profile

    @work(exclusive=True, group="speaker-profile", exit_on_error=False)
    async def load_profile(self) -> None:
        from nato_browse.index import speaker_profile

        index = self.nb_app.index
        if index is None:
            return
        filters = self.filters

        def read() -> tuple[SpeakerProfile, int]:
            # One quote per group for the figures, as the index counts; every source for the
            # number of documents they are quoted in.
            said = index.search("", filters, sort="newest", limit=PROFILE_LIMIT)
            every = index.search("", filters, sort="newest", limit=PROFILE_LIMIT, collapse=False)
            profile = speaker_profile([h.quote for h in said.hits], self.speaker)
            documents = len({h.quote.doc for h in every.hits})
            aliases = index.speaker_aliases().get(self.speaker, ())
            profile = replace(profile, documents=documents, aliases=aliases)
            return profile, PROFILE_LIMIT if said.total > PROFILE_LIMIT else 0

        try:
            profile, capped = await self.nb_app.in_search_thread(read)
        except NatoBrowseError as exc:
            self.query_one("#speaker-facts", Static).update(str(exc))
            return
        self.show_profile(profile, capped)

    def show_profile(self, profile: SpeakerProfile, capped: int = 0) -> None:
        self.profile = profile
        self.query_one("#speaker-head", Static).update(profile_content(profile, capped))
        self.query_one(MonthChart).show(profile.months)
        self.query_one("#speaker-facts", Static).update(facts_content(profile))

    # ------------------------------------------------------------------ their quotes

    @on(Input.Changed, "#speaker-search")
    def query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(exclusive=True, group="speaker-search", exit_on_error=False)
    async def search(self, query: str) -> None:
        index = self.nb_app.index
        if index is None:
            return
        filters = self.filters
        try:
            result = await self.nb_app.in_search_thread(
                index.search, query, filters, sort="newest", limit=LIST_PAGE
            )
        except NatoBrowseError as exc:
            self.notify(str(exc), severity="error")
            return
        self.result = result
        quotes = self.query_one(QuoteList)
        quotes.show(result, partial(index.search, query, filters, sort="newest"))
        quotes.border_title = f"{plural(result.total, 'quote')}, newest first"
        if not result.hits:
            self.highlighted = None

    @on(OptionList.OptionHighlighted, "#speaker-quotes")
    def quote_highlighted(self) -> None:
        self.call_after_refresh(self._follow_highlight)

    def _follow_highlight(self) -> None:
        self.highlighted = self.query_one(QuoteList).highlighted_hit

    @on(Input.Submitted, "#speaker-search")
    def submitted(self) -> None:
        self.action_focus_list()

    # ------------------------------------------------------------------ moving around

    def action_focus_search(self) -> None:
        self.query_one("#speaker-search", Input).focus()

    def action_focus_list(self) -> None:
        quotes = self.query_one(QuoteList)
        if quotes.option_count:
            quotes.focus()

    def holds_key(self, event: events.Key) -> bool:
        """Keys wait while the list fetches the page they move into (keys.py)."""
        return self.query_one(QuoteList).busy

    def action_open_document(self) -> None:
        """The highlighted quote's whole document."""
        from .reader import ReaderScreen

        hit = self.query_one(QuoteList).highlighted_hit
        if hit is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
        else:
            self.app.push_screen(ReaderScreen(hit.quote))

    def action_back(self) -> None:
        box = self.query_one("#speaker-search", Input)
        if self.focused is box and box.value:
            box.value = ""
        else:
            self.dismiss()
