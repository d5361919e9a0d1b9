"""Speeches, press conferences, doorsteps and interviews: every word said on the record gets its
speaker (issue 9). The documents are our own, written in the forms nato.int and governments use.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.ingest.loaders import load_file
from nato_browse.index.model import Document, Quote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SG = ("Jens Stoltenberg", "NATO Secretary General")

# The paragraphs of a speech with no quotation marks at all.
SPEECH = [
    "Good morning.",
    "Defence Ministers meet this week to prepare a summit where we will agree a stronger plan "
    "for the defence of the eastern flank.",
    "We will also agree a package of support for Ukraine, so that it can defend itself for "
    "the longer term.",
    "Thank you.",
]


def quotes(title: str, body: str, date: str = "") -> list[Quote]:
    found = extract_quotes(Document(title=title, body=body, date=date))
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


def rows(found: list[Quote]) -> list[tuple[str, str, str]]:
    return [(q.kind, q.speaker, q.text) for q in found]


def loaded(tmp_path: Path, name: str, text: str) -> list[Quote]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert not result.error, result.error
    (doc,) = result.documents
    return extract_quotes(doc)


# -- speeches: the byline speaker's words, one record a paragraph --------------------------------


def test_every_paragraph_of_a_speech_text_file_is_the_byline_speakers(tmp_path: Path) -> None:
    text = (
        "Speech\n\nby NATO Secretary General Jens Stoltenberg at the opening of a conference\n\n"
        "14 Jun. 2023 -\n\n| Last updated: 15 Jun. 2023 11:27\n\n(As delivered)\n\n"
        + "\n\n".join(SPEECH)
        + "\n"
    )
    found = loaded(tmp_path, "speech.txt", text)
    assert [q.text for q in found] == SPEECH
    assert {(q.kind, q.speaker, q.role, q.named) for q in found} == {("remarks", *SG, True)}
    assert {q.date for q in found} == {"2023-06-14"}  # the date line, not "Last updated"
    assert {q.form for q in found} == {"speech"}
    # Greetings are kept, marked procedural (they never lead a search or a speaker's view).
    assert [q.procedural for q in found] == [True, False, False, True]


def test_a_speech_whose_title_carries_the_byline(tmp_path: Path) -> None:
    text = (
        "Keynote address by NATO Deputy Secretary General Radmila Shekerinska at a defence "
        "forum\n\n" + "\n\n".join(SPEECH)
    )
    found = loaded(tmp_path, "keynote.txt", text)
    assert [q.text for q in found] == SPEECH
    assert {(q.speaker, q.role) for q in found} == {
        ("Radmila Shekerinska", "NATO Deputy Secretary General")
    }


def test_a_speech_in_markdown(tmp_path: Path) -> None:
    text = (
        "# Opening remarks\n\n*by NATO Secretary General Mark Rutte at the meeting of the "
        "North Atlantic Council*\n\n_(As delivered)_\n\n" + "\n\n".join(SPEECH) + "\n"
    )
    found = loaded(tmp_path, "remarks.md", text)
    assert [q.text for q in found] == SPEECH
    assert {(q.kind, q.speaker, q.role) for q in found} == {
        ("remarks", "Mark Rutte", "NATO Secretary General")
    }


def test_a_role_alone_in_the_byline_is_an_unnamed_source() -> None:
    body = "Dear friends!\n\nOur country will stand, and our partners stand with us."
    found = quotes("Speech by the President of a Republic in its Parliament", body)
    assert {(q.speaker, q.role, q.named) for q in found} == {
        ("the President of a Republic", "President of a Republic", False)
    }


def test_a_speech_whose_line_breaks_were_lost_is_cut_into_passages() -> None:
    sentence = "Allies will keep their promises to each other and to Ukraine this year. "
    body = sentence * 60  # ~4,400 characters in one paragraph
    found = quotes("Address by President Ann Example to a Parliament", body)
    assert len(found) > 3
    assert all(len(q.text) <= 1500 for q in found)
    assert all(q.text.endswith("year.") for q in found)
    assert "".join(q.text + " " for q in found) == body  # nothing lost, nothing repeated


def test_a_news_article_with_a_reporters_byline_has_no_remarks() -> None:
    body = (
        "By Jane Reporter\n\nBRUSSELS - Allies agreed on Thursday to buy more air defence.\n\n"
        "“We are united,” NATO Secretary General Jens Stoltenberg said."
    )
    found = quotes("NATO allies agree to buy air defence", body)
    assert rows(found) == [("quote", "Jens Stoltenberg", "We are united,")]


def test_a_report_about_a_speech_is_not_the_speech() -> None:
    body = (
        "by NATO Secretary General Jens Stoltenberg\n\n"
        "Allies must spend more on defence, this year and every year.\n\n"
        "Mr Stoltenberg said that the plan would be agreed at the summit.\n\n"
        "“We are ready,” Mr Stoltenberg added."
    )
    found = quotes("Statement", body)
    assert rows(found) == [
        (
            "remarks",
            "Jens Stoltenberg",
            "Allies must spend more on defence, this year and every year.",
        ),
        ("quote", "Jens Stoltenberg", "We are ready,"),
    ]


def test_a_joint_statement_told_in_the_third_person_is_a_report() -> None:
    body = (
        "(Brussels, 2 May 2024) Prime Minister Berit Sample and President Anna Example met "
        "today to discuss the security of the region.\n\n"
        "The leaders agreed to deepen their cooperation on air defence."
    )
    found = quotes(
        "Joint statement by President Anna Example and Prime Minister Berit Sample", body
    )
    assert found == []


def test_a_briefing_by_an_aide_whose_role_runs_through_to() -> None:
    body = (
        "Yury Sample briefed journalists on the talks.\n\n"
        "Aide to the President Yury Sample: Good evening. The talks lasted two hours."
    )
    found = quotes("Briefing by Aide to the President Yury Sample following the talks", body)
    assert [(q.kind, q.speaker, q.role) for q in found] == [
        ("turn", "Yury Sample", "Aide to the President")
    ]


def test_a_speech_that_cites_someone_keeps_the_citation_and_drops_stray_marks() -> None:
    body = (
        "by NATO Secretary General Jens Stoltenberg\n\n"
        "Many years ago, President Harriet Example told a crowd: “Freedom is never free.”\n\n"
        "That is why we call it our “shield”, and it has kept us safe."
    )
    found = quotes("Speech", body)
    cited = [q for q in found if q.kind == "quote"]
    assert [(q.speaker, q.text) for q in cited] == [("Harriet Example", "Freedom is never free.")]
    assert [q.kind for q in found].count("remarks") == 2


# -- press conferences: labels in every shape ----------------------------------------------------

PRESS_CONFERENCE = """by NATO Secretary General Jens Stoltenberg

14 Jun. 2023 -

(As delivered)

Good afternoon.

Defence Ministers will meet this week to prepare the summit.

NATO Spokesperson Oana Lungescu: Thank you. We go first to Reuters.

Question (Reuters): Secretary General, will Sweden join before the summit?

I am confident that Sweden will be a full member soon.

The decision now lies with the last two parliaments.

Oana Lungescu (NATO Spokesperson): Next question.

Question [Agence Europe]: What about the pledges on air defence?

NATO Secretary General: We have seen many new pledges this week.

Moderator: The Financial Times.

Q: Is the target of two percent still enough?

A: Two percent is a floor, not a ceiling.

QUESTION:

Will Allies send more ammunition?

Yes, and the factories are working in three shifts.

Jens Stoltenberg(NATO Secretary General):Let me add one thing on ammunition.

Stoltenberg: We will also sign contracts together.
"""


@pytest.fixture(scope="module")
def press_conference() -> list[Quote]:
    return quotes("Pre-ministerial press conference", PRESS_CONFERENCE)


def test_press_conference_labels_in_every_shape(press_conference: list[Quote]) -> None:
    assert rows(press_conference) == [
        ("remarks", "Jens Stoltenberg", "Good afternoon."),
        (
            "remarks",
            "Jens Stoltenberg",
            "Defence Ministers will meet this week to prepare the summit.",
        ),
        ("turn", "Oana Lungescu", "Thank you. We go first to Reuters."),
        ("question", "Reuters", "Secretary General, will Sweden join before the summit?"),
        ("remarks", "Jens Stoltenberg", "I am confident that Sweden will be a full member soon."),
        ("remarks", "Jens Stoltenberg", "The decision now lies with the last two parliaments."),
        ("turn", "Oana Lungescu", "Next question."),
        ("question", "Agence Europe", "What about the pledges on air defence?"),
        ("turn", "Jens Stoltenberg", "We have seen many new pledges this week."),
        ("turn", "Moderator", "The Financial Times."),
        ("question", "Question", "Is the target of two percent still enough?"),
        ("turn", "Jens Stoltenberg", "Two percent is a floor, not a ceiling."),
        ("question", "Question", "Will Allies send more ammunition?"),
        ("remarks", "Jens Stoltenberg", "Yes, and the factories are working in three shifts."),
        ("turn", "Jens Stoltenberg", "Let me add one thing on ammunition."),
        ("turn", "Jens Stoltenberg", "We will also sign contracts together."),
    ]


def test_questions_are_their_askers_and_nobody_elses(press_conference: list[Quote]) -> None:
    questions = [q for q in press_conference if q.kind == "question"]
    assert [(q.speaker, q.named) for q in questions] == [
        ("Reuters", True),
        ("Agence Europe", True),
        ("Question", False),
        ("Question", False),
    ]
    # No question's words are in another record: not glued to the turn before, nor the answer.
    for q in questions:
        others = [o for o in press_conference if o is not q]
        assert not any(o.start < q.end and q.start < o.end for o in others)
    # And nothing the Secretary General or the moderator said is marked as a question.
    assert all(q.kind != "question" for q in press_conference if q.speaker in SG[:1])


def test_each_answer_knows_its_question(press_conference: list[Quote]) -> None:
    by_id = {q.quote_id: q for q in press_conference}
    replies = [(by_id[q.reply_to].speaker, q.text[:20]) for q in press_conference if q.reply_to]
    assert replies == [
        ("Reuters", "I am confident that "),
        ("Reuters", "The decision now lie"),
        ("Agence Europe", "We have seen many ne"),
        ("Question", "Two percent is a flo"),
        ("Question", "Yes, and the factori"),
        ("Question", "Let me add one thing"),
        ("Question", "We will also sign co"),
    ]
    assert all(by_id[q.reply_to].kind == "question" for q in press_conference if q.reply_to)


def test_answers_and_roles_of_a_press_conference(press_conference: list[Quote]) -> None:
    sg = [q for q in press_conference if q.speaker == "Jens Stoltenberg"]
    assert {q.role for q in sg} == {"NATO Secretary General"}
    assert all(q.named for q in sg)
    spokesperson = [q for q in press_conference if q.speaker == "Oana Lungescu"]
    assert {q.role for q in spokesperson} == {"NATO Spokesperson"}
    assert {q.date for q in press_conference} == {"2023-06-14"}


def test_a_question_label_alone_on_its_line_then_the_answer() -> None:
    body = (
        "by NATO Secretary General Mark Rutte\n\n"
        "Question:\nWhat will Allies decide on Thursday?\n\n"
        "Allies will decide on a new plan.\n\nAnd they will fund it."
    )
    found = quotes("Doorstep statement", body)
    assert rows(found) == [
        ("question", "Question", "What will Allies decide on Thursday?"),
        ("remarks", "Mark Rutte", "Allies will decide on a new plan."),
        ("remarks", "Mark Rutte", "And they will fund it."),
    ]


def test_the_q_and_a_heading_is_nobodys_words() -> None:
    body = (
        "by NATO Secretary General Mark Rutte\n\nWe have decided.\n\n**Q&A**\n\n"
        "Question: When?\n\nNow."
    )
    found = quotes("Press point", body)
    assert [q.text for q in found] == ["We have decided.", "When?", "Now."]


def test_a_question_of_two_paragraphs() -> None:
    body = (
        "by NATO Secretary General Mark Rutte\n\n"
        "Question (AFP): Thank you. I have two questions.\n\n"
        "First, will the plan be public?\n\n"
        "The plan will not be public, for obvious reasons."
    )
    found = quotes("Press conference", body)
    assert rows(found) == [
        ("question", "AFP", "Thank you. I have two questions.\n\nFirst, will the plan be public?"),
        ("remarks", "Mark Rutte", "The plan will not be public, for obvious reasons."),
    ]


def test_a_transcript_without_a_byline_answers_with_its_only_speaker() -> None:
    body = (
        "Mark Rutte: Good morning, and welcome.\n\n"
        "Question: Is the summit still on?\n\n"
        "It is, and it will be a good one."
    )
    found = quotes("Summit preparations", body)
    assert rows(found) == [
        ("turn", "Mark Rutte", "Good morning, and welcome."),
        ("question", "Question", "Is the summit still on?"),
        ("remarks", "Mark Rutte", "It is, and it will be a good one."),
    ]


# -- joint press conferences: unclear stays unclear ---------------------------------------------

JOINT = """with NATO Secretary General Mark Rutte and the Prime Minister of Sweden, Ulf Kristersson

3 Mar. 2025

Prime Minister, dear Ulf, welcome back to our headquarters.

Your country has made the Alliance stronger in the north.

Thank you, Mark. It is good to be here again.

We will invest more in our defence every year.

Question (Teri Schultz, NPR): Prime Minister, how much more will your country spend?

We will reach three percent before the end of the decade.

Question (AFP): A question for both of you: what about the cables under the sea?

We are watching every cable closely.

Mark Rutte: And Allies are sending more ships.
"""


def test_a_joint_press_conference() -> None:
    found = quotes("Joint press conference", JOINT)
    pm, sg = "Ulf Kristersson", "Mark Rutte"
    assert [(q.kind, q.speaker) for q in found] == [
        ("remarks", sg),  # addresses the Prime Minister: the other speaker's words
        ("remarks", sg),
        ("remarks", pm),  # "Thank you, Mark.": the Prime Minister from here
        ("remarks", pm),
        ("question", "Teri Schultz"),
        ("remarks", pm),  # the answer to a question put to the Prime Minister
        ("question", "AFP"),
        ("remarks", ""),  # put to both: the document does not say who answered
        ("turn", sg),
    ]
    unclear = found[7]
    assert (unclear.named, unclear.candidates) == (False, (sg, pm))
    assert found[4].role == "NPR"
    assert {q.role for q in found if q.speaker == pm} == {"Prime Minister of Sweden"}


def test_a_joint_press_conference_that_never_says_who_speaks() -> None:
    body = (
        "with President Anna Example and Prime Minister Berit Sample\n\n"
        "We have agreed on a new plan today.\n\nIt will be funded by both countries."
    )
    found = quotes("Joint press point", body)
    assert [(q.speaker, q.candidates) for q in found] == [
        ("", ("Anna Example", "Berit Sample")),
        ("", ("Anna Example", "Berit Sample")),
    ]


# -- interviews ----------------------------------------------------------------------------------


def test_an_interview_in_q_and_a_form() -> None:
    body = (
        "Q: What keeps you awake at night?\n\nA: The speed of the threats we face.\n\n"
        "Q: And what gives you hope?\n\nA: The unity of Allies."
    )
    found = quotes("Interview with NATO Secretary General Mark Rutte by a daily newspaper", body)
    assert [(q.kind, q.speaker) for q in found] == [
        ("question", "Question"),
        ("turn", "Mark Rutte"),
        ("question", "Question"),
        ("turn", "Mark Rutte"),
    ]
    assert {q.role for q in found if q.kind == "turn"} == {"NATO Secretary General"}


def test_an_interview_with_the_interviewers_name() -> None:
    body = (
        "Lena Fischer: Secretary General, is the Alliance ready?\n\n"
        "Mark Rutte: It is ready, and it will be readier still.\n\n"
        "Lena Fischer: Thank you."
    )
    found = quotes("Interview with NATO Secretary General Mark Rutte", body)
    assert [(q.kind, q.speaker) for q in found] == [
        ("question", "Lena Fischer"),
        ("turn", "Mark Rutte"),
        ("question", "Lena Fischer"),
    ]


# -- saved web pages in both nato.int layouts ----------------------------------------------------


def test_old_layout_press_conference_page() -> None:
    (doc,) = load_file(FIXTURES / "nato-old-layout-press-conference.htm").documents
    found = extract_quotes(doc)
    assert [(q.kind, q.speaker) for q in found] == [
        ("remarks", "Jens Stoltenberg"),
        ("remarks", "Jens Stoltenberg"),
        ("remarks", "Jens Stoltenberg"),
        ("turn", "Oana Lungescu"),
        ("question", "Reuters"),
        ("remarks", "Jens Stoltenberg"),
        ("turn", "Oana Lungescu"),  # a bold label alone, without its colon
        ("question", "Question"),
        ("remarks", "Jens Stoltenberg"),
    ]
    assert {q.date for q in found} == {"2023-06-14"}
    assert found[2].text.endswith(
        "works with ours.\nAnd we will hear from Minister Ivanenko how the winter went."
    )  # a <br> stays inside its paragraph


def test_new_layout_transcript_page() -> None:
    (doc,) = load_file(FIXTURES / "nato-new-layout-transcript.html").documents
    assert doc.title.startswith("Speech by NATO Secretary General Jens Stoltenberg")
    assert doc.date == "2024-02-17"
    assert "MULTIMEDIA" not in doc.body and "Follow us" not in doc.body
    found = extract_quotes(doc)
    assert [(q.kind, q.speaker) for q in found] == [
        ("remarks", "Jens Stoltenberg"),
        ("remarks", "Jens Stoltenberg"),
        ("remarks", "Jens Stoltenberg"),
        ("turn", "Moderator"),
        ("question", "Ana Costa"),
        ("turn", "Jens Stoltenberg"),
    ]
    assert found[4].role == "Diário da Manhã"


# -- Kremlin-style transcripts keep their labels -------------------------------------------------


def test_a_bylined_address_that_opens_with_its_one_label() -> None:
    body = "President Ivan Sample: Citizens, friends, I address you today about our future."
    found = quotes("Address by the President of a Federation", body)
    assert rows(found) == [
        ("turn", "Ivan Sample", "Citizens, friends, I address you today about our future.")
    ]


def test_labels_glued_to_parentheses_and_colons_split_the_turns() -> None:
    body = (
        "President Ivan Sample: Welcome. We are glad to see you. "
        "Prime Minister of the Republic Petr Example(retranslated):Thank you, Mr President. "
        "Ivan Sample:Please go on."
    )
    found = quotes("Meeting with a Prime Minister", body)
    assert [(q.speaker, q.text) for q in found] == [
        ("Ivan Sample", "Welcome. We are glad to see you."),
        ("Petr Example", "Thank you, Mr President."),
        ("Ivan Sample", "Please go on."),
    ]


# -- bad input: a record or a clear skip, in bounded time, never a traceback -------------------


def test_a_byline_with_no_body() -> None:
    assert quotes("Speech by NATO Secretary General Mark Rutte", "by NATO Secretary General") == []
    assert quotes("Speech", "by NATO Secretary General Mark Rutte\n\n12 Feb. 2024 -\n") == []
    assert quotes("Press conference", "(As delivered)") == []


def test_a_label_with_nothing_after_it() -> None:
    body = "by NATO Secretary General Mark Rutte\n\nGood morning.\n\nQuestion (Reuters):"
    found = quotes("Press conference", body)
    assert rows(found) == [("remarks", "Mark Rutte", "Good morning.")]


@pytest.mark.timeout(120)  # a hang guard, not a measurement
@pytest.mark.parametrize(
    "label",
    ["Question:\n", "Q: ", "Mark Rutte: ", "**NATO Secretary General:**\n", "A:"],
    ids=["question-alone", "q", "name", "markdown-role", "a-glued"],
)
def test_ten_thousand_labels_in_a_row(label: str) -> None:
    body = "by NATO Secretary General Mark Rutte\n\n" + label * 10_000
    found = quotes("Press conference", body)
    assert len(found) <= 10_000


@pytest.mark.timeout(120)  # a hang guard, not a measurement
def test_ten_thousand_short_questions_and_answers() -> None:
    body = "by NATO Secretary General Mark Rutte\n\n" + "Q: Why?\n\nBecause.\n\n" * 10_000
    found = quotes("Press conference", body)
    assert [q.kind for q in found[:4]] == ["question", "remarks", "question", "remarks"]
    assert len(found) == 20_000


@pytest.mark.timeout(180)  # a hang guard, not a measurement
def test_a_transcript_that_is_one_5_mb_paragraph() -> None:
    body = "Allies agree. " * 370_000  # ~5 MB, no line break
    found = quotes("Speech by NATO Secretary General Mark Rutte", body)
    assert found and all(len(q.text) <= 2000 for q in found)
    assert {q.speaker for q in found} == {"Mark Rutte"}


@pytest.mark.timeout(120)  # a hang guard, not a measurement
@pytest.mark.parametrize(
    "body",
    [
        "x" * 100_000,  # one word
        ("A" * 100_000) + ": words",  # one label-like word
        "Mark " * 20_000 + ": words",  # a label of 20,000 words
        ("Q: " + "y" * 100_000 + "\n") * 3,  # long turns
        "(" * 100_000,
        ("Thank you, " * 10_000) + "Mark.",  # a long address
        "\n" * 100_000 + "by NATO Secretary General Mark Rutte",
        "by " + "Mark Rutte and " * 20_000,  # a byline of 40,000 words
    ],
    ids=lambda body: f"{body[:12]!r}x{len(body)}",
)
def test_hundred_thousand_character_words_lines_and_labels(body: str) -> None:
    for title in ("Joint press conference", "Interview with Mark Rutte", "Speech"):
        quotes(title, body)


_PIECES = [
    *"ab .,:?\n\n()[]“”*",
    "Q: ",
    "A: ",
    "Question (Reuters):",
    "Question [AFP]:\n",
    "QUESTION:\n",
    "Mark Rutte: ",
    "Mark Rutte(NATO Secretary General):",
    "NATO Secretary General:\n",
    "Moderator: ",
    "**Ulf Kristersson:** ",
    "by NATO Secretary General Mark Rutte\n\n",
    "with Mark Rutte and Ulf Kristersson\n\n",
    "14 Jun. 2023 -\n",
    "(As delivered)\n\n",
    "Thank you, Mark. ",
    "Good morning.",
    "We will act. ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Press conference", "Joint press conference", "Interview with Mark Rutte"]),
    st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
)
def test_records_of_any_transcript_are_well_formed(title: str, body: str) -> None:
    found = quotes(title, body)
    assert len({q.quote_id for q in found}) == len(found)
    for q in found:
        assert q.kind in ("quote", "turn", "remarks", "question")
        assert not q.candidates or (q.speaker == "" and not q.named)
    spoken = sorted((q.start, q.end) for q in found if q.kind != "quote")
    for (_, end), (start, _) in pairwise(spoken):
        assert end <= start  # a transcript's passages never overlap: no words said twice
