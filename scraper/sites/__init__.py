"""Site profiles: one TOML file per portal in this folder, read into frozen dataclasses.

A profile is data only (hosts, URL patterns, entry points, selectors with fallbacks), validated once
when it is loaded; a bad profile raises ProfileError naming the file and the key. Adding another DLE
portal means adding a TOML file here, not code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.errors import ProfileError, UnknownSiteError

PROFILE_DIR = Path(__file__).parent
SELECTOR_KEYS = (
    "content",
    "article",
    "headline",
    "date",
    "body",
    "image",
    "credit",
    "print_link",
    "tags",
    "sidebar",
)


@dataclass(frozen=True, slots=True)
class UrlPatterns:
    """Compiled path patterns; `article` and `print` carry `news_id` and `category` groups."""

    article: re.Pattern[str]
    print: re.Pattern[str]
    listing: re.Pattern[str]
    date_archive: re.Pattern[str]
    tracking_params: frozenset[str]


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Everything the pipeline knows about one portal."""

    key: str
    name: str
    default_base_url: str
    hosts: tuple[str, ...]
    timezone: ZoneInfo
    utc_offset: str
    fallback_charset: str
    urls: UrlPatterns
    feeds: tuple[str, ...]
    listings: tuple[str, ...]
    sitemaps: tuple[str, ...]
    selectors: dict[str, tuple[str, ...]]
    source: Path

    def owns_host(self, host: str) -> bool:
        """True when `host` belongs to this site (exact host or a `*.domain` wildcard)."""
        host = host.lower().rstrip(".")
        for pattern in self.hosts:
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]):
                    return True
            elif host == pattern:
                return True
        return False

    def selector(self, key: str) -> tuple[str, ...]:
        return self.selectors.get(key, ())


def _require(table: dict[str, Any], key: str, kind: type, path: Path, section: str) -> Any:
    if key not in table:
        raise ProfileError(f"{path}: missing key [{section}].{key}")
    value = table[key]
    if not isinstance(value, kind):
        raise ProfileError(f"{path}: [{section}].{key} must be a {kind.__name__}")
    return value


def _compile(pattern: str, path: Path, key: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ProfileError(f"{path}: [urls].{key} is not a valid regular expression: {exc}") from exc


def _str_list(table: dict[str, Any], key: str, path: Path, section: str) -> tuple[str, ...]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError(f"{path}: [{section}].{key} must be a list of strings")
    return tuple(values)


def load_profile_file(path: Path) -> SiteProfile:
    """Read and validate one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read site profile: {exc}") from exc
    site = data.get("site")
    urls = data.get("urls")
    if not isinstance(site, dict) or not isinstance(urls, dict):
        raise ProfileError(f"{path}: a profile needs [site] and [urls] tables")
    tz_name = _require(site, "timezone", str, path, "site")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(f"{path}: [site].timezone {tz_name!r} is not a known time zone") from exc
    discovery = data.get("discovery", {})
    selectors_table = data.get("selectors", {})
    unknown = set(selectors_table) - set(SELECTOR_KEYS)
    if unknown:
        raise ProfileError(f"{path}: unknown key(s) in [selectors]: {', '.join(sorted(unknown))}")
    selectors = {key: _str_list(selectors_table, key, path, "selectors") for key in SELECTOR_KEYS}
    base = _require(site, "default_base_url", str, path, "site")
    if urlsplit(base).scheme not in ("http", "https"):
        raise ProfileError(f"{path}: [site].default_base_url must be an http(s) URL")
    return SiteProfile(
        key=path.stem,
        name=_require(site, "name", str, path, "site"),
        default_base_url=base.rstrip("/"),
        hosts=_str_list(site, "hosts", path, "site"),
        timezone=tz,
        utc_offset=site.get("utc_offset", "+00:00"),
        fallback_charset=site.get("fallback_charset", "utf-8"),
        urls=UrlPatterns(
            article=_compile(_require(urls, "article", str, path, "urls"), path, "article"),
            print=_compile(_require(urls, "print", str, path, "urls"), path, "print"),
            listing=_compile(urls.get("listing", "^/$"), path, "listing"),
            date_archive=_compile(urls.get("date_archive", "^$"), path, "date_archive"),
            tracking_params=frozenset(_str_list(urls, "tracking_params", path, "urls")),
        ),
        feeds=_str_list(discovery, "feeds", path, "discovery"),
        listings=_str_list(discovery, "listings", path, "discovery") or ("/",),
        sitemaps=_str_list(discovery, "sitemaps", path, "discovery"),
        selectors=selectors,
        source=path,
    )


@cache
def all_profiles() -> tuple[SiteProfile, ...]:
    """Every profile shipped in this folder, sorted by file name."""
    return tuple(load_profile_file(p) for p in sorted(PROFILE_DIR.glob("*.toml")))


def get_profile(name: str) -> SiteProfile:
    """A profile by file stem (`vybor_naroda`) or site name (`vybor-naroda.org`)."""
    for profile in all_profiles():
        if name in (profile.key, profile.name):
            return profile
    known = ", ".join(p.key for p in all_profiles())
    raise ProfileError(f"no site profile named {name!r} (known: {known})")


def profile_for_url(url: str) -> SiteProfile:
    """The profile whose hosts include the URL's host."""
    host = urlsplit(url).hostname or ""
    for profile in all_profiles():
        if profile.owns_host(host):
            return profile
    raise UnknownSiteError(f"unknown site: no profile covers host {host or url!r}")


def default_profile() -> SiteProfile:
    """The profile used when nothing else names one (the first portal)."""
    return get_profile("vybor_naroda")
