"""Where shipped data lives and where derived data (the index) goes."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nato-browse"
# Installed, `nato_browse/index` and `nato_browse/data` are siblings; editable, `index/` and
# `data/` are siblings in the checkout. The same relative path serves both.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CORPUS = DATA_DIR / "corpus"
INDEX_DIR_ENV = "NATO_BROWSE_INDEX_DIR"


def default_index_dir() -> Path:
    """The index folder: $NATO_BROWSE_INDEX_DIR, else the user's cache directory."""
    env = os.environ.get(INDEX_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "index"


def file_stamp(path: Path) -> tuple[int, int]:
    """(modification time, size) of `path`, or (0, 0) when it cannot be read: a cache key that
    changes when the user edits a data file (the reader reports the problem itself)."""
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def config_dir() -> Path:
    """The user's config directory (key bindings, saved searches, history)."""
    env = os.environ.get("NATO_BROWSE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))
