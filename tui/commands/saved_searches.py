"""Named saved searches in the app: save the current one, apply one (palette, `--saved`).

The searches live in the app's config directory (`saved-searches.json`, see
index/history.py); an app started with no config directory keeps them until it quits.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nato_browse.index import Filters, SortOrder

from ..export import describe_filters

if TYPE_CHECKING:
    from ..app import NatoBrowseApp
    from ..screens.main import MainScreen
    from ..state.saved_searches import SavedSearch, SavedSearches

_stores: weakref.WeakKeyDictionary[NatoBrowseApp, SavedSearches] = weakref.WeakKeyDictionary()


def saved_searches(app: NatoBrowseApp) -> SavedSearches:
    """The app's saved searches, read from disk the first time they are needed."""
    store = _stores.get(app)
    if store is None:
        from ..state.saved_searches import SAVED_SEARCHES_FILE, SavedSearches

        folder = app.settings.config_dir
        store = SavedSearches.load(folder / SAVED_SEARCHES_FILE) if folder else SavedSearches()
        if store.warning:
            app.notify(store.warning, title="Saved searches", severity="warning", timeout=10)
        _stores[app] = store
    return store


def describe(search: SavedSearch) -> str:
    """One line: the query, the filters and the sort order."""
    parts = [f"“{search.query}”" if search.query.strip() else "every quote"]
    parts += describe_filters(search.filters)
    parts.append(f"sorted by {search.sort}")
    return " · ".join(parts)


def save_current(main: MainScreen) -> None:
    """Ask for a name and save the main screen's query, filters and sort under it."""
    from ..screens.save_search import SaveSearchScreen
    from ..state.saved_searches import SavedSearch

    app = main.nb_app
    store = saved_searches(app)
    current = SavedSearch("-", main.query_text, main.filters, main.sort)

    def chosen(name: str | None) -> None:
        if name is None:
            return
        search = SavedSearch(name, current.query, current.filters, current.sort)
        store.put(search)
        if store.warning and app.settings.config_dir:
            app.notify(store.warning, title="Saved searches", severity="warning", timeout=10)
        else:
            app.notify(describe(search), title=f"Saved “{name}”", timeout=4)

    suggested = " ".join(main.query_text.split())
    app.push_screen(SaveSearchScreen(describe(current), suggested, store.names()), chosen)


def apply_saved(main: MainScreen, search: SavedSearch) -> None:
    """Show the saved search's results on the main screen (its query, filters and sort)."""
    from ..widgets.filter_chips import FilterChips
    from ..widgets.search_box import SearchBox

    app = main.app
    while len(app.screen_stack) > 1 and app.screen is not main:
        app.pop_screen()
    main.sort = search.sort
    main.filters = search.filters
    main.query_one(FilterChips).show(search.filters)
    box = main.query_one(SearchBox)
    box.value = search.query  # its Changed message searches again: the same, at once
    box.cursor_position = len(search.query)
    main.query_text = search.query
    main.start_search()
    box.focus()


class SavedSearchError(Exception):
    """`--saved NAME` names no saved search; the message says which ones exist."""


def merge_saved(
    name: str, folder: Path, query: str, filters: Filters
) -> tuple[str, Filters, SortOrder]:
    """The saved search `name` from `folder`, with a command line's QUERY (if any) instead of its
    query and the command line's filters added to its own."""
    from ..state.saved_searches import SAVED_SEARCHES_FILE, SavedSearches

    store = SavedSearches.load(folder / SAVED_SEARCHES_FILE)
    search = store.get(name)
    if search is None:
        names = ", ".join(store.names())
        known = f"saved: {names}" if names else f"none saved yet in {store.path}"
        problem = f"; {store.warning}" if store.warning else ""
        raise SavedSearchError(f"no saved search named {name!r} ({known}){problem}")
    merged = search.filters
    for field in ("speakers", "topics", "regions", "countries"):
        extra = tuple(v for v in filters.values(field) if v not in merged.values(field))
        merged = merged.with_values(field, (*merged.values(field), *extra))
    if filters.date_from or filters.date_to:
        merged = replace(merged, date_from=filters.date_from, date_to=filters.date_to)
    return (query if query.strip() else search.query), merged, search.sort
