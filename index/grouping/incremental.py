"""Regrouping after an update, without regrouping everything.

A run that adds a few documents to a big index (or drops a few) changes few groups: those of
the quotes removed, and those the new quotes join. `update_groups` regroups only those:
`assign_groups` over the new quotes, their candidate partners among the indexed quotes (which
the caller finds by the normalised text's key, and through the quote text's postings: quotes
sharing three of its six rarest words), and every member of a group either touches. Every other
group keeps its number.

The one difference from regrouping everything: a new quote is compared only with those
candidates (every repeat; a near-duplicate or a fragment sharing its rare words; not one that
differs from it only in common words). The next full regroup (a run that rewrites a fifth of
the index or more) finds those too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..model import Quote
from .groups import assign_groups

# Beyond this many quotes to regroup, the caller regroups everything instead.
MAX_LOCAL = 50_000


def update_groups(
    group: np.ndarray,
    live: np.ndarray,
    lost_groups: np.ndarray,
    candidates: Callable[[np.ndarray], np.ndarray],
    quote: Callable[[int], Quote],
) -> np.ndarray | None:
    """The group number of every document after the update, or None (regroup everything).

    `group`: the previous group of each live document carried over, -1 for the new ones.
    `lost_groups`: groups that lost a member (deleted, or rewritten into a new segment).
    `candidates(docs)`: indexed documents that may say the same words as any of `docs`.
    """
    fresh = np.flatnonzero(live & (group < 0))
    if not len(fresh) and not len(lost_groups):
        return group
    partners = candidates(fresh) if len(fresh) else np.zeros(0, np.int64)
    partners = partners[live[partners] & (group[partners] >= 0)]
    touched = np.union1d(np.unique(group[partners]), lost_groups)
    members = np.flatnonzero(live & np.isin(group, touched)) if len(touched) else fresh[:0]
    local = np.union1d(fresh, members)
    if len(local) > MAX_LOCAL:
        return None
    numbers = np.asarray(assign_groups([quote(int(d)) for d in local]), dtype=np.int64)
    out = group.astype(np.int64).copy()
    out[local] = int(group.max(initial=-1)) + 1 + numbers
    return out
