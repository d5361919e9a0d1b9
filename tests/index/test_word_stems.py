"""Each lexicon word's stem, kept by the builder (search finds a stem's words without running
the stemmer): equal to what the schema's analyzer makes of the word, through builds, adds and
caches written before the stems were kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nato_browse.index.search.quote_index import QuoteIndex
from nato_browse.index.store import build
from nato_browse.index.store.build import index_quotes
from nato_browse.index.store.schema import make_schema

WORDS = (
    "Negotiations negotiated NEGOTIATING; the allies' U.S. e.g. co-operation 2023 naïve "
    "Straße ÉTATS-UNIS it's don't wouldn’t"
)


def analyser_stems(words: tuple[str, ...]) -> tuple[str, ...]:
    analyzer = make_schema()["text"].analyzer
    found = []
    for word in words:
        terms = [t.text for t in analyzer(word, mode="query")]
        found.append(terms[0] if len(terms) == 1 else "")
    return tuple(found)


def kept(index_dir: Path) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    with QuoteIndex.open(index_dir) as ix:
        columns = ix._state.columns
        return columns.words, columns.word_stems


def test_the_builders_stems_are_the_analyzers(tmp_path: Path, sample_quotes, make_quote) -> None:
    quotes = [*sample_quotes(), make_quote("odd", "2023-01-01", "Jens Stoltenberg", "", WORDS)]
    index_quotes(quotes, tmp_path)
    words, stems = kept(tmp_path)
    assert stems is not None and len(words) > 50
    assert stems == analyser_stems(words)
    # An added document's new words too, merged with the others.
    extra = make_quote("new", "2023-02-01", "Jens Stoltenberg", "", "Deterrence deterred nobody")
    index_quotes([extra], tmp_path, add=True)
    words, stems = kept(tmp_path)
    assert "deterred" in words
    assert stems == analyser_stems(words)


def test_caches_without_stems_still_search_alike(tmp_path: Path, sample_quotes) -> None:
    index_quotes(sample_quotes(), tmp_path)
    with QuoteIndex.open(tmp_path) as ix:
        before = [(h.quote, h.highlights) for h in ix.search("negotia OR cyber", limit=50).hits]
    # As a cache written before the stems were kept: no stems.json, no stems in the columns.
    for path in tmp_path.glob("nb-seg-*/stems.json"):
        path.unlink()
    for path in tmp_path.glob("nb-columns-*"):
        path.unlink()
    words, stems = kept(tmp_path)
    assert stems is None and words
    with QuoteIndex.open(tmp_path) as ix:
        after = [(h.quote, h.highlights) for h in ix.search("negotia OR cyber", limit=50).hits]
    assert after == before and any(spans for _, spans in after)
    shutil.rmtree(tmp_path)


def test_fuzzy_words_lexicon_from_the_caches_is_whooshs(
    tmp_path: Path, make_quote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "SEGMENT_QUOTES", 40)
    said = ("deterrence in Ukraine", "Ukrane deterred", "sanctions work", "air defence")
    quotes = [
        make_quote(f"d{i // 4}", "2024-01-01", "Jens Stoltenberg", "", f"{said[i % 4]} item {i}")
        for i in range(150)
    ]
    index_quotes(quotes, tmp_path, workers=1)
    with QuoteIndex.open(tmp_path) as ix:
        builder = ix._state.builder
        assert len(ix._state.segments) == 4
        reader = ix._state.searcher.reader()
        lexicon = [t.decode("utf-8") for t in reader.lexicon("text")]
        assert builder._text_terms_sorted() == lexicon
        for term in [*lexicon, "nosuchterm"]:
            key = term.encode("utf-8")
            expected = reader.doc_frequency("text", key) if ("text", key) in reader else 0
            assert builder._text_df(term) == expected, term
        # A misspelt word finds the right one and the misspelling itself.
        found = {h.quote.text.split(" item")[0] for h in ix.search("ukrane~", limit=200).hits}
        assert found == {"deterrence in Ukraine", "Ukrane deterred"}
