"""Documents are data, never commands: hostile text is neutralised where it enters, and one
hostile file costs the user that file, never the index run or the machine.

Every hostile file here is written by the test itself; nothing is downloaded. Bounded work is
not timed (timing belongs in benchmarks/): a generous timeout only guards against a hang.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nato_browse.index import (
    Document,
    DocumentSkipped,
    Hit,
    Quote,
    QuoteIndex,
    SearchResult,
    SkippedFile,
    build_index,
    clean_data,
    clean_line,
    clean_text,
    extract_quotes,
    load_file,
    visible_controls,
)
from nato_browse.index.extract import pipeline

ESC = "\x1b"


# -- cleaning ------------------------------------------------------------------------------------


def test_escape_sequences_go_whole(hostile_payloads, assert_no_controls) -> None:
    for payload in hostile_payloads:
        cleaned = clean_text(f"NATO {payload}will respond")
        assert_no_controls(cleaned)
        # Nothing of the sequence lingers as text: no "[2J", no "]52;c;", no file url.
        for residue in ("[2J", "]0;", "[6n", "file:", "52;c", "$qm"):
            assert residue not in cleaned
        assert cleaned.startswith("NATO ") and cleaned.endswith("will respond")


def test_text_keeps_its_lines_tabs_and_scripts() -> None:
    text = "Line one\n\tLine two — “quoted” «cité» Україна 北约 مرحبا 👨\u200d👩\u200d👧"
    assert clean_text(text) is text  # clean text is returned untouched, not copied


def test_other_line_breaks_become_newlines() -> None:
    assert clean_text("a\r\nb\rc\x0bd\x0ce\x85f") == "a\nb\nc\nd\ne\nf"


def test_bidi_overrides_and_invisible_characters_are_removed() -> None:
    # An override makes "gpj.exe" read "exe.jpg"; a zero-width space makes a second Stoltenberg.
    assert clean_text("file\u202egpj.exe") == "filegpj.exe"
    assert clean_text("Jens Stolten\u200bberg") == "Jens Stoltenberg"
    assert clean_text("Stolten\u200dberg and Stolten\u200cberg") == "Stoltenberg and Stoltenberg"
    assert clean_text("\u2066isolated\u2069 \u200eLTR\u200f") == "isolated LTR"
    assert clean_text("co\u00adoperation") == "cooperation"
    assert clean_text("hidden\U000e0041\U000e0042") == "hidden"
    # Joiners that shape a script or an emoji stay, and so does a flag's tag sequence.
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert clean_text(flag) == flag


def test_lone_surrogates_are_removed() -> None:
    text = json.loads('"bad \\ud800 surrogate"')
    assert clean_text(text) == "bad  surrogate"
    clean_text(text).encode("utf-8")  # printable and writable


def test_a_line_and_a_file_name() -> None:
    assert clean_line(f"two\nlines{ESC}[31m\tand a tab") == "two lines and a tab"
    name = f"report{ESC}[2J\u202e.txt"
    assert visible_controls(name) == "report\\x1b[2J\\u202e.txt"
    assert visible_controls("plain/name.txt") == "plain/name.txt"


def test_records_and_json_data_are_cleaned_whole() -> None:
    quote = Quote(
        doc="d",
        title=f"T{ESC}]0;x\x07",
        date="",
        text=f"a{ESC}[2Jb",
        start=0,
        end=3,
        speaker="Ann\u202eLee",
        topics=(f"Cy{ESC}[1mber",),
    )
    clean = clean_data(quote)
    assert (clean.title, clean.text, clean.speaker, clean.topics) == (
        "T",
        "ab",
        "AnnLee",
        ("Cyber",),
    )
    assert clean_data(clean) is clean
    # However deep: a search result's hits' quotes; and untouched when already clean.
    result = SearchResult(f"q{ESC}[2J", (Hit(quote, 1.0), Hit(clean, 2.0)), 2)
    tidy = clean_data(result)
    assert tidy.query == "q" and [h.quote.text for h in tidy.hits] == ["ab", "ab"]
    assert tidy.hits[1] is result.hits[1]
    assert clean_data(tidy) is tidy
    data = clean_data({"k\x07": [f"x{ESC}[6n", 1, {"y": "\x9b2J"}]})
    assert data == {"k": ["x", 1, {"y": "2J"}]}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_cleaning_leaves_nothing_and_is_stable(assert_no_controls, text: str) -> None:
    cleaned = clean_text(text)
    assert_no_controls(cleaned)
    assert clean_text(cleaned) == cleaned
    assert_no_controls(visible_controls(text))


@pytest.mark.timeout(60)  # a hang guard, not a measurement
def test_cleaning_is_linear_on_long_runs(assert_no_controls) -> None:
    for text in (
        f"{ESC}]" + "a" * 100_000,  # an unterminated string sequence
        f"{ESC}[" + "1;" * 50_000,  # endless parameters
        ESC * 100_000,
        "\u200d" * 100_000,
        "\U000e0041" * 100_000,
        "\U0001f3f4" + "\U000e0067" * 100_000,
    ):
        assert_no_controls(clean_text(text))


# -- where text enters: every field of every document ----------------------------------------------


def test_every_document_field_is_clean_where_it_enters(
    tmp_path: Path, hostile_folder, assert_no_controls
) -> None:
    paths = hostile_folder(tmp_path / "docs")
    loaded = [load_file(p) for p in paths]
    documents = [doc for result in loaded for doc in result.documents]
    assert len(documents) == len(paths), [r.error for r in loaded]
    for doc in documents:
        for value in (doc.title, doc.body, doc.date, doc.url, doc.source):
            assert_no_controls(value)
        assert "Stoltenberg" in doc.body
    # A file name keeps its control characters as visible escapes, so it can still be found.
    assert any(doc.source.endswith("name\\x1b[2J.txt") for doc in documents)
    # The same release with and without a hidden character is one document.
    plain = Document(title="Title", body="x")
    assert Document(title=clean_text("Ti\u200btle"), body="x").doc_id == plain.doc_id


def test_skipped_files_are_named_safely(tmp_path: Path, assert_no_controls) -> None:
    skipped = SkippedFile(f"/tmp/x{ESC}]0;t\x07.txt", f"bad {ESC}[2J\nthing")
    assert skipped.path == "/tmp/x\\x1b]0;t\\x07.txt"
    assert skipped.reason == "bad thing"
    bad = tmp_path / f"bin{ESC}[2J.txt"
    bad.write_bytes(b"\x00\x01\x02" * 10)
    assert load_file(bad).error  # a reason, one clean line
    assert_no_controls(load_file(bad).error)


def test_no_control_character_reaches_the_index(
    tmp_path: Path, hostile_folder, assert_no_controls
) -> None:
    hostile_folder(tmp_path / "docs")
    report = build_index([tmp_path / "docs"], tmp_path / "ix")
    assert report.documents == 6 and report.quotes >= 6
    with QuoteIndex.open(tmp_path / "ix") as index:
        result = index.search("defend", limit=50, collapse=False)
        assert result.total == report.quotes
        for hit in result.hits:
            for value in json.loads(json.dumps(hit.quote.to_json())).values():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        assert_no_controls(text)
            assert hit.quote.speaker == "Jens Stoltenberg"


# -- front matter --------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(["---", *lines, f"title: *a{levels}", "---"])


@pytest.mark.timeout(60)  # a hang guard: expanded, this front matter is gigabytes
def test_yaml_aliases_are_refused_and_the_text_still_goes_in(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    laughs = folder / "laughs.md"
    laughs.write_text(billion_laughs() + "\n“We stand together,” the minister said.\n")
    (folder / "fine.md").write_text("---\ntitle: Fine\n---\n“All good,” Ann Lee said.\n")
    loaded = load_file(laughs)
    assert not loaded.error
    assert any("aliases" in w for w in loaded.warnings), loaded.warnings
    assert "We stand together" in loaded.documents[0].body
    report = build_index([folder], tmp_path / "ix")
    assert report.documents == 2
    assert any("laughs.md" in s.path and "aliases" in s.reason for s in report.skipped)


def test_oversized_front_matter_is_ignored_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    filler = "\n".join(f"k{i}: {'x' * 60}" for i in range(2_000))
    path.write_text(f"---\ntitle: Big\n{filler}\n---\nThe text itself.\n")
    loaded = load_file(path)
    assert loaded.documents[0].body.startswith("The text itself")
    assert any("front matter" in w and "limit" in w for w in loaded.warnings)


def test_toml_and_json_front_matter_are_read(tmp_path: Path) -> None:
    toml = tmp_path / "t.md"
    toml.write_text('+++\ntitle = "From TOML"\ndate = 2023-11-27\n+++\nText.\n')
    as_json = tmp_path / "j.md"
    as_json.write_text('{\n"title": "From JSON", "url": "https://example.org/j"\n}\nText.\n')
    assert load_file(toml).documents[0].title == "From TOML"
    assert load_file(toml).documents[0].date == "2023-11-27"
    assert load_file(as_json).documents[0].url == "https://example.org/j"


def test_an_overlong_url_is_dropped_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "u.md"
    path.write_text(f"---\ntitle: U\nurl: https://example.org/{'a' * 5_000}\n---\nText.\n")
    loaded = load_file(path)
    assert loaded.documents[0].url == ""
    assert any("url" in w and "limit" in w for w in loaded.warnings)


# -- bounded context, bounded documents ------------------------------------------------------------


def unpunctuated_transcript(quotes: int, filler_words: int) -> str:
    """One endless sentence (no full stop anywhere), quotes scattered through it."""
    filler = " ".join(["and then the meeting went on"] * (filler_words // 6))
    parts = [
        f"{filler} the minister said “we will keep helping number {i}” {filler}"
        for i in range(quotes)
    ]
    return " ".join(parts)


def test_context_is_a_bounded_window_around_the_quote() -> None:
    body = unpunctuated_transcript(quotes=50, filler_words=3_000)
    found = extract_quotes(Document(title="t", body=body))
    assert len(found) == 50
    window = 2 * pipeline.CONTEXT_CHARS
    for q in found:
        assert len(q.context) <= window + len(q.text) + 2
        assert body[q.context_start : q.context_start + len(q.context)] == q.context
        assert q.context_start <= q.start and q.end <= q.context_start + len(q.context)
        # Cut between words, not inside one.
        assert body[q.context_start - 1] == " " and body[q.context_start + len(q.context)] == " "
    # What is stored grows with the document, not with quotes times the sentence.
    assert sum(len(q.context) for q in found) < len(body)


def test_short_sentences_keep_their_whole_context() -> None:
    body = "Allies met in Brussels. “We will help,” Jens Stoltenberg said on Monday. Then lunch."
    (q,) = extract_quotes(Document(title="t", body=body))
    assert q.context == "“We will help,” Jens Stoltenberg said on Monday."


def test_an_overlong_document_is_skipped_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_CHARS", 1_000)
    body = "“Yes,” he said. " * 62
    assert len(extract_quotes(Document(title="t", body=body))) == 62
    with pytest.raises(DocumentSkipped, match=r"too long \(1,002 characters, limit 1,000\)"):
        extract_quotes(Document(title="t", body=body + "x" * 10))


def test_a_document_past_its_time_limit_is_skipped_with_its_reason() -> None:
    body = "“We will help,” Jens Stoltenberg said. " * 50
    with pytest.raises(DocumentSkipped, match=r"over 0 s"):
        extract_quotes(Document(title="t", body=body), time_limit=0)
    assert len(extract_quotes(Document(title="t", body=body))) == 50  # the limit was its own


def test_a_file_beyond_a_bound_is_skipped_and_the_rest_goes_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said, write_release
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_release(folder, "good.txt", "Good", [said("Ann Lee", "We will stand together")])
    write_release(folder, "long.txt", "Long", [said("Bo Ek", "word " * 2_000)])
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_CHARS", 5_000)
    report = build_index([folder], tmp_path / "ix")
    assert report.quotes == 1
    (skip,) = [s for s in report.skipped if "long.txt" in s.path]
    assert "too long" in skip.reason and "limit 5,000" in skip.reason
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_CHARS", 10**9)
    monkeypatch.setattr(pipeline, "MAX_SECONDS", 0.0)
    report = build_index([folder], tmp_path / "ix2")
    assert report.quotes == 0 and len(report.skipped) == 2
    assert all("limit per document" in s.reason for s in report.skipped)
