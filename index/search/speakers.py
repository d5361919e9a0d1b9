"""Finding a speaker by what a person types: any alias, a unique surname, any case or accent.

`SpeakerLookup` is built once per index state from the columns' speaker names and their aliases
(grouping/speakers.py merged the variants when the index was built) and people.toml:
- `resolve("zelensky")` for filters (`--speaker`, the app's picker): the speaker ids a name
  means; a name that fits several speakers raises `AmbiguousSpeaker` naming them;
- `loose("johnson")` for `speaker:` in a query: every speaker it may mean;
- `named_in("stoltenberg ukraine")`: the speakers the typed words name, for the list's
  "Jens Stoltenberg · 14 quotes — filter" offer.
"""

from __future__ import annotations

from ..api import UNATTRIBUTED, AmbiguousSpeaker
from ..extract.names import name_key, sound_key
from ..extract.people import People
from ..store.columns import Columns


class SpeakerLookup:
    def __init__(self, columns: Columns, people: People | None = None) -> None:
        self.columns = columns
        self.people = people
        self._by_key: dict[str, set[int]] = {}
        self._by_surname: dict[str, set[int]] = {}  # last word's sound -> ids
        self._by_word: dict[str, set[int]] = {}  # any word -> ids
        aliases = columns.speaker_aliases
        for sid, name in enumerate(columns.speakers):
            names = (name, *(aliases[sid] if sid < len(aliases) else ()))
            for alias in names:
                key = name_key(alias)
                if not key:
                    continue
                self._by_key.setdefault(key, set()).add(sid)
                words = key.split()
                self._by_surname.setdefault(sound_key(words[-1]), set()).add(sid)
                for word in words:
                    self._by_word.setdefault(word, set()).add(sid)

    def loose(self, typed: str) -> list[int]:
        """Every speaker id `typed` may mean: a name or alias as typed, else a surname by
        sound, else any word of a name. Empty when none."""
        key = name_key(typed)
        if not key:
            return []
        found = self._by_key.get(key)
        if found:
            return sorted(found)
        if self.people is not None:
            entity = self.people.lookup(typed)
            if entity is not None and entity.name in self.columns.speaker_index:
                return [self.columns.speaker_index[entity.name]]
        words = key.split()
        if len(words) == 1:
            found = self._by_surname.get(sound_key(words[0])) or self._by_word.get(words[0])
            return sorted(found or ())
        # Several words: the speakers having all of them.
        sets = [self._by_word.get(w, set()) for w in words]
        return sorted(set.intersection(*sets)) if sets else []

    def resolve(self, typed: str) -> list[int]:
        """The speaker `typed` means, as a list of one id (none when no speaker fits).
        Raises AmbiguousSpeaker when several do."""
        index = self.columns.speaker_index.get(typed.strip())
        if index is not None:
            return [index]
        found = self.loose(typed)
        if len(found) > 1:
            names = tuple(sorted(self.columns.speakers[i] for i in found))
            raise AmbiguousSpeaker(typed.strip(), names)
        return found

    def named_in(self, query: str, limit: int = 3) -> list[int]:
        """Speakers the typed words name: the whole query as a name, else each word of three
        letters or more that is a speaker's surname (or alias) and only one speaker's."""
        key = name_key(query)
        if not key or ":" in query:
            return []
        whole = self._by_key.get(key)
        if whole and len(whole) <= limit:
            return sorted(whole)
        out: list[int] = []
        for word in key.split():
            if len(word) < 3:
                continue
            ids = self._by_key.get(word) or self._by_surname.get(sound_key(word), set())
            ids = {i for i in ids if self.columns.speakers[i] != UNATTRIBUTED}
            if len(ids) == 1 and next(iter(ids)) not in out:
                out.append(next(iter(ids)))
        return out[:limit]


__all__ = ["SpeakerLookup"]
