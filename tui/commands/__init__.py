"""The command palette's providers and the actions they run.

Filters, speaker views and saved searches.
"""
