"""Paragraphs and sentences of a body, as offsets, without splitting inside quotations.

A full stop inside a quotation (“I call for a pause. This would allow ...,” he said) does not
end the sentence that carries the quotation, so attribution sees the whole sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .lexicon import words

# Sentence-final punctuation, any closing marks after it, then space. The three character
# classes are disjoint, so the pattern cannot backtrack badly.
_END_RE = re.compile(r"[.!?…]+[\"”’'»)\]]*[ \t\u00a0]+")

_BREAK_RE = re.compile("[\n\u2028\u2029]")
# Initials and dotted abbreviations: G.K., U.S., D-N.C.
_DOTTED_RE = re.compile(r"(?:[a-z]{1,2}\.)+[a-z]{1,2}")

# Words before a full stop that do not end a sentence.
ABBREVIATIONS = words(
    """
    mr mrs ms dr prof sr jr st mt col gen lt brig maj capt sgt cpl pvt spc cmdr adm cdr sen
    rep gov pres gens cols ltc messrs rev fr hon amb sec dept govt corp inc co ltd jan feb mar
    apr jun jul aug sep sept oct nov dec no nos vs etc approx est fig u.s u.k u.n e.u u.s.a
    d.c a.m p.m i.e e.g lt.col lt.gen maj.gen brig.gen
    """
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        brk = _BREAK_RE.search(text, pos)
        nl = brk.start() if brk else n
        a, b = pos, nl
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        pos = nl + 1
    return out


def _is_abbreviation(text: str, dot: int, lo: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation or an initial (Col., W., U.S.)."""
    i = dot
    while i > lo and not text[i - 1].isspace() and text[i - 1] not in "(\"“‘'":
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: George W. Bush
    return word in ABBREVIATIONS or _DOTTED_RE.fullmatch(word) is not None


def sentences(
    text: str, lo: int, hi: int, protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Sentence offsets within text[lo:hi]; no boundary falls inside a `protected` span.

    `protected` holds (start, end) pairs sorted by start (quotation spans).
    """
    out: list[tuple[int, int]] = []
    cur = lo
    for m in _END_RE.finditer(text, lo, hi):
        nxt = m.end()
        if nxt >= hi:
            break
        ch = text[nxt]
        if not (ch.isupper() or ch.isdigit() or ch in "\"“‘'«(["):
            continue
        dot = m.start()
        single_dot = text[dot] == "." and len(m.group().strip()) == 1
        if single_dot and _is_abbreviation(text, dot, lo):
            continue
        # Inside a quotation? The boundary is the first character after the punctuation
        # and its closing marks.
        boundary = m.end() - len(m.group()) + len(m.group().rstrip(" \t\u00a0"))
        k = bisect.bisect_right(protected, boundary, key=_first) - 1
        if k >= 0 and protected[k][0] < boundary <= protected[k][1]:
            continue
        end = boundary
        if end > cur:
            out.append((cur, end))
        cur = nxt
    if hi > cur:
        out.append((cur, hi))
    return out


def _first(pair: tuple[int, int]) -> int:
    return pair[0]
