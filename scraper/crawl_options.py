"""What one crawl run is asked to do (`CrawlOptions`), and the checks that refuse a bad request before
the run creates or changes anything: option values, the archive's folder, the WARC folder."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx

from scraper.addresses import Addresses
from scraper.errors import InputError
from scraper.fetch import DEFAULT_PER_HOST_CONCURRENCY, DEFAULT_USER_AGENT
from scraper.lock import blocking_file
from scraper.sites import SiteProfile

DEFAULT_CONCURRENCY = DEFAULT_PER_HOST_CONCURRENCY
DEFAULT_REVISIT_HOURS = 48.0
DEFAULT_TIMEOUT = 30.0
WARC_DIRNAME = "warc"
#: Upper bounds of the numeric options (beyond them the clock and socket arithmetic overflows).
MAX_REVISIT_HOURS = 1_000_000.0
MAX_SECONDS_OPTION = 86_400.0

Mode = Literal["scheduled", "dates", "full"]


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """What one crawl run does; the CLI builds it from its options."""

    db_path: Path
    profile: SiteProfile
    base_url: str | None = None
    since: date | None = None
    until: date | None = None
    full: bool = False
    max_pages: int | None = None
    max_time: float | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    delay: float | None = None
    timeout: float = DEFAULT_TIMEOUT
    revisit_hours: float = DEFAULT_REVISIT_HOURS
    warc_dir: Path | None = None
    user_agent: str = DEFAULT_USER_AGENT
    command: str = "crawl"

    @property
    def mode(self) -> Mode:
        if self.full:
            return "full"
        if self.since is not None:
            return "dates"
        return "scheduled"

    @property
    def warc_directory(self) -> Path:
        return self.warc_dir or self.db_path.parent / WARC_DIRNAME


def _number(value: float, option: str, *, low: float, high: float, low_inclusive: bool = True) -> None:
    ok_low = value >= low if low_inclusive else value > low
    if not (math.isfinite(value) and ok_low and value <= high):
        bounds = f"from {_plain(low)}" if low_inclusive else f"above {_plain(low)}"
        if math.isfinite(high):
            bounds += f" up to {_plain(high)}"
        raise InputError(f"{option} must be a number {bounds}, not {_plain(value)}")


def _plain(number: float) -> str:
    return str(int(number)) if math.isfinite(number) and number == int(number) and abs(number) < 1e15 else f"{number:g}"


def check_options(options: CrawlOptions) -> None:
    """Refuse option values the run cannot work with (named by their command-line option).

    Raises:
        InputError: the first bad value found.
    """
    _number(options.revisit_hours, "--revisit-hours", low=0, high=MAX_REVISIT_HOURS)
    _number(options.timeout, "--timeout", low=0, high=MAX_SECONDS_OPTION, low_inclusive=False)
    if options.delay is not None:
        _number(options.delay, "--delay", low=0, high=MAX_SECONDS_OPTION)
    if options.max_time is not None:
        _number(options.max_time, "--max-time", low=0, high=math.inf, low_inclusive=False)
    if options.max_pages is not None and options.max_pages < 1:
        raise InputError(f"--max-pages must be at least 1, not {options.max_pages}")
    if not 1 <= options.concurrency <= 64:
        raise InputError(f"--concurrency must be from 1 to 64, not {options.concurrency}")
    if options.since is not None and options.until is not None and options.since > options.until:
        raise InputError(f"--since {options.since} is after --until {options.until}")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in options.user_agent):
        raise InputError("--user-agent must be one line of text without control characters")
    try:
        options.user_agent.encode("latin-1")
    except UnicodeEncodeError:
        raise InputError("--user-agent must be Latin-1 text (an HTTP header value)") from None
    if options.base_url is not None:
        _check_base_url(options)


def _check_base_url(options: CrawlOptions) -> None:
    base_url = options.base_url
    assert base_url is not None
    try:
        parts = urlsplit(base_url)
        port = parts.port
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http(s) address with a host")
        if port == 0:
            raise ValueError("port 0")
        addresses = Addresses(options.profile, base_url)
        httpx.URL(addresses.fetch_origin + "/")
    except (ValueError, OverflowError, httpx.InvalidURL) as exc:
        raise InputError(
            f"--base-url {base_url!r} is not a usable address ({exc}); give an origin such as http://127.0.0.1:8000"
        ) from None


def check_run(options: CrawlOptions) -> None:
    """Everything that can be checked before a run creates or changes anything.

    Raises:
        InputError: a bad option value, a folder of the archive that is a file, or a WARC folder that
            cannot be made.

    The archive file itself is checked by `Archive.open` under the lock (opening it read-only here
    would touch the `-shm` file of an archive another run is writing); a refusal there takes back
    the lock file and the WARC folder this run made.
    """
    check_options(options)
    db = options.db_path
    blocker = blocking_file(db.parent)
    if blocker is not None:
        raise InputError(f"{db}: {blocker} is a file, not a folder; nothing was changed")
    warc = options.warc_directory
    blocker = blocking_file(warc)
    if blocker is not None:
        if blocker == warc:
            raise InputError(f"{warc}: a file, where the WARC files' folder goes; nothing was changed")
        raise InputError(f"{warc}: cannot make the WARC folder: {blocker} is a file, not a folder; nothing was changed")
    nearest = next(p for p in (warc, *warc.parents) if p.exists())
    if not os.access(nearest, os.W_OK | os.X_OK):
        what = "is not writable" if nearest == warc else f"cannot be made: {nearest} is not writable"
        raise InputError(f"{warc}: the WARC folder {what}; nothing was changed")
