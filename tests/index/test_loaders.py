"""Loading whatever files a user collected: every format, well-formed and broken."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nato_browse.index.ingest import loaders
from nato_browse.index.ingest.loaders import (
    SUPPORTED_SUFFIXES,
    LoadedFile,
    LoadOptions,
    discover,
    fingerprint,
    load_file,
)

ROOT = Path(__file__).resolve().parents[2]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = ROOT / "data" / "corpus" / "nato-2023-11-27-foreign-ministers.txt"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content if isinstance(content, bytes) else content.encode(encoding)
    path.write_bytes(data)
    return path


def only(loaded: LoadedFile):
    assert loaded.error == "", loaded.error
    assert len(loaded.documents) == 1
    return loaded.documents[0]


# --- discover ---------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".jsonl", ".json"} == set(
        SUPPORTED_SUFFIXES
    )


def test_discover_recurses_sorts_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "sub/deeper/c.HTML",
        "sub/d.csv",
        "sub/e.jsonl",
        "notes.docx",
        "image.png",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/f.txt",
    ]:
        write(tmp_path / name, "x")
    files, skipped = discover([tmp_path])
    assert files == sorted(files)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.md",
        "b.txt",
        "sub/d.csv",
        "sub/deeper/c.HTML",
        "sub/e.jsonl",
    ]
    assert skipped == []


def test_discover_reports_missing_and_unsupported_paths(tmp_path: Path) -> None:
    doc = write(tmp_path / "report.pdf", b"%PDF-1.4")
    files, skipped = discover([tmp_path / "nowhere", doc])
    assert files == []
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["nowhere"] == "no such file or folder"
    assert reasons["report.pdf"].startswith("unsupported file type '.pdf'")
    assert all("\n" not in s.reason for s in skipped)


def test_discover_lists_a_file_once(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "x")
    files, _ = discover([tmp_path, a, tmp_path / "." / "a.txt"])
    assert files == [a]


def test_discover_reports_unreadable_folder(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.txt", "x")
    real_access = os.access
    # Tests may run as root, where chmod cannot lock a folder: deny access the way the OS would.
    monkeypatch.setattr(
        loaders.os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
    )
    files, skipped = discover([locked])
    assert files == []
    assert [(s.path, s.reason) for s in skipped] == [
        (str(locked), "folder cannot be read (permission denied)")
    ]


def test_discover_reports_unreadable_subfolder(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "ok.txt", "x")
    write(tmp_path / "bad" / "b.txt", "x")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == tmp_path / "bad":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, skipped = discover([tmp_path])
    assert [p.name for p in files] == ["ok.txt"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [("bad", "permission denied")]


def test_discover_reports_broken_link(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    files, skipped = discover([link])
    assert files == [] and [s.reason for s in skipped] == ["broken link"]


# --- fingerprint --------------------------------------------------------------------------------


def test_fingerprint_follows_content_not_path(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "Title\nBody")
    b = write(tmp_path / "b.txt", "Title\nBody")
    c = write(tmp_path / "c.txt", "Title\nBody!")
    assert fingerprint(a) == fingerprint(b) != fingerprint(c)
    assert load_file(a).fingerprint == fingerprint(a)


# --- plain text -------------------------------------------------------------------------------


def test_txt_first_line_is_the_title(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\n  NATO ministers meet  \nThey said “yes”.\n\nMore.\n")
    doc = only(load_file(path))
    assert doc.title == "NATO ministers meet"
    assert doc.body == "They said “yes”.\n\nMore."
    assert doc.source == str(path)
    assert doc.date == "" and doc.url == ""


def test_txt_date_from_its_dateline(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Title\nBRUSSELS, 27 November 2023 - Ministers met.")
    assert only(load_file(path)).date == "2023-11-27"


def test_seed_article_loads() -> None:
    doc = only(load_file(SEED))
    assert doc.title.startswith("Secretary General: NATO to reaffirm long-term support")
    assert doc.body.startswith("NATO Foreign Ministers meeting in Brussels")
    assert doc.date == "2023-11-27"  # no year in the text ("Monday (27 November)"): the name


def test_txt_one_line(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.txt", "Only one line here.")))
    assert doc.title == doc.body == "Only one line here."


def test_txt_long_first_line_is_shortened_for_the_title(tmp_path: Path) -> None:
    line = "word " * 100
    doc = only(load_file(write(tmp_path / "a.txt", line + "\nbody")))
    assert len(doc.title) <= 200 and doc.title.endswith("…")


def test_crlf_and_cr_line_endings_become_newlines(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.txt", "Title\r\nLine one\r\nLine two\rLine 3")))
    assert doc.body == "Line one\nLine two\nLine 3"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.txt", "\ufeffTitle\nBody")))
    assert doc.title == "Title"


def test_utf16_with_bom(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.txt", "\ufeffTitre\nLe général a dit", "utf-16-le")))
    assert (doc.title, doc.body) == ("Titre", "Le général a dit")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Secretary General’s statement\n“We stand with Türkiye” – café, résumé.", "cp1252"),
        ("Déclaration\nLe secrétaire général a déclaré à la presse: «Nous soutenons».", "latin-1"),
        ("Erklärung\nDer Generalsekretär äußerte sich über die Lage.", "cp1252"),
        ("Café", "latin-1"),  # too short for statistics
        ("Заявление\nПрезидент России заявил: «Мы готовы к переговорам».", "cp1251"),
        (
            "Oświadczenie\nSekretarz generalny powiedział, że Polska jest ważnym sojusznikiem.",
            "cp1250",
        ),
    ],
)
def test_legacy_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    loaded = load_file(write(tmp_path / "a.txt", text, encoding))
    doc = only(loaded)
    title, _, body = text.partition("\n")
    assert doc.title == title
    assert doc.body == (body or title)


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    loaded = load_file(write(tmp_path / "photo.txt", png))
    assert loaded.documents == ()
    assert loaded.error == "binary file (not text)"


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    noise = bytes((i * 7919) % 31 for i in range(4000))  # control characters, no NUL... mostly
    noise = noise.replace(b"\x00", b"\x01")
    assert load_file(write(tmp_path / "noise.txt", noise)).error.startswith("binary file")


def test_empty_file(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.txt", b""))
    assert (loaded.documents, loaded.error) == ((), "empty file")


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert load_file(write(tmp_path / "a.txt", " \n\t\n")).error == "no text (only whitespace)"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: costs no disk or time
    loaded = load_file(path)
    assert loaded.documents == ()
    assert loaded.error == "file too large (60.0 MB, limit 50 MB)"


def test_missing_file_and_folder_and_unknown_suffix(tmp_path: Path) -> None:
    assert load_file(tmp_path / "gone.txt").error == "no such file or directory"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert load_file(folder).error == "is a folder, not a file"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert load_file(fifo).error == "not a regular file"  # and it did not block
    odd = write(tmp_path / "a.docx", "x")
    assert load_file(odd).error.startswith("unsupported file type '.docx'")


# --- markdown ---------------------------------------------------------------------------------


def test_markdown_front_matter(tmp_path: Path) -> None:
    text = (
        "---\n"
        "title: Allies agree on air defence\n"
        "date: 2024-02-20\n"
        "url: https://example.org/air-defence\n"
        "source: Nordic Security Review\n"
        "---\n"
        "\n"
        "Ministers met in **Riga**. “We buy together,” one said.\n"
    )
    doc = only(load_file(write(tmp_path / "a.md", text)))
    assert doc.title == "Allies agree on air defence"
    assert doc.date == "2024-02-20"  # YAML reads it as a date object
    assert doc.url == "https://example.org/air-defence"
    assert doc.body == "Ministers met in **Riga**. “We buy together,” one said."
    assert doc.source == str(tmp_path / "a.md")


def test_markdown_front_matter_date_as_text_and_source_url(tmp_path: Path) -> None:
    text = '---\ntitle: "A: b"\ndate: "27 Nov. 2023"\nsource: https://nato.int/x\n---\nBody'
    doc = only(load_file(write(tmp_path / "a.markdown", text)))
    assert (doc.title, doc.date, doc.url) == ("A: b", "2023-11-27", "https://nato.int/x")


def test_markdown_bad_front_matter_date_is_a_warning(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.md", "---\ntitle: T\ndate: soon\n---\nBody"))
    assert only(loaded).date == ""
    assert loaded.warnings == ("front matter date 'soon' is not a date",)


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.md", "# NATO summit ends #\n\nLeaders agreed.")))
    assert (doc.title, doc.body) == ("NATO summit ends", "Leaders agreed.")
    doc = only(load_file(write(tmp_path / "b.md", "NATO summit ends\n===\nLeaders agreed.")))
    assert (doc.title, doc.body) == ("NATO summit ends", "Leaders agreed.")


def test_markdown_without_heading_uses_first_line(tmp_path: Path) -> None:
    doc = only(load_file(write(tmp_path / "a.md", "Plain first line\nThen text.")))
    assert (doc.title, doc.body) == ("Plain first line", "Then text.")


def test_markdown_broken_front_matter_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: [unclosed\ndate: 2023-01-01\n---\n# Heading\nThe body text."
    loaded = load_file(write(tmp_path / "a.md", text))
    doc = only(loaded)
    assert (doc.title, doc.body) == ("Heading", "The body text.")
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].startswith("front matter unreadable, ignored")


def test_markdown_front_matter_only(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.md", "---\ntitle: Nothing else\n---\n"))
    assert loaded.error == "front matter but no text"


# --- HTML -------------------------------------------------------------------------------------


def test_nato_old_layout() -> None:
    loaded = load_file(FIXTURES / "nato-old-layout.htm")
    doc = only(loaded)
    assert loaded.warnings == ()
    assert doc.title == "Secretary General opens exercise on Baltic cable protection"
    assert doc.date == "2024-03-14"  # the publication date, not "Last updated: 15 Mar. 2024"
    assert doc.url == "https://www.nato.int/cps/en/natohq/news_990001.htm"  # "saved from" note
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0].startswith("NATO Secretary General Jens Stoltenberg opened")
    assert paragraphs[1].startswith("“Our economies run on these cables.")
    # A <br> is a line break inside its paragraph; entities are decoded.
    assert "Władysław Kosiniak-Kamysz" in paragraphs[2]
    assert paragraphs[2].endswith("Allied sea”.\nSome 20 ships and 2,000 personnel take part.")
    assert paragraphs[-1] == "Finland and Sweden take part as Allies for the first time."
    # Navigation, sidebar, caption, script and footer are not text of the article.
    for noise in ("Related news", "Divers prepare", "trackView", "Follow us", "Declassified"):
        assert noise not in doc.body


def test_nato_old_layout_speech_takes_its_subtitle() -> None:
    doc = only(load_file(FIXTURES / "nato-old-layout-speech.htm"))
    assert doc.title == (
        "Doorstep statement by NATO Secretary General Jens Stoltenberg ahead of the meeting "
        "of NATO Ministers of Defence"
    )
    assert doc.date == "2023-10-11"
    assert doc.url == "https://www.nato.int/cps/en/natohq/opinions_990002.htm"
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0] == "(As delivered)"
    assert paragraphs[-1].startswith("NATO Secretary General: I expect Allies to agree.")


def test_nato_new_layout() -> None:
    doc = only(load_file(FIXTURES / "nato-new-layout.html"))
    assert doc.title == "NATO Allies agree new readiness targets"
    assert doc.date == "2025-06-05"
    assert doc.url.startswith("https://www.nato.int/en/news-and-events/articles/news/2025/06/05/")
    assert doc.body.startswith("Allied Defence Ministers agreed new readiness targets")
    assert "“We are making NATO a stronger, fairer and more lethal Alliance,”" in doc.body
    for noise in ("Skip to main content", "What we do", "Share this page", "Readiness\n"):
        assert noise not in doc.body


def test_new_layout_date_from_its_url_when_the_page_has_none(tmp_path: Path) -> None:
    html = (FIXTURES / "nato-new-layout.html").read_text(encoding="utf-8")
    for dated in (
        '"datePublished":"2025-06-05T16:30:00+02:00",',
        '<time datetime="2025-06-05T16:30:00+02:00">5 June 2025</time>',
    ):
        html = html.replace(dated, "")
    html = html.replace("on Thursday (5 June 2025)", "on Thursday")
    doc = only(load_file(write(tmp_path / "page.html", html)))
    assert doc.date == "2025-06-05"


def test_other_news_page() -> None:
    doc = only(load_file(FIXTURES / "other-news.html"))
    assert doc.title == "Baltic states sign air defence pact"
    assert doc.date == "2024-02-20"
    assert doc.url == "https://news.example.org/2024/02/baltic-air-defence-pact"
    assert doc.body.startswith("The defence ministers of Estonia")  # headline not repeated
    assert "“Together we buy faster and cheaper,”" in doc.body
    assert "Most read" not in doc.body and "All rights reserved" not in doc.body


def test_truncated_html_loads_what_is_there_with_a_warning(tmp_path: Path) -> None:
    html = (FIXTURES / "nato-old-layout.htm").read_text(encoding="utf-8")
    cut = html[: html.index("The Polish Minister") + 30]
    loaded = load_file(write(tmp_path / "cut.htm", cut))
    doc = only(loaded)
    assert doc.title == "Secretary General opens exercise on Baltic cable protection"
    assert doc.body.startswith("NATO Secretary General Jens Stoltenberg opened")
    assert loaded.warnings == ("HTML looks truncated (no closing </html>): read what is there",)


def test_html_cut_in_the_head_has_no_text(tmp_path: Path) -> None:
    html = (FIXTURES / "nato-new-layout.html").read_text(encoding="utf-8")[:300]
    loaded = load_file(write(tmp_path / "cut.html", html))
    assert loaded.documents == ()
    assert loaded.error == "no article text found in the page"


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Новости</title></head><body><h1>Заявление министра</h1>"
        "<p>Министр заявил: «Мы продолжим переговоры с партнёрами по альянсу».</p>"
        "<p>Встреча прошла в Брюсселе.</p></body></html>"
    )
    doc = only(load_file(write(tmp_path / "ru.html", html, "cp1251")))
    assert "«Мы продолжим переговоры с партнёрами по альянсу»" in doc.body


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>T</title></head>'
        "<body><h1>Heading here</h1><p>" + "Some words of the article. " * 10 + "</p></body></html>"
    )
    doc = only(load_file(write(tmp_path / "a.html", html)))
    assert doc.body.startswith("Some words of the article.")


# --- CSV --------------------------------------------------------------------------------------


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_csv_usual_column_names(tmp_path: Path) -> None:
    text = csv_text(
        [
            ["Link", "HEADLINE", "Published", "Summary", "Text"],
            ["https://x.org/1", "First", "2022-06-24T23:23:00Z", "short", "Body one.\nLine two."],
            ["https://x.org/2", "Second", "24 June 2022", "short", "Body two."],
        ]
    )
    path = write(tmp_path / "export.csv", text)
    loaded = load_file(path)
    assert loaded.error == "" and loaded.warnings == ()
    first, second = loaded.documents
    assert (first.title, first.date, first.url) == ("First", "2022-06-24", "https://x.org/1")
    assert first.body == "Body one.\nLine two."  # text column beats summary
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert second.date == "2022-06-24"


def test_csv_explicit_columns(tmp_path: Path) -> None:
    text = csv_text([["Kop", "Datum", "Tekst", "Adres"], ["Titel", "27-11-2023", "De tekst.", "u"]])
    options = LoadOptions(
        title_column="kop", date_column="Datum", url_column="adres", body_column="TEKST"
    )
    doc = only(load_file(write(tmp_path / "nl.csv", text), options))
    assert (doc.title, doc.date, doc.url, doc.body) == ("Titel", "2023-11-27", "u", "De tekst.")


def test_csv_explicit_column_that_does_not_exist(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", csv_text([["title", "body"], ["t", "b"]]))
    loaded = load_file(path, LoadOptions(body_column="article"))
    assert loaded.error == "no column 'article' (columns: title, body)"


def test_csv_with_no_recognisable_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", csv_text([["a", "b", "c"], ["1", "2", "3"]]))
    loaded = load_file(path)
    assert loaded.documents == ()
    assert loaded.error == "no body/text/content column (columns: a, b, c)"


def test_csv_semicolons_and_tabs(tmp_path: Path) -> None:
    for delimiter, name in ((";", "semi.csv"), ("\t", "tab.csv")):
        text = csv_text([["title", "content"], ["T; 1", "Body, with commas"]], delimiter)
        doc = only(load_file(write(tmp_path / name, text)))
        assert (doc.title, doc.body) == ("T; 1", "Body, with commas")


def test_csv_bad_rows_are_warnings_and_the_rest_loads(tmp_path: Path) -> None:
    text = (
        "title,date,body\n"
        "Good one,2023-01-01,Fine body.\n"
        "Too many,2023-01-02,body,extra\n"
        'Bad quote,2023-01-03,"broken"quote\n'
        "Empty body,2023-01-04,\n"
        "Good two,someday,Also fine.\n"
        "Trailing comma,2023-01-05,Fine too.,\n"
    )
    loaded = load_file(write(tmp_path / "a.csv", text))
    assert loaded.error == ""
    assert [d.title for d in loaded.documents] == ["Good one", "Good two", "Trailing comma"]
    assert [d.source.rsplit("#", 1)[1] for d in loaded.documents] == ["1", "5", "6"]
    assert loaded.documents[1].date == ""
    assert loaded.warnings == (
        "row 2 (line 3): 4 fields, the header has 3",
        "row 3 (line 4): malformed CSV (',' expected after '\"')",
        "record 4: empty 'body'",
        "1 record with a 'date' that is not a date (e.g. 'someday')",
    )


def test_truncated_csv(tmp_path: Path) -> None:
    text = 'title,body\nOne,"Complete body."\nTwo,"The file was cut in the mid'
    loaded = load_file(write(tmp_path / "cut.csv", text))
    assert [d.title for d in loaded.documents] == ["One"]
    assert loaded.warnings == ("row 2 (line 3): malformed CSV (unexpected end of data)",)


def test_csv_where_no_row_is_readable(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.csv", "title,body\nOnly title,\n"))
    assert loaded.error == "no readable records (1 problems, first: record 1: empty 'body')"


def test_csv_header_only(tmp_path: Path) -> None:
    assert load_file(write(tmp_path / "a.csv", "title,body\n")).error == "no documents found"


def test_csv_very_large_field(tmp_path: Path) -> None:
    body = "A long transcript. " * 20_000  # ~380 kB, over csv's default 128 kB field limit
    doc = only(load_file(write(tmp_path / "a.csv", csv_text([["title", "body"], ["T", body]]))))
    assert doc.body == body


def test_csv_record_without_title_takes_a_headline_from_its_body(tmp_path: Path) -> None:
    text = csv_text(
        [
            ["title", "body"],
            ["", "Allies agree on new targets\nBRUSSELS - Allies agreed on Friday."],
            ["", "Allies agreed on new targets on Friday. They also met partners."],
        ]
    )
    first, second = load_file(write(tmp_path / "a.csv", text)).documents
    assert first.title == "Allies agree on new targets"
    assert second.title == "Allies agreed on new targets on Friday."  # first sentence


# --- JSON Lines and JSON ----------------------------------------------------------------------


def test_jsonl_isaf_style_records(tmp_path: Path) -> None:
    # The ISAF export has only "id" and "text": headline, release number and dateline inside.
    letterhead = "ISAF Joint Command - Afghanistan"
    records = [
        {
            "id": "r-1",
            "text": f"Forces Detain Suspects in Helmand\n{letterhead}\n2011-06-S-001\n"
            "For Immediate Release\n\nKABUL, Afghanistan (June 21, 2011)\n"
            "A security force detained two suspects.",
        },
        {
            "id": "r-2",
            "text": f"2011-06-S-002\n{letterhead}\nFor Immediate Release\n\n"
            "KABUL, Afghanistan (June 22)\n"
            "A combined force found a weapons cache. The cache was destroyed.",
        },
        {
            "id": "r-3",
            "text": f"{letterhead}\u20282011-06-S-003\u2028For Immediate Release\u2028\u2028"
            "KABUL, Afghanistan (June 23, 2011)\u2028Afghan forces cleared a road.",
        },
    ]
    text = "\n".join(json.dumps(r) for r in records) + "\n"
    path = write(tmp_path / "isaf.jsonl", text)
    loaded = load_file(path)
    assert loaded.error == "" and loaded.warnings == ()
    one, two, three = loaded.documents
    assert one.title == "Forces Detain Suspects in Helmand"
    assert two.title == "A combined force found a weapons cache."
    assert three.title == "Afghan forces cleared a road."  # letterhead found from the file itself
    assert [d.date for d in loaded.documents] == ["2011-06-21", "", "2011-06-23"]
    assert [d.source for d in loaded.documents] == [f"{path}#{n}" for n in (1, 2, 3)]
    assert one.body == records[0]["text"]  # kept exactly, title line included


def test_jsonl_broken_lines_are_warnings(tmp_path: Path) -> None:
    text = (
        '{"title": "One", "body": "First."}\n'
        "\n"
        '{"title": "Two", "body": \n'
        '["a list", "is not an object"]\n'
        '{"title": "Three", "content": ["Para one.", "Para two."], "date": 5}\n'
        '{"title": "Four", "body": ""}\n'
        '{"title": "Five", "body": "Cut off in the mid'
    )
    loaded = load_file(write(tmp_path / "a.jsonl", text))
    assert [d.title for d in loaded.documents] == ["One", "Three"]
    # A record without "body" takes the next usual column; a list of paragraphs is joined.
    assert loaded.documents[1].body == "Para one.\n\nPara two."
    assert loaded.documents[1].date == ""  # a number is not a date
    assert loaded.warnings == (
        "line 3: invalid JSON (Expecting value at column 26)",
        "line 4: not a JSON object",
        "line 7: invalid JSON (Unterminated string starting at at column 27)",
        "record 6: empty 'body'",
        "1 record with a 'date' that is not a date (e.g. '5')",
    )


def test_jsonl_paragraph_lists_are_joined(tmp_path: Path) -> None:
    text = '{"headline": "T", "paragraphs": 1, "text": ["Para one.", "Para two."]}\n'
    doc = only(load_file(write(tmp_path / "a.jsonl", text)))
    assert doc.body == "Para one.\n\nPara two."


def test_jsonl_with_no_body_key(tmp_path: Path) -> None:
    text = '{"id": 1, "name": "x"}\n{"id": 2, "name": "y", "tags": []}\n'
    loaded = load_file(write(tmp_path / "a.jsonl", text))
    assert loaded.error == "no body/text/content column (columns: id, name, tags)"


def test_jsonl_nothing_readable(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.jsonl", "not json\nnor this\n"))
    assert loaded.error == "line 1: invalid JSON (Expecting value at column 1)"


def test_json_array_and_wrapped_records(tmp_path: Path) -> None:
    records = [{"title": "A", "text": "Alpha."}, {"title": "B", "text": "Beta."}]
    array = load_file(write(tmp_path / "a.json", json.dumps(records, indent=2)))
    assert [d.title for d in array.documents] == ["A", "B"]
    wrapped = load_file(write(tmp_path / "b.json", json.dumps({"articles": records})))
    assert [d.body for d in wrapped.documents] == ["Alpha.", "Beta."]
    single = load_file(write(tmp_path / "c.json", json.dumps(records[0], indent=2)))
    assert [d.title for d in single.documents] == ["A"]
    lines = load_file(write(tmp_path / "d.json", "\n".join(json.dumps(r) for r in records)))
    assert [d.title for d in lines.documents] == ["A", "B"]


def test_json_broken(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path / "a.json", '[{"title": "A", "text": "Alpha."}, {"ti'))
    assert loaded.error == "invalid JSON (Unterminated string starting at at column 37)"
    assert load_file(write(tmp_path / "b.json", "[1, 2]")).error == (
        "JSON holds no records (expected objects)"
    )


# --- never raises, never writes ---------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=600) | st.text(max_size=300).map(str.encode),
    suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)),
)
def test_load_file_never_raises(tmp_path: Path, data: bytes, suffix: str) -> None:
    loaded = load_file(write(tmp_path / f"fuzz{suffix}", data))
    assert bool(loaded.error) != bool(loaded.documents)
    assert "\n" not in loaded.error
    assert all("\n" not in w for w in loaded.warnings)


def test_loading_never_modifies_input_files(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    write(tmp_path / "a.md", "---\ntitle: T\n---\nBody")
    write(tmp_path / "b.csv", "title,body\nT,B\n")
    write(tmp_path / "c.txt", "T\r\nB", "cp1252")
    write(tmp_path / "d.jsonl", '{"text": "x"}\n{broken')
    files, _ = discover([tmp_path])
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    for path in files:
        load_file(path)
        fingerprint(path)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    assert sorted(tmp_path.rglob("*")) == sorted(
        {*files, *(p for p in tmp_path.rglob("*") if p.is_dir())}
    )  # nothing new written beside them


# --- the real corpus --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "records", "dated"),
    [("zelenskyy.csv", 980, 980), ("putin.csv", 816, 816), ("isaf-press-releases.jsonl", 724, 400)],
)
def test_real_corpus_files(shared: Path, name: str, records: int, dated: int) -> None:
    path = shared / "corpus" / name
    stat = path.stat()
    loaded = load_file(path)
    assert loaded.error == "" and loaded.warnings == ()
    assert len(loaded.documents) == records
    assert all(d.title and d.body.strip() for d in loaded.documents)
    assert all(len(d.title) <= 200 and "\n" not in d.title for d in loaded.documents)
    assert sum(1 for d in loaded.documents if d.date) >= dated
    assert all(d.date == "" or "2009-01-01" <= d.date <= "2022-12-31" for d in loaded.documents)
    assert [d.source for d in loaded.documents] == [f"{path}#{n}" for n in range(1, records + 1)]
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_real_csv_fields_are_kept(shared: Path) -> None:
    path = shared / "corpus" / "putin.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    doc = load_file(path).documents[0]
    assert (doc.title, doc.url, doc.body) == (first["headline"], first["link"], first["body"])


def test_real_isaf_titles_are_headlines_not_letterheads(shared: Path) -> None:
    docs = load_file(shared / "corpus" / "isaf-press-releases.jsonl").documents
    letterheads = ("ISAF Joint Command", "For Immediate Release", "KABUL, Afghanistan (")
    boring = [d.title for d in docs if d.title.startswith(letterheads[1:])]
    assert boring == []
    assert not [d.title for d in docs if d.title.replace(" ", "") == "ISAFJointCommand-Afghanistan"]
