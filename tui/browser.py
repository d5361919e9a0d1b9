"""Opening a source url in the person's web browser, never a text browser that would take over
the terminal the app is drawn in."""

from __future__ import annotations

import webbrowser
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit

from nato_browse.index import clean_line

# Browsers that run inside the terminal; launching one would fight the app for the screen.
CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "links2"})


def open_in_browser(url: str) -> str:
    """Open `url`; "" when a browser was started, else one line saying why not.

    Only a web address is opened: a document's url could as well be `file:///etc/passwd`, a
    `javascript:` or a custom scheme that starts a program."""
    url = web_url(url)
    if not url:
        return "only http and https links are opened"
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no web browser found"
    if getattr(browser, "name", "") in CONSOLE_BROWSERS:
        return "only a text-mode browser is available"
    try:
        started = browser.open(url, new=2)
    except Exception as exc:  # a broken browser setting must not end the app
        return f"the browser failed: {clean_line(str(exc))}"
    return "" if started else "the browser did not start"


def web_url(url: str) -> str:
    """`url` when it is an http(s) address, percent-encoded so it cannot break out of a Markdown
    link; "" for anything else (javascript:, file:, data:, a relative path)."""
    url = clean_line(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return percent_encode(url, safe=":/?#[]@!$&'*+,;=%~-._")
