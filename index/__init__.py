"""nato-browse's headless core: documents, quote extraction, tagging, the Whoosh index, search.

Nothing in this package imports Textual; the app in ``nato_browse.tui`` talks to it through
``nato_browse.index.api``.
"""
