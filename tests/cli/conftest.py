"""Fixtures of the command-line tests."""

from __future__ import annotations
