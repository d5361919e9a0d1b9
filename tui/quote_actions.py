"""What can be done with one quote from whichever screen shows it (the main list, the full-screen
quote): copy it with its citation, open its source, find who said it for the speaker view."""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING

from nato_browse.index import Hit, NatoBrowseError

from .citation import citation
from .clipboard import copy_text

if TYPE_CHECKING:
    from .app import NatoBrowseApp


def _no_quote(app: NatoBrowseApp) -> None:
    app.notify("No quote selected.", severity="warning", timeout=3)


def copy_quote(app: NatoBrowseApp, hit: Hit | None) -> None:
    if hit is None:
        _no_quote(app)
        return
    copy_text(app, citation(hit.quote), f"Quote by {hit.quote.speaker}, with its citation")


def open_source(app: NatoBrowseApp, hit: Hit | None) -> None:
    """Open the quote's url in a web browser (in a thread: starting one may take a while)."""
    if hit is None:
        _no_quote(app)
        return
    if not hit.quote.url:
        app.notify("This quote's document has no url.", severity="warning", timeout=3)
        return
    app.run_worker(
        partial(_open_in_browser, app, hit.quote.url),
        thread=True,
        group="browser",
        exit_on_error=False,
    )


def _open_in_browser(app: NatoBrowseApp, url: str) -> None:
    from .browser import open_in_browser

    problem = open_in_browser(url)
    if problem:
        app.call_from_thread(_url_not_opened, app, url, problem)
    else:
        app.call_from_thread(app.notify, url, title="Opening", timeout=3)


def _url_not_opened(app: NatoBrowseApp, url: str, problem: str) -> None:
    app.notify(f"{problem}: {url}", title="Not opened", severity="warning")
    copy_text(app, url, "The url")  # which says whether it could be copied


async def speaker_of(app: NatoBrowseApp, hit: Hit) -> str:
    """Who said `hit`, for the speaker view: for a quote with several sources, the speaker its
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
    return speaker
