"""Opening a source url in the person's web browser, never a text browser that would take over
the terminal the app is drawn in."""

from __future__ import annotations

import webbrowser

# Browsers that run inside the terminal; launching one would fight the app for the screen.
CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "links2"})


def open_in_browser(url: str) -> str:
    """Open `url`; "" when a browser was started, else one line saying why not."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no web browser found"
    if getattr(browser, "name", "") in CONSOLE_BROWSERS:
        return "only a text-mode browser is available"
    try:
        started = browser.open(url, new=2)
    except Exception as exc:  # a broken browser setting must not end the app
        return f"the browser failed: {exc}"
    return "" if started else "the browser did not start"
