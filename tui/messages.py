"""Messages the app's parts send each other: small dataclasses carrying one typed payload.

Screens talk only through these: the palette, the app and the other screens post a message to
the main screen (`app.main`), which handles it; nothing outside a screen sets its attributes or
queries its widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nato_browse.index import SearchResult
from textual.message import Message

if TYPE_CHECKING:
    from .state.saved_searches import SavedSearch


@dataclass
class IndexLoading(Message):
    """The index is being opened or (re)built; `what` says so for the person."""

    what: str


@dataclass
class IndexReady(Message):
    """The index is open (or was just built) and can be searched."""

    summary: str  # one line for the status bar, e.g. "1,204 quotes from 80 documents"
    empty: bool = False  # the index holds no quotes at all


@dataclass
class IndexFailed(Message):
    """The index could not be opened or built; `message` says what and `advice` what to do."""

    title: str
    message: str
    advice: str
    can_rebuild: bool


@dataclass
class BuildProgress(Message):
    """Progress of a first-time (or requested) index build."""

    done: int
    total: int | None
    what: str

    def can_replace(self, message: Message) -> bool:
        # A callback per file can come thousands of times a second: a newer one still waiting
        # in the queue supersedes this one, so the screen draws only the latest.
        return isinstance(message, BuildProgress)


@dataclass
class ResultsShown(Message):
    """The list now shows `result` (posted after the list is updated; tests and benchmarks wait
    for it)."""

    result: SearchResult


@dataclass
class RemoveFilter(Message):
    """Drop one value of one filter field ("speakers", "topics", "regions", "countries",
    "dates"); an empty field clears every filter."""

    field: str
    value: str = ""


@dataclass
class ShowOnly(Message):
    """Show only the quotes with this value of a filter field (the palette's jump)."""

    field: str  # "speakers", "topics" or "regions"
    value: str


@dataclass
class ApplySearch(Message):
    """Show the results of a saved search: its query, filters and sort order."""

    search: SavedSearch


@dataclass
class ShowSpeaker(Message):
    """Open the speaker view of `speaker` (the palette, or p / P on a quote)."""

    speaker: str


@dataclass
class StepQuote(Message):
    """Move the main list's highlight by `step` rows (the full-screen quote's next/previous)."""

    step: int
