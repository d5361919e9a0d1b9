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
        # A phrase set off by commas, with commas of its own, between the subject and its verb;
        # a place inside it is never the speaker.
        (
            "Anna Berg, during a visit to a shipyard in Narva, Estonia, said the plan was "
            '"going to cost us every spare ship."',
            "Anna Berg",
        ),
        ('"We have no ships to spare," Anna Berg, after a long pause, said.', "Anna Berg"),
        (
            "Anna Berg, who grew up in a port town near Parnu, Estonia, warned of "
            '"a summer of mines in the Baltic."',
            "Anna Berg",
        ),
        # What a verb is said of or about is not who speaks: "said of X", "the state of X".
        ('"He knows the navy well," Anna Berg said of Ivan Petrenko.', "Anna Berg"),
        (
            'Anna Berg is known as "tough" and "blunt" in her home state of Vermont.',
            "Anna Berg",
        ),
        # A name in apposition after the role that an inverted verb introduces.
        (
            'The inspectors found "no trace of any ships," said the navy\'s chief, Anna Berg, '
            "on Monday.",
            "Anna Berg",
        ),
        # A paragraph that is nothing but a quotation, after a paragraph about one person.
        (
            "Ivan Petrenko met the crews. Anna Berg stayed with them through the storm.\n\n"
            '"We need more people like them in every port."',
            "Anna Berg",
        ),
        # A reporting verb spelt like a noun after an article is that noun: "a Twitter post".
        (
            'Anna Berg posted a Twitter comment of her own, saying, "We are so proud of them."',
            "Anna Berg",
        ),
        # A paragraph ending in a colon announces the next one's quotation.
        (
            "When the treaty lapsed, Anna Berg released the following statement:\n\n"
            '"We regret the decision and will keep talking."',
            "Anna Berg",
        ),
        # "that tweet" is a noun; "calling X" names whom the words are about.
        (
            f'{INTRO}Anna Berg responded to that tweet by calling Petrenko "a coward" on Monday.',
            "Anna Berg",
        ),
        # An opening phrase that ends in a place of two parts: "in Narva, Ida Viru,".
        (
            "Speaking at a town hall in Narva, Ida Viru, Anna Berg went after Petrenko, calling "
            'him "a total stiff."',
            "Anna Berg",
        ),
        # A fragment that completes a reporting clause is kept.
        ('Anna Berg said the plan was "unworkable".', "Anna Berg"),
        ('"Let us win this in November," Ivan Petrenko boomed.', "Ivan Petrenko"),
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


def test_the_subject_of_the_quotations_sentence_is_its_source() -> None:
    # An organisation (not a person, so not "named") with no reporting verb.
    body = (
        "Anna Berg won the vote.\n\nThe Baltic Courier described her as "
        '"a hard-liner with a soft voice" in an editorial.'
    )
    assert [q.speaker for q in quotes(body)] == ["Baltic Courier"]
    body = 'Anna Berg won.\n\nThe Baltic Party committee wrote about the plan:\n\n"It goes far."'
    assert [q.speaker for q in quotes(body)] == ["Baltic Party"]
    body = 'But as The Baltic Hill pointed out, "Still, she has not released any returns."'
    assert [q.speaker for q in quotes(body)] == ["Baltic Hill"]
    # A sentence adverb ("Likewise,") or a lone capitalised word opening it is no source.
    body = 'Likewise, the plan had this to say about it: "Families would receive less."'
    assert [q.speaker for q in quotes(body)] == [""]
    body = 'Anna Berg won the vote.\n\nSigns of a shift were there all along, "in every poll."'
    assert [q.speaker for q in quotes(body)] == [""]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            'Anna Jonas lost.\n\nIt was no "regional" defeat, as Jonas’ campaign manager '
            "suggested after the vote.",
            "Jonas’ campaign manager",
        ),
        (
            'Another source familiar with Berg’s thinking said, "She will try again."',
            "Another source familiar with Berg’s thinking",
        ),
        (
            'Two officials with knowledge of the talks said "nothing was agreed."',
            "Two officials with knowledge of the talks",
        ),
        ('People close to the minister said "the deal is off."', "People close to the minister"),
        (
            '"We have work to do," said a longtime adviser to both Bergs.',
            "a longtime adviser to both Bergs",
        ),
    ],
)
def test_an_unnamed_source_keeps_its_words(body: str, source: str) -> None:
    (q,) = quotes(body)
    assert (q.speaker, q.named) == (source, False)


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        # "?" ends the sentence; the speaker opens the next, which has a quotation of its own.
        (
            f'{INTRO}"Who will pay?" Ivan Petrenko asked.\n\n"Not us, surely?" Anna Berg '
            'replied, and added: "The bill is theirs."',
            ["Ivan Petrenko", "Anna Berg", "Anna Berg"],
        ),
        # The subject named just before the quotation, right after another's quotation.
        (
            'Both spoke after the talks, Ivan Petrenko saying they were "useful" and Anna Berg '
            'calling them a "good start."',
            ["Ivan Petrenko", "Anna Berg"],
        ),
    ],
)
def test_two_speakers_in_turn(body: str, speakers: list[str]) -> None:
    assert [q.speaker for q in quotes(body)] == speakers


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
