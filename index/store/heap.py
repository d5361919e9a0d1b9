"""Big arrays given back to the system as soon as they are freed, in a build's last steps.

glibc's malloc serves a block smaller than its mmap threshold from the heap, whose freed pages
mostly stay with the process; the threshold rises (up to 32 MiB) to the size of each mapped block
freed. A build's arrays soon push it up, so what follows its writes (the columns assembled, the
grouping's inputs joined, their fingerprints sorted by slice: blocks of 1-30 MB) comes from the
heap, and the space of each block let go is held on to while the next is made. Measured on
1M-quote builds: the builder's peak was 1,997 MB with glibc's moving threshold and 1,783 MB with
it fixed at 256 KiB after the commit (1,786-1,789 in two trial builds alike; 1,881 fixed for the
grouping alone), the grouping as fast (14-16 s).
Fixed for the whole build instead, the writers ran ~15% slower (100k quotes, in turns).

Elsewhere (not glibc, or no malloc_trim) this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterator

_M_MMAP_THRESHOLD = -3  # mallopt's parameter, from glibc's malloc.h
_SMALL = 256 * 1024
# Set back to glibc's ceiling for its moving threshold (64-bit): the heap then serves what it
# served before, and searches in this process allocate as fast as they did (a mapped block is
# zeroed page by page on first use).
_AFTER = 32 * 1024 * 1024


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # this process's own C library
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # musl has no malloc_trim
        return None
    return libc


@contextlib.contextmanager
def big_blocks_mapped() -> Iterator[None]:
    """Within: blocks of 256 KiB or more are mapped on their own, so freeing one gives it back."""
    libc = _glibc()
    if libc is None or not libc.mallopt(_M_MMAP_THRESHOLD, _SMALL):
        yield
        return
    try:
        yield
    finally:
        libc.mallopt(_M_MMAP_THRESHOLD, _AFTER)
        libc.malloc_trim(0)
