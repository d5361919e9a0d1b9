"""The attribution patterns of issue 10 that used to fail (X stands for any name), on sentences
written for the tests."""

from __future__ import annotations

import pytest
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.model import Document, Quote

INTRO = "Defence Minister Anna Berg and Ivan Petrenko met in Tallinn. "


def quotes(body: str) -> list[Quote]:
    found = extract_quotes(Document(title="t", body=body))
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # The subject is found past a participle, an appositive, an opening adverb or phrase.
        (
            'Talks stalled, with spokesman Pavel Orlov saying, "We will respond next week."',
            "Pavel Orlov",
        ),
        ('Anna Berg was speaking to reporters, saying "the border stays closed."', "Anna Berg"),
        (
            "Anna Berg, who has led the ministry since 2019 and spent a decade in the navy "
            'before that, said: "We are ready."',
            "Anna Berg",
        ),
        ('Already, Anna Berg has denounced the plan and said, "It cannot work."', "Anna Berg"),
        ('On Monday morning, Anna Berg said "the talks are over."', "Anna Berg"),
        (
            'Anna Berg visited the port and warned that "the mines are a danger to all ships."',
            "Anna Berg",
        ),
        # A fragment that completes a reporting clause is kept.
        ('Anna Berg said the plan was "unworkable".', "Anna Berg"),
        # Reporting cues: put it, refer to ... as, inverted "advises".
        ('As Anna Berg put it, "nobody wins a trade war."', "Anna Berg"),
        ('Anna Berg referred to the treaty as "a dead letter."', "Anna Berg"),
        ('"Plant more trees," advises ecologist Anna Berg.', "Anna Berg"),
        # Links across sentences and paragraphs.
        (
            'Anna Berg, 41, a nurse, agreed.\n\n"We have no beds left and no staff to care for '
            'the wounded."',
            "Anna Berg",
        ),
        (f'{INTRO}"Who will pay for it?" Mr Petrenko said.', "Ivan Petrenko"),
        (f'{INTRO}"We cannot wait!" Ms Berg said.', "Anna Berg"),
        # A title after the full name stays that person's.
        ('President Ivan Petrenko met Anna Berg. "We agree," said the President.', "Ivan Petrenko"),
    ],
)
def test_the_speaker_is_found(body: str, speaker: str) -> None:
    found = quotes(body)
    assert [q.speaker for q in found] == [speaker] * len(found)
    assert found and all(q.named for q in found)


def test_second_hand_sources_keep_both() -> None:
    (q,) = quotes('According to the ministry, Anna Berg said "the drills will go on."')
    assert (q.speaker, q.via) == ("Anna Berg", "the ministry")
    (q,) = quotes('Reuters quoted Anna Berg as saying "the drills will go on."')
    assert (q.speaker, q.via) == ("Anna Berg", "Reuters")
    assert q.to_json()["via"] == "Reuters"
    assert Quote.from_json(q.to_json()) == q


def test_a_passive_question_is_not_the_askeds() -> None:
    (q,) = quotes('Anna Berg was asked by host Ivan Petrenko "whether the draft will return."')
    assert q.speaker == "Ivan Petrenko"


@pytest.mark.parametrize(
    "body",
    [
        'Anna Berg presented a so-called "green" budget.',
        'Anna Berg spoke about the "Brave Cities" project.',
        'Anna Berg told "Morning Report" on Sunday that the drills go on.',
    ],
)
def test_scare_quotes_and_names_of_things_are_dropped(body: str) -> None:
    assert quotes(body) == []
