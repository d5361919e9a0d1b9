"""The Whoosh schema of the quote index, and how a `Quote` becomes one Whoosh document.

Two kinds of fields:
- searchable words: `text` (the quote, stemmed, with positions for phrases) and `speaker`,
  `role`, `title`, `topic`, `region`, `country` for `field:value` queries;
- exact values, one term per value (`spk`, `tpc`, `rgn`, `cty`, `knd`, `date`, `doc`, `qid`):
  their posting lists are read once into numpy columns for filters, facet counts and dates.
  `knd` holds the quote's kind ("quote", "remarks", "turn", "question") and, for a greeting or
  procedural line, the term PROCEDURAL as well.
The whole quote is stored as its JSON dict in `quote`.

The unstemmed words (for prefix expansion, highlighting and "did you mean") are not a Whoosh
field: indexing every word twice cost ~40% of the build. The builder counts them itself
(`surface_words`) into the manifest.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import fields
from whoosh.analysis import RegexTokenizer, StandardAnalyzer, StemmingAnalyzer

from ..model import Quote

# Values of multi-valued exact fields are joined with this (it never occurs in a name).
VALUE_SEP = "\x1f"
_EXACT = re.compile(r"[^\x1f]+")

# Bumped whenever the fields change; an index made with another version is rebuilt.
SCHEMA_VERSION = 3
# The `knd` term of a greeting or procedural line (Quote.procedural), beside its kind.
PROCEDURAL = "procedural"

# Field names a user may type before a colon, and the field each one searches.
QUERY_FIELDS: dict[str, str] = {
    "text": "text",
    "speaker": "speaker",
    "who": "speaker",
    "role": "role",
    "title": "title",
    "topic": "topic",
    "topics": "topic",
    "region": "region",
    "regions": "region",
    "country": "country",
    "countries": "country",
    "date": "date",
}


def _exact_field() -> fields.FieldType:
    """One term per value, case and spaces kept: the source of a filter column."""
    field = fields.IDLIST(expression=_EXACT)
    field.analyzer = RegexTokenizer(_EXACT)  # type: ignore[assignment]  # a tokenizer is an analyzer
    return field


def make_schema() -> fields.Schema:
    names = StandardAnalyzer(stoplist=None, minsize=1)
    return fields.Schema(
        qid=fields.ID(unique=True),
        doc=fields.ID(),
        quote=fields.STORED(),
        text=fields.TEXT(analyzer=StemmingAnalyzer(), phrase=True),
        speaker=fields.TEXT(analyzer=names, phrase=True),
        role=fields.TEXT(analyzer=names, phrase=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), phrase=True),
        topic=fields.TEXT(analyzer=names, phrase=True),
        region=fields.TEXT(analyzer=names, phrase=True),
        country=fields.TEXT(analyzer=names, phrase=True),
        date=fields.ID(),
        spk=_exact_field(),
        tpc=_exact_field(),
        rgn=_exact_field(),
        cty=_exact_field(),
        knd=_exact_field(),
        # Marks the schema's version inside the index itself (see SCHEMA_VERSION).
        **{f"v{SCHEMA_VERSION}": fields.STORED()},
    )


def schema_matches(schema: fields.Schema) -> bool:
    """Whether an index's schema is this version's (same field names)."""
    return set(schema.names()) == set(make_schema().names())


# The tokenizer of the `text` field's analyzer (Whoosh's default RegexTokenizer).
TOKEN_PATTERN = re.compile(r"\w+(?:\.?\w+)*")


def surface_words(text: str) -> set[str]:
    """The distinct lowercased words of `text`, as the `text` analyzer splits them."""
    return set(TOKEN_PATTERN.findall(text.lower()))


def _clean(value: str) -> str:
    return value.replace(VALUE_SEP, " ").strip()


def quote_to_document(quote: Quote) -> dict[str, Any]:
    """The Whoosh document for one quote (keyword arguments of `writer.add_document`)."""
    values = {
        "qid": quote.quote_id,
        "doc": quote.doc,
        "quote": quote.to_json(),
        "text": quote.text,
        "speaker": quote.speaker,
        "role": quote.role,
        "title": quote.title,
        "topic": " ".join(quote.topics),
        "region": " ".join(quote.regions),
        "country": " ".join(quote.countries),
        "date": quote.date,
        "spk": _clean(quote.speaker),
        "tpc": VALUE_SEP.join(_clean(v) for v in quote.topics),
        "rgn": VALUE_SEP.join(_clean(v) for v in quote.regions),
        "cty": VALUE_SEP.join(_clean(v) for v in quote.countries),
        "knd": quote.kind + (VALUE_SEP + PROCEDURAL if quote.procedural else ""),
    }
    # Whoosh rejects empty strings for some fields; leave them out instead.
    return {k: v for k, v in values.items() if v != ""}
