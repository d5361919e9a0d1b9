"""Query history and named saved searches, kept between runs in the user's config directory.

Both are small JSON files in `paths.config_dir()`, written atomically (a temporary file, then
`os.replace`), so an interrupted write leaves the previous file whole. A missing file is an empty
history; a file that cannot be read or parsed gives a one-line `warning` (also logged), an empty
start, and is moved aside to `<name>.corrupt` before it is first overwritten, so nothing the user
saved is silently lost. Nothing here raises for a bad file or a full disk.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args

from . import paths
from .api import Filters, SortOrder

HISTORY_FILE = "history.json"
SAVED_SEARCHES_FILE = "saved-searches.json"
HISTORY_CAP = 500
_VERSION = 1

log = logging.getLogger(__name__)


class _JsonFile:
    """A JSON file read once and rewritten whole, atomically."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.warning = ""  # one line for the user, "" when all is well
        self._corrupt = False

    def read(self, what: str) -> Any:
        """The parsed JSON, or None when the file is missing or unusable (with a warning)."""
        if self.path is None:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            self.unusable(what, "is not UTF-8 text")
            return None
        except OSError as err:
            self._warn(f"cannot read {what} {self.path}: {_reason(err)}; starting empty")
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            self.unusable(what, f"is not valid JSON ({err.msg}, line {err.lineno})")
            return None

    def unusable(self, what: str, reason: str, outcome: str = "starting empty") -> None:
        """The file is (partly) unreadable: warn, and move it aside before it is rewritten."""
        self._corrupt = True
        self._warn(f"{what} {self.path} {reason}; {outcome}")

    def write(self, data: Any, what: str) -> bool:
        """Replace the file with `data`; False (and a warning) when it cannot be written."""
        if self.path is None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._corrupt and self.path.exists():
                # Keep what could not be read, once, rather than overwrite it.
                os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
            self._corrupt = False
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, indent=1)
                    out.write("\n")
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            self._warn(f"cannot save {what} to {self.path}: {_reason(err)}")
            return False
        return True

    def _warn(self, message: str) -> None:
        self.warning = message
        log.warning("%s", message)


def _reason(err: OSError) -> str:
    return err.strerror.lower() if err.strerror else str(err) or type(err).__name__


# --- query history ------------------------------------------------------------------------------


class _Stored:
    """What both stores show of their file: where it is and what went wrong reading it."""

    _file: _JsonFile

    @property
    def path(self) -> Path | None:
        return self._file.path

    @property
    def warning(self) -> str:
        return self._file.warning


class QueryHistory(_Stored):
    """The queries searched, oldest first, each once in a row, at most `cap` of them."""

    def __init__(
        self, entries: Sequence[str] = (), path: Path | None = None, cap: int = HISTORY_CAP
    ) -> None:
        self.cap = cap
        self.entries: list[str] = []
        self._file = _JsonFile(path)
        for query in entries:
            self._append(query)

    @classmethod
    def load(cls, path: Path | None = None, cap: int = HISTORY_CAP) -> QueryHistory:
        """The history saved in `path` (default: history.json in the config directory)."""
        path = path if path is not None else paths.config_dir() / HISTORY_FILE
        history = cls(path=path, cap=cap)
        data = history._file.read("history file")
        if data is None:
            return history
        queries = data.get("queries") if isinstance(data, dict) else None
        if not isinstance(queries, list):
            history._file.unusable("history file", 'has no "queries" list')
            return history
        for query in queries:
            if isinstance(query, str):
                history._append(query)
        return history

    def add(self, query: str, *, save: bool = True) -> None:
        """Record a search; saved at once (when the history has a file) so a crash keeps it."""
        if self._append(query) and save:
            self.save()

    def save(self) -> bool:
        return self._file.write({"version": _VERSION, "queries": self.entries}, "history")

    def navigator(self) -> HistoryNavigator:
        """A cursor for Up/Down in the search box, starting after the newest entry."""
        return HistoryNavigator(self.entries)

    def _append(self, query: str) -> bool:
        query = query.strip()
        if not query or (self.entries and self.entries[-1] == query):
            return False
        self.entries.append(query)
        del self.entries[: max(0, len(self.entries) - self.cap)]
        return True

    def __len__(self) -> int:
        return len(self.entries)


class HistoryNavigator:
    """Up/Down through past queries like a shell: Up goes back in time; Down comes forward and,
    past the newest entry, gives back what was being typed before the first Up."""

    def __init__(self, entries: Sequence[str]) -> None:
        self._entries = list(entries)
        self._index = len(self._entries)
        self._draft = ""

    def older(self, current: str) -> str | None:
        """The previous query (Up), or None at the oldest. `current` is the box's text now."""
        if self._index == len(self._entries):
            self._draft = current
        if self._index == 0:
            return None
        self._index -= 1
        return self._entries[self._index]

    def newer(self) -> str | None:
        """The next query (Down), the draft after the newest, or None when not navigating."""
        if self._index >= len(self._entries):
            return None
        self._index += 1
        if self._index == len(self._entries):
            return self._draft
        return self._entries[self._index]

    def reset(self) -> None:
        """Back after the newest entry (the user typed or searched)."""
        self._index = len(self._entries)
        self._draft = ""


# --- saved searches -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named search: the query, its filters and its sort order."""

    name: str
    query: str
    filters: Filters = field(default_factory=Filters)
    sort: SortOrder = "relevance"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "query": self.query, "sort": self.sort}
        filters = {}
        for f in fields(Filters):
            value = getattr(self.filters, f.name)
            if value:
                filters[f.name] = list(value) if isinstance(value, tuple) else value
        if filters:
            data["filters"] = filters
        return data

    @classmethod
    def from_json(cls, data: Any) -> SavedSearch:
        """Raises ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("an entry is not an object")
        name, query = data.get("name"), data.get("query", "")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("an entry has no name")
        if not isinstance(query, str):
            raise ValueError(f"{name!r}: the query is not text")
        sort = data.get("sort", "relevance")
        if sort not in get_args(SortOrder):
            raise ValueError(f"{name!r}: unknown sort {sort!r}")
        raw = data.get("filters", {})
        if not isinstance(raw, dict):
            raise ValueError(f"{name!r}: filters is not an object")
        known = {f.name: f for f in fields(Filters)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise ValueError(f"{name!r}: unknown filter {key!r}")
            if key.startswith("date_"):
                if not isinstance(value, str):
                    raise ValueError(f"{name!r}: {key} is not a date")
                values[key] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[key] = tuple(value)
            else:
                raise ValueError(f"{name!r}: {key} is not a list of text")
        return cls(name.strip(), query, Filters(**values), sort)


class SavedSearches(_Stored):
    """Saved searches by name (names compare without regard to case)."""

    def __init__(self, searches: Sequence[SavedSearch] = (), path: Path | None = None) -> None:
        self._file = _JsonFile(path)
        self._by_key: dict[str, SavedSearch] = {}
        for search in searches:
            self._by_key[search.name.casefold()] = search

    @classmethod
    def load(cls, path: Path | None = None) -> SavedSearches:
        """The searches saved in `path` (default: saved-searches.json in the config directory).

        A bad entry is skipped with a warning; the others load."""
        path = path if path is not None else paths.config_dir() / SAVED_SEARCHES_FILE
        saved = cls(path=path)
        data = saved._file.read("saved searches file")
        if data is None:
            return saved
        entries = data.get("searches") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            saved._file.unusable("saved searches file", 'has no "searches" list')
            return saved
        bad = []
        for entry in entries:
            try:
                search = SavedSearch.from_json(entry)
            except ValueError as err:
                bad.append(str(err))
                continue
            saved._by_key[search.name.casefold()] = search
        if bad:
            # Rewriting would drop the bad entries: keep the file as it was, aside.
            saved._file.unusable(
                "saved searches file", f"has {len(bad)} bad entries ({bad[0]})", "skipped them"
            )
        return saved

    def names(self) -> list[str]:
        return sorted((s.name for s in self._by_key.values()), key=str.casefold)

    def get(self, name: str) -> SavedSearch | None:
        return self._by_key.get(name.strip().casefold())

    def put(self, search: SavedSearch, *, save: bool = True) -> None:
        """Add a search, or replace the one of the same name."""
        self._by_key[search.name.casefold()] = search
        if save:
            self.save()

    def remove(self, name: str, *, save: bool = True) -> bool:
        removed = self._by_key.pop(name.strip().casefold(), None) is not None
        if removed and save:
            self.save()
        return removed

    def save(self) -> bool:
        searches = [self._by_key[k].to_json() for k in sorted(self._by_key)]
        return self._file.write({"version": _VERSION, "searches": searches}, "saved searches")

    def __iter__(self) -> Iterator[SavedSearch]:
        return iter(sorted(self._by_key.values(), key=lambda s: s.name.casefold()))

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.strip().casefold() in self._by_key
