"""Files -> Documents: find the user's files, read each by its kind, date it.

`discover` walks folders, `load_file` reads one file into documents (or says why it cannot),
`fingerprint` tells whether a file changed since it was indexed. The readers for each format
are in `readers/`; `dates.py` turns any written date into ISO form.
"""

from .dates import parse_date
from .loaders import LoadedFile, LoadOptions, discover, display_path, fingerprint, load_file
from .source import load_document, split_source

__all__ = [
    "LoadOptions",
    "LoadedFile",
    "discover",
    "display_path",
    "fingerprint",
    "load_document",
    "load_file",
    "parse_date",
    "split_source",
]
