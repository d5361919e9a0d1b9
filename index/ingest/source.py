"""A document read again from where it was indexed from, to show it whole.

The index keeps quotes, not documents: the user's files stay the only copy of the text. A
quote's `source` names the file ("path", or "path#N" for the Nth record of a CSV/JSONL export)
and its `doc` the document's content id, so the document is found again by reading the file and
matching the id; a file gone, unreadable or changed since it was indexed says so in one line.
"""

from __future__ import annotations

from pathlib import Path

from ..api import DocumentUnavailable
from ..model import Document
from .loaders import LoadOptions, load_file

# Files whose documents are records, named "path#N".
_TABULAR = frozenset({".csv", ".jsonl", ".json"})
_UPDATE_HINT = "`nato-browse index` brings the index up to date"


def split_source(source: str) -> tuple[str, int | None]:
    """ "exports/x.csv#12" -> ("exports/x.csv", 12); a plain path -> (path, None)."""
    path, sep, row = source.rpartition("#")
    if sep and row.isdigit() and Path(path).suffix.lower() in _TABULAR:
        return path, int(row)
    return source, None


def load_document(source: str, doc_id: str, options: LoadOptions | None = None) -> Document:
    """The document `doc_id` read again from `source` (a `Document.source`).

    Raises DocumentUnavailable, one line naming the file and why, when the file is gone or
    cannot be read, or when it no longer holds that document (it changed since it was indexed).
    """
    if not source:
        raise DocumentUnavailable("this quote has no source file to read its document from")
    path, _ = split_source(source)
    if not Path(path).exists():
        raise DocumentUnavailable(f"{path}: the file is no longer there; {_UPDATE_HINT}")
    loaded = load_file(Path(path), options)
    if loaded.error:
        raise DocumentUnavailable(f"{path}: {loaded.error}")
    found = [doc for doc in loaded.documents if doc.doc_id == doc_id]
    if not found:
        changed = "the file changed since it was indexed"
        raise DocumentUnavailable(f"{source}: {changed}; {_UPDATE_HINT}")
    # The same record twice in one export: the one at the quote's row.
    return next((doc for doc in found if doc.source == source), found[0])
