"""The queries the user searched, kept between runs (Up/Down in the search box walk them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nato_browse.index import config_dir

from .json_file import JsonFile, Stored

HISTORY_FILE = "history.json"
HISTORY_CAP = 500
_VERSION = 1


class QueryHistory(Stored):
    """The queries searched, oldest first, each once in a row, at most `cap` of them."""

    def __init__(
        self, entries: Sequence[str] = (), path: Path | None = None, cap: int = HISTORY_CAP
    ) -> None:
        self.cap = cap
        self.entries: list[str] = []
        self._file = JsonFile(path)
        for query in entries:
            self._append(query)

    @classmethod
    def load(cls, path: Path | None = None, cap: int = HISTORY_CAP) -> QueryHistory:
        """The history saved in `path` (default: history.json in the config directory)."""
        path = path if path is not None else config_dir() / HISTORY_FILE
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
