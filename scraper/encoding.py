"""Turning response bytes into text: HTTP header, then `<meta charset>` / `http-equiv`, then the XML
declaration, then detection (charset-normalizer), then the site's fallback.

DLE up to version 12 served windows-1251 by default, so guessing UTF-8 would garble whole pages.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
_SNIFF_BYTES = 4096


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header, if it names a known codec."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return _known(match.group(1)) if match else None


def sniff_charset(body: bytes) -> str | None:
    """The charset the document declares about itself (BOM, meta tag or XML declaration)."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    head = body[:_SNIFF_BYTES]
    for pattern in (_META_CHARSET, _XML_DECL):
        match = pattern.search(head)
        if match:
            found = _known(match.group(1).decode("ascii", "replace"))
            if found:
                return found
    return None


def detect_charset(body: bytes, header_charset: str | None = None, fallback: str = "utf-8") -> str:
    """The codec to decode `body` with, in the order described in the module docstring."""
    declared = _known(header_charset) or sniff_charset(body)
    if declared:
        return declared
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:65536]).best()
    if best is not None and best.encoding:
        return _known(best.encoding) or fallback
    return fallback


def decode_body(body: bytes, header_charset: str | None = None, fallback: str = "utf-8") -> str:
    """Decode a response body; undecodable bytes become U+FFFD rather than an exception."""
    charset = detect_charset(body, header_charset, fallback)
    return body.decode(charset, errors="replace").lstrip("\ufeff")


def markup_for_parser(body: bytes, header_charset: str | None = None, fallback: str = "utf-8") -> str | bytes:
    """What the HTML parser is given: the text `decode_body` gives, or the same text still as UTF-8 bytes.

    The parser works on UTF-8 and encodes any text it is given; valid UTF-8 bytes without a BOM parse
    to the same tree, which saves decoding and encoding every page again. Invalid bytes are decoded
    here instead: lexbor keeps them raw and its text reads may join two nodes' broken sequences.
    """
    charset = detect_charset(body, header_charset, fallback)
    if charset == "utf-8" and not body.startswith(codecs.BOM_UTF8):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return body
    return body.decode(charset, errors="replace").lstrip("\ufeff")
