"""Fixtures of the app's tests: real indexes built once per session from fixture documents, and
the helpers that drive the app like a person (`make_app`, `settle`, `type_text`, `shown_hits`)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from nato_browse.index import Filters
from nato_browse.tui.app import AppSettings, NatoBrowseApp

ROOT = Path(__file__).resolve().parents[2]
APP_CORPUS = ROOT / "tests" / "fixtures" / "app_corpus"
SEED = ROOT / "data" / "corpus"


WORDS = [
    "allies",
    "deterrence",
    "defence",
    "flank",
    "ammunition",
    "brigade",
    "exercise",
    "readiness",
    "drones",
    "cyber",
    "space",
    "satellites",
    "logistics",
    "pipeline",
    "harbour",
    "frigate",
    "submarine",
    "patrol",
    "airspace",
    "radar",
    "missile",
    "training",
    "budget",
    "industry",
    "production",
    "shells",
    "tanks",
    "artillery",
    "corridor",
    "grain",
    "sanctions",
    "energy",
    "winter",
    "resilience",
    "hospitals",
    "bridges",
    "railway",
    "border",
    "refugees",
    "elections",
    "democracy",
    "parliament",
    "treaty",
    "summit",
    "pledge",
    "reform",
    "corruption",
    "courts",
    "prosecutors",
    "veterans",
    "families",
]


def _write_many_documents(folder: Path, documents: int = 30, quotes_each: int = 10) -> None:
    """Documents with many distinct quotes each, so results run to more than one page."""
    import random

    rng = random.Random(4)  # fixed: the same documents every run
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(documents):
        lines = [
            "---",
            f"title: Briefing number {d}",
            f"date: 2022-{d % 12 + 1:02d}-{d % 27 + 1:02d}",
            f"url: https://example.org/briefing/{d}",
            "---",
            "",
        ]
        for _ in range(quotes_each):
            words = " ".join(rng.sample(WORDS, 12))
            lines.append(
                f'"We discussed {words} today," NATO Secretary General Jens Stoltenberg said.'
            )
            lines.append("")
        (folder / f"briefing-{d:02d}.md").write_text("\n".join(lines), encoding="utf-8")


def _make_app(
    index_dir: Path,
    *,
    query: str = "",
    filters: Filters | None = None,
    data: tuple[Path, ...] = (),
    default_corpus: Path | None = SEED,
    config_dir: Path | None = None,
    theme: str = "",
) -> NatoBrowseApp:
    return NatoBrowseApp(
        AppSettings(
            index_dir=index_dir,
            data=data,
            default_corpus=default_corpus,
            query=query,
            filters=filters or Filters(),
            theme=theme,
            config_dir=config_dir,
        )
    )


async def _wait_for_workers(app) -> None:  # type: ignore[no-untyped-def]
    from textual.worker import WorkerCancelled, WorkerState

    for worker in list(app.workers):
        if not worker.is_finished:
            with contextlib.suppress(WorkerCancelled):  # a stale search, dropped as it should be
                await worker.wait()
        if worker.state == WorkerState.ERROR:
            raise AssertionError(f"worker {worker.name} failed: {worker.error!r}")


def _quiet(app) -> bool:  # type: ignore[no-untyped-def]
    """No worker running, and no key waiting for its turn (the app's key sequencer)."""
    keys = getattr(app, "keys", None)
    return all(worker.is_finished for worker in app.workers) and (keys is None or keys.idle)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs, no key waits and every message is handled (workers start
    workers, keys start workers)."""
    app = pilot.app
    for _ in range(200):
        await _wait_for_workers(app)
        await pilot.pause()
        if _quiet(app):
            await pilot.pause()
            if _quiet(app):
                return
    raise AssertionError("the app never settled")


def _shown_hits(app: NatoBrowseApp):  # type: ignore[no-untyped-def]
    from nato_browse.tui.widgets.quote_list import QuoteList

    return app.main.query_one(QuoteList).hits


async def _type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a person: one key at a time."""
    keys = ["space" if ch == " " else ch for ch in text]
    await pilot.press(*keys)


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture documents and the seed article, indexed once per test session."""
    from nato_browse.index.store.build import build_index

    index_dir = tmp_path_factory.mktemp("app-index")
    report = build_index([APP_CORPUS, SEED], index_dir)
    assert report.quotes >= 16 and not report.skipped
    return index_dir


@pytest.fixture(scope="session")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 quotes: more than the list's first page."""
    from nato_browse.index.store.build import build_index

    docs = tmp_path_factory.mktemp("many-docs")
    _write_many_documents(docs)
    index_dir = tmp_path_factory.mktemp("big-index")
    report = build_index([docs], index_dir)
    assert report.quotes >= 250
    return index_dir


class Tmux:
    """A tmux server of the test's own (its socket in tmp_path): a real terminal to run the
    installed command in, type into, and read back with `capture-pane`."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True
        )
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "app")

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """Poll the screen until every one of `texts` shows (the app works in its own time,
        in another process) and the screen has settled, or fail with what it showed.

        Settled means two captures 0.1 s apart agree: the first sight of the texts can come
        mid-paint, with the rest of the frame not yet drawn (CI caught a reader's title
        before its body). A screen that never stops changing is returned once the texts have
        shown for 3 s, so a spinner cannot hang a test."""
        deadline = time.monotonic() + timeout
        screen = ""
        seen_at: float | None = None
        while time.monotonic() < deadline:
            previous, screen = screen, self.screen()
            if all(text in screen for text in texts):
                if screen == previous or (seen_at and time.monotonic() - seen_at > 3):
                    return screen
                seen_at = seen_at or time.monotonic()
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never all appeared; the screen showed:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = Tmux(tmp_path / "tmux.sock")
    try:
        yield session
    finally:
        subprocess.run(["tmux", "-S", str(session.socket), "kill-server"], capture_output=True)


@pytest.fixture(scope="session")
def hostile_app_index(tmp_path_factory: pytest.TempPathFactory, hostile_folder) -> Path:
    """The app's fixture documents and a folder of hostile ones (escape sequences, markup,
    bidi and zero-width characters in every field), indexed once per session."""
    from nato_browse.index.store.build import build_index

    docs = tmp_path_factory.mktemp("hostile-docs")
    hostile_folder(docs)
    index_dir = tmp_path_factory.mktemp("hostile-index")
    report = build_index([APP_CORPUS, docs], index_dir)
    assert report.quotes >= 20
    return index_dir


@pytest.fixture
def quiet_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every folder the app may write to is under tmp_path (config, documents, home, the
    working directory), and no browser starts."""
    from nato_browse.tui import browser

    for name in ("config", "documents", "home"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("NATO_BROWSE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "documents")

    class NoBrowser:
        name = "test-browser"
        opened: ClassVar[list[str]] = []

        def open(self, url: str, new: int = 0) -> bool:
            self.opened.append(url)
            return True

    NoBrowser.opened = []
    monkeypatch.setattr(browser.webbrowser, "get", NoBrowser)
    return tmp_path


@pytest.fixture(autouse=True)
def no_real_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the clipboard or the tmux server of the person running the tests: the
    system clipboard refuses (a test that copies puts its own fake in), and no $TMUX is seen."""
    import pyperclip

    def refuse(text: str) -> None:
        raise pyperclip.PyperclipException("the tests never use the real clipboard")

    monkeypatch.setattr(pyperclip, "copy", refuse)
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)


@pytest.fixture
def config_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "config"
    folder.mkdir()
    yield folder


@pytest.fixture(scope="session")
def make_app() -> Callable[..., NatoBrowseApp]:
    return _make_app


@pytest.fixture(scope="session")
def settle() -> Callable[[Any], Any]:
    return _settle


@pytest.fixture(scope="session")
def shown_hits() -> Callable[[NatoBrowseApp], Any]:
    return _shown_hits


@pytest.fixture(scope="session")
def type_text() -> Callable[[Any, str], Any]:
    return _type_text


async def _palette(pilot, command: str) -> None:  # type: ignore[no-untyped-def]
    """Runs a command from the palette, typed like a person."""
    await pilot.press("ctrl+p")
    await _settle(pilot)
    await _type_text(pilot, command)
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)


@pytest.fixture(scope="session")
def palette() -> Callable[[Any, str], Any]:
    return _palette
