"""Two speakers on one topic side by side: quotes per month over the same months, totals, and
each one's latest quotes on it. Opened from the palette ("Compare speakers…"), which asks for
speaker A, speaker B and the topic in turn."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from nato_browse.index import Filters, NatoBrowseError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from ..citation import display_date
from ..widgets.fit_footer import FitFooter
from ..widgets.month_chart import chart_caption

if TYPE_CHECKING:
    from nato_browse.index import Quote, TopicComparison

    from ..app import NatoBrowseApp

# Quotes read per speaker for the monthly counts.
COMPARE_LIMIT = 20_000
# Latest quotes shown under each chart.
LATEST = 5
LABEL = "bold $text-secondary"
DIM = "dim"


def topic_label(topic: str) -> str:
    return topic or "every topic"


def latest_content(quotes: list[Quote], topic: str) -> Content:
    if not quotes:
        return Content.styled(f"No quotes on {topic_label(topic)}.", DIM)
    lines = [Content.styled("Latest", LABEL)]
    for quote in quotes[:LATEST]:
        text = " ".join(quote.text.split())
        lines.append(Content.assemble((display_date(quote.date), DIM), "  “", text, "”"))
    return Content("\n").join(lines)


class CompareScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Compare speakers"
    CSS = """
    CompareScreen {
        layout: vertical;
    }
    #compare-title {
        height: auto;
        padding: 0 1;
    }
    #compare-sides {
        height: 1fr;
    }
    .compare-side {
        width: 1fr;
        height: 1fr;
        border: tall $border-blurred;
        padding: 0 1;
    }
    .compare-side:focus {
        border: tall $border;
    }
    .compare-side Sparkline {
        height: 3;
        margin: 1 0 0 0;
    }
    .compare-head, .compare-caption, .compare-latest {
        height: auto;
    }
    .compare-caption {
        color: $text-muted;
    }
    .compare-latest {
        margin-top: 1;
    }
    CompareScreen.-narrow #compare-sides {
        layout: vertical;
    }
    CompareScreen.-short .compare-side Sparkline {
        height: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="compare-back"),
        Binding("question_mark", "app.help", "Help", show=False, id="compare-help"),
    ]

    def __init__(self, speaker_a: str, speaker_b: str, topic: str = "") -> None:
        super().__init__()
        self.speakers = (speaker_a, speaker_b)
        self.topic = topic
        self.comparison: TopicComparison | None = None

    @property
    def nb_app(self) -> NatoBrowseApp:
        return cast("NatoBrowseApp", self.app)

    def compose(self) -> ComposeResult:
        a, b = self.speakers
        yield Static(
            Content.assemble(
                (a, "bold"),
                (" and ", DIM),
                (b, "bold"),
                (" on ", DIM),
                (topic_label(self.topic), "bold $text-accent"),
            ),
            id="compare-title",
        )
        with Horizontal(id="compare-sides"):
            for side, name in zip("ab", self.speakers, strict=True):
                with VerticalScroll(id=f"compare-{side}", classes="compare-side") as column:
                    column.border_title = Content(name)  # a name, never markup
                    yield Static("Reading their quotes…", classes="compare-head")
                    yield Sparkline([], summary_function=max)
                    yield Static("", classes="compare-caption", markup=False)
                    yield Static("", classes="compare-latest")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="compare", exit_on_error=False)
    async def load(self) -> None:
        from nato_browse.index import compare_on_topic

        index = self.nb_app.index
        if index is None:
            return
        topics = (self.topic,) if self.topic else ()

        def read() -> tuple[TopicComparison, list[Quote], list[Quote]]:
            said = [
                [
                    hit.quote
                    for hit in index.search(
                        "",
                        Filters(speakers=(name,), topics=topics),
                        sort="newest",
                        limit=COMPARE_LIMIT,
                    ).hits
                ]
                for name in self.speakers
            ]
            return compare_on_topic(said[0], said[1], self.topic), said[0], said[1]

        try:
            comparison, quotes_a, quotes_b = await self.nb_app.in_search_thread(read)
        except NatoBrowseError as exc:
            self.notify(str(exc), severity="error")
            return
        self.show(comparison, quotes_a, quotes_b)

    def show(
        self, comparison: TopicComparison, quotes_a: list[Quote], quotes_b: list[Quote]
    ) -> None:
        self.comparison = comparison
        months = comparison.months
        sides = (
            ("a", comparison.counts_a, comparison.total_a, quotes_a),
            ("b", comparison.counts_b, comparison.total_b, quotes_b),
        )
        for side, counts, total, quotes in sides:
            column = self.query_one(f"#compare-{side}")
            noun = "quote" if total == 1 else "quotes"
            column.query_one(".compare-head", Static).update(
                Content.assemble(
                    (f"{total:,} {noun}", "bold"), (f" on {topic_label(self.topic)}", DIM)
                )
            )
            # Both charts span the same months, so a bar in one lines up with the other's.
            column.query_one(Sparkline).data = list(counts)
            series = list(zip(months, counts, strict=True))
            column.query_one(".compare-caption", Static).update(chart_caption(series))
            column.query_one(".compare-latest", Static).update(latest_content(quotes, self.topic))


def compare_speakers(app: NatoBrowseApp) -> None:
    """Ask for speaker A, speaker B and the topic, then open the comparison.

    Each step is a dialog with a callback (not one worker awaiting the dialogs), so nothing
    stays running while the person chooses. Each dialog opens at once and counts its values
    itself, so keys typed meanwhile reach it (keys.py).
    """
    from .choose import ChoiceScreen

    index = app.index
    if index is None:
        app.notify("The index is not open yet.", severity="warning")
        return

    def speakers(but: str = "") -> tuple[tuple[str, int], ...]:
        every = index.values("speakers")
        if len(every) < 2:
            raise NatoBrowseError("The index has fewer than two speakers to compare.")
        return tuple((name, count) for name, count in every if name != but)

    def topics(first: str, second: str) -> tuple[tuple[str, int], ...]:
        return index.facets("", Filters(speakers=(first, second))).topics

    def first_chosen(first: str | None) -> None:
        if first:
            app.push_screen(
                ChoiceScreen(f"Compare {first} with…", partial(speakers, first)),
                partial(second_chosen, first),
            )

    def second_chosen(first: str, second: str | None) -> None:
        if second:
            app.push_screen(
                ChoiceScreen(
                    f"{first} and {second} on…",
                    partial(topics, first, second),
                    first=("", "Every topic"),
                ),
                partial(topic_chosen, first, second),
            )

    def topic_chosen(first: str, second: str, topic: str | None) -> None:
        if topic is not None:
            app.push_screen(CompareScreen(first, second, topic))

    app.push_screen(ChoiceScreen("Compare: first speaker", speakers), first_chosen)
