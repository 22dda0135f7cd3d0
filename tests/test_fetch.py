"""The fetch stage against the mirror server on 127.0.0.1: identity, charsets, conditional requests,
politeness, safety and every injected fault."""

from __future__ import annotations

import asyncio
import itertools
import time
import tracemalloc
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from scraper.errors import (
    FetchError,
    HTTPStatusError,
    OutOfScopeError,
    RedirectError,
    RobotsDisallowedError,
    TooLargeError,
    UnreachableError,
)
from scraper.fetch import DEFAULT_USER_AGENT, FetchAttempt, Fetcher, FetchResult, FetchSettings, parse_retry_after
from scraper.mirror import (
    BUNDLED_MIRROR,
    RESET,
    Delay,
    GzipBomb,
    Hang,
    MirrorServer,
    Override,
    Oversize,
    Redirect,
    Reset,
    Status,
    Truncate,
)
from scraper.scope import Scope
from scraper.sites import default_profile
from scraper.warc import WarcWriter, read_warc_response

T = TypeVar("T")

RUSSIAN = (
    "Вице-губернатор Липецкой области Сергей Курбатов в ходе рабочей поездки встретился "
    "с председателем правительства и министром промышленности и торговли."
)
ROBOTS = "User-agent: *\nDisallow: /engine/\nDisallow: /closed/\n"
PAGE = "<!DOCTYPE html><html><head><title>Страница</title></head><body><p>{}</p></body></html>"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def fast_settings(server: MirrorServer, **overrides: Any) -> FetchSettings:
    """Settings scoped to the mirror, with timeouts and backoffs short enough for tests."""
    base: dict[str, Any] = {
        "delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "attempt_timeout": 5.0,
        "retries": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
    }
    base.update(overrides)
    return FetchSettings.for_site(default_profile(), server.base_url, **base)


async def fetch_one(server: MirrorServer, path: str, **overrides: Any) -> FetchResult:
    async with Fetcher(fast_settings(server, **overrides)) as fetcher:
        return await fetcher.fetch(server.url(path))


def fetch_error(server: MirrorServer, path: str, **overrides: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        run(fetch_one(server, path, **overrides))
    return info.value


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "closed").mkdir(parents=True)
    (site / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    (site / "index.html").write_text(PAGE.format("Главная"), encoding="utf-8")
    for n in range(8):
        (site / f"p{n}.html").write_text(PAGE.format(f"Страница {n}"), encoding="utf-8")
    (site / "closed" / "secret.html").write_text(PAGE.format("Закрыто"), encoding="utf-8")
    (site / "header.html").write_bytes(PAGE.format(RUSSIAN).encode("cp1251"))
    meta = PAGE.format(RUSSIAN).replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    (site / "meta.html").write_bytes(meta.encode("cp1251"))
    (site / "bare.html").write_bytes(PAGE.format(RUSSIAN).encode("cp1251"))
    feed = (
        '<?xml version="1.0" encoding="windows-1251"?>'
        f'<rss version="2.0"><channel><title>{RUSSIAN}</title></channel></rss>'
    )
    (site / "rss.xml").write_bytes(feed.encode("cp1251"))
    return site


@pytest.fixture
def server(root: Path) -> Iterator[MirrorServer]:
    with MirrorServer(root) as mirror:
        yield mirror


# --- identity and text ----------------------------------------------------------------------------


def test_user_agent_is_sent_on_every_request(server: MirrorServer) -> None:
    result = run(fetch_one(server, "/p1.html"))
    assert result.status == 200
    assert [(r.path, r.header("User-Agent")) for r in server.requests] == [
        ("/robots.txt", DEFAULT_USER_AGENT),
        ("/p1.html", DEFAULT_USER_AGENT),
    ]
    assert DEFAULT_USER_AGENT.startswith("newsarchive/")
    assert "+http" in DEFAULT_USER_AGENT


def test_user_agent_is_configurable(server: MirrorServer) -> None:
    run(fetch_one(server, "/p1.html", user_agent="testbot/1.0 (+http://example.invalid/contact)"))
    assert {r.header("User-Agent") for r in server.requests} == {"testbot/1.0 (+http://example.invalid/contact)"}


def test_result_fields(server: MirrorServer) -> None:
    result = run(fetch_one(server, "/p1.html"))
    assert result.url == server.url("/p1.html")
    assert result.final_url == server.url("/p1.html")
    assert result.body == PAGE.format("Страница 1").encode("utf-8")
    assert result.text == PAGE.format("Страница 1")
    assert result.charset == "utf-8"
    assert result.not_modified is False
    assert result.gone is False
    assert result.content_type == "text/html"
    assert datetime.fromisoformat(result.fetched_at).utcoffset() is not None
    assert result.elapsed_ms >= 0
    assert result.warc is None
    assert result.redirects == ()


@pytest.mark.parametrize(
    ("path", "content_type", "where"),
    [
        ("/header.html", "text/html; charset=windows-1251", "header"),
        ("/meta.html", "text/html", "meta"),
        ("/bare.html", "text/html", "detection"),
        ("/rss.xml", "application/rss+xml", "xml declaration"),
    ],
    ids=["header", "meta", "detection", "xml-declaration"],
)
def test_windows_1251_comes_out_as_text(server: MirrorServer, path: str, content_type: str, where: str) -> None:
    server.set_fault(path, Override({"Content-Type": content_type}))
    result = run(fetch_one(server, path))
    assert result.charset == "cp1251", where
    assert result.text is not None
    assert RUSSIAN in result.text


def test_gzip_response_is_decoded(server: MirrorServer) -> None:
    result = run(fetch_one(server, "/p2.html"))
    assert result.header("Content-Encoding") == "gzip"
    assert server.requests_for("/p2.html")[0].header("Accept-Encoding") == "gzip, deflate"
    assert result.text == PAGE.format("Страница 2")


# --- conditional requests -------------------------------------------------------------------------


def test_revisit_with_etag_gets_304_without_body(server: MirrorServer) -> None:
    async def scenario() -> tuple[FetchResult, FetchResult]:
        async with Fetcher(fast_settings(server)) as fetcher:
            first = await fetcher.fetch(server.url("/p3.html"))
            again = await fetcher.fetch(server.url("/p3.html"), etag=first.etag)
            return first, again

    first, again = run(scenario())
    assert first.status == 200
    assert first.etag is not None
    assert again.status == 304
    assert again.not_modified is True
    assert again.body == b""
    assert again.text is None
    assert server.requests_for("/p3.html")[1].header("If-None-Match") == first.etag


def test_revisit_with_last_modified_gets_304(server: MirrorServer) -> None:
    async def scenario() -> FetchResult:
        async with Fetcher(fast_settings(server)) as fetcher:
            first = await fetcher.fetch(server.url("/p3.html"))
            return await fetcher.fetch(server.url("/p3.html"), last_modified=first.last_modified)

    again = run(scenario())
    assert (again.status, again.not_modified) == (304, True)


def test_changed_page_is_fetched_again(server: MirrorServer) -> None:
    async def scenario() -> FetchResult:
        async with Fetcher(fast_settings(server)) as fetcher:
            return await fetcher.fetch(server.url("/p3.html"), etag='"stale"')

    result = run(scenario())
    assert (result.status, result.not_modified) == (200, False)
    assert result.text == PAGE.format("Страница 3")


# --- statuses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [404, 410])
def test_gone_is_a_result_not_a_retry(server: MirrorServer, code: int) -> None:
    server.set_fault("/p1.html", Status(code))
    result = run(fetch_one(server, "/p1.html"))
    assert (result.status, result.gone) == (code, True)
    assert len(server.requests_for("/p1.html")) == 1


def test_forbidden_fails_without_retry(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Status(403))
    error = fetch_error(server, "/p1.html")
    assert isinstance(error, HTTPStatusError)
    assert (error.status, error.reason) == (403, "HTTP 403 Forbidden")
    assert error.skipped is False
    assert len(server.requests_for("/p1.html")) == 1


def test_503_with_retry_after_is_retried_after_the_wait(server: MirrorServer) -> None:
    server.set_fault("/p1.html", [Status(503, {"Retry-After": "1"})])
    started = time.monotonic()
    result = run(fetch_one(server, "/p1.html"))
    assert result.status == 200
    assert [r.status for r in server.requests_for("/p1.html")] == [503, 200]
    log = server.requests_for("/p1.html")
    assert log[1].started - log[0].finished >= 0.95
    assert time.monotonic() - started < 5


def test_429_is_retried(server: MirrorServer) -> None:
    server.set_fault("/p1.html", [Status(429), Status(429)])
    result = run(fetch_one(server, "/p1.html"))
    assert result.status == 200
    assert [r.status for r in server.requests_for("/p1.html")] == [429, 429, 200]


def test_persistent_503_fails_after_the_last_try(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Status(503, {"Retry-After": "0"}))
    error = fetch_error(server, "/p1.html", retries=3)
    assert isinstance(error, HTTPStatusError)
    assert (error.status, error.reason) == (503, "HTTP 503 Service Unavailable")
    assert len(server.requests_for("/p1.html")) == 4


def test_retry_after_over_the_cap_ends_the_tries_at_once(server: MirrorServer) -> None:
    server.set_fault("/p1.html", [Status(429, {"Retry-After": "3600"})])
    trail: list[FetchAttempt] = []

    async def scenario() -> None:
        async with Fetcher(fast_settings(server, retries=3, retry_after_max=0.2)) as fetcher:
            await fetcher.fetch(server.url("/p1.html"), trail=trail)

    started = time.monotonic()
    with pytest.raises(HTTPStatusError) as info:
        run(scenario())
    assert time.monotonic() - started < 3
    assert (info.value.status, info.value.reason) == (429, "HTTP 429 Too Many Requests")
    assert [r.status for r in server.requests_for("/p1.html")] == [429]
    # The server's wish goes back to the caller, which retries on a later run.
    assert [(a.status, a.retried, a.retry_after, a.error) for a in trail] == [
        (429, False, 3600.0, "HTTPStatusError: HTTP 429 Too Many Requests")
    ]


def test_default_in_run_wait_is_capped_at_30_seconds() -> None:
    assert FetchSettings().retry_after_max == 30.0


def test_no_retry_waits_past_the_deadline(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Status(503, {"Retry-After": "2"}))

    async def scenario() -> None:
        async with Fetcher(fast_settings(server, retries=3), deadline=time.monotonic() + 1.0) as fetcher:
            await fetcher.fetch(server.url("/p1.html"))

    started = time.monotonic()
    with pytest.raises(HTTPStatusError):
        run(scenario())
    assert time.monotonic() - started < 1.5
    assert [r.status for r in server.requests_for("/p1.html")] == [503]


def test_every_try_is_in_the_trail(server: MirrorServer, tmp_path: Path) -> None:
    server.set_fault("/p1.html", [Status(503, {"Retry-After": "0"}), Reset()])
    trail: list[FetchAttempt] = []

    async def scenario() -> FetchResult:
        with WarcWriter(tmp_path / "warc") as writer:
            async with Fetcher(fast_settings(server, retries=3), warc=writer) as fetcher:
                return await fetcher.fetch(server.url("/p1.html"), trail=trail)

    result = run(scenario())
    assert [(a.url, a.status, a.retried, a.retry_after) for a in trail] == [
        (server.url("/p1.html"), 503, True, 0.0),
        (server.url("/p1.html"), None, True, None),
        (server.url("/p1.html"), 200, False, None),
    ]
    assert [a.error is not None for a in trail] == [True, True, False]
    assert trail[1].error is not None and trail[1].error.startswith("UnreachableError: connection failed")
    assert trail[0].warc is not None and trail[1].warc is None
    assert read_warc_response(tmp_path / "warc", trail[0].warc).status == 503
    assert trail[2].warc == result.warc
    # robots.txt is the Fetcher's own business: not in the page's trail.
    assert [r.path for r in server.requests] == ["/robots.txt", "/p1.html", "/p1.html", "/p1.html"]


def test_a_robots_disallowed_url_leaves_an_empty_trail(server: MirrorServer) -> None:
    trail: list[FetchAttempt] = []

    async def scenario() -> None:
        async with Fetcher(fast_settings(server)) as fetcher:
            await fetcher.fetch(server.url("/closed/secret.html"), trail=trail)

    with pytest.raises(RobotsDisallowedError):
        run(scenario())
    assert trail == []


def test_parse_retry_after() -> None:
    now = datetime(2026, 3, 5, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Thu, 05 Mar 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 05 Mar 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# --- transport faults -----------------------------------------------------------------------------


def test_connection_reset_is_retried(server: MirrorServer) -> None:
    server.set_fault("/p1.html", [Reset()])
    result = run(fetch_one(server, "/p1.html"))
    assert result.status == 200
    assert [r.status for r in server.requests_for("/p1.html")] == [RESET, 200]


def test_persistent_reset_is_unreachable(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Reset())
    error = fetch_error(server, "/p1.html", retries=1)
    assert isinstance(error, UnreachableError)
    assert error.reason.startswith("connection failed (")
    assert len(server.requests_for("/p1.html")) == 2


@pytest.mark.parametrize(("after_headers", "phase"), [(False, "waiting for the response"), (True, "reading the body")])
def test_hanging_response_times_out(server: MirrorServer, after_headers: bool, phase: str) -> None:
    server.set_fault("/p1.html", Hang(30, after_headers=after_headers))
    started = time.monotonic()
    error = fetch_error(server, "/p1.html", read_timeout=0.3, retries=1)
    assert isinstance(error, UnreachableError)
    assert error.reason == f"timed out {phase}"
    assert time.monotonic() - started < 3


def test_attempt_timeout_bounds_a_trickling_server(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Hang(30, after_headers=True))
    error = fetch_error(server, "/p1.html", read_timeout=10, attempt_timeout=0.3, retries=0)
    assert isinstance(error, UnreachableError)
    assert error.reason == "timed out reading the body"


def test_truncated_body_is_retried(server: MirrorServer) -> None:
    server.set_fault("/p1.html", [Truncate()])
    result = run(fetch_one(server, "/p1.html"))
    assert result.text == PAGE.format("Страница 1")
    assert len(server.requests_for("/p1.html")) == 2


def test_persistent_truncation_fails_with_reason(server: MirrorServer) -> None:
    server.set_fault("/p1.html", Truncate())
    error = fetch_error(server, "/p1.html", retries=1)
    assert isinstance(error, UnreachableError)
    assert error.reason.startswith("truncated body (")


# --- redirects and scope --------------------------------------------------------------------------


def test_redirect_within_site_is_followed(server: MirrorServer) -> None:
    server.set_fault("/old.html", Redirect("http://2018.vybor-naroda.org/p4.html", 301))
    result = run(fetch_one(server, "/old.html"))
    assert (result.status, result.final_url) == (200, server.url("/p4.html"))
    assert result.redirects == (server.url("/p4.html"),)


def test_redirect_loop_is_refused(server: MirrorServer) -> None:
    server.set_fault("/a.html", Redirect("/b.html"))
    server.set_fault("/b.html", Redirect("/a.html"))
    error = fetch_error(server, "/a.html")
    assert isinstance(error, RedirectError)
    assert error.reason == f"redirect loop at {server.url('/a.html')}"
    assert [r.path for r in server.requests if r.path != "/robots.txt"] == ["/a.html", "/b.html"]


def test_too_many_redirects(server: MirrorServer) -> None:
    for n in range(4):
        server.set_fault(f"/r{n}.html", Redirect(f"/r{n + 1}.html"))
    error = fetch_error(server, "/r0.html", max_redirects=2)
    assert isinstance(error, RedirectError)
    assert error.reason == "more than 2 redirects"


def test_off_site_redirect_is_refused_without_requesting_it(server: MirrorServer, root: Path) -> None:
    with MirrorServer(root) as elsewhere:
        server.set_fault("/p1.html", Redirect(elsewhere.url("/p1.html")))
        error = fetch_error(server, "/p1.html")
        assert isinstance(error, OutOfScopeError)
        assert error.skipped is True
        assert error.url == elsewhere.url("/p1.html")
        assert error.reason == "host '127.0.0.1' is not one of the site's hosts"
        assert elsewhere.requests == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.com/", "host 'example.com' is not one of the site's hosts"),
        ("file:///etc/passwd", "scheme 'file' is not fetched"),
        ("ftp://2018.vybor-naroda.org/", "scheme 'ftp' is not fetched"),
        ("http://user:pw@2018.vybor-naroda.org/", "URLs with credentials are not fetched"),
        ("http://10.0.0.1/", "host '10.0.0.1' is not one of the site's hosts"),
    ],
)
def test_out_of_scope_urls_are_refused(server: MirrorServer, url: str, reason: str) -> None:
    async def scenario() -> None:
        async with Fetcher(fast_settings(server)) as fetcher:
            await fetcher.fetch(url)

    with pytest.raises(OutOfScopeError) as info:
        run(scenario())
    assert info.value.reason == reason
    assert server.requests == []


def test_site_host_on_a_private_address_is_refused(server: MirrorServer) -> None:
    settings = FetchSettings(scope=Scope(site_hosts=("localhost",)), delay=0.0, respect_robots=False)

    async def scenario() -> None:
        async with Fetcher(settings) as fetcher:
            await fetcher.fetch(f"http://localhost:{server.port}/p1.html")

    with pytest.raises(OutOfScopeError) as info:
        run(scenario())
    assert info.value.reason == "host localhost resolves to private address 127.0.0.1"
    assert server.requests == []


# --- robots.txt -----------------------------------------------------------------------------------


def test_robots_disallowed_url_is_never_requested(server: MirrorServer) -> None:
    error = fetch_error(server, "/closed/secret.html")
    assert isinstance(error, RobotsDisallowedError)
    assert (error.reason, error.skipped) == ("disallowed by robots.txt", True)
    assert [r.path for r in server.requests] == ["/robots.txt"]


def test_robots_is_read_once_per_host(server: MirrorServer) -> None:
    async def scenario() -> None:
        async with Fetcher(fast_settings(server)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}.html")) for n in range(4)))

    run(scenario())
    assert len(server.requests_for("/robots.txt")) == 1


def test_robots_can_be_ignored_when_asked(server: MirrorServer) -> None:
    result = run(fetch_one(server, "/closed/secret.html", respect_robots=False))
    assert result.status == 200
    assert server.requests_for("/robots.txt") == []


def test_missing_robots_allows_everything(server: MirrorServer) -> None:
    server.set_fault("/robots.txt", Status(404))
    assert run(fetch_one(server, "/closed/secret.html")).status == 200


def test_unreachable_robots_fails_the_host_for_this_run(server: MirrorServer) -> None:
    server.set_fault("/robots.txt", Status(500))
    error = fetch_error(server, "/p1.html", retries=1)
    assert isinstance(error, UnreachableError)
    assert error.reason == "robots.txt unavailable (HTTP 500 Internal Server Error)"
    assert server.requests_for("/p1.html") == []


def test_bundled_robots_disallows_dle_service_pages() -> None:
    with MirrorServer(BUNDLED_MIRROR) as mirror:

        async def scenario() -> list[str]:
            reasons = []
            async with Fetcher(fast_settings(mirror)) as fetcher:
                for path in (
                    "/engine/ajax/x.php",
                    "/index.php?do=search&story=x",
                    "/user/admin/",
                    "/lentanovostey/print:page,1,297434-x.html",
                ):
                    with pytest.raises(RobotsDisallowedError) as info:
                        await fetcher.fetch(mirror.url(path))
                    reasons.append(info.value.reason)
            return reasons

        assert run(scenario()) == ["disallowed by robots.txt"] * 4
        assert [r.path for r in mirror.requests] == ["/robots.txt"]


def test_crawl_delay_counts_from_the_robots_txt_request(server: MirrorServer, root: Path) -> None:
    (root / "robots.txt").write_text("User-agent: *\nCrawl-delay: 0.4\n", encoding="utf-8")

    async def scenario() -> None:
        async with Fetcher(fast_settings(server, delay=0.0)) as fetcher:
            await fetcher.fetch(server.url("/p1.html"))
            await fetcher.fetch(server.url("/p2.html"))

    run(scenario())
    assert [r.path for r in server.requests] == ["/robots.txt", "/p1.html", "/p2.html"]
    starts = [r.started for r in server.requests]
    assert all(b - a >= 0.38 for a, b in itertools.pairwise(starts)), starts


def test_crawl_delay_from_robots_slows_requests(server: MirrorServer, root: Path) -> None:
    (root / "robots.txt").write_text("User-agent: *\nCrawl-delay: 0.3\n", encoding="utf-8")

    async def scenario() -> None:
        async with Fetcher(fast_settings(server, delay=0.05)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}.html")) for n in range(3)))

    run(scenario())
    starts = sorted(r.started for r in server.requests if r.path != "/robots.txt")
    assert all(b - a >= 0.25 for a, b in itertools.pairwise(starts))


# --- size caps ------------------------------------------------------------------------------------


def test_declared_oversized_page_is_refused(server: MirrorServer) -> None:
    server.set_fault("/big.html", Oversize(5_000_000))
    error = fetch_error(server, "/big.html", max_bytes=1_000_000)
    assert isinstance(error, TooLargeError)
    assert error.reason == "Content-Length 5000000 is over 1000000 bytes"
    assert len(server.requests_for("/big.html")) <= 1


def test_undeclared_oversized_page_is_cut_at_the_cap(server: MirrorServer) -> None:
    server.set_fault("/big.html", Oversize(5_000_000, declare_length=False))
    error = fetch_error(server, "/big.html", max_bytes=1_000_000)
    assert isinstance(error, TooLargeError)
    assert error.reason == "body larger than 1000000 bytes"


def test_gzip_bomb_is_cut_without_inflating_it(server: MirrorServer) -> None:
    server.set_fault("/bomb.html", GzipBomb(100_000_000))
    server.gzip_bomb(100_000_000)  # build it before measuring
    tracemalloc.start()
    try:
        error = fetch_error(server, "/bomb.html", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, TooLargeError)
    assert error.reason == "body expands to more than 1000000 bytes (gzip)"
    assert peak < 10_000_000


# --- politeness -----------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_per_host_concurrency_is_never_exceeded(server: MirrorServer, limit: int) -> None:
    for n in range(8):
        server.set_fault(f"/p{n}.html", Delay(0.15))

    async def scenario() -> None:
        async with Fetcher(fast_settings(server, per_host_concurrency=limit)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}.html")) for n in range(8)))

    run(scenario())
    assert server.peak_in_flight == limit
    assert len(server.requests) == 9


def test_delay_between_requests_is_respected(server: MirrorServer) -> None:
    async def scenario() -> None:
        async with Fetcher(fast_settings(server, delay=0.2, per_host_concurrency=4)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{n}.html")) for n in range(4)))

    run(scenario())
    starts = sorted(r.started for r in server.requests)
    assert len(starts) == 5
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(starts))


def test_default_settings() -> None:
    settings = FetchSettings.for_site(default_profile())
    assert (settings.per_host_concurrency, settings.delay, settings.max_bytes) == (2, 1.0, 10_000_000)
    assert settings.respect_robots is True
    assert settings.fallback_charset == "windows-1251"
    assert settings.scope == Scope(site_hosts=("vybor-naroda.org", "*.vybor-naroda.org"))


# --- raw archive ----------------------------------------------------------------------------------


def test_responses_are_written_to_the_warc(server: MirrorServer, tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"

    async def scenario() -> FetchResult:
        with WarcWriter(warc_dir) as writer:
            async with Fetcher(fast_settings(server), warc=writer) as fetcher:
                return await fetcher.fetch(server.url("/header.html"))

    result = run(scenario())
    assert result.warc is not None
    stored = read_warc_response(warc_dir, result.warc)
    assert stored.url == server.url("/header.html")
    assert stored.status == 200
    assert stored.body == result.body
    assert stored.fetched_at == result.fetched_at
