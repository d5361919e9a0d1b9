"""heap.py: within `big_blocks_mapped`, a freed big array is given back to the system at once.

Measured in a fresh process each: glibc serves a big block from free space the heap already
holds before it maps a new one, so after other tests (the grouping's leave tens of MB free in
the heap) the same arrays come from the heap and stay with the process either way.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nato_browse.index.store import heap

pytestmark = pytest.mark.skipif(heap._glibc() is None, reason="glibc's malloc only")

_PROBE = """
import json, os, sys
import numpy as np
from nato_browse.index.store import heap

MB = 1024 * 1024

def resident_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB

def freed_between_kept():
    # MB given back when every other one of 120 arrays of 1 MiB is let go (the kept ones hold
    # the heap's freed space in place: only mapped blocks can go back).
    arrays = [np.ones(MB // 8) for _ in range(120)]
    before = resident_mb()
    del arrays[::2]
    freed = before - resident_mb()
    del arrays
    return freed

# A build has pushed glibc's moving threshold up before grouping: so does this.
pushed = np.ones(30 * MB // 8)
del pushed
held = freed_between_kept()
with heap.big_blocks_mapped():
    within = freed_between_kept()
after = freed_between_kept()
print(json.dumps({"held": held, "within": within, "after": after}))
"""


@pytest.fixture(scope="module")
def freed() -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout)


def test_freed_big_arrays_go_back_within(freed: dict[str, float]) -> None:
    assert freed["within"] > 50, freed  # 60 MiB let go
    assert freed["held"] < 20, freed  # the same arrays, on the heap: kept by the process


def test_searches_after_allocate_from_the_heap_again(freed: dict[str, float]) -> None:
    assert freed["after"] < 20, freed
