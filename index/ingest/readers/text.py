"""Plain text (first line the title) and Markdown (YAML/TOML front matter, or a "# heading")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from ...model import Document
from ..dates import date_in_name, date_in_text, parse_date
from . import ReadError, first_line_title, shorten

_HEADING = re.compile(r"\A\s*#{1,6}[ \t]+(?P<title>[^\n]+?)[ \t#]*(?:\n|\Z)")
_SETEXT = re.compile(r"\A\s*(?P<title>[^\n]+)\n[ \t]*(?:=+|-+)[ \t]*(?:\n|\Z)")
_URL_KEYS = ("url", "link", "canonical_url", "canonical", "permalink", "source_url")
_DATE_KEYS = ("date", "published", "published_at", "publication_date", "pubdate", "created")
# Front matter is a few lines of metadata; more is not metadata, and YAML's cost grows with it.
MAX_FRONT_MATTER_CHARS = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a chain of them ("billion laughs") expands a few lines into
    gigabytes, and front matter (title, date, url) never needs one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            line = self.peek_event().start_mark.line + 1
            raise ValueError(f"YAML aliases (*name) are not allowed, line {line}")
        return super().compose_node(parent, index)


class _SafeYAML(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_NoAliasLoader)  # a SafeLoader subclass


class _TOML(BaseHandler):
    """TOML between +++ lines, read by the standard library (frontmatter's needs `toml`)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS = [_SafeYAML(), JSONHandler(), _TOML()]


def read_txt(text: str, source: str) -> Document:
    """The first non-blank line is the title, the rest the body (a one-line file is both)."""
    title, body_start = first_line_title(text)
    if not title:
        raise ReadError("no text (only whitespace)")
    body = text[body_start:].strip("\n")
    if not body.strip():
        body = text.strip()
    # A plain text file has no metadata: a dateline, else a date in the file's name.
    date = date_in_text(body) or date_in_name(Path(source).name)
    return Document(title=title, body=body, date=date, source=source)


def read_markdown(text: str, source: str) -> tuple[Document, tuple[str, ...]]:
    """Front matter gives title, date, url; else the first heading (or line) is the title."""
    warnings: list[str] = []
    try:
        metadata, content = _front_matter(text)
    except Exception as err:  # YAML/TOML errors come in many types; all mean "unreadable"
        reason = " ".join(str(err).split())[:120]
        warnings.append(f"front matter unreadable, ignored ({reason})")
        metadata, content = {}, _drop_front_matter(text)
    if not content.strip() and not metadata:
        raise ReadError("no text (only whitespace)")

    title = shorten(_text(metadata.get("title")))
    body = content
    if not title:
        heading = _HEADING.match(content) or _SETEXT.match(content)
        if heading:
            title = shorten(heading["title"])
            body = content[heading.end() :]
        else:
            title, body_start = first_line_title(content)
            body = content[body_start:]
    body = body.strip("\n")
    if not body.strip():
        if not content.strip():
            raise ReadError("front matter but no text")
        body = content.strip("\n")

    date = ""
    for key in _DATE_KEYS:
        if metadata.get(key):
            date = parse_date(metadata[key])
            if not date:
                warnings.append(f"front matter {key} {_text(metadata[key])!r} is not a date")
            break
    date = date or date_in_text(body) or date_in_name(Path(source).name)
    url = next((_text(metadata[k]) for k in _URL_KEYS if _text(metadata.get(k))), "")
    if not url and _text(metadata.get("source")).startswith(("http://", "https://")):
        url = _text(metadata["source"])
    return Document(title=title, body=body, date=date, url=url, source=source), tuple(warnings)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The metadata and the text after it, through the handlers above (never plain YAML)."""
    text = text.strip()
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return {}, text
    try:
        fm, content = handler.split(text)
    except ValueError:  # an opening delimiter and no closing one: all of it is text
        return {}, text
    if len(fm) > MAX_FRONT_MATTER_CHARS:
        raise ValueError(
            f"{len(fm) // 1024:,} KB of front matter, limit {MAX_FRONT_MATTER_CHARS // 1024} KB"
        )
    metadata = handler.load(fm)
    return (metadata if isinstance(metadata, dict) else {}), content.strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _drop_front_matter(text: str) -> str:
    """The text after a front matter block that would not parse (so it is not the body)."""
    match = re.match(r"\A\s*(---|\+\+\+)[ \t]*\n.*?\n\1[ \t]*(?:\n|\Z)", text, re.DOTALL)
    return text[match.end() :] if match else text
