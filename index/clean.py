"""Text from documents is data: nothing in it may command a terminal, a clipboard or a reader.

Documents come from people the user does not know. A quotation can carry an escape sequence that
clears the screen, retitles a window, asks the terminal to type into the shell (`ESC[6n`), makes
a hyperlink to a local file (OSC 8) or fills the clipboard (OSC 52); bidirectional overrides make
text read differently from what it is, and zero-width characters make two names look alike.

`clean_text` removes all of that where text enters (every field of every `Document`, in
`ingest/loaders.py`); the CLI, the app, the clipboard and the exports call it again on what
they print or write, as a guard (an index built by an older version, a name typed by the user).
`visible_controls` shows such characters as escapes instead, for file names in messages, so the
person can still find the file. Every pattern here is linear in its input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from operator import attrgetter
from typing import Any, TypeVar, cast

# Whole ESC sequences, so their parameters do not linger as "[2J" or "]52;c;...": CSI (ESC [)
# with parameter, intermediate and final bytes; the string sequences (OSC ESC ], DCS ESC P,
# SOS ESC X, PM ESC ^, APC ESC _) up to BEL or ST, or to the end of the line when unterminated;
# other ESC sequences (charset, keypad, ...) of intermediates and one final byte. The 8-bit
# forms (U+009B, U+009D, ...) lose only their introducer: a stray one in Latin-1 text must not
# swallow the words after it. Whatever is left of a malformed sequence is inert text once the
# control characters themselves are gone (below).
_SEQUENCE = re.compile(
    r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# Line breaks in other forms (CR, CRLF, VT, FF, NEL) become "\n": they end lines, and a bare CR
# would let text overwrite what a terminal just showed.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85]")
_BREAK_CHARS = re.compile("[\r\x0b\x0c\x85]")
# C0 controls but tab and newline, DEL, C1 controls; lone surrogates (from JSON "\ud800"), which
# no terminal or file encoding accepts.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
# Bidirectional embeddings, overrides, isolates and marks; zero-width space, word joiner and
# invisible operators; BOM and the Mongolian vowel separator inside text; soft hyphens (a
# hyphenation hint that would split a word in two for search); interlinear annotations.
_INVISIBLE = re.compile(
    "[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u00ad"
    "\ufff9-\ufffb]"
)
# Zero-width (non-)joiners shape Persian, Indic scripts and emoji sequences; next to ASCII they
# join nothing and only make a name look like another.
_JOINER_BY_ASCII = re.compile("(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])")
# Tag characters are invisible text (hidden instructions), except in a flag's tag sequence.
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")
# Anything any of the above would change: clean text (nearly all of it) is returned untouched.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    "\ufeff\u180e\u00ad\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def clean_text(text: str) -> str:
    """`text` with escape sequences and control characters removed (tab and newline kept, other
    line breaks made newlines), bidirectional controls and invisible characters removed."""
    if not _SUSPECT.search(text):
        return text
    # Each pass only when its characters occur: a pass over megabytes costs even with no match.
    if "\x1b" in text:
        text = _SEQUENCE.sub("", text)
    if _BREAK_CHARS.search(text):
        text = _BREAKS.sub("\n", text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINER_BY_ASCII.sub("", text)
    if _TAG_CHARS.search(text):
        text = _TAGS.sub(_keep_flag, text)
    return text


def _keep_flag(match: re.Match[str]) -> str:
    return match.group(1) or ""


def clean_line(text: str) -> str:
    """`clean_text` on one line: runs of whitespace (newlines, tabs) become one space."""
    return " ".join(clean_text(text).split())


# Characters shown as escapes by `visible_controls`: every one `clean_text` would touch.
_SHOWN = re.compile(_SUSPECT.pattern[:-1] + "\t\n]")


def visible_controls(text: str) -> str:
    """`text` with each control, bidirectional or invisible character (tab and newline too)
    written as its escape (`\\x1b`, `\\u202e`): for a file name, which must stay findable."""
    if not _SHOWN.search(text):
        return text
    return _SHOWN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


T = TypeVar("T")


def clean_data(value: T) -> T:
    """`value` with every string in it cleaned, however deep: strings, tuples, lists, dicts
    (keys too) and dataclass records (copied with `replace`). Anything else is returned as it
    is, and so is any part that needed nothing (no copy). Fast on clean data: the app runs it
    over every page of results."""
    if not _may_need(value):
        return value
    kind = type(value)
    cleaned: Any
    if kind is str:
        cleaned = clean_text(cast(str, value))
    elif kind is tuple:
        cleaned = tuple(clean_data(v) for v in cast("tuple[Any, ...]", value))
    elif kind is list:
        cleaned = [clean_data(v) for v in cast("list[Any]", value)]
    elif kind is dict:
        cleaned = {clean_data(k): clean_data(v) for k, v in cast("dict[Any, Any]", value).items()}
    else:
        changes = {}
        for name in _record_fields(kind) or ():
            current = getattr(value, name)
            if _may_need(current):
                changes[name] = clean_data(current)
        cleaned = replace(value, **changes) if changes else value  # type: ignore[type-var]
    return cast(T, cleaned)


# Types that hold no text.
_ATOMS = frozenset({int, float, bool, type(None), bytes, complex})
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _record_fields(kind: type) -> tuple[str, ...] | None:
    """The fields `replace` takes, for a dataclass type; None for any other type."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = tuple(f.name for f in fields(kind) if f.init) if is_dataclass(kind) else None
        _FIELDS[kind] = names
        if names:
            get = attrgetter(*names)
            _GETTERS[kind] = get if len(names) > 1 else lambda record: (get(record),)
        return names


def _may_need(value: Any) -> bool:
    """Whether `value` may hold text that cleaning changes: False only when it surely does not
    (clean strings, numbers, tuples and lists of those, records whose fields are those)."""
    kind = type(value)
    if kind is str:
        return _SUSPECT.search(value) is not None
    if kind in _ATOMS:
        return False
    if kind is tuple or kind is list:
        return _any_needs(value)
    if kind is dict:
        return any(_may_need(k) or _may_need(v) for k, v in value.items())
    if _record_fields(kind):
        return _any_needs(_GETTERS[kind](value))
    return False  # any other type is kept as it is (a Path, a set, a named tuple)


def _any_needs(items: Iterable[Any]) -> bool:
    # Strings and numbers inline: this runs for every field of every quote of every page.
    for item in items:
        kind = type(item)
        if kind is str:
            if _SUSPECT.search(item):
                return True
        elif kind not in _ATOMS and _may_need(item):
            return True
    return False
