"""Keys one at a time, so that a burst does what the same keys do typed slowly.

Textual routes a key to the widget that has focus when the app reads the key; but a key's
effects (a focus change, a screen pushed and composed) take place later, in messages of their
own. Keys read in one burst (a paste, a fast typist, a script sending "Down Space Down Space
Enter") would all reach the widget that had focus before the first of them, or a screen not yet
composed. So the app hands every key to a `KeySequencer`, which routes the keys one at a time:
before a key it waits until the keys before it, and what they asked for on the way (a focus
change, a screen pushed), are handled. Keys that stay in the focused widget are the exception
that keeps a paste or a held arrow key fast: typing into a text box, or moving in a list or a
document, goes straight on after a key that went to the same widget (it cannot move the focus).

Some keys depend on work that runs outside the message queues (a picker's values, the list's
next page, the results of the query just typed). A screen says so with `holds_key`: the next
key waits (at most HOLD_LIMIT) until the screen no longer holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from weakref import WeakSet

from textual import events
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

# Longest a screen may hold keys back (seconds); then they go on, so the app never seems frozen.
HOLD_LIMIT = 5.0
# How often a held key looks again (seconds).
HOLD_POLL = 0.005
# Rounds of "handle everything queued" before a key counts as done (each round can queue more:
# a key bubbles up one node a round, a pushed screen composes, then takes focus).
MAX_ROUNDS = 20
# Longest one round may take (seconds): a node closed mid-round never answers.
ROUND_LIMIT = 2.0
# Keys that edit a text box, besides the printable ones.
EDITING_KEYS = frozenset({"space", "backspace", "delete", "left", "right", "home", "end"})


def is_typing(app: App[Any], event: events.Key) -> bool:
    """Whether `event` edits the text box that has focus."""
    return isinstance(app.focused, Input) and (event.is_printable or event.key in EDITING_KEYS)


def is_quick(app: App[Any], event: events.Key) -> bool:
    """Whether `event` stays in the widget that has focus: typing in a text box, or a key the
    widget moves by (its `LOCAL_KEYS`: a list's arrows, a document's scrolling). Such keys
    cannot move the focus, so a run of them to one widget goes straight on; the widget keeps
    them in order itself (a list queues moves while it fetches a page)."""
    focused = app.focused
    local: frozenset[str] = getattr(focused, "LOCAL_KEYS", frozenset())
    return is_typing(app, event) or event.key in local


@runtime_checkable
class KeyGate(Protocol):
    """A screen that can ask for the next key to wait."""

    def holds_key(self, event: events.Key) -> bool:
        """True while `event` would act on something not there yet."""
        ...


class KeySequencer:
    """Routes the app's keys one by one (see the module's docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._queue: asyncio.Queue[events.Key] = asyncio.Queue()
        self._released: WeakSet[events.Key] = WeakSet()
        self._task: asyncio.Task[None] | None = None
        self._busy = False  # a key is being routed or waits to be

    def take(self, event: events.Key) -> bool:
        """Whether the app routes `event` now: True for a key this sequencer released; any
        other key is queued (False) and comes back released in its turn."""
        if event in self._released:
            self._released.discard(event)
            return True
        self._queue.put_nowait(event)
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="key sequencer")
        return False

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @property
    def idle(self) -> bool:
        """No key waiting to be routed (tests and benchmarks wait for this)."""
        return self._queue.empty() and not self._busy

    async def _run(self) -> None:
        quick_into: Widget | None = None  # the widget the last key went straight to
        while True:
            event = await self._queue.get()
            self._busy = True
            try:
                if not (is_quick(self.app, event) and self.app.focused is quick_into):
                    await self._settle()
                    await self._until_not_held(event)
                quick_into = self.app.focused if is_quick(self.app, event) else None
                self._released.add(event)
                self.app.post_message(event)
            finally:
                self._busy = False

    async def _until_not_held(self, event: events.Key) -> None:
        deadline = time.monotonic() + HOLD_LIMIT
        while time.monotonic() < deadline:
            try:
                screen = self.app.screen
            except Exception:  # no screen yet, or the app is closing
                return
            if not isinstance(screen, KeyGate) or not screen.holds_key(event):
                return
            await asyncio.sleep(HOLD_POLL)

    async def _settle(self) -> None:
        """Until the nodes a key travels through (the focused widget, its ancestors, the
        screen, the app) have handled every message queued for them: the key itself, and what
        it asked for there (a focus change, a screen pushed and composed). Not the rest of the
        screen: a pane redrawn or a chart updated does not decide where the next key goes."""
        for _ in range(MAX_ROUNDS):
            try:
                nodes = self._route()
            except Exception:  # the app is closing
                return
            # Queues empty before and after a whole round: a node suspended in the middle of a
            # handler (its queue empty) finished it during the round, having queued nothing.
            empty_before = all(node.message_queue_size == 0 for node in nodes)
            await _handled_so_far(nodes)
            if empty_before and all(node.message_queue_size == 0 for node in self._route()):
                return

    def _route(self) -> list[MessagePump]:
        """The app, its current screen, and the focused widget with its ancestors."""
        screen = self.app.screen
        focused = screen.focused
        chain = focused.ancestors_with_self if focused is not None else []
        return list(dict.fromkeys([self.app, screen, *chain]))


async def _handled_so_far(nodes: list[MessagePump]) -> None:
    """Wait until each node has handled what was in its queue when this was called."""
    left = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), ROUND_LIMIT)
