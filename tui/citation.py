"""How a quote is cited when it leaves the app (clipboard, export): plain text, no Textual."""

from __future__ import annotations

from datetime import date

from nato_browse.index import Quote


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


def citation(quote: Quote) -> str:
    """The quote with who said it, when, and where it was published, on a few lines."""
    lines = [f"“{quote.text.strip()}”", f"— {speaker_line(quote)}, {display_date(quote.date)}"]
    if quote.title:
        lines.append(quote.title)
    if quote.url:
        lines.append(quote.url)
    return "\n".join(lines)
