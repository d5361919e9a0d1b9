"""Fixtures every test folder shares. `../shared` (read-only test data) sits beside the checkout.

Helpers are fixtures that return a function (`said`, `write_release`), so no test module imports
another (a test in tests/test_layout.py holds the tests to it).
"""

from __future__ import annotations

from collections.abc import Callable
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
