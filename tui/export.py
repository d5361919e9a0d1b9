"""Writing the current results to Markdown, CSV or JSON. No Textual here: plain functions.

What is written is the documents' words, and an export is opened by other programs: a
spreadsheet runs a cell that starts with "=" as a formula, a Markdown viewer follows any link.
So every text is cleaned again (control characters, escape sequences, bidi), CSV cells that
would start a formula are prefixed with "'", Markdown gets only http(s) links and user text in
it is escaped, and a file is created, never overwritten unless the person said so.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from nato_browse.index import Filters, Hit, Quote, clean_data, clean_line, visible_controls

from .browser import web_url
from .citation import display_date, speaker_line

ExportFormat = Literal["md", "csv", "json"]
FORMATS: dict[str, ExportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
}
# Labels of the filter fields that hold values, in the order they are shown; a field added to
# Filters and missing here is shown after these, under its own name.
FILTER_LABELS = {
    "speakers": "speaker",
    "topics": "topic",
    "regions": "region",
    "countries": "country",
    "kinds": "kind",
}
CSV_COLUMNS = (
    "speaker",
    "role",
    "date",
    "text",
    "title",
    "url",
    "topics",
    "countries",
    "regions",
    "sources",
    "source",
    "kind",
)


class ExportError(Exception):
    """The file could not be written; the message names it and says why."""


class ExportExists(ExportError):
    """The file is already there; it is replaced only when the person confirms."""


def format_for(path: Path) -> ExportFormat | None:
    """The format a file name asks for by its suffix, or None when it names none we write."""
    return FORMATS.get(path.suffix.lower())


def default_folder() -> Path:
    """Where exports go unless the person says otherwise: their documents folder (platformdirs),
    else their home folder; never the folder the app happened to be started in."""
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def default_path(fmt: ExportFormat, directory: Path, now: datetime | None = None) -> Path:
    """A new file name in `directory`, stamped with the time so exports never overwrite."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return directory / f"nato-browse-{stamp}.{fmt}"


def filter_values(filters: Filters) -> list[tuple[str, str, tuple[str, ...]]]:
    """(field, label, values) for each field of `filters` that holds values and has some."""
    rank = {name: i for i, name in enumerate(FILTER_LABELS)}
    names = sorted(
        (f.name for f in fields(filters) if isinstance(getattr(filters, f.name), tuple)),
        key=lambda name: rank.get(name, len(rank)),
    )
    return [(n, FILTER_LABELS.get(n, n), getattr(filters, n)) for n in names if getattr(filters, n)]


def describe_filters(filters: Filters) -> list[str]:
    """ "speaker: A or B", "topic: ..." for each active filter, in a fixed order."""
    parts = [
        f"{label}: {' or '.join(clean_line(v) for v in values)}"
        for _field, label, values in filter_values(filters)
    ]
    if filters.date_from or filters.date_to:
        parts.append(f"dates: {filters.date_from or '…'} to {filters.date_to or '…'}")
    return parts


def _safe(quote: Quote) -> Quote:
    """The quote cleaned again (as a guard: an old index, a bug upstream), its topics,
    countries and regions each listed once."""
    quote = clean_data(quote)
    return replace(
        quote,
        topics=tuple(dict.fromkeys(quote.topics)),
        countries=tuple(dict.fromkeys(quote.countries)),
        regions=tuple(dict.fromkeys(quote.regions)),
    )


def _counts(count: int, total: int | None) -> str:
    if total is not None and total > count:
        return f"{count:,} of {total:,} matching quotes"
    return f"{count:,} quote{'s' if count != 1 else ''}"


def _header(
    query: str, filters: Filters, count: int, total: int | None, now: datetime
) -> list[tuple[str, str]]:
    """What every export starts with: the query, the filters, when, and how many."""
    return [
        ("Query", clean_line(query) or "(everything)"),
        ("Filters", "; ".join(describe_filters(filters)) or "none"),
        ("Exported", f"{now:%Y-%m-%d %H:%M} by nato-browse"),
        ("Quotes", _counts(count, total)),
    ]


# -- Markdown --------------------------------------------------------------------------------------

# Characters that make Markdown of plain text: emphasis, code, links, HTML, tables, escapes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# At the start of a line: headings, lists, block quotes, setext underlines.
_MD_LINE_START = re.compile(r"^([#+\-=>]|\d+[.)])")


def markdown_text(text: str) -> str:
    """`text` on one line, as Markdown that shows exactly it: no link, image, HTML or emphasis
    can come out of a document's words."""
    text = _MD_SPECIAL.sub(r"\\\1", clean_line(text))
    return _MD_LINE_START.sub(r"\\\1", text)


def to_markdown(
    hits: Sequence[Hit],
    query: str,
    filters: Filters,
    total: int | None = None,
    now: datetime | None = None,
) -> str:
    query = clean_line(query)
    heading = f"# Quotes for “{markdown_text(query)}”" if query else "# Quotes"
    lines = [heading, ""]
    for label, value in _header(query, filters, len(hits), total, now or datetime.now()):
        lines.append(f"- {label}: {markdown_text(value)}")
    lines.append("")
    for hit in hits:
        quote = _safe(hit.quote)
        lines.append(f"> {markdown_text(quote.text)}")
        lines.append(">")
        cite = f"> — **{markdown_text(speaker_line(quote))}**, {display_date(quote.date)}"
        url = web_url(quote.url)
        title = markdown_text(quote.title)
        if title:
            cite += f", [{title}]({url})" if url else f", *{title}*"
        elif url:
            cite += f", <{url}>"
        lines.append(cite)
        tags = [
            (label, values)
            for label, values in (
                ("Topics", quote.topics),
                ("Countries", quote.countries),
                ("Regions", quote.regions),
            )
            if values
        ]
        if tags:
            lines.append("")
            for label, values in tags:
                lines.append(f"{label}: {markdown_text(', '.join(values))}  ")
        lines.append("")
    return "\n".join(lines)


# -- CSV -------------------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula (or a DDE call) when it starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell's text: cleaned, and prefixed with "'" when a spreadsheet would take it for a
    formula (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-2+3`)."""
    text = str(value)
    text = clean_line(text) if "\n" not in text else "\n".join(map(clean_line, text.split("\n")))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(
    hits: Sequence[Hit],
    query: str = "",
    filters: Filters | None = None,
    total: int | None = None,
    now: datetime | None = None,
) -> str:
    """A block of "# Label: value" lines (the query, filters, date and counts), a blank line,
    then the header row and one row per quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for label, value in _header(
        query, filters or Filters(), len(hits), total, now or datetime.now()
    ):
        writer.writerow([csv_cell(f"# {label}: {value}")])
    writer.writerow([])
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        q = _safe(hit.quote)
        row = (
            q.speaker,
            q.role,
            q.date,
            q.text,
            q.title,
            q.url,
            "; ".join(q.topics),
            "; ".join(q.countries),
            "; ".join(q.regions),
            hit.sources,
            q.source,
            q.kind,
        )
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_rows(text: str) -> list[dict[str, str]]:
    """The quote rows of an export written by `to_csv`, read past its "# Label" block."""
    reader = csv.reader(io.StringIO(text, newline=""))
    for header in reader:
        if header and not header[0].startswith("# "):
            return [dict(zip(header, row, strict=False)) for row in reader]
    return []


# -- JSON ------------------------------------------------------------------------------------------


def to_json(
    hits: Sequence[Hit],
    query: str,
    filters: Filters,
    total: int | None = None,
    now: datetime | None = None,
) -> str:
    data = {
        "query": clean_line(query),
        "filters": describe_filters(filters),
        "exported": (now or datetime.now()).isoformat(timespec="seconds"),
        "count": len(hits),
        "total": max(total or 0, len(hits)),
        "quotes": [
            {**_safe(hit.quote).to_json(), "score": round(hit.score, 4), "sources": hit.sources}
            for hit in hits
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(
    hits: Sequence[Hit],
    fmt: ExportFormat,
    query: str,
    filters: Filters,
    total: int | None = None,
    now: datetime | None = None,
) -> str:
    if fmt == "md":
        return to_markdown(hits, query, filters, total, now)
    if fmt == "csv":
        return to_csv(hits, query, filters, total, now)
    return to_json(hits, query, filters, total, now)


def write_export(
    hits: Sequence[Hit],
    path: Path,
    fmt: ExportFormat,
    query: str,
    filters: Filters,
    *,
    total: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the file at exactly `path` (creating no folders) and return its absolute path.

    An existing file raises ExportExists unless `overwrite`: an export never replaces a file
    (a source document, an earlier export) the person did not say it may replace.
    """
    text = render(hits, fmt, query, filters, total)
    path = path.expanduser()
    try:
        # newline="" so the csv module's \r\n row ends are written as they are
        with path.open("w" if overwrite else "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise ExportExists(f"{visible_controls(str(path))}: already exists") from exc
    except OSError as exc:
        reason = clean_line(exc.strerror or str(exc))
        raise ExportError(f"{visible_controls(str(path))}: cannot write ({reason})") from exc
    return path.resolve()
