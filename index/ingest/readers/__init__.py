"""Format readers: each turns decoded text of one file kind into `Document` records.

Readers raise `ReadError` with a one-line reason for input they cannot use; `loaders.py` turns
that into `LoadedFile.error`, so nothing a user collected ever raises past the loader.
"""

from __future__ import annotations


class ReadError(ValueError):
    """A file cannot be read as its kind; the message is one line for a person."""


TITLE_MAX = 200  # characters; a longer "first line" is a paragraph, cut at a word boundary


def first_line_title(text: str) -> tuple[str, int]:
    """The first non-blank line of `text` as a title, and the offset where the text after it
    starts (so a caller can slice the body without copying or changing it)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    if end < 0:
        end = len(text)
    return shorten(text[start:end]), min(end + 1, len(text))


def shorten(line: str, limit: int = TITLE_MAX) -> str:
    """`line` on one line, cut at a word boundary with an ellipsis when over `limit`."""
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit - 1)
    return line[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"
