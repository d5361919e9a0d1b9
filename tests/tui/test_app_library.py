"""The app and the library: `--data PATH` adds a source (the others' documents stay), and `r` on a
damaged index rebuilds it from the library's sources, not from the demo corpus."""

from __future__ import annotations

from pathlib import Path

from nato_browse.index.paths import DEFAULT_CORPUS
from nato_browse.index.store.build import build_index, list_sources
from nato_browse.tui.screens.error import ErrorScreen

APP_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "app_corpus"


async def test_data_adds_a_source_and_keeps_the_others(
    tmp_path: Path, make_app, settle, said, write_release
) -> None:
    index_dir = tmp_path / "index"
    first = build_index([APP_CORPUS], index_dir)
    mine = tmp_path / "mine"
    mine.mkdir()
    write_release(mine, "m.txt", "My release", [said("Kaja Kallas", "Our banks held firm")])
    app = make_app(index_dir, data=(mine,), default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.index is not None
        assert app.index.stats().documents == first.documents + 1
    assert [s.path for s in list_sources(index_dir)] == [
        str(APP_CORPUS.resolve()),
        str(mine.resolve()),
    ]


async def test_r_rebuilds_a_damaged_index_from_the_library(
    tmp_path: Path, make_app, settle, shown_hits
) -> None:
    index_dir = tmp_path / "index"
    built = build_index([APP_CORPUS], index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\0garbage")
    app = make_app(index_dir, default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message").render())
        assert "_MAIN_1.toc cannot be read" in message
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert app.index is not None and app.index.stats().quotes == built.quotes
        demo = str(DEFAULT_CORPUS.resolve())
        assert not any(h.quote.source.startswith(demo) for h in shown_hits(app))
    assert [(s.path, s.demo) for s in list_sources(index_dir)] == [
        (str(APP_CORPUS.resolve()), False)
    ]
