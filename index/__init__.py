"""nato-browse's headless core, and its one public API.

Documents are read (`ingest/`), their quotes found (`extract/`) and tagged (`tagging/`), repeats
grouped (`grouping/`), all of it kept in a Whoosh index (`store/`) and searched (`search/`).
The CLI and the app (``nato_browse.tui``) use only the names below, imported from this package;
a test holds them to it. Nothing here imports Textual or Rich or prints: progress goes out
through a `ProgressCallback`.

The names are loaded on first use (PEP 562), so importing this package is cheap: `nato-browse
--help` and the app's first frame do not pay for Whoosh, numpy or the HTML readers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> the module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    # the records
    "DEFAULT_KINDS": ".model",
    "Document": ".model",
    "QUOTE_KINDS": ".model",
    "Quote": ".model",
    "QuoteKind": ".model",
    # the API's value types and errors
    "UNATTRIBUTED": ".api",
    "AmbiguousSpeaker": ".api",
    "BuildReport": ".api",
    "DiskFull": ".api",
    "DocumentSkipped": ".api",
    "Facets": ".api",
    "Filters": ".api",
    "Hit": ".api",
    "IndexCorrupt": ".api",
    "IndexLocked": ".api",
    "IndexMissing": ".api",
    "IndexStats": ".api",
    "IndexUnavailable": ".api",
    "NatoBrowseError": ".api",
    "ProgressCallback": ".api",
    "SearchResult": ".api",
    "SkippedFile": ".api",
    "SortOrder": ".api",
    "SORT_ORDERS": ".api",
    "DocumentUnavailable": ".api",
    "SourceInfo": ".api",
    "SourceStatus": ".api",
    "SpeakerInfo": ".api",
    # text from documents made safe to show (control characters, escape sequences, bidi)
    "clean_data": ".clean",
    "clean_line": ".clean",
    "clean_text": ".clean",
    "visible_controls": ".clean",
    # where things live
    "DEFAULT_CORPUS": ".paths",
    "INDEX_DIR_ENV": ".paths",
    "config_dir": ".paths",
    "default_index_dir": ".paths",
    # files -> documents
    "LoadOptions": ".ingest",
    "discover": ".ingest",
    "display_path": ".ingest",
    "load_file": ".ingest",
    "load_document": ".ingest",
    "split_source": ".ingest",
    "parse_date": ".ingest",
    # documents -> quotes, tagged
    "extract_quotes": ".extract",
    "Tagger": ".tagging",
    # one quote, many sources
    "GroupInfo": ".grouping",
    "GroupSource": ".grouping",
    "group_summary": ".grouping",
    # the index
    "build_index": ".store",
    "ensure_index": ".store",
    "list_sources": ".store",
    "remove_source": ".store",
    "QuoteIndex": ".search",
    "SpeakerProfile": ".search.speaker_profile",
    "TopicComparison": ".search.speaker_profile",
    "compare_on_topic": ".search.speaker_profile",
    "speaker_profile": ".search.speaker_profile",
}

__all__ = [
    "DEFAULT_CORPUS",
    "DEFAULT_KINDS",
    "INDEX_DIR_ENV",
    "QUOTE_KINDS",
    "SORT_ORDERS",
    "UNATTRIBUTED",
    "AmbiguousSpeaker",
    "BuildReport",
    "DiskFull",
    "Document",
    "DocumentSkipped",
    "DocumentUnavailable",
    "Facets",
    "Filters",
    "GroupInfo",
    "GroupSource",
    "Hit",
    "IndexCorrupt",
    "IndexLocked",
    "IndexMissing",
    "IndexStats",
    "IndexUnavailable",
    "LoadOptions",
    "NatoBrowseError",
    "ProgressCallback",
    "Quote",
    "QuoteIndex",
    "QuoteKind",
    "SearchResult",
    "SkippedFile",
    "SortOrder",
    "SourceInfo",
    "SourceStatus",
    "SpeakerInfo",
    "SpeakerProfile",
    "Tagger",
    "TopicComparison",
    "build_index",
    "clean_data",
    "clean_line",
    "clean_text",
    "compare_on_topic",
    "config_dir",
    "default_index_dir",
    "discover",
    "display_path",
    "ensure_index",
    "extract_quotes",
    "group_summary",
    "list_sources",
    "load_document",
    "load_file",
    "parse_date",
    "remove_source",
    "speaker_profile",
    "split_source",
    "visible_controls",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the same names, eagerly, for type checkers and editors
    from .api import (
        SORT_ORDERS,
        UNATTRIBUTED,
        AmbiguousSpeaker,
        BuildReport,
        DiskFull,
        DocumentSkipped,
        DocumentUnavailable,
        Facets,
        Filters,
        Hit,
        IndexCorrupt,
        IndexLocked,
        IndexMissing,
        IndexStats,
        IndexUnavailable,
        NatoBrowseError,
        ProgressCallback,
        SearchResult,
        SkippedFile,
        SortOrder,
        SourceInfo,
        SourceStatus,
        SpeakerInfo,
    )
    from .clean import clean_data, clean_line, clean_text, visible_controls
    from .extract import extract_quotes
    from .grouping import GroupInfo, GroupSource, group_summary
    from .ingest import (
        LoadOptions,
        discover,
        display_path,
        load_document,
        load_file,
        parse_date,
        split_source,
    )
    from .model import DEFAULT_KINDS, QUOTE_KINDS, Document, Quote, QuoteKind
    from .paths import DEFAULT_CORPUS, INDEX_DIR_ENV, config_dir, default_index_dir
    from .search import QuoteIndex
    from .search.speaker_profile import (
        SpeakerProfile,
        TopicComparison,
        compare_on_topic,
        speaker_profile,
    )
    from .store import build_index, ensure_index, list_sources, remove_source
    from .tagging import Tagger
