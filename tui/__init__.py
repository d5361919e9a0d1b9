"""The nato-browse app (Textual) and the `nato-browse` command line.

The core they use is `nato_browse.index`, through its public API only.
"""
