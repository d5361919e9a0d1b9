"""The seed article: all 14 gold quotes, exactly, by Jens Stoltenberg, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.ingest.loaders import load_file
from nato_browse.index.model import Quote

SEED = "nato-2023-11-27-foreign-ministers"
# The gold file names places as the article does; the taxonomy (data/places.toml) files Gaza
# under the country "Palestine" (the Palestinian territories), so that is what a quote about
# Gaza is tagged with. Every other gold place is a taxonomy name as written.
TAXONOMY_NAME = {"Gaza": "Palestine"}


@pytest.fixture(scope="module")
def seed(shared: Path) -> tuple[dict, list[Quote], int]:
    gold = json.loads((shared / "seed" / f"{SEED}.gold.json").read_text(encoding="utf-8"))
    path = shared / "seed" / f"{SEED}.txt"
    loaded = load_file(path)
    assert not loaded.error
    (doc,) = loaded.documents
    # Gold offsets count from the start of the file; the loader's body starts after the
    # title line.
    shift = path.read_text(encoding="utf-8").index(doc.body)
    return gold, extract_quotes(doc), shift


def test_finds_exactly_the_gold_quotes(seed: tuple[dict, list[Quote], int]) -> None:
    gold, quotes, shift = seed
    found = [(q.text, q.start + shift, q.end + shift) for q in quotes]
    expected = [(g["text"], g["start"], g["end"]) for g in gold["quotes"]]
    assert found == expected


def test_offsets_slice_the_body(seed: tuple[dict, list[Quote], int], shared: Path) -> None:
    _, quotes, _ = seed
    (doc,) = load_file(shared / "seed" / f"{SEED}.txt").documents
    for q in quotes:
        assert doc.body[q.start : q.end] == q.text
        assert doc.body[q.context_start : q.context_start + len(q.context)] == q.context
        assert q.context_start <= q.start and q.end <= q.context_start + len(q.context)


def test_every_quote_is_stoltenbergs(seed: tuple[dict, list[Quote], int]) -> None:
    _, quotes, _ = seed
    assert {q.speaker for q in quotes} == {"Jens Stoltenberg"}
    assert all(q.named and q.kind == "quote" for q in quotes)
    assert {q.role for q in quotes} == {"NATO Secretary General"}


def test_each_quote_is_tagged_with_its_gold_places(seed: tuple[dict, list[Quote], int]) -> None:
    gold, quotes, _ = seed
    assert len(quotes) == len(gold["quotes"])
    for q, g in zip(quotes, gold["quotes"], strict=True):
        tagged = set(q.countries) | set(q.regions)
        for place in g["places"]:
            assert TAXONOMY_NAME.get(place, place) in tagged, (q.text, place, tagged)
