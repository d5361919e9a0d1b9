"""Topics, countries and regions of a text, from the editable taxonomies `topics.toml` and
`places.toml` (shipped in `data/`; a copy in the user's config directory wins).

Every keyword and place name of both files is compiled into ONE regular expression, built as a
character trie so that matching costs the same whatever the size of the taxonomy; a match is then
looked up in dictionaries that apply the case rules. The rules (the TOML files' headers say the
same for their editors):

- topic keywords ignore case; `cased` topic keywords (acronyms such as ISAF) and every place name
  match only as written or in CAPITALS (datelines: "KABUL, Afghanistan"), so "turkey", "china"
  and the pronoun "us" are not places;
- a match must stand on word boundaries; a possessive follows freely ("Ukraine's", "Ukraine’s");
  a hyphen in a keyword also matches a space or nothing ("counter-terrorism", "counterterrorism");
  a final `*` matches any word ending ("insurgen*": insurgent, insurgents, insurgency);
- demonyms also match with a plural "s" ("Ukrainians"), unless they end in s/sh/ch/ese;
- a topic phrase does not hide the place names inside it: "war in Ukraine" gives both the
  keyword's topic and the country Ukraine (other topics' keywords inside it do not count:
  "International Security Assistance Force" is not "security assistance"); a place name is read
  whole ("South Sudan" is not also Sudan, "Persian Gulf" not Iran), and so are the `not_places`
  phrases of places.toml ("Minsk agreements", "Paris Agreement": named after a city, not about
  its country);
- a country implies its regions; a topic that lists places is implied by them (a country implies
  a topic that lists one of its regions);
- a `guarded` name (Jordan, Chad, Georgia, ...) is dropped when it looks like part of a person's or
  a thing's name (next to another capitalised word: "Michael Jordan", "Georgia Tech"; but
  "President of Chad Mahamat Déby" stays) and when one of its country's `vetoes` occurs anywhere
  in the text ("Atlanta" for the US state of Georgia).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..paths import file_stamp
from ..regex_trie import trie_pattern
from .taxonomy import (
    PLACES_FILE,
    TOPICS_FILE,
    Key,
    Meaning,
    Resolved,
    Taxonomy,
    read_toml,
    taxonomy_paths,
)

_HYPHENS = "-\u2010\u2011\u2013"  # hyphen-minus, hyphen, non-breaking hyphen, en dash
_HYPHEN_CLASS = re.escape(_HYPHENS)
_SEPARATORS = re.compile(rf"[\s{_HYPHEN_CLASS}]+")  # dropped from the lookup form of a match
_TOKEN = re.compile(r"\w+")
_LAST_TOKEN = re.compile(r"\w*$")
_PREV_WORD = re.compile(r"(\w+)[ \t]$")
_NEXT_WORD = re.compile(r"[ \t](\w+)")
# Capitalised words that sit next to a country's name without making it part of a person's name.
_NOT_NAME_WORDS = frozenset(
    """A About Across After Against Along Also An And As At Before Between Both But By Central
    Commonwealth Despite Democratic Duchy During Eastern Federal For From Government Grand If In
    Including Into Islamic Kingdom Like Near Neighbouring Neighboring Northern Of On Or People
    Peoples Republic Since Southern State States Than That The Then This To Unlike Via Western
    When While With Within""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Tags:
    """What a text is about: canonical names, each tuple ordered by first mention."""

    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


class Tagger:
    """Tags texts with the topics, countries and regions of two taxonomies."""

    def __init__(
        self,
        topics: dict[str, Any],
        places: dict[str, Any],
        *,
        topics_source: str = "",
        places_source: str = "",
    ) -> None:
        taxonomy = Taxonomy.parse(
            topics, places, topics_source or TOPICS_FILE, places_source or PLACES_FILE
        )
        self.topic_names: tuple[str, ...] = taxonomy.topic_names
        self.country_names: tuple[str, ...] = tuple(taxonomy.country_regions)
        self.region_names: tuple[str, ...] = taxonomy.region_names
        # Each country's regions, in the order the taxonomy gives them.
        self.country_regions: dict[str, tuple[str, ...]] = dict(taxonomy.country_regions)
        self._place_topics = taxonomy.place_topics
        self._cased: dict[str, list[Meaning]] = {}
        self._uncased: dict[str, list[Meaning]] = {}
        self._wild_cased: dict[str, list[Meaning]] = {}
        self._wild_uncased: dict[str, list[Meaning]] = {}
        for key in taxonomy.keys:
            self._add(key)
        self._wild_lengths = sorted(
            {len(stem) for stem in (*self._wild_cased, *self._wild_uncased)}, reverse=True
        )
        self._regex = re.compile(_pattern(taxonomy.keys))
        self._cache: dict[str, Resolved] = {}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_files(cls, topics: Path, places: Path) -> Tagger:
        """A tagger from two TOML files; TaxonomyError (one line) when either is unusable."""
        return cls(
            read_toml(topics),
            read_toml(places),
            topics_source=str(topics),
            places_source=str(places),
        )

    @classmethod
    def default(cls) -> Tagger:
        """The tagger of the user's taxonomies (config directory) or else the shipped ones.

        Cached: built once per pair of files, and again only when one of them changes.
        """
        topics, places = taxonomy_paths()
        return _cached_tagger(topics, file_stamp(topics), places, file_stamp(places))

    def _add(self, key: Key) -> None:
        wild = key.text.endswith("*")
        form = _form(key.text.rstrip("*"))
        if key.cased:
            table = self._wild_cased if wild else self._cased
            forms = {form, form.upper()}  # as written, and in a CAPITALS dateline
        else:
            table = self._wild_uncased if wild else self._uncased
            forms = {form.lower()}
        for f in forms:
            table.setdefault(f, []).append(key.meaning)

    # -- tagging ------------------------------------------------------------------------------

    def implied_topics(self, places: Iterable[str]) -> tuple[str, ...]:
        """The topics that these countries and regions (canonical names) imply, in order: for a
        quote that takes its places from an earlier sentence."""
        topics = (t for place in places for t in self._place_topics.get(place, ()))
        return tuple(dict.fromkeys(topics))

    def tag(self, text: str) -> Tags:
        """The topics, countries and regions `text` mentions, each in order of first mention."""
        # The trie is in lower case: scanning a lowered copy with a case-sensitive pattern is
        # several times faster than re.IGNORECASE. Offsets in the copy must be the text's, so
        # the rare characters that lower to two ("İ") are left as they are.
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        hits: list[tuple[int, Meaning]] = []
        vetoed: set[str] = set()
        for match in self._regex.finditer(lowered):
            start, end = match.span()
            span = text[start:end]
            meanings, whole, _ = self._resolve(span)
            self._collect(text, span, start, meanings, hits, vetoed)
            if whole or _TOKEN.fullmatch(span):
                continue
            # A topic phrase: the place names inside it count too ("war in Ukraine" -> Ukraine).
            tokens = [(t.start(), t.end()) for t in _TOKEN.finditer(span)]
            for i, (sub_start, _) in enumerate(tokens):
                for _, sub_end in tokens[i:]:
                    if sub_end - sub_start < len(span):
                        sub = span[sub_start:sub_end]
                        places = self._resolve(sub)[2]
                        self._collect(text, sub, start + sub_start, places, hits, vetoed)
        return _tags(hits, vetoed)

    @staticmethod
    def _collect(
        text: str,
        span: str,
        start: int,
        meanings: tuple[Meaning, ...],
        hits: list[tuple[int, Meaning]],
        vetoed: set[str],
    ) -> None:
        for meaning in meanings:
            if meaning.vetoes:
                vetoed.update(meaning.vetoes)
            if meaning.guarded and _looks_like_name(text, span, start, start + len(span)):
                continue
            hits.append((start, meaning))

    def _resolve(self, span: str) -> Resolved:
        """What a matched span means, whether it is to be read whole, and its place meanings
        (all that counts of a name inside a topic phrase: "International Security Assistance
        Force" is not the keyword "security assistance"). Cached: the same few thousand spans
        ("Ukraine", "Russian troops") make up nearly all matches."""
        cached = self._cache.get(span)
        if cached is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            meanings = tuple(self._lookup(span))
            places = tuple(m for m in meanings if m.countries or m.regions or m.vetoes)
            cached = self._cache[span] = (meanings, any(m.whole for m in meanings), places)
        return cached

    def _lookup(self, span: str) -> list[Meaning]:
        form = _form(span)
        lower = form.lower()
        found = [*self._cased.get(form, ()), *self._uncased.get(lower, ())]
        if self._wild_lengths:
            # A wildcard's `\w*` never crosses a word boundary: the stem must end in the last word.
            tail = len(_LAST_TOKEN.search(span).group())  # type: ignore[union-attr]
            for length in self._wild_lengths:
                if length < len(form) - tail or length > len(form):
                    continue
                found.extend(self._wild_cased.get(form[:length], ()))
                found.extend(self._wild_uncased.get(lower[:length], ()))
        return found


def _tags(hits: list[tuple[int, Meaning]], vetoed: set[str]) -> Tags:
    topics: dict[str, None] = {}
    countries: dict[str, None] = {}
    regions: dict[str, None] = {}
    hits.sort(key=lambda hit: hit[0])  # stable: a phrase's own meaning before its inner names
    for _, meaning in hits:
        if meaning.guarded and meaning.guarded in vetoed:
            continue
        countries.update(dict.fromkeys(meaning.countries))
        regions.update(dict.fromkeys(meaning.regions))
        topics.update(dict.fromkeys(meaning.topics))
    return Tags(tuple(topics), tuple(countries), tuple(regions))


def _looks_like_name(text: str, span: str, start: int, end: int) -> bool:
    """True when a guarded name stands next to another capitalised word ("Michael Jordan")."""
    if span.isupper():  # a CAPITALS dateline: every word is capitalised there
        return False
    before = _PREV_WORD.search(text, max(0, start - 40), start)
    prev = before.group(1) if before else ""
    if prev[:1].isupper() and not prev.isupper() and prev not in _NOT_NAME_WORDS:
        return True
    after = _NEXT_WORD.match(text, end, end + 40)
    following = after.group(1) if after else ""
    return (
        following[:1].isupper()
        and not following.isupper()
        and following not in _NOT_NAME_WORDS
        and prev != "of"  # "President of Chad Mahamat Déby"
    )


def _form(text: str) -> str:
    """The lookup form of a keyword or a match: no spaces or hyphens, one kind of apostrophe."""
    return _SEPARATORS.sub("", text).replace("’", "'")


# -- the one regular expression ----------------------------------------------------------------


def _atoms(text: str) -> list[str]:
    """The regex atoms of a keyword, one per character, so keywords share a trie."""
    atoms = []
    for i, char in enumerate(text):
        if char == "*" and i == len(text) - 1:
            atoms.append(r"\w*")
        elif char.isspace():
            atoms.append(r"\s+")
        elif char in _HYPHENS:
            atoms.append(rf"[{_HYPHEN_CLASS}\s]?")
        elif char in "'’":
            atoms.append("['’]")
        else:
            atoms.append(re.escape(char))
    return atoms


def _pattern(keys: Iterable[Key]) -> str:
    """One pattern for every keyword, in lower case (the case rules are applied on lookup)."""
    trie = trie_pattern({key.text.lower(): _atoms(key.text.lower()) for key in keys}.values())
    return rf"\b{trie}(?!\w)"


@lru_cache(maxsize=4)
def _cached_tagger(
    topics: Path, _topics_stamp: tuple[int, int], places: Path, _places_stamp: tuple[int, int]
) -> Tagger:
    return Tagger.from_files(topics, places)
