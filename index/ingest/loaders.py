"""Turn the files a user collected into `Document` records.

`discover` finds the supported files under the paths given, `fingerprint` hashes a file's bytes
(so an index run re-reads only what changed) and `load_file` reads one file. `load_file` never
raises for bad input: the reason lands in `LoadedFile.error`, one line, for a person.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..api import SkippedFile
from ..clean import clean_line, clean_text, visible_controls
from ..model import Document
from .readers import ReadError
from .readers.encoding import decode, html_charset

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".jsonl", ".json"}
)
MAX_FILE_BYTES = 50 * 1024 * 1024
NO_SUCH_PATH = "no such file or folder"
# A link longer than this is not a link but a payload, and it would be stored with every quote.
MAX_URL_CHARS = 2048


@dataclass(frozen=True)
class LoadOptions:
    """Explicit column names for CSV/JSONL files; None means "find it by its usual names"."""

    title_column: str | None = None
    date_column: str | None = None
    url_column: str | None = None
    body_column: str | None = None


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    fingerprint: str  # fingerprint() of the bytes read, "" when the file could not be read
    documents: tuple[Document, ...]
    error: str = ""  # one line when the file as a whole could not be used
    warnings: tuple[str, ...] = ()  # one line each, e.g. a bad row skipped in a CSV


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[SkippedFile]]:
    """Supported files under `paths` (folders recursively), sorted, each once.

    Hidden files and folders (a leading dot) are left out. Paths that do not exist or cannot be
    read come back as `SkippedFile`s. A file named explicitly with an unsupported suffix is
    skipped with a reason; inside folders such files are ignored silently.
    """
    found: set[Path] = set()
    skipped: list[SkippedFile] = []

    def walk_error(err: OSError) -> None:
        skipped.append(SkippedFile(display_path(err.filename or "?"), _os_reason(err)))

    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                reason = "folder cannot be read (permission denied)"
                skipped.append(SkippedFile(display_path(path), reason))
                continue
            for root, dirs, files in os.walk(path, onerror=walk_error, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith("."):
                        continue
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                        candidate = Path(root) / name
                        if candidate.is_file():
                            found.add(candidate)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.add(path)
            else:
                skipped.append(SkippedFile(display_path(path), _unsupported_reason(path)))
        elif path.exists() or path.is_symlink():
            what = "broken link" if path.is_symlink() else "not a regular file or folder"
            skipped.append(SkippedFile(display_path(path), what))
        else:
            skipped.append(SkippedFile(display_path(path), NO_SUCH_PATH))
    return sorted(found), skipped


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` for a person: bytes of its name that are not UTF-8 (Python holds them as lone
    surrogates, which no terminal, JSON or UTF-8 file can take) are shown escaped, as `\\xe9`."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def fingerprint(path: Path) -> str:
    """A hash of the file's bytes: the same content gives the same fingerprint wherever it is."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_file(path: Path, options: LoadOptions | None = None) -> LoadedFile:
    """Read one file into documents. Never raises for bad input: see `LoadedFile.error`."""
    path = Path(path)
    options = options or LoadOptions()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return LoadedFile(path, "", (), error=_unsupported_reason(path))
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return LoadedFile(path, "", (), error="is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return LoadedFile(path, "", (), error="not a regular file")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1048576
            reason = f"file too large ({size / 1048576:.1f} MB, limit {limit} MB)"
            return LoadedFile(path, "", (), error=reason)
        data = path.read_bytes()
    except OSError as err:
        return LoadedFile(path, "", (), error=_os_reason(err))
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if not data:
        return LoadedFile(path, digest, (), error="empty file")
    try:
        declared = html_charset(data) if suffix in (".html", ".htm") else None
        documents, warnings = _read(path, suffix, decode(data, declared), options)
    except ReadError as err:
        return LoadedFile(path, digest, (), error=_one_line(str(err)))
    except Exception as err:  # a reader bug must not stop an index run: report it as the reason
        reason = f"cannot be read ({type(err).__name__}: {_one_line(str(err))})"
        return LoadedFile(path, digest, (), error=reason)
    notes = [_one_line(w) for w in warnings]
    documents = tuple(_clean_document(doc, notes) for doc in documents)
    if not documents:
        return LoadedFile(path, digest, (), error="no documents found", warnings=tuple(notes))
    if display_path(path) != str(path):
        notes.append("its name is not valid UTF-8: indexed under the name shown")
    return LoadedFile(path, digest, documents, warnings=tuple(notes))


def _clean_document(doc: Document, notes: list[str]) -> Document:
    """The document with its text made safe to show (clean.py): every field, once, here."""
    url = clean_line(doc.url)
    if len(url) > MAX_URL_CHARS:
        notes.append(f"a url of {len(url):,} characters ignored (limit {MAX_URL_CHARS:,})")
        url = ""
    title, body, date = clean_line(doc.title), clean_text(doc.body), clean_line(doc.date)
    if (title, body, date, url) == (doc.title, doc.body, doc.date, doc.url):
        return doc
    # The id is made from the clean text, so a copy of a release with a hidden character in it
    # is the same document as the release.
    return Document(title=title, body=body, date=date, url=url, source=doc.source)


def _read(
    path: Path, suffix: str, text: str, options: LoadOptions
) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    # Imported here so that discovering files does not pay for lxml/trafilatura/yaml imports.
    # Shown in messages and the app: undecodable bytes and control characters as escapes.
    source = visible_controls(display_path(path))
    if suffix == ".txt":
        from .readers.text import read_txt

        return (read_txt(text, source),), ()
    if suffix in (".md", ".markdown"):
        from .readers.text import read_markdown

        document, warnings = read_markdown(text, source)
        return (document,), warnings
    if suffix in (".html", ".htm"):
        from .readers.html import read_html

        document, warnings = read_html(text, source)
        return (document,), warnings
    from .readers.tabular import Columns, read_csv, read_jsonl

    columns = Columns(
        title=options.title_column,
        date=options.date_column,
        url=options.url_column,
        body=options.body_column,
    )
    if suffix == ".csv":
        return read_csv(text, source, columns)
    return read_jsonl(text, source, columns)


def _unsupported_reason(path: Path) -> str:
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return f"unsupported file type {path.suffix or '(none)'!r} (supported: {kinds})"


def _os_reason(err: OSError) -> str:
    return _one_line(err.strerror or str(err)).lower() or "cannot be read"


def _one_line(text: str) -> str:
    """A message on one line for a person: safe to print (a reader's error may quote the file)."""
    line = clean_line(text)
    return line if len(line) <= 200 else line[:197] + "..."
