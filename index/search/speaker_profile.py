"""A speaker's voice over time: the figures behind the speaker view, from a list of quotes.

Pure functions over `Quote` lists (the index supplies the quotes, the app draws them):
`speaker_profile` (roles with dates, counts, quotes per month, top topics and regions),
`monthly_counts` (quotes per month with the empty months included, for a sparkline) and
`compare` (two speakers' quotes per month on one topic, over the same months).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Quote

_MONTH = re.compile(r"^(\d{4})-(\d{2})")

MonthCounts = tuple[tuple[str, int], ...]  # ("2023-11", 4), oldest first


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role the speaker was given, and when (ISO dates; "" when no quote with it is dated)."""

    role: str
    first: str
    last: str
    quotes: int


@dataclass(frozen=True, slots=True)
class SpeakerProfile:
    name: str
    roles: tuple[RoleSpan, ...]  # by first date, undated last
    quotes: int
    documents: int
    first_date: str  # of the earliest dated quote, "" when none is dated
    last_date: str
    first_quote: Quote | None  # the earliest dated quote (not a greeting, when there are others)
    last_quote: Quote | None  # the latest dated quote (likewise)
    months: MonthCounts  # every month from the first quote's to the last's, zeros included
    topics: tuple[tuple[str, int], ...]  # most quoted first
    regions: tuple[tuple[str, int], ...]
    countries: tuple[tuple[str, int], ...]
    undated: int  # quotes with no date (not in `months`)
    aliases: tuple[str, ...] = ()  # other names of the speaker (merged spellings, people.toml)


@dataclass(frozen=True, slots=True)
class TopicComparison:
    """Two speakers' quotes per month on one topic, over the same months."""

    topic: str  # "" for all topics
    months: tuple[str, ...]  # oldest first, zeros included
    counts_a: tuple[int, ...]
    counts_b: tuple[int, ...]

    @property
    def total_a(self) -> int:
        return sum(self.counts_a)

    @property
    def total_b(self) -> int:
        return sum(self.counts_b)


def month_of(date: str) -> str:
    """ "2023-11" for "2023-11-27"; "" for an empty or malformed date."""
    match = _MONTH.match(date)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return ""
    return f"{match.group(1)}-{match.group(2)}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), both included; [] when either is ""."""
    if not first or not last or first > last:
        return []
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def monthly_counts(quotes: Iterable[Quote], first: str = "", last: str = "") -> MonthCounts:
    """Quotes per month, oldest first, the months without quotes included.

    The range runs from the first to the last dated quote, or over `first`..`last` ("YYYY-MM")
    when given (quotes outside it are left out). Undated quotes are not counted.
    """
    counts = Counter(m for m in (month_of(q.date) for q in quotes) if m)
    if not counts and not (first and last):
        return ()
    months = months_between(first or min(counts), last or max(counts))
    return tuple((m, counts.get(m, 0)) for m in months)


def speaker_profile(
    quotes: Sequence[Quote], name: str | None = None, top: int = 10
) -> SpeakerProfile:
    """The profile of a speaker from their quotes (any order).

    `name` defaults to the speaker most of the quotes give. `top` caps the topic, region and
    country lists.
    """
    if name is None:
        names = Counter(q.speaker for q in quotes if q.speaker)
        name = names.most_common(1)[0][0] if names else ""
    dated = sorted((q for q in quotes if month_of(q.date)), key=lambda q: (q.date, q.doc, q.start))
    # A greeting ("Good morning.") is never shown as what the speaker said first or last.
    said = [q for q in dated if not q.procedural] or dated
    return SpeakerProfile(
        name=name,
        roles=_roles(quotes),
        quotes=len(quotes),
        documents=len({q.doc for q in quotes}),
        first_date=dated[0].date if dated else "",
        last_date=dated[-1].date if dated else "",
        first_quote=said[0] if said else None,
        last_quote=said[-1] if said else None,
        months=monthly_counts(dated),
        topics=_top((t for q in quotes for t in q.topics), top),
        regions=_top((r for q in quotes for r in q.regions), top),
        countries=_top((c for q in quotes for c in q.countries), top),
        undated=len(quotes) - len(dated),
    )


def compare_on_topic(
    quotes_a: Iterable[Quote], quotes_b: Iterable[Quote], topic: str = ""
) -> TopicComparison:
    """Quotes per month of two speakers on `topic` ("" for every topic), over the months from
    the earliest to the latest of either, so the two series line up."""
    on_a = [q for q in quotes_a if not topic or topic in q.topics]
    on_b = [q for q in quotes_b if not topic or topic in q.topics]
    months = sorted({m for m in (month_of(q.date) for q in (*on_a, *on_b)) if m})
    if not months:
        return TopicComparison(topic, (), (), ())
    first, last = months[0], months[-1]
    a = monthly_counts(on_a, first, last)
    b = monthly_counts(on_b, first, last)
    return TopicComparison(
        topic,
        tuple(m for m, _ in a),
        tuple(n for _, n in a),
        tuple(n for _, n in b),
    )


def _roles(quotes: Iterable[Quote]) -> tuple[RoleSpan, ...]:
    seen: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for q in quotes:
        role = " ".join(q.role.split())
        if not role:
            continue
        key = role.casefold()
        spelled.setdefault(key, role)
        counts[key] += 1
        dates = seen.setdefault(key, [])
        if month_of(q.date):
            dates.append(q.date)
    spans = [
        RoleSpan(spelled[k], min(d) if d else "", max(d) if d else "", counts[k])
        for k, d in seen.items()
    ]
    spans.sort(key=lambda s: (s.first == "", s.first, s.last, s.role))
    return tuple(spans)


def _top(values: Iterable[str], top: int) -> tuple[tuple[str, int], ...]:
    counts = Counter(v for v in values if v)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
