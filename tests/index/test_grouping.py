"""Grouping quotes that are the same words from many sources (issue 5).

The synthetic cases cover each kind of near-duplicate and what must stay apart; the last test
measures merging precision on pairs from the real corpus labelled by eye
(fixtures/grouping_pairs.jsonl: document rows and offsets only, no corpus text).
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index.extract.quote_marks import find_quote_spans
from nato_browse.index.grouping.groups import (
    assign_groups,
    assign_groups_from,
    group_summary,
    normalise,
    text_key,
    word_diff,
)
from nato_browse.index.grouping.inputs import GroupingInputs
from nato_browse.index.grouping.near_duplicates import (
    WordTable,
    _winnow,
    candidate_pairs,
    inside,
    word_hash,
)
from nato_browse.index.model import Quote

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "grouping_pairs.jsonl"
WORDS = ["we", "will", "act", "now", "and", "never", "give", "up", "on", "peace"]

LONG = (
    "Allies will continue to support Ukraine for as long as it takes, because the security "
    "of Ukraine matters for the security of all of us"
)
SPEECH = (
    "Thank you all for coming today. We have agreed to strengthen our deterrence and defence "
    "on the eastern flank with four new battlegroups. This is a clear message to Moscow that "
    "NATO will defend every inch of Allied territory. We also discussed support for Ukraine "
    "and the need for more air defence before the winter."
)


def q(
    text: str,
    speaker: str = "Jens Stoltenberg",
    *,
    named: bool = True,
    date: str = "2023-01-10",
    doc: str = "",
    kind: str = "quote",
) -> Quote:
    return Quote(
        doc=doc or f"doc-{abs(hash((text, speaker, date))) % 10**8}",
        title=f"Release of {date}",
        date=date,
        text=text,
        start=0,
        end=len(text),
        speaker=speaker,
        named=named,
        kind=kind,  # type: ignore[arg-type]
        url=f"https://example.org/{date}",
    )


def together(*quotes: Quote) -> bool:
    numbers = assign_groups(quotes)
    return len(set(numbers)) == 1


# --- normalise ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("We’re ready.", "we're ready"),
        ("  “We are  READY”. ", "we are ready"),
        ("Défense européenne", "defense europeenne"),
        ("Good. <…>", "good"),
        ("…and we will act [...]", "and we will act"),
        ("Line one\nline two", "line one line two"),
    ],
)
def test_normalise(a: str, b: str) -> None:
    assert normalise(a) == b


def test_normalise_keeps_inner_punctuation_and_other_scripts() -> None:
    assert normalise("Yes, we can: now!") == "yes, we can: now"
    assert normalise("Слава Україні!") == "слава украіні"  # the breve is a mark


# --- what groups ---------------------------------------------------------------------------------


def test_no_quotes() -> None:
    assert assign_groups([]) == []


def test_numbers_follow_first_appearance() -> None:
    quotes = [q(SPEECH), q(LONG), q(LONG.upper()), q("Something else entirely, said once here.")]
    assert assign_groups(quotes) == [0, 1, 1, 2]


def test_same_text_after_normalising() -> None:
    assert together(q(LONG), q(f"“{LONG.upper()}.”"), q(LONG.replace(" ", "  ")))


def test_a_word_dropped() -> None:
    assert together(q(LONG), q(LONG.replace("continue to support", "continue support")))


def test_a_word_dropped_from_a_short_quote() -> None:
    assert together(q("the second army of the world"), q("second army of the world"))


def test_an_editors_insertion() -> None:
    replaced = LONG.replace("support Ukraine", "support [the Ukrainian people]")
    inserted = LONG.replace("Allies will", "Allies [of NATO] will")
    assert together(q(LONG), q(replaced), q(inserted))


def test_a_fragment_by_the_same_speaker() -> None:
    fragment = "This is a clear message to Moscow that NATO will defend every inch"
    assert together(q(SPEECH, kind="turn"), q(fragment, date="2023-01-11"))


def test_a_fragment_with_an_ellipsis() -> None:
    # found when a piece has MIN_FRAGMENT_WORDS words, for then it shares a fingerprint
    fragment = (
        "We have agreed to strengthen our deterrence and defence … with four new battlegroups"
    )
    assert together(q(SPEECH), q(fragment))
    assert not together(q(SPEECH), q(fragment.replace("…", "")))  # a gap needs its ellipsis


def test_an_unnamed_source_joins_the_named_one() -> None:
    assert together(q(LONG), q(LONG, "a NATO spokesman", named=False))


def test_identical_long_text_with_two_named_speakers_is_one_group() -> None:
    assert together(q(LONG, "Jens Stoltenberg"), q(LONG, "Mark Rutte"))


# --- what stays apart ---------------------------------------------------------------------------


def test_a_short_fragment_does_not_glue_quotes() -> None:
    a = q("The time has come to act on climate and energy security now")
    b = q("The time has come for a new chapter in our relations with the South")
    c = q("the time has come")
    assert len(set(assign_groups([a, b, c]))) == 3


def test_a_fragment_by_another_named_speaker() -> None:
    fragment = "This is a clear message to Moscow that NATO will defend every inch"
    assert not together(q(SPEECH), q(fragment, "Olaf Scholz"))


def test_a_replaced_word_in_a_short_quote() -> None:
    assert not together(
        q("On the appointment of O. Tupytsky as a judge of the Constitutional Court"),
        q("On the appointment of O. Kasminin as a judge of the Constitutional Court"),
    )
    assert not together(q("We will support Ukraine"), q("We will support Russia"))


def test_a_dropped_not() -> None:
    assert not together(
        q("We will not send combat troops to Ukraine"), q("We will send combat troops to Ukraine")
    )


def test_short_text_by_two_named_speakers() -> None:
    assert not together(
        q("Glory to Ukraine!", "Volodymyr Zelenskyy"), q("Glory to Ukraine", "Joe Biden")
    )


def test_short_text_by_the_same_speaker_is_grouped() -> None:
    assert together(q("Thank you.", "Vladimir Putin"), q("Thank you. <…>", "Vladimir Putin"))


def test_unattributed_short_quotes_stay_alone() -> None:
    assert not together(q("yes", "", named=False), q("Yes", "", named=False))
    # from MIN_NEAR_WORDS words on, the text decides
    text = "we will never give up"
    assert together(q(text, "", named=False), q(text.upper(), "", named=False))
    assert together(q(text, "", named=False), q(text, "Jens Stoltenberg"))


def test_a_shared_stock_phrase_is_not_enough() -> None:
    a = q("Ladies and gentlemen, thank you very much for the invitation to speak on energy today")
    b = q("Ladies and gentlemen, thank you very much for your attention and your hard questions")
    assert not together(a, b)


def test_a_fragment_joins_one_speech_only() -> None:
    passage = "we will defend every inch of Allied territory with all our strength"
    first = q(f"In Vilnius I said it plainly: {passage}. And we meant it then.", date="2023-07-11")
    second = q(f"Let me repeat what matters most: {passage}, today as ever.", date="2024-02-15")
    fragment = q(passage, date="2024-02-16")
    numbers = assign_groups([first, second, fragment])
    assert numbers[0] != numbers[1]
    assert numbers[2] in numbers[:2]


def test_the_spokesman_does_not_join_two_named_speakers() -> None:
    text = "We are ready to talk"  # short: one statement per speaker
    numbers = assign_groups(
        [q(text, "Jens Stoltenberg"), q(text, "Mark Rutte"), q(text, "a spokesman", named=False)]
    )
    assert len(set(numbers)) == 3


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.sampled_from(WORDS),
                min_size=1,
                max_size=12,
            ),
            st.sampled_from(["A B", "C D", "a spokesman"]),
        ),
        max_size=25,
    )
)
def test_invariants(items: list[tuple[list[str], str]]) -> None:
    quotes = [q(" ".join(words), who, named=who != "a spokesman") for words, who in items]
    numbers = assign_groups(quotes)
    assert len(numbers) == len(quotes)
    # numbered 0.. in order of first appearance
    seen: list[int] = []
    for n in numbers:
        if n not in seen:
            assert n == len(seen)
            seen.append(n)
    # identical long texts are always together
    for i, a in enumerate(quotes):
        for j, b in enumerate(quotes):
            if normalise(a.text) == normalise(b.text) and len(a.text.split()) >= 8:
                assert numbers[i] == numbers[j]


# --- candidate pairs (near_duplicates.py) ------------------------------------------------------


def test_word_table_words() -> None:
    table = WordTable.build(["we're ready, [the alliance] 'said' so", "", "привет мир", "a...b"])
    assert table.lengths.tolist() == [4, 0, 2, 2]
    assert table.gaps.tolist() == [0, 0, 0, 1]
    assert table.words(0)[:2] == [word_hash("we're"), word_hash("ready")]
    assert inside(table.raw(2)[8:], table.raw(2)) and not inside(table.raw(0), table.raw(2))
    assert len(WordTable.build([])) == 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 400), min_size=8, max_size=30),
    st.lists(st.integers(0, 400), max_size=30),
    st.lists(st.integers(0, 400), max_size=30),
)
def test_shared_runs_of_eight_words_share_a_fingerprint(
    run: list[int], before: list[int], after: list[int]
) -> None:
    """The winnowing guarantee, whatever surrounds the run; so a fragment of eight words or
    more is always compared with the text it comes from."""
    word = [f"w{i}" for i in range(401)]
    one = " ".join(word[i] for i in [*before, *run, *after])
    two = " ".join(word[i] for i in [*after, *run, *before])
    fragment = " ".join(word[i] for i in run)
    table = WordTable.build([one, two, fragment])
    keys, units = _winnow(table.words_hashed, table.lengths, table.lengths >= 5)
    assert set(keys[units == 0]) & set(keys[units == 1])
    pairs = set(candidate_pairs(table))
    if len(fragment.split()) < len(one.split()):
        assert (2, 0) in pairs


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=6, max_size=16), st.data())
def test_a_dropped_word_in_a_short_text_makes_a_candidate(words: list[int], data) -> None:
    drop = data.draw(st.integers(0, len(words) - 1))
    text = " ".join(f"w{i}" for i in words)
    shorter = " ".join(f"w{i}" for j, i in enumerate(words) if j != drop)
    pairs = set(candidate_pairs(WordTable.build([text, shorter])))
    assert (1, 0) in pairs


# --- one group for the detail pane --------------------------------------------------------------


def test_group_summary_sources_dates_and_speakers() -> None:
    quotes = [
        q(LONG, "a spokesman", named=False, date="2023-01-12", doc="c"),
        q(LONG.replace("continue to support", "continue support"), date="2023-01-11", doc="b"),
        q(LONG, date="", doc="d"),
        q(LONG, date="2023-01-10", doc="a"),
    ]
    info = group_summary(quotes)
    assert info.earliest_date == "2023-01-10"
    assert [s.quote.doc for s in info.sources] == ["a", "b", "c", "d"]  # undated last
    assert info.speaker == "Jens Stoltenberg" and info.named
    assert info.speakers == ("Jens Stoltenberg", "a spokesman")
    assert info.disagreement
    assert info.documents == 4
    assert info.text == LONG
    dropped = info.sources[1]
    assert dropped.differs and ("missing", "to") in dropped.diff
    assert not info.sources[0].differs


def test_group_summary_fragment_and_insertion() -> None:
    fragment = "This is a clear message to Moscow that NATO will defend every inch"
    inserted = SPEECH.replace("Allied territory", "[NATO] Allied territory")
    info = group_summary([q(fragment, date="2023-01-09"), q(SPEECH), q(inserted)])
    assert info.text == SPEECH  # the longest wording wins over an earlier fragment
    by_text = {s.quote.text: s for s in info.sources}
    assert by_text[fragment].fragment
    assert by_text[fragment].diff == (
        ("same", fragment),
    )  # the rest of the speech is not "missing"
    assert ("added", "[NATO]") in by_text[inserted].diff


def test_group_summary_with_named_speakers_disagreeing() -> None:
    info = group_summary(
        [q(LONG, "Mark Rutte"), q(LONG, "Jens Stoltenberg"), q(LONG, "Jens Stoltenberg")]
    )
    assert info.speaker == "Jens Stoltenberg"
    assert info.speakers == ("Jens Stoltenberg", "Mark Rutte")


def test_group_summary_needs_quotes() -> None:
    with pytest.raises(ValueError, match="at least one"):
        group_summary([])


def test_word_diff_ignores_case_and_marks() -> None:
    assert word_diff("We are ready.", "“we are READY”") == (("same", "“we are READY”"),)
    assert word_diff("we are ready", "we are not ready") == (
        ("same", "we are"),
        ("added", "not"),
        ("same", "ready"),
    )


# --- precision on the real corpus -----------------------------------------------------------------


def _read_corpus(folder: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(file, row) -> (date, body) for the CSV and JSONL files of ../shared/corpus."""
    docs: dict[tuple[str, int], tuple[str, str]] = {}
    csv.field_size_limit(1 << 30)
    for name in ("zelenskyy.csv", "putin.csv"):
        with (folder / name).open(newline="", encoding="utf-8") as f:
            for row, record in enumerate(csv.DictReader(f)):
                docs[(name, row)] = (record["date"][:10], record["body"])
    with (folder / "isaf-press-releases.jsonl").open(encoding="utf-8") as f:
        for row, line in enumerate(f):
            docs[("isaf-press-releases.jsonl", row)] = ("", json.loads(line)["text"])
    return docs


def test_merging_precision_on_labelled_real_pairs(shared: Path) -> None:
    """Every quoted span of the corpus (unattributed: only the text decides) plus the labelled
    spans with their speakers, grouped together; then, over the labelled pairs that were
    merged, the share labelled "same" (one statement: the same words, a variant, or part of
    it, by one speaker on one occasion)."""
    pairs = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert len(pairs) >= 50
    docs = _read_corpus(shared / "corpus")
    quotes: dict[tuple[str, int, int, int], Quote] = {}
    for (name, row), (date, body) in docs.items():
        for span in find_quote_spans(body):
            text = body[span.start : span.end]
            doc = f"{name}#{row}"
            quotes[(name, row, span.start, span.end)] = Quote(
                doc, "", date, text, span.start, span.end, speaker="", named=False
            )

    def labelled(ref: dict) -> tuple[str, int, int, int]:
        name, row, start, end = ref["file"], ref["row"], ref["start"], ref["end"]
        date, body = docs[(name, row)]
        speaker = ""
        if "speaker" in ref:
            who = ref["speaker"]
            speaker = docs[(name, who["row"])][1][who["start"] : who["end"]]
            assert speaker.strip(), f"empty speaker reference in {ref}"
        text = body[start:end]
        assert text.strip(), f"empty span {ref}"
        key = (name, row, start, end)
        quotes[key] = Quote(
            f"{name}#{row}",
            "",
            date,
            text,
            start,
            end,
            speaker=speaker,
            named=bool(speaker),
            kind=ref.get("kind", "quote"),
        )
        return key

    keys = [(labelled(p["a"]), labelled(p["b"])) for p in pairs]
    order = list(quotes)
    numbers = dict(zip(order, assign_groups([quotes[k] for k in order]), strict=True))
    merged = [p for p, (a, b) in zip(pairs, keys, strict=True) if numbers[a] == numbers[b]]
    right = [p for p in merged if p["same"]]
    same = [p for p in pairs if p["same"]]
    precision = len(right) / len(merged)
    strict = sum(p["relation"] != "excerpts" for p in right) / len(merged)
    recall = len(right) / len(same)
    print(
        f"\nlabelled pairs: {len(pairs)} ({len(same)} same); merged: {len(merged)}; "
        f"precision {precision:.3f}; recall {recall:.3f}; "
        f"precision counting two excerpts of one speech as different: {strict:.3f}"
    )
    for p in merged:
        if not p["same"]:
            print("  wrongly merged:", p["a"]["file"], p["a"]["row"], p["b"]["row"], p["note"])
    assert len(merged) >= 30
    assert precision >= 0.95


# --- the lean path gives the groups it gave before (1M quotes in under 2 GB) -------------------

# A made-up vocabulary: three-letter syllables, some words far more common than others.
_SYLLABLES = [a + b + c for a in "bdkmrst" for b in "aeiou" for c in "lnrs"]


def _generated_quotes(n: int, seed: int) -> list[Quote]:
    """`n` quotes of made-up statements and their variants: exact repeats, a dropped word, a
    fragment, cosmetic changes, another or no speaker, and questions."""
    rng = random.Random(seed)
    vocab = [rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) for _ in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    speakers = [f"Speaker {chr(65 + i)} Person" for i in range(12)]
    quotes: list[Quote] = []
    while len(quotes) < n:
        words = rng.choices(vocab, weights, k=rng.choice([2, 3, 4, 6, 9, 14, 20, 35, 60]))
        speaker = rng.choice(speakers)
        for copy in range(rng.choice([1, 1, 1, 2, 3, 6])):
            text, who, named, kind = list(words), speaker, True, "quote"
            change = rng.random() if copy else 1.0
            if change < 0.15 and len(text) > 3:
                del text[rng.randrange(1, len(text) - 1)]
            elif change < 0.3 and len(text) >= 16:
                start = rng.randrange(0, len(text) - 8)
                text = text[start : start + rng.randrange(8, len(text) - start + 1)]
            elif change < 0.4:
                text = [w.upper() if rng.random() < 0.5 else w for w in text] + ["..."]
            elif change < 0.5:
                who, named = "a spokesman", False
            elif change < 0.55:
                who = rng.choice(speakers)
            elif change < 0.6:
                kind = "question"
            body = " ".join(text)
            quotes.append(
                Quote(
                    doc=f"doc-{len(quotes) // 4}",
                    title="",
                    date=f"2023-01-{1 + len(quotes) % 28:02d}",
                    text=body,
                    start=0,
                    end=len(body),
                    speaker=who,
                    named=named,
                    kind=kind,
                )
            )
    return quotes[:n]


GENERATED_GROUPS = (2985, "71512c02a3d621d2")


def test_grouping_a_generated_corpus_gives_the_groups_it_always_gave() -> None:
    # Recorded with the grouping before it was made lean (per-unit lists, one key sort).
    quotes = _generated_quotes(6000, seed=11)
    numbers = assign_groups(quotes)
    digest = hashlib.sha256(np.asarray(numbers, dtype=np.int64).tobytes()).hexdigest()
    assert (len(set(numbers)), digest[:16]) == GENERATED_GROUPS


def test_candidate_pairs_are_the_same_in_any_number_of_key_slices() -> None:
    quotes = _generated_quotes(3000, seed=5)
    table = WordTable.build(dict.fromkeys(normalise(q.text) for q in quotes))
    whole = list(candidate_pairs(table, parts=1))
    assert len(whole) > 100
    for parts in (2, 16, 64):
        assert list(candidate_pairs(table, parts=parts)) == whole


@pytest.mark.parametrize("cuts", [(0,), (1,), (700,), (500, 1200, 2999), (1000, 1000, 2000)])
def test_grouping_inputs_computed_in_parts_equal_those_of_all_quotes(cuts: tuple[int, ...]) -> None:
    # Each writer worker computes the inputs of its segment's quotes; the builder joins them.
    quotes = _generated_quotes(3000, seed=7)
    whole = GroupingInputs.of(quotes)
    bounds = [0, *cuts, len(quotes)]
    parts = [GroupingInputs.of(quotes[a:b]) for a, b in itertools.pairwise(bounds)]
    joined = GroupingInputs.join(parts)
    assert parts == []  # let go as they were joined
    for name in ("text_hash", "unit", "speaker", "unit_key"):
        assert np.array_equal(getattr(joined, name), getattr(whole, name)), name
    assert joined.speakers == whole.speakers
    for name in ("words_hashed", "starts", "lengths", "gaps"):
        assert np.array_equal(getattr(joined.table, name), getattr(whole.table, name)), name
    # The fingerprints the parts computed pair the texts as those computed here, chunk by chunk.
    assert joined.prints is not None and len(joined.prints) == len(bounds) - 1
    pairs = list(candidate_pairs(joined.table, prints=list(joined.prints)))
    assert len(pairs) > 100 and pairs == list(candidate_pairs(whole.table))
    assert assign_groups_from(joined) == assign_groups(quotes)


def test_grouping_inputs_of_questions_and_repeats() -> None:
    question = q("Will the alliance send more air defence to the east?", kind="question")
    inputs = GroupingInputs.of([question, q(SPEECH), question, q(SPEECH.upper())])
    assert inputs.unit.tolist() == [0, 1, 2, 1]  # each question a unit of its own
    assert inputs.unit_key[0] == inputs.unit_key[2] == -1
    assert inputs.table.lengths[0] == 0  # a question's unit has no words to compare
    assert inputs.text_hash[1] == inputs.text_hash[3] == text_key(SPEECH)
