"""Fetch stage, reading a response body under a size cap.

The body is read from the wire undecoded and decompressed here, a bounded piece at a time, so the cap
holds for both the bytes received and the bytes they expand to: a gzip bomb stops at the cap instead
of being inflated whole in memory. Takes a streaming httpx response, hands on the decoded bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from scraper.errors import FetchError, TooLargeError

#: Content-Encodings this reader undoes (and so the only ones the fetcher advertises).
SUPPORTED_ENCODINGS = ("gzip", "deflate")
ACCEPT_ENCODING = ", ".join(SUPPORTED_ENCODINGS)


@dataclass(frozen=True, slots=True)
class Body:
    """A body as received (`raw`, still content-coded: what the WARC keeps) and decoded (`data`)."""

    raw: bytes
    data: bytes


class IncompleteBodyError(Exception):
    """The compressed stream ended before its end marker (a truncated body)."""


class _Inflater:
    """Undo one Content-Encoding, never producing more than the caller's budget per call."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate = False
        self._obj = self._new()
        self._started = False

    def _new(self) -> zlib._Decompress:
        if self._encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes, budget: int) -> list[bytes]:
        """Decompress `data`, stopping once more than `budget` bytes came out."""
        out: list[bytes] = []
        produced = 0
        while data and produced <= budget:
            try:
                piece = self._obj.decompress(data, budget - produced + 1)
            except zlib.error:
                # Some servers send raw deflate under "deflate"; only a first chunk can tell.
                if self._encoding == "deflate" and not self._started and not self._raw_deflate:
                    self._raw_deflate = True
                    self._obj = self._new()
                    continue
                raise
            self._started = True
            out.append(piece)
            produced += len(piece)
            if self._obj.eof:
                # Concatenated gzip members are one body.
                data = self._obj.unused_data
                if data:
                    self._obj = self._new()
            else:
                data = self._obj.unconsumed_tail
        return out

    def finish(self) -> bytes:
        if not self._obj.eof:
            raise IncompleteBodyError(f"{self._encoding} stream ended early")
        return self._obj.flush()


def parse_content_encoding(value: str | None) -> str | None:
    """The one Content-Encoding to undo (None for identity); FetchError-worthy values raise ValueError."""
    codings = [c.strip().lower() for c in (value or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if len(codings) > 1:
        raise ValueError(f"stacked Content-Encoding {value!r} is not supported")
    coding = "gzip" if codings[0] == "x-gzip" else codings[0]
    if coding not in SUPPORTED_ENCODINGS:
        raise ValueError(f"Content-Encoding {coding!r} is not supported")
    return coding


async def read_capped(chunks: AsyncIterator[bytes], content_encoding: str | None, max_bytes: int, url: str) -> Body:
    """Read raw `chunks`, undo `content_encoding`, and raise TooLargeError past `max_bytes` either way.

    Raises:
        TooLargeError: more than `max_bytes` received or decompressed.
        FetchError: an unsupported or corrupt Content-Encoding.
        IncompleteBodyError: a compressed stream cut short (the caller treats it as a truncated body).
    """
    try:
        coding = parse_content_encoding(content_encoding)
    except ValueError as exc:
        raise FetchError(url, str(exc)) from exc
    inflater = _Inflater(coding) if coding else None
    raw: list[bytes] = []
    parts: list[bytes] = []
    received = 0
    produced = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > max_bytes:
            raise TooLargeError(url, f"body larger than {max_bytes} bytes")
        raw.append(chunk)
        if inflater is None:
            produced = received
            continue
        try:
            pieces = inflater.feed(chunk, max_bytes - produced)
        except zlib.error as exc:
            raise FetchError(url, f"corrupt {coding} body: {exc}") from exc
        produced += sum(len(p) for p in pieces)
        if produced > max_bytes:
            raise TooLargeError(url, f"body expands to more than {max_bytes} bytes ({coding})")
        parts.extend(pieces)
    raw_bytes = b"".join(raw)
    if inflater is None:
        return Body(raw=raw_bytes, data=raw_bytes)
    if received:
        tail = inflater.finish()
        if produced + len(tail) > max_bytes:
            raise TooLargeError(url, f"body expands to more than {max_bytes} bytes ({coding})")
        parts.append(tail)
    return Body(raw=raw_bytes, data=b"".join(parts))
