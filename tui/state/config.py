"""The user's settings file: key remapping and the theme, read from `config.toml`.

    theme = "gruvbox"
    [keys]
    filter-speaker = "f2,s"    # binding id = comma-separated keys

Binding ids are listed by the help screen (F1). A bad file never stops the app: the problems
come back as one-line messages the app shows as notifications.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAME = "config.toml"


@dataclass(frozen=True)
class UserConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str = ""
    problems: tuple[str, ...] = ()  # one line each, naming the file and the reason


def load_config(directory: Path) -> UserConfig:
    """Read `directory/config.toml`; a missing file is an empty config, not a problem."""
    path = directory / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return UserConfig()
    except OSError as exc:
        return UserConfig(problems=(f"{path}: cannot read ({exc.strerror or exc})",))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return UserConfig(problems=(f"{path}: not valid TOML ({exc})",))

    problems: list[str] = []
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(f'{path}: [keys] must be a table of binding-id = "keys"')
        keys = {}
    for binding_id, value in keys.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str) or not value.strip():
            problems.append(f'{path}: keys.{binding_id} must be a key string such as "f2,s"')
            continue
        keymap[binding_id] = ",".join(part.strip() for part in value.split(",") if part.strip())
    theme = data.get("theme", "")
    if not isinstance(theme, str):
        problems.append(f"{path}: theme must be a string")
        theme = ""
    return UserConfig(keymap=keymap, theme=theme, problems=tuple(problems))
