"""The uses of Whoosh's internals (store/whoosh_compat.py), held to what the pinned whoosh3 does.

If an upgrade of whoosh3 changes its codec, its analyzers or its column formats, these fail
loudly: the fast writer must write exactly what Whoosh's own writer writes, the derived
tokenizers must split exactly as the schema's analyzers, and the fast readers must read exactly
what Whoosh's readers read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index import Quote
from nato_browse.index.store import whoosh_compat, writer
from nato_browse.index.store.schema import make_schema, quote_to_document
from nato_browse.index.store.writer import Analyser, write_segment
from whoosh import index

ALPHABET = "abcdeAÉİß*._-'’ 1\n\u2019x"


def _odd_quotes(make_quote) -> list[Quote]:  # type: ignore[no-untyped-def]
    """Quotes that exercise the analyzers' edges: stop words first, repeats, long words,
    non-ASCII case, a star and dots inside words, empty fields."""
    rows = [
        (
            "o1",
            "2024-01-01",
            "Jens Stoltenberg",
            "NATO Secretary General",
            "The the allies will, will support Ukraine. U.S. forces* in İstanbul and Straße.",
        ),
        ("o1", "2024-01-01", "", "", "a an the of to"),  # only stop words
        ("o2", "", "a spokesman", "", "Defence " * 300),  # a word 300 times
        ("o2", "2023-05", "Kaja Kallas", "Prime Minister", "x" * 40 + " y.z 3.14 don't"),
    ]
    quotes = []
    for i, (doc, date, speaker, role, text) in enumerate(rows):
        quotes.append(
            make_quote(
                doc,
                date,
                speaker,
                role,
                text,
                ("Cyber defence",),
                ("Baltic",),
                ("Estonia", "Latvia"),
                start=i * 1000,
            )
        )
    return quotes


def _open_pair(tmp_path: Path, quotes: list[Quote]):  # type: ignore[no-untyped-def]
    """The same quotes written by Whoosh's writer and by the fast writer."""
    slow, fast = tmp_path / "slow", tmp_path / "fast"
    slow.mkdir()
    fast.mkdir()
    ix_slow = index.create_in(str(slow), make_schema())
    writer = ix_slow.writer()
    for quote in quotes:
        writer.add_document(**quote_to_document(quote))
    writer.commit()
    ix_fast = index.create_in(str(fast), make_schema())
    writer = ix_fast.writer()
    segment, _, _ = write_segment(ix_fast, Analyser(ix_fast.schema), quotes)
    whoosh_compat.commit_segments(writer, lambda s: True, [segment], clear=True)
    return ix_slow, ix_fast


@pytest.mark.parametrize(("chunk", "flush"), [(4096, 4 << 20), (2, 1)])
def test_fast_writer_writes_what_whoosh_writes(
    tmp_path: Path,
    sample_quotes,
    make_quote,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    flush: int,
) -> None:
    monkeypatch.setattr(writer, "_SPLIT_CHUNK", chunk)  # 2: a batch's texts split in pieces
    monkeypatch.setattr(whoosh_compat, "_FLUSH_BYTES", flush)  # 1: postings written per term
    quotes = sample_quotes() + _odd_quotes(make_quote)
    ix_slow, ix_fast = _open_pair(tmp_path, quotes)
    slow, fast = ix_slow.reader(), ix_fast.reader()
    assert fast.doc_count_all() == slow.doc_count_all() == len(quotes)
    terms = list(slow.all_terms())
    assert list(fast.all_terms()) == terms
    stats = (
        "weight",
        "doc_frequency",
        "min_length",
        "max_length",
        "max_weight",
        "min_id",
        "max_id",
    )
    for fieldname, text in terms:
        a, b = slow.term_info(fieldname, text), fast.term_info(fieldname, text)
        assert [getattr(a, s)() for s in stats] == [getattr(b, s)() for s in stats], text
        ma, mb = slow.postings(fieldname, text), fast.postings(fieldname, text)
        while ma.is_active():
            assert mb.is_active()
            assert (ma.id(), ma.weight(), ma.value()) == (mb.id(), mb.weight(), mb.value())
            assert ma.block_max_weight() == mb.block_max_weight()
            assert ma.block_min_length() == mb.block_min_length()
            assert ma.block_max_length() == mb.block_max_length()
            ma.next()
            mb.next()
        assert not mb.is_active()
    for docnum in range(len(quotes)):
        assert fast.stored_fields(docnum) == slow.stored_fields(docnum)
        for name in ix_slow.schema.scorable_names():
            assert fast.doc_field_length(docnum, name) == slow.doc_field_length(docnum, name)
    for name in ix_slow.schema.scorable_names():
        assert fast.field_length(name) == slow.field_length(name)


def test_a_long_posting_list_spans_blocks(tmp_path: Path, make_quote) -> None:
    """Over 128 postings a term: several blocks, as Whoosh splits them."""
    quotes = [
        make_quote(f"d{i}", "2024-01-01", "X", "", f"allies agree {i} " + "again " * (i % 3))
        for i in range(300)
    ]
    ix_slow, ix_fast = _open_pair(tmp_path, quotes)
    for fieldname, text in (("text", b"alli"), ("text", b"again"), ("spk", b"X")):
        a = ix_slow.reader().postings(fieldname, text)
        b = ix_fast.reader().postings(fieldname, text)
        assert list(b.items_as("weight")) == list(a.items_as("weight"))


@pytest.mark.parametrize("fieldname", ["text", "title", "speaker", "spk", "date", "doc"])
@settings(max_examples=200, deadline=None, derandomize=True)
@given(value=st.text(alphabet=ALPHABET, max_size=60))
def test_derived_tokenizer_splits_as_the_analyzer(fieldname: str, value: str) -> None:
    field = make_schema()[fieldname]
    tokenizer = whoosh_compat.derive_tokenizer(field.analyzer)
    assert tokenizer is not None  # the schema's analyzers are all derivable
    expected = [(t.text, t.pos) for t in field.analyzer(value, positions=True, mode="index")]
    terms, positions = tokenizer.positions(value)
    assert list(zip(terms, positions, strict=True)) == expected


@settings(max_examples=200, deadline=None, derandomize=True)
@given(values=st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=6))
def test_batch_split_splits_as_each_value(values: list[str]) -> None:
    """The one-call split of many joined values gives each value's tokens, the separator
    between them as a token of its own."""
    tokenizer = whoosh_compat.derive_tokenizer(make_schema()["text"].analyzer)
    assert tokenizer is not None and tokenizer.split_many is not None
    expected: list[str] = []
    for i, value in enumerate(values):
        expected += ([whoosh_compat.SEPARATOR] if i else []) + tokenizer.split(value)
    assert tokenizer.split_many(whoosh_compat.SEPARATOR.join(values)) == expected


def test_token_pattern_is_the_analyzers() -> None:
    analyzer = make_schema()["text"].analyzer
    pattern = whoosh_compat.token_pattern(analyzer)
    assert pattern is not None and pattern.groups == 0
    text = "U.S. forces* in İstanbul; don't 3.14"
    assert pattern.findall(text) == [t.text for t in analyzer.items[0](text)]


def test_fast_readers_read_what_whoosh_reads(tmp_path: Path, sample_quotes) -> None:
    _, ix = _open_pair(tmp_path, sample_quotes())
    reader = ix.reader()
    for leaf, _ in reader.leaf_readers():
        path = whoosh_compat.stored_column_path(str(tmp_path / "fast"), leaf)
        assert path is not None
        column = whoosh_compat.StoredColumn(path, leaf.doc_count_all())
        try:
            for docnum in range(leaf.doc_count_all()):
                assert column[docnum] == leaf.stored_fields(docnum)
        finally:
            column.close()
        for text in (b"ukrain", b"cyber", b"support"):
            ids, weights = whoosh_compat.raw_postings(leaf, "text", text)
            matcher = leaf.postings("text", text)
            assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == [
                (i, w) for i, w in matcher.items_as("weight")
            ]


def test_quantized_lengths_are_whooshs() -> None:
    import numpy as np
    from whoosh.util.numeric import byte_to_length, length_to_byte

    lengths = np.array([0, 1, 2, 7, 31, 100, 1000, 5000, 106374, 200000])
    expected = [byte_to_length(length_to_byte(int(n))) for n in lengths]
    assert whoosh_compat.quantized_lengths(lengths).tolist() == expected


def test_postings_of_many_blocks_read_as_whoosh_reads(tmp_path: Path, make_quote) -> None:
    # 700 quotes: postings of several W3 blocks (128 each), with weights all one, all the
    # same, and varied, in the quote text and in a field of names.
    quotes = [
        make_quote(
            f"d{i}",
            "2024-01-01",
            "Kaja Kallas" if i % 3 else "Jens Stoltenberg",
            "Prime Minister" if i % 2 else "Secretary General",
            " ".join(["support"] * (1 + i % 4) + ["allies"] * 2 + ["cyber"] * (i % 2)),
        )
        for i in range(700)
    ]
    ix_slow, _ = _open_pair(tmp_path, quotes)
    reader = ix_slow.reader()
    terms = [("text", b"support"), ("text", b"alli"), ("text", b"cyber"), ("role", b"minister")]
    for leaf, _ in reader.leaf_readers():
        for fieldname, text in terms:
            ids, weights = whoosh_compat.raw_postings(leaf, fieldname, text)
            matcher = leaf.postings(fieldname, text)
            expected = list(matcher.items_as("weight"))
            assert len(expected) > 128, (fieldname, text)
            assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
