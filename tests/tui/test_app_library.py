"""The app and the library: `--data PATH` adds a source (the others' documents stay), `r` on a
damaged index rebuilds it from the library's sources, not from the demo corpus; what a build
could not read, a damaged cache and a full disk are said."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from nato_browse.index.paths import DEFAULT_CORPUS
from nato_browse.index.store.build import build_index, list_sources
from nato_browse.tui.app import AppSettings, NatoBrowseApp
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


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (40, 12)])
async def test_r_rebuilds_a_damaged_index_from_the_library(
    tmp_path: Path, make_app, settle, shown_hits, size: tuple[int, int]
) -> None:
    index_dir = tmp_path / "index"
    built = build_index([APP_CORPUS], index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\0garbage")
    app = make_app(index_dir, default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message").render())
        assert "_MAIN_1.toc cannot be read" in message
        advice = str(app.screen.query_one("#error-advice").render())
        assert f"rebuild it from the sources of your library ({APP_CORPUS.resolve()})" in advice
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert app.index is not None and app.index.stats().quotes == built.quotes
        demo = str(DEFAULT_CORPUS.resolve())
        assert not any(h.quote.source.startswith(demo) for h in shown_hits(app))
    assert [(s.path, s.demo) for s in list_sources(index_dir)] == [
        (str(APP_CORPUS.resolve()), False)
    ]


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_a_rebuild_says_which_source_is_missing_and_keeps_it(
    tmp_path: Path, settle, said, write_release
) -> None:
    folders = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        write_release(folder, "r.txt", f"Release {name}", [said("Kaja Kallas", f"Words {name}")])
        folders.append(folder)
    index_dir = tmp_path / "index"
    build_index(folders, index_dir)
    folders[1].rename(tmp_path / "unplugged")
    app = NatoBrowseApp(
        AppSettings(index_dir=index_dir, default_corpus=DEFAULT_CORPUS, rebuild=True)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.index is not None and app.index.stats().documents == 2
        (note,) = [n for n in _notes(app) if "is missing" in n]
        assert note == (
            f"{folders[1]} is missing: kept 1 documents "
            f"(`nato-browse remove {folders[1]}` drops it)"
        )


async def test_data_that_gives_nothing_is_not_added_and_says_so(
    tmp_path: Path, make_app, settle
) -> None:
    index_dir = tmp_path / "index"
    first = build_index([APP_CORPUS], index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app(index_dir, data=(empty,), default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.index is not None and app.index.stats().documents == first.documents
        assert f"{empty}: no documents could be read from it: not added to the library" in (
            _notes(app)
        )


async def test_a_damaged_cache_is_said_and_searching_goes_on(
    tmp_path: Path, make_app, settle, shown_hits
) -> None:
    index_dir = tmp_path / "index"
    build_index([APP_CORPUS], index_dir)
    for columns in index_dir.glob("nb-columns-*"):
        columns.write_bytes(columns.read_bytes()[:100])
    app = make_app(index_dir, default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(shown_hits(app)) >= 16
        (note,) = [n for n in _notes(app) if "search caches" in n]
        assert "nb-columns-1.npz" in note and "`nato-browse index`" in note


async def test_a_full_disk_is_said_and_r_tries_again(
    tmp_path: Path, tmpfs, make_app, settle, shown_hits, said, write_release
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(300):
        write_release(docs, f"r{i}.txt", f"Release {i}", [said("Kaja Kallas", f"Package {i}")])
    disk = tmpfs("size=256k")
    app = make_app(disk / "index", data=(docs,), default_corpus=DEFAULT_CORPUS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert app.screen.failure.title == "The disk is full"
        message = str(app.screen.query_one("#error-message").render())
        assert message.startswith(f"disk full: writing the index in {disk / 'index'} needs")
        assert sorted(p.name for p in (disk / "index").iterdir()) == [
            "MAIN_WRITELOCK",
            "nb-build",
            "nb-library.json",
        ]
        # Space made, r builds it.
        subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=True)
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert app.index is not None and app.index.stats().quotes == 300
