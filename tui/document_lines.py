"""A document's text as screen lines, each keeping where it stands in the text, so that a quote's
offsets (`Quote.start`/`end`) find their line, and a line knows which quotes it shows.

Plain logic, no widgets: the reader's view draws these lines (widgets/document_view.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

_WORD = re.compile(r"\S+\s*")
# Shown as a space, one for one, so offsets still fit: tabs, other control characters.
_BLANKS = {i: " " for i in (*range(0, 32), 127, *range(128, 160))}


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offsets in the text: the line shows text[start:end]
    end: int


def display(text: str) -> str:
    """`text` with control characters as spaces (same length: offsets keep)."""
    return text.translate(_BLANKS)


def wrap(text: str, width: int) -> list[Line]:
    """The lines of `text` at `width` cells: paragraphs (split at newlines) wrapped at spaces,
    a word longer than a line cut, and runs of empty lines shown as one."""
    width = max(width, 1)
    lines: list[Line] = []
    at = 0
    for paragraph in text.split("\n"):
        end = at + len(paragraph)
        if not paragraph.strip():
            if lines and lines[-1].start != lines[-1].end:
                lines.append(Line(at, at))  # one empty line between paragraphs
        else:
            lines.extend(_wrap_paragraph(text, at, end, width))
        at = end + 1
    while lines and lines[-1].start == lines[-1].end:
        lines.pop()
    return lines


def _wrap_paragraph(text: str, start: int, end: int, width: int) -> list[Line]:
    lines: list[Line] = []
    line_start, used = start, 0
    for word in _WORD.finditer(text, start, end):
        w_start = word.start()
        w_cells = cell_len(word.group().rstrip())
        if used and used + w_cells > width:
            lines.append(Line(line_start, w_start))
            line_start, used = w_start, 0
        while w_cells > width:  # a word longer than the line: cut it where the line ends
            cut = _cut_at(text, w_start, width)
            lines.append(Line(line_start, cut))
            line_start = w_start = cut
            w_cells = cell_len(text[cut : word.end()].rstrip())
            used = 0
        used += cell_len(word.group())
    lines.append(Line(line_start, end))
    return lines


def _cut_at(text: str, start: int, width: int) -> int:
    """The offset after as many characters from `start` as fit in `width` cells (one at least)."""
    cells, at = 0, start
    while at < len(text):
        cells += cell_len(text[at])
        if cells > width:
            break
        at += 1
    return max(at, start + 1)


def line_of(starts: Sequence[int], offset: int) -> int:
    """The index of the line that shows `offset`, given the lines' start offsets in order (the
    nearest line before it, between lines)."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def find_all(text: str, wanted: str) -> list[tuple[int, int]]:
    """Where `wanted` occurs in `text`, ignoring case: (start, end) pairs, in order."""
    wanted = wanted.strip()
    if not wanted:
        return []
    pattern = re.compile(re.escape(wanted), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]
