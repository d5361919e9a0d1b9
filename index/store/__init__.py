"""The Whoosh index on disk: its schema, how it is built and updated, and its sidecar caches.

`build.py` reads files into the index incrementally and atomically; `writer.py` writes a batch
of quotes as one Whoosh segment in bulk; `folder.py` opens and creates the index folder, holds
the builder's lock and the manifest; `library.py` keeps the sources the user asked to index;
`schema.py` maps a Quote to a Whoosh document; `columns.py` and `segments.py` are the
per-document and per-segment caches search reads; `whoosh_compat.py` is the one place that
touches Whoosh's internals; `heap.py` keeps a big build's last steps from hoarding memory.
"""

from .build import build_index, ensure_index, list_sources, remove_source

__all__ = ["build_index", "ensure_index", "list_sources", "remove_source"]
