"""Near-duplicate texts among many: candidate pairs from fingerprints, then a word-level check.

`WordTable` holds every distinct text as word hashes (numpy, so 1M quotes fit in memory);
`candidate_pairs` finds the pairs worth aligning without comparing every pair; `relation` aligns
one pair with difflib and says whether they are near-duplicates or one a fragment of the other.

Words are hashed straight from the UTF-8 bytes of many texts at once (numpy), never split into
Python strings: at 1M quotes that is ~70M words. Fingerprints, all numpy-vectorised:
- winnowing (Schleimer et al., 2003) over word 5-gram hashes: the smallest hash of every window
  of `_WINDOW` consecutive 5-grams, so two texts sharing a run of MIN_FRAGMENT_WORDS words share
  at least one fingerprint. A pair is a candidate when it shares at least half of the shorter
  text's fingerprints (all of them, for a clean fragment).
- for short texts (DELETION_MAX_WORDS words or fewer), the hash of the word sequence and of it
  with each one word left out, so two short texts one dropped word apart share a key (a dropped
  word in a short text leaves no long shared run).
A key shared by more than `_MAX_POSTING` texts is a stock phrase and gives no pairs.
Memory, at 1M quotes: the words are 4 bytes each and hashed 500 KB of text at a time; the
fingerprints are kept and paired by slice of the key space (`_KeyParts`), so the sorting of
pairs holds a sixteenth of them at once (together ~1 GB less than sorting them all at once).

datasketch was measured first: building its MinHash costs ~180 us a quote (3 minutes at 1M
quotes before any LSH), and its LSH answers Jaccard similarity, which a short fragment of a long
transcript turn does not have.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

# Fewer words than this: only identical texts are grouped.
MIN_NEAR_WORDS = 5
# A fragment must have at least this many words to join a longer text ("the time has come" must
# not glue unrelated quotes together).
MIN_FRAGMENT_WORDS = 8
# Short texts get the leave-one-word-out keys. Longer ones one dropped word apart always share
# a run of MIN_FRAGMENT_WORDS words, hence a winnowing fingerprint.
DELETION_MAX_WORDS = 2 * MIN_FRAGMENT_WORDS

_SHINGLE = 5  # words per shingle
_WINDOW = MIN_FRAGMENT_WORDS - _SHINGLE + 1  # winnowing window, in shingles
_MAX_POSTING = 48
_CHUNK_WORDS = 500_000  # words fingerprinted at a time (small arrays, cache and heap friendly)
_CHUNK_BYTES = 500_000  # text hashed at a time: its arrays take ~50 bytes a byte of text
_SEED = 20240521
_WORD_BYTES = 4  # a word hash is a uint32

_EDITORIAL = re.compile(r"\[[^\]]*\]|<[^>]*>|\.\s*\.\s*\.|\u2026")
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|\u2026")
_WORD = re.compile(r"\w+(?:'\w+)*")
# Non-ASCII punctuation and spaces that NFKD leaves as they are.
_PUNCTUATION = (
    "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
    "\u2022\u00b7\u00a1\u00bf\u00a7\u00b6\u2020\u2021\u2030\u2032\u2033\u00a0\u3000\u3001\u3002"
    "\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\u060c\u061b\u061f\u0964"
)
_NEGATIONS = ("not", "no", "never", "nor", "neither", "nothing", "without", "cannot")

Relation = Literal["near", "fragment", ""]


def match_words(normalised: str) -> list[str]:
    """The words compared: editorial [insertions], <notes> and ellipses left out."""
    if "[" in normalised or "<" in normalised or "\u2026" in normalised or ".." in normalised:
        normalised = _EDITORIAL.sub(" ", normalised)
    return _WORD.findall(normalised)


@dataclass(slots=True)
class WordTable:
    """Distinct texts as runs of word hashes in one array."""

    words_hashed: np.ndarray  # uint32, every text's words one after the other
    starts: np.ndarray  # int64, where each text's words begin
    lengths: np.ndarray  # int64, words per text
    gaps: np.ndarray  # int64, ellipses in the text (it may leave words out there)

    @classmethod
    def build(cls, texts: Iterable[str]) -> WordTable:
        """From normalised texts (see grouping.normalise), `_CHUNK_BYTES` of text at a time."""
        hashed: list[np.ndarray] = []
        lengths: list[np.ndarray] = []
        gaps: list[int] = []
        batch: list[str] = []
        size = 0
        for text in texts:
            gaps.append(text.count("..") + text.count(". . ."))
            text = _prepare(text)
            batch.append(text)
            size += len(text) + 1
            if size >= _CHUNK_BYTES:
                _hash_words(batch, hashed, lengths)
                batch, size = [], 0
        if batch or not lengths:
            _hash_words(batch, hashed, lengths)
        length_array = np.concatenate(lengths)
        starts = np.zeros(len(length_array), dtype=np.int64)
        np.cumsum(length_array[:-1], out=starts[1:])
        words = _join(hashed, np.uint32)
        return cls(words, starts, length_array, np.array(gaps, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.lengths)

    def take(self, keep: np.ndarray) -> WordTable:
        """The texts where `keep` (a bool per text) is true, in order."""
        if keep.all():
            return self
        words = self.words_hashed[np.repeat(keep, self.lengths)]
        lengths = self.lengths[keep]
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        return WordTable(words, starts, lengths, self.gaps[keep])

    @classmethod
    def join(cls, tables: list[WordTable]) -> WordTable:
        """The texts of `tables`, one table after the other (`tables` is emptied)."""
        lengths = np.concatenate([t.lengths for t in tables] or [np.zeros(0, np.int64)])
        gaps = np.concatenate([t.gaps for t in tables] or [np.zeros(0, np.int64)])
        parts = [t.words_hashed for t in tables]
        tables.clear()
        words = _join(parts, np.uint32)
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        return cls(words, starts, lengths, gaps)

    def words(self, unit: int) -> list[int]:
        start = int(self.starts[unit])
        return self.words_hashed[start : start + int(self.lengths[unit])].tolist()

    def raw(self, unit: int) -> bytes:
        """The text's word hashes as bytes, for a fast containment test (`inside`)."""
        start = int(self.starts[unit])
        return self.words_hashed[start : start + int(self.lengths[unit])].tobytes()


def _join(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """`np.concatenate(parts)`, each part let go once copied (`parts` is emptied): the peak is
    the result and one part, not twice the result."""
    out: np.ndarray = np.empty(sum(len(part) for part in parts), dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
        del part
    return out


def inside(short: bytes, long: bytes) -> bool:
    """Whether the words of `short` appear, in a row, in `long` (both from `WordTable.raw`)."""
    at = long.find(short)
    while at != -1 and at % _WORD_BYTES:  # a match must start on a word
        at = long.find(short, at + 1)
    return at != -1


def word_hash(word: str) -> int:
    """The hash `WordTable` gives a word (for tests and the negation list)."""
    hashed: list[np.ndarray] = []
    _hash_words([_prepare(word)], hashed, [])
    return int(hashed[0][0]) if len(hashed[0]) == 1 else 0


def _prepare(text: str) -> str:
    """Editorial [insertions] and <notes> out; non-ASCII punctuation to spaces, so that every
    byte of 128 or more left in the UTF-8 text belongs to a letter or digit."""
    if "[" in text or "<" in text:
        text = _EDITORIAL.sub(" ", text)
    if not text.isascii():
        for mark in _PUNCTUATION:  # a few C scans beat str.translate with a dict
            if mark in text:
                text = text.replace(mark, " ")
    return text


# Word bytes: ASCII letters, digits, underscore, and every byte of a non-ASCII character.
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[128:] = True
_BYTE_WEIGHT = np.random.default_rng(_SEED + 1).integers(1, 2**63, size=(64,), dtype=np.uint64)


def _hash_words(texts: list[str], out: list[np.ndarray], lengths: list[np.ndarray]) -> None:
    """Append the word hashes of `texts` to `out` and their word counts to `lengths`.

    Vectorised over the bytes of all the texts joined by newlines: a word is a run of word
    bytes, with an apostrophe inside it ("we're") kept; its hash mixes each byte with a weight
    for its place in the word."""
    data = np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)
    word = _WORD_BYTE[data]
    apostrophe = np.flatnonzero(data[1:-1] == ord("'")) + 1
    inner = apostrophe[word[apostrophe - 1] & word[apostrophe + 1]]
    word[inner] = True
    begins = word.copy()
    begins[1:] &= ~word[:-1]
    first_byte = np.flatnonzero(begins)
    in_words = np.flatnonzero(word)
    word_of_byte = np.cumsum(begins)[in_words] - 1
    place = in_words - first_byte[word_of_byte]
    with np.errstate(over="ignore"):
        weighted = (data[in_words].astype(np.uint64) + np.uint64(1)) * _BYTE_WEIGHT[place & 63]
        offsets = np.flatnonzero(np.r_[True, word_of_byte[1:] != word_of_byte[:-1]])
        sums = np.add.reduceat(weighted, offsets) if len(in_words) else weighted[:0]
        offsets = offsets[: len(sums)]
        size = np.diff(np.r_[offsets, len(in_words)]).astype(np.uint64)
        # 32 bits a word: two of ~500k distinct words share a hash now and then, which can
        # only make two texts look a word closer; half the memory of 64 bits at 1M quotes.
        out.append(
            (_mix(sums + size * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)).astype(np.uint32)
        )
    if lengths is not None and texts:
        newlines = np.flatnonzero(data == ord("\n"))
        text_of_word = np.searchsorted(newlines, first_byte)
        lengths.append(np.bincount(text_of_word, minlength=len(texts)).astype(np.int64))
    elif lengths is not None:
        lengths.append(np.zeros(0, dtype=np.int64))


@dataclass(slots=True)
class Fingerprints:
    """Texts' fingerprints (key, unit), each pair once, units ascending: the winnowed shingles
    and, for short texts, the leave-one-word-out keys. A text's fingerprints depend on its
    words only, so they may be computed where its words are (a writer worker) and joined."""

    win_keys: np.ndarray  # uint64
    win_units: np.ndarray  # int32
    del_keys: np.ndarray  # uint64
    del_units: np.ndarray  # int32

    @classmethod
    def of(cls, table: WordTable) -> Fingerprints:
        """The fingerprints of every text of `table` (its units numbered as in the table)."""
        parts = list(_chunk_prints(table))
        return cls(
            *(
                np.concatenate([getattr(p, name) for p in parts] or [_EMPTY[name]])
                for name in ("win_keys", "win_units", "del_keys", "del_units")
            )
        )

    def take(self, keep: np.ndarray, number: np.ndarray) -> Fingerprints:
        """Those of the units where `keep` (a bool per unit), renumbered by `number`."""
        win, dels = keep[self.win_units], keep[self.del_units]
        return Fingerprints(
            self.win_keys[win],
            number[self.win_units[win]].astype(np.int32),
            self.del_keys[dels],
            number[self.del_units[dels]].astype(np.int32),
        )


_EMPTY = {
    "win_keys": np.zeros(0, np.uint64),
    "win_units": np.zeros(0, np.int32),
    "del_keys": np.zeros(0, np.uint64),
    "del_units": np.zeros(0, np.int32),
}


def _chunk_prints(table: WordTable) -> Iterator[Fingerprints]:
    """The fingerprints of `table`'s texts, `_CHUNK_WORDS` words of texts at a time."""
    eligible = table.lengths >= MIN_NEAR_WORDS
    rng = np.random.default_rng(_SEED)
    position = rng.integers(1, 2**63, size=DELETION_MAX_WORDS + 1, dtype=np.uint64)
    for lo, hi in _chunks(table.lengths):
        end = table.starts[hi - 1] + table.lengths[hi - 1]
        tokens = table.words_hashed[table.starts[lo] : end]
        lengths = table.lengths[lo:hi]
        keys, units = _distinct(*_winnow(tokens, lengths, eligible[lo:hi]))
        del_keys, del_units = _distinct(*_deletion_keys(tokens, lengths, eligible[lo:hi], position))
        yield Fingerprints(
            keys, (units + lo).astype(np.int32), del_keys, (del_units + lo).astype(np.int32)
        )


def candidate_pairs(
    table: WordTable, parts: int = 16, prints: list[Fingerprints] | None = None
) -> Iterator[tuple[int, int]]:
    """Pairs of texts (shorter, longer) worth aligning, grouped by the longer one.

    `prints`, the texts' fingerprints in parts, units ascending from part to part, when they
    were computed elsewhere (the list is emptied as they are used); else they are computed
    here, a chunk of texts at a time.
    The fingerprints are paired `parts` slices of the key space at a time: the same pairs as
    all at once, with a `parts`-th of the sorting arrays (at 1M quotes, ~1 GB less)."""
    n_units = len(table)
    eligible = table.lengths >= MIN_NEAR_WORDS
    if n_units < 2 or eligible.sum() < 2:
        return iter(())
    win, dels = _KeyParts(parts), _KeyParts(parts)
    fp_count = np.zeros(n_units, dtype=np.int64)
    if prints is not None:
        prints.reverse()
    chunks = _chunk_prints(table) if prints is None else _popping(prints)
    for part in chunks:
        if len(part.win_units):
            lo = int(part.win_units[0])  # units ascending: the part's first and last
            counts = np.bincount(part.win_units - lo)
            fp_count[lo : lo + len(counts)] += counts
        win.add(part.win_keys, part.win_units)
        dels.add(part.del_keys, part.del_units)
        del part
    win_pairs, shared = win.pairs(n_units)
    u, v = win_pairs // n_units, win_pairs % n_units
    # Half the shorter text's fingerprints, less those an ellipsis may have cost it (the
    # windows across each gap, two at most).
    short = np.where(table.lengths[u] <= table.lengths[v], u, v)
    enough = shared * 2 >= fp_count[short] - 4 * table.gaps[short]
    del_pairs, _ = dels.pairs(n_units)
    candidates = np.union1d(win_pairs[enough], del_pairs)
    first, second = candidates // n_units, candidates % n_units
    swap = table.lengths[first] > table.lengths[second]
    shorter = np.where(swap, second, first)
    longer = np.where(swap, first, second)
    order = np.lexsort((shorter, longer))
    return zip(shorter[order].tolist(), longer[order].tolist(), strict=True)


def _popping(items: list[Fingerprints]) -> Iterator[Fingerprints]:
    """`items` from the last to the first, each let go once used."""
    while items:
        yield items.pop()


def _chunks(lengths: np.ndarray) -> Iterator[tuple[int, int]]:
    """Unit ranges [lo, hi) of about _CHUNK_WORDS words (at least one unit each)."""
    ends = np.cumsum(lengths)
    lo = 0
    while lo < len(lengths):
        base = ends[lo - 1] if lo else 0
        hi = int(np.searchsorted(ends, base + _CHUNK_WORDS, side="right"))
        hi = max(hi, lo + 1)
        yield lo, hi
        lo = hi


def _distinct(keys: np.ndarray, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (key, unit) of a chunk once (a text repeating a phrase has a fingerprint twice)."""
    order = np.lexsort((keys, units))
    keys, units = keys[order], units[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (units[1:] != units[:-1])
    return keys[keep], units[keep]


class _KeyParts:
    """Fingerprints (key, unit) kept by slice of the key space (the key's top bits), each slice
    sorted by key: all the units of one key are in one slice, which is paired on its own."""

    def __init__(self, parts: int) -> None:
        self.shift = np.uint64(64 - max(0, int(parts - 1).bit_length()))
        self.parts = 1 << (64 - int(self.shift))
        self.keys: list[list[np.ndarray]] = [[] for _ in range(self.parts)]
        self.units: list[list[np.ndarray]] = [[] for _ in range(self.parts)]

    def add(self, keys: np.ndarray, units: np.ndarray, offset: int = 0) -> None:
        """One chunk's fingerprints, each (key, unit) once, units ascending; `offset` is added
        to its units."""
        order = np.argsort(keys, kind="stable")  # by key, then unit
        keys = keys[order]
        units = (units[order] + offset).astype(np.int32)
        part = (keys >> self.shift) if self.parts > 1 else np.zeros(len(keys), np.uint64)
        bounds = np.searchsorted(part, np.arange(self.parts + 1, dtype=np.uint64))
        bounds[-1] = len(keys)
        for p in range(self.parts):
            lo, hi = int(bounds[p]), int(bounds[p + 1])
            if hi > lo:
                self.keys[p].append(keys[lo:hi].copy())
                self.units[p].append(units[lo:hi].copy())

    def pairs(self, n_units: int) -> tuple[np.ndarray, np.ndarray]:
        """`_pairs_sharing` over every slice (the slices are let go as they are paired)."""
        codes, counts = [], []
        for p in range(self.parts):
            keys, units = _shared(self.keys[p], self.units[p])
            self.keys[p], self.units[p] = [], []
            c, n = _pairs_sharing(keys, units, n_units)
            codes.append(c)
            counts.append(n)
        if not codes:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        all_codes = np.concatenate(codes)
        unique, inverse = np.unique(all_codes, return_inverse=True)
        shared = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(unique))
        return unique, shared.astype(np.int64)


def _shared(keys: list[np.ndarray], units: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The (key, unit) whose key more than one text has, sorted by key. Most keys belong to one
    text only: they go first, so that the big sort runs on few."""
    if not keys:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    all_keys = np.concatenate(keys)
    ordered = np.sort(all_keys)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    del ordered
    if len(repeated) == 0:
        return all_keys[:0], np.concatenate(units)[:0]
    at = np.searchsorted(repeated, all_keys)
    keep = repeated[np.minimum(at, len(repeated) - 1)] == all_keys
    del at
    all_keys, all_units = all_keys[keep], np.concatenate(units)[keep]
    order = np.argsort(all_keys, kind="stable")
    return all_keys[order], all_units[order]


def _mix(h: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, so that minima and sums of hashes are well spread."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _local_positions(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each word of a chunk: its unit (0-based in the chunk) and its place in that unit."""
    unit = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.cumsum(lengths) - lengths
    return unit, np.arange(int(lengths.sum())) - starts[unit]


def _winnow(
    tokens: np.ndarray, lengths: np.ndarray, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed shingle fingerprints (key, unit), units ascending."""
    n_sh = np.where(eligible, np.maximum(lengths - _SHINGLE + 1, 0), 0)
    unit, local = _local_positions(lengths)
    pos = np.flatnonzero(local < n_sh[unit])
    with np.errstate(over="ignore"):
        h = np.zeros(len(pos), dtype=np.uint64)
        for offset in range(_SHINGLE):
            h = _mix(h + tokens[pos + offset].astype(np.uint64))
    sh_unit, sh_local = unit[pos], local[pos]
    del unit, local, pos
    # Shingles unit after unit, each unit followed by _WINDOW - 1 sentinels, so that no window
    # spans two units.
    pad_start = np.cumsum(n_sh + _WINDOW - 1) - (n_sh + _WINDOW - 1)
    padded = np.full(int(n_sh.sum()) + len(lengths) * (_WINDOW - 1), np.iinfo(np.uint64).max)
    padded = padded.astype(np.uint64)
    padded[pad_start[sh_unit] + sh_local] = h
    # A window starts at every shingle with a full window after it; a unit with fewer shingles
    # than a window has one window over all of them.
    keep = (sh_local <= n_sh[sh_unit] - _WINDOW) | ((sh_local == 0) & (n_sh[sh_unit] < _WINDOW))
    w_start = pad_start[sh_unit[keep]] + sh_local[keep]
    w_unit = sh_unit[keep]
    best, chosen = padded[w_start], w_start.copy()
    for offset in range(1, _WINDOW):
        value = padded[w_start + offset]
        better = value <= best  # the rightmost minimum, as winnowing prescribes
        best = np.where(better, value, best)
        chosen = np.where(better, w_start + offset, chosen)
    # Neighbouring windows mostly choose the same shingle.
    new = np.ones(len(chosen), dtype=bool)
    new[1:] = chosen[1:] != chosen[:-1]
    return padded[chosen[new]], w_unit[new]


def _deletion_keys(
    tokens: np.ndarray, lengths: np.ndarray, eligible: np.ndarray, position: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Short texts: the hash of the word sequence and of it with each word left out (key, unit),
    units ascending. Two texts one dropped word apart share a key; so do two with one word
    replaced."""
    short = eligible & (lengths <= DELETION_MAX_WORDS)
    unit, local = _local_positions(lengths)
    take = short[unit]
    unit, local, tok = unit[take], local[take], tokens[take].astype(np.uint64)
    if len(unit) == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    lens = lengths[short]
    first = np.cumsum(lens) - lens
    last = first + lens - 1
    index = np.repeat(np.arange(len(lens)), lens)  # which short unit each word belongs to
    with np.errstate(over="ignore"):
        a = tok * position[local]  # the word at its own place
        b = tok * position[np.maximum(local - 1, 0)]  # the word one place to the left
        ca, cb = np.cumsum(a), np.cumsum(b)
        before = ca[first] - a[first]
        # Leaving word d out: the words before d in place, the words after it shifted left.
        left_out = _mix((ca - a - before[index]) + (cb[last][index] - cb))
        whole = _mix(ca[last] - before)
    keys = np.empty(len(left_out) + len(whole), dtype=np.uint64)
    owners = np.empty(len(keys), dtype=np.int64)
    # Each unit's whole-sequence key after its left-out keys, units ascending.
    slot = np.arange(len(left_out)) + index
    keys[slot], owners[slot] = left_out, unit
    whole_slot = last + np.arange(len(lens)) + 1
    keys[whole_slot], owners[whole_slot] = whole, np.flatnonzero(short)
    return keys, owners


def _pairs_sharing(
    keys: np.ndarray, units: np.ndarray, n_units: int
) -> tuple[np.ndarray, np.ndarray]:
    """Unit pairs (encoded u * n_units + v, u < v) sharing a key, and how many keys they share.
    `keys` sorted, each (key, unit) once."""
    empty = np.zeros(0, dtype=np.int64)
    if len(keys) < 2:
        return empty, empty
    boundary = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True])
    run_start, run_size = boundary[:-1], np.diff(boundary)
    ok = (run_size >= 2) & (run_size <= _MAX_POSTING)
    run_start, run_size = run_start[ok], run_size[ok]
    if len(run_start) == 0:
        return empty, empty
    # Every member of a run paired with each member after it.
    member = np.repeat(run_start, run_size) + _ranges(run_size)
    after = np.repeat(run_start + run_size, run_size) - member - 1
    left = np.repeat(member, after)
    right = left + 1 + _ranges(after)
    u, v = units[left].astype(np.int64), units[right].astype(np.int64)
    codes = np.minimum(u, v) * n_units + np.maximum(u, v)
    return np.unique(codes, return_counts=True)


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..size-1 for each size, concatenated."""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)


NEGATIONS = frozenset(word_hash(w) for w in _NEGATIONS)


def relation(matcher: difflib.SequenceMatcher[int], short_skips: bool) -> Relation:
    """How two word sequences relate: near-duplicates, a fragment of the longer, or neither.

    `matcher` holds the shorter sequence as its first and the longer as its second.
    `short_skips`: the shorter has an ellipsis, so it may leave out words of the longer.
    Texts of 20 words or more may differ by replaced words (two translations of one speech);
    shorter ones only by dropped words: "the appointment of O. Tupytsky" is not "of O. Kasminin".
    """
    short, long = matcher.a, matcher.b  # type: ignore[attr-defined]  # set by set_seqs
    ls, ll = len(short), len(long)
    if ls < MIN_NEAR_WORDS:
        return ""
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return ""
    matched = sum(b.size for b in blocks)
    if matched == ls == ll:
        return "near"
    # Near-duplicates: about one word in ten differs, at least one. A dropped "not" turns a
    # statement into its opposite.
    if _cost(ls - matched, ll - matched, ll) <= max(1, ll // 10):
        differing = _unmatched(short, [(b.a, b.size) for b in blocks])
        differing += _unmatched(long, [(b.b, b.size) for b in blocks])
        if not NEGATIONS.intersection(differing):
            return "near"
    if ls < MIN_FRAGMENT_WORDS:
        return ""
    # A fragment: the run of matching blocks around the longest one, inside the longer text and
    # not the whole of it, one word in ten differing at most. Where the fragment has an ellipsis,
    # words of the longer text may be left out between the blocks.
    max_gap = 2 * ls if short_skips else max(2, ls // 10)
    usable = [b for b in blocks if b.size >= 3] if short_skips else blocks
    if not usable:
        return ""
    anchor = max(range(len(usable)), key=lambda i: usable[i].size)
    first = last = anchor
    while first > 0 and _close(usable[first - 1], usable[first], max_gap):
        first -= 1
    while last < len(usable) - 1 and _close(usable[last], usable[last + 1], max_gap):
        last += 1
    cluster = usable[first : last + 1]
    matched = sum(b.size for b in cluster)
    span = cluster[-1].b + cluster[-1].size - cluster[0].b
    if span >= ll:
        return ""
    gaps = 0 if short_skips else span - matched
    if _cost(ls - matched, gaps, ls) > ls // 10:
        return ""
    return "fragment"


def _cost(missing: int, extra: int, length: int) -> int:
    """Words that differ; a replaced word counts once, and only in texts of 20 words or more."""
    return max(missing, extra) if length >= 20 else missing + extra


def _close(left: difflib.Match, right: difflib.Match, max_gap: int) -> bool:
    return right.b - (left.b + left.size) <= max_gap and right.a - (left.a + left.size) <= max_gap


def _unmatched(words: list[int], blocks: list[tuple[int, int]]) -> list[int]:
    matched = [False] * len(words)
    for start, size in blocks:
        matched[start : start + size] = [True] * size
    return [w for w, m in zip(words, matched, strict=True) if not m]
