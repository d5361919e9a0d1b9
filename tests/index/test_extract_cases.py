"""One small example per rule of the extraction issue (our own sentences, not corpus text)."""

from __future__ import annotations

import pytest
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.model import Document, Quote


def quotes(body: str, title: str = "Test") -> list[Quote]:
    found = extract_quotes(Document(title=title, body=body))
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


def texts(body: str) -> list[str]:
    return [q.text for q in quotes(body)]


INTRO = "NATO Secretary General Jens Stoltenberg spoke in Brussels on Monday. "


# -- marks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("'", "'"), ("„", "“")],
)
def test_every_kind_of_mark(opening: str, closing: str) -> None:
    body = f"{INTRO}{opening}We stand with Ukraine,{closing} Mr Stoltenberg said."
    (q,) = quotes(body)
    assert q.text == "We stand with Ukraine,"
    assert q.speaker == "Jens Stoltenberg"


def test_apostrophes_are_not_quotes() -> None:
    body = (
        f"{INTRO}“Ukraine’s people don’t give up, and the Allies’ support won’t end,” "
        "he said. The Allies' ministers met at NATO's headquarters."
    )
    assert texts(body) == ["Ukraine’s people don’t give up, and the Allies’ support won’t end,"]


def test_single_quotes_used_as_quotes() -> None:
    body = f"{INTRO}‘We will not be intimidated,’ he said."
    assert texts(body) == ["We will not be intimidated,"]


def test_mismatched_pair() -> None:
    body = f'{INTRO}He called on Iran to “rein in its proxies" after the strikes.'
    (q,) = quotes(body)
    assert q.text == "rein in its proxies"
    assert q.speaker == "Jens Stoltenberg"


def test_quote_left_open_at_paragraph_end_and_reopened() -> None:
    body = (
        "Foreign Minister Anna Berg spoke to reporters.\n\n"
        "“Our support is firm,” said Ms Berg. “We will stay the course as long as it takes.\n\n"
        "“We will not waver, whatever the cost.”\n\n"
        "The meeting ended at noon."
    )
    found = quotes(body)
    assert [q.text for q in found] == [
        "Our support is firm,",
        "We will stay the course as long as it takes.",
        "We will not waver, whatever the cost.",
    ]
    assert {q.speaker for q in found} == {"Anna Berg"}


def test_nested_quotes_stay_inside_the_outer_one() -> None:
    body = f"{INTRO}“They call it a ‘special military operation’, but it is a war,” he said."
    assert texts(body) == ["They call it a ‘special military operation’, but it is a war,"]


def test_nested_straight_quotes() -> None:
    body = (
        f'{INTRO}"We can work with the "Normandy Four". This is a separate platform," '
        "Mr Stoltenberg said."
    )
    assert texts(body) == ['We can work with the "Normandy Four". This is a separate platform,']


def test_quote_split_by_its_attribution() -> None:
    body = f"{INTRO}“Russia has failed,” he said. “Ukraine has prevailed.”"
    found = quotes(body)
    assert [q.text for q in found] == ["Russia has failed,", "Ukraine has prevailed."]
    assert {q.speaker for q in found} == {"Jens Stoltenberg"}


def test_quote_split_around_the_attribution_in_one_sentence() -> None:
    body = f"{INTRO}“Russia,” Mr Stoltenberg said, “remains the most direct threat.”"
    found = quotes(body)
    assert [q.text for q in found] == ["Russia,", "remains the most direct threat."]
    assert {q.speaker for q in found} == {"Jens Stoltenberg"}


# -- partial quotes and things that are not quotes -------------------------------------------


def test_partial_quote_in_reported_speech() -> None:
    body = f"{INTRO}Mr Stoltenberg said that Kyiv is “inflicting major losses on Russia,” and more."
    (q,) = quotes(body)
    assert q.text == "inflicting major losses on Russia,"
    assert q.speaker == "Jens Stoltenberg"


@pytest.mark.parametrize(
    "body",
    [
        "Two soldiers were killed in a “green-on-blue” attack in Helmand on Tuesday.",
        "The city of Kharkiv joined the “Brave Cities” project last year.",
        "The ministers watched the “Meet the Press” interview together.",
        "Officials signed a joint statement “On the Security of Critical Infrastructure” in Kyiv.",
    ],
)
def test_scare_quotes_and_names_of_things_are_not_quotes(body: str) -> None:
    assert quotes(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "“We will win,” Jane Doe said on ABC’s “This Week.”",
        "“We will win,” Jane Doe told “Fox and Friends,” on Monday.",
        "“We will win,” Jane Doe said Thursday on CNBC’s “Squawk Box” program.",
        "“We will win,” said Jane Doe, co-author of “Going Viral,” a book on campaigns.",
    ],
)
def test_titles_of_shows_and_books_are_not_quotes_even_when_attributed(body: str) -> None:
    assert texts(body) == ["We will win,"]


@pytest.mark.parametrize(
    "body",
    [
        "The Ambassador greeted Deputy Minister Marcia “Cia” Price at the door.",
        "The letter says “she” is a “he.”",
    ],
)
def test_nicknames_and_words_mentioned_as_words_are_not_quotes(body: str) -> None:
    assert quotes(body) == []


def test_doubled_apostrophes_hide_their_inner_quotes() -> None:
    # Archives that write a double quote as two apostrophes: the single quotes inside are
    # nested in a quotation that is not read, not quotes of their own.
    body = "''When I said, 'No boots on the ground,' I meant it,'' Mr. Obama said."
    assert quotes(body) == []


def test_a_name_of_a_thing_attributed_to_someone_is_a_quote() -> None:
    body = f"{INTRO}Mr Stoltenberg said the “green-on-blue” attacks must stop."
    (q,) = quotes(body)
    assert (q.text, q.speaker) == ("green-on-blue", "Jens Stoltenberg")


# -- attribution -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "verb",
    ["said", "added", "stressed", "noted", "warned", "underlined", "emphasised", "emphasized",
     "explained", "declared", "insisted"],
)  # fmt: skip
def test_reporting_verbs(verb: str) -> None:
    body = f"Jens Stoltenberg met the press. “Deterrence works,” Jens Stoltenberg {verb}."
    (q,) = quotes(body)
    assert q.speaker == "Jens Stoltenberg"


@pytest.mark.parametrize(
    "body",
    [
        "Jens Stoltenberg warned: “Russia remains the most direct threat.”",  # before
        "“Russia remains the most direct threat,” Jens Stoltenberg warned.",  # after
        "“Russia remains the most direct threat,” warned Jens Stoltenberg.",  # inverted
        "Jens Stoltenberg told reporters that “Russia remains the most direct threat.”",
        "According to Jens Stoltenberg, “Russia remains the most direct threat.”",
        "“Russia remains the most direct threat.” ― Jens Stoltenberg",
    ],
)
def test_attribution_before_after_and_around(body: str) -> None:
    (q,) = quotes(body)
    assert q.text.rstrip(".,") == "Russia remains the most direct threat"
    assert q.speaker == "Jens Stoltenberg"


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("“It is legal,” said election lawyer Joe Birkenstock.", "Joe Birkenstock"),
        ("“It is legal,” said Dr. Harold Varmus, a former NIH director.", "Harold Varmus"),
        ("“It is legal,” Senate Leader Mitch McConnell, R-Ky., said.", "Mitch McConnell"),
        ("“It is legal,” Toomey fumed on Tuesday.", "Toomey"),
        ("“Is it legal?” Hannity pressed.", "Hannity"),
        (
            "Ukraine is ready to talk, said Mykhailo Podoliak, Adviser to the Head of the "
            "President's Office. “It is legal,” he said.",
            "Mykhailo Podolyak",  # people.toml's spelling of him
        ),
    ],
)
def test_speakers_with_descriptions_ranks_and_party_labels(body: str, speaker: str) -> None:
    (q,) = quotes(body)
    assert q.speaker == speaker
    assert "R-Ky" not in q.role


def test_a_plural_noun_spelt_like_a_verb_is_no_attribution() -> None:
    body = (
        "Judge Ruth Ginsburg criticised the candidate. House Speaker Paul Ryan told CNN that "
        "Ginsburg’s comments “show bias to me.”"
    )
    (q,) = quotes(body)
    assert q.speaker == "Paul Ryan"


def test_the_next_sentence_opening_with_the_speaker() -> None:
    body = (
        "Prime Minister David Cameron criticised him. “It looks like we will not get on, who "
        "knows?” Donald Trump told ITV in an interview aired on Monday about the relationship."
    )
    (q,) = quotes(body)
    assert q.speaker == "Donald Trump"


def test_a_short_sentence_introducing_the_next_quote() -> None:
    body = (
        "Analyst Craig Robinson spoke first. Professor Dianne Bystrom agreed. “They are "
        "running out of time.”"
    )
    (q,) = quotes(body)
    assert q.speaker == "Dianne Bystrom"


@pytest.mark.parametrize(
    ("lead_in", "speaker"),
    [
        ("Caddell continued:\n\n", "Pat Caddell"),
        ("The New York Times reports:\n\n", "New York Times"),
        ("It did not surprise Republican pollster Daron Shaw: ", "Daron Shaw"),
        ("Pollster Pat Caddell observed, the winner was the stage itself:\n\n", "Pat Caddell"),
    ],
)
def test_a_quotation_introduced_by_a_colon(lead_in: str, speaker: str) -> None:
    body = (
        "Pat Caddell spoke to Breitbart News on Thursday. Mark Green listened.\n\n"
        f"{lead_in}“The health issue is a partisan issue, but it does not explain the numbers.”"
    )
    (q,) = quotes(body)
    assert q.speaker == speaker


def test_datelines_and_opening_words_are_not_speakers() -> None:
    body = (
        "WASHINGTON (AP) — Senator Jane Doe, speaking in Salem, said the bill was “dead.”\n\n"
        "First, Jane Doe called the plan “a mistake.”"
    )
    found = quotes(body)
    assert [q.speaker for q in found] == ["Jane Doe", "Jane Doe"]


def test_party_words_are_not_part_of_a_name() -> None:
    body = "Republican Donald Trump spoke in Ohio. “We will win,” Trump said."
    (q,) = quotes(body)
    assert q.speaker == "Donald Trump"


def test_told_takes_its_object_after_the_verb() -> None:
    body = "“We need more air defence,” Jens Stoltenberg told the Financial Times."
    (q,) = quotes(body)
    assert q.speaker == "Jens Stoltenberg"


# -- speakers ----------------------------------------------------------------------------------


def test_surname_resolves_to_the_full_name() -> None:
    body = (
        "U.S. Army Col. John Maxwell, the task force commander, visited the base. "
        "“The Afghan forces led this operation,” Maxwell said."
    )
    (q,) = quotes(body)
    assert q.speaker == "John Maxwell"
    assert q.role == "task force commander"


def test_mr_surname_resolves_to_the_full_name() -> None:
    body = f"{INTRO}“We must stay the course,” Mr Stoltenberg said."
    (q,) = quotes(body)
    assert (q.speaker, q.role) == ("Jens Stoltenberg", "NATO Secretary General")


@pytest.mark.parametrize(
    ("intro", "mention", "speaker", "role"),
    [
        (INTRO, "the Secretary General", "Jens Stoltenberg", "NATO Secretary General"),
        (
            "President of Ukraine Volodymyr Zelenskyy met Prime Minister of Canada "
            "Justin Trudeau in Kyiv. ",
            "the Head of State",
            "Volodymyr Zelenskyy",
            "President of Ukraine",
        ),
        (
            "President of Ukraine Volodymyr Zelenskyy met Prime Minister of Canada "
            "Justin Trudeau in Kyiv. ",
            "the Prime Minister of Canada",
            "Justin Trudeau",
            "Prime Minister of Canada",
        ),
        (
            "President of Ukraine Volodymyr Zelenskyy met the press in Kyiv. ",
            "the President",
            "Volodymyr Zelenskyy",
            "President of Ukraine",
        ),
    ],
)
def test_role_resolves_to_the_person_introduced_with_it(
    intro: str, mention: str, speaker: str, role: str
) -> None:
    body = f"{intro}“We will rebuild every city,” {mention} said."
    (q,) = quotes(body)
    assert (q.speaker, q.role, q.named) == (speaker, role, True)


def test_pronoun_resolves_to_the_person_last_quoted_or_named() -> None:
    body = (
        f"{INTRO}Mr Stoltenberg said that NATO was examining more troops for Kosovo. "
        "“Stability depends on dialogue,” he added."
    )
    (q,) = quotes(body)
    assert q.speaker == "Jens Stoltenberg"


def test_pronoun_after_an_inverted_attribution() -> None:
    body = (
        "Ukraine is ready to negotiate, said Mykhailo Podoliak, Adviser to the Head of the "
        "President's Office. “Any war ends with negotiations,” he said."
    )
    (q,) = quotes(body)
    assert q.speaker == "Mykhailo Podolyak"  # people.toml's spelling of him
    assert q.role == "Adviser to the Head of the President's Office"


@pytest.mark.parametrize("source", ["a spokesman", "an Afghan commando on the mission"])
def test_unnamed_sources_stay_as_written(source: str) -> None:
    body = f"“The operation went well,” said {source}."
    (q,) = quotes(body)
    assert (q.speaker, q.named) == (source, False)


# -- transcripts -------------------------------------------------------------------------------


def test_press_conference_turns() -> None:
    body = (
        "Jens Stoltenberg (NATO Secretary General): Good afternoon. We have taken decisions.\n"
        "Q: Will Sweden join soon?\n"
        "Jens Stoltenberg (NATO Secretary General): I am confident it will.\n"
    )
    found = quotes(body)
    assert [(q.kind, q.speaker, q.text) for q in found] == [
        ("turn", "Jens Stoltenberg", "Good afternoon. We have taken decisions."),
        ("question", "Question", "Will Sweden join soon?"),
        ("turn", "Jens Stoltenberg", "I am confident it will."),
    ]
    assert found[0].role == "NATO Secretary General"
    assert found[0].named and not found[1].named


def test_inline_transcript_with_role_before_the_name() -> None:
    body = (
        "President of Russia Vladimir Putin: Mr Ivanov, how is the work going? "
        "Head of the Federal Service Ivan Ivanov: Good afternoon, Mr President. Revenue grew. "
        "Vladimir Putin: On 2020 levels? Ivan Ivanov: Yes."
    )
    found = quotes(body)
    assert [(q.speaker, q.text) for q in found] == [
        ("Vladimir Putin", "Mr Ivanov, how is the work going?"),
        ("Ivan Ivanov", "Good afternoon, Mr President. Revenue grew."),
        ("Vladimir Putin", "On 2020 levels?"),
        ("Ivan Ivanov", "Yes."),
    ]
    assert found[2].role == "President of Russia"
    assert found[3].role == "Head of the Federal Service"


@pytest.mark.parametrize(
    "body",
    [
        # Headings in the "Label: text" form: nobody speaks twice, nobody has a role.
        "War and Peace.\n\nVeto Power Impedes Peace Efforts: The Council is divided.\n\n"
        "Terrorism.\n\nLimited Tools to Fight Terrorism: The United Nations was set up.",
        # A question and its answer inside a paragraph of prose.
        "The debate was odd. Question: What do you call a boy? Answer: A boy. It went on.",
        # A table of figures.
        "Hillary Clinton: 1,769.\n\nBernie Sanders: 1,501.\n\nClinton: 547.\n\nSanders: 46.",
    ],
)
def test_labels_that_are_no_transcript(body: str) -> None:
    assert [q for q in quotes(body) if q.kind == "turn"] == []


def test_a_transcript_quoted_in_an_article() -> None:
    body = (
        "Governor Mike Pence spoke to Chris Wallace on Sunday.\n\n"
        "Partial transcript as follows:\n\n"
        '"WALLACE: Will she be there tomorrow night?\n\n'
        '"PENCE: She will not be attending the debate.\n\n'
        '"But the truth is that we will win."'
    )
    found = quotes(body)
    assert [q.speaker for q in found] == ["Chris Wallace", "Mike Pence", "Mike Pence"]


def test_quotes_inside_a_quoted_excerpt() -> None:
    # An excerpt quoted paragraph by paragraph with straight marks, quoting people with curly
    # ones: the excerpt and the quotes inside it are both returned.
    body = (
        "Megyn Kelly questioned Donald Trump at the debate. The New York Post writes:\n\n"
        '"At the first debate, Kelly staged a microaggression against the front-runner.\n\n'
        '"Trump tried to laugh it off by interjecting, “Only Rosie O’Donnell.” But Kelly was '
        'relentless."'
    )
    found = quotes(body)
    inner = [q for q in found if q.text == "Only Rosie O’Donnell."]
    assert len(found) == 3
    assert inner and inner[0].speaker == "Donald Trump"


def test_a_headline_label_is_not_a_turn() -> None:
    body = (
        "Secretary General: NATO to reaffirm support to Ukraine\n"
        "Ministers met in Brussels. “We stand together,” Jens Stoltenberg said."
    )
    found = extract_quotes(
        Document(title="Secretary General: NATO to reaffirm support to Ukraine", body=body)
    )
    assert [(q.kind, q.text) for q in found] == [("quote", "We stand together,")]


# -- tags ----------------------------------------------------------------------------------------


def test_partial_quote_takes_places_from_its_sentence() -> None:
    body = f"{INTRO}Mr Stoltenberg called on Iran to “rein in its proxies” in the region."
    (q,) = quotes(body)
    assert "Iran" in q.countries
    assert "Middle East" in q.regions


def test_places_from_an_earlier_sentence_of_the_paragraph() -> None:
    body = (
        f"{INTRO}Ministers will discuss the Western Balkans. Mr Stoltenberg said that more "
        "troops could keep the peace. “Stability depends on all sides choosing dialogue,” "
        "he added."
    )
    (q,) = quotes(body)
    assert "Western Balkans" in q.regions


def test_context_is_the_sentence_around_the_quote() -> None:
    body = f"{INTRO}“Deterrence works,” he said. Then he left."
    (q,) = quotes(body)
    assert q.context == "“Deterrence works,” he said."
    assert body[q.context_start : q.context_start + len(q.context)] == q.context
