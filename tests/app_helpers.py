"""Helpers for the app tests: the fixture documents, making the app, waiting for it to settle."""

from __future__ import annotations

import contextlib
from pathlib import Path

from conftest import ROOT
from nato_browse.index.api import Filters
from nato_browse.tui.app import AppSettings, NatoBrowseApp
from nato_browse.tui.screens.main import MainScreen

APP_CORPUS = ROOT / "tests" / "fixtures" / "app_corpus"
SEED = ROOT / "data" / "corpus"
SPEAKERS = ("Jens Stoltenberg", "Mark Rutte", "Kaja Kallas", "Antony Blinken")


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


def write_many_documents(folder: Path, documents: int = 30, quotes_each: int = 10) -> None:
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


def make_app(
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


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs and every message is handled (workers start workers)."""
    app = pilot.app
    for _ in range(100):
        await _wait_for_workers(app)
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            await pilot.pause()
            if all(worker.is_finished for worker in app.workers):
                return
    raise AssertionError("the app never settled")


def main_screen(app: NatoBrowseApp) -> MainScreen:
    return app.main


def shown_hits(app: NatoBrowseApp):  # type: ignore[no-untyped-def]
    from nato_browse.tui.widgets.quote_list import QuoteList

    return app.main.query_one(QuoteList).hits


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a person: one key at a time."""
    keys = ["space" if ch == " " else ch for ch in text]
    await pilot.press(*keys)
