"""How a quote is cited when it leaves the app (clipboard, export): plain text, no Textual."""

from __future__ import annotations

from datetime import date

from nato_browse.index import Quote, split_source


def display_date(iso: str) -> str:
    """ "2023-11-27" as "27 Nov 2023"; partial or odd dates as given; "" stays "undated"."""
    if not iso:
        return "undated"
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def speaker_line(quote: Quote) -> str:
    """ "Jens Stoltenberg, NATO Secretary General", or just the name when there is no role."""
    return f"{quote.speaker}, {quote.role}" if quote.role else quote.speaker


def source_file(quote: Quote) -> str:
    """The file the quote was read from, with the row of a CSV/JSONL export: "a.csv, row 12"."""
    if not quote.source:
        return ""
    path, row = split_source(quote.source)
    return path if row is None else f"{path}, row {row}"


def source_of(quote: Quote) -> str:
    """Where to find the quote again: its url when there is one, else its file."""
    return quote.url or source_file(quote)


def citation(quote: Quote) -> str:
    """The quote with who said it, when, and where it was published, on a few lines."""
    lines = [f"“{quote.text.strip()}”", f"— {speaker_line(quote)}, {display_date(quote.date)}"]
    if quote.title:
        lines.append(quote.title)
    source = source_of(quote)
    if source:
        lines.append(source)
    return "\n".join(lines)
