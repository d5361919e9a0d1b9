"""Who says each paragraph of a speech or transcript: remarks, turns, questions and answers.

`spoken_passages` reads a document whose byline (bylines.py) names its speakers, or whose turns
are labelled (transcripts.py), and returns every passage said on the record:

- a labelled turn is its label's speaker's (kind "turn"); a label that gives only a role
  ("NATO Secretary General:") or "A:" is the byline's speaker with that role, or the
  interviewee;
- a question ("Q:", "Question (Reuters):", an interviewer's turn) is its asker's (kind
  "question"), and only its own paragraph: the unlabelled paragraphs after it are the answer;
- an unlabelled paragraph (kind "remarks") before the first label, or after a question, is the
  byline speaker's. With several bylined speakers (a joint press conference) it is theirs only
  when the document makes it clear: a paragraph that thanks or addresses one of two speakers
  ("Thank you, Mark.") is the other's, and so are the paragraphs after it; an answer to a
  question put to one of them ("Prime Minister, ...?") is that one's. Otherwise the passage
  names its candidates and no speaker;
- a paragraph that reports on the speakers ("Mr Stoltenberg said ...") is not their words, and
  a document that opens with one is a report about them, not a transcript.

One record per paragraph; a paragraph longer than `LONG_PARAGRAPH` (a transcript whose line
breaks were lost) is cut at sentence ends into passages of about `PASSAGE_CHARS`. Every step is
one pass over its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .bylines import Byline, Speaker
from .sentences import ABBREVIATIONS
from .transcripts import Turn, label_only

LONG_PARAGRAPH = 1500
PASSAGE_CHARS = 1000
_MAX_SENTENCE = 2000  # a longer run without a sentence end is cut at a space
_QUESTION_BLOCKS = 3  # a question runs over at most this many paragraphs
_OPENING_CHARS = 200  # where a paragraph's greeting or address is looked for
_BLANK_LINE = re.compile(r"\n[ \t\u00a0\r]*\n")
_LINE = re.compile(r"[^\n]+")
_BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t\u00a0\r]*\n))+")


@dataclass(slots=True)
class Passage:
    """A passage said on the record, with who said it."""

    start: int  # the words: body[start:end]
    end: int
    context_start: int  # where its label starts (a turn), else `start`
    speaker: str
    role: str
    named: bool
    kind: str  # "turn", "remarks" or "question"
    candidates: tuple[str, ...] = ()  # the bylined speakers it may be, when it is unclear
    turn: Turn | None = None  # the labelled turn it is, to resolve a labelled name
    reply_to: int = -1  # an answer: where the question it answers starts


def spoken_passages(body: str, byline: Byline | None, turns: list[Turn]) -> list[Passage]:
    """Every passage of a speech or transcript, in order (see the module's docstring)."""
    out: list[Passage] = []
    blocks = _blocks(body)
    speakers = byline.speakers if byline else ()
    interview = byline is not None and byline.form == "interview"
    first_label = turns[0].label_start if turns else len(body)
    if byline is not None and speakers:
        opening = _remarks(body, blocks, byline.start, first_label, speakers, None)
        if opening and opening[0].start == _first_words(body, byline.start, first_label):
            out.extend(opening)  # else the document opens by reporting on its speakers
    answerers = speakers or _labelled_speakers(turns)
    interviewees = {s.name for s in speakers if s.name} if interview else set()
    for turn in turns:
        asks = turn.question or (
            bool(interviewees) and turn.named and turn.name not in interviewees
        )
        if not asks:
            out.append(_turn_passage(turn, speakers, answerers))
            continue
        q_end = _question_end(body, blocks, turn.start, turn.end)
        out.append(
            Passage(
                turn.start,
                q_end,
                turn.label_start,
                turn.name,
                turn.role,
                turn.named,
                "question",
                turn=turn,
            )
        )
        if q_end < turn.end:  # the unlabelled answer after the question
            addressed = _addressed(body[turn.start : q_end], answerers, asking=True)
            first = addressed[0] if len(addressed) == 1 else None
            out.extend(_remarks(body, blocks, q_end, turn.end, answerers, first))
    _link_answers(out)
    return out


# Who hosts rather than answers: their turn after a question ends its answer.
_HOSTS = lx.words("moderator spokesperson spokesman spokeswoman interpreter host chair chairman")


def _link_answers(passages: list[Passage]) -> None:
    """Marks each answer with the question it answers: the passages after a question, up to
    the next question or a host's turn ("Moderator: Next question.")."""
    asked = -1
    for p in passages:
        if p.kind == "question":
            asked = p.start
        elif asked >= 0:
            words = {w.lower() for w in (*p.speaker.split(), *p.role.split())}
            if p.kind == "turn" and words & _HOSTS:
                asked = -1
            else:
                p.reply_to = asked


def _first_words(body: str, lo: int, hi: int) -> int:
    """Where the first paragraph with letters starts in body[lo:hi]."""
    for i in range(lo, hi):
        if body[i].isalpha() or body[i] in "“\"'‘«(":
            return i
    return hi


def _blocks(body: str) -> re.Pattern[str]:
    """What separates paragraphs: blank lines when the text has them, else line breaks."""
    return _BLOCK if _BLANK_LINE.search(body) else _LINE


def _turn_passage(
    turn: Turn, speakers: tuple[Speaker, ...], answerers: tuple[Speaker, ...]
) -> Passage:
    """A labelled turn; "NATO Secretary General:" and "A:" become the bylined speaker."""
    passage = Passage(
        turn.start, turn.end, turn.label_start, turn.name, turn.role, turn.named, "turn", turn=turn
    )
    person: Speaker | None = None
    if turn.role_only:
        matching = [s for s in speakers if _same_role(s.role, turn.role)]
        person = matching[0] if len(matching) == 1 else None
    elif not turn.named and turn.name == "Answer":
        person = answerers[0] if len(answerers) == 1 else None
    if person is not None:
        passage.speaker, passage.role, passage.named = (
            person.speaker,
            person.role,
            bool(person.name),
        )
        passage.turn = None
    return passage


def _same_role(a: str, b: str) -> bool:
    """ "NATO Secretary General" and "Secretary General": one role's words within the other's."""
    wa = {w.lower() for w in a.split() if w.lower() not in lx.CONNECTORS}
    wb = {w.lower() for w in b.split() if w.lower() not in lx.CONNECTORS}
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _labelled_speakers(turns: list[Turn]) -> tuple[Speaker, ...]:
    """The named people a transcript's labels give (who may answer an unlabelled answer)."""
    seen: dict[str, Speaker] = {}
    for turn in turns:
        if turn.named and not turn.question and turn.name not in seen:
            seen[turn.name] = Speaker(turn.name, turn.role)
    return tuple(seen.values())


def _question_end(body: str, blocks: re.Pattern[str], start: int, end: int) -> int:
    """Where a question ends: its first paragraph, and the next ones while it has not yet
    asked anything and they do ("I have two questions." / "First, will ...?")."""
    q_end = start
    seen = 0
    for m in blocks.finditer(body, start, end):
        text = m.group().strip()
        if not text:
            continue
        if seen and (_asks(body[start:q_end]) or not _asks(text) or seen >= _QUESTION_BLOCKS):
            break
        seen += 1
        q_end = m.start() + len(m.group().rstrip())
    return q_end if q_end > start else end


def _asks(text: str) -> bool:
    return text.rstrip(' \t\n"”’»)').endswith("?")


def _remarks(
    body: str,
    blocks: re.Pattern[str],
    lo: int,
    hi: int,
    speakers: tuple[Speaker, ...],
    first: Speaker | None,
) -> list[Passage]:
    """The unlabelled paragraphs in body[lo:hi], each as the remarks of its speaker."""
    out: list[Passage] = []
    current = first if first is not None else (speakers[0] if len(speakers) == 1 else None)
    narration = _narration(speakers)
    for m in blocks.finditer(body, lo, hi):
        a, b = m.start(), m.end()
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if not _has_letters(body, a, b):
            continue
        if b - a < 200 and (label_only(body[a:b]) or _QA_HEADING.match(body, a, b)):
            continue  # a label with nothing after it, or the heading "Q&A"
        if len(speakers) > 1:
            addressed = _addressed(body[a : min(b, a + _OPENING_CHARS)], speakers, asking=False)
            if len(addressed) == 1 and len(speakers) == 2:
                current = next(s for s in speakers if s is not addressed[0])
        for start, end in _passages(body, a, b):
            if narration is not None and narration.search(body, start, end):
                continue  # "Mr Stoltenberg said ...": about the speech, not its words
            if current is not None:
                out.append(
                    Passage(
                        start,
                        end,
                        start,
                        current.speaker,
                        current.role,
                        bool(current.name),
                        "remarks",
                    )
                )
            else:
                names = tuple(s.speaker for s in speakers)
                out.append(Passage(start, end, start, "", "", False, "remarks", names))
    return out


_QA_HEADING = re.compile(
    r"[*_#\s]*(?:Q\s*&\s*A|Questions?\s+(?:and|&)\s+answers?)[*_\s]*:?[*_\s]*$", re.IGNORECASE
)


def _has_letters(body: str, a: int, b: int) -> bool:
    return any(ch.isalpha() for ch in body[a : min(b, a + 200)])


def _narration(speakers: tuple[Speaker, ...]) -> re.Pattern[str] | None:
    """What marks a passage as a report about the speakers rather than their words: a lone
    speaker named at all (nobody calls themselves "Mr Stoltenberg"); one of several named as
    the subject of a reporting verb ("Prime Minister Kristersson said ...")."""
    surnames = [re.escape(s.name.split()[-1]) for s in speakers if s.name]
    if not surnames:
        return None
    names = "|".join(surnames)
    if len(speakers) == 1:
        return re.compile(rf"\b(?:{names})\b")
    verbs = "|".join(sorted(_REPORTED))
    return re.compile(rf"\b(?:{names})\b[^.!?\n]{{0,60}}?\b(?:{verbs})\b")


_REPORTED = lx.words(
    """
    said says added adds told tells stressed stresses noted notes underlined warned stated
    explained announced recalled insisted declared concluded urged emphasised emphasized
    highlighted briefed met welcomed thanked
    """
)


# A sentence's end: its mark, closing quotes, space, and a capital (or an opening mark) next.
_SENTENCE_END = re.compile(
    r"[.!?…][\"”’»)\]]*[ \t\u00a0]+(?=[A-Z\u00c0-\u00de\u0400-\u042f\"“‘«(\d])"
)


def _passages(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """A paragraph as one passage, or a long one cut into passages of about PASSAGE_CHARS at
    sentence ends (at a space, or anywhere, when a window has none). One pass over the text."""
    if b - a <= LONG_PARAGRAPH:
        return [(a, b)]
    out: list[tuple[int, int]] = []
    cur = a
    while b - cur > LONG_PARAGRAPH:
        target = cur + PASSAGE_CHARS
        cut = -1
        for m in _SENTENCE_END.finditer(body, cur + PASSAGE_CHARS // 2, cur + _MAX_SENTENCE):
            if not _after_abbreviation(body, m.start()):
                cut = m.end()
                if cut >= target:
                    break
        if cut < 0:
            space = body.rfind(" ", cur + PASSAGE_CHARS // 2, cur + _MAX_SENTENCE)
            cut = space + 1 if space > cur else cur + _MAX_SENTENCE
        end = cut
        while end > cur and body[end - 1].isspace():
            end -= 1
        out.append((cur, end))
        cur = cut
        while cur < b and body[cur].isspace():
            cur += 1
    if cur < b:
        out.append((cur, b))
    return out


def _after_abbreviation(body: str, dot: int) -> bool:
    """ "Mr.", "U.S.", "W.": a full stop that ends no sentence."""
    if body[dot] != ".":
        return False
    lo = max(0, dot - 12)
    i = dot
    while i > lo and (body[i - 1].isalpha() or body[i - 1] == "."):
        i -= 1
    word = body[i:dot].lower()
    return len(word) == 1 or word in ABBREVIATIONS


# Words before a speaker that address them: "Thank you, Mark", "Prime Minister, dear Ulf".
_CUE = (
    r"(?:^|[,.!;:]\s*|\b(?:dear|thank\s+you(?:\s+(?:very\s+|so\s+)?much)?|thanks|welcome"
    r"|hello|good\s+(?:morning|afternoon|evening))\s*,?\s*)"
    r"(?:(?:dear|mr\.?|mrs\.?|ms\.?|madam|mister)\s+)?"
)
_ASK_CUE = r"(?:\b(?:for|to|ask|and)\s+(?:the\s+)?)"


def _addressed(text: str, speakers: tuple[Speaker, ...], asking: bool) -> list[Speaker]:
    """The speakers `text` addresses by name or role ("Thank you, Mark.", "Secretary General,
    ..."); a question (`asking`) also names whom it is for ("... for the Prime Minister")."""
    found = []
    for s in speakers:
        names = _address_words(s)
        if not names:
            continue
        alternatives = "|".join(re.escape(n) for n in names)
        cue = f"(?:{_CUE}|{_ASK_CUE})" if asking else _CUE
        pattern = rf"{cue}(?:{alternatives})\b(?!\s+[A-Z])\s*(?:[,.!?:;]|$)"
        if re.search(pattern, text, re.IGNORECASE if asking else 0):
            found.append(s)
    return found


def _address_words(s: Speaker) -> list[str]:
    """How a speaker is addressed: first name, surname, full name, and the role's head
    ("Prime Minister" of "Prime Minister of Sweden", "Secretary General" of "NATO ...")."""
    words: list[str] = []
    if s.name:
        parts = s.name.split()
        words += [s.name, parts[-1]] + ([parts[0]] if len(parts) > 1 else [])
    role = s.role.split(" of ")[0].split()
    while role and (role[0].isupper() or role[0].lower() in ("the", "a")):
        role = role[1:]  # "NATO Secretary General" -> "Secretary General"
    if role and any(w.lower() in lx.ROLE_WORDS for w in role):
        words.append(" ".join(role))
    return sorted(set(words), key=len, reverse=True)


# Greetings and procedural lines: kept, never first in a search or a speaker's view.
_PROCEDURAL_WORDS = lx.words(
    """
    thank thanks you very much so good morning afternoon evening day everyone everybody all
    ladies gentlemen dear friends colleagues welcome hello hi next question questions please go
    ahead floor over to the a an for of time one more last final that's that is it this we
    have let's let me i i'll will take start begin now with first then back your our my on
    behalf sir madam mr mrs ms excellencies excellency distinguished guests members
    honourable honorable greetings goodbye bye again indeed really great pleasure be here it's
    okay ok right can could may give word turn see pass passing inviting invitation
    having hosting opportunity kind introduction few some us me
    """
)
_PROCEDURAL_HEADS = lx.words(
    """
    thank thanks morning afternoon evening welcome hello greetings question questions floor
    please ladies gentlemen goodbye bye dear excellencies
    """
)
_PROCEDURAL_MAX_WORDS = 12


def is_procedural(text: str) -> bool:
    """A greeting or a procedural line: "Thank you.", "Good morning.", "Next question,
    Reuters.", "Ladies and gentlemen." Short, made of courtesy words and names only."""
    if len(text) > 120:
        return False
    words = re.findall(r"[\w'’]+", text)
    if not words or len(words) > _PROCEDURAL_MAX_WORDS:
        return False
    heads = 0
    for w in words:
        low = w.lower().replace("’", "'")
        if low in _PROCEDURAL_HEADS:
            heads += 1
        elif low not in _PROCEDURAL_WORDS and not w[:1].isupper():
            return False
    return heads > 0
