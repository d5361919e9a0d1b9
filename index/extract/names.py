"""How two written names are compared: one key per spelling, one per sound.

`name_key` is what an alias is looked up by: ASCII, lower case, words only ("Nausėda" and
"Nauseda", "Lvova-Belova" and "Lvova Belova" are one key). `sound_key` further folds the
spellings that transliterating the same Cyrillic name gives (Zelenskyy / Zelensky / Zelenskiy,
Podolyak / Podoliak, Oleh / Oleg, Sergei / Sergey, Ichyotkina / Ichetkina), for merging variants
of one person. `same_person` says whether two full names are variants of one name: same
surname sound, compatible first names, middle names and patronymics ignored.

All of it is linear in the length of the names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Applied in order to each lower-case ASCII word: the spellings of one Cyrillic sound.
_SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"(?<=[aeiouy])yo|(?<=[^aeiouy])yo", "e"),  # ё: Ichyotkina / Ichetkina, Alyoshin
        (r"(?:yy|iy|ii|ij|yj|yi)", "y"),  # й endings: Zelenskyy / Zelenskiy / Zelenskii
        (r"ei$|ey$", "ey"),  # Sergei / Sergey, Andrei / Andrey
        (r"i(?=[aeou])", "y"),  # Podoliak / Podolyak, Yulia / Yulya, Dmitriev / Dmitryev
        (r"ya$", "a"),  # Yuliya / Yulia (after the rule above: Yulya)
        (r"(?<![kzsc])h", "g"),  # Ukrainian h for Russian g: Oleh / Oleg, Olha / Olga
        (r"x", "ks"),  # Alexander / Aleksandr
        (r"ph", "f"),
        (r"w", "v"),
        (r"j(?=[aeou])", "y"),  # Jana / Yana (Latin-script transliterations)
        (r"([a-z])\1", r"\1"),  # doubled letters: Gennadiy / Genadiy
        (r"(?<=[^aeiouy])y$", "i"),  # Zelensky / Zelenski, Andriy / Andrii after the above
    )
)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Lower-case ASCII words of a name, single-spaced: the form aliases are looked up by."""
    ascii_name = anyascii(name.replace("’", "'")).lower().replace("'", "")
    return " ".join(_NOT_WORD.split(ascii_name)).strip()


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """One word's transliteration-insensitive key ("zelenskyy", "zelenskiy" -> "zelenski")."""
    key = name_key(word).replace(" ", "")
    for pattern, repl in _SOUND_RULES:
        key = pattern.sub(repl, key)
    return key


def name_words(name: str) -> list[str]:
    return name_key(name).split()


def surname_sound(name: str) -> str:
    words = name_words(name)
    return sound_key(words[-1]) if words else ""


def _first_names_match(a: str, b: str) -> bool:
    """Two first names that may be one person's: the same sound, an initial of the other, a
    short form of it ("Mykhail" / "Mykhailo"), or one letter apart in a long name."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    sa, sb = sound_key(a), sound_key(b)
    if sa == sb:
        return True
    short, long_ = sorted((sa, sb), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2:
        return True
    return min(len(sa), len(sb)) >= 5 and Levenshtein.distance(sa, sb, score_cutoff=1) <= 1


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    sa, sb = sound_key(a), sound_key(b)
    if sa == sb:
        return True
    # One letter apart in a long surname: a typo or a rarer transliteration (Svyrydenko).
    return min(len(sa), len(sb)) >= 7 and Levenshtein.distance(sa, sb, score_cutoff=1) <= 1


def same_person(a: str, b: str) -> bool:
    """Whether two full names (two words or more) can be one person's: the same surname
    (by sound) and compatible first names; middle names and patronymics are ignored."""
    wa, wb = name_words(a), name_words(b)
    if len(wa) < 2 or len(wb) < 2:
        return False
    return _surnames_match(wa[-1], wb[-1]) and _first_names_match(wa[0], wb[0])


__all__ = ["name_key", "name_words", "same_person", "sound_key", "surname_sound"]
