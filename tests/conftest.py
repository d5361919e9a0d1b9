"""Fixtures every test folder shares. `../shared` (read-only test data) sits beside the checkout.

Helpers are fixtures that return a function (`said`, `write_release`), so no test module imports
another (a test in tests/test_layout.py holds the tests to it).
"""

from __future__ import annotations

import os
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
