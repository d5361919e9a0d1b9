"""Named saved searches in the app: the app's store of them, and saving the current search.

The searches live in the app's config directory (`saved-searches.json`, see
state/saved_searches.py); an app started with no config directory keeps them until it quits.
Applying one is a message (`ApplySearch`) the main screen handles.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..app import NatoBrowseApp
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


def ask_and_save(app: NatoBrowseApp, current: SavedSearch) -> None:
    """Ask for a name and save `current` (its query, filters and sort) under it."""
    from dataclasses import replace

    from ..screens.save_search import SaveSearchScreen
    from ..state.saved_searches import describe

    store = saved_searches(app)

    def chosen(name: str | None) -> None:
        if name is None:
            return
        search = replace(current, name=name)
        store.put(search)
        if store.warning and app.settings.config_dir:
            app.notify(store.warning, title="Saved searches", severity="warning", timeout=10)
        else:
            app.notify(describe(search), title=f"Saved “{name}”", timeout=4)

    suggested = " ".join(current.query.split())
    app.push_screen(SaveSearchScreen(describe(current), suggested, store.names()), chosen)
