"""From a document, every quotation with its speaker, role, context and tags.

The pipeline, each step in its own module:
1. bylines.py reads the byline of a speech, press conference or interview ("Speech by ...",
   "by NATO Secretary General ..."); transcripts.py finds labelled turns ("Vladimir Putin:
   ...", "Q: ..."); remarks.py gives every passage said on the record its speaker: turns,
   questions (the asker's) and unlabelled paragraphs (the byline speaker's remarks).
2. quote_marks.py finds the spans between quotation marks (outside those passages).
3. sentences.py cuts paragraphs into sentences without cutting inside a quotation.
4. attribution.py finds, per sentence, the reporting verbs and the speaker mention of each.
5. speakers.py resolves a mention to the document's person (surname, role, pronoun).
6. Each quote is tagged (tagging.py) from its own sentence; when that names no place, from the
   closest earlier sentence of its paragraph that does.

Spans nobody is said to have said (scare quotes, names of things) are dropped, and so are titles
of shows, books and articles (ABC's “This Week”) even when the sentence has a speaker. A quoted
paragraph that opens with a transcript label ("WALLACE: ...") is the labelled speaker's; an
excerpt quoted paragraph by paragraph in straight marks also yields the curly-marked quotes
inside it, attributed from the excerpt's own sentences.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..api import DocumentSkipped
from ..model import Document, Quote, QuoteKind
from ..tagging.tagger import Tagger, Tags
from . import lexicon as lx
from .attribution import (
    Attribution,
    Mention,
    backward_mention,
    dash_mention,
    find_attributions,
    tokens,
)
from .bylines import find_byline
from .identity import DocumentFacts, settle
from .people import People
from .quote_marks import QuoteSpan, find_quote_spans
from .remarks import Passage, is_procedural, spoken_passages
from .sentences import paragraphs, sentences
from .speakers import Person, Resolved, SpeakerResolver
from .transcripts import find_turns, quoted_label

# A quotation left without attribution is kept only when it reads like speech.
_TURN_CONTEXT_CHARS = 600
# The context kept with a quote: its sentence, but at most this much on either side of it, so
# that a document with no full stops (a transcript, one long line) does not store itself again
# with every quote. The index then grows with the documents, not with quotes times sentences.
CONTEXT_CHARS = 300
# Bounds on one document's extraction, so that one hostile or broken document costs the user a
# skipped document, never a hung or exhausted index run. The longest real transcripts are a few
# hundred thousand characters; extraction takes about a second and 10-25 MB of memory a million
# characters, so a document at the bound costs well under a minute and a gigabyte.
MAX_DOCUMENT_CHARS = 25_000_000
MAX_SECONDS = 60.0
# (deadline on the monotonic clock, the limit in seconds) of the extraction running here
_deadline: ContextVar[tuple[float, float]] = ContextVar("deadline", default=(math.inf, math.inf))


@dataclass(slots=True)
class Found:
    """A quote before tagging: offsets, speaker and the sentence around it."""

    start: int
    end: int
    resolved: Resolved
    kind: str
    ctx_start: int
    ctx_end: int
    para_start: int
    sentences_before: list[tuple[int, int]]  # earlier sentences of the paragraph, in order
    candidates: tuple[str, ...] = ()  # an unclear speaker's candidates (Quote.candidates)
    form: str = ""  # the transcript's form (Quote.form)
    date: str = ""  # the byline's date, for a document that has none of its own
    reply_to: int = -1  # an answer: where its question starts (Quote.reply_to)


def extract_quotes(
    doc: Document,
    tagger: Tagger | None = None,
    people: People | None = None,
    *,
    time_limit: float | None = None,
) -> list[Quote]:
    """All quotes of `doc`, sorted by start. `body[q.start:q.end] == q.text` for each.

    Speakers are named as `people` (default: the user's people.toml, else the shipped one)
    names them. Raises DocumentSkipped for a document longer than MAX_DOCUMENT_CHARS, or one
    whose extraction runs past `time_limit` seconds (MAX_SECONDS by default; checked between
    sentences and quotes).
    """
    if time_limit is None:
        time_limit = MAX_SECONDS
    if len(doc.body) > MAX_DOCUMENT_CHARS:
        raise DocumentSkipped(
            f"document too long ({len(doc.body):,} characters, limit {MAX_DOCUMENT_CHARS:,})"
        )
    if tagger is None:
        tagger = Tagger.default()
    if people is None:
        people = People.default()
    body = doc.body
    cache = _TagCache(body, tagger)
    token = _deadline.set((time.monotonic() + time_limit, time_limit))
    try:
        places, countries = _place_words(tagger)
        facts = DocumentFacts(body, doc.title, doc.date, doc.url, people, places)
        found = find_quotes(body, doc.title, places, facts, countries)
        out = []
        for f in found:
            _check_time()
            out.append(_to_quote(doc, f, tagger, cache))
        return out
    finally:
        _deadline.reset(token)


def _check_time() -> None:
    """Raise DocumentSkipped once the running extraction is past its time limit."""
    deadline, limit = _deadline.get()
    if time.monotonic() > deadline:
        raise DocumentSkipped(f"quotes not extracted: over {limit:g} s, the limit per document")


_PLACE_WORDS: dict[int, tuple[Callable[[str], bool], Callable[[str], tuple[str, ...]]]] = {}


def _place_words(
    tagger: Tagger,
) -> tuple[Callable[[str], bool], Callable[[str], tuple[str, ...]]]:
    """Whether a capitalised word names a place or its people ("Ukraine", "Latvian"), so that
    "Dear Latvian" or "Kingdom Boris Johnson" are not taken for names; and the countries a
    title names ("the Polish President"). Cached per tagger."""
    cached = _PLACE_WORDS.get(id(tagger))
    if cached is not None:
        return cached

    @functools.lru_cache(maxsize=8192)
    def test(word: str) -> bool:
        tags = tagger.tag(word)
        return bool(tags.countries or tags.regions)

    @functools.lru_cache(maxsize=4096)
    def countries(text: str) -> tuple[str, ...]:
        return tagger.tag(text).countries

    _PLACE_WORDS.clear()
    _PLACE_WORDS[id(tagger)] = (test, countries)
    return test, countries


def find_quotes(
    body: str,
    title: str = "",
    places: Callable[[str], bool] | None = None,
    facts: DocumentFacts | None = None,
    countries: Callable[[str], tuple[str, ...]] | None = None,
) -> list[Found]:
    """The quotes of a body with their speakers, untagged.

    When the body repeats the title as its first line, quotation marks in that headline are
    not quotes: headlines trim and paraphrase ("Trump: Cruz Has ‘To Come a Long Way’").
    With `facts` (the document's date, address and people.toml), speakers are settled to one
    trusted name or marked unattributed (identity.py).
    """
    if not body or not body.strip():
        return []
    headline_end = _headline_end(body, title)
    byline = find_byline(title, body)
    head = max(headline_end, byline.start if byline is not None else 0)
    turns = (
        find_turns(body, head, byline.names, bylined=True)
        if byline is not None
        else find_turns(body, head)
    )
    passages = spoken_passages(body, byline, turns) if turns or byline is not None else []
    spans = find_quote_spans(body)
    if head:
        spans = [s for s in spans if s.start >= head]
    # Quotation marks inside a turn are the turn's words; inside remarks, a quote the speaker
    # cites ("As Winston Churchill said, ...") is kept when it names whom it cites.
    spoken = sorted((p.context_start, p.end) for p in passages if p.kind != "remarks")
    cited = sorted((p.start, p.end) for p in passages if p.kind == "remarks")
    if spoken:
        spans = [s for s in spans if not _in_ranges(spoken, s.start)]
    if not spans and not passages:
        return []
    extents = [(s.start - 1, s.end + (1 if s.close_mark else 0)) for s in spans]
    if headline_end:
        extents.insert(0, (0, headline_end))  # people in a headline are paraphrase
    form = byline.form if byline is not None else "transcript"
    date = byline.date if byline is not None else ""
    if facts is None:
        facts = DocumentFacts(body, title, places=places)

    def resolver_of(text: str, skip: list[tuple[int, int]]) -> SpeakerResolver:
        return SpeakerResolver(
            text,
            skip=skip,
            places=places,
            people=facts.people,
            date=facts.date or date,
            url=facts.url,
            countries=countries,
        )

    if not spans and not any(t.named and not t.question for t in turns):
        # A speech: nobody to resolve; its speaker is still named as people.toml names them.
        out = _spoken_quotes(passages, None, form, date)
        settler = resolver_of("", [])
        for f in out:
            f.resolved = settle(f.resolved, facts, settler, labelled=True)
        return out
    resolver = resolver_of(body, extents)
    if byline is not None:
        for speaker in byline.speakers:
            if len(speaker.name.split()) > 1:
                resolver.add_person(speaker.name.split(), speaker.role, 0)
    for t in turns:
        if t.named and not t.question:
            resolver.add_person(t.name.split(), t.role, t.label_start)
    out = _spoken_quotes(passages, resolver, form, date)
    out.extend(_mark_quotes(body, spans, spoken, resolver, head, cited=cited))
    for span in spans:
        inner = _excerpt_quotes(span)
        if inner:
            out.extend(_mark_quotes(body, inner, [], resolver, regions=[(span.start, span.end)]))
    out.sort(key=lambda f: (f.start, f.end))
    for f in out:
        f.resolved = settle(f.resolved, facts, resolver, labelled=f.kind != "quote")
    return out


def _excerpt_quotes(span: QuoteSpan) -> list[QuoteSpan]:
    """The quotes inside a quoted excerpt: a passage of several paragraphs, each opened with
    straight marks, that quotes people with curly ones (or the other way round) —
    `"Trump tried to laugh it off by interjecting, “Only Rosie O’Donnell.”`. Those inner
    quotes are their speakers' words, not the excerpt's, so they are returned too."""
    if not (span.runs_on or span.continued) or not span.nested:
        return []
    if span.open_mark == '"':
        return [c for c in span.nested if c.open_mark in "“„«"]
    if span.open_mark in "“„«":
        return [c for c in span.nested if c.open_mark == '"']
    return []


def _headline_end(body: str, title: str) -> int:
    """End of the body's first line when that line is the title, else 0."""
    title = title.strip()
    if not title or _LINE_BREAK.search(title):
        return 0  # a headline is one line
    stripped = body.lstrip()
    if not stripped.startswith(title):
        return 0
    m = _LINE_BREAK.search(body, len(body) - len(stripped))
    return m.start() if m is not None and m.start() > 0 else 0


_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def _in_ranges(ranges: list[tuple[int, int]], pos: int) -> bool:
    """Whether `pos` falls in one of the sorted, disjoint (start, end) ranges."""
    k = bisect.bisect_right(ranges, pos, key=_first) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def _first(pair: tuple[int, int]) -> int:
    return pair[0]


def _spoken_quotes(
    passages: list[Passage], resolver: SpeakerResolver | None, form: str, date: str
) -> list[Found]:
    """A transcript's passages as quotes; a labelled name is resolved to the document's person."""
    out: list[Found] = []
    label_roles: dict[str, str] = {}  # the role a speaker's first labelled turn gives
    for p in passages:
        if p.turn is not None and p.turn.named and p.turn.role:
            label_roles.setdefault(p.turn.name, p.turn.role)
    for p in passages:
        t = p.turn
        if t is not None and t.named and p.kind == "turn" and resolver is not None:
            person = resolver.find_full(t.name.split())
            role = label_roles.get(t.name) or (person.role if person else "")
            name = person.name if person else t.name
            resolved = Resolved(name, role, True, person)
        else:
            resolved = Resolved(p.speaker, p.role, p.named)
        ctx_end = min(p.end, p.start + _TURN_CONTEXT_CHARS)
        out.append(
            Found(
                p.start,
                p.end,
                resolved,
                p.kind,
                p.context_start,
                ctx_end,
                p.start,
                [],
                candidates=p.candidates,
                form=form,
                date=date,
                reply_to=p.reply_to,
            )
        )
    return out


@dataclass(slots=True)
class _Sentence:
    lo: int
    hi: int
    para: int  # index of its paragraph
    spans: list[QuoteSpan]
    _atts: list[Attribution] | None = None
    _subject: Mention | None = None
    _subject_done: bool = False
    _people: list[tuple[int, Person]] | None = None
    quoted: list[tuple[int, Person]] = field(default_factory=list)  # its attributed quotes
    heading: bool = False  # a headline or subheading: names people, says nothing

    def atts(self, body: str) -> list[Attribution]:
        if self._atts is None:
            ext = [(s.start - 1, s.end + 1) for s in self.spans]
            self._atts = find_attributions(body, self.lo, self.hi, ext)
        return self._atts

    def subject(self, body: str, resolver: SpeakerResolver) -> Mention | None:
        """The mention the sentence opens with ("Mr Stoltenberg also called on ...")."""
        if not self._subject_done:
            self._subject_done = True
            if self.heading:
                return None
            if not (self.spans and self.spans[0].start - 1 <= self.lo):
                toks = tokens(body, self.lo, min(self.hi, self.lo + 200))
                self._subject = resolver.subject_of(toks)
        return self._subject

    def people(self, body: str, resolver: SpeakerResolver) -> list[tuple[int, Person]]:
        """The people this sentence names as its subject or as a reporting verb's speaker."""
        if self._people is None:
            found: list[tuple[int, Person]] = []
            if self.heading:
                self._people = found
                return found
            mentions = [a.mention for a in self.atts(body) if a.mention is not None]
            subject = self.subject(body, resolver)
            if subject is not None:
                mentions.append(subject)
            for m in mentions:
                if m.kind in ("name", "role"):
                    res = resolver.resolve(m)
                    if res.person is not None:
                        found.append((m.start, res.person))
            self._people = found
        return self._people


_SALIENCE_WINDOW = 40  # sentences a pronoun may look back


def _salient(
    body: str,
    sents: list[_Sentence],
    si: int,
    pos: int,
    resolver: SpeakerResolver,
    pronoun: str = "",
) -> Person | None:
    """The person last quoted or named before `pos` that `pronoun` agrees with ("he" is not
    a woman people.toml knows; "they", "we", "I" are no one person)."""
    pronoun = pronoun.lower()
    if pronoun in _NOT_ONE_PERSON:
        return None
    unlike = {"he": "f", "him": "f", "she": "m", "her": "m"}.get(pronoun, "")
    for j in range(si, max(-1, si - _SALIENCE_WINDOW), -1):
        sent = sents[j]
        best: tuple[int, Person] | None = None
        for cand in (*sent.people(body, resolver), *sent.quoted):
            if unlike and resolver.gender(cand[1]) == unlike:
                continue
            if cand[0] < pos and (best is None or cand[0] >= best[0]):
                best = cand
        if best is not None:
            return best[1]
    return None


_NOT_ONE_PERSON = frozenset(["they", "them", "we", "us", "i", "you", "it"])


def _is_heading(body: str, lo: int, hi: int) -> bool:
    """A short paragraph with no sentence punctuation at its end: a (sub)heading."""
    text = body[lo:hi]
    return len(text.split()) <= 10 and text.rstrip()[-1:] not in ".!?:\"”’»'"


def _mark_quotes(
    body: str,
    spans: list[QuoteSpan],
    spoken: list[tuple[int, int]],
    resolver: SpeakerResolver,
    headline_end: int = 0,
    regions: list[tuple[int, int]] | None = None,
    cited: list[tuple[int, int]] | None = None,
) -> list[Found]:
    """The quotes among `spans`, read sentence by sentence through the body's paragraphs (or
    through `regions` instead, such as the inside of a quoted excerpt). Sentences inside the
    `spoken` ranges (sorted: a transcript's turns) are the transcript's, not quotes; inside the
    `cited` ones (a speech's remarks), only quotes of a person named in the speech are."""
    if not spans:
        return []
    protected = [(s.start, s.end) for s in spans]
    sents: list[_Sentence] = []
    k = 0
    for p_index, (plo, phi) in enumerate(paragraphs(body) if regions is None else regions):
        heading = plo < headline_end or _is_heading(body, plo, phi)
        for lo, hi in sentences(body, plo, phi, protected):
            inner: list[QuoteSpan] = []
            while k < len(spans) and spans[k].start < hi:
                if spans[k].start >= lo - 1:
                    inner.append(spans[k])
                k += 1
            sents.append(_Sentence(lo, hi, p_index, inner, heading=heading))

    out: list[Found] = []
    prev_found: tuple[int, Found] | None = None  # (sentence index, quote) of the last quote
    for si, sent in enumerate(sents):
        if not sent.spans or (spoken and _in_ranges(spoken, sent.lo)):
            continue
        _check_time()
        for span in sent.spans:
            resolved, strength = _attribute(body, sents, si, span, prev_found, resolver)
            if resolved is None or not _keep(body, span, strength):
                continue
            in_remarks = cited is not None and _in_ranges(cited, span.start)
            if in_remarks and not _cites(body, sents, si, resolved, strength):
                continue
            if resolved.person is not None:
                sent.quoted.append((span.start, resolved.person))
            before = [(s.lo, s.hi) for s in sents[max(0, si - 8) : si] if s.para == sent.para]
            para_start = before[0][0] if before else sent.lo
            ctx = (min(sent.lo, span.start), max(sent.hi, span.end))
            f = Found(span.start, span.end, resolved, "quote", *ctx, para_start, before)
            out.append(f)
            prev_found = (si, f)
    return out


def _cites(body: str, sents: list[_Sentence], si: int, resolved: Resolved, strength: str) -> bool:
    """Whether a quotation inside a speech cites someone the speech names, by name, in the
    quotation's sentence or the one before it in its paragraph ("President Harriet Example told
    a crowd: ..."); "we call it our “shield”" cites nobody."""
    person = resolved.person
    if person is None or strength not in ("own", "lead-in", "carried"):
        return False
    sent = sents[si]
    lo = sents[si - 1].lo if si and sents[si - 1].para == sent.para else sent.lo
    return person.surname in body[lo : sent.hi]


def _resolve(
    body: str,
    sents: list[_Sentence],
    si: int,
    mention: Mention,
    pos: int,
    resolver: SpeakerResolver,
) -> Resolved:
    """A mention to a speaker; a pronoun to the person last quoted or named before `pos`."""
    if mention.kind != "pronoun":
        return resolver.resolve(mention)
    person = _salient(body, sents, si, pos, resolver, mention.text)
    if person is None:
        return Resolved(mention.text, "", False)
    return Resolved(person.name, person.role, True, person)


def _attribute(
    body: str,
    sents: list[_Sentence],
    si: int,
    span: QuoteSpan,
    prev_found: tuple[int, Found] | None,
    resolver: SpeakerResolver,
) -> tuple[Resolved | None, str]:
    """(speaker, how sure): "own" when the quote's own sentence attributes it."""
    sent = sents[si]
    pos = span.start
    labelled = _label_speaker(body, span, resolver)
    if labelled is not None:
        return labelled, "own"
    if span.close_mark:
        # “...” ― Karen Bobadilla
        line_end = body.find("\n", span.end, span.end + 200)
        dash = dash_mention(body, span.end + 1, line_end if line_end > 0 else span.end + 200)
        if dash is None and line_end > 0 and not body[span.end + 1 : line_end].strip():
            # The quotation's paragraph, then "- Sanders." alone on the next one.
            at = line_end
            while at < len(body) and at < line_end + 8 and body[at] in " \t\r\n":
                at += 1
            end = body.find("\n", at, at + 80)
            if end > 0 and len(body[at:end].split()) <= 5:
                dash = dash_mention(body, at, end)
        if dash is not None:
            return _resolve(body, sents, si, dash, pos, resolver), "own"
    mention = _mention_in(body, sent, span, resolver)
    if mention is not None:
        resolved = _resolve(body, sents, si, mention, pos, resolver)
        via = _via(body, sent, mention, resolver)
        if via:
            resolved = Resolved(
                resolved.speaker, resolved.role, resolved.named, resolved.person, via
            )
        return resolved, "own"
    # A quote running on from the previous paragraph keeps that quote's speaker.
    if span.continued and prev_found is not None:
        return prev_found[1].resolved, "carried"
    # "Caddell continued:", "Politico reveals a few facts:", "pollster Daron Shaw:" then the
    # quotation: the speaker is the one who introduces it.
    res = _colon_lead_in(body, sents, si, span, resolver)
    if res is not None:
        return res, "lead-in"
    # "... hostage." Col Rafael Torres, ... director said.
    if si + 1 < len(sents) and sents[si + 1].para == sent.para:
        nxt = sents[si + 1]
        # “... who knows?” Trump told Britain's ITV ...: the next sentence opens with the
        # speaker and the verb right after the quotation (before any quotation of its own).
        right_after = span.close_mark != "" and not body[span.end + 1 : nxt.lo].strip()
        first_quote = nxt.spans[0].start if nxt.spans else nxt.hi
        for att in nxt.atts(body):
            if att.mention is None or att.mention.kind == "pronoun":
                continue
            if nxt.spans and not (right_after and att.verb_end < first_quote):
                continue
            tail = body[att.verb_end : nxt.hi].strip(" .\t")
            opens = right_after and att.mention.start == nxt.lo and not att.inverted
            if len(tail) < 25 or opens:
                res = resolver.resolve(att.mention)
                if res.person is not None or att.mention.kind == "unnamed" or (opens and res.named):
                    return res, "lead-in"
    # Iowa State University's Dianne Bystrom agreed. “Mainstream Republicans are ...”
    if si > 0 and _opens_sentence(sent, span):
        prev = sents[si - 1]
        if prev.para == sent.para and not prev.spans and not prev.heading:
            for att in prev.atts(body):
                tail = body[att.verb_end : prev.hi].strip(" .\t")
                if (
                    att.mention is not None
                    and len(tail) < 25
                    and not att.inverted
                    and att.verb.lower() in lx.INVERTIBLE_VERBS
                ):
                    res = _resolve(body, sents, si - 1, att.mention, att.verb_start, resolver)
                    if res.person is not None or att.mention.kind == "unnamed":
                        return res, "lead-in"
    # A person the quotation's own sentence names as a subject before it ("Bush referred to
    # Rubio as “...”", "Trump calling it a “...”"): right nearly every time, even
    # after another's quotation.
    named = _named_subject_before(body, sent, span, resolver)
    if named is not None:
        return Resolved(named.name, named.role, True, named), "named"
    # “A,” he said. “B.” - the next quote of the paragraph is the same speaker's; so is
    # a quotation paragraph right after a quoted one.
    if prev_found is not None:
        psi, pf = prev_found
        if (sents[psi].para == sent.para and si - psi <= 2) or (
            sents[psi].para == sent.para - 1 and _opens_sentence(sent, span)
        ):
            return pf.resolved, "carried"
    # “Carter said that ... would not happen.” and, opening the next paragraph, the quotation:
    # the report's speaker goes on.
    if si > 0 and _opens_sentence(sent, span) and sents[si - 1].para == sent.para - 1:
        prev = sents[si - 1]
        if not prev.spans and not prev.heading:
            # "... released the following statement:": a colon announces the quotation.
            announced = body[prev.lo : prev.hi].rstrip().endswith(":")
            for att in reversed(prev.atts(body)):
                if att.mention is None:
                    continue
                res = _resolve(body, sents, si - 1, att.mention, att.verb_start, resolver)
                if res.person is not None or att.mention.kind == "unnamed":
                    return res, "lead-in"
                if announced and _a_source(att.mention, res):
                    return res, "lead-in"
                break
            else:
                # "Valastro praised Christie's leadership." then a paragraph that is nothing but
                # the quotation: the person the last sentence was about goes on.
                subject = prev.subject(body, resolver)
                if subject is not None and (announced or _whole_paragraph(body, sents, si, span)):
                    res = _resolve(body, sents, si - 1, subject, subject.end, resolver)
                    if res.person is not None or (announced and _a_source(subject, res)):
                        return res, "lead-in"
    # Otherwise the person last quoted or named in the same paragraph, if any. Across
    # paragraphs that guess is right one time in three: unattributed is better.
    person = _salient(body, sents, si, pos, resolver)
    if person is not None and _named_in_paragraph(body, sents, si, person, resolver):
        return Resolved(person.name, person.role, True, person), "salient"
    strength = "salient" if person is not None else "none"
    # The quotation's own sentence opens with a subject that is not a person the document
    # names elsewhere ("The New York Times characterized it as a “...”").
    subject = sent.subject(body, resolver)
    if subject is not None and subject.end < span.start:
        res = _resolve(body, sents, si, subject, subject.start, resolver)
        if _a_source(subject, res):
            return res, strength
    # Someone was named before: a quotation, even if whose is unsure.
    return Resolved("", "", False), strength


def _named_subject_before(
    body: str, sent: _Sentence, span: QuoteSpan, resolver: SpeakerResolver
) -> Person | None:
    """The last person of the document named before `span` in its sentence (outside other
    quotations) as a subject: not after a preposition ("to Rubio"), not a possessive
    ("Trump's plan"), and followed by a lower-case word (a verb)."""
    lo = sent.lo
    for other in sent.spans:
        if other.start < span.start:
            lo = max(lo, other.end + 1)
    best: Person | None = None
    toks = tokens(body, lo, max(lo, span.start - 1))
    for k, t in enumerate(toks):
        if not t.cap or k + 1 >= len(toks):
            continue
        nxt = toks[k + 1]
        if not (nxt.text.isalpha() and nxt.text.islower()):
            continue
        if t.low.endswith(("'s", "’s")):
            continue
        # What the name's phrase follows ("former nominee Mitt Romney"): a clause's start,
        # not a verb or a preposition, whose object it would be ("attacked ... Romney for").
        j = k - 1
        while j >= 0 and (toks[j].cap or toks[j].low in _DESCRIBING):
            j -= 1
        if j >= 0 and toks[j].low not in _CLAUSE_STARTS:
            continue
        person = resolver.by_surname(t.text)
        if person is not None:
            best = person
    return best


# Words a subject's phrase may start after: a clause's start.
_CLAUSE_STARTS = lx.words(
    """
    , ; : — – ( and but or when while as that because after before if since though although
    then also so yet where whereas
    """
)
# Lower-case words inside a name's phrase: "former presidential nominee Mitt Romney".
_DESCRIBING = (
    lx.ROLE_NOUNS
    | lx.ROLE_WORDS
    | lx.DETERMINERS
    | lx.PARTY_WORDS
    | lx.words("former then longtime veteran fellow rival")
)


def _named_in_paragraph(
    body: str, sents: list[_Sentence], si: int, person: Person, resolver: SpeakerResolver
) -> bool:
    para = sents[si].para
    j = si
    while j >= 0 and sents[j].para == para:
        sent = sents[j]
        if any(p is person for _, p in (*sent.people(body, resolver), *sent.quoted)):
            return True
        j -= 1
    return False


def _via(body: str, sent: _Sentence, mention: Mention, resolver: SpeakerResolver) -> str:
    """Who passed the words on, when the sentence says so: "According to the ministry, Anna Berg
    said ...", "Reuters quoted Anna Berg as saying ..."."""
    for att in sent.atts(body):
        source = att.via if att.mention is mention else None
        if (
            source is None
            and att.verb.lower() == "according to"
            and att.mention is not None
            and att.mention.start != mention.start
        ):
            source = att.mention
        if source is not None and source.kind != "pronoun":
            res = resolver.resolve(source)
            return res.speaker or source.text
    return ""


def _label_speaker(body: str, span: QuoteSpan, resolver: SpeakerResolver) -> Resolved | None:
    """The speaker of a quoted transcript paragraph ("WALLACE: Let's start ..."): the labelled
    one, resolved to the document's person, rather than whoever was named last."""
    i = span.start - 2
    while i >= 0 and body[i] in " \t\u00a0":
        i -= 1
    if i >= 0 and body[i] != "\n":
        return None  # a transcript line opens its paragraph
    label = quoted_label(body[span.start : min(span.end, span.start + 200)])
    if label is None:
        return None
    name, role, named, caps = label
    if not named:
        return Resolved(name, role, False)
    words = name.split()
    person = resolver.find_full(words) if len(words) > 1 else resolver.by_surname(words[0])
    if person is not None:
        return Resolved(person.name, role or person.role, True, person)
    if caps or (len(words) > 1 and resolver.plausible(words)):
        return Resolved(name, role, True)
    return None


def _colon_lead_in(
    body: str, sents: list[_Sentence], si: int, span: QuoteSpan, resolver: SpeakerResolver
) -> Resolved | None:
    """The speaker of a quotation introduced by a colon, from the clause before the colon."""
    colon = span.start - 2
    while colon >= 0 and body[colon] in " \t\u00a0\n\r":
        colon -= 1
    if colon < 0 or body[colon] != ":":
        return None
    k = si
    while k > 0 and sents[k].lo > colon:
        k -= 1
    sent = sents[k]
    if sent.heading or not sent.lo <= colon < sent.hi + 1:
        return None
    # The clause starts after the last quotation before the colon.
    k = bisect.bisect_left(sent.spans, colon, key=_span_start) - 1
    lo = max(sent.lo, sent.spans[k].end + 1) if k >= 0 else sent.lo
    if colon - lo > 400:
        return None
    mention: Mention | None = None
    for att in sent.atts(body):
        if lo <= att.verb_start and att.verb_end <= colon and att.mention is not None:
            mention = att.mention
    if mention is None:
        # "... overhype - HuffPollster:", "... doesn't surprise Republican pollster Daron
        # Shaw:": the clause is the speaker's name alone, or ends with a person's name that
        # no preposition governs ("a blunt message to Trump:" is not Trump's).
        mention = backward_mention(body, lo, colon)
        if mention is not None and body[lo : mention.start].strip(" \t\u00a0-—–"):
            before = _word_before(body, mention.start).lower()
            if mention.kind != "name" or before in _WORK_PREPOSITIONS or before in _TO_WORDS:
                mention = None
    subject = mention is None
    if subject:
        mention = resolver.subject_of(tokens(body, lo, colon))
    if mention is None:
        return None
    res = _resolve(body, sents, k, mention, colon, resolver)
    if res.person is None and mention.kind == "name" and not _names_someone(res.speaker, subject):
        return None
    return res


def _span_start(span: QuoteSpan) -> int:
    return span.start


def _names_someone(text: str, subject: bool) -> bool:
    """Whether a mention the document never introduced still reads like a source ("Pollster
    Daron Shaw", "The New York Times"), rather than a label ("Transcript", "VIDEO") or, for a
    clause without a reporting verb, a capitalised opening word ("Remember how it went:")."""
    words = text.split()
    if subject:
        return len(words) > 1
    return bool(words) and (len(words) > 1 or not words[0].isupper() or len(words[0]) <= 4)


def _a_source(mention: Mention, res: Resolved) -> bool:
    """Whether a subject can be credited with a quotation no reporting verb attributes: a
    person, a description, or a name of two words or more; a lone capitalised word ("Signs",
    "Oct", a dateline) is no source."""
    if not res.speaker or mention.kind == "pronoun":
        return False
    if res.person is not None or mention.kind == "unnamed":
        return True
    return len(mention.text.split()) >= 2 and not mention.text.isupper()


def _whole_paragraph(body: str, sents: list[_Sentence], si: int, span: QuoteSpan) -> bool:
    """The quotation is all its paragraph says."""
    sent = sents[si]
    if si + 1 < len(sents) and sents[si + 1].para == sent.para:
        return False
    return len(body[span.end + 1 : sent.hi].strip()) <= 1


def _opens_sentence(sent: _Sentence, span: QuoteSpan) -> bool:
    return span.start - 1 <= sent.lo


def _mention_in(
    body: str, sent: _Sentence, span: QuoteSpan, resolver: SpeakerResolver
) -> Mention | None:
    """The mention that attributes `span` in its own sentence."""
    atts = sent.atts(body)
    if not atts:
        return None
    qs, qe = span.start - 1, span.end + 1
    # The verbs nearest the quotation first, on either side (atts are in text order); the
    # nearest one's speaker, else, for "saying", "adding that", the next nearest one's.
    after = bisect.bisect_left(atts, qe, key=_verb_start)
    before = after - 1
    while before >= 0 and atts[before].verb_end > qs:
        before -= 1  # a verb inside the quotation's extent is not its attribution
    for _ in range(_NEAREST_VERBS):
        d_before = qs - atts[before].verb_end + 1 if before >= 0 else None
        d_after = atts[after].verb_start - qe if after < len(atts) else None
        if d_before is None and d_after is None:
            break
        if d_after is None or (d_before is not None and d_before <= d_after):
            a = atts[before]
            before -= 1
        else:
            a = atts[after]
            after += 1
        if a.mention is not None:
            return a.mention
    return sent.subject(body, resolver)


# How many reporting verbs around a quotation are tried before the sentence's subject.
_NEAREST_VERBS = 32


def _verb_start(att: Attribution) -> int:
    return att.verb_start


_SMALL_WORDS = lx.words(
    """
    of the and a an in on with for to at by from or vs
    """
)
# Words after which a quoted word is mentioned, not said: the word “dialogue”.
_MENTION_WORDS = lx.words("word words term terms phrase so-called dubbed")
_MODIFIER_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "so-called"])


def _keep(body: str, span: QuoteSpan, strength: str) -> bool:
    """Whether a span is a quotation: attributed ones always are; without attribution in its
    own sentence, names of things and scare quotes are not."""
    text = body[span.start : span.end]
    words = text.split()
    if not words:
        return False
    if _names_a_thing(body, span, words):
        return False  # the press marathon "30 questions to the President of Ukraine"
    if len(words) == 1 and _mentions_a_word(body, span, words[0]):
        return False  # Del. Marcia "Cia" Price; "she" is a "he"
    name_like = _looks_like_name(words)
    if name_like and _titles_a_work(body, span):
        return False  # told ABC's “Good Morning America”; “Going Viral,” by ...
    if _after_word(body, span) in _SCARE_WORDS and _modifies_a_noun(body, span, words):
        return False  # a so-called “green” budget: a label, not anyone's words
    if strength == "own":
        return True
    if name_like:
        return False  # the “Brave Cities” project, “Meet the Press”
    if strength == "none" and len(words) <= 3 and words[-1][-1:] not in ".!?":
        return False  # a short phrase nobody in the document is said to have said
    return not _looks_like_scare_quote(body, span, words)


# Words after which a quoted phrase is mentioned, never said, whoever the sentence names.
_SCARE_WORDS = lx.words("so-called word words term terms phrase")


def _modifies_a_noun(body: str, span: QuoteSpan, words: list[str]) -> bool:
    """A short lower-case quotation followed by a lower-case word: “green” budget."""
    if len(words) > 2 or not words[0][:1].islower() or not span.close_mark:
        return False
    after = body[span.end + 1 : span.end + 3]
    return after[:1] == " " and after[1:2].islower()


def _after_word(body: str, span: QuoteSpan) -> str:
    return _word_before(body, span.start - 1).lower()


def _names_a_thing(body: str, span: QuoteSpan, words: list[str]) -> bool:
    """A title in apposition to the noun before it: the joint statement "On the Urgent Need
    to ...", the press marathon "30 questions to the President"."""
    if len(words) > 12 or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if any(w[-1:] in "!?" for w in words) or any(w[-1:] == "." for w in words[:-1]):
        return False
    i = span.start - 2
    while i >= 0 and body[i] == " ":
        i -= 1
    j = i
    while j >= 0 and body[j].isalpha():
        j -= 1
    return body[j + 1 : i + 1] in lx.CONTAINER_NOUNS


# Words after which a Title Case quotation names a show, a book or a programme: on “Meet the
# Press”, told “Fox and Friends”, the co-author of “Going Viral”.
_WORK_PREPOSITIONS = lx.words("on told of in with for against including at")
# Nouns right after the closing mark that say what the quoted title is: “Squawk Box” program.
_WORK_NOUNS = lx.words(
    """
    show program programme podcast series book film movie song album episode segment column
    article op-ed editorial memoir novel documentary play musical broadcast interview
    """
)


_PRONOUN_WORDS = lx.PRONOUNS | lx.words("his hers their theirs its our ours my mine your yours")


def _mentions_a_word(body: str, span: QuoteSpan, word: str) -> bool:
    """A one-word quotation that is a nickname between a first name and a surname (Marcia
    "Cia" Price) or a pronoun mentioned as a word ("she" is a "he")."""
    if word.strip(".,;:!?").lower() in _PRONOUN_WORDS:
        return True
    if not word.isalpha() or not word[:1].isupper() or not span.close_mark:
        return False
    before = _word_before(body, span.start - 1).rstrip(".")
    after = body[span.end + 1 : span.end + 3]
    return (
        before[:1].isupper()
        and before.lower() not in lx.NON_NAME_WORDS
        and after[:1] == " "
        and after[1:2].isupper()
    )


_TO_WORDS = lx.words("to from by about against toward towards into onto than")


def _titles_a_work(body: str, span: QuoteSpan) -> bool:
    """Whether a Title Case quotation is the title of a work: after a possessive (CNN's “State
    of the Union”) or a preposition, before a noun naming the kind of work, or before a
    byline (“Headline,” by ...)."""
    prev = _word_before(body, span.start - 1)
    if prev.lower().endswith(("'s", "’s", "s'", "s’")) or prev.lower() in _WORK_PREPOSITIONS:
        return True
    if not span.close_mark:
        return False
    after = body[span.end + 1 : span.end + 40]
    if after.startswith(" by ") and after[4:5].isupper():
        return True
    nxt = after.lstrip(" ").split(" ", 1)[0].strip(".,;:").lower()
    return nxt in _WORK_NOUNS


def _word_before(body: str, pos: int) -> str:
    """The word (letters, apostrophes, hyphens) that ends before `pos`, skipping spaces."""
    i = pos - 1
    while i >= 0 and body[i] in " \t\u00a0":
        i -= 1
    j = i
    while j >= 0 and j > i - 40 and (body[j].isalnum() or body[j] in "'’-"):
        j -= 1
    return body[j + 1 : i + 1]


def _looks_like_name(words: list[str]) -> bool:
    """Title Case and short: the name of a show, a book, a project."""
    if len(words) > 6:
        return False
    if words[-1][-1:] in "!?" or any(w[-1:] in ".!?" for w in words[:-1]):
        return False  # a sentence, not a name
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in words)


def _looks_like_scare_quote(body: str, span: QuoteSpan, words: list[str]) -> bool:
    """A short phrase used as a modifier (the “green-on-blue” attack) or mentioned as a word
    (the word “dialogue”, so-called “masters”)."""
    if len(words) > 3 or words[-1][-1:] in ".,!?;:":
        return False
    i = span.start - 2
    while i >= 0 and body[i] == " ":
        i -= 1
    j = i
    while j >= 0 and (body[j].isalpha() or body[j] == "-"):
        j -= 1
    prev_word = body[j + 1 : i + 1].lower()
    if prev_word in _MENTION_WORDS:
        return True
    if words[0][:1].isupper():
        return False
    after = body[span.end + 1 : span.end + 2] if span.close_mark else ""
    nxt = body[span.end + 2 : span.end + 3] if after == " " else ""
    if not (nxt.islower() or after == "-"):
        return False
    return prev_word in _MODIFIER_DETERMINERS or (after == "-" and not prev_word)


class _TagCache:
    """Tags per sentence, computed once per document."""

    def __init__(self, body: str, tagger: Tagger) -> None:
        self.body = body
        self.tagger = tagger
        self._cache: dict[tuple[int, int], Tags] = {}

    def tags(self, lo: int, hi: int) -> Tags:
        key = (lo, hi)
        tags = self._cache.get(key)
        if tags is None:
            tags = self.tagger.tag(self.body[lo:hi])
            self._cache[key] = tags
        return tags


def context_window(body: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """`lo`..`hi` (a quote's sentence) cut to `CONTEXT_CHARS` either side of the quote
    `start`..`end`, at a space when one is near, so no word is cut in two."""
    if start - lo > CONTEXT_CHARS:
        cut = start - CONTEXT_CHARS
        space = body.find(" ", cut, cut + 40)
        lo = space + 1 if space >= 0 else cut
    if hi - end > CONTEXT_CHARS:
        cut = end + CONTEXT_CHARS
        space = body.rfind(" ", cut - 40, cut)
        hi = space if space >= 0 else cut
    return lo, hi


def _to_quote(doc: Document, f: Found, tagger: Tagger, cache: _TagCache) -> Quote:
    body = doc.body
    ctx_start, ctx_end = context_window(body, f.ctx_start, f.ctx_end, f.start, f.end)
    tags = cache.tags(ctx_start, max(ctx_end, f.end))
    topics, countries, regions = tags.topics, tags.countries, tags.regions
    if not countries and not regions:
        # "Stability depends ...", he added: about the Western Balkans named two sentences
        # earlier in the paragraph.
        for lo, hi in reversed(f.sentences_before):
            earlier = cache.tags(lo, hi)
            if earlier.countries or earlier.regions:
                countries, regions = earlier.countries, earlier.regions
                implied = tagger.tag(", ".join((*countries, *regions))).topics
                topics = tuple(dict.fromkeys((*topics, *implied)))
                break
    r = f.resolved
    text = body[f.start : f.end]
    return Quote(
        doc=doc.doc_id,
        title=doc.title,
        date=doc.date or f.date,
        text=text,
        start=f.start,
        end=f.end,
        speaker=r.speaker,
        role=r.role,
        named=r.named,
        via=r.via,
        kind=_KINDS.get(f.kind, "quote"),
        context=body[ctx_start:ctx_end],
        context_start=ctx_start,
        topics=topics,
        countries=countries,
        regions=regions,
        url=doc.url,
        source=doc.source,
        form=f.form,
        candidates=f.candidates,
        procedural=is_procedural(text),
        reply_to=f"{doc.doc_id}:{f.reply_to}" if f.reply_to >= 0 else "",
    )


_KINDS: dict[str, QuoteKind] = {"turn": "turn", "remarks": "remarks", "question": "question"}


__all__ = ["Found", "extract_quotes", "find_quotes"]
