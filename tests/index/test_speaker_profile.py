"""A speaker's voice over time: the profile and comparison data behind the speaker view."""

from __future__ import annotations

from nato_browse.index.model import Quote
from nato_browse.index.search.speaker_profile import (
    RoleSpan,
    compare_on_topic,
    month_of,
    monthly_counts,
    months_between,
    speaker_profile,
)


def q(
    date: str,
    *,
    speaker: str = "Jens Stoltenberg",
    role: str = "NATO Secretary General",
    doc: str = "d1",
    start: int = 0,
    topics: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
) -> Quote:
    text = f"words said on {date or 'some day'}"
    return Quote(
        doc=doc,
        title="t",
        date=date,
        text=text,
        start=start,
        end=start + len(text),
        speaker=speaker,
        role=role,
        topics=topics,
        regions=regions,
        countries=countries,
    )


def test_month_helpers() -> None:
    assert month_of("2023-11-27") == "2023-11"
    assert month_of("2023-11") == "2023-11"
    assert month_of("") == month_of("27 Nov 2023") == month_of("2023-13-01") == ""
    assert months_between("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert months_between("2023-02", "2022-11") == months_between("", "2023-01") == []


def test_monthly_counts_include_empty_months_and_skip_undated() -> None:
    quotes = [q("2023-01-05"), q("2023-01-20"), q("2023-04-01"), q("")]
    assert monthly_counts(quotes) == (
        ("2023-01", 2),
        ("2023-02", 0),
        ("2023-03", 0),
        ("2023-04", 1),
    )
    assert monthly_counts([q("")]) == ()
    # a given range: months outside it are left out, empty months at its ends kept
    assert monthly_counts(quotes, "2022-12", "2023-02") == (
        ("2022-12", 0),
        ("2023-01", 2),
        ("2023-02", 0),
    )


def test_speaker_profile() -> None:
    quotes = [
        q("2014-10-01", role="NATO Secretary General", doc="a", topics=("defence",)),
        q("2014-12-15", role="NATO Secretary General", doc="a", start=50, topics=("defence",)),
        q("2013-05-02", role="Prime Minister of Norway", doc="b", regions=("Nordics",)),
        q("2015-01-03", role="NATO Secretary General", doc="c", topics=("ukraine", "defence")),
        q("", role="", doc="d", regions=("Europe", "Nordics"), countries=("Norway",)),
    ]
    profile = speaker_profile(quotes)
    assert profile.name == "Jens Stoltenberg"
    assert profile.quotes == 5 and profile.documents == 4
    assert profile.first_date == "2013-05-02" and profile.last_date == "2015-01-03"
    assert profile.first_quote is quotes[2] and profile.last_quote is quotes[3]
    assert profile.roles == (
        RoleSpan("Prime Minister of Norway", "2013-05-02", "2013-05-02", 1),
        RoleSpan("NATO Secretary General", "2014-10-01", "2015-01-03", 3),
    )
    assert profile.undated == 1
    assert profile.months[0] == ("2013-05", 1) and profile.months[-1] == ("2015-01", 1)
    assert len(profile.months) == 21  # May 2013 .. January 2015, every month
    assert sum(n for _, n in profile.months) == 4
    assert profile.topics == (("defence", 3), ("ukraine", 1))
    assert profile.regions == (("Nordics", 2), ("Europe", 1))
    assert profile.countries == (("Norway", 1),)


def test_profile_roles_spelled_differently_are_one_and_top_caps() -> None:
    quotes = [
        q("2020-01-01", role="NATO  Secretary General", topics=("a", "b", "c")),
        q("2020-02-01", role="nato secretary general", topics=("a", "b")),
    ]
    profile = speaker_profile(quotes, name="J. Stoltenberg", top=2)
    assert profile.name == "J. Stoltenberg"
    assert profile.roles == (RoleSpan("NATO Secretary General", "2020-01-01", "2020-02-01", 2),)
    assert profile.topics == (("a", 2), ("b", 2))


def test_profile_of_nothing_dated() -> None:
    profile = speaker_profile([q(""), q("", doc="d2")])
    assert profile.months == () and profile.first_quote is None and profile.undated == 2
    assert speaker_profile([]).quotes == 0


def test_compare_two_speakers_on_a_topic() -> None:
    a = [
        q("2022-01-10", topics=("energy",)),
        q("2022-03-02", topics=("energy",)),
        q("2022-06-02", topics=("ukraine",)),  # another topic: left out
    ]
    b = [q("2022-02-11", speaker="Olaf Scholz", topics=("energy",)), q("", topics=("energy",))]
    result = compare_on_topic(a, b, "energy")
    assert result.topic == "energy"
    assert result.months == ("2022-01", "2022-02", "2022-03")
    assert result.counts_a == (1, 0, 1) and result.counts_b == (0, 1, 0)
    assert (result.total_a, result.total_b) == (2, 1)
    everything = compare_on_topic(a, b)
    assert everything.months[-1] == "2022-06" and everything.total_a == 3


def test_compare_with_nothing_on_the_topic() -> None:
    result = compare_on_topic([q("2022-01-10")], [q("2022-02-10")], "space")
    assert result.months == () and result.counts_a == () and result.total_b == 0
