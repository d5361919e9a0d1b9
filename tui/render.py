"""How a quote looks in the list and in the detail pane, as Textual `Content`.

Kept apart from the widgets so the look can be tested without running the app.
"""

from __future__ import annotations

from dataclasses import replace

from nato_browse.index import Hit, Quote, clean_data
from textual.content import Content, Span
from textual.style import Style

from .browser import web_url
from .citation import display_date, source_file, speaker_line, who

# Styles name theme variables, so every Textual theme (and 256-colour terminals) stays readable.
MATCH = "bold underline $text-warning"
SPEAKER = "bold"
DIM = "dim"
QUOTE_IN_CONTEXT = "bold $text-accent"
LABEL = "bold $text-secondary"
ASKED = "italic $text-warning"  # a question: its asker's words, never the answerer's
UNCLEAR = "italic"  # a passage whose document does not say which speaker said it
# How much text to keep before the first matched word when the quote is cut to fit.
LEAD_IN = 16
# A list line never needs more than this: a wider terminal than 300 columns is rare, and cutting
# long quotes here keeps Textual from measuring thousands of characters per row.
SNIPPET_MAX = 300
_WHITESPACE = str.maketrans("\n\r\t\f\v", "     ")


def _flat(text: str) -> str:
    """Whitespace characters as spaces, one for one, so highlight offsets still fit."""
    return text.translate(_WHITESPACE)


def _highlighted(text: str, spans: tuple[tuple[int, int], ...], shift: int = 0) -> Content:
    content = Content(text)
    for start, end in spans:
        start, end = max(start - shift, 0), min(end - shift, len(text))
        if start < end:
            content = content.stylize(MATCH, start, end)
    return content


def _cut(text: str, width: int) -> str:
    """`text` in `width` characters, with an ellipsis when cut. Rows are cut here rather than by
    the renderer, which measures every character of an overlong line on every layout."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def snippet(hit: Hit, width: int = SNIPPET_MAX) -> tuple[str, list[Span]]:
    """The quote on one line, starting a little before the first match so the match shows,
    and the spans of the matched words in it."""
    raw = hit.quote.text
    lead = len(raw) - len(raw.lstrip())
    first = min((s for s, _ in hit.highlights), default=lead) - lead
    cut = 0
    if first > LEAD_IN + 10:
        cut = raw.rfind(" ", lead, lead + first - LEAD_IN) + 1 - lead
        if cut <= 0:
            cut = first - LEAD_IN
    width = min(width, SNIPPET_MAX)
    prefix = "…" if cut else ""
    rest = raw[lead + cut :].rstrip()
    text = _cut(prefix + _flat(rest[: width + 1]), width)
    shift = lead + cut - len(prefix)
    spans = []
    for start, end in hit.highlights:
        start, end = max(start - shift, len(prefix)), min(end - shift, len(text))
        if start < end:
            spans.append(Span(start, end, MATCH))
    return text, spans


def safe(hit: Hit) -> Hit:
    """The hit with its quote cleaned again before it is drawn: a guard (the index cleaned it
    when it was built, unless an older version built it). The same hit when already clean."""
    quote = clean_data(hit.quote)
    return hit if quote is hit.quote else replace(hit, quote=quote)


def row(hit: Hit, width: int = SNIPPET_MAX) -> Content:
    """A list entry, `width` characters at most: who and when, then the quote. Built as one
    `Content` from plain strings and spans: the list makes hundreds per keystroke."""
    hit = safe(hit)
    quote = hit.quote
    parts = [(who(quote), _speaker_style(quote))]
    if quote.kind == "question":
        parts.insert(0, ("question · ", ASKED))
    parts.append((f"  {display_date(quote.date)}", DIM))
    if hit.sources > 1:
        parts.append((f"  · {hit.sources} sources", DIM))
    if quote.role:
        parts.append((f"  {quote.role}", "dim italic"))
    head, spans, at = "", [], 0
    for text, style in parts:
        spans.append(Span(at, at + len(text), style))
        head += text
        at += len(text)
    if len(head) > width:
        head = _cut(head, width)
        spans = [Span(s.start, min(s.end, width), s.style) for s in spans if s.start < width]
    line, line_spans = snippet(hit, width)
    offset = len(head) + 1
    spans += [Span(s.start + offset, s.end + offset, s.style) for s in line_spans]
    return Content(f"{head}\n{line}", spans)


def _speaker_style(quote: Quote) -> str:
    """A name in bold; an unattributed or unclear speaker in italics, never like a name."""
    return SPEAKER if quote.speaker and quote.named else UNCLEAR


def _context(quote: Quote) -> Content | None:
    """The paragraph around the quote with the quote itself marked, when the offsets agree."""
    context = quote.context.strip()
    if not context:
        return None
    lead = len(quote.context) - len(quote.context.lstrip())
    start = quote.start - quote.context_start - lead
    end = quote.end - quote.context_start - lead
    content = Content(context).stylize(DIM)
    if 0 <= start < end <= len(context):
        content = content.stylize(QUOTE_IN_CONTEXT, start, end)
    return content


def _field(label: str, values: tuple[str, ...]) -> Content:
    return Content.assemble((f"{label}: ", LABEL), ", ".join(values) if values else ("none", DIM))


def header(quote: Quote) -> list[Content]:
    """Who, in what role, when and where: the lines above a quote, so that a small pane shows
    them before the text. A question is its asker's ("asked by Reuters")."""
    if quote.kind == "question":
        said = Content.assemble(("Question", ASKED), (" — ", DIM), (speaker_line(quote), ASKED))
    else:
        said = Content.styled(who(quote), _speaker_style(quote))
        if quote.role:
            said += Content.assemble((", ", DIM), (quote.role, "italic"))
        if quote.via:  # said to, and reported by, another: "via Reuters"
            said += Content.assemble(("  via ", DIM), quote.via)
    when = Content.styled(display_date(quote.date), DIM)
    if quote.form:  # "speech", "press conference": what kind of document said it
        when += Content.styled(f"  ·  {quote.form}", DIM)
    url = web_url(quote.url)
    if url:  # a terminal hyperlink (OSC 8) only to the web, never file:// or javascript:
        where = Content.styled(quote.url, Style(underline=True, link=url))
    elif quote.url:
        where = Content.styled(quote.url, DIM)
    else:
        where = Content.styled(source_file(quote, short=True) or "no source recorded", DIM)
    return [said, when + Content.styled("  ·  ", DIM) + where]


def detail(hit: Hit, other_quotes: int | None) -> Content:
    """Everything about one quote, top to bottom, for the detail pane and screen."""
    hit = safe(hit)
    quote = hit.quote
    parts: list[Content] = [
        *header(quote),
        Content(""),
        Content("“") + _highlighted(quote.text.strip(), hit.highlights) + Content("”"),
    ]
    if hit.sources > 1:
        parts.append(Content.styled(f"said in {hit.sources} sources", DIM))
    parts += [Content(""), _field("Document", (quote.title or "untitled",))]
    if quote.url and quote.source:
        parts.append(_field("File", (source_file(quote, short=True),)))
    context = _context(quote)
    if context is not None:
        parts += [Content(""), Content.styled("In context", LABEL), context]
    parts += [
        Content(""),
        _field("Topics", quote.topics),
        _field("Countries", quote.countries),
        _field("Regions", quote.regions),
    ]
    if other_quotes is not None and quote.speaker and quote.kind != "question":
        noun = "quote" if other_quotes == 1 else "quotes"
        parts.append(
            Content.assemble(
                (quote.speaker, SPEAKER), f" has {other_quotes} other {noun} in the corpus."
            )
        )
    if quote.kind == "question":
        parts.append(Content.styled("A question asked, not an answer given.", DIM))
    elif quote.candidates:
        parts.append(Content.styled("The document does not say which of them said this.", DIM))
    elif not quote.named:
        parts.append(Content.styled("An unnamed source, as the document gives it.", DIM))
    return Content("\n").join(parts)
