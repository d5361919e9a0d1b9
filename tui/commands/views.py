"""Command palette: open any speaker's view ("Speaker view: NAME") and run a saved search
("Saved: NAME"). Each command posts a message the main screen handles."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from nato_browse.index import NatoBrowseError
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..messages import ApplySearch, ShowSpeaker

if TYPE_CHECKING:
    from ..app import NatoBrowseApp
    from ..state.saved_searches import SavedSearch

# Shown before anything is typed: the most quoted few.
DISCOVER = 5


class SpeakerViewProvider(Provider):
    async def startup(self) -> None:
        self.speakers: tuple[tuple[str, int], ...] = ()
        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return
        try:
            self.speakers = await app.in_search_thread(index.values, "speakers")
        except NatoBrowseError:
            self.speakers = ()

    def _command(self, speaker: str) -> partial[bool]:
        return partial(cast("NatoBrowseApp", self.app).main.post_message, ShowSpeaker(speaker))

    async def discover(self) -> Hits:
        for speaker, count in self.speakers[:DISCOVER]:
            yield DiscoveryHit(
                f"Speaker view: {speaker}",
                self._command(speaker),
                help=f"Roles, quotes per month, topics and all {count:,} quotes",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for speaker, count in self.speakers:
            text = f"Speaker view: {speaker}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    self._command(speaker),
                    help=f"Roles, quotes per month, topics and all {count:,} quotes",
                )


class SavedSearchProvider(Provider):
    async def startup(self) -> None:
        from .saved_searches import saved_searches

        self.searches = list(saved_searches(cast("NatoBrowseApp", self.app)))

    def _command(self, search: SavedSearch) -> partial[bool]:
        return partial(cast("NatoBrowseApp", self.app).main.post_message, ApplySearch(search))

    async def discover(self) -> Hits:
        from ..state.saved_searches import describe

        for search in self.searches:
            yield DiscoveryHit(
                f"Saved: {search.name}", self._command(search), help=describe(search)
            )

    async def search(self, query: str) -> Hits:
        from ..state.saved_searches import describe

        matcher = self.matcher(query)
        for search in self.searches:
            text = f"Saved: {search.name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), self._command(search), help=describe(search)
                )
