"""Telling an HTML page from anything else before extraction is attempted.

Extraction never fails on a broken page, so the decision "this is not a page at all" (an image, a
PDF, a JSON file given by mistake) has to be taken up front, to give the user a clear error.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.IGNORECASE)
_SNIFF_BYTES = 65536
# Control bytes text never holds (tab, line feed, form feed and carriage return are text's own).
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))
# A page may carry a few stray control bytes (a NUL an editor pasted, a damaged transfer), at most
# one in a hundred bytes; binary files (images, PDFs, archives) carry several in a hundred.
_MAX_CONTROL_SHARE = 100
_MIN_CONTROL_ALLOWANCE = 4


def looks_like_html(data: bytes) -> bool:
    """True for bytes that start like an HTML document or fragment: known tags early on and, if there
    is a NUL byte, no more control bytes than a damaged page has (see _MAX_CONTROL_SHARE)."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls > max(_MIN_CONTROL_ALLOWANCE, len(head) // _MAX_CONTROL_SHARE):
            return False
    return _MARKUP.search(head) is not None
