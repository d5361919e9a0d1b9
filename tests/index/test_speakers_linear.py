"""The speaker rules (attribution.py, speakers.py, identity.py, names.py, people.py and the corpus
merge) run in linear time in their input.

Inputs of 100k characters: one long word (capitalised, in capitals, dotted, hyphenated), one long
line of capitalised words, long labels and appositives. A rule that re-reads a word from each of
its letters takes minutes on these; the timeout only guards against a hang, it measures nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index.extract.attribution import find_attributions, tokens
from nato_browse.index.extract.identity import DocumentFacts, settle
from nato_browse.index.extract.names import same_person
from nato_browse.index.extract.people import People
from nato_browse.index.extract.speakers import Resolved, SpeakerResolver
from nato_browse.index.grouping.speakers import merge_speakers

N = 100_000

LONG_INPUTS = {
    "capitalised word": "A" + "b" * N,
    "word in capitals": "A" * N,
    "dotted word": "A." * (N // 2),
    "hyphenated word": "Ab-" * (N // 3),
    "apostrophes": "O'" * (N // 2),
    "capitalised words": "Ab " * (N // 3),
    "dotted initials": "Ab. " * (N // 4),
    "commas": "Ab, " * (N // 4),
    "connectors": "Ab of the " * (N // 10),
    "honorifics": "Mr. Dr. Gen. " * (N // 13),
    "roles": "Deputy Head of the Office of the President " * (N // 43),
    "label": "Ab" * (N // 2) + ": words",
}


@pytest.mark.timeout(60)  # a hang guard, not a measurement
@pytest.mark.parametrize("name", sorted(LONG_INPUTS))
@pytest.mark.parametrize("where", ["in a quote", "before a verb", "after a verb"])
def test_long_input_takes_bounded_time(name: str, where: str) -> None:
    text = LONG_INPUTS[name]
    body = {
        "in a quote": f"Mr Smith said “{text} end.”",
        "before a verb": f"“Fine,” {text} said.",
        "after a verb": f"“Fine,” said {text}.",
    }[where]
    resolver = SpeakerResolver(body)
    for person in resolver.people:
        resolver.by_surname(person.surname)
    resolver.subject_of(tokens(body, 0, len(body)))
    find_attributions(body, 0, len(body), [])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Ab", "AB", "A.", "-", "'", " ", ", ", " of ", " said ", "“", "”", "Mr ", "\n"]
        ),
        min_size=1,
        max_size=12,
    ).map("".join)
)
@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_any_repeated_pattern_takes_bounded_time(unit: str) -> None:
    body = unit * (20_000 // len(unit) + 1)
    resolver = SpeakerResolver(body)
    resolver.subject_of(tokens(body, 0, min(len(body), 200)))
    find_attributions(body, 0, len(body), [])


@pytest.mark.timeout(60)  # a hang guard, not a measurement
@pytest.mark.parametrize("name", sorted(LONG_INPUTS))
def test_naming_rules_take_bounded_time(name: str) -> None:
    # The last step (identity.py), the name keys and people.toml lookups on a 100k speaker.
    text = LONG_INPUTS[name]
    body = f"“Fine,” said {text}."
    facts = DocumentFacts(body, "Title", "2022-05-01", "http://en.kremlin.ru/x", People.default())
    resolver = SpeakerResolver(body, people=facts.people, date=facts.date, url=facts.url)
    for named in (True, False):
        settle(Resolved(text, "", named), facts, resolver)
    same_person(text, text + " Ab")
    People.default().lookup(text)
    resolver.holder(text)


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_merging_many_names_takes_bounded_time() -> None:
    # 20k speakers, many sharing first letters and surname sounds: bucketed, never all pairs.
    letters = "ABCDEFGHIJKLMNOPQRST"
    names = {
        f"{a}nna {b}ar{c}ova": 1
        for a in letters
        for b in letters
        for c in "abcdefghijklmnopqrstuvwxy"
    }
    names.update({f"{b}ar{c}ova": 1 for b in letters for c in "abcde"})
    table = merge_speakers(names, People.default())
    assert len(table.canonical) == len(names)
