"""The search box at the top of the main screen."""

from __future__ import annotations

from .history_input import HistoryInput

PLACEHOLDER = 'Search quotes: words, "a phrase", speaker:stoltenberg…  (F1 for help)'


class SearchBox(HistoryInput):
    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, placeholder=PLACEHOLDER, id=id)
