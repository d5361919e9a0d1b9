"""A whole document, scrollable, with its quotes marked and each quote's speaker in the margin.

A line-API widget (like toolong's log view): it draws only the lines on screen, so a long
transcript scrolls as fast as a short release. The text is wrapped once per width
(document_lines.py); the current quote stands out, the others are marked more quietly, and the
words found by the reader's search are highlighted.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

from nato_browse.index import Quote
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..document_lines import Line, display, find_all, line_of, wrap

# The margin: a speaker's name where their quote begins, a bar beside the rest of it.
MARGIN_MAX = 20
MARGIN_MIN = 8
BAR, CURRENT_BAR = "│", "┃"


def margin_width(width: int) -> int:
    """Cells for the speaker margin at this width (a fifth, within bounds; none when tiny)."""
    return 0 if width < 24 else max(MARGIN_MIN, min(MARGIN_MAX, width // 5))


def label(name: str, cells: int) -> str:
    """`name` in `cells` characters: whole, else its last word, else cut with an ellipsis."""
    if len(name) <= cells:
        return name
    last = name.split()[-1] if name.split() else name
    if len(last) <= cells:
        return last
    return last[: max(cells - 1, 0)] + "…"


class DocumentView(ScrollView, can_focus=True):
    # Keys that only scroll: a run of them goes straight to the view (keys.py).
    LOCAL_KEYS = frozenset(
        {"up", "down", "j", "k", "pageup", "pagedown", "home", "end", "g", "G", "space"}
    )
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document--quote",
        "document--current",
        "document--speaker",
        "document--current-speaker",
        "document--match",
    }
    DEFAULT_CSS = """
    DocumentView {
        height: 1fr;
        overflow-y: scroll;
        overflow-x: hidden;
        padding: 0 1;
        & > .document--quote { color: $text-accent; }
        & > .document--current { color: $text; background: $accent 30%; text-style: bold; }
        & > .document--speaker { color: $text-muted; }
        & > .document--current-speaker { color: $text-accent; text-style: bold; }
        & > .document--match { color: $text; background: $warning 60%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="reader-down"),
        Binding("k", "scroll_up", "Up", show=False, id="reader-up"),
        Binding("g", "scroll_home", "Top", show=False, id="reader-top"),
        Binding("G", "scroll_end", "End", show=False, id="reader-end"),
        Binding("space", "page_down", "Page down", show=False, id="reader-page"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.quotes: tuple[Quote, ...] = ()
        self.current = -1  # the quote that stands out (its index in `quotes`)
        self.matches: list[tuple[int, int]] = []  # found words: (start, end) in the text
        self.match_at = -1  # the match last brought into view
        self.lines: list[Line] = []
        self._starts: list[int] = []
        self._margin = 0
        self._wrapped_for = -1
        # Line index -> the quotes it shows; quote index -> its first line.
        self._on_line: dict[int, list[int]] = {}
        self._first_line: list[int] = []

    # ------------------------------------------------------------------ content

    def show(self, text: str, quotes: Sequence[Quote], current: int) -> None:
        """Show `text` with `quotes` (in text order) marked, and quote `current` in view."""
        self.text = text
        self.quotes = tuple(quotes)
        self.current = current
        self.matches = []
        self.match_at = -1
        self._wrapped_for = -1
        self._layout()
        self.call_after_refresh(self.scroll_to_quote)

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_for:
            return
        self._wrapped_for = width
        self._margin = margin_width(width)
        self.lines = wrap(self.text, width - self._margin - (1 if self._margin else 0))
        self._starts = [line.start for line in self.lines]
        self._on_line = {}
        self._first_line = []
        for number, quote in enumerate(self.quotes):
            first = self.line_at(quote.start)
            last = self.line_at(max(quote.end - 1, quote.start))
            self._first_line.append(first)
            for line in range(first, last + 1):
                self._on_line.setdefault(line, []).append(number)
        self.virtual_size = Size(width, len(self.lines))
        self.refresh()

    def on_resize(self) -> None:
        top = self.lines[int(self.scroll_y)].start if self.lines else 0
        self._layout()
        if self.lines:  # the same text stays at the top
            self.scroll_to(y=self.line_at(top), animate=False, immediate=True)

    # ------------------------------------------------------------------ moving

    def line_at(self, offset: int) -> int:
        """The line that shows `offset`."""
        return line_of(self._starts, offset)

    def bring_into_view(self, line: int) -> None:
        """Scroll so that `line` shows a third of the way down (if it is not in view)."""
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if not top <= line < top + max(height - 1, 1):
            self.scroll_to(y=max(line - height // 3, 0), animate=False, immediate=True)

    def scroll_to_quote(self) -> None:
        self._layout()
        if 0 <= self.current < len(self._first_line):
            self.bring_into_view(self._first_line[self.current])

    def step(self, step: int) -> bool:
        """Make the next (previous) quote current; False at either end."""
        target = self.current + step
        if not 0 <= target < len(self.quotes):
            return False
        self.current = target
        self.refresh()
        self.scroll_to_quote()
        return True

    def find(self, wanted: str) -> int:
        """Highlight every occurrence of `wanted`; how many there are."""
        self.matches = find_all(self.text, wanted)
        self.match_at = -1
        self.refresh()
        return len(self.matches)

    def to_match(self, step: int, *, from_top: bool = False) -> int | None:
        """Bring the next (step 1) or previous (step -1) match into view: its index, or None.
        Counted from the line at the top of the view."""
        if not self.matches or not self.lines:
            return None
        top = self.lines[min(int(self.scroll_y), len(self.lines) - 1)].start
        if from_top or self.match_at < 0:
            index = bisect.bisect_left(self.matches, (top, top))
            if step < 0:
                index -= 1
        else:
            index = self.match_at + step
        index %= len(self.matches)
        self.match_at = index
        self.bring_into_view(self.line_at(self.matches[index][0]))
        self.refresh()
        return index

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        number = int(self.scroll_y) + y
        base = self.rich_style
        if number >= len(self.lines) or width <= 0:
            return Strip.blank(width, base)
        line = self.lines[number]
        on_line = self._on_line.get(number, [])
        segments = self._margin_segments(number, on_line, base)
        segments += self._text_segments(line, on_line, base)
        return Strip(segments).adjust_cell_length(width, base)

    def _margin_segments(self, number: int, on_line: list[int], base: Style) -> list[Segment]:
        cells = self._margin
        if not cells:
            return []
        if not on_line:
            return [Segment(" " * (cells + 1), base)]
        quote = on_line[0]
        current = self.current in on_line
        if current:
            quote = self.current
        name_style = self.get_component_rich_style(
            "document--current-speaker" if current else "document--speaker"
        )
        bar_style = self.get_component_rich_style(
            "document--current-speaker" if current else "document--quote"
        )
        starts_here = self._first_line[quote] == number
        name = label(self.quotes[quote].speaker, cells - 1) if starts_here else ""
        return [
            Segment(name.ljust(cells - 1), base + name_style),
            Segment(CURRENT_BAR if current else BAR, base + bar_style),
            Segment(" ", base),
        ]

    def _text_segments(self, line: Line, on_line: list[int], base: Style) -> list[Segment]:
        start, end = line.start, line.end
        if start == end:
            return []
        # Style runs: quotes (the current one over the others), then found words over both.
        marks: list[tuple[int, int, str]] = []
        for number in on_line:
            quote = self.quotes[number]
            kind = "document--current" if number == self.current else "document--quote"
            marks.append((max(quote.start, start), min(quote.end, end), kind))
        marks.sort(key=lambda mark: mark[2] == "document--current")
        first = bisect.bisect_left(self.matches, (start, start)) - 1
        for m_start, m_end in self.matches[max(first, 0) :]:
            if m_start >= end:
                break
            if m_end > start:
                marks.append((max(m_start, start), min(m_end, end), "document--match"))
        cuts = sorted({start, end, *(a for a, _, _ in marks), *(b for _, b, _ in marks)})
        segments = []
        for a, b in pairwise(cuts):
            if a >= b:
                continue
            style = base
            for m_start, m_end, mark in marks:
                if m_start <= a and b <= m_end:
                    style = style + self.get_component_rich_style(mark)
            segments.append(Segment(display(self.text[a:b]), style))
        return segments
