"""The small LRU caches the searcher keeps per committed state of the index."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, TypeVar

_T = TypeVar("_T")


def lru_put(cache: OrderedDict[Any, Any], key: object, value: _T, size: int) -> _T:
    """Store `value` under `key`, dropping the least recently stored entry beyond `size`."""
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)
    return value
