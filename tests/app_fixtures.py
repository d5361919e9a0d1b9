"""The app tests' fixtures (loaded with `pytest_plugins = ["app_fixtures"]`): real indexes built
once per session from fixture documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import APP_CORPUS, SEED, write_many_documents


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture documents and the seed article, indexed once per test session."""
    from nato_browse.index.build import build_index

    index_dir = tmp_path_factory.mktemp("app-index")
    report = build_index([APP_CORPUS, SEED], index_dir)
    assert report.quotes >= 16 and not report.skipped
    return index_dir


@pytest.fixture(scope="session")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 quotes: more than the list's first page."""
    from nato_browse.index.build import build_index

    docs = tmp_path_factory.mktemp("many-docs")
    write_many_documents(docs)
    index_dir = tmp_path_factory.mktemp("big-index")
    report = build_index([docs], index_dir)
    assert report.quotes >= 250
    return index_dir


@pytest.fixture
def config_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "config"
    folder.mkdir()
    yield folder
