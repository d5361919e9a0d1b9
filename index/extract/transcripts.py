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
from dataclasses import dataclass

from . import lexicon as lx
from .speakers import split_role_name

# A label: up to 16 capitalised words or connectors, an optional "(Role)", then ": ". It
# starts a line or follows a sentence's end. The repetition is bounded, so each start
# position costs at most a few dozen steps.
_WORD = r"(?:[A-Z\u00c0-\u00de\u0400-\u042f][\w'’.\-]*|of|the|and|for|on|de|to|in)"
_LABEL_RE = re.compile(
    r"(?:^|(?<=[.?!…)\]\"”»*] ))"
    rf"(?P<label>{_WORD}(?: {_WORD}){{0,16}})"
    r"(?: \((?P<paren>[^()\n]{1,100})\))?"
    r":[ \t\u00a0]+(?=\S)",
    re.MULTILINE,
)
_ECHO_RE = re.compile(
    r"^(?P<pre>.*?)(?P<first>\S+) (?P<last>\S+) (?P=last) (?P=first)(?P<post>.*)$"
)

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
    "moderator": "Moderator",
    "interpreter": "Interpreter",
}


@dataclass(slots=True)
class Turn:
    label_start: int
    start: int  # the turn's words: body[start:end]
    end: int
    name: str  # the speaker as labelled (full name, or "Question" for "Q:")
    role: str
    named: bool


def find_turns(body: str, headline_end: int = 0) -> list[Turn]:
    """The labelled turns of a transcript, in order; [] when the text is not one.

    Labels before `headline_end` (a headline repeated at the top of the body) are ignored.
    """
    labels: list[tuple[int, int, str, str, bool]] = []
    has_role = False  # a label gives a role: "President of Russia Vladimir Putin: ..."
    seen_names: set[str] = set()
    for m in _LABEL_RE.finditer(body, headline_end):
        parsed = _parse_label(m.group("label"), m.group("paren") or "")
        if parsed is None:
            continue
        name, role, named = parsed
        if named and len(name.split()) < 2 and name not in seen_names:
            # A lone word is a speaker only once the full name has been seen as a label
            # ("Putin:" after "Vladimir Putin:").
            full = next((n for n in seen_names if n.split()[-1] == name), None)
            if full is None:
                continue
            name = full
        if named:
            seen_names.add(name)
        labels.append((m.start("label"), m.end(), name, role, named))
        has_role = has_role or bool(m.group("paren")) or _is_role(role)
    if len(labels) < 2:
        return []
    if (
        len(labels) == 2
        and not any(named for *_, named in labels)
        and "\n" not in body[labels[0][0] : labels[1][0]]
    ):
        return []  # "Question: What do you call ...? Answer: A boy." inside a paragraph
    names = [label[2] for label in labels]
    if len(set(names)) == len(names) and not has_role and all(named for *_, named in labels):
        # Nobody speaks twice, none is labelled with a role or asks a question: headings
        # ("Veto Power Impedes Peace Efforts: ..."), not an exchange between people.
        return []
    turns: list[Turn] = []
    for k, (lstart, tstart, name, role, named) in enumerate(labels):
        tend = labels[k + 1][0] if k + 1 < len(labels) else len(body)
        while tend > tstart and body[tend - 1].isspace():
            tend -= 1
        if tend > tstart:
            turns.append(Turn(lstart, tstart, tend, name, role, named))
    figures = sum(not _says_something(body, t.start, t.end) for t in turns)
    if 2 * figures > len(turns):
        return []  # "Hillary Clinton: 1,769. Bernie Sanders: 1,501.": a table, not a transcript
    return turns


def _is_role(role: str) -> bool:
    return any(w.lower().strip("(),") in lx.ROLE_WORDS for w in role.split())


def _says_something(body: str, start: int, end: int) -> bool:
    """Whether a turn's text has words: "Clinton: 1,769." in a table of figures is no turn."""
    return any(ch.isalpha() for ch in body[start : min(end, start + 200)])


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
    parsed = _parse_label(label, m.group("paren") or "")
    if parsed is None:
        return None
    name, role, named = parsed
    return name, role, named, caps


def _parse_label(label: str, paren: str) -> tuple[str, str, bool] | None:
    """(speaker, role, named) for a label, or None when it does not name a speaker."""
    label = label.strip()
    anon = ANONYMOUS_LABELS.get(label.lower().rstrip("."))
    if anon is not None and not paren:
        return anon, "", False
    # "Please. Dmitry Peskov": the label starts after a sentence that ends inside the run.
    words = label.split()
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w.endswith(".") and len(w) > 2 and w.lower() not in lx.HONORIFICS:
            words = words[k + 1 :]
            break
    if not words or words[0].lower() in lx.CONNECTORS:
        return None
    label = " ".join(words)
    echo = _ECHO_RE.match(label)
    role_extra = ""
    if echo is not None and echo.group("first")[:1].isupper():
        # The Kremlin's tooltip echo gives the name exactly: "Andrei Kostin Kostin Andrei...".
        role_words = echo.group("pre").split()
        name = [echo.group("first"), echo.group("last")]
        role_extra = echo.group("post").strip()
    else:
        role_words, name = split_role_name(words)
    if not name or len(name) > 4:
        return None
    for w in name:
        core = w.replace("-", "").replace("'", "").replace("’", "").rstrip(".")
        if not core.isalpha() or not core[:1].isupper() or (core.isupper() and len(core) > 1):
            return None
        if core.lower() in lx.NON_NAME_WORDS or core.lower() in lx.ROLE_WORDS:
            return None
    paren = paren.strip()
    if paren[:1].islower():
        paren = ""  # "(retranslated)", "(via interpreter)": not a role
    role = paren or " ".join(
        w for w in role_words if w.lower() not in lx.HONORIFICS or w.lower() in lx.ROLE_WORDS
    )
    if not role and role_extra:
        role = role_extra
    name_words = [w for w in name if w.lower() not in lx.HONORIFICS]
    return " ".join(name_words), role, True
