"""Fixtures of the core's tests: quotes made up for the index and search tests (no corpus text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from nato_browse.index import Quote

# (doc, date, speaker, role, text, topics, regions, countries)
ROWS = [
    (
        "d1",
        "2023-11-27",
        "Jens Stoltenberg",
        "NATO Secretary General",
        "Allies will negotiate with partners on cyber defence.",
        ("Cyber defence",),
        ("Europe",),
        ("Belgium",),
    ),
    (
        "d1",
        "2023-11-27",
        "Jens Stoltenberg",
        "NATO Secretary General",
        "Russia's aggression against Ukraine is a threat to Euro-Atlantic security.",
        ("Ukraine",),
        ("Eastern Europe",),
        ("Russia", "Ukraine"),
    ),
    (
        "d2",
        "2023-12-05",
        "Antony Blinken",
        "US Secretary of State",
        "The negotiations on the grain corridor continue in Istanbul.",
        ("Diplomacy",),
        ("Black Sea",),
        ("Turkey", "Ukraine"),
    ),
    (
        "d2",
        "2023-12-05",
        "Antony Blinken",
        "US Secretary of State",
        "We will support Ukraine for as long as it takes.",
        ("Ukraine",),
        ("Eastern Europe", "North America"),
        ("Ukraine", "United States"),
    ),
    (
        "d3",
        "2024-02-14",
        "Kaja Kallas",
        "Prime Minister of Estonia",
        "Cyber attacks on our banks were stopped within hours.",
        ("Cyber defence",),
        ("Baltic",),
        ("Estonia",),
    ),
    (
        "d3",
        "2024-02-14",
        "Kaja Kallas",
        "Prime Minister of Estonia",
        "Deterrence on the eastern flank needs more air defence.",
        ("Deterrence",),
        ("Baltic", "Eastern flank"),
        ("Estonia",),
    ),
    (
        "d4",
        "",
        "a spokesman",
        "",
        "The talks were constructive and will continue next week.",
        ("Diplomacy",),
        (),
        (),
    ),
    (
        "d5",
        "2024-04-03",
        "Jens Stoltenberg",
        "NATO Secretary General",
        "We will support Ukraine for as long as it takes.",
        ("Ukraine",),
        ("Eastern Europe",),
        ("Ukraine",),
    ),
]


def _make_quote(
    doc: str,
    date: str,
    speaker: str,
    role: str,
    text: str,
    topics: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    start: int = 0,
) -> Quote:
    return Quote(
        doc=doc,
        title=f"Release {doc}",
        date=date,
        text=text,
        start=start,
        end=start + len(text),
        speaker=speaker,
        role=role,
        named=not speaker.startswith("a "),
        context=text,
        context_start=start,
        topics=topics,
        regions=regions,
        countries=countries,
        url=f"https://example.org/{doc}",
        source=f"{doc}.txt",
    )


def _sample_quotes() -> list[Quote]:
    quotes = []
    offsets: dict[str, int] = {}
    for row in ROWS:
        start = offsets.get(row[0], 0)
        quotes.append(_make_quote(*row, start=start))
        offsets[row[0]] = start + 1000
    return quotes


@pytest.fixture(scope="session")
def make_quote() -> Callable[..., Quote]:
    return _make_quote


@pytest.fixture(scope="session")
def sample_quotes() -> Callable[[], list[Quote]]:
    return _sample_quotes


@pytest.fixture
def small_corpus(said, write_release) -> Callable[..., Path]:
    """Writes `n` releases, each with a quote by two speakers, into a folder."""

    def write(folder: Path, n: int = 2) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            write_release(
                folder,
                f"r{i:04d}.txt",
                f"Release number {i}",
                [
                    said(
                        "Jens Stoltenberg", f"Allies agreed on measure number {i} for Ukraine today"
                    ),
                    said("Kaja Kallas", f"Estonia will send package {i} of air defence systems"),
                ],
            )
        return folder

    return write
