"""The taxonomy files `topics.toml` and `places.toml`: where they are, and reading them into
the keys the tagger compiles, with every shape check failing as a one-line `TaxonomyError`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import paths
from ..api import NatoBrowseError

TOPICS_FILE = "topics.toml"
PLACES_FILE = "places.toml"
_TOKEN = re.compile(r"\w+")


class TaxonomyError(NatoBrowseError):
    """A taxonomy file cannot be read or says something that does not hold together."""


@dataclass(frozen=True, slots=True)
class Meaning:
    """What one keyword or place name stands for once found in a text."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    guarded: str = ""  # the country whose guarded name this is; "" when unguarded
    vetoes: tuple[str, ...] = ()  # countries whose guarded names this phrase cancels
    whole: bool = False  # a place name (or a not_places phrase): the names inside do not count


Resolved = tuple[tuple[Meaning, ...], bool, tuple[Meaning, ...]]


@dataclass(frozen=True, slots=True)
class Key:
    text: str  # as written in the taxonomy (a trailing "*" marks a wildcard)
    cased: bool
    meaning: Meaning


# -- reading and checking -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topic_names: tuple[str, ...]
    region_names: tuple[str, ...]
    country_regions: dict[str, tuple[str, ...]]
    place_topics: dict[str, tuple[str, ...]]  # country or region -> the topics it implies
    keys: tuple[Key, ...]

    @classmethod
    def parse(
        cls, topics: dict[str, Any], places: dict[str, Any], topics_source: str, places_source: str
    ) -> Taxonomy:
        places_check = _Checker(places_source)
        topics_check = _Checker(topics_source)
        places_check.only_keys(places, "the file", {"region", "country", "not_places"})
        not_places = places_check.strings(places, "not_places", "the file")
        topics_check.only_keys(topics, "the file", {"topic"})

        regions: dict[str, list[str]] = {}  # name -> aliases
        for entry in places_check.tables(places, "region"):
            name = places_check.name(entry, "region", regions)
            places_check.only_keys(entry, f"region {name!r}", {"name", "aliases"})
            regions[name] = places_check.strings(entry, "aliases", f"region {name!r}")

        countries: dict[str, dict[str, Any]] = {}
        country_fields = {"name", "regions", "capitals", "demonyms", "aliases", "guarded", "vetoes"}
        for entry in places_check.tables(places, "country"):
            name = places_check.name(entry, "country", countries)
            if name in regions:
                raise places_check.error(f"{name!r} is both a region and a country")
            where = f"country {name!r}"
            places_check.only_keys(entry, where, country_fields)
            fields = {f: places_check.strings(entry, f, where) for f in country_fields - {"name"}}
            for region in fields["regions"]:
                if region not in regions:
                    raise places_check.error(f"{where} is in region {region!r}, not defined")
            countries[name] = fields

        topics_out: dict[str, dict[str, list[str]]] = {}
        for entry in topics_check.tables(topics, "topic"):
            name = topics_check.name(entry, "topic", topics_out)
            where = f"topic {name!r}"
            topics_check.only_keys(entry, where, {"name", "keywords", "cased", "places"})
            fields = {
                f: topics_check.strings(entry, f, where) for f in ("keywords", "cased", "places")
            }
            for place in fields["places"]:
                if place not in regions and place not in countries:
                    raise topics_check.error(
                        f"{where} lists place {place!r}, not a country or region of {places_source}"
                    )
            topics_out[name] = fields

        def implied_topics(places_named: Iterable[str]) -> tuple[str, ...]:
            named = set(places_named)
            return tuple(t for t, f in topics_out.items() if named.intersection(f["places"]))

        keys: list[Key] = []
        place_topics: dict[str, tuple[str, ...]] = {}
        for name, aliases in regions.items():
            meaning = Meaning(regions=(name,), topics=implied_topics([name]), whole=True)
            place_topics[name] = meaning.topics
            keys.extend(Key(alias, True, meaning) for alias in _unique([name, *aliases]))
        for name, fields in countries.items():
            where = f"country {name!r}"
            meaning = Meaning(
                countries=(name,),
                regions=tuple(fields["regions"]),
                topics=implied_topics([name, *fields["regions"]]),
                whole=True,
            )
            guarded = replace(meaning, guarded=name)
            place_topics[name] = meaning.topics
            plain = [name, *fields["capitals"], *fields["aliases"]]
            plain += [d for demonym in fields["demonyms"] for d in _with_plural(demonym)]
            for alias in _unique(plain):
                g = alias in fields["guarded"]
                keys.append(
                    Key(places_check.keyword(alias, where), True, guarded if g else meaning)
                )
            for alias in _unique(fields["guarded"]):
                if alias not in plain:
                    keys.append(Key(places_check.keyword(alias, where), True, guarded))
            veto = Meaning(vetoes=(name,))
            keys.extend(Key(places_check.keyword(v, where), True, veto) for v in fields["vetoes"])
        opaque = Meaning(whole=True)
        keys.extend(Key(places_check.keyword(p, "not_places"), False, opaque) for p in not_places)
        for name, fields in topics_out.items():
            where = f"topic {name!r}"
            meaning = Meaning(topics=(name,))
            for cased, field in ((False, "keywords"), (True, "cased")):
                keys.extend(
                    Key(topics_check.keyword(k, where), cased, meaning) for k in fields[field]
                )
        return cls(
            topic_names=tuple(topics_out),
            region_names=tuple(regions),
            country_regions={n: tuple(f["regions"]) for n, f in countries.items()},
            place_topics=place_topics,
            keys=tuple(keys),
        )


class _Checker:
    """Shape checks on one parsed TOML file, each failing with a one-line TaxonomyError."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, problem: str) -> TaxonomyError:
        return TaxonomyError(f"{self.source}: {problem}")

    def only_keys(self, table: dict[str, Any], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            expected = ", ".join(sorted(allowed))
            raise self.error(f"unknown key {unknown[0]!r} in {where} (expected one of {expected})")

    def tables(self, data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        value = data.get(kind, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"'{kind}' must be an array of tables ([[{kind}]] sections)")
        return value

    def name(self, entry: dict[str, Any], kind: str, seen: dict[str, Any]) -> str:
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(f'a [[{kind}]] has no name (name = "...")')
        if name in seen:
            raise self.error(f"{kind} {name!r} is defined twice")
        return name

    def strings(self, entry: dict[str, Any], field: str, where: str) -> list[str]:
        value = entry.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{field} of {where} must be a list of non-empty strings")
        return [" ".join(v.split()) for v in value]

    def keyword(self, text: str, where: str) -> str:
        if "*" in text[:-1] or text == "*" or not _TOKEN.match(text):
            raise self.error(
                f"keyword {text!r} of {where}: must start with a letter or digit,"
                " and '*' may only end it"
            )
        return text


def _with_plural(demonym: str) -> Iterator[str]:
    yield demonym
    if not demonym.endswith(("s", "sh", "ch", "ese")):
        yield demonym + "s"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy ({exc.strerror or exc})") from None


def taxonomy_paths() -> tuple[Path, Path]:
    """The topics and places files in use: each from the config directory when it is there."""
    config = paths.config_dir()
    chosen = []
    for name in (TOPICS_FILE, PLACES_FILE):
        user = config / name
        chosen.append(user if user.is_file() else paths.DATA_DIR / name)
    return chosen[0], chosen[1]
