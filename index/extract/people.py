"""The people taxonomy `people.toml`: the people (and organisations) a NATO reader meets most,
with their aliases and dated roles, read with every shape check failing as a one-line
`TaxonomyError`. The shipped file is in `data/`; a copy in the user's config directory wins.

`People` answers the questions speaker resolution asks of it:
- `lookup("Volodymyr Zelensky")`: the entry a name (or a listed alias) stands for, whatever its
  transliteration, middle names or patronymic;
- `holders("President of Russia", "2022-05-01")`: who held a role on a date;
- `principal("http://en.kremlin.ru/...", date)`: whose unsigned messages a site publishes.
Two different entries never share a lookup key: the file is rejected when they would.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from .. import paths
from ..tagging.taxonomy import TaxonomyError, read_toml
from ..tagging.taxonomy import _Checker as _TaxonomyChecker
from .names import name_key, name_words, same_person, sound_key

PEOPLE_FILE = "people.toml"
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

EntityKind = Literal["person", "organisation"]


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    start: str = ""  # ISO date (or year, or year-month) it began; "" when long ago
    end: str = ""  # ISO date it ended; "" while held

    def held_on(self, date: str) -> bool:
        """Whether the role was held on `date` (an unknown date: only a role still held)."""
        if not date:
            return not self.end
        day = date[:10]
        return (not self.start or self.start <= day) and (not self.end or day < self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    """A person or an organisation of the taxonomy."""

    name: str
    kind: EntityKind = "person"
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    gender: str = ""  # "m", "f" or "" (for pronoun agreement)
    sites: tuple[str, ...] = ()  # organisation: web sites whose unsigned messages it issues
    principal: str = ""  # organisation: the role those messages are from

    def role_on(self, date: str) -> str:
        """The role held on `date` (the latest one begun when several were)."""
        held = [r for r in self.roles if r.held_on(date)]
        if not held:
            return ""
        return max(held, key=lambda r: r.start).title

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class People:
    """The entries of one people file, indexed for lookup."""

    def __init__(self, data: dict[str, Any], source: str = PEOPLE_FILE) -> None:
        check = _Checker(source)
        check.only_keys(data, "the file", {"person", "organisation"})
        entries: list[Entity] = []
        for kind in ("person", "organisation"):
            for table in check.tables(data, kind):
                entries.append(check.entity(table, kind))
        self.entries: tuple[Entity, ...] = tuple(entries)
        self._by_key: dict[str, Entity] = {}
        self._by_ends: dict[tuple[str, str], list[Entity]] = {}
        self._by_role: dict[str, list[tuple[Role, Entity]]] = {}
        self._sites: dict[str, Entity] = {}
        self._looked_up: dict[str, Entity | None] = {}  # names asked before, and the answer
        for entity in entries:
            for alias in entity.names():
                key = name_key(alias)
                other = self._by_key.get(key)
                if other is not None and other is not entity:
                    raise check.error(f"{alias!r} names both {other.name!r} and {entity.name!r}")
                self._by_key[key] = entity
                words = key.split()
                if entity.kind == "person" and len(words) >= 2:
                    ends = (sound_key(words[0])[:1], sound_key(words[-1]))
                    bucket = self._by_ends.setdefault(ends, [])
                    if entity not in bucket:
                        bucket.append(entity)
            for role in entity.roles:
                self._by_role.setdefault(role_key(role.title), []).append((role, entity))
            for site in entity.sites:
                self._sites[_host(site)] = entity

    # -- loading --------------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: Path) -> People:
        return cls(read_toml(path), str(path))

    @classmethod
    def default(cls) -> People:
        """The user's people.toml (config directory), else the shipped one. Cached: read again
        only when the file changes."""
        path = people_path()
        return _cached_people(path, paths.file_stamp(path))

    # -- questions ------------------------------------------------------------------------

    def lookup(self, name: str) -> Entity | None:
        """The entry `name` stands for: one of its names or aliases as written (case, accents
        and punctuation aside), or a full name that is a variant of a person's name
        (transliteration, middle name, patronymic). None when none, or more than one, fits."""
        try:
            return self._looked_up[name]
        except KeyError:
            pass
        if len(self._looked_up) > 100_000:
            self._looked_up.clear()
        found = self._looked_up[name] = self._lookup(name)
        return found

    def _lookup(self, name: str) -> Entity | None:
        key = name_key(name)
        found = self._by_key.get(key)
        if found is not None:
            return found
        words = key.split()
        if len(words) < 2:
            return None
        candidates = self._by_ends.get((sound_key(words[0])[:1], sound_key(words[-1])), [])
        fits = [e for e in candidates if any(same_person(key, a) for a in e.names())]
        if len(fits) == 1:
            return fits[0]
        return None

    def holders(self, title: str, date: str) -> list[Entity]:
        """The entries that held the role `title` on `date` (its words in any order)."""
        return [e for r, e in self._by_role.get(role_key(title), ()) if r.held_on(date)]

    def principal(self, url: str, date: str) -> Entity | None:
        """Whose unsigned messages the site of `url` publishes on `date` ("The message reads:"
        on the Kremlin's site is the President of Russia's)."""
        if not url:
            return None
        host = _host(url)
        while host:
            org = self._sites.get(host)
            if org is not None:
                holders = self.holders(org.principal, date) if org.principal else []
                return holders[0] if len(holders) == 1 else None
            host = host.partition(".")[2] if "." in host else ""
        return None


def role_key(title: str) -> str:
    """A role's words, sorted, without "of"/"the": "President of Russia" = "Russia President"
    is not the point, but "the President of the Russian Federation" and "President of the
    Russian Federation" are one key."""
    words = [w for w in name_words(title) if w not in _ROLE_FILLERS]
    return " ".join(sorted(words))


_ROLE_FILLERS = frozenset(["of", "the", "a", "an", "and", "for"])


def _host(url: str) -> str:
    if "//" not in url:
        url = "//" + url
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("en.")


class _Checker(_TaxonomyChecker):
    """Shape checks on the parsed file, each failing with a one-line TaxonomyError (the
    taxonomies' checks, and those of people and their roles)."""

    def text(self, table: dict[str, Any], field: str, where: str) -> str:
        value = table.get(field, "")
        if not isinstance(value, str):
            raise self.error(f"{field} of {where} must be a string")
        return " ".join(value.split())

    def entity(self, table: dict[str, Any], kind: EntityKind) -> Entity:
        name = table.get("name")
        if not isinstance(name, str) or not name_key(name):
            raise self.error(f'a [[{kind}]] has no name (name = "...")')
        name = " ".join(name.split())
        where = f"{kind} {name!r}"
        allowed = {"name", "aliases", "roles"}
        allowed |= {"gender"} if kind == "person" else {"sites", "principal"}
        self.only_keys(table, where, allowed)
        gender = self.text(table, "gender", where)
        if gender not in ("", "m", "f"):
            raise self.error(f'gender of {where} must be "m" or "f"')
        return Entity(
            name=name,
            kind=kind,
            aliases=tuple(self.strings(table, "aliases", where)),
            roles=self.roles(table, where),
            gender=gender,
            sites=tuple(self.strings(table, "sites", where)) if kind == "organisation" else (),
            principal=self.text(table, "principal", where),
        )

    def roles(self, table: dict[str, Any], where: str) -> tuple[Role, ...]:
        value = table.get("roles", [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(
                f'roles of {where} must be a list of {{ title = "...", from = "YYYY-MM-DD" }}'
            )
        roles = []
        for item in value:
            self.only_keys(item, f"a role of {where}", {"title", "from", "to"})
            title = self.text(item, "title", where)
            if not title:
                raise self.error(f"a role of {where} has no title")
            dates = []
            for field in ("from", "to"):
                date = item.get(field, "")
                if not isinstance(date, str) or (date and not _DATE.match(date)):
                    raise self.error(
                        f"{field} of role {title!r} of {where} must be a date as "
                        f'"YYYY", "YYYY-MM" or "YYYY-MM-DD"'
                    )
                dates.append(date)
            if dates[0] and dates[1] and dates[1] < dates[0]:
                raise self.error(f"role {title!r} of {where} ends before it begins")
            roles.append(Role(title, dates[0], dates[1]))
        return tuple(roles)


def people_path() -> Path:
    """The people file in use: the config directory's when there is one, else the shipped."""
    user = _config_dir(os.environ.get("NATO_BROWSE_CONFIG_DIR")) / PEOPLE_FILE
    return user if user.is_file() else paths.DATA_DIR / PEOPLE_FILE


@lru_cache(maxsize=8)
def _config_dir(_env: str | None) -> Path:
    """paths.config_dir(), asked once per value of the variable that moves it (the platform's
    lookup costs more than extracting a short document)."""
    return paths.config_dir()


@lru_cache(maxsize=4)
def _cached_people(path: Path, _stamp: tuple[int, int]) -> People:
    return People.from_file(path)


__all__ = ["Entity", "People", "Role", "TaxonomyError", "people_path", "role_key"]
