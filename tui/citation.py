"""How a quote is cited when it leaves the app (clipboard, export): plain text, no Textual."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nato_browse.index import Quote, display_path, split_source


def display_date(iso: str) -> str:
    """ "2023-11-27" as "27 Nov 2023"; partial or odd dates as given; "" stays "undated"."""
    if not iso:
        return "undated"
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def who(quote: Quote) -> str:
    """Who said it: the speaker; an unnamed source as the document words it ("unnamed: a senior
    official"); when the document leaves it open (an unlabelled paragraph of a joint press
    conference), the people it may be; else "unattributed"."""
    if quote.speaker:
        if quote.named or quote.kind == "question":
            return quote.speaker
        return f"unnamed: {quote.speaker}"
    if quote.candidates:
        return "unclear: " + " or ".join(quote.candidates)
    return "unattributed"


def speaker_line(quote: Quote) -> str:
    """ "Jens Stoltenberg, NATO Secretary General", or just the name when there is no role;
    a question's asker as "asked by Reuters"."""
    name = f"asked by {who(quote)}" if quote.kind == "question" else who(quote)
    return f"{name}, {quote.role}" if quote.role else name


def short_path(path: str) -> str:
    """`path` as a person reads it on screen: from the current folder when it is inside it,
    else from the home folder ("~/…"), else whole."""
    whole = Path(path)
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(whole.relative_to(base))
        except ValueError:
            continue
    return path


def source_file(quote: Quote, *, short: bool = False) -> str:
    """The file the quote was read from, with the row of a CSV/JSONL export: "a.csv, row 12"
    (`short`: the path as `short_path` gives it, for the screen; whole in citations)."""
    if not quote.source:
        return ""
    path, row = split_source(quote.source)
    path = display_path(short_path(path) if short else path)
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
