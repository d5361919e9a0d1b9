"""Command palette: jump to any speaker, topic or region in the index by typing its name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from nato_browse.index import NatoBrowseError
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..messages import ShowOnly
from .plain import entry, help_text, match

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

FIELDS = (("speakers", "Speaker"), ("topics", "Topic"), ("regions", "Region"))
# Shown before anything is typed: the most quoted few of each.
DISCOVER_EACH = 5


class FilterValuesProvider(Provider):
    async def startup(self) -> None:
        self.values: list[tuple[str, str, str, int]] = []  # (field, label, value, count)
        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return

        def read() -> list[tuple[str, str, str, int]]:
            return [
                (field, label, value, count)
                for field, label in FIELDS
                for value, count in index.values(field)  # type: ignore[arg-type]
            ]

        try:
            self.values = await app.in_search_thread(read)
        except NatoBrowseError:
            self.values = []

    def _command(self, field: str, value: str) -> partial[bool]:
        return partial(cast("NatoBrowseApp", self.app).main.post_message, ShowOnly(field, value))

    async def discover(self) -> Hits:
        shown: dict[str, int] = {}
        for field, label, value, count in self.values:
            if shown.get(field, 0) < DISCOVER_EACH:
                shown[field] = shown.get(field, 0) + 1
                yield DiscoveryHit(
                    entry(f"{label}: {value}"),
                    self._command(field, value),
                    help=help_text(f"Show only quotes with this {label.lower()} ({count:,})"),
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for field, label, value, count in self.values:
            score, shown = match(matcher, f"{label}: {value}")
            if score > 0:
                yield Hit(
                    score,
                    shown,
                    self._command(field, value),
                    help=help_text(f"Show only quotes with this {label.lower()} ({count:,})"),
                )
