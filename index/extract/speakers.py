"""Resolve a speaker's mention to the person the document means, within the document.

A first pass collects the people the document names in full ("NATO Secretary General Jens
Stoltenberg", "President of Ukraine Volodymyr Zelenskyy") with the role they are introduced
with. A mention is then resolved: a surname ("Mr Stoltenberg", "Maxwell") to the full name
given earlier, a role ("the Secretary General", "the Head of State") to the person introduced
with it, a pronoun to the person last quoted or named. Unnamed sources ("a spokesman") stay as
written, with named=False.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import lexicon as lx
from .attribution import Mention, Tok, tokens
from .people import People

# A run of capitalised words, possibly joined by "of", "the", "and" etc. It starts only at the
# start of a word and its words are matched possessively, so a word is read once however long
# it is ("AAAA...", "A.B.C.D...", "Ab-Cd-Ef-..." would otherwise be re-read from each capital:
# quadratic); every repetition needs a space first, so the pattern is linear.
_RUN_RE = re.compile(
    r"[A-Z\u00c0-\u00de\u0400-\u042f](?<![\w'’.\-].)[\w'’.\-]*+"
    r"(?:[ \u00a0](?:(?:of|the|and|for|de|du|da|van|von|der|den|bin|al|el|di|dos|del|-|–)"
    r"[ \u00a0])*+"
    r"[A-Z\u00c0-\u00de\u0400-\u042f][\w'’.\-]*+)+"
)


@dataclass(slots=True)
class Person:
    name: str  # canonical: the fullest name the document gives
    role: str = ""
    first_pos: int = 0
    count: int = 0
    aliases: set[str] = field(default_factory=set)
    order: int = 0  # how many people the document had named before
    gender: str = "?"  # "m", "f", "" when unknown (people.toml); "?" until looked up

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _order(person: Person) -> int:
    return person.order


@dataclass(slots=True)
class Resolved:
    speaker: str
    role: str
    named: bool
    person: Person | None = None
    via: str = ""  # who passed the words on ("according to the ministry")


def _clean(word: str) -> str:
    return word.strip(".,;:").replace("’", "'")


def _possessive_base(word: str) -> str:
    for suf in ("'s", "’s"):
        if word.endswith(suf):
            return word[: -len(suf)]
    return word


def split_role_name(words: list[str]) -> tuple[list[str], list[str]]:
    """Split "President of Ukraine Volodymyr Zelenskyy" into role and name words."""
    k = len(words)
    while k > 0:
        w = words[k - 1]
        low = w.lower().rstrip(".")
        if low in lx.ROLE_WORDS or low in lx.CONNECTORS or w.lower() in lx.HONORIFICS:
            break
        if low in lx.HONORIFICS or not w[:1].isupper():
            break
        k -= 1
    name = words[k:]
    role = words[:k]
    # "Ursula von der Leyen", "Charles de Gaulle": particles inside a name, after a first name.
    j = len(role)
    while j > 0 and role[j - 1] in _NAME_PARTICLES:
        j -= 1
    if name and 0 < j < len(role) and _first_name_like(role[j - 1]):
        name = role[j - 1 :] + name
        role = role[: j - 1]
    # "Republican Donald Trump", "Despite Ted Cruz": a party word or an opening word before
    # a full name.
    while len(name) > 2 and (
        name[0].lower() in lx.PARTY_WORDS or name[0].lower() in lx.NON_NAME_WORDS
    ):
        if name[0].lower() in lx.PARTY_WORDS:
            role = [*role, name[0]]
        name = name[1:]
    # "President of Ukraine Volodymyr Zelenskyy": the word after "of" belongs to the role;
    # in "the President of South Africa" all of it does.
    if role and role[-1].lower() in ("of", "the"):
        if len(name) >= 3:
            role = [*role, name[0]]
            name = name[1:]
        else:
            return words, []
    # After a role, a three-word "name" usually starts with the role's last word
    # ("... United Kingdom Boris Johnson", "... Epidemiology and Microbiology Denis Logunov").
    if role and len(name) >= 3 and not _has_initial(name):
        role = role + name[:-2]
        name = name[-2:]
    # Names are at most four words; longer runs carry organisation words.
    if len(name) > 4:
        role = role + name[:-4]
        name = name[-4:]
    # Strip honorifics and ranks from the role's tail that belong to the name's title.
    while role and role[-1].lower() in lx.HONORIFICS and role[-1].lower() not in lx.ROLE_WORDS:
        role = role[:-1]
    return role, name


_NAME_PARTICLES = lx.words("von van der den de du da di dos del la")


def _first_name_like(word: str) -> bool:
    low = word.lower().rstrip(".")
    return (
        word[:1].isupper()
        and word.isalpha()
        and low not in lx.ROLE_WORDS
        and low not in lx.NON_NAME_WORDS
        and low not in lx.HONORIFICS
    )


def _has_initial(name: list[str]) -> bool:
    return any(len(w.rstrip(".")) == 1 for w in name[1:-1])


def _role_text(role_words: list[str]) -> str:
    """The role part of a name's run, or "" when it is only ranks ("U.S. Army Col.")."""
    if all(w.lower() in lx.HONORIFICS for w in role_words):
        return ""
    words = list(role_words)
    while words and words[0].lower() in lx.HONORIFICS:
        words = words[1:]
    while words and words[-1].lower() in lx.HONORIFICS and words[-1].lower() not in lx.ROLE_WORDS:
        words = words[:-1]
    while words and words[0].lower() in lx.CONNECTORS:
        words = words[1:]
    while words and words[-1].lower() in lx.CONNECTORS:
        words = words[:-1]
    return " ".join(words)


def _plausible_name(name: list[str]) -> bool:
    if not name or len(name) > 4:
        return False
    for w in name:
        core = _possessive_base(w).replace("-", "").replace("'", "").replace("’", "")
        core = core.rstrip(".")
        if not core or not core[:1].isupper():
            return False
        if core.lower() in lx.NON_NAME_WORDS or core.lower() in lx.ROLE_WORDS:
            return False
        if len(core) == 1 and not w.endswith("."):
            return False
        if core.isupper() and len(core) > 2:
            return False  # acronyms: NATO, ISAF
        if not core.isalpha():
            return False
    # A full name has at least one word that is not an initial.
    return any(len(w.rstrip(".")) > 1 for w in name)


def _update_role(person: Person, role: str) -> None:
    """Keep the fullest role: "President of Ukraine" over "President"."""
    if not role:
        return
    if not person.role:
        person.role = role
        return
    old, new = _role_key(person.role), _role_key(role)
    if old < new:
        person.role = role


def _role_key(role: str) -> set[str]:
    low = role.lower().replace("’", "'")
    # "the President's Office" -> "office of the president"
    low = re.sub(r"(\w+)'s (\w+)", r"\2 of \1", low)
    low = low.replace("-", " ")
    for alias, canon in lx.ROLE_SYNONYMS.items():
        if alias in low:
            low = low.replace(alias, canon)
    return {w for w in low.split() if w not in lx.CONNECTORS and w not in ("a", "an")}


class SpeakerResolver:
    """The people of one document and the state needed to resolve pronouns."""

    def __init__(
        self,
        body: str,
        skip: list[tuple[int, int]] | None = None,
        places: Callable[[str], bool] | None = None,
        *,
        people: People | None = None,
        date: str = "",
        url: str = "",
        countries: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self.body = body
        self.places = places
        # people.toml, and the document's date and address: titles nobody in the document
        # holds are resolved to who held them then ("the Russian President" in May 2022).
        self.people_file = people
        self.date = date
        self.url = url
        self.countries = countries
        self.people: list[Person] = []
        self._by_name: dict[str, Person] = {}
        # Each person under the first and last word of their name, so that a surname is
        # looked up without walking every person of a long document.
        self._by_word: dict[str, list[Person]] = {}
        self._collect(skip or [])

    # -- the first pass ---------------------------------------------------------------
    def _collect(self, skip: list[tuple[int, int]]) -> None:
        k = 0
        for m in _RUN_RE.finditer(self.body):
            while k < len(skip) and skip[k][1] <= m.start():
                k += 1
            if k < len(skip) and skip[k][0] <= m.start() < skip[k][1]:
                continue  # inside a quotation: people named there did not speak here
            for name, role, ends in _run_people(m.group(), self.places):
                person = self.add_person(list(name), role, m.start())
                if not person.role and ends:
                    person.role = _appositive_role(self.body, m.end())

    def add_person(self, name_words: list[str], role: str, pos: int) -> Person:
        name_words = [w for w in name_words if w.lower() not in lx.HONORIFICS]
        full = " ".join(name_words)
        person = self._by_name.get(full)
        if person is None:
            # A longer form of a name already seen ("Rafael Torres" / "Col. Rafael Torres").
            for p in self._by_word.get(name_words[-1], ()):
                if p.surname == name_words[-1] and (p.name.endswith(full) or full.endswith(p.name)):
                    person = p
                    if len(full) > len(p.name):
                        self._by_name.pop(p.name, None)
                        p.name = full
                        self._index(p)
                    break
        if person is None:
            person = Person(full, role, pos, order=len(self.people))
            self.people.append(person)
            self._index(person)
        self._by_name[person.name] = person
        person.count += 1
        _update_role(person, role)
        return person

    def gender(self, person: Person) -> str:
        """The person's gender as people.toml gives it ("" when unknown), looked up once."""
        if person.gender == "?":
            entity = self.people_file.lookup(person.name) if self.people_file else None
            person.gender = entity.gender if entity is not None else ""
        return person.gender

    def _index(self, person: Person) -> None:
        parts = person.name.split()
        for word in {parts[0], parts[-1]}:
            bucket = self._by_word.setdefault(word, [])  # in the order people were met
            k = bisect.bisect_left(bucket, person.order, key=_order)
            if k == len(bucket) or bucket[k] is not person:
                bucket.insert(k, person)

    def plausible(self, name: list[str]) -> bool:
        """A person's name: capitalised words, none of them a place or its people."""
        if not _plausible_name(name):
            return False
        return self.places is None or not any(self.places(_possessive_base(w)) for w in name)

    # -- resolution ---------------------------------------------------------------------
    def by_surname(self, word: str) -> Person | None:
        word = _possessive_base(word)
        best: Person | None = None
        for p in self._by_word.get(word, ()):
            parts = p.name.split()
            matches = parts[-1] == word or (len(parts) > 1 and parts[0] == word)
            if matches and (best is None or p.count > best.count):
                best = p
        if best is None and self.people_file is not None and word[:1].isupper():
            # "Mr Zelensky" after "Volodymyr Zelenskyy": one person of people.toml.
            entity = self.people_file.lookup(word)
            if entity is not None and entity.kind == "person":
                best = self.find_full(entity.name.split())
        return best

    def holder(self, title: str) -> Resolved | None:
        """The person who held `title` on the document's date, by people.toml, when the
        document introduces nobody with it: "the Russian President", "the President of
        Ukraine", "the Head of State" on a site that speaks for one. None when unknown or
        ambiguous (or the document has no date)."""
        if self.people_file is None or not self.date:
            return None
        text = _strip_det(" ".join(title.split()))
        words = [w for w in text.split() if not (self.places and self.places(_clean(w)))]
        countries = self.countries(text) if self.countries else ()
        low = " ".join(words).lower().replace("’", "'")
        for alias, canon in lx.ROLE_SYNONYMS.items():
            low = re.sub(rf"\b{re.escape(alias)}\b", canon, low)
        if not any(w in lx.ROLE_WORDS or w in lx.ROLE_NOUNS for w in low.split()):
            return None
        if not countries:
            # On a site that speaks for someone, a bare title is that country's.
            principal = self.people_file.principal(self.url, self.date)
            if principal is not None and self.countries is not None:
                countries = self.countries(principal.role_on(self.date))
        if len(countries) > 1:
            return None
        holders = self.people_file.holders(" ".join([low, *countries]), self.date)
        holders = [e for e in holders if e.kind == "person"]
        if len(holders) != 1:
            return None
        entity = holders[0]
        role = entity.role_on(self.date)
        person = self.find_full(entity.name.split()) or self.add_person(
            entity.name.split(), role, len(self.body)
        )
        person.gender = entity.gender
        return Resolved(person.name, role, True, person)

    def by_role(self, role: str) -> Person | None:
        key = _role_key(role)
        if not any(w in lx.ROLE_WORDS or w in lx.ROLE_NOUNS for w in key):
            return None  # "Ukraine appealed ...": a country, not the President of Ukraine
        best: tuple[int, int, Person] | None = None
        for p in self.people:
            if not p.role:
                continue
            pkey = _role_key(p.role)
            if key <= pkey:
                rank = (len(pkey - key), p.first_pos)
                if best is None or rank < best[:2]:
                    best = (*rank, p)
        return best[2] if best else None

    def resolve(self, mention: Mention) -> Resolved:
        """A name, surname or role to the document's person. Pronouns are resolved by the
        caller, which knows who was last quoted or named (extract._salient); here a pronoun
        stays as written, unnamed."""
        kind = mention.kind
        text = mention.text
        words = text.split()
        if kind in ("unnamed", "pronoun"):
            return Resolved(text, "", False)
        # "Morning Consult's Cameron Easley": the person follows the possessive.
        for k in range(len(words) - 2, -1, -1):
            if words[k].endswith(("'s", "’s")) and k + 1 < len(words):
                words = words[k + 1 :]
                break
        # "Joel Pollak of Breitbart California", "Rep. Tom Cole of Oklahoma": a full name,
        # then where the person is from.
        if "of" in words:
            head = [w for w in words[: words.index("of")] if w.lower() not in lx.HONORIFICS]
            if len(head) >= 2 and self.plausible(head):
                words = words[: words.index("of")]
        role_words, name = split_role_name(words)
        role_text = mention.role or _role_text(role_words)
        name = [_possessive_base(w) for w in name if w.lower() not in lx.HONORIFICS]
        if kind == "name" and name and self.plausible(name):
            if len(name) >= 2:
                p = self.find_full(name)
                if p is None:
                    p = self.add_person(name, role_text, mention.start)
                _update_role(p, mention.role or role_text)
                return Resolved(p.name, mention.role or p.role, True, p)
            p = self.by_surname(name[-1])
            if p is not None:
                return Resolved(p.name, p.role or role_text, True, p)
            return Resolved(name[-1], role_text, True)
        # A role: the person introduced with it, else who held it then.
        stripped = _strip_det(text)
        p = self.by_role(stripped)
        if p is not None:
            return Resolved(p.name, p.role, True, p)
        if kind == "role":
            held = self.holder(stripped)
            if held is not None:
                return held
        if kind == "name" and words:
            # An organisation or a single capitalised word ("CNN", "The New York Post").
            return Resolved(stripped, "", True)
        return Resolved(text, "", False)  # a role nobody was introduced with

    def find_full(self, name: list[str]) -> Person | None:
        full = " ".join(name)
        p = self._by_name.get(full)
        if p is not None:
            return p
        for q in self._by_word.get(name[-1], ()):
            if q.surname == name[-1] and (q.name.endswith(full) or full.endswith(q.name)):
                return q
        return None

    def subject_of(self, toks: list[Tok]) -> Mention | None:
        """The mention a sentence opens with, when it names a person ("Mr Stoltenberg also
        called on ...")."""
        words: list[Tok] = []
        toks = _skip_dateline(toks)
        # "But Sen. Pat Toomey refused ...", "Even HBO comedian John Oliver ...".
        while toks and toks[0].low in _LEADING_CONJUNCTIONS and len(toks) > 1 and toks[1].cap:
            toks = toks[1:]
        # "For his part, the Prime Minister of Canada ...", "First, Trump ...", "Speaking in
        # Salem, New Hampshire, Trump ...": skip opening phrases.
        for _ in range(3):
            if not toks or not self._opens_with_phrase(toks):
                break
            comma = next((k for k, t in enumerate(toks[:30]) if t.text == ","), None)
            if comma is None:
                break
            place = comma >= 2 and toks[comma - 1].cap and toks[comma - 2].low in _PLACE_BEFORE
            toks = toks[comma + 1 :]
            # "Speaking in Salem, New Hampshire, Trump ...": the rest of the place.
            k = 0
            while place and k < len(toks) and k < 3 and toks[k].cap:
                k += 1
            if place and 0 < k < len(toks) and toks[k].text == ",":
                toks = toks[k + 1 :]
        for t in toks[:12]:
            if t.cap or t.low in lx.CONNECTORS or t.low in lx.ROLE_NOUNS:
                words.append(t)
                continue
            break
        while words and words[-1].low in lx.CONNECTORS:
            words.pop()
        if not words:
            if toks and toks[0].low in lx.SUBJECT_PRONOUNS:
                return Mention(toks[0].text, toks[0].start, toks[0].end, "pronoun")
            return None
        text = " ".join(w.text for w in words)
        low0 = _possessive_base(words[0].low)
        if low0 in ("a", "an", "another") and any(
            w.low in lx.ROLE_NOUNS or w.low in lx.UNNAMED_HEADS for w in words[1:]
        ):
            # "A Warren adviser, who spoke on the condition of anonymity, said ...": unnamed.
            return Mention(text, words[0].start, words[-1].end, "unnamed")
        if low0 in lx.NON_NAME_WORDS and low0 != "the":
            return None
        kind = (
            "name"
            if any(
                w.cap
                and w.low not in lx.ROLE_WORDS
                and w.low not in lx.NON_NAME_WORDS
                and w.low not in lx.HONORIFICS
                for w in words
            )
            else "role"
        )
        return Mention(text, words[0].start, words[-1].end, kind)

    def _opens_with_phrase(self, toks: list[Tok]) -> bool:
        """Whether a sentence opens with a phrase before its subject: an opener word, a lone
        adverb or a gerund ("Hastily,", "Continuing to ..."), or a place ("Salem, ...")."""
        first = toks[0]
        nxt = toks[1] if len(toks) > 1 else None
        if first.low in _OPENERS:
            # "First, Trump ...", but not "First Lady Olena Zelenska ...".
            return first.low not in _COMMA_OPENERS or (nxt is not None and nxt.text == ",")
        if not first.cap or self.by_surname(first.text) is not None:
            return False
        if nxt is not None and nxt.text == ",":
            # A place, or a word that is no one's name ("First,", "Hastily,", "Already,").
            return (
                first.low.endswith("ly")
                or first.low in lx.ADVERBS_AUX
                or first.low in lx.NON_NAME_WORDS
                or bool(self.places and self.places(first.text))
            )
        if first.low.endswith(("ing", "ly", "ed")) and nxt is not None and not nxt.cap:
            # "Continuing to explain his perspective, Carson ...", "Shortly after the call
            # ended, Rubio's campaign ...", "Preceded at the lectern by ..., Trump ...".
            return True
        # "New Hampshire, Trump said": a place of several words followed by a comma.
        k = 0
        while k < len(toks) and k < 4 and toks[k].cap:
            k += 1
        return (
            0 < k < len(toks)
            and toks[k].text == ","
            and self.places is not None
            and all(self.places(t.text) for t in toks[:k])
        )


def _skip_dateline(toks: list[Tok]) -> list[Tok]:
    """Tokens after a dateline: "WASHINGTON (AP) —", "Washington (AFP) –"."""
    for k, t in enumerate(toks[:10]):
        if t.text in ("—", "–", "-") and k > 0:
            before = toks[:k]
            if all(w.cap or w.text in "(),." for w in before) and (
                any(w.text == "(" for w in before) or before[0].text.isupper()
            ):
                return toks[k + 1 :]
            return toks
        if not (t.cap or t.text in "(),."):
            return toks
    return toks


_PLACE_BEFORE = lx.words("in at of from near")
_LEADING_CONJUNCTIONS = lx.words("but and so yet still even also then")

# Openers that are so only when a comma follows them.
_COMMA_OPENERS = lx.words(
    """
    first second third finally instead now indeed again still yet likewise nevertheless
    nonetheless otherwise thus therefore hence overall anyway
    """
)

# Words that open an introductory phrase before a sentence's subject.
_OPENERS = lx.words(
    """
    for during in at on regarding after before meanwhile also however moreover then later
    earlier speaking addressing following as with from among besides separately today
    yesterday additionally furthermore in particular commenting according first second third
    finally instead now indeed again still yet likewise nevertheless nonetheless otherwise thus
    therefore hence overall anyway when while if once since although though because until
    """
)


_APPOSITIVE_RE = re.compile(r", (?:the |a |an )?([^,.;:“”\"()\n]{3,90}), ")


def _appositive_role(body: str, pos: int) -> str:
    """The role in ", the task force commander, " right after a name, or ""."""
    m = _APPOSITIVE_RE.match(body, pos)
    if m is None:
        return ""
    phrase = m.group(1).strip()
    words = phrase.lower().split()
    if len(words) > 14 or not any(w in lx.ROLE_NOUNS or w in lx.ROLE_WORDS for w in words):
        return ""
    last = words[-1]
    if not phrase[:1].isupper() and last not in lx.ROLE_NOUNS and last not in lx.UNNAMED_HEADS:
        return ""  # ", special attention will be paid to ..., " is no role
    if words[0] in lx.RELATIVE_PRONOUNS or words[0] in lx.SUBJECT_PRONOUNS:
        return ""
    return phrase


@functools.lru_cache(maxsize=65536)
def _run_people(
    run: str, places: Callable[[str], bool] | None
) -> tuple[tuple[tuple[str, ...], str, bool], ...]:
    """The people a run of capitalised words names: each one's name words, role and whether
    the name ends the run. Cached: the same runs ("President Volodymyr Zelenskyy") come back
    in document after document."""
    run_words = run.split()
    out = []
    for words in _run_pieces(run_words):
        role, name = split_role_name(words)
        if not name and "of" in words[1:]:
            # "Foreign Minister Anna Berg of Estonia": where the person is from.
            cut = len(words) - 1 - words[::-1].index("of")
            role, name = split_role_name(words[:cut])
            words = words[:cut]
        if len(name) < 2 or not _plausible_name(name):
            continue
        if places is not None and any(places(_possessive_base(w)) for w in name):
            continue
        name = [_possessive_base(w) for w in name]
        out.append((tuple(name), _role_text(role), words[-1] == run_words[-1]))
    return tuple(out)


def _run_pieces(words: list[str]) -> list[list[str]]:
    """A run of capitalised words cut where a sentence ends inside it ("Absolutely. Nursultan")
    and where a transcript echoes a name ("Andrei Kostin Kostin AndreiVTB Bank Chairman")."""
    pieces: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        if w.endswith(".") and not _is_abbrev(w):
            cur.append(w[:-1])
            pieces.append(cur)
            cur = []
            continue
        cur.append(w.rstrip(","))
    if cur:
        pieces.append(cur)
    # "President of Romania Klaus Iohannis and Italian Prime Minister Mario Draghi": two
    # people; "President and Chairman of VTB Bank ..." is one role.
    split: list[list[str]] = []
    for piece in pieces:
        start = 0
        for i, w in enumerate(piece):
            if w == "and" and i > start:
                _, name = split_role_name(piece[start:i])
                if len(name) >= 2 and _plausible_name(name):
                    split.append(piece[start:i])
                    start = i + 1
        split.append(piece[start:])
    out: list[list[str]] = []
    for piece in split:
        for i in range(len(piece) - 3):
            a, b, c, d = piece[i : i + 4]
            if a == c == b or (b == c and d.startswith(a) and a != b):
                piece = piece[: i + 2]
                break
        out.append(piece)
    return out


def _is_abbrev(w: str) -> bool:
    return w.lower() in lx.HONORIFICS or (len(w) == 2 and w.endswith("."))


def _strip_det(s: str) -> str:
    for det in ("the ", "The ", "a ", "an ", "A ", "An "):
        if s.startswith(det):
            return s[len(det) :]
    return s


__all__ = ["Person", "Resolved", "SpeakerResolver", "split_role_name", "tokens"]
