"""Saved web pages: nato.int's two layouts read directly, any other page through trafilatura.

The old nato.int layout (``/cps/en/natohq/news_NNN.htm``, ``opinions_NNN.htm``) has the title in
``h1``, an optional "by NATO Secretary General ..." subtitle, a date line ("14 Mar. 2024 - | Last
updated: ...") and the text in ``section.content``. The newer layout's transcripts
(``/en/news-and-events/events/transcripts/2024/02/17/slug``) have the title in ``h1``, the
byline in a subtitle (``h3``) and the words in paragraphs among a login dialog and menus; its URL
carries the date. Other newer pages and other news sites go through trafilatura, a maintained
article extractor.

In both nato.int layouts a turn of a transcript may be labelled by a bold run alone
("<b>NATO Secretary General Mark Rutte</b>"), with or without its colon; the text gets the colon,
so the label reads as one ("NATO Secretary General Mark Rutte:").
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import lxml.html
from lxml import etree

from ...model import Document
from ..dates import date_in_text, parse_date
from . import ReadError, shorten

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]\d)/([0-3]\d)(?:/|$)")
_NATO_HOST = re.compile(r"https?://(?:www\.)?nato\.int/", re.IGNORECASE)
_NATO_TRANSCRIPT = re.compile(
    r"https?://(?:www\.)?nato\.int/(?:content/nato/)?[a-z]{2}/news-and-events/events/transcripts/",
    re.IGNORECASE,
)
_LAST_UPDATED = re.compile(r"last\s+updated", re.IGNORECASE)
_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt"),
        *("figure", "footer", "header", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "table", "tbody", "td", "th"),
        *("thead", "tr", "ul"),
    }
)
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "form", "button", "select"}
    | {"img", "figcaption"}
)
_BR = "\x00"  # stands for a <br> while text is gathered; decoded text never holds NUL
_SKIP_CLASSES = frozenset(
    {"caption", "share", "social", "sr-only", "visually-hidden", "hidden", "print-only"}
)


def read_html(text: str, source: str) -> tuple[Document, tuple[str, ...]]:
    """One document from a saved HTML page."""
    notes: list[str] = []
    if "</html" not in text[-4096:].lower():
        notes.append("HTML looks truncated (no closing </html>): read what is there")
    root = _parse(text)
    url = _page_url(root, text)
    document = (
        _nato_old_layout(root, url, source)
        or _nato_new_transcript(root, url, source)
        or _any_article(text, root, url, source)
    )
    if document is None:
        raise ReadError("no article text found in the page")
    return document, tuple(notes)


def _parse(text: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that still carries an XML encoding declaration.
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise ReadError("no text (only whitespace)")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        raise ReadError(f"not readable as HTML ({err})") from None


def _page_url(root: lxml.html.HtmlElement, text: str) -> str:
    for xpath in (
        "//link[@rel='canonical']/@href",
        "//meta[@property='og:url']/@content",
        "//meta[@name='twitter:url']/@content",
    ):
        for value in root.xpath(xpath):
            if str(value).startswith(("http://", "https://")):
                return str(value).strip()
    saved = _SAVED_FROM.search(text[:4096])  # browsers' "Save page as" leave this comment
    return saved.group(1) if saved else ""


def _nato_old_layout(root: lxml.html.HtmlElement, url: str, source: str) -> Document | None:
    sections = root.xpath(
        "//section[contains(concat(' ', normalize-space(@class), ' '), ' content ')]"
    )
    headings = root.xpath("//h1[contains(concat(' ', normalize-space(@class), ' '), ' fs-huge ')]")
    if not headings and _NATO_HOST.match(url):
        headings = root.xpath("//h1")
    if not sections or not headings:
        return None  # another site that happens to use section.content: the generic path
    section, heading = sections[0], headings[0]
    _colon_after_bold_labels(section)
    body = html_to_text(section)
    title = _text(heading)
    if not body.strip() or not title:
        return None
    subtitle = _subtitle(heading)
    if subtitle:
        title = f"{title} {subtitle}"  # "Doorstep statement by NATO Secretary General ..."
    between = " ".join(_texts_between(root, heading, section))
    published = _LAST_UPDATED.split(between, maxsplit=1)[0]
    date = (
        date_in_text(published, limit=500)
        or date_in_text(between, limit=500)
        or date_in_text(" ".join(root.xpath("//title//text()")), limit=500)
        or _url_date(url)
        or date_in_text(body)
    )
    return Document(title=shorten(title, 300), body=body, date=date, url=url, source=source)


def _nato_new_transcript(root: lxml.html.HtmlElement, url: str, source: str) -> Document | None:
    """A transcript in nato.int's newer layout: the h1, its "by ..." subtitle, the paragraphs
    after them that no dialog, menu, header or footer holds."""
    headings = root.xpath("//h1")
    if not headings:
        return None
    heading = headings[0]
    subtitle = _byline_after(heading)
    if not _NATO_TRANSCRIPT.match(url) and not (_NATO_HOST.match(url) and subtitle is not None):
        return None
    title = _text(heading)
    if subtitle is not None:
        title = f"{title} {_text(subtitle)}"
    blocks: list[str] = []
    between: list[str] = []
    after = False
    for element in root.iter():
        if element is heading:
            after = True
            continue
        if not after or not isinstance(element.tag, str) or _hidden(element):
            continue
        if element.tag in ("p", "li", "h2", "h3", "h4", "blockquote") and element is not subtitle:
            if any(a.tag in ("p", "li", "blockquote") for a in element.iterancestors()):
                continue  # read with its block
            _colon_after_bold_labels(element)
            text = html_to_text(element)
            if text:
                blocks.append(text)
        elif not blocks and element.text and element.tag not in _SKIP:
            between.append(element.text)  # the date line, between the title and the words
    body = "\n\n".join(blocks)
    if not title or not body.strip():
        return None
    times = root.xpath("//time/@datetime")
    date = (
        _url_date(url)
        or (parse_date(str(times[0])) if times else "")
        or date_in_text(" ".join(between), limit=500)
        or date_in_text(body)
    )
    return Document(title=shorten(title, 300), body=body, date=date, url=url, source=source)


def _byline_after(heading: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The "by ..." or "with ..." line among the few elements after the title, if any."""
    seen = 0
    for element in heading.itersiblings():
        if not isinstance(element.tag, str):
            continue
        text = _text(element)
        if text.startswith(("by ", "with ")) and len(text) < 400:
            return element
        seen += 1
        if seen >= 3:
            break
    parent = heading.getparent()
    if parent is not None and len(parent) == 1:  # <div class="title"><h1>...</h1></div>
        return _byline_after(parent)
    return None


# Containers whose text is no part of the page's words: dialogs, menus, banners, footers.
_HIDDEN_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "dialog", "menu"})
_HIDDEN_CLASS = re.compile(
    r"modal|dialog|login|popup|cookie|newsletter|share|breadcrumb|related|subscribe|navigation"
    r"|menu|footer|header",
    re.IGNORECASE,
)


def _hidden(element: lxml.html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _HIDDEN_TAGS or node.tag in _SKIP:
            return True
        if node.get("role") in ("dialog", "navigation", "banner", "contentinfo"):
            return True
        if node.get("aria-hidden") == "true" or node.get("hidden") is not None:
            return True
        if _HIDDEN_CLASS.search(node.get("class", "") or ""):
            return True
    return False


# A bold run that reads as a turn label: capitalised words and connectors, a "(Role)" maybe.
_BOLD_LABEL = re.compile(
    r"^[A-Z\u00c0-\u00de][\w'’.\-]*(?: (?:[A-Z\u00c0-\u00de][\w'’.\-]*|of|the|and|for|to|de))"
    r"{0,11}(?: ?[(\[][^()\[\]]{1,100}[)\]])?$"
)


def _colon_after_bold_labels(container: lxml.html.HtmlElement) -> None:
    """Give a bold label its colon: <p><b>Mark Rutte</b></p>, <p><b>Question (AFP)</b> Why?</p>
    -> "Mark Rutte:", "Question (AFP): Why?"."""
    for block in container.iter("p", "div"):
        if (block.text or "").strip() or not len(block):
            continue
        first = block[0]
        if not isinstance(first.tag, str) or first.tag not in ("b", "strong"):
            continue
        label = " ".join(first.text_content().split())
        tail = (first.tail or "").lstrip()
        if not label or label.endswith(":") or tail.startswith(":"):
            continue
        # Words after the run open a sentence of their own ("<b>Q</b> Why?"), not the run's
        # ("<b>Jens Stoltenberg</b> said ...").
        if tail and not (tail[0].isupper() or tail[0] in "“\"‘'«("):
            continue
        if _BOLD_LABEL.match(label) and len(first) == 0:
            first.text = label + ":"


def _subtitle(heading: lxml.html.HtmlElement) -> str:
    nxt = heading.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()  # comments and processing instructions
    if nxt is None or nxt.tag not in ("h2", "h3", "p", "div"):
        return ""
    line = _text(nxt)
    return line if line.startswith("by ") and len(line) < 400 else ""


def _texts_between(
    root: lxml.html.HtmlElement, start: lxml.html.HtmlElement, end: lxml.html.HtmlElement
) -> Iterator[str]:
    """Text found after `start` and before `end` in document order (the date line)."""
    inside = False
    for element in root.iter():
        if element is end:
            return
        if inside and isinstance(element.tag, str) and element.tag not in _SKIP and element.text:
            yield element.text
        if element is start:
            inside = True
        elif inside and element.tail:
            yield element.tail


def _any_article(text: str, root: lxml.html.HtmlElement, url: str, source: str) -> Document | None:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = trafilatura.bare_extraction(
                root,
                url=url or None,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                date_extraction_params={"original_date": True, "extensive_search": True},
            )
        except Exception:  # the extractor can fail on odd markup; fall back to plain text
            result = None
    if isinstance(result, dict):  # only with as_dict=True, which is not asked for
        result = None
    title = body = date = ""
    if result is not None:
        title = " ".join((result.title or "").split())
        body = result.text or ""
        date = parse_date(result.date or "")
        url = url or (result.url or "")
    if not body.strip():
        page = root.find("body")  # a page cut inside its <head> has none: nothing to read
        body = html_to_text(page) if page is not None else ""
    if not body.strip():
        return None
    if not title:
        headings = root.xpath("//h1")
        title = _text(headings[0]) if headings else " ".join(root.xpath("//title//text()"))
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()) == title and rest.strip():
        body = rest  # the extractor repeated the headline as the first line
    title = shorten(title) or shorten(body.strip().partition("\n")[0], 120)
    date = date or _url_date(url) or date_in_text(body)
    return Document(title=title, body=body.strip("\n"), date=date, url=url, source=source)


def _url_date(url: str) -> str:
    match = _URL_DATE.search(url)
    return parse_date("-".join(match.groups())) if match else ""


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def html_to_text(element: lxml.html.HtmlElement) -> str:
    """The visible text of `element`: one paragraph per block, "\n\n" between paragraphs and
    "\n" for a <br>. Scripts, styles, images and captions are left out."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            # Newlines in the source are plain whitespace; only <br> (the sentinel) breaks a line.
            lines = "".join(current).split(_BR)
            paragraph = "\n".join(" ".join(line.split()) for line in lines).strip()
            if paragraph:
                paragraphs.append(paragraph)
            current.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in _SKIP or _SKIP_CLASSES & set(node.get("class", "").split()):
            return
        block = tag in _BLOCK
        if block:
            flush()
        if tag == "br":
            current.append(_BR)
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return "\n\n".join(paragraphs)
