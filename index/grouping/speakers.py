"""One person, one name across the corpus: which speaker names are variants of one another.

Each document already names its speakers as people.toml does (extract/identity.py). Across
documents, the people the taxonomy does not know still come spelt several ways: "Oleh Ustenko"
and "Oleg Ustenko", "Veronika Ichyotkina" and "Veronika Ichetkina", or by a surname alone
("Azimi") in a document that never gave the full name. `merge_speakers` maps every name to one
canonical name:
- a name people.toml knows to its entry's name;
- full names that are variants of one another (extract/names.py `same_person`: the same surname
  by sound, compatible first names, middle names ignored) to the most frequent spelling, unless
  they are two different people of people.toml;
- a surname alone to the one full name in the corpus with that surname, when there is exactly
  one (else it stays as it is: two Johnsons are never guessed between).

The cost is linear in the number of names (names are bucketed by surname sound).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..api import UNATTRIBUTED
from ..extract.names import name_key, name_words, same_person, sound_key
from ..extract.people import People


@dataclass(frozen=True)
class SpeakerTable:
    """Every indexed speaker name, its canonical name, and each canonical name's aliases."""

    canonical: dict[str, str] = field(default_factory=dict)  # indexed name -> canonical
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical -> others

    def variants(self, canonical: str) -> tuple[str, ...]:
        """The indexed names filed under `canonical` (itself included when indexed)."""
        return tuple(n for n, c in self.canonical.items() if c == canonical)


def merge_speakers(counts: Mapping[str, int], people: People | None = None) -> SpeakerTable:
    """The canonical name of every speaker name in `counts` (name -> quotes)."""
    canonical: dict[str, str] = {}
    known: dict[str, str] = {}  # canonical name -> people.toml name, for names it knows
    full: dict[tuple[str, str], list[str]] = {}  # (first initial, surname sound) -> names
    single: list[str] = []
    for name in counts:
        if name == UNATTRIBUTED:
            canonical[name] = name
            continue
        entity = people.lookup(name) if people is not None else None
        if entity is not None:
            canonical[name] = entity.name
            known[entity.name] = entity.name
            continue
        words = name_words(name)
        if len(words) >= 2:
            full.setdefault((words[0][:1], sound_key(words[-1])), []).append(name)
        else:
            single.append(name)
    # Full names: union the variants within a bucket, most frequent spelling first.
    for names in full.values():
        names.sort(key=lambda n: (-counts[n], -len(n), n))
        heads: list[str] = []
        for name in names:
            head = next((h for h in heads if same_person(h, name)), None)
            if head is None:
                heads.append(name)
                canonical[name] = name
            else:
                canonical[name] = head
    # Known people whose surname a document gave alone, and full names of unknown people
    # that are variants of a known one ("Volodymyr Zelenskyi" -> people.toml's name).
    by_surname: dict[str, set[str]] = {}
    for target in canonical.values():
        words = name_words(target)
        if len(words) >= 2 and target != UNATTRIBUTED:
            by_surname.setdefault(sound_key(words[-1]), set()).add(target)
    for name in single:
        key = name_words(name)
        targets = by_surname.get(sound_key(key[0]), set()) if key else set()
        canonical[name] = next(iter(targets)) if len(targets) == 1 else name
    aliases: dict[str, list[str]] = {}
    for name, target in canonical.items():
        if name != target:
            aliases.setdefault(target, []).append(name)
    if people is not None:
        for target in set(canonical.values()):
            entity = people.lookup(target) if target in known else None
            if entity is not None:
                aliases.setdefault(target, []).extend(entity.aliases)
    return SpeakerTable(
        canonical=canonical,
        aliases={t: _unique_by_key(t, names) for t, names in aliases.items()},
    )


def _unique_by_key(target: str, names: Iterable[str]) -> tuple[str, ...]:
    seen = {name_key(target)}
    out = []
    for name in sorted(names):
        key = name_key(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


__all__ = ["UNATTRIBUTED", "SpeakerTable", "merge_speakers"]
