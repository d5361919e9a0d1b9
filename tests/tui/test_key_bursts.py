"""The app never falls over: random bursts of keys and pastes, with no pauses, on every screen
and dialog, over an index of hostile documents, and the app is still running after each.

The seed is fixed, so CI runs the same bursts every time; set NATO_BROWSE_BURST_SEED to another
number (or "random") to explore. A failure names the seed, the screen and the keys.

Nothing leaves the test's folders: the config and documents folders are temporary, the browser
and the clipboard are fakes.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.app import App

SEED = os.environ.get("NATO_BROWSE_BURST_SEED", "14")
BURSTS = int(os.environ.get("NATO_BROWSE_BURSTS", "2"))
SIZE = (100, 30)

KEYS = [
    *"abcdefghijklmnopqrstuvwxyz",
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    *"0123456789",
    *("/", "?", "-", "*", "~", '"', "[", "]", ":", "."),
    *("enter", "escape", "space", "tab", "shift+tab", "backspace", "delete"),
    *("up", "down", "left", "right", "home", "end", "pageup", "pagedown"),
    *(f"f{n}" for n in range(1, 13)),
    "ctrl+p",  # the palette; ctrl+q and ctrl+c, which quit on purpose, are left out
]


def pastes(hostile_text: str) -> list[str]:
    return [
        hostile_text,
        "x" * 20_000,
        ("deterrence ukraine " * 1_200)[:20_000],
        "line one\nline two\n" + hostile_text,
        "[/nomatch] [b]bold[/",
        "speaker:“Jens” AND (topic:[cyber OR NOT",
        "\u202eevil\u200b" * 50,
    ]


def send_burst(
    app: App[object], rng: random.Random, paste_texts: list[str], keys: list[str] = KEYS
) -> list[str]:
    """Post a burst of key and paste events at once, as a terminal delivers a fast typist's
    keys or a paste: nothing waits between them. The keys sent, for the failure message."""
    driver = app._driver
    assert driver is not None
    sent: list[str] = []
    for _ in range(rng.randint(5, 40)):
        if rng.random() < 0.08:
            text = rng.choice(paste_texts)
            driver.send_message(events.Paste(text))
            sent.append(f"paste({text[:20]!r}…{len(text)})")
            continue
        key = rng.choice(keys)
        character = key if len(key) == 1 else (" " if key == "space" else None)
        driver.send_message(events.Key(key, character))
        sent.append(key)
    return sent


async def drain(pilot, settle) -> None:  # type: ignore[no-untyped-def]
    """Let the app handle everything it was sent, and every worker finish."""
    for _ in range(3):
        await pilot.pause()
    await settle(pilot)


async def back_to_main(pilot, settle) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(10):
        if app.screen is app.main:
            return
        await pilot.press("escape")
        await drain(pilot, settle)
    while app.screen is not app.main and len(app.screen_stack) > 1:
        app.pop_screen()
        await drain(pilot, settle)


# How to reach each screen and dialog from the main screen (the search box has focus).
OPENERS: dict[str, list[str]] = {
    "main (search box)": [],
    "main (list)": ["down"],
    "help": ["f1"],
    "speaker picker": ["f2"],
    "topic picker": ["f3"],
    "region picker": ["f4"],
    "kind picker": ["down", "K"],
    "dates": ["f5"],
    "export": ["f9"],
    "save search": ["down", "S"],
    "quote screen": ["down", "enter"],
    "speaker view": ["down", "p"],
    "palette": ["ctrl+p"],
    "compare": ["ctrl+p", *"Compare speakers", "enter"],
}


def seeds() -> list[int]:
    if SEED == "random":
        return [random.SystemRandom().randrange(1 << 30)]
    return [int(SEED)]


@pytest.mark.timeout(600)  # a hang guard: a frozen app fails here rather than stalling CI
@pytest.mark.parametrize("screen", list(OPENERS))
@pytest.mark.parametrize("seed", seeds())
async def test_bursts_of_keys_never_bring_the_app_down(
    screen: str,
    seed: int,
    hostile_app_index: Path,
    quiet_world: Path,
    hostile_text: str,
    make_app: Callable[..., App[object]],
    settle,
) -> None:
    rng = random.Random(f"{seed}-{screen}")
    app = make_app(hostile_app_index, config_dir=quiet_world / "config", query="defend")
    texts = pastes(hostile_text)
    # Notifications on (run_test leaves them off): a notice read as markup ends the app.
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await drain(pilot, settle)
        for burst in range(BURSTS):
            await back_to_main(pilot, settle)
            await pilot.press(*OPENERS[screen])
            await drain(pilot, settle)
            sent = send_burst(app, rng, texts)
            await drain(pilot, settle)
            assert app.is_running, f"seed {seed}, {screen}, burst {burst}: the app stopped: {sent}"
            assert app.return_code is None, f"seed {seed}, {screen}, burst {burst}: {sent}"


@pytest.mark.timeout(300)  # a hang guard
@pytest.mark.parametrize("seed", seeds())
async def test_bursts_on_the_error_screen(
    seed: int,
    tmp_path: Path,
    quiet_world: Path,
    hostile_text: str,
    make_app: Callable[..., App[object]],
    settle,
) -> None:
    from nato_browse.tui.screens.error import ErrorScreen

    not_a_folder = tmp_path / "index-is-a-file"
    not_a_folder.write_text("x")
    rng = random.Random(f"{seed}-error")
    # Esc and q quit from this screen, on purpose.
    keys = [k for k in KEYS if k not in ("escape", "q")]
    app = make_app(not_a_folder, config_dir=quiet_world / "config")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await drain(pilot, settle)
        assert isinstance(app.screen, ErrorScreen)
        for burst in range(BURSTS):
            sent = send_burst(app, rng, pastes(hostile_text), keys)
            await drain(pilot, settle)
            assert app.is_running, f"seed {seed}, error screen, burst {burst}: {sent}"
