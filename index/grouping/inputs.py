"""What grouping needs of each quote, computed where the quotes are.

A build's writer workers (store/parallel.py) each hold a segment's quotes while they write it:
there they reduce each quote to what `assign_groups` compares (its normalised text's key, its
speaker's key, each distinct text's word hashes and fingerprints) and send that back as arrays.
The builder then joins the parts in docnum order and groups without reading a quote back,
normalising a text or fingerprinting it again: what is left to it is pairing the fingerprints,
aligning the candidate pairs and the union-find (at 100k quotes, 1.5 s of CPU of the 7 s it
spent when it grouped the quotes themselves).

Joining parts gives exactly the inputs of all their quotes at once: a text's unit is the one of
its first quote in docnum order, so units are numbered as one pass over every quote numbers them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Quote
from .near_duplicates import Fingerprints, WordTable

# A question's unit key: a unit of its own, never the same as another's.
QUESTION = -1


def digest_key(normalised: str) -> int:
    """A 63-bit hash of a normalised text, the same in every process."""
    digest = hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little") >> 1


@dataclass(slots=True)
class GroupingInputs:
    """Quotes reduced to what grouping compares, in their order.

    Each quote's unit is a distinct text (a question is a unit of its own, with no words);
    `table` holds the units' word hashes in the order of their first quote."""

    text_hash: np.ndarray  # int64 per quote: `digest_key` of its normalised text
    unit: np.ndarray  # int64 per quote: its unit (a row of `table`)
    speaker: np.ndarray  # int32 per quote: its speaker key's index in `speakers`
    speakers: list[str]  # speaker keys ("" for an unnamed source)
    unit_key: np.ndarray  # int64 per unit: its text's `digest_key`, QUESTION for a question
    table: WordTable
    # The units' fingerprints, in parts (near_duplicates.py); None: computed when grouping.
    prints: list[Fingerprints] | None

    def __len__(self) -> int:
        return len(self.unit)

    @classmethod
    def of(cls, quotes: Sequence[Quote], prints: bool = True) -> GroupingInputs:
        """The inputs of `quotes`; with `prints`, their texts' fingerprints too (a writer's
        segment; grouping many quotes at once computes them a chunk at a time instead)."""
        from .groups import normalise, speaker_key

        hashes = np.empty(len(quotes), np.int64)
        units = np.empty(len(quotes), np.int64)
        speaker = np.empty(len(quotes), np.int32)
        unit_of_key: dict[int, int] = {}
        unit_keys: list[int] = []
        texts: list[str] = []
        speakers: list[str] = []
        speaker_of: dict[tuple[str, bool], int] = {}
        index_of: dict[str, int] = {}
        for i, q in enumerate(quotes):
            text = normalise(q.text)
            key = hashes[i] = digest_key(text)
            if q.kind == "question":
                key, text = QUESTION, ""
                unit = len(unit_keys)
            else:
                unit = unit_of_key.setdefault(key, len(unit_keys))
            if unit == len(unit_keys):
                unit_keys.append(key)
                texts.append(text)
            units[i] = unit
            s = speaker_of.get((q.speaker, q.named))
            if s is None:
                name = speaker_key(q)
                s = speaker_of[(q.speaker, q.named)] = index_of.setdefault(name, len(speakers))
                if s == len(speakers):
                    speakers.append(name)
            speaker[i] = s
        table = WordTable.build(texts)
        keys = np.array(unit_keys, np.int64)
        found = [Fingerprints.of(table)] if prints else None
        return cls(hashes, units, speaker, speakers, keys, table, found)

    @classmethod
    def join(cls, parts: list[GroupingInputs]) -> GroupingInputs:
        """The inputs of the parts' quotes, one part after the other (`parts` is emptied: each
        part is let go once joined)."""
        parts.reverse()
        unit_of_key: dict[int, int] = {}
        index_of: dict[str, int] = {}
        speakers: list[str] = []
        hashes, units, speaker, keys, tables = [], [], [], [], []
        prints: list[Fingerprints] | None = []
        count = 0  # units so far
        while parts:
            part = parts.pop()
            local = np.empty(len(part.unit_key), np.int64)
            new = np.zeros(len(part.unit_key), bool)
            for u, key in enumerate(part.unit_key.tolist()):
                if key == QUESTION:
                    local[u], new[u] = count, True
                    count += 1
                    continue
                found = unit_of_key.setdefault(key, count)
                local[u] = found
                if found == count:
                    new[u] = True
                    count += 1
            for name in part.speakers:
                if name not in index_of:
                    index_of[name] = len(speakers)
                    speakers.append(name)
            names = np.array([index_of[name] for name in part.speakers], np.int32)
            hashes.append(part.text_hash)
            units.append(local[part.unit])
            speaker.append(names[part.speaker] if len(names) else part.speaker.copy())
            keys.append(part.unit_key[new])
            tables.append(part.table.take(new))
            if prints is not None and part.prints is not None:
                prints.extend(p.take(new, local) for p in part.prints)
            else:
                prints = None
        return cls(
            np.concatenate(hashes) if hashes else np.zeros(0, np.int64),
            np.concatenate(units) if units else np.zeros(0, np.int64),
            np.concatenate(speaker) if speaker else np.zeros(0, np.int32),
            speakers,
            np.concatenate(keys) if keys else np.zeros(0, np.int64),
            WordTable.join(tables),
            prints,
        )
