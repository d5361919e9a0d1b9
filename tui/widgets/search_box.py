"""The search box at the top of the main screen."""

from __future__ import annotations

from nato_browse.index import clean_line
from textual import events

from .history_input import HistoryInput

PLACEHOLDER = 'Search quotes: words, "a phrase", speaker:stoltenberg…  (F1 for help)'
# The longest query the box holds. No one types more; a paste of a whole document would make
# every keystroke search (and draw) thousands of characters. The core cuts long queries too.
MAX_QUERY_CHARS = 1_000


class SearchBox(HistoryInput):
    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, placeholder=PLACEHOLDER, id=id, max_length=MAX_QUERY_CHARS)

    def _on_paste(self, event: events.Paste) -> None:
        """A paste goes in as one clean line, cut to the room left with a quiet note (Input
        itself would drop a paste that does not fit, all of it, without a word)."""
        event.stop()
        event.prevent_default()
        text = clean_line(event.text)
        start, end = sorted(self.selection)
        room = MAX_QUERY_CHARS - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[: max(room, 0)]
            self.notify(
                f"Pasted text cut to fit the search box ({MAX_QUERY_CHARS:,} characters).",
                title="Search",
                timeout=4,
            )
        if text:
            self.replace(text, start, end)
