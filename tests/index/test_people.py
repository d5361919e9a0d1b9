"""people.toml: its checks (one line each, naming the file), lookups and dated roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from nato_browse.index.extract.names import same_person, sound_key
from nato_browse.index.extract.people import People, people_path
from nato_browse.index.tagging import TaxonomyError

SMALL = """
[[person]]
name = "Anna Berg"
aliases = ["Berg"]
gender = "f"
roles = [
  { title = "Minister of Defence of Estonia", from = "2019-01-01", to = "2022-06-30" },
  { title = "Prime Minister of Estonia", from = "2022-06-30" },
]

[[person]]
name = "Ivan Petrenko"
gender = "m"
roles = [{ title = "Minister of Defence of Estonia", from = "2022-06-30" }]

[[person]]
name = "Andrei Petrov"

[[person]]
name = "Andriy Petrov"

[[organisation]]
name = "Ministry of Truth"
sites = ["truth.example.org"]
principal = "Prime Minister of Estonia"
"""


def people(tmp_path: Path, text: str = SMALL) -> People:
    path = tmp_path / "people.toml"
    path.write_text(text, encoding="utf-8")
    return People.from_file(path)


def test_the_shipped_file_loads_and_knows_the_nato_secretaries_general() -> None:
    shipped = People.from_file(people_path())
    held = shipped.holders("NATO Secretary General", "2023-11-27")
    assert [e.name for e in held] == ["Jens Stoltenberg"]
    assert [e.name for e in shipped.holders("NATO Secretary General", "2025-03-01")] == [
        "Mark Rutte"
    ]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Anna Berg", "Anna Berg"),
        ("anna  berg", "Anna Berg"),  # case and spaces
        ("Berg", "Anna Berg"),  # a listed surname
        ("Anna Maria Berg", "Anna Berg"),  # a middle name
        ("Ivan Ivanovich Petrenko", "Ivan Petrenko"),  # a patronymic
        ("Ivan Petrenko", "Ivan Petrenko"),
        ("Andrei Petrov", "Andrei Petrov"),  # two different people, never merged
        ("Andriy Petrov", "Andriy Petrov"),
        ("Petrenko", None),  # a surname not listed alone
        ("Boris Berg", None),  # another first name
    ],
)
def test_lookup(tmp_path: Path, written: str, canonical: str | None) -> None:
    found = people(tmp_path).lookup(written)
    assert (found.name if found else None) == canonical


def test_roles_are_dated(tmp_path: Path) -> None:
    p = people(tmp_path)
    assert [e.name for e in p.holders("Minister of Defence of Estonia", "2021-05-01")] == [
        "Anna Berg"
    ]
    assert [e.name for e in p.holders("Estonia Minister of Defence", "2023-05-01")] == [
        "Ivan Petrenko"
    ]
    berg = p.lookup("Anna Berg")
    assert berg is not None
    assert berg.role_on("2020-01-01") == "Minister of Defence of Estonia"
    assert berg.role_on("2024-01-01") == "Prime Minister of Estonia"
    assert p.principal("https://www.truth.example.org/news/1", "2023-01-01") is berg
    assert p.principal("https://elsewhere.example.org/", "2023-01-01") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[person]]\nname = "A B"\nshoe = 1\n', "unknown key 'shoe' in person 'A B'"),
        ('[[person]]\naliases = ["x"]\n', "has no name"),
        ('[[person]]\nname = "A B"\ngender = "x"\n', "gender of person 'A B' must be \"m\""),
        (
            '[[person]]\nname = "A B"\nroles = [{ title = "T", from = "May 2020" }]\n',
            "from of role 'T' of person 'A B' must be a date",
        ),
        (
            '[[person]]\nname = "A B"\nroles = [{ title = "T", from = "2020", to = "2019" }]\n',
            "ends before it begins",
        ),
        (
            '[[person]]\nname = "A B"\naliases = ["Bee"]\n[[person]]\nname = "C Bee"\n'
            'aliases = ["Bee"]\n',
            "'Bee' names both 'A B' and 'C Bee'",
        ),
        ("[[person]\n", "not valid TOML"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TaxonomyError) as caught:
        people(tmp_path, text)
    assert message in str(caught.value)
    assert "people.toml" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_copy_in_the_config_dir_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATO_BROWSE_CONFIG_DIR", str(tmp_path))
    (tmp_path / "people.toml").write_text(SMALL, encoding="utf-8")
    assert people_path() == tmp_path / "people.toml"
    assert People.default().lookup("Berg") is not None
    assert People.default().lookup("Jens Stoltenberg") is None  # the shipped file is replaced


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Volodymyr Zelenskyy", "Volodymyr Zelensky", True),
        ("Volodymyr Zelenskyy", "Volodymyr Zelenskiy", True),
        ("Mykhailo Podolyak", "Mykhailo Podoliak", True),
        ("Oleh Ustenko", "Oleg Ustenko", True),
        ("Sergei Lavrov", "Sergey Lavrov", True),
        ("Yuliya Sokolovska", "Yulia Sokolovska", True),
        ("Veronika Ichyotkina", "Veronika Ichetkina", True),
        ("Mykhail Podolyak", "Mykhailo Podolyak", True),
        ("J. Smith", "John Smith", True),
        ("Alexander Sokolov", "Alexander Sokurov", False),
        ("Anna Smith", "John Smith", False),
        ("Maria Kotova", "Maria Kotov", False),
        ("Smith", "John Smith", False),  # a surname alone is not a full name
    ],
)
def test_variants_of_one_name(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


def test_sound_keys() -> None:
    assert sound_key("Zelenskyy") == sound_key("Zelenskiy") == sound_key("Zelensky")
    assert sound_key("Nausėda") == sound_key("Nauseda")
