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
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
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
        self._file.write(data)
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())
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


def iter_warc_responses(source: Path | Iterable[Path]) -> Iterator[WarcResponse]:
    """Every response record in a WARC directory (files in name order) or in the given files.

    A torn last record (a writer killed mid-write) ends that file's iteration with a warning.
    """
    for path in _warc_files(source):
        size = path.stat().st_size
        end = 0
        with open(path, "rb") as handle:
            records = ArchiveIterator(handle)
            try:
                for record in records:
                    response = _to_response(record, WarcRef(path.name, 0, 0)) if record.rec_type == "response" else None
                    offset, length = records.get_record_offset(), records.get_record_length()
                    end = offset + length
                    if response is not None:
                        yield replace(response, ref=WarcRef(file=path.name, offset=offset, length=length))
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                log.warning("%s: skipping a truncated tail after offset %d (%s)", path, end, exc)
                continue
        if end < size:
            log.warning("%s: skipping a truncated tail after offset %d (%d bytes)", path, end, size - end)


def read_warc_response(directory: Path, ref: WarcRef) -> WarcResponse:
    """The response record a WarcRef points at."""
    with open(Path(directory) / ref.file, "rb") as handle:
        handle.seek(ref.offset)
        data = handle.read(ref.length)
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type == "response":
            return _to_response(record, ref)
    raise ValueError(f"{ref.file} at {ref.offset}: no response record")
