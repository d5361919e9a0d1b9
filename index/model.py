"""The two records everything else passes around: a document and a quote found in it.

`Quote` is the one model of a quote: the extractor makes it, the index stores it, search returns
it, the CLI prints it and the app shows it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

# quote: words between quotation marks; turn: a transcript's labelled turn ("Name: ...");
# remarks: an unlabelled paragraph of a speech or transcript, its byline speaker's words;
# question: a question put in a press conference or interview, its asker the speaker.
QuoteKind = Literal["quote", "turn", "remarks", "question"]
QUOTE_KINDS: tuple[QuoteKind, ...] = ("quote", "remarks", "turn", "question")
# What search and speaker facets show when no kind is asked for: a question is the asker's
# words, never the answerer's, and is searched for only by asking for it (Filters.kinds).
DEFAULT_KINDS: tuple[QuoteKind, ...] = ("quote", "remarks", "turn")


@dataclass(frozen=True, slots=True)
class Document:
    """One document as read from the user's files. `body` is never modified after loading."""

    title: str
    body: str
    date: str = ""  # ISO 8601 date ("2023-11-27"), or "" when unknown
    url: str = ""
    source: str = ""  # where it came from: a file path, or "path#row" for CSV/JSONL records
    doc_id: str = ""  # stable id; derived from the content when not given

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", content_id(self.title, self.body))


def content_id(title: str, body: str) -> str:
    """A short stable id from the content, so the same release read twice is one document."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(title.strip().encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(body.strip().encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation, who said it, where it stands in its document and what it is about."""

    doc: str  # Document.doc_id
    title: str
    date: str  # ISO date or ""
    text: str  # exactly as written between its marks (or a transcript turn's words)
    start: int  # offsets of `text` in the document body: body[start:end] == text
    end: int
    speaker: str  # full canonical name, or the unnamed source as written ("a spokesman")
    role: str = ""  # "NATO Secretary General", when the document gives one
    named: bool = True  # False for unnamed sources ("a spokesman", "officials")
    kind: QuoteKind = "quote"
    context: str = ""  # the sentence or paragraph around the quote
    context_start: int = 0  # offset of `context` in the body, to mark the quote inside it
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    url: str = ""
    source: str = ""  # Document.source
    # A second-hand source: "according to X" / "X quoted Y as saying" credit Y, via X.
    via: str = ""
    # A transcript's records: what the document is ("speech", "press conference", "interview",
    # "transcript" when it says nothing more); "" for a quote between marks in an article.
    form: str = ""
    # When the document leaves the speaker open (an unlabelled paragraph of a joint press
    # conference): the people it may be. `speaker` is then "" and `named` False.
    candidates: tuple[str, ...] = ()
    # A greeting or procedural line ("Thank you.", "Next question."): kept, ranked last.
    procedural: bool = False
    # An answer in a press conference or interview: the quote_id of the question it answers.
    reply_to: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def quote_id(self) -> str:
        """Unique within a corpus: the document and the quote's position in it."""
        return f"{self.doc}:{self.start}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists; `extra` is left out when empty)."""
        data = asdict(self)
        for key in _TUPLE_FIELDS:
            data[key] = list(data[key])
        if not data["extra"]:
            del data["extra"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        names = _FIELD_NAMES.get(cls)
        if names is None:  # dataclasses.fields() costs more than the rest of a quote's reading
            names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
        # (a copy at C speed when every key is a field, as in what `to_json` wrote)
        kwargs = (
            dict(data) if names.issuperset(data) else {k: v for k, v in data.items() if k in names}
        )
        for key in _TUPLE_FIELDS:
            kwargs[key] = tuple(kwargs.get(key, ()))
        return cls(**kwargs)


_TUPLE_FIELDS = ("topics", "countries", "regions", "candidates")
_FIELD_NAMES: dict[type, frozenset[str]] = {}
