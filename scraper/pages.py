"""Pages given on the command line: a saved file (with the address it was saved from) or a URL.

A URL is fetched once with the crawler's fetcher (scope, robots, size cap, charset rules), without
touching any archive. A saved page knows its own address through `<link rel="canonical">` or `og:url`; `--url` wins over
that, and a page with neither cannot be placed on a site, which is an input error, not a guess.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass
from pathlib import Path

from scraper.errors import InputError
from scraper.fetch import Fetcher, FetchSettings
from scraper.sites import SiteProfile, profile_for_url

_CANONICAL = re.compile(
    rb"""<link[^>]+rel\s*=\s*["']?canonical["']?[^>]*href\s*=\s*["']([^"'>\s]+)|"""
    rb"""<meta[^>]+property\s*=\s*["']og:url["'][^>]*content\s*=\s*["']([^"'>\s]+)""",
    re.IGNORECASE,
)
_SNIFF_BYTES = 65536


@dataclass(frozen=True, slots=True)
class PageInput:
    """A page's bytes with what is known about where and when it came from."""

    body: bytes
    url: str
    fetched_at: str | None
    charset: str | None = None


def address_in_page(body: bytes) -> str | None:
    """The absolute address a saved page declares for itself, if any."""
    match = _CANONICAL.search(body[:_SNIFF_BYTES])
    if not match:
        return None
    found = (match.group(1) or match.group(2)).decode("ascii", "replace")
    return found if found.startswith(("http://", "https://")) else None


def read_page_file(path: str, *, url: str | None, fetched_at: str | None, max_bytes: int | None = None) -> PageInput:
    """A saved page; its address from `url` or from the page itself.

    `max_bytes`: a bigger file is refused by its size, before it is read (the crawler's page size cap,
    `scraper.fetch.DEFAULT_MAX_BYTES`, for `newsarchive ingest`).

    Raises:
        InputError: the file is missing, a broken symbolic link, unreadable or over `max_bytes`, or
            nothing tells its address.
    """
    file = Path(path)
    if not file.exists():
        if file.is_symlink():
            raise InputError(f"{path}: broken symbolic link ({_link_target(file)}); not read")
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a directory, not a page")
    body = _read_capped(file, path, max_bytes)
    address = url or address_in_page(body)
    if address is None:
        raise InputError(f"{path}: the page does not say its address; pass --url URL")
    if not address.startswith(("http://", "https://")):
        raise InputError(f"--url {address!r}: not an http(s) URL")
    return PageInput(body=body, url=address, fetched_at=fetched_at)


def _link_target(file: Path) -> str:
    """Where a broken link points and why it leads nowhere: `to /gone.html: No such file or directory`."""
    try:
        target = os.readlink(file)
        os.stat(file)
    except OSError as exc:
        return f"to {target}: {exc.strerror}" if "target" in locals() else str(exc.strerror or exc)
    return f"to {target}"


def _too_large(path: str, max_bytes: int, size: int | None = None) -> InputError:
    known = f" ({size} bytes)" if size is not None else ""
    return InputError(f"{path}: larger than the size cap for a page, {max_bytes} bytes{known}; not read")


def _read_capped(file: Path, path: str, max_bytes: int | None) -> bytes:
    """The file's bytes; over `max_bytes` by its size (or, for a file that grows, by what reading finds),
    refused without reading more than the cap."""
    try:
        with file.open("rb") as handle:
            if max_bytes is None:
                return handle.read()
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _too_large(path, max_bytes, size)
            body = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(body) > max_bytes:
        raise _too_large(path, max_bytes)
    return body


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


async def _fetch(url: str, profile: SiteProfile) -> PageInput:
    async with Fetcher(FetchSettings.for_site(profile, base_url=url, delay=0.0)) as fetcher:
        result = await fetcher.fetch(url)
    if result.status != 200:
        raise InputError(f"{url}: the server answered HTTP {result.status}")
    return PageInput(body=result.body, url=result.final_url, fetched_at=result.fetched_at, charset=result.charset)


def fetch_page_url(url: str, *, profile: SiteProfile | None = None, fetched_at: str | None = None) -> PageInput:
    """One page fetched from the site it belongs to; `fetched_at` overrides the fetch time.

    With `profile` given, the URL's host is taken as that site's (a mirror on another host).

    Raises:
        UnknownSiteError: no site profile covers the URL.
        FetchError: the page could not be fetched (its reason is the message).
        InputError: the server answered with a status other than 200.
    """
    page = asyncio.run(_fetch(url, profile or profile_for_url(url)))
    return page if fetched_at is None else PageInput(page.body, page.url, fetched_at, page.charset)
