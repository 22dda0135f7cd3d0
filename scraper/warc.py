"""Raw archive: every response the fetch stage receives, with its request, as WARC records.

The fetch stage hands each complete response to WarcWriter, which appends a response record and its
request record (warcio, one gzip member per record) to a rotating file under `data/warc/` and returns
a WarcRef (file name, offset, length of the response record) that the store keeps beside the page.
`iter_warc_responses` and `read_warc_response` give the responses back for re-extraction without
touching the network.

Crash safety: the two records of one exchange are built in memory and written with one `write` and a
flush, so a `kill -9` can tear at most the last exchange of a file. A writer never appends to an
existing file (each run opens new ones), and reading stops at a torn tail with a warning, keeping
every record before it.

Integrity on read: a record is given back only whole. Its gzip member must decompress completely
(CRC and length), its block must be as long as its Content-Length, and block and payload must match
the WARC-Block-Digest and WARC-Payload-Digest warcio wrote (sha1); anything else is a WarcRecordError,
never a shorter or altered page.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import logging
import os
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

log = logging.getLogger(__name__)

DEFAULT_FILE_PREFIX = "newsarchive"
#: A file is closed and a new one started once it reaches this size.
DEFAULT_MAX_FILE_BYTES = 1_000_000_000
WARC_SUFFIX = ".warc.gz"
SOFTWARE = "newsarchive (warcio)"
#: Hop-by-hop framing the stored body no longer has (httpx has already de-chunked it).
_FRAMING_HEADERS = frozenset({"transfer-encoding"})
_GZIP_MAGIC = b"\x1f\x8b"

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class WarcRef:
    """Where a response record lives: file name (relative to the WARC directory), byte offset, length."""

    file: str
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class WarcResponse:
    """One archived response as re-extraction needs it; `body` has its Content-Encoding undone."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str
    ref: WarcRef


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_from_warc_date(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(timespec="seconds")


class WarcWriter:
    """Appends request/response pairs to rotating `.warc.gz` files in `directory`; thread-safe."""

    def __init__(
        self,
        directory: Path,
        *,
        prefix: str = DEFAULT_FILE_PREFIX,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        fsync: bool = False,
    ) -> None:
        self.directory = Path(directory)
        self._prefix = prefix
        self._max_file_bytes = max_file_bytes
        self._fsync = fsync
        self._lock = threading.Lock()
        self._file: io.BufferedWriter | None = None
        self._name = ""
        self._serial = 0

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._close_file()

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open_file(self) -> io.BufferedWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            name = f"{self._prefix}-{stamp}-{self._serial:05d}{WARC_SUFFIX}"
            try:
                handle = open(self.directory / name, "xb")  # noqa: SIM115 - kept open across writes
            except FileExistsError:
                continue
            break
        self._file = handle
        self._name = name
        info = io.BytesIO()
        writer = WARCWriter(info, gzip=True)
        writer.write_record(writer.create_warcinfo_record(name, {"software": SOFTWARE, "format": "WARC/1.0"}))
        self._append(info.getvalue())
        return handle

    def _append(self, data: bytes) -> int:
        assert self._file is not None
        offset = self._file.tell()
        try:
            self._file.write(data)
            self._file.flush()
            if self._fsync:
                os.fsync(self._file.fileno())
        except OSError as exc:
            # Name the file (a full disk says only "No space left on device").
            raise OSError(exc.errno, exc.strerror, str(self.directory / self._name)) from exc
        return offset

    def write(
        self,
        *,
        url: str,
        method: str,
        request_headers: Headers,
        status: int,
        reason: str,
        response_headers: Headers,
        body: bytes,
        fetched_at: datetime,
        http_version: str = "HTTP/1.1",
    ) -> WarcRef:
        """Append one exchange; `body` is the body as received (still content-coded)."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        date = _warc_date(fetched_at)
        kept = [(k, v) for k, v in response_headers if k.lower() not in _FRAMING_HEADERS]
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=http_version),
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(response)
        response_length = buffer.tell()
        target = url.split("://", 1)[-1]
        path = "/" + target.split("/", 1)[1] if "/" in target else "/"
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{method} {path} {http_version}", list(request_headers), is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(request)
        with self._lock:
            handle = self._file or self._open_file()
            offset = self._append(buffer.getvalue())
            ref = WarcRef(file=self._name, offset=offset, length=response_length)
            if handle.tell() >= self._max_file_bytes:
                self._close_file()
        return ref


def _warc_files(source: Path | Iterable[Path]) -> list[Path]:
    if isinstance(source, Path):
        if source.is_dir():
            return sorted(source.glob(f"*{WARC_SUFFIX}"))
        return [source]
    return list(source)


class WarcRecordError(ValueError):
    """A record that cannot be trusted: torn, damaged, or failing its Content-Length or digest check.

    Nothing of such a record is returned, so no part of a damaged page is ever re-extracted.
    """

    def __init__(self, ref: WarcRef, reason: str) -> None:
        super().__init__(f"{ref.file} at offset {ref.offset}: {reason}")
        self.ref = ref
        self.reason = reason


def _unpack(data: bytes, ref: WarcRef) -> bytes:
    """The uncompressed record of one gzip member (CRC and length checked), or the data if not gzipped."""
    if len(data) < ref.length:
        raise WarcRecordError(ref, f"truncated: the file holds {len(data)} of the record's {ref.length} bytes")
    if data[:5] == b"WARC/":
        return data  # an uncompressed WARC file
    if data[:2] != _GZIP_MAGIC:
        raise WarcRecordError(ref, "damaged: not the start of a gzip member")
    try:
        return gzip.decompress(data)
    except EOFError as exc:
        raise WarcRecordError(ref, "damaged: the gzip member ends early") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise WarcRecordError(ref, f"damaged gzip member ({exc})") from exc


def _digest_matches(value: str, data: bytes) -> bool | None:
    """Whether a WARC digest (`sha1:BASE32`, also hex or base64) fits `data`; None for an unknown algorithm."""
    algorithm, _, encoded = value.strip().partition(":")
    name = algorithm.strip().lower().replace("-", "")
    if name not in hashlib.algorithms_available or not encoded:
        return None
    digest = hashlib.new(name, data).digest()
    encoded = encoded.strip()
    forms = {
        base64.b32encode(digest).decode("ascii").rstrip("=").upper(),
        digest.hex().upper(),
    }
    if encoded.rstrip("=").upper() in forms:
        return True
    return encoded == base64.b64encode(digest).decode("ascii")


def _check_record(raw: bytes, ref: WarcRef) -> None:
    """Raise unless the record is a response whose block is complete (Content-Length) and fits its digests."""
    head_end = raw.find(b"\r\n\r\n")
    if head_end < 0 or not raw.startswith(b"WARC/"):
        raise WarcRecordError(ref, "damaged: no WARC header")
    fields: dict[str, str] = {}
    for line in raw[:head_end].decode("utf-8", "replace").split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields.setdefault(name.strip().lower(), value.strip())
    if fields.get("warc-type") != "response":
        raise WarcRecordError(ref, f"not a response record ({fields.get('warc-type') or 'no WARC-Type'})")
    declared = fields.get("content-length", "")
    if not declared.isdigit():
        raise WarcRecordError(ref, "damaged: no valid Content-Length")
    block = raw[head_end + 4 : head_end + 4 + int(declared)]
    if len(block) < int(declared):
        raise WarcRecordError(ref, f"incomplete: {len(block)} of the {declared} bytes its Content-Length declares")
    if "warc-payload-digest" in fields:
        http_end = block.find(b"\r\n\r\n")
        payload = block[http_end + 4 :] if http_end >= 0 else block
        if _digest_matches(fields["warc-payload-digest"], payload) is False:
            raise WarcRecordError(
                ref, f"damaged: the payload fails its WARC-Payload-Digest {fields['warc-payload-digest']}"
            )
    if "warc-block-digest" in fields and _digest_matches(fields["warc-block-digest"], block) is False:
        raise WarcRecordError(ref, f"damaged: the record fails its WARC-Block-Digest {fields['warc-block-digest']}")


def _to_response(record: object, ref: WarcRef) -> WarcResponse:
    http = record.http_headers  # type: ignore[attr-defined]
    body = record.content_stream().read()  # type: ignore[attr-defined]
    return WarcResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),  # type: ignore[attr-defined]
        status=int(http.get_statuscode()),
        headers=tuple((str(k), str(v)) for k, v in http.headers),
        body=body,
        fetched_at=_iso_from_warc_date(record.rec_headers.get_header("WARC-Date")),  # type: ignore[attr-defined]
        ref=ref,
    )


def _load_response(data: bytes, ref: WarcRef) -> WarcResponse:
    """One response record from its bytes (a gzip member or plain), checked before anything is parsed."""
    raw = _unpack(data, ref)
    _check_record(raw, ref)
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(raw))))
        return _to_response(record, ref)
    except Exception as exc:  # warcio and the HTTP head parser raise many kinds; all mean the same here
        raise WarcRecordError(ref, f"unreadable record ({type(exc).__name__}: {exc})") from exc


def iter_warc_responses(source: Path | Iterable[Path]) -> Iterator[WarcResponse]:
    """Every response record in a WARC directory (files in name order) or in the given files.

    A torn last record (a writer killed mid-write) ends that file's iteration with a warning; a
    record that fails its checks (see `read_warc_response`) is skipped with a warning.
    """
    for path in _warc_files(source):
        size = path.stat().st_size
        end = 0
        with open(path, "rb") as handle, open(path, "rb") as raw:
            records = ArchiveIterator(handle)
            try:
                for record in records:
                    is_response = record.rec_type == "response"
                    offset, length = records.get_record_offset(), records.get_record_length()
                    end = offset + length
                    if not is_response:
                        continue
                    raw.seek(offset)
                    ref = WarcRef(file=path.name, offset=offset, length=length)
                    try:
                        response = _load_response(raw.read(length), ref)
                    except WarcRecordError as exc:
                        log.warning("%s: skipping a damaged record at offset %d (%s)", path, offset, exc.reason)
                        continue
                    yield response
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                log.warning("%s: skipping a truncated tail after offset %d (%s)", path, end, exc)
                continue
        if end < size:
            log.warning("%s: skipping a truncated tail after offset %d (%d bytes)", path, end, size - end)


def read_warc_response(directory: Path, ref: WarcRef) -> WarcResponse:
    """The response record a WarcRef points at, whole and intact.

    The gzip member must be complete (its CRC and length are checked), the record's block as long as
    its Content-Length says, and the block and payload must match their WARC-Block-Digest and
    WARC-Payload-Digest when the record has them.

    Raises:
        OSError: the file cannot be read.
        WarcRecordError: the record is torn, damaged, or not a response.
    """
    with open(Path(directory) / ref.file, "rb") as handle:
        handle.seek(ref.offset)
        data = handle.read(ref.length)
    return _load_response(data, ref)
