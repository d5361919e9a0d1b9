"""Who said a quotation its own sentence does not attribute: a learned guess, or nobody.

A quotation standing alone ("“We have to be a lot tougher.”" after a paragraph about Trump)
is usually said by someone the text named shortly before, but not always by the last person
named: on unseen news text that guess is right about one time in three. Here each person the
document has named in the sentences before the quotation (or in the next sentence of its
paragraph) is scored by a logistic regression over features of the (quotation, person) pair:
how far back and how they were named (as the speaker of a reporting verb, as a sentence's
subject, as the source of a quotation, or in passing), whether they spoke the last quotation,
how central they are to the document. The best-scored person is credited only when the model
gives them a probability at least the threshold chosen by cross-validation on the training
split; otherwise the quotation stays unattributed.

The weights are data (`data/speaker_guess.toml`), written by `benchmarks/train_guess.py` from
the gold quotes of polnear-train; the training text is not part of the project.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .. import paths

GUESS_FILE = "speaker_guess.toml"

# How a sighting names its person, strongest first.
HOW = (
    "own",
    "speaker",
    "subject",
    "quoted",
    "mention",
)  # "own": the quotation's sentence's subject


@dataclass(frozen=True, slots=True)
class Source:
    """A candidate that is not a person of the document: the subject of the quotation's own
    sentence when it names an organisation, a description ("A group of artists") or a
    name said once."""

    name: str
    start: int


@dataclass(frozen=True, slots=True)
class Sighting:
    """One place the document names a candidate before (or just after) a quotation."""

    person: Hashable  # the same object for every sighting of one candidate
    sent: int  # index of its sentence
    para: int  # index of its paragraph
    pos: int  # character offset
    how: str  # one of HOW
    gap: int = 0  # "own": words between the subject and the quotation
    kind: str = "person"  # "person", or a Source's "name" or "unnamed"


@dataclass(frozen=True, slots=True)
class QuoteSite:
    """What the guess needs to know about the quotation itself."""

    sent: int
    para: int
    pos: int
    opens_paragraph: bool  # the quotation starts its paragraph
    whole_paragraph: bool  # and nothing but a few words follow it there
    first_person: bool  # it says "I", "we", "my", "our"
    words: int
    last_speaker: Hashable | None  # who said the document's previous quotation
    last_speaker_para: int  # that quotation's paragraph (-1 when none)
    in_title: frozenset[Hashable] = frozenset()  # the people the title names
    doc_share: tuple[tuple[Hashable, float], ...] = ()  # each person's share of mentions
    top: Hashable | None = None  # the person the document names most


FEATURES = (
    "sentences_back",  # log(1 + sentences between the last sighting and the quotation)
    "same_paragraph",
    "previous_paragraph",
    "paragraphs_back",  # log(1 + paragraphs back), 0 in the same paragraph
    "most_recent",  # the person named last
    "second_recent",
    "last_speaker",  # said the previous quotation
    "last_speaker_near",  # ... in this paragraph or the one before
    "quotes_before",  # log(1 + quotations credited to them before)
    "sightings",  # log(1 + sightings in the window)
    "as_speaker",  # the last sighting was as a reporting verb's speaker
    "as_subject",
    "as_quoted",
    "ever_speaker",  # some sighting in the window was as a speaker
    "after_quote",  # named in the next sentence of the paragraph, not before
    "same_sentence",  # named before the quotation in its own sentence
    "in_title",
    "doc_share",  # their share of the document's mentions of people
    "top_person",  # the person the document names most
    "only_candidate",
    "candidates",  # log(1 + people in the window)
    "opens_paragraph",
    "whole_paragraph",
    "first_person",
    "short_quote",  # three words or fewer
    "own_subject",  # the subject of the quotation's own sentence, before it
    "own_gap",  # log(1 + words between that subject and the quotation)
    "not_person",  # a Source: an organisation or a name the document gives once
    "unnamed",  # a Source that is a description
)


def features(site: QuoteSite, sightings: Iterable[Sighting]) -> list[tuple[Hashable, list[float]]]:
    """Each candidate person with the feature vector (in FEATURES order) of the pair."""
    by_person: dict[Hashable, list[Sighting]] = {}
    for s in sightings:
        by_person.setdefault(s.person, []).append(s)
    if not by_person:
        return []
    before = {p: [s for s in ss if s.pos < site.pos] for p, ss in by_person.items()}
    last_pos = {p: (max(s.pos for s in ss) if ss else -1) for p, ss in before.items()}
    people = list(by_person)
    ranked = sorted(
        (k for k, p in enumerate(people) if last_pos[p] >= 0), key=lambda k: -last_pos[people[k]]
    )
    rank = {people[k]: r for r, k in enumerate(ranked)}
    shares = dict(site.doc_share)
    n = len(by_person)
    out: list[tuple[Hashable, list[float]]] = []
    for person, seen in by_person.items():
        prior = before[person]
        last = max(prior, key=lambda s: s.pos) if prior else min(seen, key=lambda s: s.pos)
        sent_gap = abs(site.sent - last.sent)
        para_gap = abs(site.para - last.para)
        is_last = site.last_speaker is not None and person == site.last_speaker
        near = is_last and 0 <= site.para - site.last_speaker_para <= 1
        x = [
            math.log1p(sent_gap),
            float(para_gap == 0),
            float(para_gap == 1),
            math.log1p(para_gap),
            float(rank.get(person) == 0),
            float(rank.get(person) == 1),
            float(is_last),
            float(near),
            math.log1p(sum(1 for s in prior if s.how == "quoted")),
            math.log1p(len(seen)),
            float(last.how == "speaker"),
            float(last.how == "subject"),
            float(last.how == "quoted"),
            float(any(s.how == "speaker" for s in seen)),
            float(not prior),
            float(any(s.sent == site.sent for s in prior)),
            float(person in site.in_title),
            shares.get(person, 0.0),
            float(site.top is not None and person == site.top),
            float(n == 1),
            math.log1p(n),
            float(site.opens_paragraph),
            float(site.whole_paragraph),
            float(site.first_person),
            float(site.words <= 3),
            float(any(s.how == "own" for s in seen)),
            math.log1p(min((s.gap for s in seen if s.how == "own"), default=0)),
            float(last.kind != "person"),
            float(last.kind == "unnamed"),
        ]
        out.append((person, x))
    return out


@dataclass(frozen=True, slots=True)
class GuessModel:
    """A logistic regression over FEATURES and the probability a guess needs to stand."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def choose(
        self, site: QuoteSite, sightings: Iterable[Sighting]
    ) -> tuple[Hashable | None, float]:
        """The person to credit (None: nobody is likely enough) and the model's probability.
        Ties go to the person named last, so the answer never depends on dict order."""
        best: tuple[float, float, Hashable] | None = None
        for person, x in features(site, sightings):
            p = self.probability(x)
            key = (p, x[4])  # most_recent breaks ties
            if best is None or key > best[:2]:
                best = (*key, person)
        if best is None:
            return None, 0.0
        return (best[2] if best[0] >= self.threshold else None), best[0]

    @classmethod
    def from_mapping(cls, data: dict[str, object]) -> GuessModel:
        """From the TOML file's content: `bias`, `threshold` and one weight per feature."""
        weights = data.get("weights")
        if not isinstance(weights, dict) or set(weights) != set(FEATURES):
            raise ValueError(f"{GUESS_FILE}: [weights] must give exactly the features {FEATURES}")
        bias, threshold = data.get("bias"), data.get("threshold")
        if not isinstance(bias, int | float) or not isinstance(threshold, int | float):
            raise ValueError(f"{GUESS_FILE}: bias and threshold must be numbers")
        return cls(tuple(float(weights[f]) for f in FEATURES), float(bias), float(threshold))

    @classmethod
    def default(cls) -> GuessModel:
        return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> GuessModel:
    with (paths.DATA_DIR / GUESS_FILE).open("rb") as handle:
        return GuessModel.from_mapping(tomllib.load(handle))


__all__ = ["FEATURES", "GuessModel", "QuoteSite", "Sighting", "Source", "features"]
