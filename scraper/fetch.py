"""Fetch stage: one URL in, one FetchResult (or a FetchError with a short reason) out.

Every request passes the same gates, in order: scope (only the site's own hosts, redirects included;
scraper/scope.py), robots.txt (scraper/robots.py), the host's politeness slot (scraper/politeness.py),
then httpx with the body read under a size cap (scraper/body.py). Timeouts, connection errors,
truncated bodies, 5xx and 429 are retried by tenacity with exponential backoff and full jitter,
waiting at least what `Retry-After` asks. The tries of one fetch never wait long: a `Retry-After`
over `retry_after_max` (30 s), or a wait that would end after the Fetcher's `deadline` (the run's
`--max-time`), ends them at once with the last error; the last `FetchAttempt` of the trail carries
the server's `retry_after` (the crawl's frontier retries the page then, on a later run).
Every complete response is appended to the WARC archive (scraper/warc.py) and text bodies are decoded
by scraper/encoding.py. Every request a fetch sends is reported, as a `FetchAttempt`, to the `trail`
list the caller passes (the crawl writes a fetch_log row for each try from it).

404 and 410 come back as a FetchResult (the caller marks the page gone); a 304 answer to a conditional
request comes back with `not_modified=True` and no body, so it costs no extraction.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from scraper import __version__
from scraper.body import ACCEPT_ENCODING, Body, IncompleteBodyError, read_capped
from scraper.encoding import charset_from_content_type, detect_charset
from scraper.errors import FetchError, HTTPStatusError, RedirectError, TooLargeError, UnreachableError
from scraper.politeness import HostSlots
from scraper.robots import ROBOTS_PATH, RobotsCache, RobotsPolicy, parse_robots
from scraper.scope import Scope, host_port
from scraper.sites import SiteProfile
from scraper.warc import WarcRef, WarcWriter

log = logging.getLogger(__name__)

DEFAULT_CONTACT_URL = "https://github.com/newsarchive/newsarchive"
DEFAULT_USER_AGENT = f"newsarchive/{__version__} (+{DEFAULT_CONTACT_URL})"
DEFAULT_PER_HOST_CONCURRENCY = 2
DEFAULT_DELAY = 1.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_ATTEMPT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_BASE = 1.0
DEFAULT_BACKOFF_MAX = 60.0
#: The longest wait between two tries of one fetch; a longer Retry-After is left to a later run.
DEFAULT_RETRY_AFTER_MAX = 30.0
DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_MAX_REDIRECTS = 5

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE_STATUSES = frozenset({404, 410})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.8"
_ACCEPT_LANGUAGE = "ru,en;q=0.5"
_TEXT_SUBTYPES = ("xml", "json", "javascript", "xhtml")

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How the Fetcher behaves; every default is a named constant above."""

    scope: Scope = field(default_factory=Scope)
    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = DEFAULT_PER_HOST_CONCURRENCY
    delay: float = DEFAULT_DELAY
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    #: Wall-clock limit for one attempt (headers and whole body), against a server that trickles bytes.
    attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT
    #: Further tries after the first one, for transient failures.
    retries: int = DEFAULT_RETRIES
    backoff_base: float = DEFAULT_BACKOFF_BASE
    backoff_max: float = DEFAULT_BACKOFF_MAX
    #: The longest `Retry-After` waited for within one fetch; a server asking for longer ends the tries
    #: at once (the error's `retry_after` says how long it asked for).
    retry_after_max: float = DEFAULT_RETRY_AFTER_MAX
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    respect_robots: bool = True
    #: Charset used when neither header, document nor detection decides (the site profile's).
    fallback_charset: str = "utf-8"

    @classmethod
    def for_site(cls, profile: SiteProfile, base_url: str | None = None, **overrides: Any) -> FetchSettings:
        """Settings scoped to a site's hosts (plus `base_url`'s host:port when it is a mirror)."""
        scope = Scope.for_base_url(profile.hosts, base_url or profile.default_base_url)
        return replace(cls(scope=scope, fallback_charset=profile.fallback_charset), **overrides)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched URL.

    `body` has its Content-Encoding undone (empty for a 304); `text` is the body decoded with
    `charset` for text types (HTML, XML, plain text), None otherwise; `fetched_at` is ISO 8601 in UTC
    with its offset; `warc` locates the response record in the raw archive.
    """

    url: str
    final_url: str
    status: int
    headers: Headers
    body: bytes
    text: str | None
    charset: str | None
    not_modified: bool
    elapsed_ms: int
    fetched_at: str
    warc: WarcRef | None
    redirects: tuple[str, ...] = ()

    def header(self, name: str) -> str | None:
        """The first value of a response header (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    @property
    def gone(self) -> bool:
        """True for 404 and 410: the page is no longer there."""
        return self.status in GONE_STATUSES


@dataclass(frozen=True, slots=True)
class FetchAttempt:
    """One request a fetch sent (a retry, a redirect hop, or the last one) and what came of it.

    `status` is None when no answer came (a reset, a timeout); `error` (`ErrorType: reason`) says why
    the request failed (None for an answer that was used or followed); `retried` is True when another try followed
    it; `retry_after` is the server's Retry-After in seconds; `warc` locates the response when one was
    written.
    """

    url: str
    status: int | None
    error: str | None
    retried: bool
    retry_after: float | None
    warc: WarcRef | None
    bytes: int | None
    elapsed_ms: int
    fetched_at: str


#: Where a fetch reports its requests (the caller's list; appended to in order).
Trail = list[FetchAttempt]


@dataclass(frozen=True, slots=True)
class _Exchange:
    """One request and its complete response, as received."""

    url: str
    status: int
    reason: str
    headers: Headers
    body: Body
    fetched_at: datetime
    warc: WarcRef | None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class _Transient(Exception):
    """A failure worth another try; carries the error to raise when the tries run out."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.retry_after = retry_after
        #: The answer that failed, when one came (it is in the WARC).
        self.exchange: _Exchange | None = None
        #: True once the try is in the fetch's trail (a request was sent).
        self.in_trail = False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_text_type(content_type: str | None, body: bytes) -> bool:
    """Whether a body is text to decode: text/*, XML, JSON, or untyped markup."""
    if not content_type:
        return body.lstrip()[:1] == b"<"
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or any(part in mime for part in _TEXT_SUBTYPES)


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


class Fetcher:
    """Fetches URLs politely and safely; one per crawl, shared by all its tasks.

    Holds one httpx.AsyncClient, the per-host politeness slots and the robots.txt cache. Use as
    `async with Fetcher(settings, warc=writer) as fetcher:` or call `aclose()`.
    """

    def __init__(
        self, settings: FetchSettings, *, warc: WarcWriter | None = None, deadline: float | None = None
    ) -> None:
        self.settings = settings
        self._warc = warc
        #: A `time.monotonic()` moment no wait between tries may end after (the run's --max-time).
        self.deadline = deadline
        self._slots = HostSlots(settings.per_host_concurrency, settings.delay)
        self._robots = RobotsCache(settings.user_agent, self._load_robots)
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": settings.user_agent,
                "Accept": _ACCEPT,
                "Accept-Language": _ACCEPT_LANGUAGE,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.attempt_timeout,
            ),
            follow_redirects=False,
            # Never route through a proxy from the environment: requests go to the site or nowhere.
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        trail: Trail | None = None,
    ) -> FetchResult:
        """Fetch `url`, following in-scope redirects; send `etag`/`last_modified` to ask for a 304.

        Every request sent for it (retries and redirect hops included, robots.txt not) is appended to
        `trail` when one is given, also when the fetch fails: an empty trail means nothing was sent.

        Raises:
            OutOfScopeError: the URL or a redirect target is not the site's (never requested).
            RobotsDisallowedError: robots.txt forbids it (never requested).
            TooLargeError: the body passed `max_bytes`.
            RedirectError: a redirect loop or too many redirects.
            HTTPStatusError: 5xx/429 after the retries (or a Retry-After too long to wait for in this
                run), or another non-retried error status.
            UnreachableError: timeouts, connection errors, truncated bodies after the retries.
            FetchError: an unusable Content-Encoding.
        """
        started = time.monotonic()
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        trail = trail if trail is not None else []
        exchange, redirects = await self._follow(_strip_fragment(url), conditional, check_robots=True, trail=trail)
        status = exchange.status
        if status == 304 and conditional:
            return self._result(url, exchange, redirects, started, not_modified=True)
        if status >= 400 and status not in GONE_STATUSES:
            raise HTTPStatusError(exchange.url, f"HTTP {status} {exchange.reason}".strip(), status)
        return self._result(url, exchange, redirects, started, not_modified=False)

    def _result(
        self, url: str, exchange: _Exchange, redirects: tuple[str, ...], started: float, *, not_modified: bool
    ) -> FetchResult:
        body = b"" if not_modified else exchange.body.data
        content_type = exchange.header("content-type")
        charset: str | None = None
        text: str | None = None
        if body and is_text_type(content_type, body):
            charset = detect_charset(body, charset_from_content_type(content_type), self.settings.fallback_charset)
            text = body.decode(charset, errors="replace").lstrip("\ufeff")
        return FetchResult(
            url=url,
            final_url=exchange.url,
            status=exchange.status,
            headers=exchange.headers,
            body=body,
            text=text,
            charset=charset,
            not_modified=not_modified,
            elapsed_ms=round((time.monotonic() - started) * 1000),
            fetched_at=exchange.fetched_at.isoformat(timespec="seconds"),
            warc=exchange.warc,
            redirects=redirects,
        )

    async def _follow(
        self, url: str, headers: dict[str, str], *, check_robots: bool, trail: Trail
    ) -> tuple[_Exchange, tuple[str, ...]]:
        """Request `url` and follow redirects, checking scope (and robots) before each hop."""
        current = url
        seen = {current}
        hops: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            self.settings.scope.check(current)
            if check_robots and self.settings.respect_robots:
                policy = await self._robots.check(current)
                delay = policy.crawl_delay(self.settings.user_agent)
                if delay:
                    self._slots.get(self._host_key(current)).raise_delay(delay)
            exchange = await self._request(current, headers, trail)
            location = exchange.header("location")
            if exchange.status not in REDIRECT_STATUSES:
                return exchange, tuple(hops)
            if not location:
                raise RedirectError(current, f"HTTP {exchange.status} without a Location header")
            target = _strip_fragment(urljoin(current, location.strip()))
            if target in seen:
                raise RedirectError(url, f"redirect loop at {target}")
            self.settings.scope.check(target)
            seen.add(target)
            hops.append(target)
            current = target
        raise RedirectError(url, f"more than {self.settings.max_redirects} redirects")

    @staticmethod
    def _host_key(url: str) -> str:
        host, port = host_port(url)
        return f"{host}:{port}"

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_random_exponential(multiplier=self.settings.backoff_base, max=self.settings.backoff_max)(state)
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return max(backoff, exc.retry_after)
        return backoff

    def _stop_waiting(self, state: RetryCallState) -> bool:
        """End the tries rather than wait longer than `retry_after_max` or past the deadline."""
        wait = state.upcoming_sleep
        if wait > self.settings.retry_after_max:
            return True
        return self.deadline is not None and time.monotonic() + wait > self.deadline

    async def _request(self, url: str, headers: dict[str, str], trail: Trail) -> _Exchange:
        """One URL, retried on transient failures; raises the last failure's FetchError.

        Each request sent is appended to `trail`; one followed by another try is marked `retried`.
        """

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome is not None else None
            log.info(
                "retrying after try %d: %s", state.attempt_number, exc.error if isinstance(exc, _Transient) else exc
            )
            if isinstance(exc, _Transient) and exc.in_trail:
                trail[-1] = replace(trail[-1], retried=True)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.retries + 1) | self._stop_waiting,
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            reraise=True,
            before_sleep=before_sleep,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    exchange = await self._attempt(url, headers, trail)
        except _Transient as exc:
            raise exc.error from exc
        return exchange

    async def _attempt(self, url: str, headers: dict[str, str], trail: Trail) -> _Exchange:
        try:
            await self.settings.scope.check_resolved(url)
        except UnreachableError as exc:
            raise _Transient(exc) from exc
        started = time.monotonic()
        try:
            exchange = await self._exchange(url, headers)
        except _Transient as exc:
            answer = exc.exchange
            trail.append(
                FetchAttempt(
                    url=url,
                    status=answer.status if answer else None,
                    error=f"{type(exc.error).__name__}: {exc.error.reason}",
                    retried=False,
                    retry_after=exc.retry_after,
                    warc=answer.warc if answer else None,
                    bytes=len(answer.body.data) if answer else None,
                    elapsed_ms=round((time.monotonic() - started) * 1000),
                    fetched_at=(answer.fetched_at if answer else datetime.now(UTC)).isoformat(timespec="seconds"),
                )
            )
            exc.in_trail = True
            raise
        except FetchError as exc:
            trail.append(
                FetchAttempt(
                    url=url,
                    status=None,
                    error=f"{type(exc).__name__}: {exc.reason}",
                    retried=False,
                    retry_after=None,
                    warc=None,
                    bytes=None,
                    elapsed_ms=round((time.monotonic() - started) * 1000),
                    fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
            raise
        trail.append(
            FetchAttempt(
                url=url,
                status=exchange.status,
                error=None,
                retried=False,
                retry_after=None,
                warc=exchange.warc,
                bytes=len(exchange.body.data),
                elapsed_ms=round((time.monotonic() - started) * 1000),
                fetched_at=exchange.fetched_at.isoformat(timespec="seconds"),
            )
        )
        return exchange

    async def _exchange(self, url: str, headers: dict[str, str]) -> _Exchange:
        settings = self.settings
        phase = "waiting for the response"
        slot = self._slots.get(self._host_key(url))

        async def trace(event: str, info: dict[str, Any]) -> None:
            # The request is on its way (its connection made): the host's delay counts from here.
            if event.endswith("send_request_headers.started"):
                slot.sent()

        async with slot.turn():
            try:
                async with asyncio.timeout(settings.attempt_timeout):
                    async with self._client.stream(
                        "GET", url, headers=headers, extensions={"trace": trace}
                    ) as response:
                        fetched_at = datetime.now(UTC)
                        phase = "reading the body"
                        declared = response.headers.get("content-length", "")
                        if declared.isdigit() and int(declared) > settings.max_bytes:
                            raise TooLargeError(url, f"Content-Length {declared} is over {settings.max_bytes} bytes")
                        body = await read_capped(
                            response.aiter_raw(), response.headers.get("content-encoding"), settings.max_bytes, url
                        )
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise _Transient(UnreachableError(url, f"timed out {phase}")) from exc
            except IncompleteBodyError as exc:
                raise _Transient(UnreachableError(url, f"truncated body ({exc})")) from exc
            except httpx.TransportError as exc:
                detail = str(exc) or type(exc).__name__
                what = "truncated body" if phase == "reading the body" else "connection failed"
                raise _Transient(UnreachableError(url, f"{what} ({detail})")) from exc
        response_headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw)
        warc_ref = None
        if self._warc is not None:
            warc_ref = await asyncio.to_thread(
                self._warc.write,
                url=url,
                method="GET",
                request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.request.headers.raw],
                status=response.status_code,
                reason=response.reason_phrase,
                response_headers=response_headers,
                body=body.raw,
                fetched_at=fetched_at,
                http_version=response.http_version,
            )
        exchange = _Exchange(
            url=url,
            status=response.status_code,
            reason=response.reason_phrase,
            headers=response_headers,
            body=body,
            fetched_at=fetched_at,
            warc=warc_ref,
        )
        status = exchange.status
        if status == 429 or 500 <= status <= 599:
            error = HTTPStatusError(url, f"HTTP {status} {exchange.reason}".strip(), status)
            transient = _Transient(error, parse_retry_after(exchange.header("retry-after")))
            transient.exchange = exchange
            raise transient
        return exchange

    async def _load_robots(self, origin: str) -> RobotsPolicy:
        """Fetch and parse an origin's robots.txt (a 4xx means no rules)."""
        exchange, _ = await self._follow(origin + ROBOTS_PATH, {}, check_robots=False, trail=[])
        if 400 <= exchange.status < 500:
            return RobotsPolicy(rules=None)
        if exchange.status != 200:
            raise HTTPStatusError(exchange.url, f"HTTP {exchange.status}", exchange.status)
        charset = detect_charset(exchange.body.data, charset_from_content_type(exchange.header("content-type")))
        return parse_robots(exchange.body.data.decode(charset, errors="replace"))
