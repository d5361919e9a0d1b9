"""The extractor's shortcuts scan less text than the plain expressions they stand for, and find
exactly what those find: transcript labels looked for only near a colon, and the reporting verbs
as one trie-shaped expression."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index.extract import lexicon as lx
from nato_browse.index.extract.attribution import _VERB_RE
from nato_browse.index.extract.transcripts import _LABEL_RE, _label_matches

# Pieces of labels and of the text around them: names, roles, markup, indentation, long words
# and long runs of words without a colon (farther than a label can reach back).
_PIECES = [
    "Jens Stoltenberg",
    "Mr Putin",
    "(NATO Secretary General)",
    "[Reuters]",
    ":",
    ": ",
    " ",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "\u00a0",
    "**",
    "__",
    "*",
    "Q",
    "Question",
    ". ",
    "? ",
    '" ',
    "word " * 60,
    "Capital " * 20,
    "A" * 45,
    "President of Ukraine",
    "said",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80), st.integers(0, 30))
def test_labels_found_near_colons_are_the_full_scans(pieces: list[str], start: int) -> None:
    body = "".join(pieces)
    full = [m.span() for m in _LABEL_RE.finditer(body, start)]
    assert [m.span() for m in _label_matches(body, start)] == full


def test_a_label_on_a_deeply_indented_line_is_found() -> None:
    body = "Opening words.\n" + " " * 3000 + "**Jens Stoltenberg:** We agreed.\nAnd more.\n" * 2
    full = [m.span() for m in _LABEL_RE.finditer(body)]
    assert len(full) == 2
    assert [m.span() for m in _label_matches(body, 0)] == full


# The plain form the trie stands for: every lowercase word, kept when it is a reporting verb.
_WORDS = re.compile(r"\b[a-z]+\b|\baccording to\b|\bAccording to\b")


def _plain_verbs(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _WORDS.finditer(text)
        if m.group() in lx.REPORTING_VERBS or m.group().lower() == "according to"
    ]


_VERBS = sorted(lx.REPORTING_VERBS)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_VERBS),
            st.sampled_from(["According to", "according to", "Said", "saidx", "re", "sayings"]),
            st.text(alphabet="abcdesaidy .,'-1", max_size=8),
        ),
        max_size=40,
    )
)
def test_the_verb_trie_finds_the_reporting_verbs_a_word_scan_finds(words: list[str]) -> None:
    text = " ".join(words)
    assert [m.span() for m in _VERB_RE.finditer(text)] == _plain_verbs(text)
