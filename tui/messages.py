"""Messages the app's parts send each other: small dataclasses carrying one typed payload."""

from __future__ import annotations

from dataclasses import dataclass

from nato_browse.index import SearchResult
from textual.message import Message


@dataclass
class IndexReady(Message):
    """The index is open (or was just built) and can be searched."""

    summary: str  # one line for the status bar, e.g. "1,204 quotes from 80 documents"


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
