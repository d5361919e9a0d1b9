"""The Whoosh schema of the quote index, and how a `Quote` becomes one Whoosh document.

Two kinds of fields:
- searchable words: `text` (the quote, stemmed, with positions for phrases) and `speaker`,
  `role`, `title`, `topic`, `region`, `country` for `field:value` queries;
- exact values, one term per value (`spk`, `tpc`, `rgn`, `cty`, `knd`, `date`, `doc`): Whoosh
  filters on them, and `doc` is what the builder deletes a document's quotes by. `knd` holds the
  quote's kind ("quote", "remarks", "turn", "question") and, for a greeting or procedural line,
  the term PROCEDURAL as well.
The whole quote is stored once, in Whoosh's stored field `quote`, as the tuple of its fields
(`QUOTE_FIELDS` order; the schema's version marker names that order, so an index written with
another one is rebuilt).

The unstemmed words (for prefix expansion, highlighting and "did you mean") are not a Whoosh
field: indexing every word twice cost ~40% of the build. The builder counts them itself from
the `text` analyzer's own tokens (writer.py).
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from dataclasses import fields as dataclass_fields
from typing import Any

from whoosh import fields
from whoosh.analysis import RegexTokenizer, StandardAnalyzer, StemmingAnalyzer

from ..api import UNATTRIBUTED
from ..extract.people import People
from ..model import Quote

# The stored tuple's order: the Quote model's fields.
QUOTE_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclass_fields(Quote))
_QUOTE_TUPLE = operator.attrgetter(*QUOTE_FIELDS)

# Values of multi-valued exact fields are joined with this (it never occurs in a name).
VALUE_SEP = "\x1f"
_EXACT = re.compile(r"[^\x1f]+")

# Bumped whenever the fields change; an index made with another version is rebuilt.
SCHEMA_VERSION = 4
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
        # Marks the schema's version inside the index itself, with the stored tuple's order.
        **{version_marker(): fields.STORED()},
    )


def schema_matches(schema: fields.Schema) -> bool:
    """Whether an index's schema is this version's (same field names)."""
    return set(schema.names()) == set(make_schema().names())


def version_marker() -> str:
    digest = hashlib.blake2b(" ".join(QUOTE_FIELDS).encode(), digest_size=4).hexdigest()
    return f"v{SCHEMA_VERSION}_{digest}"


@functools.lru_cache(maxsize=4096)
def _aliases(people: People, speaker: str) -> str:
    entity = people.lookup(speaker) if speaker else None
    return " ".join(entity.aliases) if entity is not None else ""


def clean_value(value: str) -> str:
    return value.replace(VALUE_SEP, " ").strip()


def speaker_value(quote: Quote) -> str:
    """The exact speaker value a quote is filed under: its speaker, or UNATTRIBUTED."""
    return clean_value(quote.speaker) if quote.named else UNATTRIBUTED


def indexed_values(quote: Quote, people: People | None = None) -> dict[str, str]:
    """The indexed fields of one quote's Whoosh document (empty ones left out).

    The speaker's other names (people.toml aliases; `people`, default People.default()) are
    searchable with the speaker's name. A quote nobody is named for is filed under the one
    speaker value UNATTRIBUTED."""
    if quote.named:
        aliases = _aliases(people if people is not None else People.default(), quote.speaker)
    else:
        aliases = ""
    values = {
        "doc": quote.doc,
        "text": quote.text,
        "speaker": f"{quote.speaker} {aliases}".strip(),
        "role": quote.role,
        "title": quote.title,
        "topic": " ".join(quote.topics),
        "region": " ".join(quote.regions),
        "country": " ".join(quote.countries),
        "date": quote.date,
        "spk": speaker_value(quote),
        "tpc": VALUE_SEP.join(clean_value(v) for v in quote.topics),
        "rgn": VALUE_SEP.join(clean_value(v) for v in quote.regions),
        "cty": VALUE_SEP.join(clean_value(v) for v in quote.countries),
        "knd": quote.kind + (VALUE_SEP + PROCEDURAL if quote.procedural else ""),
    }
    # Whoosh rejects empty strings for some fields; leave them out instead.
    return {k: v for k, v in values.items() if v != ""}


def stored_value(quote: Quote) -> dict[str, Any]:
    """What Whoosh stores for one quote: its fields as a tuple (a dict's keys, 17 times a
    quote, would cost a tenth of the index)."""
    return {"quote": _QUOTE_TUPLE(quote)}


def quote_from_stored(stored: dict[str, Any]) -> Quote:
    """The quote back from its stored fields."""
    value = stored["quote"]
    if isinstance(value, dict):  # a JSON dict, as an older index stored it
        return Quote.from_json(value)
    return Quote(*value)


def quote_to_document(quote: Quote) -> dict[str, Any]:
    """The Whoosh document for one quote (keyword arguments of `writer.add_document`): what the
    fast writer writes, through Whoosh's own writer (tests compare the two)."""
    return {**indexed_values(quote), **stored_value(quote)}
