"""Who a quotation is attributed to, as written: the mention next to a reporting verb.

Looks for a reporting verb (lexicon.REPORTING_VERBS, "according to") in the quotation's
sentence, outside any quotation, and reads the speaker's mention after it (inverted: `, said
Col. Rafael Torres, ... director`) or before it (`Mr Stoltenberg said`, `he added`, `the
Secretary General stressed`). Resolving the mention to a person is speakers.py's job.

Everything works on short token windows around each verb, so the cost is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..regex_trie import trie_pattern
from . import lexicon as lx

# A word with inner dots, apostrophes or hyphens (U.S., President's, Lvova-Belova), an
# optional trailing full stop; or one punctuation character. No nested ambiguity: every
# repetition must start with a separator character.
_TOKEN_RE = re.compile(r"\w+(?:[.'’\-]\w+)*\.?|[^\w\s]")
# The reporting verbs as one trie (most words of a sentence fail at their first letters), and
# "According to" opening a sentence.
_VERB_RE = re.compile(
    rf"\b(?:{trie_pattern([re.escape(c) for c in w] for w in sorted(lx.REPORTING_VERBS))})\b"
    r"|\bAccording to\b"
)

# A party and state after a US politician's name: "Mitch McConnell, R-Ky., said".
_PARTY_STATE_RE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")

MentionKind = str  # "name" | "role" | "pronoun" | "unnamed"


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass(slots=True)
class Mention:
    """A speaker as the text names them, with its offsets."""

    text: str
    start: int
    end: int
    kind: MentionKind
    role: str = ""  # an appositive role given with it (", the Paktia deputy governor")


@dataclass(slots=True)
class Attribution:
    verb: str
    verb_start: int
    verb_end: int
    mention: Mention | None
    inverted: bool = False  # the speaker follows the verb
    via: Mention | None = None  # "Reuters quoted X as saying": the source passing it on


def tokens(text: str, lo: int, hi: int) -> list[Tok]:
    out: list[Tok] = []
    for m in _TOKEN_RE.finditer(text, lo, hi):
        t = m.group()
        if len(t) > 1 and t.endswith(".") and not _keeps_dot(t):
            out.append(Tok(t[:-1], m.start(), m.end() - 1))
            out.append(Tok(".", m.end() - 1, m.end()))
        else:
            out.append(Tok(t, m.start(), m.end()))
    return out


def _keeps_dot(word: str) -> bool:
    low = word.lower()
    if low in lx.HONORIFICS or low[:-1] in lx.HONORIFICS:
        return True
    core = word[:-1]
    if len(core) == 1 and core.isupper():
        return True  # an initial
    return "." in core  # U.S., Lt.Col.


def _is_name_word(tok: Tok) -> bool:
    t = tok.text
    return (
        t[:1].isupper()
        and (t[:1].isalpha())
        and tok.low.rstrip(".") not in lx.NON_NAME_WORDS
        and not t.isdigit()
    )


def find_verbs(text: str, lo: int, hi: int, masked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each reporting verb in text[lo:hi] that is outside the masked spans."""
    out: list[tuple[int, int]] = []
    k = 0
    for m in _VERB_RE.finditer(text, lo, hi):
        w = m.group()
        if w not in lx.REPORTING_VERBS and w.lower() != "according to":
            continue
        s = m.start()
        if w.endswith("s") and _after_determiner(text, lo, s):
            continue  # "Ginsburg's comments", "his remarks", "the reports": nouns
        if w.lower() in _NOUN_FORMS and _after_article(text, lo, s):
            continue  # "a comment", "a Twitter post", "the reply": nouns
        while k < len(masked) and masked[k][1] < s:
            k += 1
        if k < len(masked) and masked[k][0] <= s < masked[k][1]:
            continue
        out.append((s, m.end()))
    return out


# Words before a plural noun that is spelt like a verb ("his claims", "the reports").
_NOUN_DETERMINERS = lx.words(
    "the a an his her their its our my your these those such many some any no several both"
)


def _after_article(text: str, lo: int, pos: int) -> bool:
    """Whether the word at `pos` follows an article or a determiner, perhaps with a capitalised
    word between ("a Twitter post", "that tweet")."""
    words = text[max(lo, pos - 40) : pos].split()
    if words and words[-1].lower() in _ARTICLES:
        return True
    return len(words) >= 2 and words[-1][:1].isupper() and words[-2].lower() in _ARTICLES


_ARTICLES = frozenset(["a", "an", "the", "this", "that", "his", "her", "their", "its", "my", "our"])
# Reporting verbs spelt like a noun of speech.
_NOUN_FORMS = lx.words("comment post tweet reply answer claim promise pledge vow remark note")


def _after_determiner(text: str, lo: int, pos: int) -> bool:
    """Whether the word at `pos` follows a determiner or a possessive ("Ginsburg's")."""
    i = pos - 1
    while i >= lo and text[i] == " ":
        i -= 1
    j = i
    while j >= lo and (text[j].isalpha() or text[j] in "'’"):
        j -= 1
    prev = text[j + 1 : i + 1]
    return prev.lower() in _NOUN_DETERMINERS or prev.endswith(("'s", "’s", "s'", "s’"))


def find_attributions(
    text: str, lo: int, hi: int, quotes: list[tuple[int, int]]
) -> list[Attribution]:
    """Every reporting verb in the sentence text[lo:hi] with the mention of its speaker.

    `quotes` are the (open mark, close mark + 1) extents of the quotations in the sentence,
    sorted; verbs inside them are ignored and mentions never cross them.
    """
    out: list[Attribution] = []
    starts = [qs for qs, _ in quotes]
    ends = [qe for _, qe in quotes]
    for vs, ve in find_verbs(text, lo, hi, quotes):
        verb = text[vs:ve]
        # The verb's clause lies between the quotations around it.
        k = bisect.bisect_right(ends, vs) - 1
        left = max(lo, ends[k]) if k >= 0 else lo
        k = bisect.bisect_left(starts, ve)
        right = min(hi, starts[k]) if k < len(starts) else hi
        if verb.lower() == "according to":
            mention = forward_mention(text, ve, right)
            out.append(Attribution(verb, vs, ve, mention, inverted=True))
            continue
        if verb.lower() in _QUOTED:
            # "Reuters quoted Anna Berg as saying ...": she speaks, Reuters passes it on.
            fwd = forward_mention(text, ve, right)
            if fwd is not None and _AS_SAYING.match(text, fwd.end):
                back = backward_mention(text, left, vs)
                out.append(Attribution(verb, vs, ve, fwd, inverted=True, via=back))
            continue
        mention = None
        inverted = False
        before = text[left:vs]
        after_quote = left > lo and not before.strip(" ,\t\u00a0—–-")
        back = backward_mention(text, left, vs)
        if verb.lower() in lx.INVERTIBLE_VERBS and (
            back is None or after_quote or _before_comma(text, vs)
        ):
            fwd = forward_mention(text, ve, right)
            if fwd is not None and (
                after_quote
                or (back is None and _starts_clause(text, lo, vs))
                or (fwd.kind == "name" and _ends_clause(text, fwd.end, right))
            ):
                # "..., said Mykhailo Podoliak, Adviser to ...": the speaker follows the verb
                # even when the clause before it ends in a noun.
                mention, inverted = fwd, True
        if mention is None and _passive(text, left, vs):
            # "Rubio was asked by moderator Gerard Baker whether ...": the agent speaks; with
            # none ("Trump was asked, ...") nobody the sentence names does.
            fwd = forward_mention(text, ve, right)
            by = text[ve:right].lstrip(" ,").lower().startswith("by ")
            if fwd is not None and by:
                out.append(Attribution(verb, vs, ve, fwd, inverted=True))
            else:
                # Nobody the sentence names: an unnamed asker, not the one asked.
                out.append(Attribution(verb, vs, ve, Mention("", vs, vs, "unnamed")))
            continue
        if (
            mention is None
            and verb.endswith("ing")
            and back is not None
            and _word_before_pos(text, left, back.start).lower() == "with"
        ):
            mention = back  # "..., with spokesman Pavel Orlov saying, ...": its own subject
        if mention is None and not verb.endswith("ing"):
            # A participle ("..., underlining that") takes the clause's subject, not the
            # noun right before it ("between China and Allies underlining").
            mention = back
        if (
            verb in lx.WEAK_VERBS
            and not (inverted and after_quote)
            and not _weak_verb_ok(text, ve, right)
        ):
            continue
        out.append(Attribution(verb, vs, ve, mention, inverted))
    return out


_QUOTED = frozenset(["quote", "quotes", "quoted", "quoting"])
_AS_SAYING = re.compile(r"\s*,?\s*as (?:saying|telling|stating|having said|writing)\b")
_PASSIVE_AUX = frozenset(["was", "were", "is", "are", "been", "being", "be"])
_PASSIVE_VERBS = frozenset(["asked", "told", "pressed", "questioned", "urged", "warned"])


def _passive(text: str, lo: int, vs: int) -> bool:
    """Whether the verb at `vs` is a passive of asking or telling ("was asked")."""
    m = _VERB_RE.match(text, vs)
    if m is None or m.group() not in _PASSIVE_VERBS:
        return False
    before = text[max(lo, vs - 24) : vs].split()
    return bool(before) and before[-1].lower() in _PASSIVE_AUX


def _word_before_pos(text: str, lo: int, pos: int) -> str:
    words = text[max(lo, pos - 20) : pos].split()
    return words[-1] if words else ""


def _before_comma(text: str, vs: int) -> bool:
    """Whether the verb at `vs` directly follows a comma (", said X")."""
    return text[max(0, vs - 3) : vs].rstrip().endswith(",")


def _ends_clause(text: str, pos: int, hi: int) -> bool:
    """Whether a clause ends at `pos`: a comma, a full stop or the end of the sentence."""
    rest = text[pos:hi].lstrip(" \t\u00a0")
    return not rest or rest[0] in ",.;!?"


def _weak_verb_ok(text: str, ve: int, right: int) -> bool:
    """A weak verb ("thought", "went on", "called it") reports speech only right before a quote
    or with its particle."""
    rest = text[ve:right]
    gap = rest.strip()
    if not gap or len(gap) <= 2 or gap.endswith(":"):
        return True  # immediately followed by the quotation, or by ", in part:"
    low = gap.lower()
    return low.startswith(
        ("on", "it", "that", "in a", "in an", "in,", "in:", "to the", "the move", "back", "out")
    )


def _starts_clause(text: str, lo: int, vs: int) -> bool:
    """Whether the verb opens its clause (", said X" or at the sentence start)."""
    before = text[lo:vs].rstrip()
    return not before or before[-1] in ",;:—–-(\"”“'’"


def backward_mention(text: str, lo: int, vs: int) -> Mention | None:
    """The subject right before a verb at `vs`: a pronoun, a name, a role or a description."""
    toks = _drop_parentheses(tokens(text, max(lo, vs - 260), vs))
    i = len(toks) - 1
    while i >= 0 and toks[i].low in lx.ADVERBS_AUX:
        i -= 1
    if i < 0:
        return None
    t = toks[i]
    if t.low in lx.SUBJECT_PRONOUNS:
        return Mention(t.text, t.start, t.end, "pronoun")
    if t.low == "who" and i >= 2 and toks[i - 1].text == ",":
        # "Caddell, who said ..."
        np = _np_backward(toks, i - 2)
        return np
    if t.text == ",":
        # "Quina Jones, 25, said": an appositive between commas, the name before it.
        k = i - 1
        while k >= 0 and i - k <= 18 and toks[k].text != ",":
            k -= 1
        inner = toks[k + 1 : i]
        appositive = 0 < len(inner) <= 14 and (
            inner[0].text[:1].isdigit()
            or _PARTY_STATE_RE.fullmatch(inner[0].text) is not None
            or any(
                w.low in lx.ROLE_NOUNS or w.low in lx.ROLE_WORDS or w.low in lx.UNNAMED_HEADS
                for w in inner
            )
        )
        in_place = k >= 2 and toks[k - 1].cap and toks[k - 2].low in _PLACE_PREPOSITIONS
        if k >= 0 and toks[k].text == "," and not appositive and inner and not in_place:
            # "Another critic, Laurence H. Tribe, said": the name is the appositive (but not
            # "in Columbus, Ohio, said": a place).
            named = _np_backward(toks, i - 1)
            if named is not None and named.kind == "name" and named.start == inner[0].start:
                return named
        if k >= 1 and toks[k].text == "," and appositive:
            # "Anna Berg, 41, a nurse, agreed": an age before the role.
            while (
                k >= 3
                and toks[k - 1].text[:1].isdigit()
                and toks[k - 2].text == ","
                and len(toks[k - 1].text) <= 3
            ):
                k -= 2
            name = _np_backward(toks, k - 1)
            if name is not None and name.kind == "name":
                between = text[inner[0].start : inner[-1].end]
                if not between[:1].isdigit() and not _PARTY_STATE_RE.match(between):
                    name.role = _strip_det(between)
                return name
        # "A Warren adviser, who spoke on the condition of anonymity, said", "Blunt, after a
        # long pause, said": a relative clause or an adverbial phrase (perhaps with commas of
        # its own) between the subject and its verb.
        k = i - 1
        while k >= 1 and i - k <= 40:
            if toks[k].text == "," and toks[k + 1].low in _INTERJECTION_OPENERS:
                return _np_backward(toks, k - 1)
            k -= 1
        return None
    described = _described_source(text, toks, i)
    if described is not None:
        return described
    np = _np_backward(toks, i)
    if np is None:
        return None
    # "Col Rafael Torres, International ... director said": the phrase before the verb is a
    # role; the person is the name before the comma.
    first = _first_index(toks, np.start)
    if (
        np.kind in ("role", "unnamed")
        and first is not None
        and first >= 2
        and toks[first - 1].text == ","
    ):
        name = _np_backward(toks, first - 2)
        if name is not None and name.kind == "name":
            name.role = _strip_det(text[np.start : np.end])
            return name
    return np


def _join(words: list[Tok]) -> str:
    """The words as written, a possessive's apostrophe kept on its word ("Sanders’ aide")."""
    out = ""
    for w in words:
        out += w.text if not out or w.text in _APOSTROPHES else " " + w.text
    return out


_APOSTROPHES = frozenset(["’", "'", "’s", "'s"])


def _described_source(text: str, toks: list[Tok], i: int) -> Mention | None:
    """An unnamed source described at length right before its verb: "a source familiar with
    Cruz's thinking", "two officials with knowledge of the talks", "people close to him"."""
    k = i
    while k >= 0 and i - k < 14 and toks[k].text not in _CLAUSE_PUNCTUATION:
        k -= 1
    start = k + 1  # the clause's first token
    while start <= i and toks[start].low in _CLAUSE_OPENERS:
        start += 1
    h = start
    if h <= i and toks[h].low in _QUANTIFIERS | lx.DETERMINERS:
        h += 1
    while h <= i and toks[h].low not in lx.UNNAMED_HEADS and h - start < 3 and not toks[h].cap:
        h += 1  # "a senior official", "two former officials"
    if h >= i or toks[h].low not in lx.UNNAMED_HEADS:
        return None
    if not any(t.low in _DESCRIBED_BY for t in toks[h + 1 : h + 3]):
        return None
    words = toks[start : i + 1]
    return Mention(_join(words), words[0].start, words[-1].end, "unnamed")


_CLAUSE_PUNCTUATION = frozenset([",", ";", ":", "(", ")", '"', "“", "”", "—", "–"])
_CLAUSE_OPENERS = lx.words("and but that while as because so yet")
# Words that go on describing an unnamed source after its head noun.
_DESCRIBED_BY = lx.words("familiar close with who in at from inside within involved knowledgeable")


def _drop_parentheses(toks: list[Tok]) -> list[Tok]:
    """Tokens without short parentheticals: "Rep. John Mica (R-Fla.) said"."""
    out: list[Tok] = []
    depth_start: int | None = None
    for t in toks:
        if t.text == "(":
            depth_start = len(out)
            out.append(t)
        elif t.text == ")" and depth_start is not None:
            if len(out) - depth_start <= 8:
                del out[depth_start:]
            depth_start = None
        else:
            out.append(t)
    return out


def dash_mention(text: str, pos: int, hi: int) -> Mention | None:
    """A speaker after a dash that follows a quotation: “...” ― Karen Bobadilla."""
    hi = min(hi, len(text))
    i = pos
    while i < hi and text[i] in " \t\u00a0":
        i += 1
    j = i
    while j < hi and text[j] in "―—–-":
        j += 1
    if j == i or j - i > 2:
        return None
    m = forward_mention(text, j, hi)
    if m is None or m.kind != "name":
        return None
    return m


def _first_index(toks: list[Tok], start: int) -> int | None:
    for k, t in enumerate(toks):
        if t.start == start:
            return k
    return None


def _np_backward(toks: list[Tok], i: int) -> Mention | None:
    """The noun phrase ending at token i, read leftwards."""
    j = i
    has_cap = False
    while j >= 0:
        t = toks[j]
        low = t.low
        if _is_name_word(t) or (t.cap and low in lx.ROLE_WORDS):
            has_cap = True
        elif low in lx.CONNECTORS or low in lx.ROLE_NOUNS or low in lx.UNNAMED_HEADS:
            pass
        elif low == "to" and j + 1 <= i and toks[j + 1].low == "the":
            pass  # "Adviser to the Head of the President's Office"
        elif low in lx.DETERMINERS:
            j -= 1
            break
        elif t.text in ("’s", "'s", "’", "'") or low.endswith(("'s", "’s")):
            pass
        else:
            break
        j -= 1
    first = j + 1
    # Trim connectors at the left edge ("of the President" -> "President").
    while first <= i and toks[first].low in lx.CONNECTORS - {"the"}:
        first += 1
    if first > i:
        return None
    # Leading lower-case words that are not part of a role ("campaign manager" is fine,
    # but a lone verb-like word is not).
    words = toks[first : i + 1]
    described = words[0].low in lx.DETERMINERS and any(w.low in lx.ROLE_NOUNS for w in words)
    if not described and not any(w.cap or w.low in lx.UNNAMED_HEADS for w in words):
        return None
    if toks[i].low in lx.CONNECTORS or toks[i].low in lx.DETERMINERS:
        return None
    start, end = words[0].start, words[-1].end
    text_ = _join(words)
    return Mention(text_, start, end, _kind(words, has_cap))


def _kind(words: list[Tok], has_cap: bool) -> MentionKind:
    names = [w for w in words if _is_name_word(w) and w.low.rstrip(".") not in lx.ROLE_WORDS]
    names = [w for w in names if w.low not in lx.HONORIFICS]
    first = words[0].low
    if first in _QUANTIFIERS:
        return "unnamed"  # "a spokesman", "Many Democrats", "several officials"
    last = words[-1]
    if not last.cap and (last.low in lx.ROLE_NOUNS or last.low in lx.UNNAMED_HEADS):
        return "role"  # "International Security Assistance Force ... director"
    if names:
        return "name"
    if any(w.low in lx.UNNAMED_HEADS for w in words) and not has_cap:
        return "unnamed" if first != "the" else "role"
    return "role"


def forward_mention(text: str, vs: int, hi: int) -> Mention | None:
    """The speaker right after a verb (", said X ..." / "according to X")."""
    toks = _drop_parentheses(tokens(text, vs, min(hi, vs + 300)))
    i = 0
    while i < len(toks) and toks[i].text in ("-", "―", "—", "–"):
        i += 1
    # ", said on Monday Mr X" is rare; a time word right after the verb means no inversion.
    if i < len(toks) and toks[i].text in (",", ":"):
        return None
    if i + 1 < len(toks) and toks[i].low == "by":
        i += 1  # "This was stated by Adviser ... Mykhailo Podoliak": the passive's agent
    if i >= len(toks):
        return None
    t = toks[i]
    if t.low in lx.SUBJECT_PRONOUNS or t.low in ("him", "her", "them"):
        return Mention(t.text, t.start, t.end, "pronoun")
    if t.low in _NOT_AN_AGENT:
        return None  # "said of Cruz", "his home state of Ohio": whom it is about, not who
    j = i
    det = t.low in lx.DETERMINERS
    if det:
        j += 1
    else:
        # "said election lawyer Joe Birkenstock", "said conservative activist Bob Klaus": a
        # few lower-case words describing the person, then the name.
        k = i
        while (
            k < len(toks)
            and k < i + 4
            and toks[k].text.isalpha()
            and toks[k].text.islower()
            and toks[k].low not in _NOT_DESCRIPTORS
        ):
            k += 1
        if k > i and k < len(toks) and _is_name_word(toks[k]):
            j = k
    unnamed = t.low in ("a", "an", "another", "one", "two", "several", "some", "many")
    limit = i + (9 if unnamed else 14)
    name_run = 0  # capitalised words in a row that are not role words
    while j < len(toks) and j < limit:
        w = toks[j]
        low = w.low
        if w.text in (",", ".", ";", ":", "!", "?", "(", ")", '"', "“", "”", "—", "–"):
            break
        if _is_name_word(w) or (w.cap and low in lx.ROLE_WORDS):
            name_run = name_run + 1 if low not in lx.ROLE_WORDS else 0
            j += 1
            continue
        if w.cap and low in lx.HONORIFICS:
            j += 1  # "Dr. Harold Varmus", "Lt. Gen. Mick Bednarek"
            continue
        if low in lx.CONNECTORS and name_run >= 2 and not unnamed:
            break  # "Cameron Easley for Morning Consult": the name is complete
        if low in lx.CONNECTORS or low in lx.ROLE_NOUNS or low in lx.UNNAMED_HEADS:
            name_run = 0
            j += 1
            continue
        if low.endswith(("'s", "’s")):
            j += 1
            continue
        if unnamed and low not in _STOP_AFTER_NP and (low.isalpha() or low.isdigit()):
            j += 1  # "an Afghan commando on the mission", "a 2008 Clinton veteran"
            continue
        if unnamed and low == "to" and _names_next(toks, j + 1):
            # "a longtime adviser to Trump", "a person close to both Clintons" (not after
            # "the": "the top aide to George Bush" would read as Bush)
            j += 1
            continue
        break
    # Drop trailing connectors ("the President of" cut short).
    while j > i and toks[j - 1].low in lx.CONNECTORS | lx.DETERMINERS:
        j -= 1
    if j <= i or (det and j <= i + 1):
        return None
    words = toks[i:j]
    mention = Mention(_join(words), words[0].start, words[-1].end, "")
    mention.kind = _kind(words, any(w.cap for w in words))
    if mention.kind == "role" and not any(w.cap for w in words) and not det:
        return None
    # A name in apposition after a role: "said the bureau's director, James B. Comey, on".
    if mention.kind in ("role", "unnamed") and j + 2 < len(toks) and toks[j].text == ",":
        k = j + 1
        while k < len(toks) and k < j + 6 and (_is_name_word(toks[k]) or _keeps_dot(toks[k].text)):
            k += 1
        words_ = toks[j + 1 : k]
        ends = k == len(toks) or toks[k].text in (",", ".", ";")
        if ends and len([w for w in words_ if _is_name_word(w)]) >= 2:
            name = Mention(_join(words_), words_[0].start, words_[-1].end, "")
            name.kind = _kind(words_, True)
            if name.kind == "name":
                name.role = _strip_det(mention.text)
                return name
    # An appositive role after a name: "Col. Rafael Torres, International ... director."
    if mention.kind == "name" and j < len(toks) and toks[j].text == ",":
        role_end = _appositive_end(toks, j + 1)
        if role_end > j + 1:
            mention.role = _strip_det(text[toks[j + 1].start : toks[role_end - 1].end])
    return mention


# Words that open a phrase set off by commas between a subject and its verb.
_INTERJECTION_OPENERS = lx.words(
    """
    who whose after during in at on with speaking when while before as like despite facing
    standing referring asked pressed reacting responding writing appearing addressing
    """
)
_PLACE_PREPOSITIONS = lx.words("in of at from near")
# Prepositions right after a verb: what follows is what was said about, never the speaker.
_NOT_AN_AGENT = lx.words("of about on in at for with from during over into after before")


def _names_next(toks: list[Tok], k: int) -> bool:
    """A name follows at `k`, perhaps after a determiner ("the Clintons", "both Clintons")."""
    while k < len(toks) and toks[k].low in _NAME_DETERMINERS:
        k += 1
    return k < len(toks) and _is_name_word(toks[k])


_NAME_DETERMINERS = lx.words("the both his her their its")
_QUANTIFIERS = lx.words("a an another one two three four five several some many most few all other")
_STOP_AFTER_NP = lx.words(
    """
    who that which while when as after before during because and but said says told added in
    at to about following said, stressing noting adding saying
    """
)


# Lower-case words after a verb that never begin a description of its speaker.
_NOT_DESCRIPTORS = (
    _STOP_AFTER_NP
    | lx.ADVERBS_AUX
    | lx.words(
        """
    on in at of for with by from to about during after before today yesterday tonight later
    earlier then now that this it last next there here so not only just calling naming dubbing
    labeling labelling branding terming accusing praising thanking urging telling asking
    """
    )
)


def _appositive_end(toks: list[Tok], k: int) -> int:
    """End (exclusive) of a role phrase starting at token k, or k when there is none."""
    j = k
    saw_role = False
    while j < len(toks) and j < k + 18:
        w = toks[j]
        if w.text in (".", ";", "!", "?", "“", "”", '"', "(", ")"):
            break
        if w.text == ",":
            # "deputy commander, Regional Command-East": a comma followed by a capitalised
            # unit name continues the role.
            if j + 1 < len(toks) and toks[j + 1].cap and saw_role:
                j += 1
                continue
            break
        low = w.low
        if low in _STOP_AFTER_NP and low not in ("and", "to"):
            break
        if low in lx.ROLE_WORDS or low in lx.ROLE_NOUNS or low in lx.UNNAMED_HEADS:
            saw_role = True
        j += 1
    return j if saw_role else k


def _strip_det(s: str) -> str:
    s = s.strip()
    for det in ("the ", "The ", "a ", "an "):
        if s.startswith(det):
            return s[len(det) :]
    return s
