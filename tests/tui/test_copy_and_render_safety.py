"""What leaves the app for the clipboard, the browser and the screen is the documents' text and
nothing else; and "Copied" is said only when the copy can be confirmed.

No test touches the real clipboard or tmux server: pyperclip is replaced, and tmux is a script
on PATH that records what it is given.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from nato_browse.index import Hit, Quote
from nato_browse.tui import browser, clipboard, render
from textual.app import App

ESC = "\x1b"


def hostile_quote(hostile_text: str, url: str = "file:///etc/passwd") -> Quote:
    text = f"We will defend{hostile_text} every inch"
    return Quote(
        doc="d1",
        title=f"Release{hostile_text}",
        date="2024-02-14",
        text=text,
        start=10,
        end=10 + len(text),
        speaker=f"Jens {hostile_text}Stoltenberg",
        role=f"Secretary{hostile_text}",
        context=f"Before. {text} After.",
        context_start=2,
        topics=(f"Cyber{hostile_text}",),
        url=url,
    )


# -- the screen ------------------------------------------------------------------------------------


def test_list_rows_and_the_detail_show_text_only(assert_no_controls, hostile_text) -> None:
    hit = Hit(hostile_quote(hostile_text), 1.0, highlights=((8, 14),))
    for content in (render.row(hit), render.detail(hit, other_quotes=3)):
        assert_no_controls(content.plain)
        assert "[/nomatch][bold" in content.plain  # markup in a document is shown as text
        assert not [s for s in content.spans if getattr(s.style, "link", None)]


def test_only_a_web_url_becomes_a_terminal_hyperlink() -> None:
    def links(url: str) -> list[str]:
        quote = Quote(doc="d", title="T", date="", text="x", start=0, end=1, speaker="A", url=url)
        content = render.detail(Hit(quote, 1.0), None)
        return [s.style.link for s in content.spans if getattr(s.style, "link", None)]  # type: ignore[union-attr]

    assert links("https://example.org/a") == ["https://example.org/a"]
    for url in ("file:///etc/passwd", "javascript:alert(1)", "ssh://host", "/tmp/x"):
        assert links(url) == []


def test_the_browser_opens_web_addresses_only(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    class Fake:
        name = "firefox"

        def open(self, url: str, new: int = 0) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(browser.webbrowser, "get", lambda: Fake())
    for url in ("file:///etc/passwd", "javascript:alert(1)", "x-scheme-handler:run", ""):
        assert browser.open_in_browser(url) == "only http and https links are opened"
    assert browser.open_in_browser("https://example.org/a b") == ""
    assert opened == ["https://example.org/a%20b"]


# -- the clipboard ---------------------------------------------------------------------------------


@pytest.fixture
def fake_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `tmux` on PATH that keeps what load-buffer is given in a file and answers
    show-options from $FAKE_SET_CLIPBOARD; load-buffer fails when $FAKE_TMUX_FAILS is set."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    buffer = tmp_path / "tmux-buffer"
    script = bin_dir / "tmux"
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        '  load-buffer) [ -n "$FAKE_TMUX_FAILS" ] && exit 1; cat > "$FAKE_TMUX_BUFFER" ;;\n'
        '  show-options) echo "${FAKE_SET_CLIPBOARD:-external}" ;;\n'
        "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_TMUX_BUFFER", str(buffer))
    return buffer


class CopyApp(App[None]):
    """Just enough app to copy and notify."""


async def copy_and_read_notice(text: str) -> tuple[str, str, str]:
    """(notice title, notice message, what the app sent by OSC 52) after copying `text`."""
    app = CopyApp()
    async with app.run_test() as pilot:
        clipboard.copy_text(app, text, "Quote by Jens Stoltenberg")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (notice,) = list(app._notifications)
        return notice.title, notice.message, app.clipboard


CITATION = "“We will defend\x1b]52;c;Y3VybA==\x07 every inch”\n— Jens Stoltenberg"


async def test_copied_when_the_system_clipboard_took_it(
    monkeypatch: pytest.MonkeyPatch, assert_no_controls
) -> None:
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    title, message, osc52 = await copy_and_read_notice(CITATION)
    assert title == "Copied" and "the clipboard" in message
    assert copied == [osc52] == ["“We will defend every inch”\n— Jens Stoltenberg"]
    assert_no_controls(copied[0])


async def test_copied_to_tmux_buffer_when_only_tmux_can(
    monkeypatch: pytest.MonkeyPatch, fake_tmux: Path
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/fake-tmux-socket,1,0")
    title, message, _ = await copy_and_read_notice(CITATION)
    assert title == "Copied" and "tmux's paste buffer" in message
    assert fake_tmux.read_text() == "“We will defend every inch”\n— Jens Stoltenberg"


async def test_osc52_alone_is_not_called_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    title, message, osc52 = await copy_and_read_notice(CITATION)
    assert title == "Sent to the terminal" and "OSC 52" in message and "cannot confirm" in message
    assert osc52 == "“We will defend every inch”\n— Jens Stoltenberg"


@pytest.mark.parametrize("where", ["tmux with default settings", "linux console"])
async def test_when_nothing_can_copy_the_text_is_shown_to_select(
    monkeypatch: pytest.MonkeyPatch, fake_tmux: Path, where: str
) -> None:
    if where.startswith("tmux"):
        monkeypatch.setenv("TMUX", "/tmp/fake-tmux-socket,1,0")
        monkeypatch.setenv("FAKE_TMUX_FAILS", "1")
    else:
        monkeypatch.setenv("TERM", "linux")
    title, message, _ = await copy_and_read_notice(CITATION)
    assert title.startswith("Not copied") and "select the text" in title
    assert message == "“We will defend every inch”\n— Jens Stoltenberg"


async def test_tmux_with_set_clipboard_on_passes_osc52(
    monkeypatch: pytest.MonkeyPatch, fake_tmux: Path
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/fake-tmux-socket,1,0")
    monkeypatch.setenv("FAKE_TMUX_FAILS", "1")
    monkeypatch.setenv("FAKE_SET_CLIPBOARD", "on")
    title, _, _ = await copy_and_read_notice(CITATION)
    assert title == "Sent to the terminal"


async def test_markup_in_a_copied_quote_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    _, message, _ = await copy_and_read_notice("a [/nomatch] b [bold")
    assert message == "a [/nomatch] b [bold"
