"""Odd and hostile input: the extractor answers correctly, in bounded time, never raises.

Bounded time is not measured here (timing belongs in benchmarks/): a quadratic scan of these
inputs would take minutes to hours, so a generous timeout is only a guard against a hang.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.model import Document
from nato_browse.index.tagging.tagger import Tagger

TAGGER = Tagger.default()


def run(body: str) -> list:
    found = extract_quotes(Document(title="t", body=body), TAGGER)
    for q in found:
        assert 0 <= q.start <= q.end <= len(body)
        assert body[q.start : q.end] == q.text
    assert len({q.quote_id for q in found}) == len(found)  # unique: the index keys on it
    return found


def test_empty_and_blank_bodies() -> None:
    assert run("") == []
    assert run(" \n\t\n ") == []


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_unbalanced_marks_in_bulk_take_bounded_time() -> None:
    for body in (
        "“" * 10_000,
        '"' * 10_000,
        "‘’" * 5_000,
        "« " * 10_000,
        ("word “" * 5_000) + "end",
        ('He said: "a ' * 3_000) + "b",
        ("Mr Smith said “" + "x " * 20) * 500,
        'He said: "a b" ' * 5_000,  # one sentence: every quote weighs every verb
        "''a 'b' c'' " * 5_000,
        '"WALLACE: hi there.\n' * 5_000,
        '"Trump said “yes” and “no” then.\n\n' * 3_000,
    ):
        run(body)


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_labels_and_names_in_bulk_take_bounded_time() -> None:
    body = "Vladimir Putin: Yes. Ivan Petrov Petrov Ivan: No. " * 2_000
    found = run(body)
    assert len(found) == 4_000


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_many_people_take_bounded_time() -> None:
    # Thousands of different people: looking a surname up must not walk all of them.
    letters = "ABCDEFGHIJKLMNOPQRST"
    names = [f"{a}ab{b}cd{c}ef" for a in letters for b in letters for c in letters[:15]]
    body = " ".join(f"Jon {n} said “ok.” First, {n} noted “fine.”" for n in names)
    found = run(body)
    assert len(found) == 2 * len(names)


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_a_large_text_is_extracted_in_bounded_time() -> None:
    paragraph = (
        "NATO Secretary General Jens Stoltenberg spoke in Brussels. “We stand with Ukraine,” "
        "he said, adding that Allies would “do more” for air defence.\n\n"
    )
    body = paragraph * 3_000  # ~0.5 MB
    found = run(body)
    assert len(found) == 6_000


def test_control_characters_and_odd_unicode() -> None:
    body = "\x00\x01“\u2028a\u2029”\ufeff«»\U0001f600 “ok,” he said\r\n"
    run(body)


def test_quote_at_the_very_edges() -> None:
    assert [q.text for q in run("“Yes,” said Jens Stoltenberg")] == ["Yes,"]
    run("”")
    run("“")
    run("'")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"ab .,:\n“”\"'‘’«»—-A", "said", "He ", "Mr Smith", "Q: ", "Ann Lee: "])
    ).map("".join)
)
def test_offsets_always_slice_the_body_marks_heavy(body: str) -> None:
    run(body)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_always_slice_the_body_any_text(body: str) -> None:
    run(body)
