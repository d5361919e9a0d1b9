"""The last step of attribution: one trusted name for each quote's speaker, or "unattributed".

The rules before this one find who the document says spoke, as the document writes it. Here a
speaker becomes one of:
- a person, under the name `people.toml` gives them ("Zelensky" -> "Volodymyr Zelenskyy"), with
  the role the document gives or else the one they held on the document's date;
- a person the taxonomy does not know, when the words read as a person's name;
- an organisation (known, an acronym such as "CNN", or a name ending in "Ministry", "Times");
- unattributed (`named=False`), with the source's words when they describe one ("a senior
  official") and "" when they do not. A pronoun nobody it agrees with was named before, a bare
  title nobody holds in the document, a document word ("The message") whose sender is unknown,
  or a capitalised word that is no name ("Usually", "Economic Forum") is never shown as a
  speaker.

"The message reads: ..." is the sender's: the person a greeting's title or first sentence names
as sending it, else whoever the publishing site speaks for on that date (people.toml `sites`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from . import lexicon as lx
from .names import name_key
from .people import Entity, People
from .speakers import Resolved, SpeakerResolver, split_role_name

# Head nouns of a source that is a text, not a person: its sender is the speaker.
DOCUMENT_WORDS = lx.words(
    """
    message messages statement statements letter letters telegram telegrams greeting greetings
    address text document documents communique communiqué release note appeal congratulations
    condolences post tweet reply
    """
)
# Heads of an organisation's name ("the Foreign Ministry", "The New York Times").
ORGANISATION_HEADS = lx.words(
    """
    ministry ministries office council committee commission agency department service services
    government administration parliament assembly senate congress court bank fund institute
    university party campaign command headquarters corporation company group foundation union
    alliance federation association organisation organization network times post news journal
    tribune herald telegraph guardian gazette press radio television tv channel magazine daily
    weekly review agency kremlin pentagon duma rada police army navy forces staff board
    """
)
_PLURAL_PRONOUNS = frozenset(["they", "we", "i", "you", "it", "them", "us"])
_CONTRACTION = re.compile(r"^(?:i|we|they|he|she|you|it)(?:'|’)(?:m|re|ve|ll|d|s)$", re.I)
_WORD = re.compile(r"[\w'’-]+")
_SCANS = 40  # distinct words looked for one by one before the body is read word by word
_MAX_NAME_WORDS = 5  # a person's name is never longer: only the last words are tried
# Endings of common nouns, adjectives and verb forms, not of names ("Cooperation", "Allied").
_WORD_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ism", "ship", "ied", "ted", "lled")
_SENDS = re.compile(r"\b(?:sent|send|sends|addressed|signed|issued)\b")


@dataclass(slots=True)
class DocumentFacts:
    """What a document says about itself that resolving its speakers needs."""

    body: str
    title: str = ""
    date: str = ""
    url: str = ""
    people: People | None = None
    places: Callable[[str], bool] | None = None
    # Asked of a few words per document: each answered by one scan of the body, remembered;
    # past _SCANS distinct words, every word of the body is read once instead (so a document
    # with thousands of speakers stays linear).
    _asked_lower: dict[str, bool] = field(default_factory=dict)
    _asked_caps: dict[str, int] = field(default_factory=dict)
    _lower_words: frozenset[str] | None = None
    _capitalised: Counter[str] | None = None

    def capitalised(self, word: str) -> int:
        """How often the body writes `word` (capitalised) as a whole word."""
        if self._capitalised is not None:
            return self._capitalised.get(word, 0)
        found = self._asked_caps.get(word)
        if found is None:
            if len(self._asked_caps) >= _SCANS:
                self._read_words()
                return self.capitalised(word)
            found = self._asked_caps[word] = _whole_words(self.body, word)
        return found

    def writes_in_lower_case(self, word: str) -> bool:
        """Whether the body writes `word` (given in lower case) in lower case, as a whole word."""
        if self._lower_words is not None:
            return word in self._lower_words
        found = self._asked_lower.get(word)
        if found is None:
            if len(self._asked_lower) >= _SCANS:
                self._read_words()
                return word in (self._lower_words or ())
            found = self._asked_lower[word] = _whole_words(self.body, word, first=True) > 0
        return found

    def _read_words(self) -> None:
        words = _WORD.findall(self.body)
        self._lower_words = frozenset(w for w in words if w.islower() and w.isalpha())
        self._capitalised = Counter(w for w in words if w[:1].isupper())


def settle(
    resolved: Resolved, facts: DocumentFacts, resolver: SpeakerResolver, *, labelled: bool = False
) -> Resolved:
    """The speaker a quote is credited to, as described in the module's docstring; the source
    that passed the words on (`via`) is named the same way. `labelled`: the name is a
    transcript's label ("Reuters: ..."), a source even when the document writes it once."""
    out = _settle(resolved, facts, resolver, labelled)
    if resolved.via:
        via = _settle(Resolved(resolved.via, "", True), facts, resolver)
        out = Resolved(out.speaker, out.role, out.named, out.person, via.speaker)
    return out


def _settle(
    resolved: Resolved, facts: DocumentFacts, resolver: SpeakerResolver, labelled: bool = False
) -> Resolved:
    text = " ".join(resolved.speaker.split())
    if not text:
        return Resolved("", "", False)
    words = text.split()
    low = [w.lower().strip(".,") for w in words]
    if len(words) == 1 and (low[0] in lx.PRONOUNS or _CONTRACTION.match(low[0])):
        return Resolved("", "", False)  # a pronoun nobody it agrees with was named before
    head = low[-1].removesuffix("'s").removesuffix("’s")
    if head in DOCUMENT_WORDS or (low[0] in ("the", "a", "an") and head in DOCUMENT_WORDS):
        sender = _sender(facts, resolver)
        if sender is not None:
            return sender
        return Resolved(text, "", False)
    if not resolved.named:
        if resolved.person is None and _is_title(low):
            found = resolver.holder(text)
            if found is not None:
                return found
        return Resolved(text, resolved.role, False)  # "a senior official", "the Adviser"
    people = facts.people
    entity = people.lookup(text) if people is not None else None
    if entity is not None:
        return _credit(entity, resolved.role, facts)
    if _names_organisation(words):
        return Resolved(text, resolved.role, True)
    once = len(words) == 1 and not labelled and facts.capitalised(words[0]) <= 1
    if plausible_person(words, facts) and not once:
        return Resolved(text, resolved.role, True)
    # "Economic Issues Oleg Ustenko", "Comrade Vladimir Putin": a name after other words.
    for k in range(max(1, len(words) - _MAX_NAME_WORDS), len(words) - 1):
        tail = words[k:]
        if plausible_person(tail, facts):
            entity = people.lookup(" ".join(tail)) if people is not None else None
            if entity is not None:
                return _credit(entity, resolved.role, facts)
            return Resolved(" ".join(tail), resolved.role, True)
    if _is_title(low):
        found = resolver.holder(text)
        if found is not None:
            return found
    return Resolved(text, "", False)


def _whole_words(body: str, word: str, *, first: bool = False) -> int:
    """How many times `word` stands whole in `body` (with `first`, stop at the first)."""
    count = 0
    n = len(word)
    i = body.find(word)
    while i >= 0:
        before = body[i - 1] if i else " "
        after = body[i + n] if i + n < len(body) else " "
        if not (before.isalnum() or before in _JOINERS) and not (
            after.isalnum() or after in _JOINERS
        ):
            count += 1
            if first:
                break
        i = body.find(word, i + n)
    return count


_JOINERS = "_'’-"


def _credit(entity: Entity, role: str, facts: DocumentFacts) -> Resolved:
    if entity.kind == "organisation":
        return Resolved(entity.name, "", True)
    return Resolved(entity.name, role or entity.role_on(facts.date) if facts.date else role, True)


def _is_title(low: list[str]) -> bool:
    return any(w in lx.ROLE_WORDS or w in lx.ROLE_NOUNS for w in low) and not any(
        w in lx.UNNAMED_HEADS and w not in lx.ROLE_WORDS for w in low
    )


def _names_organisation(words: list[str]) -> bool:
    """An acronym ("CNN", "RIA") or a capitalised name ending in an organisation's head."""
    if len(words) == 1:
        core = words[0].strip(".,").replace(".", "")
        return 2 <= len(core) <= 6 and core.isupper() and core.isalpha()
    last = words[-1].lower().strip(".,")
    return last in ORGANISATION_HEADS and all(
        w[:1].isupper() or w.lower() in lx.CONNECTORS for w in words
    )


def plausible_person(words: list[str], facts: DocumentFacts) -> bool:
    """Whether capitalised words read as a person's name (or a surname alone): none of them a
    place, a role, a word that is never a name, or a word the document also writes in lower
    case ("Killed", "Usually", "Economic Forum")."""
    names = [w for w in words if w.lower().rstrip(".") not in lx.HONORIFICS]
    if not names or len(names) > 5:
        return False
    for w in names:
        core = w.removesuffix("'s").removesuffix("’s").rstrip(".")
        low = core.lower()
        letters = core.replace("-", "").replace("'", "")
        if not (core[:1].isupper() and letters.isalpha()):
            return False
        if low in lx.NON_NAME_WORDS or low in lx.ROLE_WORDS or low in lx.UNNAMED_HEADS:
            return False
        if low.endswith(("ly", "ing", *_WORD_ENDINGS)) and len(low) > 5:
            return False  # "Usually", "Addressing", "Cooperation"
        if facts.places is not None and facts.places(core):
            return False
        if len(core) > 2 and facts.writes_in_lower_case(low):
            return False  # the document writes it in lower case: a word, not a name
    return True


def _sender(facts: DocumentFacts, resolver: SpeakerResolver) -> Resolved | None:
    """Who sent the message a document quotes: the person its title or opening sentence says
    sent it, else whose messages the publishing site carries on that date."""
    for text in (facts.title, _first_sentence(facts.body)):
        m = _SENDS.search(text)
        if m is None:
            continue
        # The capitalised words right before "sent": a role, then a name.
        run = text[: m.start()].split()[-8:]
        k = len(run)
        while k > 0 and run[k - 1][:1].isupper():
            k -= 1
        role, name = split_role_name(run[k:])
        if len(name) < 2:
            continue
        person = resolver.find_full(name)
        if person is not None:
            return Resolved(person.name, person.role, True, person)
        entity = facts.people.lookup(" ".join(name)) if facts.people is not None else None
        if entity is not None:
            return _credit(entity, " ".join(role), facts)
        if plausible_person(name, facts):
            return Resolved(" ".join(name), " ".join(role), True)
    if facts.people is not None and facts.date:
        entity = facts.people.principal(facts.url, facts.date)
        if entity is not None:
            return _credit(entity, "", facts)
    return None


def _first_sentence(body: str) -> str:
    head = body[:400]
    end = head.find(". ")
    return head[: end if end > 0 else len(head)]


def canonical_key(name: str) -> str:
    return name_key(name)


__all__ = ["DocumentFacts", "plausible_person", "settle"]
