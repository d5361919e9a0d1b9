"""One quote, many sources: which quotes are the same words said once and quoted many times.

`assign_groups` numbers the groups; `group_summary` describes one group for the detail pane.

Three relations put two quotes in one group:

1. the same text after `normalise` (marks, case, whitespace, trailing punctuation, apostrophes);
2. near-duplicates: the same words but for a dropped word or two, or an editor's "[insertion]";
3. containment: one quote (MIN_FRAGMENT_WORDS words or more) is a fragment of a longer one by
   the same speaker, e.g. a release quoting two sentences of a transcript. A fragment joins one
   longer quote only, so a phrase repeated in two speeches does not glue them together; a long
   turn whose passages several releases quote is one group with all of them.

near_duplicates.py finds the candidates for 2 and 3 (fingerprints, no all-pairs comparison) and
checks each pair word by word.

Speakers: quotes attributed to different named speakers are never merged, except identical texts
of LONG_EXACT_WORDS words or more (the attribution is what differs; `GroupInfo.speakers` shows
the disagreement). An unnamed source ("a spokesman") merges with a named one, and the named one
wins. A text of fewer than MIN_NEAR_WORDS words is one statement only per named speaker: two
unattributed "yes" are not one quotation. A question (kind "question") is always alone: it is
its asker's words, and whoever it quotes, joining a group would put it in their mouth.

The original: when a group holds a transcript's record (a speech paragraph, a press
conference's turn) and an article that quotes it, the transcript is where the words were said;
`GroupInfo.original` names it and lists it first ("said in 3 sources · original: speech,
17 Feb 2024").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..model import Quote
from .inputs import GroupingInputs, digest_key
from .near_duplicates import (
    MIN_FRAGMENT_WORDS,
    MIN_NEAR_WORDS,
    candidate_pairs,
    inside,
    match_words,
    relation,
)

# Identical texts at least this long are one group even when their named speakers differ.
LONG_EXACT_WORDS = 8
# Pairs whose shorter text has this many words are aligned with difflib's autojunk heuristic.
_LONG_ALIGNMENT = 200

_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "`", "\u00b4")
_EDGE_MARKS = " .,;:!?\u2026-\u2013\u2014\"'\u201c\u201d\u201e\u00ab\u00bb"
# An editor's ellipsis at the end: "Good. <...>", "we will [...]".
_EDGE_ELLIPSIS = ("<\u2026>", "<...>", "[\u2026]", "[...]", "(\u2026)", "(...)")
_OPENER = {">": "<", "]": "[", ")": "("}
# Accents as NFKD leaves them: combining marks after their base letter.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(text: str) -> str:
    """Text reduced to what makes two quotations the same words.

    Accents and case are dropped, curly apostrophes become straight, runs of whitespace become
    one space and leading/trailing punctuation (a full stop inside or outside the marks, an
    editor's "<...>") goes.
    """
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        for mark in _APOSTROPHES:
            if mark in text:
                text = text.replace(mark, "'")
    text = text.casefold()
    if "  " in text or not text.isprintable():  # tabs, newlines, Unicode spaces...
        text = " ".join(text.split())
    text = text.strip(_EDGE_MARKS)
    while text.endswith(_EDGE_ELLIPSIS):
        text = text[: text.rindex(_OPENER[text[-1]])]
        text = text.rstrip(_EDGE_MARKS)
    return text


def text_key(text: str) -> int:
    """A 63-bit hash of the normalised text, the same in every process: quotes with the same
    key say the same words (but for a 1-in-10^18 collision)."""
    return digest_key(normalise(text))


def speaker_key(quote: Quote) -> str:
    """The speaker as compared across sources; "" for an unnamed source."""
    return normalise(quote.speaker) if quote.named else ""


def speakers_compatible(a: str, b: str) -> bool:
    """Could `a` and `b` (speaker keys) be the same person? Unnamed ("") fits anyone."""
    if not a or not b or a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    # "stoltenberg" and "jens stoltenberg"
    return wa <= wb or wb <= wa


# --- grouping -----------------------------------------------------------------------------------


class _Groups:
    """Union-find over items (one text by one speaker), keeping each group's named speakers."""

    def __init__(self, speakers: list[frozenset[str]]) -> None:
        self.parent = list(range(len(speakers)))
        self.speakers = speakers

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def can_join(self, ra: int, rb: int) -> bool:
        sa, sb = self.speakers[ra], self.speakers[rb]
        return all(speakers_compatible(a, b) for a in sa for b in sb)

    def union(self, a: int, b: int) -> bool:
        """Join the groups of `a` and `b` unless that would put two named people together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_join(ra, rb):
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.speakers[ra] = self.speakers[ra] | self.speakers[rb]
        return True


def assign_groups(quotes: Sequence[Quote]) -> list[int]:
    """A group number for each quote (same order); quotes with the same number are one group.

    Groups are numbered 0.. in the order of their first quote.
    """
    return assign_groups_from(GroupingInputs.of(quotes, prints=False))


def assign_groups_from(inputs: GroupingInputs) -> list[int]:
    """`assign_groups` of the quotes `inputs` were computed from (inputs.py)."""
    if not len(inputs):
        return []
    table = inputs.table
    quote_unit = inputs.unit.tolist()
    quote_speaker = [inputs.speakers[s] for s in inputs.speaker.tolist()]

    # Items: a unit said by one speaker, the nodes of the union-find.
    quote_item, unit_items, item_speakers = _items(
        quote_unit, quote_speaker, table.lengths.tolist()
    )
    quote_unit.clear()  # needed no more: ~45 MB at 1M quotes, before the pairs' peak
    quote_speaker.clear()
    groups = _Groups(item_speakers)

    contained: list[tuple[int, int]] = []
    # difflib indexes a matcher's second sequence once: pairs come grouped by the longer text.
    # Two long texts are aligned with its "autojunk" (a word making up over 1% of the text
    # does not anchor a match, though matches run through it), else two transcripts would
    # cost seconds; a shorter one is aligned exactly.
    matchers = {
        True: difflib.SequenceMatcher[int](None, [], [], autojunk=True),
        False: difflib.SequenceMatcher[int](None, [], [], autojunk=False),
    }
    aligned_to = {True: -1, False: -1}
    current, long_raw = -1, b""
    for a, b in candidate_pairs(table, prints=inputs.prints):
        items_a, items_b = unit_items[a], unit_items[b]
        if (
            len(items_a) == 1
            and len(items_b) == 1
            and groups.find(items_a[0]) == groups.find(items_b[0])
        ):
            continue  # already joined through other texts
        short_size, long_size = int(table.lengths[a]), int(table.lengths[b])
        if b != current:
            current, long_raw = b, table.raw(b)
        if (
            short_size >= MIN_FRAGMENT_WORDS
            and long_size - short_size > max(1, long_size // 10)
            and inside(table.raw(a), long_raw)
        ):
            kind = "fragment"  # the common case, word for word: no need for difflib
        else:
            both_long = short_size >= _LONG_ALIGNMENT
            matcher = matchers[both_long]
            if aligned_to[both_long] != b:
                matcher.set_seq2(table.words(b))
                aligned_to[both_long] = b
            matcher.set_seq1(table.words(a))
            kind = relation(matcher, bool(table.gaps[a]))
        if kind == "near":
            for x in items_a:
                for y in items_b:
                    groups.union(x, y)
        elif kind == "fragment":
            contained.append((a, b))

    # A fragment joins one container only, the longest, so that a phrase a speaker repeats in
    # two speeches does not glue the two speeches together.
    best: dict[int, tuple[int, int]] = {}
    for small, big in contained:
        for x in unit_items[small]:
            rx = groups.find(x)
            for y in unit_items[big]:
                ry = groups.find(y)
                if rx != ry and groups.can_join(rx, ry):
                    current_best = best.get(rx)
                    if current_best is None or table.lengths[big] > current_best[1]:
                        best[rx] = (y, int(table.lengths[big]))
    for rx, (y, _) in best.items():
        groups.union(rx, y)

    numbers: dict[int, int] = {}
    return [numbers.setdefault(groups.find(item), len(numbers)) for item in quote_item]


class _UnitItems:
    """Each unit's items, in the order they were made. Most units have one: it is kept in an
    array, the others in a dict (a list per unit would cost ~90 MB at 1M quotes)."""

    def __init__(self, units: int) -> None:
        self.first = np.full(units, -1, dtype=np.int64)
        self.more: dict[int, list[int]] = {}

    def add(self, unit: int, item: int) -> None:
        if self.first[unit] < 0:
            self.first[unit] = item
        else:
            self.more.setdefault(unit, []).append(item)

    def __getitem__(self, unit: int) -> list[int]:
        first = int(self.first[unit])
        if first < 0:
            return []
        more = self.more.get(unit)
        return [first, *more] if more else [first]


def _items(
    quote_unit: list[int], quote_speaker: list[str], lengths: Sequence[int]
) -> tuple[list[int], _UnitItems, list[frozenset[str]]]:
    """Each quote's item, each unit's items, and each item's named speakers.

    A long text is one item whoever it is attributed to. A shorter one is one item per set of
    compatible names, the unnamed joining the only named speaker; below MIN_NEAR_WORDS words an
    unattributed quote stays alone. (Lean on memory: most texts have one speaker, and items
    with the same speakers share one set.)
    """
    first: list[str | None] = [None] * len(lengths)
    others: dict[int, list[str]] = {}  # the speakers of texts that have more than one
    for unit, key in zip(quote_unit, quote_speaker, strict=True):
        seen = first[unit]
        if seen is None:
            first[unit] = key
        elif key != seen:
            names = others.setdefault(unit, [seen])
            if key not in names:
                names.append(key)
    unit_items = _UnitItems(len(lengths))
    item_speakers: list[frozenset[str]] = []
    sets: dict[frozenset[str], frozenset[str]] = {}
    only_item = [-1] * len(lengths)  # the item of all the unit's quotes, when there is one
    item_of: dict[tuple[int, str], int] = {}  # otherwise, by speaker

    def new_item(unit: int, names: Iterable[str]) -> int:
        unit_items.add(unit, len(item_speakers))
        named = frozenset(n for n in names if n)
        item_speakers.append(sets.setdefault(named, named))
        return len(item_speakers) - 1

    for unit, first_key in enumerate(first):
        several = others.get(unit)
        if lengths[unit] >= LONG_EXACT_WORDS or (several is None and first_key):
            only_item[unit] = new_item(unit, several or [first_key or ""])
            continue
        if several is None:  # unattributed
            if lengths[unit] >= MIN_NEAR_WORDS:
                only_item[unit] = new_item(unit, ())
            continue  # shorter: each of its quotes alone, below
        for cluster in _speaker_clusters(several, lengths[unit]):
            item = new_item(unit, cluster)
            for name in cluster:
                item_of[(unit, name)] = item
    quote_item = []
    for unit, key in zip(quote_unit, quote_speaker, strict=True):
        item = only_item[unit]
        if item == -1 and unit in others:
            item = item_of.get((unit, key), -1)
        quote_item.append(new_item(unit, ()) if item == -1 else item)
    return quote_item, unit_items, item_speakers


def _speaker_clusters(names: list[str], length: int) -> list[list[str]]:
    """The speakers of one short text, in sets that may be one statement."""
    clusters: list[list[str]] = []
    for key in names:
        if not key:
            continue
        for cluster in clusters:
            if length >= MIN_NEAR_WORDS and all(speakers_compatible(key, o) for o in cluster):
                cluster.append(key)
                break
        else:
            clusters.append([key])
    if "" in names and length >= MIN_NEAR_WORDS:
        if len(clusters) == 1:
            clusters[0].append("")
        else:
            clusters.append([""])
    return clusters


# --- one group, for the detail pane -------------------------------------------------------------

DiffKind = Literal["same", "added", "missing"]
# A source's wording against the canonical text: runs of words the same, added by this source,
# or missing from it.
WordDiff = tuple[tuple[DiffKind, str], ...]


@dataclass(frozen=True, slots=True)
class GroupSource:
    """One source of a grouped quote."""

    quote: Quote
    diff: WordDiff  # this source's wording against `GroupInfo.text`
    fragment: bool = False  # quotes only part of the canonical text

    @property
    def differs(self) -> bool:
        return any(kind != "same" for kind, _ in self.diff)


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """What the detail pane shows for a group of quotes."""

    text: str  # the canonical wording: the earliest of the (near) longest
    speaker: str  # named attribution wins over an unnamed one
    role: str
    named: bool
    earliest_date: str  # "" when no source is dated
    sources: tuple[GroupSource, ...]  # by date, undated last
    # Every distinct attribution, the canonical speaker first; more than one is a disagreement.
    speakers: tuple[str, ...]
    # Where the words were said, when a source is a transcript's record (a speech, a press
    # conference) and another quotes it; it is then sources[0].
    original: GroupSource | None = None

    @property
    def disagreement(self) -> bool:
        return len(self.speakers) > 1

    @property
    def documents(self) -> int:
        return len({s.quote.doc for s in self.sources})


def group_summary(quotes: Iterable[Quote]) -> GroupInfo:
    """Describe one group (the quotes that `assign_groups` numbered alike)."""
    ordered = sorted(quotes, key=lambda q: (q.date == "", q.date, q.doc, q.start))
    if not ordered:
        raise ValueError("group_summary needs at least one quote")
    sizes = [len(match_words(normalise(q.text))) for q in ordered]
    longest = max(sizes)
    # The earliest of the (nearly) longest wordings; on the same day, one without an editor's
    # [insertion].
    canonical = min(
        (q for q, n in zip(ordered, sizes, strict=True) if n * 10 >= longest * 9),
        key=lambda q: (q.date == "", q.date, "[" in q.text, -len(q.text)),
    )
    speaker, named, speakers = _canonical_speaker(ordered)
    role = next((q.role for q in ordered if q.speaker == speaker and q.role), "")
    sources = []
    for q, n in zip(ordered, sizes, strict=True):
        fragment = n >= MIN_FRAGMENT_WORDS and n * 10 < longest * 9
        sources.append(GroupSource(q, word_diff(canonical.text, q.text, fragment), fragment))
    original = _original(sources)
    if original is not None:
        sources.remove(original)
        sources.insert(0, original)
    return GroupInfo(
        text=canonical.text,
        speaker=speaker,
        role=role,
        named=named,
        earliest_date=ordered[0].date,
        sources=tuple(sources),
        speakers=speakers,
        original=original,
    )


# Records of what was said where it was said: a speech's paragraphs, a transcript's turns.
_SPOKEN_KINDS = frozenset({"remarks", "turn"})


def _original(sources: list[GroupSource]) -> GroupSource | None:
    """The transcript record among a group's sources that the others quote: the earliest
    (sources are by date) whole one; None when no source is a transcript's or all are."""
    spoken = [s for s in sources if s.quote.kind in _SPOKEN_KINDS]
    if not spoken or len(spoken) == len(sources):
        return None
    whole = [s for s in spoken if not s.fragment]
    return (whole or spoken)[0]


def _canonical_speaker(ordered: list[Quote]) -> tuple[str, bool, tuple[str, ...]]:
    """The most often named speaker (earliest on a tie), else the first unnamed source.

    Also every distinct attribution, the chosen one first.
    """
    seen: dict[str, Quote] = {}
    named_counts: dict[str, int] = {}
    for q in ordered:
        key = normalise(q.speaker)
        if not key:
            continue
        seen.setdefault(key, q)
        if q.named:
            named_counts[key] = named_counts.get(key, 0) + 1
    if not seen:
        return "", False, ()
    if named_counts:
        top = max(named_counts, key=lambda k: named_counts[k])  # first of the most frequent
    else:
        top = next(iter(seen))
    chosen = seen[top]
    others = tuple(q.speaker for key, q in seen.items() if key != top)
    return chosen.speaker, bool(named_counts), (chosen.speaker, *others)


def word_diff(canonical: str, text: str, fragment: bool = False) -> WordDiff:
    """Word-level differences of `text` against `canonical` (compared after `normalise`).

    For a fragment, the canonical words before and after the part it quotes are not "missing".
    """
    base, words = canonical.split(), text.split()
    matcher = difflib.SequenceMatcher(
        None, [normalise(w) for w in base], [normalise(w) for w in words], autojunk=False
    )
    runs: list[tuple[DiffKind, str]] = []

    def emit(kind: DiffKind, chunk: list[str]) -> None:
        if not chunk:
            return
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + " " + " ".join(chunk))
        else:
            runs.append((kind, " ".join(chunk)))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit("same", words[j1:j2])
        else:
            emit("missing", base[i1:i2])
            emit("added", words[j1:j2])
    if fragment:
        while runs and runs[0][0] == "missing":
            runs.pop(0)
        while runs and runs[-1][0] == "missing":
            runs.pop()
    return tuple(runs)
