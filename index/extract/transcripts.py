"""Transcript turns: "Name (Role): words", "Role Name: words" and "Q: words".

Press-conference and meeting transcripts give each turn a label. Each turn becomes a quote of
kind "turn" whose text is the turn's words, up to the next label. Kremlin transcripts, whose
paragraph breaks were collapsed, carry labels inline after a sentence's end and sometimes a
tooltip echo of the name ("Andrei Kostin Kostin AndreiVTB Bank Chairman:"); both are read.

A document counts as a transcript only when it has at least two labelled turns, so a headline
such as "Secretary General: NATO to reaffirm ..." is never taken for a turn; and only when the
labels read like an exchange between people: someone speaks twice, a label gives a role or
asks a question. Headings in the same form ("Veto Power Impedes Peace Efforts: ..."), a
"Question: ... Answer: ..." quip inside a paragraph and tables of figures ("Clinton: 1,769.")
are not transcripts.

`quoted_label` reads the same labels at the start of a quoted paragraph, for articles that
quote a transcript ("WALLACE: ...", "PENCE: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import lexicon as lx
from .speakers import split_role_name

# A label: up to 16 capitalised words or connectors, an optional "(Role)" or "[Outlet]" (a space
# before it or not), then ":" and the words (a space after it or not). It starts a line, maybe
# in Markdown bold ("**Name:**"), or follows a sentence's end. A label that starts a line may
# stand alone on it, its words in the next paragraph. The repetition is bounded, so each start
# position costs at most a few dozen steps.
_WORD = r"(?:[A-Z\u00c0-\u00de\u0400-\u042f][\w'’.\-]{0,40}|of|the|and|for|on|de|to|in|from)"
_LABEL_RE = re.compile(
    r"(?:(?P<line>^[ \t\u00a0]*(?:\*\*|__|\*|_)?)|(?<=[.?!…)\]\"”»*] ))"
    rf"(?P<label>{_WORD}(?: {_WORD}){{0,16}})"
    r"(?:[ \t\u00a0]?[(\[](?P<paren>[^()\[\]\n]{1,100})[)\]])?"
    r"(?:\*\*|__|\*|_)?:(?:\*\*|__|\*|_)?"
    r"(?:[ \t\u00a0]*(?=\S)|(?P<alone>[ \t\u00a0]*(?=\r?\n|\Z)))",
    re.MULTILINE,
)

# The most a label can reach back from its colon: 17 words of up to 41 letters with spaces
# between, "(Role)" and markup. Its line's indentation is found separately.
_LABEL_REACH = 1_000


def _label_matches(body: str, start: int) -> Iterator[re.Match[str]]:
    """`_LABEL_RE.finditer(body, start)`, scanning only the text near a colon (every label has
    one; most of a document has none): the same matches at a third of the cost."""
    end = len(body)
    colon = body.find(":", start)
    while colon >= 0:
        lo = max(start, colon - _LABEL_REACH)
        while lo > start and body[lo - 1] in " \t\u00a0*_":
            lo -= 1  # a label's line may be indented or open with markup: from its start
        # Windows that meet are scanned as one (a match never crosses a line's end after its
        # colon, nor starts farther back than _LABEL_REACH from it).
        hi = colon
        while True:
            line_end = body.find("\n", hi)
            hi = end if line_end < 0 else line_end + 1
            colon = body.find(":", hi)
            if colon < 0 or colon - _LABEL_REACH > hi:
                break
            hi = colon
        yield from _LABEL_RE.finditer(body, lo, hi)


ANONYMOUS_LABELS = {
    "q": "Question",
    "question": "Question",
    "a": "Answer",
    "answer": "Answer",
    "remark": "Remark",
    "reply": "Reply",
    "audience": "Audience",
    "participant": "Participant",
    "journalist": "Journalist",
    "reporter": "Journalist",
    "correspondent": "Journalist",
    "moderator": "Moderator",
    "interpreter": "Interpreter",
}
# Labels whose turn is a question put to the speakers, never their words.
QUESTION_LABELS = frozenset(
    {"q", "question", "journalist", "reporter", "correspondent", "audience"}
)
# Acronyms kept in capitals when a label in capitals is read ("NATO SPOKESPERSON ...").
_ACRONYMS = frozenset({"nato", "eu", "un", "us", "uk", "osce", "isaf", "otan", "ceo", "tv"})


@dataclass(slots=True)
class Turn:
    label_start: int
    start: int  # the turn's words: body[start:end]
    end: int
    name: str  # the speaker as labelled (full name, or "Question" for "Q:")
    role: str
    named: bool
    question: bool = False  # "Q:", "Question (Reuters):": the asker's question
    role_only: bool = False  # "NATO Secretary General:": a role and no name
    alone: bool = False  # the label stands alone on its line


@dataclass(frozen=True, slots=True)
class Label:
    """What a turn label says: who speaks, in which role, and whether it is a question."""

    name: str
    role: str
    named: bool
    question: bool = False
    role_only: bool = False


def find_turns(
    body: str, headline_end: int = 0, known: tuple[str, ...] = (), bylined: bool = False
) -> list[Turn]:
    """The labelled turns of a transcript, in order; [] when the text is not one.

    Labels before `headline_end` (a headline repeated at the top of the body, or a byline) are
    ignored. `known` are full names the document's byline gives: "Stoltenberg:" is then a
    label even before "Jens Stoltenberg:" is seen. In a `bylined` document (a speech, a press
    conference) one label is enough.
    """
    # (where the label's line or markup starts, where its words start, where its turn's
    # words start, what it says, whether it stands alone on its line)
    labels: list[tuple[int, int, int, Label, bool]] = []
    has_role = False  # a label gives a role: "President of Russia Vladimir Putin: ..."
    seen_names: set[str] = set(known)
    for m in _label_matches(body, headline_end):
        at_line = m.group("line") is not None
        alone = m.group("alone") is not None
        if alone and not at_line:
            continue  # "... the following. Reasons:" at a line's end: no turn of its own
        text = m.group("label")
        if at_line and _in_capitals(text):
            text = _from_capitals(text)  # "JENS STOLTENBERG (NATO Secretary General):"
        parsed = _parse_label(text, m.group("paren") or "", at_line)
        if parsed is None:
            continue
        name = parsed.name
        if (
            parsed.named
            and not parsed.question
            and len(name.split()) < 2
            and name not in seen_names
        ):
            # A lone word is a speaker only once the full name has been seen as a label
            # ("Putin:" after "Vladimir Putin:") or the byline gives it.
            full = next((n for n in seen_names if name in (n.split()[-1], n.split()[0])), None)
            if full is None:
                continue
            parsed = Label(full, parsed.role, True, parsed.question)
        if parsed.named and not parsed.question:
            seen_names.add(parsed.name)
        labels.append((m.start(), m.start("label"), m.end(), parsed, alone))
        has_role = has_role or bool(m.group("paren")) or parsed.question or _is_role(parsed.role)
    # A transcript has at least two labels; a speech or press conference (`bylined`) may
    # have one ("Question (Reuters): ..." after the opening remarks).
    if not labels or (len(labels) < 2 and not bylined):
        return []
    if (
        len(labels) == 2
        and not any(label.named for *_, label, _ in labels)
        and "\n" not in body[labels[0][1] : labels[1][0]]
    ):
        return []  # "Question: What do you call ...? Answer: A boy." inside a paragraph
    names = [label.name for *_, label, _ in labels]
    if (
        len(set(names)) == len(names)
        and not has_role
        and all(label.named for *_, label, _ in labels)
        and not any(name in known for name in names)
    ):
        # Nobody speaks twice, none is labelled with a role or asks a question: headings
        # ("Veto Power Impedes Peace Efforts: ..."), not an exchange between people.
        return []
    turns: list[Turn] = []
    for k, (_, lstart, tstart, label, alone) in enumerate(labels):
        tend = labels[k + 1][0] if k + 1 < len(labels) else len(body)
        while tstart < tend and body[tstart].isspace():
            tstart += 1  # a label alone on its line: the words start on the next one
        while tend > tstart and body[tend - 1].isspace():
            tend -= 1
        if tend > tstart:
            turns.append(
                Turn(
                    lstart,
                    tstart,
                    tend,
                    label.name,
                    label.role,
                    label.named,
                    question=label.question,
                    role_only=label.role_only,
                    alone=alone,
                )
            )
    figures = sum(not _says_something(body, t.start, t.end) for t in turns)
    if 2 * figures > len(turns):
        return []  # "Hillary Clinton: 1,769. Bernie Sanders: 1,501.": a table, not a transcript
    return turns


def _is_role(role: str) -> bool:
    return any(w.lower().strip("(),") in lx.ROLE_WORDS for w in role.split())


def _says_something(body: str, start: int, end: int) -> bool:
    """Whether a turn's text has words: "Clinton: 1,769." in a table of figures is no turn."""
    return any(ch.isalpha() for ch in body[start : min(end, start + 200)])


def _in_capitals(label: str) -> bool:
    letters = [ch for ch in label if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _from_capitals(label: str) -> str:
    """ "NATO SECRETARY GENERAL JENS STOLTENBERG" -> "NATO Secretary General Jens Stoltenberg"."""
    out = []
    for w in label.split():
        low = w.lower()
        if low in _ACRONYMS or len(w) == 1:
            out.append(w)
        elif low in lx.CONNECTORS or low in ("of", "the", "and", "for", "to", "in", "on", "from"):
            out.append(low)
        else:
            out.append("-".join(part.capitalize() for part in w.split("-")))
    return " ".join(out)


# A speaker label opening a quoted paragraph: "WALLACE: ...", "Jens Stoltenberg (NATO): ...".
_QUOTED_LABEL_RE = re.compile(
    r"(?P<label>[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,3})"
    r"(?: \((?P<paren>[^()\n]{1,100})\))?:[ \t\u00a0]+(?=\S)"
)


def quoted_label(text: str) -> tuple[str, str, bool, bool] | None:
    """(speaker, role, named, in capitals) when `text`, a quoted paragraph, opens with a
    transcript label ("WALLACE: Let's start ...", "Q: ..."); None otherwise.

    Articles quote transcripts paragraph by paragraph; such a paragraph is a turn of the
    labelled speaker, not a quote of whoever the article last named.
    """
    m = _QUOTED_LABEL_RE.match(text)
    if m is None:
        return None
    label = m.group("label")
    caps = label.replace(" ", "").replace(".", "").isupper()
    if caps:
        label = " ".join(w.capitalize() if len(w) > 1 else w for w in label.split())
    parsed = _parse_label(label, m.group("paren") or "", False)
    if parsed is None:
        return None
    return parsed.name, parsed.role, parsed.named, caps


def _parse_label(label: str, paren: str, at_line: bool) -> Label | None:
    """What a label says, or None when it does not name a speaker.

    `at_line`: the label starts its line, where a role alone ("NATO Secretary General:") is a
    speaker too; inside a paragraph only a name is.
    """
    label = label.strip()
    paren = " ".join(paren.split())
    words = label.split()
    if len(words) > 2 and words[0].lower() in QUESTION_LABELS and words[1] == "from" and not paren:
        asker = words[3:] if words[2].lower() == "the" and len(words) > 3 else words[2:]
        words, paren = words[:1], " ".join(asker)  # "Question from Reuters"
    key = " ".join(words).lower().rstrip(".")
    anon = ANONYMOUS_LABELS.get(key)
    if anon is not None:
        question = key in QUESTION_LABELS
        if not paren or paren[:1].islower():
            return Label(anon, "", False, question)  # "Q:", "Question (retranslated):"
        person, outlet = _person_and_outlet(paren)
        if question:
            return Label(person, outlet, True, True)  # "Question (Reuters):" asked by Reuters
        if is_name(person.split()):
            return Label(person, anon, True)  # "Moderator (Oana Lungescu):"
        return Label(anon, "", False)
    # "Please. Dmitry Peskov": the label starts after a sentence that ends inside the run.
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w.endswith(".") and len(w) > 2 and w.lower() not in lx.HONORIFICS:
            words = words[k + 1 :]
            break
    if not words or words[0].lower() in lx.CONNECTORS or words[0] == "from":
        return None
    label = " ".join(words)
    echo = _echo(words)
    role_extra = ""
    if echo is not None:
        # The Kremlin's tooltip echo gives the name exactly: "Andrei Kostin Kostin Andrei...".
        role_words, name, role_extra = echo
    else:
        role_words, name = split_role_name(words)
    if not name and at_line and not paren and _is_role_phrase(words):
        return Label(label, label, False, role_only=True)  # "NATO Secretary General:"
    if not name or len(name) > 4 or not is_name(name):
        return None
    if paren[:1].islower():
        paren = ""  # "(retranslated)", "(via interpreter)": not a role
    role = paren or " ".join(
        w for w in role_words if w.lower() not in lx.HONORIFICS or w.lower() in lx.ROLE_WORDS
    )
    if not role and role_extra:
        role = role_extra
    name_words = [w for w in name if w.lower() not in lx.HONORIFICS]
    return Label(" ".join(name_words), role, True)


def _echo(words: list[str]) -> tuple[list[str], list[str], str] | None:
    """The Kremlin's tooltip echo of a name, "<role> Andrei Kostin Kostin Andrei<role>":
    (the role's words before it, the name, the text after it), or None."""
    for i in range(len(words) - 3):
        first, last = words[i], words[i + 1]
        if first[:1].isupper() and words[i + 2] == last and words[i + 3].startswith(first):
            after = " ".join([words[i + 3][len(first) :], *words[i + 4 :]]).strip()
            return words[:i], [first, last], after
    return None


def label_only(text: str) -> bool:
    """Whether a paragraph is a turn label and nothing else ("Question (Reuters):")."""
    m = _LABEL_RE.match(text)
    return (
        m is not None
        and m.group("alone") is not None
        and not text[m.end() :].strip()
        and _parse_label(m.group("label"), m.group("paren") or "", True) is not None
    )


def is_name(name: list[str]) -> bool:
    """Capitalised words, none of them in capitals, a role word or a word that is never a
    name: "Jens Stoltenberg", not "Key Points" or "NATO"."""
    if not name:
        return False
    for w in name:
        core = w.replace("-", "").replace("'", "").replace("’", "").rstrip(".,")
        if not core.isalpha() or not core[:1].isupper() or (core.isupper() and len(core) > 1):
            return False
        if core.lower() in lx.NON_NAME_WORDS or core.lower() in lx.ROLE_WORDS:
            return False
    return True


def _is_role_phrase(words: list[str]) -> bool:
    """ "NATO Secretary General", "Prime Minister of Sweden": role words, connectors and
    capitalised words, at least two of them role words."""
    roles = 0
    for w in words:
        low = w.lower().rstrip(".,")
        if low in lx.ROLE_WORDS:
            roles += 1
        elif low not in lx.CONNECTORS and not w[:1].isupper():
            return False
    return roles >= 2 or (roles == 1 and len(words) == 1 and words[0].lower() in _LONE_ROLES)


# Roles that label a turn on their own ("Spokesperson:", "Chairman:").
_LONE_ROLES = frozenset({"spokesperson", "spokesman", "spokeswoman", "chairman", "chair"})


def _person_and_outlet(paren: str) -> tuple[str, str]:
    """ "Teri Schultz, NPR" -> ("Teri Schultz", "NPR"); "Reuters" -> ("Reuters", "")."""
    first, _, rest = paren.partition(",")
    return first.strip(), rest.strip()
