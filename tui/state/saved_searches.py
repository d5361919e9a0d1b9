"""Named saved searches (a query, its filters and its sort), kept between runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args

from nato_browse.index import Filters, SortOrder, config_dir

from ..export import describe_filters
from .json_file import JsonFile, Stored

SAVED_SEARCHES_FILE = "saved-searches.json"
_VERSION = 1


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
        if sort == "date":  # saved before the orders were newest, oldest and speaker
            sort = "newest"
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


class SavedSearches(Stored):
    """Saved searches by name (names compare without regard to case)."""

    def __init__(self, searches: Sequence[SavedSearch] = (), path: Path | None = None) -> None:
        self._file = JsonFile(path)
        self._by_key: dict[str, SavedSearch] = {}
        for search in searches:
            self._by_key[search.name.casefold()] = search

    @classmethod
    def load(cls, path: Path | None = None) -> SavedSearches:
        """The searches saved in `path` (default: saved-searches.json in the config directory).

        A bad entry is skipped with a warning; the others load."""
        path = path if path is not None else config_dir() / SAVED_SEARCHES_FILE
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


def describe(search: SavedSearch) -> str:
    """One line: the query, the filters and the sort order."""
    parts = [f"“{search.query}”" if search.query.strip() else "every quote"]
    parts += describe_filters(search.filters)
    parts.append(f"sorted by {search.sort}")
    return " · ".join(parts)


class SavedSearchError(Exception):
    """`--saved NAME` names no saved search; the message says which ones exist."""


def merge_saved(
    name: str, folder: Path, query: str, filters: Filters
) -> tuple[str, Filters, SortOrder]:
    """The saved search `name` from `folder`, with a command line's QUERY (if any) instead of its
    query and the command line's filters added to its own: values of a list field are added, a
    single value (a date bound) given on the command line replaces the saved one."""
    store = SavedSearches.load(folder / SAVED_SEARCHES_FILE)
    search = store.get(name)
    if search is None:
        names = ", ".join(store.names())
        known = f"saved: {names}" if names else f"none saved yet in {store.path}"
        problem = f"; {store.warning}" if store.warning else ""
        raise SavedSearchError(f"no saved search named {name!r} ({known}){problem}")
    merged = search.filters
    changes: dict[str, Any] = {}
    for f in fields(Filters):
        saved, given = getattr(merged, f.name), getattr(filters, f.name)
        if isinstance(saved, tuple):
            changes[f.name] = (*saved, *(v for v in given if v not in saved))
    # The date range is one filter: either end given on the command line replaces both.
    if filters.date_from or filters.date_to:
        changes.update(date_from=filters.date_from, date_to=filters.date_to)
    merged = replace(merged, **changes)
    return (query if query.strip() else search.query), merged, search.sort
