"""Find the spans between quotation marks in a text, in one linear pass.

Handles curly and straight double quotes, guillemets, German low-high quotes and single quotes
(told apart from apostrophes by the letters around them); mismatched pairs such as
“rein in its proxies"; nested quotes (only the outermost span is returned, the inner marks stay
inside its text); and a quote left open at a paragraph's end and reopened in the next paragraph,
which comes back as one span per paragraph, the later ones flagged `continued`.

Two apostrophes ('') standing for a double quote, as some archives write it, are not read as
quotation marks; the single quotes inside such a quotation are nested in it, so they are not
returned either.

No regular expression here backtracks: the text is walked once, mark by mark, so a text of
thousands of unbalanced marks costs no more than any other text of its length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Every character that can open or close a quotation.
_MARKS_RE = re.compile("[\"“”«»„‘’'‹›]")
# Two or more apostrophes: the doubled mark some archives use for a double quote.
_DOUBLED_RE = re.compile("'{2,}")
# Paragraph breaks: a newline, or Unicode's line and paragraph separators.
_BREAK_RE = re.compile("[\n\u2028\u2029]")
_DOUBLE = 0
_SINGLE = 1
_GUILLEMET = 2

# Characters that may stand right before an opening mark ("(“", "—“", "“‘").
_OPEN_PREFIX = set(" \t\n\r\u00a0([{—–-/:;“‘«„'\"")
# Characters that may stand right after a closing mark.
_CLOSE_SUFFIX = set(" \t\n\r\u00a0)]}.,;:!?—–-/…”’»'\"*")
_SENTENCE_END = set(".!?…")


@dataclass(slots=True)
class QuoteSpan:
    """The text between one pair of marks: `body[start:end]`, marks excluded."""

    start: int
    end: int
    open_mark: str
    close_mark: str  # "" when the quote runs on to the paragraph's end
    continued: bool = False  # continues a quote left open at the end of the previous paragraph
    runs_on: bool = False  # left open at its paragraph's end and reopened in the next one
    nested: list[QuoteSpan] = field(default_factory=list)

    @property
    def single(self) -> bool:
        return self.open_mark in "‘'‹"


@dataclass(slots=True)
class _Open:
    pos: int
    mark: str
    kind: int
    continued: bool
    children: list[QuoteSpan]


def _kind(mark: str) -> int:
    if mark in "‘’'":
        return _SINGLE
    if mark in "«»‹›":
        return _GUILLEMET
    return _DOUBLE


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All outermost quotation spans of `text`, in order. Never raises on odd input."""
    spans: list[QuoteSpan] = []
    para_start = 0
    n = len(text)
    carry = False  # the previous paragraph ended inside a quote
    while para_start <= n:
        brk = _BREAK_RE.search(text, para_start)
        para_end = brk.start() if brk else n
        if text[para_start:para_end].strip():
            found, carry = _scan_paragraph(text, para_start, para_end, carry)
            if found and "''" in text[para_start:para_end]:
                found = _outside_doubled(text, para_start, para_end, found)
            spans.extend(found)
        para_start = para_end + 1
    return spans


def _outside_doubled(text: str, start: int, end: int, found: list[QuoteSpan]) -> list[QuoteSpan]:
    """The spans that do not open inside a ''doubled-apostrophe'' quotation.

    Those quotations are not read as quotes (see _scan_paragraph), but the single marks inside
    them ('Look, here's what I will do.') are quotes nested in them, not quotes of their own.
    """
    regions: list[tuple[int, int]] = []
    open_at = -1
    for m in _DOUBLED_RE.finditer(text, start, end):
        if open_at < 0:
            open_at = m.start()
        else:
            regions.append((open_at, m.end()))
            open_at = -1
    if open_at >= 0:
        regions.append((open_at, end))
    starts = [lo for lo, _ in regions]
    kept = []
    for span in found:
        k = bisect.bisect_left(starts, span.start) - 1
        if k < 0 or span.start > regions[k][1]:
            kept.append(span)
    return kept


def _next_paragraph_opens_quote(text: str, pos: int) -> bool:
    """Whether the next non-blank paragraph after `pos` starts with an opening mark."""
    n = len(text)
    i = pos
    while i < n and text[i].isspace():
        i += 1
    return i < n and text[i] in "“\"«„‘'"


def _scan_paragraph(text: str, start: int, end: int, carried: bool) -> tuple[list[QuoteSpan], bool]:
    out: list[QuoteSpan] = []
    stack: list[_Open] = []
    pending_continued = carried

    def close(top: _Open, pos: int, mark: str) -> None:
        span = QuoteSpan(top.pos + 1, pos, top.mark, mark, continued=top.continued)
        span.nested = top.children
        if stack:
            stack[-1].children.append(span)
        else:
            out.append(span)

    for m in _MARKS_RE.finditer(text, start, end):
        pos = m.start()
        mark = m.group()
        prev = text[pos - 1] if pos > start else " "
        nxt = text[pos + 1] if pos + 1 < end else " "
        kind = _kind(mark)
        looks_open = (prev in _OPEN_PREFIX or prev.isspace() or pos == start) and not nxt.isspace()
        looks_close = not prev.isspace() and (nxt in _CLOSE_SUFFIX or pos + 1 >= end)
        top = stack[-1] if stack else None

        if kind == _SINGLE:
            # Apostrophes: letters on both sides (don’t, Ukraine’s), or an elision ('90s).
            if _is_word_char(prev) and _is_word_char(nxt):
                continue
            # Two apostrophes ('') stand for a double quote in some archives; they are not
            # read as quotation marks (nor as two single ones).
            if mark == "'" and (prev == "'" or nxt == "'"):
                continue
            single_open = top is not None and top.kind == _SINGLE
            if mark in "’'" and top is not None and single_open and looks_close:
                stack.pop()
                close(top, pos, mark)
                continue
            if mark in "‘'" and looks_open and (_is_word_char(nxt) or nxt in '“"'):
                if nxt.isdigit() and pos + 2 < end and text[pos + 2].isdigit():
                    continue  # ‘90s
                stack.append(_Open(pos, mark, _SINGLE, False, []))
            continue

        if kind == _GUILLEMET:
            if mark in "«‹":
                stack.append(_Open(pos, mark, _GUILLEMET, False, []))
            elif top is not None and top.kind == _GUILLEMET:
                stack.pop()
                close(top, pos, mark)
            continue

        # Double quotes. A single quote still open inside a closing double one was an
        # apostrophe after all (the soldiers’ ...): drop it, keep its children.
        if (
            mark in '”"'
            and top is not None
            and top.kind == _SINGLE
            and any(o.kind == _DOUBLE for o in stack)
            and (looks_close or mark == "”")
        ):
            while stack and stack[-1].kind == _SINGLE:
                dropped = stack.pop()
                target = stack[-1].children if stack else out
                target.extend(dropped.children)
            top = stack[-1] if stack else None
        double_open = top is not None and top.kind == _DOUBLE

        if mark == "“" or mark == "„":
            if double_open and top is not None and top.mark == "„" and mark == "“":
                stack.pop()
                close(top, pos, mark)
                continue
            if double_open and top is not None and _sentence_restart(text, pos, start):
                # “A. “B — a quote reopened without being closed: the first ran on.
                stack.pop()
                _run_on(text, top, pos, out, stack)
                stack.append(_Open(pos, mark, _DOUBLE, True, []))
                continue
            stack.append(_Open(pos, mark, _DOUBLE, False, []))
            continue

        if mark == "”":
            if double_open and top is not None:
                stack.pop()
                close(top, pos, mark)
            elif looks_open and not looks_close and not stack:
                stack.append(_Open(pos, mark, _DOUBLE, False, []))  # ”Swedish style”
            continue

        # Straight double quote: its role comes from its neighbours and what is open.
        if double_open and top is not None:
            if looks_open and not looks_close and prev.isspace():
                if _sentence_restart(text, pos, start):
                    stack.pop()
                    _run_on(text, top, pos, out, stack)
                    stack.append(_Open(pos, mark, _DOUBLE, True, []))
                else:
                    stack.append(_Open(pos, mark, _DOUBLE, False, []))  # nested "name"
                continue
            stack.pop()
            close(top, pos, mark)
            continue
        if looks_open and not (looks_close and not _is_word_char(nxt)):
            stack.append(_Open(pos, mark, _DOUBLE, False, []))

    # The paragraph ended. The outermost open double quote runs on into the next paragraph
    # when that one opens with a mark; anything else left open was never a quote.
    runs_on = False
    outer = next((o for o in stack if o.kind != _SINGLE), None)
    if outer is not None and _next_paragraph_opens_quote(text, end):
        span_end = _rstrip(text, outer.pos + 1, end)
        if span_end > outer.pos + 1:
            span = QuoteSpan(outer.pos + 1, span_end, outer.mark, "", continued=outer.continued)
            span.runs_on = True
            for o in stack[stack.index(outer) :]:
                span.nested.extend(o.children)
            out.append(span)
            runs_on = True
        stack = stack[: stack.index(outer)]
    # Children of quotes that never closed are real quotes of their own (promote them).
    for o in stack:
        out.extend(o.children)
    out.sort(key=lambda s: s.start)
    if pending_continued and out and out[0].start - 1 == _lstrip(text, start, end):
        out[0].continued = True
    return [s for s in out if s.end > s.start and text[s.start : s.end].strip()], runs_on


def _run_on(text: str, top: _Open, pos: int, out: list[QuoteSpan], stack: list[_Open]) -> None:
    """Close `top` just before `pos` as a quote that runs on (collapsed paragraphs)."""
    span_end = _rstrip(text, top.pos + 1, pos)
    span = QuoteSpan(top.pos + 1, span_end, top.mark, "", continued=top.continued)
    span.runs_on = True
    span.nested = top.children
    (stack[-1].children if stack else out).append(span)


def _sentence_restart(text: str, pos: int, para_start: int) -> bool:
    """Whether an opening mark at `pos` follows a finished sentence (". “Next")."""
    i = pos - 1
    while i >= para_start and text[i] in " \t\u00a0":
        i -= 1
    return i >= para_start and i < pos - 1 and text[i] in _SENTENCE_END


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi


def _lstrip(text: str, lo: int, hi: int) -> int:
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo
