"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected legacy charset.

Line endings are normalised to "\n" here, once, so every reader and every offset the extractor
computes sees the same text. Nothing else in the text is changed.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from . import ReadError

# C0 controls other than tab, newline, form feed, carriage return (and ESC, seen in pasted
# terminal text). Many of them mean the bytes are not text at all.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_WESTERN_MESS = 0.1  # charset-normalizer's own "chaos" measure; clean text scores ~0
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes to text with "\n" line endings; ReadError for binary data.

    `declared` is the charset the file names for itself (an HTML meta tag); it is used when the
    bytes are not UTF-8 and decode cleanly with it.
    """
    text = _decode(data, declared)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes, declared: str | None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise ReadError(f"invalid {codec.upper()} text at byte {err.start}") from None
    if b"\x00" in data:
        raise ReadError("binary file (not text)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_declared(data, declared) or _decode_legacy(data)
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 1000):
        raise ReadError("binary file (not text)")
    return text


def _decode_declared(data: bytes, declared: str | None) -> str:
    if not declared:
        return ""
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return ""
    if codec.startswith(("utf-16", "utf-32")):
        return ""  # a BOM would have said so; these labels on 8-bit pages are wrong
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return ""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (<meta charset=...>), if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _decode_legacy(data: bytes) -> str:
    """Text that is not UTF-8: most often Windows-1252 or Latin-1 from old Western tools."""
    # charset-normalizer alone often reads short Western text as cp1250 ("à" becomes "ŕ"), so
    # Windows-1252 wins whenever its reading looks like clean text; other legacy charsets
    # (cp1251 Russian, cp1250 Polish) read as cp1252 look like mojibake and fall through.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = data.decode("latin-1")
    if mess_ratio(western[:65536], maximum_threshold=1.0) <= _WESTERN_MESS:
        return western
    best = from_bytes(data).best()
    if best is None:
        raise ReadError("binary file or unknown text encoding")
    return str(best)
