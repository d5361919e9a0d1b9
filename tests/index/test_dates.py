"""Dates in the forms sources write them, to ISO; no date when any part is missing."""

from __future__ import annotations

import datetime

import pytest
from nato_browse.index.ingest.dates import date_in_text, parse_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("27 Nov. 2023", "2023-11-27"),
        ("25 May. 2017", "2017-05-25"),  # nato.int puts a dot after every month
        ("2023-11-27", "2023-11-27"),
        ("2023-11-27T10:00:00Z", "2023-11-27"),
        ("2022-06-24T23:23:00+03:00", "2022-06-24"),  # the date as written, not moved to UTC
        ("November 27, 2023", "2023-11-27"),
        ("Nov 27 2023 10:00", "2023-11-27"),
        ("Sept. 5, 2011", "2011-09-05"),
        ("Monday, 27 November 2023", "2023-11-27"),
        ("27/11/2023", "2023-11-27"),
        ("27.11.2023", "2023-11-27"),
        ("11/27/2023", "2023-11-27"),  # US order when the first number cannot be a month
        ("03/04/2023", "2023-04-03"),  # ambiguous: day first, as in Europe
        ("27-Nov.-2023", "2023-11-27"),  # old nato.int page titles
        ("Tue, 28 Nov 2023 09:00:00 GMT", "2023-11-28"),
        ("20231127", "2023-11-27"),
        ("27. November 2023", "2023-11-27"),
        ("24 ноября 2023", "2023-11-24"),  # other languages through dateparser
        ("27 de noviembre de 2023", "2023-11-27"),
        ("  27   Nov.\n2023 ", "2023-11-27"),
    ],
)
def test_parse_date(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "garbage",
        "Aug. 13",  # no year: never guessed
        "2023",
        "November 2023",  # no day
        "2023-11",
        "31/02/2023",  # no such day
        "2023-13-01",
        "3 days ago",  # relative to today: not a document's date
        "yesterday",
        "27 Nov. 3023",  # implausible year
        "x" * 500,
    ],
)
def test_no_date(written: str) -> None:
    assert parse_date(written) == ""


def test_parse_date_accepts_date_objects_and_rejects_other_types() -> None:
    # YAML front matter gives date objects; JSON gives numbers and None.
    assert parse_date(datetime.date(2023, 11, 27)) == "2023-11-27"
    assert parse_date(datetime.datetime(2023, 11, 27, 23, 59)) == "2023-11-27"
    assert parse_date(None) == ""
    assert parse_date(20231127) == ""


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2013-01-S-025\n\nKABUL, Afghanistan (Jan. 25, 2013)\nDuring an operation", "2013-01-25"),
        ("ISAF Joint Command Operational Update, Jan. 10, 2011\nISAF Joint Command", "2011-01-10"),
        ("KABUL, Afghanistan (Aug. 13) - Afghan and coalition forces", ""),  # year unknown
        ("BRUSSELS, 27 November 2023 - Ministers met", "2023-11-27"),
        ("The Secretary General said on Monday (27 November) that", ""),
        ("No date at all in this text.", ""),
    ],
)
def test_date_in_text(text: str, iso: str) -> None:
    assert date_in_text(text) == iso


def test_date_in_text_only_looks_near_the_start() -> None:
    text = "A long first paragraph. " * 40 + "Signed on 4 April 1949."
    assert date_in_text(text) == ""
    assert date_in_text(text, limit=len(text)) == "1949-04-04"


def test_date_in_text_takes_the_first_date() -> None:
    assert date_in_text("Issued 2 May 2024, updated 2024-05-03") == "2024-05-02"


def test_date_in_file_name() -> None:
    from nato_browse.index.ingest.dates import date_in_name

    assert date_in_name("nato-2023-11-27-foreign-ministers.txt") == "2023-11-27"
    assert date_in_name("report_20231127.md") == "2023-11-27"
    assert date_in_name("x-2023-13-40.txt") == ""
    assert date_in_name("release-4521.txt") == ""


def test_shipped_seed_is_dated_from_its_file_name() -> None:
    from nato_browse.index.ingest.loaders import load_file
    from nato_browse.index.paths import DEFAULT_CORPUS

    (doc,) = load_file(DEFAULT_CORPUS / "nato-2023-11-27-foreign-ministers.txt").documents
    assert doc.date == "2023-11-27"
