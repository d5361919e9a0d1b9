"""Promises the project makes about itself: a headless core, lint-clean code, a working CLI."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_core_never_imports_textual() -> None:
    # Import every core module in a fresh interpreter and check Textual stayed out.
    code = (
        "import pkgutil, importlib, sys\n"
        "import nato_browse.index as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'nato_browse.index.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_ruff_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_help_lists_subcommands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nato_browse.tui.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for name in ("extract", "index", "search", "stats", "app"):
        assert name in out.stdout


def test_every_python_package_is_installed() -> None:
    # A folder with an __init__.py that pyproject.toml does not list would be missing from a
    # non-editable install (and only there).
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    for top in ("index", "tui"):
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            assert ".".join(("nato_browse", *parts)) in listed, init
