"""heap.py: within `big_blocks_mapped`, a freed big array is given back to the system at once."""

from __future__ import annotations

import os

import numpy as np
import pytest
from nato_browse.index.store import heap

pytestmark = pytest.mark.skipif(heap._glibc() is None, reason="glibc's malloc only")

_MB = 1024 * 1024


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / _MB


def _freed_between_kept() -> float:
    """MB given back when every other one of 120 arrays of 1 MiB is let go (the kept ones hold
    the heap's freed space in place: only mapped blocks can go back)."""
    arrays = [np.ones(_MB // 8) for _ in range(120)]
    before = _resident_mb()
    del arrays[::2]
    freed = before - _resident_mb()
    del arrays
    return freed


def test_freed_big_arrays_go_back_within() -> None:
    # A build has pushed glibc's moving threshold up before grouping: so does this.
    pushed = np.ones(30 * _MB // 8)
    del pushed
    held = _freed_between_kept()
    with heap.big_blocks_mapped():
        given = _freed_between_kept()
    assert given > 50, (held, given)  # 60 MiB let go
    assert held < 20, (held, given)  # the same arrays, on the heap: kept by the process


def test_searches_after_allocate_from_the_heap_again() -> None:
    with heap.big_blocks_mapped():
        pass
    assert _freed_between_kept() < 20
