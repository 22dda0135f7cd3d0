"""URL arithmetic shared by every stage: classify a URL with a site profile, drop what never changes a
page (fragments, tracking parameters), and name the article a URL points at.

The same article is reachable through several hosts, its print version and tracking parameters; the
key that survives all of them is (site, news_id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scraper.sites import SiteProfile


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What an article URL says about its article."""

    news_id: str
    category: str
    is_print: bool


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased: what robots.txt, politeness and host rewriting key on."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _kept_by_urljoin(url: str) -> bool:
    """Whether an ASCII URL holds none of the characters after which urljoin may rewrite or reject it:
    an empty query or fragment is dropped, `;` splits params, brackets are checked as IPv6, tabs and
    newlines are removed. Plain `in` tests: this runs for every feed link of every page."""
    return not (
        "?" in url or "#" in url or ";" in url or "[" in url or "]" in url or "\t" in url or "\r" in url or "\n" in url
    )


# An absolute http(s) URL whose host (no port, no user info) holds only the characters of a plain
# ASCII host name, up to the path or the end: what almost every link is, and what urljoin keeps as is.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.\-_~!$&'()*+,=%]+(?:/|\Z)")
# Characters no host (with its user info and port) may hold: whitespace, controls and the ASCII
# characters RFC 3986 leaves out of an authority. Non-ASCII letters are an IDN's, and allowed.
_BAD_HOST_CHAR = re.compile(r'[\s\x00-\x1f\x7f<>"{}|\\^`]')


def join_url(base: str, href: str) -> str | None:
    """`urljoin(base, href)`, or None when that is no URL (an unclosed IPv6 bracket, a port that is not
    a number from 0 to 65535, a host with a space or another character no host may hold): a page's one
    bad link must cost that link only.

    urljoin is skipped where it would give an absolute http(s) URL back unchanged or a rooted path after
    the base's `scheme://netloc`. Pages link and point their canonical and image URLs that way; urljoin
    parses and reassembles both URLs each time, which costs more than the rest of reading a feed item.
    """
    if not href.isascii() or not _kept_by_urljoin(href):
        return _checked_join(base, href)
    if href.startswith("/"):
        if "//" in href or "/." in href:  # doubled slashes or dot segments: urljoin's to read
            return _checked_join(base, href)
        root = _root_of(base)
        return root + href if root is not None else _checked_join(base, href)
    if _PLAIN_ABSOLUTE.match(href) is not None:
        return href
    if href.startswith("http://"):
        host_start = 7
    elif href.startswith("https://"):
        host_start = 8
    else:
        return _checked_join(base, href)
    # With a host after the scheme (not `http:///path`, which is a path on the base's host).
    if href[host_start : host_start + 1] in ("", "/"):
        return _checked_join(base, href)
    # The host part ends at the first slash; no character a host cannot hold may stand before it.
    slash = href.find("/", host_start)
    if _BAD_HOST_CHAR.search(href, host_start, slash if slash >= 0 else len(href)) is not None:
        return None
    # A colon in the host part is a port (or user:password), which must parse; brackets took the slow path.
    colon = href.find(":", host_start)
    if colon >= 0 and not (0 <= slash < colon) and not _parses(href):
        return None
    return href


def _parses(url: str) -> bool:
    """Whether urlsplit takes the URL and its port (what normalize_url needs of it), with a host free of
    characters no host may hold (`http://exa mple.org/`)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # the property raises ValueError on a bad port
    except ValueError:
        return False
    return _BAD_HOST_CHAR.search(parts.netloc) is None


def _checked_join(base: str, href: str) -> str | None:
    try:
        joined = urljoin(base, href)
    except ValueError:  # an unclosed IPv6 bracket in either URL
        return None
    return joined if _parses(joined) else None


@lru_cache(maxsize=64)
def _root_of(base: str) -> str | None:
    """`scheme://netloc` of an http(s) base URL exactly as written, which urljoin puts before a rooted path;
    None for any other base, or one that is no URL."""
    try:
        parts = urlsplit(base)
        _ = parts.port  # the property raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def normalize_url(url: str, profile: SiteProfile | None = None) -> str:
    """Lower-case scheme and host, drop the fragment and tracking parameters, keep the rest."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    query = parts.query
    if profile is not None and query:
        kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in profile.urls.tracking_params]
        query = urlencode(kept)
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def parse_article_url(url: str, profile: SiteProfile) -> ArticleRef | None:
    """The article a URL points at (its news id and category), or None for any other page."""
    path = urlsplit(url).path
    match = profile.urls.article.match(path)
    is_print = False
    if match is None:
        match = profile.urls.print.match(path)
        is_print = match is not None
    if match is None:
        return None
    return ArticleRef(news_id=match.group("news_id"), category=match.group("category"), is_print=is_print)


def is_article_url(url: str, profile: SiteProfile) -> bool:
    ref = parse_article_url(url, profile)
    return ref is not None and not ref.is_print
