"""How the command line names who said a record and what kind of record it is."""

from __future__ import annotations

from nato_browse.index import Quote

from ..citation import who

__all__ = ["marked", "who"]


def marked(quote: Quote) -> str:
    """The words as a reader should take them: “a quote”, » a turn or remarks, ? a question."""
    if quote.kind == "quote":
        return f"“{quote.text}”"
    if quote.kind == "question":
        return f"? {quote.text}"
    return f"» {quote.text}"
