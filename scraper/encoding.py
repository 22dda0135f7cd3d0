"""Turning response bytes into text: HTTP header, then `<meta charset>` / `http-equiv`, then the XML
declaration, then detection (charset-normalizer), then the site's fallback; a declaration the bytes
contradict (UTF-8 over windows-1251 bytes, or the reverse) gives way to what the bytes are.

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


def _single_byte(charset: str) -> bool:
    """A legacy one-byte-per-character codec (windows-1251, koi8-r, latin-1 …)."""
    return codecs.lookup(charset).name in _SINGLE_BYTE


# Legacy codecs a page may name; Cyrillic or Latin text in them is never valid UTF-8 with multibyte runs.
_SINGLE_BYTE = frozenset(
    codecs.lookup(name).name
    for name in ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic", "latin-1", "cp1252", "iso8859-15")
)


def _utf8_state(body: bytes) -> str:
    """"ascii", "valid" (UTF-8 with multibyte characters) or "invalid"."""
    if body.isascii():
        return "ascii"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid"
    return "valid"


def _mostly_not_utf8(body: bytes) -> bool:
    """Whether the bytes are another encoding altogether rather than UTF-8 with a few broken characters
    (which decode to U+FFFD and keep the rest of the page)."""
    errors = body.decode("utf-8", errors="replace").count("\ufffd")
    non_ascii = len(body) - len(body.decode("ascii", errors="ignore"))
    return errors > max(8, non_ascii // 20)


def _detected(body: bytes, fallback: str) -> str:
    best = from_bytes(body[:65536]).best()
    if best is not None and best.encoding:
        return _known(best.encoding) or fallback
    return fallback


def _charset(body: bytes, header_charset: str | None, fallback: str) -> tuple[str, str]:
    """(codec, the body's UTF-8 state): see `detect_charset`."""
    header = _known(header_charset)
    page = sniff_charset(body)
    declared = header or page
    state = _utf8_state(body)
    if declared is None:
        return ("utf-8" if state != "invalid" else _detected(body, fallback)), state
    if declared != "utf-8" and state == "valid" and _single_byte(declared):
        return "utf-8", state  # mislabelled: a one-byte codec's Cyrillic never forms valid UTF-8
    if declared == "utf-8" and state == "invalid" and _mostly_not_utf8(body):
        other = page if page not in (None, "utf-8") else None
        return other or _detected(body, fallback), state
    return declared, state


def detect_charset(body: bytes, header_charset: str | None = None, fallback: str = "utf-8") -> str:
    """The codec to decode `body` with, in the order described in the module docstring, where the bytes
    agree: a declared one-byte codec over valid multibyte UTF-8 is a mislabel (UTF-8 wins), and a
    declared UTF-8 over bytes that are mostly not UTF-8 yields to the page's own meta charset, else to
    detection. A wrong header on the server then costs nothing."""
    return _charset(body, header_charset, fallback)[0]


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
    charset, state = _charset(body, header_charset, fallback)
    if charset == "utf-8" and state != "invalid" and not body.startswith(codecs.BOM_UTF8):
        return body
    return body.decode(charset, errors="replace").lstrip("\ufeff")
