"""Dates in whatever form a source writes them, to ISO "YYYY-MM-DD" (or "" when unknown).

The common forms are matched by regular expressions first (microseconds); python-dateutil
(~25 µs) takes most of the rest and dateparser (~750 µs, other languages: "24 ноября 2023") is the
last resort, cached. dateparser is told the languages to try (`DATEPARSER_LANGUAGES`): left to
detect the language it loads every one it knows, several seconds before its first answer.
A date without a year or a day ("Aug. 13", "November 2023") is unknown, never guessed: a wrong
date is worse than none in a date filter.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from functools import lru_cache

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Each pattern finds a complete date inside longer text; the order is the order of preference.
_PATTERNS = (
    # 2023-11-27, 2023-11-27T10:00:00Z, 2023/11/27
    re.compile(rf"(?<![\d-]){_YEAR}(?P<sep>[-/.])(?P<mnum>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?!\d)"),
    # 27 Nov. 2023, 27 November, 2023, 27-Nov-2023
    re.compile(rf"\b{_DAY}[\s-]+{_MONTH}[\s,-]+{_YEAR}\b", re.IGNORECASE),
    # November 27, 2023, Nov. 27 2023
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # 27/11/2023, 27.11.2023 (day first, as in Europe; 11/27/2023 is read as US when it must be)
    re.compile(rf"(?<![\d/.]){_DAY}(?P<sep>[/.])(?P<mnum>[01]?\d)(?P=sep){_YEAR}(?![\d/.])"),
)
_PLAUSIBLE_YEARS = range(1900, 2101)
# The languages dateparser tries: those of the Alliance's larger members and of the war's two
# sides, the ones a NATO reader's sources are written in.
DATEPARSER_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ro")


def parse_date(value: object) -> str:
    """ISO "YYYY-MM-DD" for a date written any common way, "" when there is none."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    if not text or len(text) > 100:
        return ""
    iso, seen = _match(text)
    # A date in a known form that is not a real day (2023-13-01) is no date: dateutil would
    # read it some other way (as 2023-01-13).
    return iso if seen else _parse_slow(text)


def date_in_text(text: str, limit: int = 300) -> str:
    """The first complete date written near the start of `text` (a dateline), or "".

    "KABUL, Afghanistan (Jan. 25, 2013)" gives "2013-01-25"; "KABUL, Afghanistan (Aug. 13)"
    gives "" since its year is not written.
    """
    head = text[:limit]
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(head):
            iso = _iso(match)
            if iso and (best is None or match.start() < best[0]):
                best = (match.start(), iso)
                break
    return best[1] if best else ""


_NAME_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_.]?(?P<mnum>[01]\d)[-_.]?(?P<day>[0-3]\d)(?!\d)"
)


def date_in_name(name: str) -> str:
    """The ISO date in a file name ("nato-2023-11-27-ministers.txt", "20231127.md"), or ""."""
    match = _NAME_DATE.search(name)
    return _iso(match) if match else ""


def _match(text: str) -> tuple[str, bool]:
    """The first real date in one of the known forms, and whether any such form was seen."""
    seen = False
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            seen = True
            iso = _iso(match)
            if iso:
                return iso, True
    return "", seen


def _iso(match: re.Match[str]) -> str:
    groups = match.groupdict()
    year = int(groups["year"])
    day = int(groups["day"])
    if groups.get("month"):
        month = _MONTHS[groups["month"][:3].lower()]
    else:
        month = int(groups["mnum"])
        if month > 12 and day <= 12 and groups.get("sep") != "-":
            month, day = day, month  # 11/27/2023: the US order, unambiguous here
    if year not in _PLAUSIBLE_YEARS:
        return ""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


@lru_cache(maxsize=4096)
def _parse_slow(text: str) -> str:
    return _parse_dateutil(text) or _parse_dateparser(text)


def _parse_dateutil(text: str) -> str:
    from dateutil import parser

    try:
        # Two different defaults reveal the fields the text did not give (year, month or day).
        first = parser.parse(text, dayfirst=True, default=datetime(1904, 1, 1))
        second = parser.parse(text, dayfirst=True, default=datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return ""
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return ""
    if first.year not in _PLAUSIBLE_YEARS:
        return ""
    return first.date().isoformat()


def _parse_dateparser(text: str) -> str:
    if not any(ch.isdigit() for ch in text):
        return ""  # dateparser reads "yesterday" relative to today: never a document's date
    import dateparser

    settings = {
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],  # no "3 days ago" relative to now
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser warns about pytz/regex internals
        try:
            parsed = dateparser.parse(text, settings=settings, languages=list(DATEPARSER_LANGUAGES))
        except Exception:  # dateparser raises many kinds on odd input; none is fatal here
            return ""
    if parsed is None or parsed.year not in _PLAUSIBLE_YEARS:
        return ""
    return parsed.date().isoformat()
