"""Promises the project makes about itself: a headless core used through one public API, tests
that stand alone, lint- and type-clean code, a working CLI."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "index"
APP = ROOT / "tui"
TESTS = ROOT / "tests"


def _modules(folder: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(folder.rglob("*.py")):
        if "__snapshots__" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(tree: ast.Module) -> Iterator[tuple[ast.stmt, str, int]]:
    """(node, module named, relative level) for every import statement, nested ones too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node, node.module or "", node.level


# -- the core is headless -----------------------------------------------------------------------


def test_core_imports_neither_textual_nor_rich() -> None:
    for path, tree in _modules(CORE):
        for node, name, level in _imports(tree):
            top = name.split(".")[0]
            assert level or top not in {"textual", "rich"}, f"{path}:{node.lineno} imports {name}"
    # And at run time: importing every core module pulls neither in through a dependency.
    code = (
        "import pkgutil, importlib, sys\n"
        "import nato_browse.index as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'nato_browse.index.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_prints_nothing() -> None:
    # Progress and problems leave the core through callbacks, return values and exceptions.
    for path, tree in _modules(CORE):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "input"}, f"{path}:{node.lineno} prints"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                std = f"{node.value.id}.{node.attr}"
                assert std not in {"sys.stdout", "sys.stderr"}, f"{path}:{node.lineno} uses {std}"
        for node, name, _ in _imports(tree):
            assert name.split(".")[0] != "logging", f"{path}:{node.lineno} logs (use a callback)"


# -- the app and the CLI use the core's public API only ----------------------------------------


def test_tui_imports_only_the_public_api() -> None:
    import nato_browse.index as core

    public = set(core.__all__)
    for path, tree in _modules(APP):
        for node, name, level in _imports(tree):
            if level or not name.startswith("nato_browse.index"):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            assert name == "nato_browse.index", f"{where} imports the core module {name}"
            assert isinstance(node, ast.ImportFrom), f"{where}: import names from nato_browse.index"
            for alias in node.names:
                assert alias.name in public, f"{where}: {alias.name} is not in the public API"


def test_every_public_name_resolves() -> None:
    code = (
        "import nato_browse.index as core\n"
        "missing = [n for n in core.__all__ if getattr(core, n, None) is None]\n"
        "print(','.join(missing))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importing_the_api_is_cheap() -> None:
    # The names load on first use: `nato-browse --help` and the app's first frame need no Whoosh.
    code = (
        "import sys, nato_browse.index\n"
        "print(','.join(m for m in ('whoosh', 'numpy', 'lxml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- the tests stand alone ----------------------------------------------------------------------


def test_no_test_imports_another_test_module_or_edits_sys_path() -> None:
    local = {p.stem for p in TESTS.rglob("*.py")} | {"conftest", "tests"}
    for path, tree in _modules(TESTS):
        where = path.relative_to(ROOT)
        for node, name, level in _imports(tree):
            assert not level, f"{where}:{node.lineno}: a relative import of a test module"
            assert name.split(".")[0] not in local, f"{where}:{node.lineno} imports {name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "path":
                value = node.value
                assert not (isinstance(value, ast.Name) and value.id == "sys"), (
                    f"{where}:{node.lineno} edits sys.path (share fixtures through conftest.py)"
                )


# -- lint, types, packaging, the command -------------------------------------------------------


def test_ruff_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean(tmp_path_factory: pytest.TempPathFactory) -> None:
    # The card's folders are installed as nato_browse.index and nato_browse.tui (pyproject's
    # package-dir); mypy reads them through the same mapping, made of symbolic links.
    tree = tmp_path_factory.mktemp("mypy-path")
    (tree / "nato_browse").mkdir()
    for folder in ("index", "tui", "data"):
        (tree / "nato_browse" / folder).symlink_to(ROOT / folder, target_is_directory=True)
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--cache-dir",
        str(ROOT / ".mypy_cache"),
        "-p",
        "nato_browse.index",
        "-p",
        "nato_browse.tui",
    ]
    result = subprocess.run(
        command, cwd=tree, env={**os.environ, "MYPYPATH": str(tree)}, capture_output=True, text=True
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


@pytest.mark.parametrize("top", ["index", "tui"])
def test_every_python_package_is_installed(top: str) -> None:
    # A folder with an __init__.py that pyproject.toml does not list would be missing from a
    # non-editable install (and only there).
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    for init in (ROOT / top).rglob("__init__.py"):
        parts = init.parent.relative_to(ROOT).parts
        assert ".".join(("nato_browse", *parts)) in listed, init
