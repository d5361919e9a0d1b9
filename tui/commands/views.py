"""Command palette: open any speaker's view ("Speaker view: NAME") and run a saved search
("Saved: NAME"). Each command posts a message the main screen handles."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from nato_browse.index import NatoBrowseError
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..messages import ApplySearch, ShowSpeaker
from .plain import entry, help_text, match

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
                entry(f"Speaker view: {speaker}"),
                self._command(speaker),
                help=f"Roles, quotes per month, topics and all {count:,} quotes",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for speaker, count in self.speakers:
            score, shown = match(matcher, f"Speaker view: {speaker}")
            if score > 0:
                yield Hit(
                    score,
                    shown,
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
                entry(f"Saved: {search.name}"),
                self._command(search),
                help=help_text(describe(search)),
            )

    async def search(self, query: str) -> Hits:
        from ..state.saved_searches import describe

        matcher = self.matcher(query)
        for search in self.searches:
            score, shown = match(matcher, f"Saved: {search.name}")
            if score > 0:
                yield Hit(score, shown, self._command(search), help=help_text(describe(search)))
