"""A quote's whole document, read again from its source: `load_document` and
`QuoteIndex.document_quotes`, with no app."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from nato_browse.index import (
    DocumentUnavailable,
    QuoteIndex,
    build_index,
    load_document,
)
from nato_browse.index.ingest import split_source


def test_split_source() -> None:
    assert split_source("/data/x.csv#12") == ("/data/x.csv", 12)
    assert split_source("/data/x.jsonl#3") == ("/data/x.jsonl", 3)
    # Only the records of exports have a row; a "#" elsewhere is part of the name.
    assert split_source("/data/notes#2.txt") == ("/data/notes#2.txt", None)
    assert split_source("/data/issue#4.md") == ("/data/issue#4.md", None)
    assert split_source("/data/x.csv#top") == ("/data/x.csv#top", None)


@pytest.fixture
def corpus(tmp_path: Path, said, write_release) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_release(
        folder,
        "briefing.txt",
        "Ministers meet on air defence",
        [
            said("Jens Stoltenberg", "We must deliver more air defence to our partners now"),
            "The meeting went on for three hours in the afternoon.",
            said("Kaja Kallas", "Estonia will send a second package of systems this winter"),
        ],
    )
    rows = [
        {
            "title": f"Record number {i}",
            "date": f"2024-01-0{i}",
            "url": f"https://example.org/record/{i}",
            "body": said("Mark Rutte", f"Allies agreed on the {name} training mission today"),
        }
        for i, name in ((1, "alpha"), (2, "bravo"), (3, "charlie"))
    ]
    (folder / "export.jsonl").write_text(
        "\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8"
    )
    return folder


@pytest.fixture
def index(tmp_path: Path, corpus: Path) -> QuoteIndex:
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir)
    with QuoteIndex.open(index_dir) as ix:
        yield ix


def quote_of(index: QuoteIndex, speaker: str, words: str = ""):  # type: ignore[no-untyped-def]
    hits = [h.quote for h in index.search(words, limit=50).hits if h.quote.speaker == speaker]
    assert hits, f"no quote by {speaker}"
    return hits[0]


def test_a_quotes_document_is_read_again_with_every_quote_in_place(index: QuoteIndex) -> None:
    quote = quote_of(index, "Kaja Kallas")
    document = load_document(quote.source, quote.doc)
    assert document.doc_id == quote.doc and document.title == "Ministers meet on air defence"
    quotes = index.document_quotes(quote.doc)
    assert [q.speaker for q in quotes] == ["Jens Stoltenberg", "Kaja Kallas"]
    # The offsets the index keeps point into the text read again.
    assert all(document.body[q.start : q.end] == q.text for q in quotes)
    assert index.document_quotes("no-such-document") == []


def test_a_record_of_an_export_is_found_by_its_row(index: QuoteIndex) -> None:
    quote = quote_of(index, "Mark Rutte", "bravo")
    path, row = split_source(quote.source)
    assert path.endswith("export.jsonl") and row == 2
    document = load_document(quote.source, quote.doc)
    assert document.title == "Record number 2" and document.url == "https://example.org/record/2"
    assert [q.text for q in index.document_quotes(quote.doc)] == [quote.text]


def test_sources_are_whole_paths_even_when_indexed_from_a_relative_one(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus.parent)
    index_dir = tmp_path / "rel-index"
    build_index([Path("docs")], index_dir)
    monkeypatch.chdir(tmp_path / "rel-index")  # the app may run from anywhere
    with QuoteIndex.open(index_dir) as ix:
        quotes = [h.quote for h in ix.search("", limit=50).hits]
    assert quotes and all(Path(q.source.split("#")[0]).is_absolute() for q in quotes)
    assert load_document(quotes[0].source, quotes[0].doc).doc_id == quotes[0].doc


def test_a_file_gone_says_so_in_one_line(index: QuoteIndex, corpus: Path) -> None:
    quote = quote_of(index, "Kaja Kallas")
    (corpus / "briefing.txt").unlink()
    with pytest.raises(DocumentUnavailable) as caught:
        load_document(quote.source, quote.doc)
    message = str(caught.value)
    assert "\n" not in message
    assert "briefing.txt" in message and "no longer there" in message
    assert "nato-browse index" in message


def test_a_file_changed_since_indexing_says_so(index: QuoteIndex, corpus: Path) -> None:
    quote = quote_of(index, "Mark Rutte", "charlie")
    path = corpus / "export.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("charlie", "delta"), "utf-8")
    with pytest.raises(DocumentUnavailable, match=r"export\.jsonl#3: the file changed since"):
        load_document(quote.source, quote.doc)
    # The other records are unchanged and still found.
    other = quote_of(index, "Mark Rutte", "alpha")
    assert load_document(other.source, other.doc).title == "Record number 1"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_says_why(index: QuoteIndex, corpus: Path) -> None:
    quote = quote_of(index, "Kaja Kallas")
    path = corpus / "briefing.txt"
    path.chmod(0)
    try:
        with pytest.raises(DocumentUnavailable, match=r"briefing\.txt: permission denied"):
            load_document(quote.source, quote.doc)
    finally:
        path.chmod(0o644)


def test_no_source_at_all() -> None:
    with pytest.raises(DocumentUnavailable, match="no source file"):
        load_document("", "abc")


def test_a_file_that_cannot_be_read_says_why(index: QuoteIndex, corpus: Path) -> None:
    quote = quote_of(index, "Kaja Kallas")
    path = corpus / "briefing.txt"
    path.unlink()
    path.mkdir()  # (as root, a file without permissions would still be read)
    with pytest.raises(DocumentUnavailable, match=r"briefing\.txt: is a folder, not a file"):
        load_document(quote.source, quote.doc)
