"""Search over the quote index: `QuoteIndex`, the one long-lived searcher the app and CLI use.

Speed comes from opening everything once per committed state of the index: the Whoosh searcher,
the per-document columns (columns.py: filters, facets, dates, groups) and the per-segment
caches (segments.py: the quote text's postings, memory-mapped; the quotes are read from Whoosh's
stored fields). A keystroke then costs a few numpy operations over posting lists (evaluate.py)
plus reading and highlighting the page of hits; caches of recent filters, matches, quotes and
highlight spans make the next keystroke cheaper still. Queries are parsed (parse.py) within
stated limits (a long query or word is cut, with a note; expansions are bounded).

Every public method takes one lock: Whoosh's readers are not safe to share between threads, and
the state is swapped by `refresh` under the same lock.
"""

from __future__ import annotations

import functools
import gc
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from ..api import (
    SORT_ORDERS,
    UNATTRIBUTED,
    Facets,
    Filters,
    Hit,
    IndexStats,
    IndexUnavailable,
    NatoBrowseError,
    SearchResult,
    SortOrder,
    SpeakerInfo,
)
from ..extract.people import People
from ..model import QUOTE_KINDS, Quote
from ..store.columns import (
    Columns,
    assemble_columns,
    columns_path,
    date_key,
    load_columns,
    state_token,
)
from ..store.folder import (
    builder_running,
    damage_error,
    damaged,
    manifest_path,
    open_index,
    read_manifest,
)
from ..store.schema import VALUE_SEP
from ..store.segments import SEGMENT_PREFIX, CacheDamaged, SegmentData, open_segments
from ..store.whoosh_compat import DAMAGE, live_mask
from ..store.writer import Analyser
from .cache import lru_put
from .evaluate import Evaluator, Match, PostingsCache, kept, read_postings
from .highlight import Highlighter, Terms
from .parse import Parsed, QueryBuilder
from .speakers import SpeakerLookup

FacetField = Literal["speakers", "topics", "regions", "countries"]
FACET_FIELDS: tuple[FacetField, ...] = ("speakers", "topics", "regions", "countries")
NO_FILTERS = Filters()
# What reading a damaged (or vanished) index raises.
_READ_FAILURES: tuple[type[BaseException], ...] = (OSError, CacheDamaged, *DAMAGE)
_QUOTE_CACHE = 16_384  # a typing session shows the same quotes again and again
_FILTER_CACHE = 16
_MATCH_CACHE = 8


@dataclass(eq=False)
class _State:
    """One committed state of the index, with everything derived from it."""

    searcher: Searcher
    columns: Columns
    builder: QueryBuilder
    documents: int
    speakers: SpeakerLookup
    segments: list[tuple[SegmentData, int]] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    spans: OrderedDict[tuple[int, str], Any] = field(default_factory=OrderedDict)
    quotes: OrderedDict[int, Quote] = field(default_factory=OrderedDict)
    filters: OrderedDict[Filters, np.ndarray] = field(default_factory=OrderedDict)
    shown: OrderedDict[tuple[str, ...], np.ndarray] = field(default_factory=OrderedDict)
    postings: PostingsCache = field(default_factory=PostingsCache)
    qid_docs: OrderedDict[str, int] = field(default_factory=OrderedDict)
    # The app asks for the hits, the facets and the months of one query in a row.
    matches: OrderedDict[tuple[str, Filters, bool], tuple[Parsed, Match, Terms]] = field(
        default_factory=OrderedDict
    )
    speaker_groups: dict[int, int] = field(default_factory=dict)  # speaker id -> its groups
    _speaker_rank: np.ndarray | None = None

    @functools.cached_property
    def offsets(self) -> list[int]:
        """Each segment's first docnum."""
        return [offset for _, offset in self.segments]

    @functools.cached_property
    def offset_array(self) -> np.ndarray:
        return np.array(self.offsets, np.int64)

    def speaker_rank(self) -> np.ndarray:
        """Each speaker id's place in A-Z order (case ignored); named speakers before unnamed
        sources ("a spokesman", written in lower case), and no speaker (id -1, the last entry)
        after both."""
        if self._speaker_rank is None:
            names = self.columns.speakers
            order = sorted(range(len(names)), key=lambda i: _az_key(names[i]))
            rank = np.empty(len(names) + 1, np.int64)
            rank[np.asarray(order, np.int64)] = np.arange(len(names))
            rank[-1] = len(names)
            self._speaker_rank = rank
        return self._speaker_rank


class QuoteIndex:
    """Implements `api.QuoteSearcher`. Thread-safe: every method may be called from any thread."""

    def __init__(self, index_dir: Path, ix: FileIndex) -> None:
        self.index_dir = index_dir
        self._ix = ix
        self._lock = threading.RLock()
        self._closed = False
        searcher = ix.searcher()
        try:
            self._state = self._load_state(searcher)
        except BaseException:
            searcher.close()
            raise
        _settle()

    @classmethod
    def open(cls, index_dir: Path) -> QuoteIndex:
        """Open the index in `index_dir`.

        Raises IndexMissing (no index yet), IndexCorrupt (unreadable: rebuild), IndexUnavailable
        (folder unreadable or gone). Messages are one line.
        """
        index_dir = Path(index_dir)
        ix = open_index(index_dir)
        try:
            return cls(index_dir, ix)
        except _READ_FAILURES as err:
            raise _read_error(index_dir, err) from err

    @property
    def warnings(self) -> tuple[str, ...]:
        """Problems with the index that searching works around (a damaged cache or manifest),
        one line each, with the command that fixes them."""
        return self._state.warnings

    def _load_state(self, searcher: Searcher) -> _State:
        reader = searcher.reader()
        token = state_token(reader)
        generation = reader.generation() or 0
        manifest = read_manifest(self.index_dir, generation)
        path = columns_path(self.index_dir, generation)
        columns = load_columns(path, token)
        # With the builder's columns, only the segments' postings are needed.
        analyser = Analyser(searcher.schema)
        segments = open_segments(self.index_dir, reader, analyser, columns=columns is None)
        uncached = [f"{SEGMENT_PREFIX}{data.segment_id}" for data, _ in segments if not data.cached]
        if columns is None:
            columns = assemble_columns(segments, live_mask(reader), token)
            uncached.append(path.name)
        warnings = []
        if manifest is None and generation > 0:
            name = manifest_path(self.index_dir, generation).name
            warnings.append(
                f"the index in {self.index_dir} has lost its manifest ({name} is missing or "
                "damaged): run `nato-browse index` to rewrite it"
            )
        if uncached and not builder_running(self.index_dir):
            # (A builder writes them after its commit: missing meanwhile is normal.)
            warnings.append(
                f"the search caches of the index in {self.index_dir} are missing or damaged "
                f"({', '.join(uncached[:2])}{', ...' if len(uncached) > 2 else ''}): searches "
                "are slower until `nato-browse index` writes them"
            )
        documents = int(manifest["documents"]) if manifest else _count_documents(reader)
        return _new_state(searcher, columns, documents, segments, tuple(warnings))

    # The protocol.

    def search(
        self,
        query: str,
        filters: Filters = NO_FILTERS,
        *,
        sort: SortOrder = "relevance",
        limit: int = 200,
        offset: int = 0,
        prefix_last: bool = True,
        collapse: bool = True,
    ) -> SearchResult:
        """Hits for `query` within `filters`.

        With `collapse`, quotes that say the same words (one group) appear once, as their best
        match, with `Hit.sources` the group's size, and `total` counts groups (`quotes` counts
        them all). An empty query matches everything; it is listed newest first when `sort`
        asks for relevance (`SearchResult.sort` says which order was used).
        """
        if sort not in SORT_ORDERS:
            raise ValueError(f"not a sort order: {sort!r}")
        offset, limit = max(offset, 0), max(limit, 0)
        with self._guard():
            state = self._state
            parsed, match, terms = self._match(state, query, filters, prefix_last)
            cols = state.columns
            quotes_matched = len(match)
            if collapse:
                match = self._collapse(cols, match)
            if parsed.query is None and sort == "relevance":
                sort = "newest"
            order = self._order(state, match, sort, offset + limit)
            page = order[offset : offset + limit]
            scores = match.scores[np.searchsorted(match.ids, page)]
            sizes = cols.group_size[cols.group[page]] if collapse else np.ones(len(page), int)
            highlighter = Highlighter(terms, state.builder, state.spans)
            stems_of = highlighter.stems_per_doc(page)
            hits = []
            docnums = page.tolist()
            quotes = self._quotes(state, docnums)
            spans = highlighter.spans
            for docnum, quote, score, size, stems in zip(
                docnums, quotes, scores.tolist(), sizes.tolist(), stems_of, strict=True
            ):
                if not quote.named and size > 1:
                    quote = self._credit_named(state, docnum, quote)
                hits.append(
                    Hit(
                        quote=quote,
                        score=score,
                        highlights=spans(docnum, quote.text, stems),
                        sources=max(size, 1),
                    )
                )
            suggestion = ""
            if not len(match) and parsed.query is not None:
                suggestion = self._suggest(state, query, parsed, filters, prefix_last)
            note = parsed.note or self._unknown_speakers(state, filters)
            return SearchResult(
                query=query,
                hits=tuple(hits),
                total=len(match),
                offset=offset,
                quotes=quotes_matched,
                sort=sort,
                note=note,
                suggestion=suggestion,
                speakers=self._named_speakers(state, query, filters),
            )

    def facets(
        self, query: str, filters: Filters = NO_FILTERS, *, prefix_last: bool = True
    ) -> Facets:
        """Speakers, topics, regions and countries with their counts in the current results.

        Counts are of groups (a quote said once and quoted by five sources counts once).
        """
        with self._guard():
            state = self._state
            _, match, _ = self._match(state, query, filters, prefix_last)
            return self._facets(state.columns, match.ids)

    def months(
        self, query: str, filters: Filters = NO_FILTERS, *, prefix_last: bool = True
    ) -> tuple[tuple[str, int], ...]:
        """Matching quotes (groups) per month ("2023-11", count), oldest first, empty months
        included; undated quotes are left out."""
        with self._guard():
            state = self._state
            _, match, _ = self._match(state, query, filters, prefix_last)
            cols = state.columns
            dates = cols.date[match.ids]
            dated = dates // 100 % 100 > 0  # a month is known (not only the year)
            ids = match.ids[dated]
            month = (dates[dated] // 100).astype(np.int64)  # yyyymm
            if not len(month):
                return ()
            ordinal = (month // 100) * 12 + (month % 100 - 1)
            lo, hi = int(ordinal.min()), int(ordinal.max())
            counts = self._count_groups(cols, ordinal - lo, ids)
            return tuple(
                (f"{m // 12:04d}-{m % 12 + 1:02d}", int(counts.get(m - lo, 0)))
                for m in range(lo, hi + 1)
            )

    def speaker_quote_count(self, speaker: str) -> int:
        """Quotes (groups) by `speaker` (any of its names) in the whole index."""
        with self._guard():
            cols = self._state.columns
            sid = cols.speaker_index.get(_clean(speaker))
            if sid is None:
                found = self._state.speakers.loose(speaker)
                if len(found) != 1:
                    return 0
                sid = found[0]
            ids = np.flatnonzero((cols.speaker == sid) & self._filter_mask(self._state, NO_FILTERS))
            return len(np.unique(cols.group[ids]))

    def stats(self) -> IndexStats:
        with self._guard():
            state = self._state
            cols = state.columns
            live = np.flatnonzero(cols.live)
            dates = cols.date[live]
            dates = dates[dates > 0]
            shown = np.flatnonzero(self._filter_mask(state, NO_FILTERS))
            per_kind = np.bincount(cols.kind[live], minlength=len(QUOTE_KINDS))
            return IndexStats(
                documents=state.documents,
                quotes=len(live),
                speakers=cols.speaker_count(shown),
                top=self._facets(cols, shown.astype(np.int32), top=10),
                first_date=_iso(int(dates.min())) if len(dates) else "",
                last_date=_iso(int(dates.max())) if len(dates) else "",
                kinds=tuple((k, int(n)) for k, n in zip(QUOTE_KINDS, per_kind, strict=False)),
            )

    def refresh(self) -> None:
        """Pick up a commit made by another writer (cheap when nothing changed).

        When the folder has gone or become unreadable, raises IndexUnavailable and keeps serving
        the state it had.
        """
        with self._guard():
            state = self._state
            if not self.index_dir.is_dir():
                raise IndexUnavailable(f"the index folder {self.index_dir} was deleted")
            current = state.searcher.reader().generation()
            latest = self._ix.latest_generation()
            if latest != current and (
                columns_path(self.index_dir, latest).exists() or not builder_running(self.index_dir)
            ):
                # (While a builder is still caching and grouping its commit, the state it
                # replaced stays in use: opening the commit half-finished is slow.)
                # A fresh searcher, not `Searcher.refresh()`: whoosh3 3.54's reader reuse keeps
                # the segments a merge replaced, so documents would show twice.
                searcher = self._ix.searcher()
                try:
                    self._state = self._load_state(searcher)
                except BaseException:
                    searcher.close()
                    raise
                gc.unfreeze()  # (the old state's reference cycles collected, then the rest)
                _close_state(state)
                del state
                gc.collect()
                _settle()
                return
            if state.columns.grouped:
                return
            # Same commit, but the builder may have finished grouping it since.
            path = columns_path(self.index_dir, current or 0)
            columns = load_columns(path, state.columns.token) if path.exists() else None
            if columns is not None and columns.grouped:
                warnings = tuple(w for w in state.warnings if "search caches" not in w)
                self._state = _new_state(
                    state.searcher, columns, state.documents, state.segments, warnings
                )

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                _close_state(self._state)
                gc.unfreeze()  # its objects collectable again

    def __enter__(self) -> QuoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Additions beyond the protocol, for the app.

    @property
    def grouped(self) -> bool:
        """False while the groups of the current commit are not computed (each quote alone)."""
        return self._state.columns.grouped

    def _credit_named(self, state: _State, docnum: int, quote: Quote) -> Quote:
        """A group's unnamed source ("a spokesman") shown under the speaker another source names.

        The quote keeps its own text and place; `extra["attributed_as"]` keeps what its own
        document said, so the disagreement can be shown.
        """
        cols = state.columns
        ids = cols.members(docnum)
        named = [q for q in (self._quote(state, int(d)) for d in ids) if q.named and q.speaker]
        if not named:
            return quote
        speaker = Counter(q.speaker for q in named).most_common(1)[0][0]
        credited = next(q for q in named if q.speaker == speaker)
        return replace(
            quote,
            speaker=credited.speaker,
            role=credited.role,
            named=True,
            extra={**quote.extra, "attributed_as": quote.speaker},
        )

    def get(self, quote_id: str) -> Quote | None:
        """The quote with this `Quote.quote_id`, or None."""
        with self._guard():
            docnum = self._docnum(self._state, quote_id)
            return None if docnum is None else self._quote(self._state, docnum)

    def sources(self, quote_id: str) -> list[Quote]:
        """Every quote in this quote's group (itself included), oldest first, undated last."""
        with self._guard():
            state = self._state
            docnum = self._docnum(state, quote_id)
            if docnum is None:
                return []
            cols = state.columns
            ids = cols.members(docnum)
            quotes = self._quotes(state, [int(d) for d in ids])
            return sorted(quotes, key=lambda q: (q.date == "", q.date, q.doc, q.start))

    def document_quotes(self, doc_id: str) -> list[Quote]:
        """Every quote of one document (`Quote.doc`), in the order they stand in it."""
        with self._guard():
            state = self._state
            ids, _ = read_postings(state.searcher, "doc", doc_id)
            live = state.columns.live
            quotes = self._quotes(state, [d for d in ids.tolist() if live[d]])
        return sorted(quotes, key=lambda q: (q.start, q.end))

    def quotes_by_speaker(self, speaker: str, *, limit: int = 200, offset: int = 0) -> list[Quote]:
        """A speaker's quotes, newest first, one per group."""
        result = self.search("", Filters(speakers=(speaker,)), limit=limit, offset=offset)
        return [hit.quote for hit in result.hits]

    def speakers(self) -> tuple[SpeakerInfo, ...]:
        """Every speaker with its quote count (groups), the names merged into it and its roles,
        most quoted first; the unattributed quotes last."""
        with self._guard():
            state = self._state
            cols = state.columns
            shown = np.flatnonzero(self._filter_mask(state, NO_FILTERS)).astype(np.int32)
            counts = self._facets(cols, shown).speakers
            people = People.default()
            out = []
            for name, count in counts:
                sid = cols.speaker_index[name]
                entity = people.lookup(name) if name != UNATTRIBUTED else None
                aliases = cols.speaker_aliases[sid] if sid < len(cols.speaker_aliases) else ()
                out.append(
                    SpeakerInfo(
                        name=name,
                        quotes=count,
                        aliases=aliases,
                        roles=self._roles(state, sid, entity),
                        organisation=entity is not None and entity.kind == "organisation",
                    )
                )
            out.sort(key=lambda s: (s.name == UNATTRIBUTED, -s.quotes, s.name))
            return tuple(out)

    def speaker_aliases(self) -> dict[str, tuple[str, ...]]:
        """Each speaker's other names (those merged into it and people.toml's), for pickers."""
        with self._guard():
            cols = self._state.columns
            return {
                name: cols.speaker_aliases[i]
                for i, name in enumerate(cols.speakers)
                if i < len(cols.speaker_aliases) and cols.speaker_aliases[i]
            }

    def resolve_speaker(self, typed: str) -> str | None:
        """The speaker's name as the index shows it, for any alias or a unique surname; None
        when no speaker fits. Raises AmbiguousSpeaker (naming them) when several do."""
        with self._guard():
            found = self._state.speakers.resolve(typed)
            return self._state.columns.speakers[found[0]] if found else None

    def values(self, field: FacetField) -> tuple[tuple[str, int], ...]:
        """Every value of a facet field over the whole index with its count (groups), most
        frequent first: for the command palette's jump-to-speaker/topic/region."""
        with self._guard():
            state = self._state
            shown = np.flatnonzero(self._filter_mask(state, NO_FILTERS)).astype(np.int32)
            facets = self._facets(state.columns, shown)
            return getattr(facets, field)

    # Internals.

    def _guard(self) -> _Guard:
        return _Guard(self)

    def _roles(self, state: _State, sid: int, entity: Any) -> tuple[str, ...]:
        """People.toml's roles, latest first; else the roles the speaker's quotes give, most
        frequent first (read from at most 50 of them)."""
        if entity is not None and entity.roles:
            ordered = sorted(entity.roles, key=lambda r: r.start, reverse=True)
            return tuple(dict.fromkeys(r.title for r in ordered))
        cols = state.columns
        ids = np.flatnonzero((cols.speaker == sid) & cols.live)[:50]
        roles = Counter(self._quote(state, int(d)).role for d in ids)
        roles.pop("", None)
        return tuple(r for r, _ in roles.most_common(3))

    def _unknown_speakers(self, state: _State, filters: Filters) -> str:
        unknown = [s for s in filters.speakers if not state.speakers.resolve(s)]
        if not unknown:
            return ""
        return f"No speaker named {', '.join(repr(s) for s in unknown)} in the index."

    def _named_speakers(
        self, state: _State, query: str, filters: Filters
    ) -> tuple[tuple[str, int], ...]:
        """The speakers the typed words name, with their quote counts, unless already chosen."""
        cols = state.columns
        out = []
        for sid in state.speakers.named_in(query):
            name = cols.speakers[sid]
            if name in filters.speakers:
                continue
            count = state.speaker_groups.get(sid)
            if count is None:
                # (A pass over every doc: once per speaker and index state, not per keystroke.)
                ids = np.flatnonzero((cols.speaker == sid) & cols.live)
                count = state.speaker_groups[sid] = len(np.unique(cols.group[ids]))
            out.append((name, count))
        return tuple(out)

    def _match(
        self, state: _State, query: str, filters: Filters, prefix_last: bool
    ) -> tuple[Parsed, Match, Terms]:
        key = (query, filters, prefix_last)
        cached = state.matches.get(key)
        if cached is not None:
            state.matches.move_to_end(key)
            return cached
        return lru_put(
            state.matches, key, self._evaluate(state, query, filters, prefix_last), _MATCH_CACHE
        )

    def _evaluate(
        self, state: _State, query: str, filters: Filters, prefix_last: bool
    ) -> tuple[Parsed, Match, Terms]:
        parsed = state.builder.parse(query, prefix_last=prefix_last)
        mask = self._filter_mask(state, filters)
        if parsed.query is None:
            ids = np.flatnonzero(mask).astype(np.int32)
            return parsed, Match(ids, np.zeros(len(ids), np.float32)), {}
        evaluator = Evaluator(
            state.searcher, state.columns, state.postings, state.segments, mask=mask
        )
        match = evaluator.run(parsed.query)
        keep = mask[match.ids]  # the Whoosh fallback (phrases) is not pre-filtered
        return parsed, match.where(keep), evaluator.matched_terms

    def _filter_mask(self, state: _State, filters: Filters) -> np.ndarray:
        cached = state.filters.get(filters)
        if cached is not None:
            state.filters.move_to_end(filters)
            return cached
        cols = state.columns
        kinds = filters.shown_kinds()
        shown = state.shown.get(kinds)
        if shown is None:
            shown = lru_put(state.shown, kinds, cols.live & cols.kind_mask(kinds), _FILTER_CACHE)
        mask = shown.copy()
        if filters.speakers:
            # Any alias or a unique surname; an ambiguous one raises AmbiguousSpeaker.
            wanted = [i for s in filters.speakers for i in state.speakers.resolve(s)]
            if len(wanted) == 1:
                mask &= cols.speaker == wanted[0]
            else:
                table = np.zeros(len(cols.speakers) + 1, bool)  # the last one: no speaker (-1)
                table[wanted] = True
                mask &= table[cols.speaker]
        for name in ("topics", "regions", "countries"):
            values = getattr(filters, name)
            if values:
                column = cols.multi(name)
                has = np.zeros(cols.n, bool)
                for value in values:
                    index = column.index.get(_clean(value))
                    if index is not None:
                        has[column.docs_of(index)] = True
                mask &= has
        if filters.date_from:
            mask &= cols.date >= date_key(filters.date_from)
        if filters.date_to:
            key = date_key(filters.date_to)
            # A partial date ("2023", "2023-11") includes the whole year or month.
            mask &= (cols.date > 0) & (cols.date <= _end_of(filters.date_to, key))
        return lru_put(state.filters, filters, mask, _FILTER_CACHE)

    @staticmethod
    def _collapse(cols: Columns, match: Match) -> Match:
        """One doc per group: its best-scoring match (ties: the earliest dated)."""
        if not cols.grouped or not len(match):
            return match
        multi = cols.shared[match.ids]
        if not multi.any():
            return match
        # By group, then docnum (`where` ascends with the ids); each group's first doc of
        # the best score, then the earliest date (undated last): reductions over the runs
        # of each group, a few times faster than sorting by those keys.
        where = np.flatnonzero(multi)
        where = where[cols.group_order(match.ids[where])]
        ids, scores = match.ids[where], match.scores[where]
        groups = cols.group[ids]
        starts = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1])))
        counts = np.diff(np.append(starts, len(ids)))
        best = scores == np.repeat(np.maximum.reduceat(scores, starts), counts)
        dates = np.where(cols.date[ids] > 0, cols.date[ids], 99_999_999)
        dates = np.where(best, dates, np.iinfo(np.int32).max)
        best &= dates == np.repeat(np.minimum.reduceat(dates, starts), counts)
        at = np.flatnonzero(best)
        first = np.concatenate(([True], groups[at[1:]] != groups[at[:-1]]))
        keep = ~multi
        keep[where[at[first]]] = True
        return match.where(keep)

    @staticmethod
    def _order(state: _State, match: Match, sort: SortOrder, k: int) -> np.ndarray:
        """The first `k` docnums of `match` in display order: greetings and procedural lines
        ("Thank you.", "Next question.") after everything else, however well they match."""
        ids, scores = match.ids, match.scores
        if not len(ids) or k <= 0:
            return np.zeros(0, np.int32)
        minor = state.columns.procedural[ids]
        if not minor.any() or minor.all():
            return QuoteIndex._order_part(state, ids, scores, sort, k)
        lead_ids, lead_scores = kept(~minor, ids, scores)
        lead = QuoteIndex._order_part(state, lead_ids, lead_scores, sort, k)
        if len(lead) >= k:
            return lead
        rest_ids, rest_scores = kept(minor, ids, scores)
        rest = QuoteIndex._order_part(state, rest_ids, rest_scores, sort, k - len(lead))
        return np.concatenate([lead, rest])

    @staticmethod
    def _order_part(
        state: _State, ids: np.ndarray, scores: np.ndarray, sort: SortOrder, k: int
    ) -> np.ndarray:
        cols = state.columns

        def keys_of(at: np.ndarray | slice) -> tuple[np.ndarray, ...]:
            """The sort keys of `ids[at]`, most significant first; the docnum breaks every
            remaining tie."""
            dates = cols.date[ids[at]].astype(np.int64)
            if sort == "relevance":
                return (-scores[at], -dates)
            if sort == "newest":
                return (-dates, -scores[at])
            if sort == "oldest":
                # Undated quotes (0) go last in either date order.
                return (np.where(dates > 0, dates, 99_999_999), -scores[at])
            return (state.speaker_rank()[cols.speaker[ids[at]]], -dates)

        if len(ids) > k:
            # Partition on the primary key, keeping every tie with the k-th so the final
            # order is deterministic; the other keys only for the candidates left.
            primary = -scores if sort == "relevance" else keys_of(slice(None))[0]
            kth = np.partition(primary, k - 1)[k - 1]
            candidates = np.flatnonzero(primary <= kth)
        else:
            candidates = np.arange(len(ids))
        keys = keys_of(candidates)
        c_ids = ids[candidates]
        order = np.lexsort((c_ids, *reversed(keys)))
        return c_ids[order][:k]

    @staticmethod
    def _count_groups(cols: Columns, values: np.ndarray, docs: np.ndarray) -> dict[int, int]:
        """How many distinct groups each value (a small int) has among (value, doc) pairs."""
        if not len(values):
            return {}
        values = values.astype(np.int64)
        size = int(values.max()) + 1
        multi = cols.shared[docs] if cols.grouped else None
        if multi is None or not multi.any():
            counts = np.bincount(values, minlength=size)
        else:
            # Only quotes of multi-quote groups can repeat a (value, group) pair.
            counts = np.bincount(values[~multi], minlength=size)
            stride = len(cols.group) + 1
            pairs = np.unique(values[multi] * stride + cols.group[docs[multi]])
            counts += np.bincount(pairs // stride, minlength=size)
        nonzero = np.flatnonzero(counts)
        return dict(zip(nonzero.tolist(), counts[nonzero].tolist(), strict=True))

    def _facets(self, cols: Columns, ids: np.ndarray, top: int | None = None) -> Facets:
        def ranked(names: tuple[str, ...], counts: dict[int, int]) -> tuple[tuple[str, int], ...]:
            items = sorted(((names[v], c) for v, c in counts.items()), key=lambda x: (-x[1], x[0]))
            return tuple(items[:top] if top else items)

        speakers = cols.speaker[ids]
        named = speakers >= 0
        result: dict[str, tuple[tuple[str, int], ...]] = {
            "speakers": ranked(cols.speakers, self._count_groups(cols, *kept(named, speakers, ids)))
        }
        for name in ("topics", "regions", "countries"):
            column = cols.multi(name)
            values, docs = column.gather(ids)
            result[name] = ranked(column.names, self._count_groups(cols, values, docs))
        per_kind = self._count_groups(cols, cols.kind[ids], ids)
        result["kinds"] = tuple((k, n) for i, k in enumerate(QUOTE_KINDS) if (n := per_kind.get(i)))
        return Facets(**result)

    def _quote(self, state: _State, docnum: int) -> Quote:
        return self._quotes(state, [docnum])[0]

    def _quotes(self, state: _State, docnums: list[int]) -> list[Quote]:
        """The quotes of `docnums`: those in the cache from there, the others read at once (a
        page of hits: the segment, place and speaker of each looked up in one numpy call)."""
        cache = state.quotes
        found: list[Quote | None] = []
        for docnum in docnums:
            quote = cache.get(docnum)
            if quote is not None:
                cache.move_to_end(docnum)
            found.append(quote)
        missing = [i for i, quote in enumerate(found) if quote is None]
        if missing:
            docs = np.array([docnums[i] for i in missing], np.int64)
            segment = np.searchsorted(state.offset_array, docs, side="right") - 1
            names = state.columns.speakers
            for i, docnum, seg, sid in zip(
                missing,
                docs.tolist(),
                segment.tolist(),
                state.columns.speaker[docs].tolist(),
                strict=True,
            ):
                data, offset = state.segments[seg]
                quote = data.quote(docnum - offset)
                name = names[sid] if sid >= 0 else ""
                if quote.named and name and name != quote.speaker:
                    # Another spelling of a name merged across the corpus: shown under one
                    # name, the document's own words kept.
                    extra = {**quote.extra, "speaker_as_written": quote.speaker}
                    quote = replace(quote, speaker=name, extra=extra)
                found[i] = lru_put(cache, docnum, quote, _QUOTE_CACHE)
        return cast(list[Quote], found)

    def _docnum(self, state: _State, quote_id: str) -> int | None:
        docnum = state.qid_docs.get(quote_id)
        if docnum is None:
            doc, _, start = quote_id.rpartition(":")
            if not doc or not start.lstrip("-").isdigit():
                return None
            ids, _ = read_postings(state.searcher, "doc", doc)
            for candidate in ids.tolist():
                if state.columns.live[candidate] and self._quote(state, candidate).start == int(
                    start
                ):
                    return lru_put(state.qid_docs, quote_id, candidate, _QUOTE_CACHE)
            return None
        return docnum

    def _suggest(
        self, state: _State, query: str, parsed: Parsed, filters: Filters, prefix_last: bool
    ) -> str:
        """The query with unknown words replaced by the nearest index words, if that matches."""
        builder = state.builder
        replacements: dict[str, str] = {}
        for word in dict.fromkeys(parsed.plain_words):
            lower = word.lower()
            if len(lower) < 3 or builder.has_word(lower):
                continue
            typing_it = prefix_last and query.rstrip() == query and query.endswith(word)
            if typing_it and builder.words_with_prefix(lower, 1):
                continue
            better = builder.nearest_word(lower)
            if better:
                replacements[word] = better
        if not replacements:
            return ""
        corrected = query
        for word, better in replacements.items():
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected)
        _, match, _ = self._match(state, corrected, filters, prefix_last)
        return corrected if len(match) else ""


def _new_state(
    searcher: Searcher,
    columns: Columns,
    documents: int,
    segments: list[tuple[SegmentData, int]],
    warnings: tuple[str, ...] = (),
) -> _State:
    speakers = SpeakerLookup(columns, People.default())
    builder = QueryBuilder(searcher, columns, speakers, segments)
    return _State(searcher, columns, builder, documents, speakers, segments, warnings)


def _settle() -> None:
    """Move the objects alive now (the modules, the index state) out of the garbage collector's
    sight: a full collection walked them in 100-200 ms (measured at 100k and 1M quotes), a pause
    every few dozen keystrokes; what searching allocates later is still collected. Closing the
    index (or replacing its state) gives them back to the collector."""
    gc.freeze()


def _close_state(state: _State) -> None:
    state.searcher.close()
    for data, _ in state.segments:
        data.close()


class _Guard:
    """The instance lock, with Whoosh's and the OS's errors turned into the API's."""

    def __init__(self, index: QuoteIndex) -> None:
        self.index = index

    def __enter__(self) -> None:
        self.index._lock.acquire()
        if self.index._closed:
            self.index._lock.release()
            raise IndexUnavailable(f"the index in {self.index.index_dir} was closed")

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> None:
        self.index._lock.release()
        if exc is None or isinstance(exc, NatoBrowseError):
            return
        if isinstance(exc, _READ_FAILURES):
            raise _read_error(self.index.index_dir, exc) from exc
        # Anything else is a bug, not the index's fault: let it through as it is.


def _az_key(name: str) -> tuple[bool, str]:
    return (not name[:1].isupper(), name.casefold())


def _count_documents(reader: Any) -> int:
    """Documents with a live quote, counted from the index (when the manifest that keeps the
    count is lost)."""
    return sum(1 for text in reader.lexicon("doc") if reader.postings("doc", text).is_active())


def _read_error(index_dir: Path, err: BaseException) -> NatoBrowseError:
    if isinstance(err, CacheDamaged):
        return damaged(index_dir, err.what)
    return damage_error(index_dir, err)


def _clean(value: str) -> str:
    return value.replace(VALUE_SEP, " ").strip()


def _iso(key: int) -> str:
    year, month, day = key // 10000, key // 100 % 100, key % 100
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _end_of(text: str, key: int) -> int:
    """The last date key a possibly partial ISO date covers."""
    digits = text[:10].replace("-", "")
    if len(digits) == 4:
        return key + 1299
    if len(digits) == 6:
        return key + 99
    return key
