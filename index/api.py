"""The small API between the headless core and its callers (the CLI and the Textual app).

Callers use only what is named here: the value types below, `QuoteIndex` (search.py) and
`build_index` (build.py). Everything is plain data, so the app can call it from a worker thread
and the tests can use it with no UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol, get_args

from .clean import clean_line, visible_controls
from .model import DEFAULT_KINDS, Quote

# The orders results can be listed in: best match first, newest first (undated last), oldest
# first (undated last), or by speaker A-Z (unnamed sources after the named, then newest first).
SortOrder = Literal["relevance", "newest", "oldest", "speaker"]
SORT_ORDERS: tuple[SortOrder, ...] = get_args(SortOrder)

# The speaker value of quotes nobody is named for ("a senior official", or no one): one entry
# in the speaker facet, and a filter value like any speaker's.
UNATTRIBUTED = "unattributed"


class NatoBrowseError(Exception):
    """An error meant for a person: its message is one line naming what and why."""


class DocumentSkipped(NatoBrowseError):
    """A document beyond a bound of extraction (its length, its time); the rest goes on."""


class IndexMissing(NatoBrowseError):
    """No index exists in the folder yet."""


class IndexCorrupt(NatoBrowseError):
    """The index folder holds something Whoosh cannot read; rebuilding fixes it."""


class IndexLocked(NatoBrowseError):
    """Another process is writing the index."""


class IndexUnavailable(NatoBrowseError):
    """The index folder cannot be read or written (permissions, disk full, deleted)."""


class DocumentUnavailable(NatoBrowseError):
    """A quote's document cannot be read again from its source: the file is gone, unreadable,
    or changed since it was indexed."""


class AmbiguousSpeaker(NatoBrowseError):
    """A speaker filter names more than one speaker ("Johnson"); the message lists them."""

    def __init__(self, typed: str, candidates: tuple[str, ...]) -> None:
        shown = ", ".join(candidates[:8]) + (", ..." if len(candidates) > 8 else "")
        super().__init__(f"speaker {typed!r} could be any of: {shown}; give the full name")
        self.typed = typed
        self.candidates = candidates


class DiskFull(IndexUnavailable):
    """The disk filled up while writing the index. Before the commit, what the run wrote was
    removed and the index is as it was; after it (`committed`), the index is updated and only
    its search caches are missing (searching works, more slowly)."""

    def __init__(self, message: str, needed: int = 0, *, committed: bool = False) -> None:
        super().__init__(message)
        self.needed = needed  # bytes the run would need free, as estimated; 0 when unknown
        self.committed = committed


@dataclass(frozen=True, slots=True)
class Filters:
    """What the results are narrowed to. Values within a field are OR-ed, fields are AND-ed.

    `kinds` are the kinds of record shown (model.QUOTE_KINDS). Empty means the default,
    model.DEFAULT_KINDS: every kind but "question", because a question is its asker's words and
    must never read as the answerer's; search, facets and a speaker's view show questions only
    when a kind filter asks for them (`--kind question`, the app's kind toggle).
    """

    speakers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    date_from: str = ""  # ISO date, inclusive; "" for open
    date_to: str = ""  # ISO date, inclusive; "" for open
    kinds: tuple[str, ...] = ()  # () for DEFAULT_KINDS

    def is_empty(self) -> bool:
        return not (
            self.speakers
            or self.topics
            or self.regions
            or self.countries
            or self.date_from
            or self.date_to
            or self.kinds
        )

    def shown_kinds(self) -> tuple[str, ...]:
        """The kinds of record these filters show."""
        return self.kinds or DEFAULT_KINDS

    def values(self, field: str) -> tuple[str, ...]:
        """The values of one of the tuple fields, by name ("speakers", "topics", ...)."""
        if field not in _VALUE_FIELDS:
            raise ValueError(f"not a filter field: {field!r}")
        values: tuple[str, ...] = getattr(self, field)
        return values

    def with_values(self, field: str, values: tuple[str, ...]) -> Filters:
        """A copy with one of the tuple fields replaced."""
        if field not in _VALUE_FIELDS:
            raise ValueError(f"not a filter field: {field!r}")
        changes: dict[str, tuple[str, ...]] = {field: tuple(values)}
        return replace(self, **changes)  # type: ignore[arg-type]  # mypy reads ** as every field

    def toggled(self, field: str, value: str) -> Filters:
        """A copy with `value` added to (or removed from) one of the tuple fields."""
        current = self.values(field)
        if value in current:
            return self.with_values(field, tuple(v for v in current if v != value))
        return self.with_values(field, (*current, value))


_VALUE_FIELDS = frozenset({"speakers", "topics", "regions", "countries", "kinds"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    quote: Quote
    score: float
    # Character spans within `quote.text` of the words the query matched, for highlighting.
    highlights: tuple[tuple[int, int], ...] = ()
    # How many sources say these same words (issue: one quote, many sources); 1 when alone.
    sources: int = 1


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str  # the query as the caller gave it
    hits: tuple[Hit, ...]
    total: int  # all matches (a quote repeated by several sources once), not only this page
    offset: int = 0
    # Every matching quote, repeats included: more than `total` when repeats were merged.
    quotes: int = 0
    # The order the hits are in: an empty query has no relevance, so it lists newest first.
    sort: SortOrder = "relevance"
    # A quiet note for the user, e.g. that a malformed query was searched as plain words.
    note: str = ""
    # "Did you mean": a corrected query built from the index's own words, when nothing matched.
    suggestion: str = ""
    # Speakers the typed words name, with their quote counts ("Jens Stoltenberg", 14): the
    # app offers to filter by them.
    speakers: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """One speaker of the index: the name shown, how many quotes, the other names merged into
    it, and the roles it is quoted with (people.toml's dated roles first)."""

    name: str
    quotes: int
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    organisation: bool = False


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts within the current result set, most frequent first."""

    speakers: tuple[tuple[str, int], ...] = ()
    topics: tuple[tuple[str, int], ...] = ()
    regions: tuple[tuple[str, int], ...] = ()
    countries: tuple[tuple[str, int], ...] = ()
    kinds: tuple[tuple[str, int], ...] = ()  # in model.QUOTE_KINDS order, kinds with none left out


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str  # one line, for a person

    def __post_init__(self) -> None:
        # Printed as they are: a file name shows its control characters as escapes, and a
        # reason (which may quote the file) is one clean line.
        object.__setattr__(self, "path", visible_controls(self.path))
        object.__setattr__(self, "reason", clean_line(self.reason))

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# What became of a source when it was last read: "ok" (files skipped, if any, are listed
# beside); "missing", "unreadable" or "empty" (its documents were kept as they were); "not indexed"
# (added, but no run has read it yet).
SourceStatus = Literal["ok", "missing", "unreadable", "empty", "not indexed"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One source of the library: a folder or file the user asked to index."""

    path: str  # absolute; bytes of a name that are not UTF-8 are shown escaped (\xe9)
    documents: int  # documents in the index that its files give
    quotes: int  # quotes of those documents
    status: SourceStatus
    indexed: str = ""  # when a run last read it, ISO 8601 with the UTC offset; "" never
    skipped: tuple[SkippedFile, ...] = ()  # files of its last reading that could not be used
    demo: bool = False  # the shipped demo corpus, there because nothing else was asked for


@dataclass(frozen=True, slots=True)
class BuildReport:
    documents: int  # documents in the index after the run
    quotes: int  # quotes in the index after the run
    speakers: int  # distinct speakers in the index after the run
    added: int = 0  # documents added by this run
    removed: int = 0  # documents dropped because their file changed or went away
    unchanged: int = 0  # documents kept as they were (their files unchanged or not read)
    skipped: tuple[SkippedFile, ...] = ()
    seconds: float = 0.0
    # Paths asked for that were not added to the library, and why (missing, or no document
    # could be read from them).
    not_added: tuple[SkippedFile, ...] = ()
    # The sources this run read or tried to read, as they are after it (a missing, unreadable
    # or empty one kept its documents).
    sources: tuple[SourceInfo, ...] = ()
    # Sources this run took out of the library (`remove_source`, or the demo corpus once the
    # user added a source of their own).
    dropped: tuple[str, ...] = ()


# Progress callback: (files or documents done, total or None when unknown, what is being read).
ProgressCallback = Callable[[int, int | None, str], None]


@dataclass(frozen=True, slots=True)
class IndexStats:
    documents: int
    quotes: int  # records of every kind
    speakers: int  # distinct speakers of the default kinds (askers of questions not counted)
    top: Facets  # top speakers, topics, regions and countries of the default kinds
    first_date: str = ""
    last_date: str = ""
    kinds: tuple[tuple[str, int], ...] = ()  # records per kind, in model.QUOTE_KINDS order


class QuoteSearcher(Protocol):
    """What `QuoteIndex` (search.py) offers its callers. One long-lived instance per index."""

    def search(
        self,
        query: str,
        filters: Filters = ...,
        *,
        sort: SortOrder = "relevance",
        limit: int = 200,
        offset: int = 0,
        prefix_last: bool = True,  # treat the last word as a prefix (search as you type)
    ) -> SearchResult: ...

    def facets(self, query: str, filters: Filters = ...) -> Facets: ...

    def months(self, query: str, filters: Filters = ...) -> tuple[tuple[str, int], ...]:
        """Matching quotes per month ("2023-11", count), oldest first, months with none included."""
        ...

    def speaker_quote_count(self, speaker: str) -> int: ...

    def stats(self) -> IndexStats: ...

    def refresh(self) -> None:
        """Pick up a commit made by another writer (cheap when nothing changed)."""
        ...

    def close(self) -> None: ...
