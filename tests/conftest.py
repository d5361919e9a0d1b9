"""Fixtures every test folder shares. `../shared` (read-only test data) sits beside the checkout.

Helpers are fixtures that return a function (`said`, `write_release`), so no test module imports
another (a test in tests/test_layout.py holds the tests to it).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    """The checkout."""
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (test data) is not beside the checkout")
    return SHARED


def _write_release(folder: Path, name: str, title: str, paragraphs: list[str]) -> Path:
    """A .txt document (first line the title) in `folder`."""
    path = folder / name
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _said(speaker: str, words: str) -> str:
    """A paragraph in which `speaker` says `words` (as the extractor expects a quote)."""
    return f"“{words}”, {speaker} said on Monday."


@pytest.fixture(scope="session")
def write_release() -> Callable[[Path, str, str, list[str]], Path]:
    return _write_release


@pytest.fixture(scope="session")
def said() -> Callable[[str, str], str]:
    return _said


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mounts a real tmpfs with these options (`size=4m`, `ro,size=1m`) in a new folder, for a
    full or read-only disk; skips the test where mounting is not allowed (it needs root, as in
    CI). Unmounted at the end."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        target = tmp_path / f"mount{len(mounted)}"
        target.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
        )
        if result.returncode != 0:
            pytest.skip("mount is not allowed here")
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


# -- hostile documents (issue 14): written by the tests themselves, nothing downloaded ------------

ESC = "\x1b"
# What a hostile quote carries: clear the screen, retitle the window, ask the terminal to type
# its cursor position into the shell, a hyperlink to a local file, a clipboard write ended by ST,
# a device control string, an 8-bit CSI, a bell and a backspace, Textual/Rich markup, a right-to-
# left override and a zero-width space.
HOSTILE = (
    f"{ESC}[2J{ESC}[H",
    f"{ESC}]0;pwned\x07",
    f"{ESC}[6n",
    f"{ESC}]8;;file:///etc/passwd{ESC}\\click{ESC}]8;;{ESC}\\",
    f"{ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA=={ESC}\\",
    f"{ESC}P1$qm{ESC}\\",
    "\x9b31m",
    "\x07\x08",
    "[/nomatch][bold",
    "\u202e",
    "\u200b",
)
# Characters that must never reach a terminal, a clipboard or a file we write: C0 but tab and
# newline, DEL, C1, bidirectional controls, zero-width space, word joiner, BOM, soft hyphen.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]"
)


def _assert_no_controls(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, (
        f"{found.group()!r} in {text[max(0, found.start() - 40) : found.end() + 40]!r}"
    )


def _hostile_folder(folder: Path) -> list[Path]:
    """One file of each kind in `folder`, every field laced with `HOSTILE`; each says one quote
    by Jens Stoltenberg (whose name hides a zero-width space) with "defend" in it."""
    folder.mkdir(parents=True, exist_ok=True)
    bad = "".join(HOSTILE)
    say = f"“We will defend every inch{bad} of our land,” said Jens Stolten\u200bberg."
    files = {
        "a.txt": f"Title{bad}\n\n{say}\n",
        "b.md": (
            '---\ntitle: "Front\\e[2J [/x] matter"\nurl: "https://example.org/\\e]8;;x\\a"\n'
            f"date: 2023-11-27\n---\n{say}\n"
        ),
        "c.html": (
            "<html><head><title>Page&#27;[2J title</title></head><body><article>"
            f"<h1>Page&#27;]0;owned&#7; [/y] title</h1><p>{say}</p>"
            + "<p>More words about the Alliance and its partners.</p>" * 5
            + "</article></body></html>"
        ),
        "d.csv": f'title,date,url,body\n"Row{ESC}[6n",2023-11-27,https://example.org/r,"{say}"\n',
        "e.jsonl": json.dumps(
            {"title": "J\u001b]52;c;eA==\u0007son", "body": say, "url": "javascript:alert(1)"}
        )
        + "\n",
        f"name{ESC}[2J.txt": f"Named\n\n{say}\n",
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def hostile_folder() -> Callable[[Path], list[Path]]:
    return _hostile_folder


@pytest.fixture(scope="session")
def assert_no_controls() -> Callable[[str], None]:
    return _assert_no_controls


@pytest.fixture(scope="session")
def hostile_payloads() -> tuple[str, ...]:
    return HOSTILE


@pytest.fixture(scope="session")
def hostile_text() -> str:
    """Every payload of `HOSTILE` in one string."""
    return "".join(HOSTILE)
