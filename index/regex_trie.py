"""One regular expression for many words, shaped as a trie.

Python's `re` tries the branches of an alternation one by one; words that share their first
letters share one branch here, so a scan over thousands of keywords costs a few comparisons a
position rather than one a keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def trie_pattern(words: Iterable[Sequence[str]]) -> str:
    """A pattern matching any of `words`, each given as its regex atoms (one per character:
    `list(re.escape(c) for c in word)` for plain text); a word that is the start of another
    is matched as the longer one first, as itself on backtracking."""
    trie: dict[str, Any] = {}
    for atoms in words:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}  # end of a word
    return _node_pattern(trie) if trie else "(?!)"


def _node_pattern(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [atom + _node_pattern(child) for atom, child in node.items() if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # optional and greedy: the longer word first, this one on backtracking
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body
