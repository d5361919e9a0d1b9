"""A small JSON file in the user's config directory, read once and rewritten whole atomically.

Written atomically (a temporary file, then `os.replace`), so an interrupted write leaves the
previous file whole. A missing file is empty; a file that cannot be read or parsed gives a
one-line `warning` (also logged), an empty start, and is moved aside to `<name>.corrupt` before
it is first overwritten, so nothing the user saved is silently lost. Nothing here raises for a
bad file or a full disk.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class JsonFile:
    """A JSON file read once and rewritten whole, atomically."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.warning = ""  # one line for the user, "" when all is well
        self._corrupt = False

    def read(self, what: str) -> Any:
        """The parsed JSON, or None when the file is missing or unusable (with a warning)."""
        if self.path is None:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            self.unusable(what, "is not UTF-8 text")
            return None
        except OSError as err:
            self._warn(f"cannot read {what} {self.path}: {_reason(err)}; starting empty")
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            self.unusable(what, f"is not valid JSON ({err.msg}, line {err.lineno})")
            return None

    def unusable(self, what: str, reason: str, outcome: str = "starting empty") -> None:
        """The file is (partly) unreadable: warn, and move it aside before it is rewritten."""
        self._corrupt = True
        self._warn(f"{what} {self.path} {reason}; {outcome}")

    def write(self, data: Any, what: str) -> bool:
        """Replace the file with `data`; False (and a warning) when it cannot be written."""
        if self.path is None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._corrupt and self.path.exists():
                # Keep what could not be read, once, rather than overwrite it.
                os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
            self._corrupt = False
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, indent=1)
                    out.write("\n")
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            self._warn(f"cannot save {what} to {self.path}: {_reason(err)}")
            return False
        return True

    def _warn(self, message: str) -> None:
        self.warning = message
        log.warning("%s", message)


def _reason(err: OSError) -> str:
    return err.strerror.lower() if err.strerror else str(err) or type(err).__name__


class Stored:
    """What both stores show of their file: where it is and what went wrong reading it."""

    _file: JsonFile

    @property
    def path(self) -> Path | None:
        return self._file.path

    @property
    def warning(self) -> str:
        return self._file.warning
