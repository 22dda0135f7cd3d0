"""A local mirror of the portal, served over real HTTP on 127.0.0.1, with faults on demand.

Not a pipeline stage: the stand-in for the portal that `newsarchive demo` crawls and the tests fetch
from. It serves a document root whose paths are the portal's URL paths (`/x/` is `x/index.html`),
rewrites the portal's absolute links (`http://*.vybor-naroda.org`) to its own base URL so a crawler
needs no mapping, answers conditional requests with 304, gzips when asked, and injects the faults a
crawler must survive (per path: error statuses with Retry-After, resets, hangs, truncated bodies,
redirect loops, off-site redirects, oversized pages, gzip bombs).

Every request is logged in `requests` (thread-safe), and the server counts how many requests were in
flight at once, so tests can check politeness from the server's side.

Run as a process: `python -m scraper.mirror --root PATH --port 0` prints its base URL on the first
line and serves until SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import mimetypes
import re
import signal
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from urllib.parse import unquote, urlsplit

from scraper.encoding import sniff_charset

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_MIRROR = PROJECT_ROOT / "tests" / "fixtures" / "mirror"
DEFAULT_HOST = "127.0.0.1"
#: Absolute links to any host of the portal, rewritten to the mirror's base URL in text bodies.
SITE_URL_PATTERN = re.compile(rb"https?://(?:[a-z0-9-]+\.)*vybor-naroda\.org(?![a-z0-9.-])", re.IGNORECASE)
_REWRITTEN_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".css": "text/css",
    ".js": "application/javascript",
}
_CHUNK = 64 * 1024
#: How often the serving thread checks for stop() (bounds how long stop() takes).
_POLL_INTERVAL = 0.05
#: Statuses logged for requests that got no HTTP answer.
RESET = -1
HUNG = -2
_NOT_FOUND = b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>404</title></head><body>Not found</body></html>"


# --- faults ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """Base of the faults a path can be given (see MirrorServer's `faults`)."""


@dataclass(frozen=True)
class Status(Fault):
    """Answer with `code` (and these headers, e.g. Retry-After) instead of the file."""

    code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Reset(Fault):
    """Read the request, then reset the connection without answering."""


@dataclass(frozen=True)
class Hang(Fault):
    """Say nothing for `seconds` (or until the server stops), then close; with `after_headers`,
    send the status line and headers first and hang before the body."""

    seconds: float
    after_headers: bool = False


@dataclass(frozen=True)
class Delay(Fault):
    """Serve the file normally after `seconds` (to make requests overlap)."""

    seconds: float


@dataclass(frozen=True)
class Truncate(Fault):
    """Declare the file's full Content-Length, send only `fraction` of it, and close."""

    fraction: float = 0.5


@dataclass(frozen=True)
class Redirect(Fault):
    """Redirect to `location` (relative paths are resolved by the client; pointing a path at itself
    makes a loop)."""

    location: str
    code: int = 302


@dataclass(frozen=True)
class Oversize(Fault):
    """An HTML page of `size` bytes; `declare_length` False sends it chunked, with no Content-Length."""

    size: int
    declare_length: bool = True


@dataclass(frozen=True)
class GzipBomb(Fault):
    """A gzip body that inflates to `size` bytes, sent with Content-Encoding: gzip whatever was asked."""

    size: int


@dataclass(frozen=True)
class Override(Fault):
    """Serve the file with these headers replacing the computed ones (e.g. a Content-Type without
    charset)."""

    headers: Mapping[str, str]


#: One fault for every request to a path, or a sequence used one per request, then the file.
FaultSpec = Fault | Sequence[Fault]


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    status: int
    headers: tuple[tuple[str, str], ...]
    started: float
    finished: float

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


# --- serving files --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Resource:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    mtime: int


def _content_type(path: Path, body: bytes) -> str:
    suffix = path.suffix.lower()
    base = _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if suffix == ".xml" and b"<rss" in body[:2048]:
        base = "application/rss+xml"
    if base.startswith("text/") or base.endswith("xml"):
        charset = sniff_charset(body) or ("utf-8" if base in ("text/plain", "text/css") else None)
        if charset:
            return f"{base}; charset={charset}"
    return base


class _Handler(BaseHTTPRequestHandler):
    server: _MirrorHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "newsarchive-mirror"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_GET(self) -> None:
        self._handle(head=False)

    # One request from start to finish. It is logged (and stops counting as in flight) just before
    # its answer goes out, so a client that has its answer always finds it in the log.
    def _handle(self, *, head: bool) -> None:
        mirror = self.server.mirror
        self._started = time.monotonic()
        self._logged = False
        self._status = 0
        mirror._enter()
        try:
            path = urlsplit(self.path).path
            fault = mirror._next_fault(path)
            if fault is None or isinstance(fault, Override):
                self._serve_file(path, head, fault)
            else:
                self._serve_fault(fault, path, head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._log(self._status)

    def _log(self, status: int) -> None:
        if self._logged:
            return
        self._logged = True
        self._status = status
        record = LoggedRequest(
            method=self.command,
            path=self.path,
            status=status,
            headers=tuple(self.headers.items()),
            started=self._started,
            finished=time.monotonic(),
        )
        self.server.mirror._leave(record)

    def _send(self, status: int, headers: Sequence[tuple[str, str]], body: bytes, head: bool) -> None:
        self._log(status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _serve_file(self, path: str, head: bool, override: Override | None) -> None:
        mirror = self.server.mirror
        resource = mirror.load(path)
        if resource is None:
            self._send(404, [("Content-Type", "text/html; charset=utf-8")], _NOT_FOUND, head)
            return
        headers = [
            ("Content-Type", resource.content_type),
            ("ETag", resource.etag),
            ("Last-Modified", resource.last_modified),
            ("Vary", "Accept-Encoding"),
        ]
        if override is not None:
            names = {k.lower() for k in override.headers}
            headers = [(k, v) for k, v in headers if k.lower() not in names] + list(override.headers.items())
        if self._not_modified(resource):
            self._send(304, [(k, v) for k, v in headers if k.lower() != "content-type"], b"", True)
            return
        body = resource.body
        if "gzip" in (self.headers.get("Accept-Encoding") or "").lower() and len(body) > 0:
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self._send(200, headers, body, head)

    def _not_modified(self, resource: _Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip() for t in if_none_match.split(",")}
            return resource.etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return resource.mtime <= int(parsed.timestamp())
        return False

    def _serve_fault(self, fault: Fault, path: str, head: bool) -> None:
        mirror = self.server.mirror
        if isinstance(fault, Status):
            headers = [("Content-Type", "text/html; charset=utf-8"), *fault.headers.items()]
            self._send(fault.code, headers, fault.body, head)
        elif isinstance(fault, Reset):
            self._log(RESET)
            self.close_connection = True
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif isinstance(fault, Hang):
            self._status = HUNG
            self.close_connection = True
            if fault.after_headers:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.flush()
            mirror._stopping.wait(fault.seconds)
        elif isinstance(fault, Delay):
            mirror._stopping.wait(fault.seconds)
            self._serve_file(path, head, None)
        elif isinstance(fault, Truncate):
            resource = mirror.load(path)
            body = resource.body if resource else b"<html>" + b"x" * 4096 + b"</html>"
            self._log(200)
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", resource.content_type if resource else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: int(len(body) * fault.fraction)])
            self.wfile.flush()
        elif isinstance(fault, Redirect):
            self._send(fault.code, [("Location", mirror.rewrite_location(fault.location))], b"", head)
        elif isinstance(fault, Oversize):
            self._serve_oversize(fault, head)
        elif isinstance(fault, GzipBomb):
            bomb = mirror.gzip_bomb(fault.size)
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
            self._send(200, headers, bomb, head)
        else:
            raise TypeError(f"unknown fault {fault!r}")

    def _serve_oversize(self, fault: Oversize, head: bool) -> None:
        self._log(200)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if fault.declare_length:
            self.send_header("Content-Length", str(fault.size))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        self.close_connection = True
        sent = 0
        filler = b"<p>" + b"x" * (_CHUNK - 7) + b"</p>\n"
        while sent < fault.size and not self.server.mirror._stopping.is_set():
            piece = filler[: fault.size - sent]
            if fault.declare_length:
                self.wfile.write(piece)
            else:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
        if not fault.declare_length:
            self.wfile.write(b"0\r\n\r\n")


class _MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], mirror: MirrorServer) -> None:
        self.mirror = mirror
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that goes away mid-answer (a capped or timed-out fetch) is expected here.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


# --- the server -----------------------------------------------------------------------------------


class MirrorServer:
    """Serve `root` on `host:port` (port 0 picks a free one) in a background thread.

    `faults` maps a URL path (`/lentanovostey/1-x.html`, no query) to a Fault for every request, or to
    a list of Faults used one per request before the file is served normally. `rewrite_site_hosts`
    rewrites the portal's absolute URLs in text bodies and Location headers to `base_url`.
    """

    def __init__(
        self,
        root: Path = BUNDLED_MIRROR,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        rewrite_site_hosts: bool = True,
        faults: Mapping[str, FaultSpec] | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self._address = (host, port)
        self._rewrite = rewrite_site_hosts
        self._faults: dict[str, Fault | list[Fault]] = {}
        for path, spec in (faults or {}).items():
            self.set_fault(path, spec)
        self._lock = threading.Lock()
        self._requests: list[LoggedRequest] = []
        self._in_flight = 0
        self._peak_in_flight = 0
        self._bombs: dict[int, bytes] = {}
        self._stopping = threading.Event()
        self._httpd: _MirrorHTTPServer | None = None
        self._port: int | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> MirrorServer:
        if self._httpd is not None:
            raise RuntimeError("mirror server already started")
        self._stopping.clear()
        self._httpd = _MirrorHTTPServer(self._address, self)
        self._port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(_POLL_INTERVAL,), name="mirror-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (still known after stop(), for messages that name it)."""
        if self._port is None:
            raise RuntimeError("mirror server not started")
        return self._port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` (no trailing slash)."""
        return f"http://{self._address[0]}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # faults and the request log

    def set_fault(self, path: str, spec: FaultSpec | None) -> None:
        """Give `path` a fault (or a list used one per request); None removes it."""
        with getattr(self, "_lock", threading.Lock()):
            if spec is None:
                self._faults.pop(path, None)
            elif isinstance(spec, Fault):
                self._faults[path] = spec
            else:
                self._faults[path] = list(spec)

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            spec = self._faults.get(path)
            if isinstance(spec, list):
                return spec.pop(0) if spec else None
            return spec

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)

    def _leave(self, record: LoggedRequest) -> None:
        with self._lock:
            self._in_flight -= 1
            self._requests.append(record)

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log, in the order the requests finished."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        """The logged requests whose path (query included) is `path`."""
        return [r for r in self.requests if r.path == path]

    @property
    def peak_in_flight(self) -> int:
        """The most requests the server was handling at once."""
        with self._lock:
            return self._peak_in_flight

    def reset_log(self) -> None:
        with self._lock:
            self._requests.clear()
            self._peak_in_flight = self._in_flight

    # content

    def rewrite(self, body: bytes) -> bytes:
        if not self._rewrite:
            return body
        return SITE_URL_PATTERN.sub(self.base_url.encode("ascii"), body)

    def rewrite_location(self, location: str) -> str:
        return self.rewrite(location.encode("latin-1")).decode("latin-1")

    def file_for(self, path: str) -> Path | None:
        """The file serving URL path `path`, or None (never a file outside the root)."""
        relative = unquote(path).lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate

    def load(self, path: str) -> _Resource | None:
        file = self.file_for(path)
        if file is None:
            return None
        raw = file.read_bytes()
        content_type = _content_type(file, raw)
        is_text = content_type.startswith(_REWRITTEN_TYPES)
        body = self.rewrite(raw) if is_text else raw
        mtime = int(file.stat().st_mtime)
        return _Resource(
            body=body,
            content_type=content_type,
            etag='"' + hashlib.sha1(body).hexdigest()[:20] + '"',
            last_modified=email.utils.formatdate(mtime, usegmt=True),
            mtime=mtime,
        )

    def gzip_bomb(self, size: int) -> bytes:
        """A gzip stream of `size` spaces (built once per size; about 1/1000 of `size`)."""
        with self._lock:
            cached = self._bombs.get(size)
        if cached is not None:
            return cached
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b" " * (1 << 20)
        parts = []
        remaining = size
        while remaining > 0:
            piece = block[: min(remaining, len(block))]
            parts.append(compressor.compress(piece))
            remaining -= len(piece)
        parts.append(compressor.flush())
        bomb = b"".join(parts)
        with self._lock:
            self._bombs[size] = bomb
        return bomb


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], None] | None = None) -> int:
    """`python -m scraper.mirror`: serve a mirror until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m scraper.mirror", description="Serve a local portal mirror.")
    parser.add_argument("--root", type=Path, default=BUNDLED_MIRROR, help="document root (default: bundled mirror)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port (default: 0, a free one)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    with MirrorServer(args.root, host=args.host, port=args.port) as server:
        (out or print)(server.base_url)
        sys.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
