"""Telling an HTML page from anything else before extraction is attempted.

Extraction never fails on a broken page, so the decision "this is not a page at all" (an image, a
PDF, a JSON file given by mistake) has to be taken up front, to give the user a clear error.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.IGNORECASE)
_SNIFF_BYTES = 65536


def looks_like_html(data: bytes) -> bool:
    """True for bytes that start like an HTML document or fragment (no NULs, known tags early on)."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return False
    return _MARKUP.search(head) is not None
