"""Command palette: open any speaker's view ("Speaker view: NAME") and run a saved search
("Saved: NAME")."""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial
from typing import TYPE_CHECKING, cast

from nato_browse.index import NatoBrowseError
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from nato_browse.index import Hit as SearchHit

    from ..app import NatoBrowseApp
    from ..state.saved_searches import SavedSearch

# Shown before anything is typed: the most quoted few.
DISCOVER = 5


def open_speaker(app: NatoBrowseApp, speaker: str) -> None:
    from ..screens.speaker import SpeakerScreen

    app.push_screen(SpeakerScreen(speaker))


async def open_speaker_of(app: NatoBrowseApp, hit: SearchHit) -> None:
    """The speaker view of who said `hit`: for a quote with several sources, the speaker its
    sources resolve to (the named one, where one source says "a spokesman")."""
    speaker = hit.quote.speaker
    index = app.index
    if hit.sources > 1 and index is not None:
        from nato_browse.index import group_summary

        def resolve() -> str:
            quotes = index.sources(hit.quote.quote_id)
            return group_summary(quotes).speaker if quotes else ""

        with contextlib.suppress(NatoBrowseError):  # the name as the list shows it, then
            speaker = await app.in_search_thread(resolve) or speaker
    open_speaker(app, speaker)


class SpeakerViewProvider(Provider):
    async def startup(self) -> None:
        self.speakers: tuple[tuple[str, int], ...] = ()
        index = cast("NatoBrowseApp", self.app).index
        if index is None:
            return
        try:
            self.speakers = await asyncio.to_thread(index.values, "speakers")
        except NatoBrowseError:
            self.speakers = ()

    def _command(self, speaker: str) -> partial[None]:
        return partial(open_speaker, cast("NatoBrowseApp", self.app), speaker)

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

    def _command(self, search: SavedSearch) -> partial[None]:
        from .saved_searches import apply_saved

        return partial(apply_saved, cast("NatoBrowseApp", self.app).main, search)

    async def discover(self) -> Hits:
        from .saved_searches import describe

        for search in self.searches:
            yield DiscoveryHit(
                f"Saved: {search.name}", self._command(search), help=describe(search)
            )

    async def search(self, query: str) -> Hits:
        from .saved_searches import describe

        matcher = self.matcher(query)
        for search in self.searches:
            text = f"Saved: {search.name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), self._command(search), help=describe(search)
                )
