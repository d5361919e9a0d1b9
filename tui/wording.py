"""The words the app and the CLI use for counts and orders, so that every screen says the same.

Plain strings, no Textual: the CLI imports it too.
"""

from __future__ import annotations

from nato_browse.index import SortOrder

# How each order reads after a count: "12 quotes match · newest first".
SORT_LABELS: dict[SortOrder, str] = {
    "relevance": "best match first",
    "newest": "newest first",
    "oldest": "oldest first",
    "speaker": "speaker A-Z",
}


def plural(count: int, noun: str, nouns: str = "") -> str:
    """ "1 document", "2 documents", "1,204 quotes"."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def match_count(total: int, quotes: int = 0) -> str:
    """ "4,499 quotes match (4,462 after merging repeats)", "1 quote matches".

    `total` counts a quote repeated by several sources once (the rows of the list), `quotes`
    counts every one; the sentence gives the larger and explains the other.
    """
    every = max(total, quotes)
    text = f"{plural(every, 'quote')} {'matches' if every == 1 else 'match'}"
    if every > total:
        text += f" ({total:,} after merging repeats)"
    return text
