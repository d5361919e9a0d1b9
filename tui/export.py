"""Writing the current results to Markdown, CSV or JSON. No Textual here: plain functions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Literal

from nato_browse.index import Filters, Hit

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


def format_for(path: Path) -> ExportFormat | None:
    """The format a file name asks for by its suffix, or None when it names none we write."""
    return FORMATS.get(path.suffix.lower())


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
    parts = [f"{label}: {' or '.join(values)}" for _field, label, values in filter_values(filters)]
    if filters.date_from or filters.date_to:
        parts.append(f"dates: {filters.date_from or '…'} to {filters.date_to or '…'}")
    return parts


def to_markdown(hits: Sequence[Hit], query: str, filters: Filters) -> str:
    heading = f"# Quotes for “{query}”" if query.strip() else "# Quotes"
    lines = [heading, ""]
    described = describe_filters(filters)
    if described:
        lines += [f"Filters: {'; '.join(described)}", ""]
    lines += [f"{len(hits)} quotes.", ""]
    for hit in hits:
        quote = hit.quote
        text = " ".join(quote.text.split())
        lines.append(f"> {text}")
        lines.append(">")
        cite = f"> — **{speaker_line(quote)}**, {display_date(quote.date)}"
        if quote.title:
            cite += f", [{quote.title}]({quote.url})" if quote.url else f", *{quote.title}*"
        elif quote.url:
            cite += f", <{quote.url}>"
        lines.append(cite)
        tags = [*quote.topics, *quote.regions]
        if tags:
            lines.append("")
            lines.append(f"Tags: {', '.join(tags)}")
        lines.append("")
    return "\n".join(lines)


def to_csv(hits: Sequence[Hit]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        q = hit.quote
        writer.writerow(
            (
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
        )
    return buffer.getvalue()


def to_json(hits: Sequence[Hit], query: str, filters: Filters) -> str:
    data = {
        "query": query,
        "filters": describe_filters(filters),
        "count": len(hits),
        "quotes": [
            {**hit.quote.to_json(), "score": round(hit.score, 4), "sources": hit.sources}
            for hit in hits
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(hits: Sequence[Hit], fmt: ExportFormat, query: str, filters: Filters) -> str:
    if fmt == "md":
        return to_markdown(hits, query, filters)
    if fmt == "csv":
        return to_csv(hits)
    return to_json(hits, query, filters)


def write_export(
    hits: Sequence[Hit], path: Path, fmt: ExportFormat, query: str, filters: Filters
) -> Path:
    """Write the file (creating no folders) and return its absolute path."""
    text = render(hits, fmt, query, filters)
    path = path.expanduser()
    try:
        # newline="" so the csv module's \r\n row ends are written as they are
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return path.resolve()
