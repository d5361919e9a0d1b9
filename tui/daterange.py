"""Reading the ends of a date range as a person types them: "2023", "2023-11", "27 Nov 2023"."""

from __future__ import annotations

import calendar
import re

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class DateRangeError(ValueError):
    """A date a person typed that cannot be read; the message says which and why."""


def parse_bound(text: str, *, end: bool) -> str:
    """An ISO date for one end of a range ("" when blank).

    A year or a month stands for its first day at the start of a range and its last day at the
    end, so "2023" to "2023" is the whole year.
    """
    text = text.strip()
    if not text:
        return ""
    if match := _YEAR.match(text):
        return f"{match[1]}-12-31" if end else f"{match[1]}-01-01"
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise DateRangeError(f"{text!r}: there is no month {month}")
        day = calendar.monthrange(year, month)[1] if end else 1
        return f"{year:04d}-{month:02d}-{day:02d}"
    from nato_browse.index import parse_date  # only when a full date is typed

    iso = parse_date(text)
    if not iso:
        raise DateRangeError(f"{text!r} is not a date (try 2023, 2023-11 or 2023-11-27)")
    return iso


def parse_range(start: str, stop: str) -> tuple[str, str]:
    """Both ends, checked to be in order."""
    date_from = parse_bound(start, end=False)
    date_to = parse_bound(stop, end=True)
    if date_from and date_to and date_from > date_to:
        raise DateRangeError(f"the range starts ({date_from}) after it ends ({date_to})")
    return date_from, date_to
