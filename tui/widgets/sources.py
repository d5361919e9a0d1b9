"""The "N sources" block of the detail pane: every source of a grouped quote, by date, with
where its wording differs and who each source says spoke."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from nato_browse.index import Hit, NatoBrowseError
from textual import work
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from ..citation import display_date, who

if TYPE_CHECKING:
    # Not at start-up: grouping brings numpy; it is imported when a quote has sources.
    from nato_browse.index import GroupInfo, GroupSource

    from ..app import NatoBrowseApp

LABEL = "bold $text-secondary"
ADDED = "underline $text-success"  # words this source has and the canonical wording lacks
MISSING = "strike $text-error"  # canonical words this source leaves out
DIM = "dim"


def _wording(source: GroupSource) -> Content:
    parts: list[Content] = []
    for kind, words in source.diff:
        if kind == "added":
            parts.append(Content.styled(f"+{words}", ADDED))
        elif kind == "missing":
            parts.append(Content.styled(words, MISSING))
        else:
            parts.append(Content(words))
    return Content(" ").join(parts)


def sources_content(info: GroupInfo) -> Content:
    """The block for one group: a heading, the disagreement if any, then each source."""
    heading = f"{len(info.sources)} sources"
    if info.original is not None:
        # Where the words were said, before the articles that quote them.
        original = info.original.quote
        heading += f" · original: {original.form or 'transcript'}, {display_date(original.date)}"
    lines: list[Content] = [Content.styled(heading, LABEL)]
    if info.disagreement:
        others = ", ".join(f"“{s}”" for s in info.speakers[1:])
        lines.append(
            Content.assemble(
                ("Sources differ on who said it: ", "bold $text-warning"),
                (info.speaker, "bold"),
                (" (taken as the speaker), ", DIM),
                others,
            )
        )
    for source in info.sources:
        quote = source.quote
        head = Content.assemble(
            ("• ", DIM),
            (display_date(quote.date), DIM),
            "  ",
            (quote.title or "untitled", "bold"),
        )
        if source is info.original:
            head += Content.styled("  (original)", DIM)
        if quote.speaker != info.speaker:
            head += Content.styled(f"  (says: {who(quote)})", "italic $text-warning")
        lines.append(head)
        if quote.url:
            lines.append(
                Content("  ") + Content.styled(quote.url, Style(underline=True, link=quote.url))
            )
        if source.differs:
            note = "quotes part of it: " if source.fragment else "words differ: "
            lines.append(Content.assemble(("  ", ""), (note, DIM)) + _wording(source))
    return Content("\n").join(lines)


class SourcesBlock(Static):
    """Empty and hidden unless the shown quote has more than one source."""

    DEFAULT_CSS = """
    SourcesBlock {
        height: auto;
        margin-top: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.hit: Hit | None = None
        self.info: GroupInfo | None = None
        self.display = False

    def show(self, hit: Hit | None) -> None:
        if hit is not None and self.hit is not None and hit.quote == self.hit.quote:
            return
        self.hit, self.info = hit, None
        self.update("")
        self.display = False
        if hit is not None and hit.sources > 1:
            self._load(hit)

    @work(exclusive=True, group="sources", exit_on_error=False)
    async def _load(self, hit: Hit) -> None:
        from nato_browse.index import group_summary

        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return

        def read() -> GroupInfo | None:
            quotes = index.sources(hit.quote.quote_id)
            return group_summary(quotes) if len(quotes) > 1 else None

        try:
            info = await app.in_search_thread(read)
        except NatoBrowseError:
            return
        if self.hit is hit and info is not None:
            self.info = info
            self.update(sources_content(info))
            self.display = True
