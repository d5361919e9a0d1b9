"""CSV, JSON Lines and JSON exports: one `Document` per record.

Columns are found by their usual names (case-insensitive) unless given. One bad record is a
warning and the rest load; a file with no usable body column is an error. Each document's
`source` is "path#N", N the 1-based record (CSV: data row after the header; JSONL: line).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...model import Document
from ..dates import date_in_text, parse_date
from . import ReadError, shorten

# Exports put whole articles in one field: the default 128 kB limit rejects long transcripts.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))

# Usual column names, most specific first ("body" beats "summary" when a file has both).
TITLE_NAMES = ("title", "headline", "heading", "subject", "name")
DATE_NAMES = (
    "date",
    "published",
    "published_at",
    "publication_date",
    "date_published",
    "pubdate",
    "pub_date",
    "datetime",
    "timestamp",
    "created_at",
    "created",
    "time",
)
URL_NAMES = ("url", "link", "href", "permalink", "source_url", "uri", "canonical_url")
BODY_NAMES = (
    "body",
    "text",
    "content",
    "article",
    "full_text",
    "fulltext",
    "article_text",
    "transcript",
    "message",
    "description",
    "summary",
)
MAX_WARNINGS = 20  # per file; the rest are counted in one closing line

_NOT_LETTERS = re.compile(r"[\W\d_]+")
_LINE_BREAKS = re.compile(r"[\n\u2028\u2029\x85]+")
# A release number such as "2011-06-S-071" or "PR(2023)171": a code, not a headline.
_CODE_LINE = re.compile(r"^[\W\d_]*(?:[A-Za-z]{0,3}[\W\d_]+)*[A-Za-z]{0,3}[\W\d_]*$")
# A dateline alone on its line: "KABUL, Afghanistan (Jan. 25, 2013)".
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^()]{0,40}\([^()]{3,30}\)\W*$")
_DATELINE_LEAD = re.compile(r"^[A-Z][A-Z .'-]+,[^()]{0,40}\([^()]{3,30}\)\s*[-–—:]*\s*")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9\"'”’)\]])[.!?](?=\s|$)")
_ABBREVIATIONS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt", "adm", "st", "no"}
    | {"u.s", "u.k", "u.n", "e.u", "n.b", "vs", "etc"}
)


@dataclass(frozen=True)
class Columns:
    """Column names given by the user; None means "find it by its usual names"."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class _Resolved:
    """For each field, the columns to read it from, best first: a record whose first choice is
    empty takes the next (files merged from several sources mix "body" and "text")."""

    title: tuple[str, ...]
    date: tuple[str, ...]
    url: tuple[str, ...]
    body: tuple[str, ...]


def read_csv(
    text: str, source: str, columns: Columns
) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    """Documents from a CSV (or ; / tab separated) file with a header row."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError("no header row") from None
    except csv.Error as err:
        raise ReadError(f"header row unreadable ({err})") from None
    names = [name.strip() for name in header]
    if not any(names):
        raise ReadError("no header row (first line is empty)")
    resolved = _resolve(names, columns)
    problems = _Problems()

    def records() -> Iterator[tuple[int, Mapping[str, Any]]]:
        row_number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                row_number += 1
                problems.add(f"row {row_number} (line {reader.line_num}): malformed CSV ({err})")
                continue
            if not row or not any(field.strip() for field in row):
                continue
            row_number += 1
            if len(row) > len(names) and not any(f.strip() for f in row[len(names) :]):
                row = row[: len(names)]  # trailing empty fields from a stray delimiter
            if len(row) != len(names):
                problems.add(
                    f"row {row_number} (line {reader.line_num}): {len(row)} fields, "
                    f"the header has {len(names)}"
                )
                continue
            yield row_number, dict(zip(names, row, strict=True))

    documents = _documents(records(), source, resolved, problems)
    return _finish(documents, problems)


def read_jsonl(
    text: str, source: str, columns: Columns
) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    """Documents from JSON Lines (one object a line) or a JSON array/object of records."""
    stripped = text.lstrip()
    # One JSON value (an array, or an object spread over lines) rather than one object a line.
    single = stripped.startswith("[") or (stripped.startswith("{") and _is_one_json_value(text))
    records = _json_records(text) if single else None
    problems = _Problems()
    if records is None:
        records = list(_jsonl_records(text, problems))
    if not records:
        raise ReadError(problems.first or "no JSON records")
    keys: dict[str, None] = {}
    for _, record in records:
        keys.update(dict.fromkeys(record))
    resolved = _resolve(list(keys), columns)
    documents = _documents(iter(records), source, resolved, problems)
    return _finish(documents, problems)


def _jsonl_records(text: str, problems: _Problems) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as err:
            problems.add(f"line {line_number}: invalid JSON ({_json_reason(err)})")
            continue
        if not isinstance(value, dict):
            problems.add(f"line {line_number}: not a JSON object")
            continue
        yield line_number, value


def _is_one_json_value(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _json_records(text: str) -> list[tuple[int, Mapping[str, Any]]]:
    """Records from one JSON value: an array of objects, an object holding one, or one object."""
    try:
        value = json.loads(text)
    except ValueError as err:
        raise ReadError(f"invalid JSON ({_json_reason(err)})") from None
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list) and v and _all_dicts(v)]
        value = lists[0] if len(lists) == 1 else [value]
    if not isinstance(value, list):
        raise ReadError("JSON holds no records (expected objects)")
    records: list[tuple[int, Mapping[str, Any]]] = [
        (n, item) for n, item in enumerate(value, start=1) if isinstance(item, dict)
    ]
    if not records:
        raise ReadError("JSON holds no records (expected objects)")
    return records


def _all_dicts(values: list[Any]) -> bool:
    return all(isinstance(v, dict) for v in values)


def _json_reason(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at column {err.colno}"
    return str(err)


def _resolve(names: list[str], given: Columns) -> _Resolved:
    """Pick the title/date/url/body columns among `names`."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(_key(name), name)
    listing = ", ".join(n for n in names if n) or "none"

    def pick(explicit: str | None, usual: Iterable[str]) -> tuple[str, ...]:
        if explicit is not None:
            found = by_key.get(_key(explicit))
            if found is None:
                raise ReadError(f"no column {explicit!r} (columns: {listing})")
            return (found,)
        return tuple(by_key[k] for k in usual if k in by_key)

    body = pick(given.body, BODY_NAMES)
    if not body:
        raise ReadError(f"no body/text/content column (columns: {listing})")
    return _Resolved(
        title=pick(given.title, TITLE_NAMES),
        date=pick(given.date, DATE_NAMES),
        url=pick(given.url, URL_NAMES),
        body=body,
    )


def _key(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", name.strip().lower())


class _Problems:
    """Per-record warnings, capped so one broken file cannot flood the report."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    @property
    def first(self) -> str:
        return self.lines[0] if self.lines else ""

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_WARNINGS:
            self.lines.append(" ".join(line.split()))

    def summary(self) -> tuple[str, ...]:
        extra = self.count - len(self.lines)
        return (*self.lines, f"... and {extra} more problems") if extra else tuple(self.lines)


def _documents(
    records: Iterator[tuple[int, Mapping[str, Any]]],
    source: str,
    columns: _Resolved,
    problems: _Problems,
) -> list[Document]:
    pending: list[tuple[int, str, str, str, str]] = []  # number, title, body, date, url
    bad_dates: Counter[str] = Counter()
    for number, record in records:
        body = _first(record, columns.body)
        if not body.strip():
            problems.add(f"record {number}: empty {columns.body[0]!r}")
            continue
        title = shorten(_first(record, columns.title))
        raw_date = _first(record, columns.date).strip()
        date = parse_date(raw_date) if raw_date else ""
        if raw_date and not date:
            bad_dates[raw_date] += 1
        url = _first(record, columns.url).strip()
        pending.append((number, title, body, date, url))
    if bad_dates:
        example = next(iter(bad_dates))
        count = bad_dates.total()
        problems.add(
            f"{count} record{'s' if count != 1 else ''} with a {columns.date[0]!r} that is not "
            f"a date (e.g. {example[:40]!r})"
        )
    boilerplate = _frequent_lines(body for _, title, body, _, _ in pending if not title)
    return [
        Document(
            title=title or headline(body, boilerplate),
            body=body,
            date=date or date_in_text(body),
            url=url,
            source=f"{source}#{number}",
        )
        for number, title, body, date, url in pending
    ]


def _finish(
    documents: list[Document], problems: _Problems
) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    if not documents and problems.count:
        raise ReadError(f"no readable records ({problems.count} problems, first: {problems.first})")
    return tuple(documents), problems.summary()


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> str:
    """The first non-blank value among `names` in `record`, as text."""
    for name in names:
        value = _value(record.get(name))
        if value.strip():
            return value
    return ""


def _value(value: Any) -> str:
    """A field as text: lists of paragraphs are joined with blank lines."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return "\n\n".join(_value(v) for v in value if _value(v).strip())
    if isinstance(value, bool):
        return ""
    return str(value)


HEAD_LINES = 6  # lines of a body searched for its headline


def _head(body: str) -> list[str]:
    lines = (" ".join(line.split()) for line in _LINE_BREAKS.split(body[:2000]))
    return [line for line in lines if line][:HEAD_LINES]


def _frequent_lines(bodies: Iterable[str]) -> frozenset[str]:
    """Lines opening many records of one file: letterheads ("For Immediate Release"), never
    headlines. Found from the file itself so no publisher's boilerplate is hard-coded."""
    counts: Counter[str] = Counter()
    total = 0
    for body in bodies:
        total += 1
        counts.update({_letters(line) for line in _head(body)})
    threshold = max(3, total // 50)
    return frozenset(line for line, n in counts.items() if n >= threshold and line)


def _letters(line: str) -> str:
    return _NOT_LETTERS.sub("", line.lower())


def headline(body: str, boilerplate: frozenset[str] = frozenset()) -> str:
    """A title for a record that has none: its first line when that reads like a headline
    (short, no closing full stop), skipping release numbers, letterheads, datelines and
    [editorial notes]; else the body's first sentence, shortened."""
    for line in _head(body):
        if _CODE_LINE.match(line) or _DATELINE.match(line) or _letters(line) in boilerplate:
            continue
        if line.startswith("["):
            continue
        line = _DATELINE_LEAD.sub("", line)  # "KABUL, Afghanistan (June 14) — An Afghan-led..."
        if not line:
            continue
        end = _sentence_end(line)
        if end == -1 and len(line) <= 150:
            return shorten(line)
        return shorten(line[: end + 1] if end >= 0 else line, 120)
    return shorten(body, 120)


def _sentence_end(line: str) -> int:
    """Index of the first full stop, ! or ? that ends a sentence, or -1."""
    for match in _SENTENCE_END.finditer(line):
        word = line[: match.start()].rsplit(None, 1)[-1].lstrip("(\"'“‘").lower()
        if match.group() == "." and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        return match.start()
    return -1
