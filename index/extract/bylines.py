"""Bylines of what was said on the record: who speaks in a speech, press conference or interview.

nato.int and governments publish speeches, remarks, statements, press conferences, doorsteps
and interviews under a title that names the form ("Speech by ...", "Pre-ministerial press
conference", "Joint press conference with X and Y", "Interview with X"), often followed by a
line naming the speakers ("by NATO Secretary General Jens Stoltenberg", "with NATO Secretary
General Mark Rutte and the Prime Minister of Sweden, Ulf Kristersson"), a date line
("14 Jun. 2023 -", "Last updated: ...") and a note such as "(As delivered)". `find_byline` reads
them from the title and the first lines of the body; the spoken words start at `Byline.start`.

A document is read as one only when its title (or its first line) names a form: a news
article's "By Jane Doe, Reuters" names its reporter, not a speaker. Every rule here is a
regular expression with bounded repetition, run on the title and a bounded head of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.dates import date_in_text
from . import lexicon as lx
from .speakers import split_role_name
from .transcripts import is_name

# The words that open a form's title ("Opening remarks", "Pre-ministerial press conference").
_MODIFIER = (
    r"(?:opening|closing|introductory|concluding|welcome|welcoming|keynote|joint|online|virtual"
    r"|final|weekly|monthly|annual|special|televised|video|recorded|short|brief|public|official"
    r"|formal|live|full|(?:pre|post|end-of)-[\w\-]{1,30})"
)
_FORM = (
    r"(?P<form>press\s+conference|news\s+conference|press\s+briefing|press\s+point"
    r"|press\s+statement|press\s+remarks|doorstep(?:\s+(?:statement|remarks|interview))?"
    r"|keynote(?:\s+(?:speech|address|remarks))?|video\s+message|speech|remarks|address"
    r"|statements?|briefing|interview|lecture|message|article|op-ed|q\s*&\s*a)"
)
_FORM_RE = re.compile(
    rf"^[ \t\u00a0]*(?:{_MODIFIER}[ \t\u00a0]+){{0,3}}{_FORM}\b(?P<rest>[^\n]*)$",
    re.IGNORECASE,
)
# What each form is called on a record: "original: speech, 17 Feb 2024".
_FORM_NAMES = {
    "keynote": "speech",
    "address": "speech",
    "lecture": "speech",
    "news conference": "press conference",
    "press briefing": "press conference",
    "briefing": "press conference",
    "press point": "press conference",
    "press statement": "statement",
    "statements": "statement",
    "message": "statement",
    "video message": "statement",
    "press remarks": "remarks",
    "doorstep statement": "doorstep",
    "doorstep remarks": "doorstep",
    "doorstep interview": "doorstep",
    "q&a": "interview",
    "op-ed": "article",
}
# Forms that are written, not said, read only with their author right after ("Article by X").
_WRITTEN = frozenset({"article", "op-ed"})
# Forms where several people speak, so "with X and Y" names speakers, not an audience.
_JOINT = frozenset({"press conference", "doorstep", "statement", "remarks"})

# Where the speakers' names end and the occasion starts: "by X ahead of the meeting ...".
_CUT_WORDS = lx.words(
    """
    at ahead to in on during following after before for via from while as over upon about by
    regarding concerning marking into onto under within without
    """
)
_STOP_MARKS = re.compile(r"\s[-–—|]\s|[:;(\[]|\s\u2013|\s\u2014")
# Words that make a phrase an outlet, not a person: "Interview with Rossiya TV".
_OUTLET_WORDS = lx.words(
    """
    tv television radio channel news times post journal agency network broadcasting magazine
    newspaper media press daily gazette herald tribune telegraph guardian observer group
    corporation service company
    """
)
# Notes between the byline and the words: "(As delivered)", "Check against delivery".
_NOTE_RE = re.compile(
    r"^[(\[]?[ \t]*(?:as\s+delivered|as\s+prepared(?:\s+for\s+delivery)?|check\s+against"
    r"\s+delivery|transcript|unofficial\s+translation|translation|video|audio|watch|listen"
    r"|press\s+release)[ \t]*[)\]]?[.:]?$",
    re.IGNORECASE,
)
_DELIVERED_RE = re.compile(
    r"^[(\[]?[ \t]*(?:as\s+delivered|check\s+against\s+delivery|as\s+prepared)", re.IGNORECASE
)
_MARKUP = " \t\u00a0#*_>•|·-–—"
_HEAD_LINES = 14  # lines of the body looked at for the byline and its date
_HEAD_CHARS = 4000
_LINE_CHARS = 400  # a longer line is a paragraph of words, not part of the header


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person a byline names: a name and a role, or a role alone ("the President of ...")."""

    name: str  # "" when the byline gives only a role
    role: str

    @property
    def speaker(self) -> str:
        """How a record names them: the name, else the role as an unnamed source."""
        return self.name or f"the {self.role}"


@dataclass(frozen=True, slots=True)
class Byline:
    form: str  # "speech", "remarks", "statement", "press conference", "doorstep", "interview"
    speakers: tuple[Speaker, ...]  # who speaks (the interviewee of an interview)
    start: int  # where the spoken words start in the body, after the byline's lines
    interviewer: str = ""  # "Interview with Rossiya TV": who asks
    date: str = ""  # ISO date from the byline's date line, "" when none

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.speakers if s.name)


def find_byline(title: str, body: str) -> Byline | None:
    """The byline of a speech, press conference or interview, or None for any other text."""
    form, rest = _form_of(title)
    speakers: tuple[Speaker, ...] = ()
    interviewer = ""
    if form:
        speakers, interviewer = _speakers_of(form, rest)
    start, date = 0, ""
    lines = _head_lines(body)
    delivered = next((k for k, (_, _, line) in enumerate(lines) if _DELIVERED_RE.match(line)), -1)
    for k, (_, hi, line) in enumerate(lines):
        header = False
        if line.casefold() == title.strip().strip(_MARKUP).casefold():
            header = True
        elif _names_someone(" " + line):
            if form and not speakers and not interviewer:
                speakers, interviewer = _speakers_of(form, " " + line)
            header = bool(form)
        elif (
            (line_form := _form_of(line))[0]
            and _names_someone(line_form[1])
            and not line.endswith((".", "!", "?"))
        ):
            if not form or not (speakers or interviewer):
                form = line_form[0]
                speakers, interviewer = _speakers_of(form, line_form[1])
            header = True  # "Speech by ..." repeated at the top, or a photo's caption
        elif _is_date_line(line):
            date = date or date_in_text(line, limit=len(line))
            header = True
        elif _NOTE_RE.match(line) or not any(ch.isalnum() for ch in line):
            header = True
        elif k < delivered:
            header = True  # a caption or a summary before "(As delivered)"
        if not header:
            break
        start = hi
    if not form or (form in _WRITTEN and not speakers):
        return None
    if not speakers and not interviewer:
        return None
    while start < len(body) and body[start].isspace():
        start += 1
    return Byline(form, speakers, start, interviewer, date)


def _head_lines(body: str) -> list[tuple[int, int, str]]:
    """The first non-blank lines of the body: (start, end, text without Markdown marks)."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    limit = min(len(body), _HEAD_CHARS)
    while pos < limit and len(out) < _HEAD_LINES:
        nl = body.find("\n", pos, limit)
        end = limit if nl < 0 else nl
        raw = body[pos:end]
        if len(raw) > _LINE_CHARS:
            break
        line = raw.strip().strip(_MARKUP)
        if line:
            out.append((pos, end, " ".join(line.split())))
        pos = end + 1
    return out


def _form_of(line: str) -> tuple[str, str]:
    """(form, the text after it) when `line` names a form, else ("", "")."""
    line = " ".join(line.strip().strip(_MARKUP).split())[:_LINE_CHARS]
    m = _FORM_RE.match(line)
    if m is None:
        return "", ""
    form = " ".join(m.group("form").lower().split()).replace(" & ", "&")
    return _FORM_NAMES.get(form, form), m.group("rest")


def _names_someone(rest: str) -> bool:
    """Whether the text after a form names people: " by ...", " with ..."."""
    words = rest.split(None, 2)
    return len(words) > 1 and words[0].lower() in ("by", "with")


def _is_date_line(line: str) -> bool:
    """ "14 Jun. 2023 -", "Last updated: 15 Jun. 2023 11:27", "• 14 Jun. 2023 - | ...": a date
    and hardly anything else."""
    if len(line) > 120:
        return False
    if "last updated" in line.lower():
        return True
    if not date_in_text(line, limit=len(line)):
        return False
    words = [w for w in re.findall(r"[A-Za-z]{3,}", line) if w.lower() not in _DATE_WORDS]
    return len(words) <= 3


_DATE_WORDS = lx.words(
    """
    jan january feb february mar march apr april may jun june jul july aug august sep sept
    september oct october nov november dec december monday tuesday wednesday thursday friday
    saturday sunday updated last published date
    """
)


def _speakers_of(form: str, rest: str) -> tuple[tuple[Speaker, ...], str]:
    """The speakers (and an interview's interviewer) named after a form: " by X ahead of ...",
    " with X and Y", " with Rossiya TV"."""
    words = rest.split()
    if not words:
        return (), ""
    lead = words[0].lower()
    if lead == "given" and len(words) > 1 and words[1].lower() == "by":
        words, lead = words[1:], "by"
    if lead not in ("by", "with", "of"):
        return (), ""
    if lead == "of" and form != "interview" and form not in ("speech", "statement"):
        return (), ""
    phrase = " ".join(words[1:])
    stop = _STOP_MARKS.search(phrase)
    if stop is not None:
        phrase = phrase[: stop.start()]
    people, tail = _cut_occasion(phrase.split(), joint=form in _JOINT or form == "interview")
    speakers = tuple(s for s in (_speaker(piece) for piece in people) if s is not None)
    if form != "interview":
        return speakers, ""
    # "Interview with Rossiya TV": an outlet asks; "... with X by Reuters": X answers.
    interviewee = tuple(s for s in speakers if s.name)
    outlets = [" ".join(p) for p in people if _is_outlet(p)]
    if tail and tail[0].lower() in ("by", "to", "for", "on", "with") and len(tail) > 1:
        outlets.append(" ".join(_leading_caps(tail[1:])))
    return interviewee, next((o for o in outlets if o), "")


def _cut_occasion(words: list[str], joint: bool) -> tuple[list[list[str]], list[str]]:
    """The people of a byline phrase, each a list of words, and the words after them.

    "NATO Secretary General Mark Rutte and the Prime Minister of Sweden, Ulf Kristersson
    ahead of ..." -> [[NATO ... Rutte], [the Prime ... Kristersson]]. "and" (and "with" in a
    joint form) separate people when the words before end a name or a role.
    """
    people: list[list[str]] = []
    current: list[str] = []
    for i, w in enumerate(words):
        low = w.lower().strip(",")
        if low in _CUT_WORDS and current and not _role_goes_on(current, words[i + 1 : i + 8]):
            return [*people, current], words[i:]
        joins = low in ("and", "&") or (joint and low == "with")
        if joins and current and _ends_person(current):
            people.append(current)
            current = []
            continue
        current.append(w)
    if current:
        people.append(current)
    return people, []


def _role_goes_on(current: list[str], ahead: list[str]) -> bool:
    """Whether a preposition joins a role to the rest of it rather than starting the occasion:
    "Aide to the President Yury Ushakov following ...", "Permanent Representative to NATO Ann
    Example at ...": the words so far name nobody, and the capitalised words ahead end in a
    name."""
    if _ends_person(current) and not _role_word(current[-1]):
        return False
    run: list[str] = []
    for w in ahead:
        if w.lower() in ("the", "of") and not run:
            continue
        if not (w[:1].isupper() or (run and w.lower() in lx.CONNECTORS)) or w.endswith(","):
            break
        run.append(w)
    _, name = split_role_name(run)
    return _plausible(name) and len(run) > len(name)


def _ends_person(words: list[str]) -> bool:
    """Whether the words so far name a person or a role ("... Mark Rutte", "the President")."""
    last = words[-1].strip(",").lower()
    if last in lx.ROLE_WORDS:
        return True
    role, name = split_role_name([w.strip(",") for w in words])
    return _plausible(name) or (len(name) == 1 and bool(role) and _role_word(role[-1]))


def _speaker(words: list[str]) -> Speaker | None:
    """One person of a byline: "NATO Secretary General Jens Stoltenberg", "the Prime Minister
    of Sweden, Ulf Kristersson", "Ulf Kristersson, Prime Minister of Sweden", "the President of
    Ukraine" (a role alone)."""
    text = " ".join(words).strip(" ,.")
    if text.lower().startswith("the "):
        text = text[4:]
    first, comma, second = text.partition(",")
    if comma:
        a, b = first.split(), second.split()
        if _plausible(b) and _is_role(a):
            return Speaker(" ".join(b), " ".join(_strip_det(a)))
        if _plausible(a) and _is_role(b):
            return Speaker(" ".join(a), " ".join(_strip_det(b)))
        text = first
    role, name = split_role_name(text.split())
    name = [w for w in name if w.lower() not in lx.HONORIFICS]
    if _plausible(name) or (
        len(name) == 1 and role and _role_word(role[-1]) and _plausible([name[0], name[0]])
    ):
        # "President Biden": a role, then a surname
        role_text = " ".join(w for w in role if w.lower() not in lx.HONORIFICS or _role_word(w))
        return Speaker(" ".join(name), role_text)
    words_ = text.split()
    if _is_role(words_) and not _is_outlet(words_):
        return Speaker("", " ".join(_strip_det(words_)))
    return None


def _plausible(name: list[str]) -> bool:
    """Two to four capitalised words that are no role, no outlet and no common word."""
    if not 2 <= len(name) <= 4 or _is_outlet(name) or not is_name(name):
        return False
    return any(len(w.rstrip(".")) > 1 for w in name)


def _role_word(word: str) -> bool:
    return word.lower().strip(",.") in lx.ROLE_WORDS


def _is_role(words: list[str]) -> bool:
    """A role phrase: capitalised words and connectors with at least one role word."""
    if not words or not any(_role_word(w) for w in words):
        return False
    return all(
        w[:1].isupper() or w.lower() in lx.CONNECTORS or w.lower() in ("a", "an") for w in words
    )


def _is_outlet(words: list[str]) -> bool:
    return any(w.lower().strip(",.") in _OUTLET_WORDS for w in words) or any(
        w.isupper() and len(w) >= 2 and w.lower() not in ("nato", "eu", "un") for w in words
    )


def _strip_det(words: list[str]) -> list[str]:
    return words[1:] if words and words[0].lower() in ("the", "a", "an") else words


def _leading_caps(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if not (w[:1].isupper() or (out and w.lower() in lx.CONNECTORS)):
            break
        out.append(w.strip(",."))
    return out
