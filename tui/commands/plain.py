"""Palette entries made from the index's names and the user's saved searches, shown as text.

Textual's palette reads a `str` prompt or help text as markup, and so does its fuzzy
highlighter: a speaker or a saved search called "name [/y]" would end the app. Its fuzzy
matcher also tries every way the typed letters fit a candidate, which explodes for a long
query against a long name ("aaaaaaaaaa" against "a b a b a b ..."). So entries here are
built as `Content` from clean plain text, help text is escaped, and matching is one greedy
pass, scored with Textual's own formula so these entries rank among the built-in commands.
"""

from __future__ import annotations

from nato_browse.index import clean_line
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

# Characters of a name matched and shown: a longer one is not a name anyone types.
MAX_CHARS = 120


def entry(text: str) -> Content:
    """An entry shown before anything is typed: `text` as text."""
    return Content(clean_line(text)[:MAX_CHARS])


def help_text(text: str) -> str:
    """Help text for an entry, escaped: the palette reads it as markup."""
    return escape(clean_line(text))


def match(matcher: Matcher, text: str) -> tuple[float, Content]:
    """How well the typed query matches `text` (0 for not at all) and `text` with the
    matched letters marked, in time linear in both."""
    text = clean_line(text)[:MAX_CHARS]
    query = matcher.query if matcher.case_sensitive else matcher.query.lower()
    candidate = text if matcher.case_sensitive else text.lower()
    if not query:
        return 0.0, Content(text)
    at = candidate.find(query)
    if at >= 0:
        offsets = list(range(at, at + len(query)))
        boost = 2.0 if candidate == query else 1.5  # as Textual's matcher boosts a substring
    else:
        offsets, position = [], 0
        for letter in query:  # the leftmost fit of each letter in turn
            position = candidate.find(letter, position)
            if position < 0:
                return 0.0, Content(text)
            offsets.append(position)
            position += 1
        boost = 1.0
    score = matcher.fuzzy_search.score(candidate, offsets) * boost
    content = Content(text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return score, content
