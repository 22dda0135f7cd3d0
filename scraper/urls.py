"""URL arithmetic shared by every stage: classify a URL with a site profile, drop what never changes a
page (fragments, tracking parameters), and name the article a URL points at.

The same article is reachable through several hosts, its print version and tracking parameters; the
key that survives all of them is (site, news_id).
"""

from __future__ import annotations

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


def join_url(base: str, href: str) -> str:
    """`urljoin(base, href)`, skipping urljoin where it would give an absolute http(s) URL back unchanged
    or a rooted path after the base's `scheme://netloc`.

    Pages link and point their canonical and image URLs that way; urljoin parses and reassembles both
    URLs each time, which costs more than the rest of reading a feed item.
    """
    if not href.isascii() or not _kept_by_urljoin(href):
        return urljoin(base, href)
    if href.startswith("http://"):
        host_start = 7
    elif href.startswith("https://"):
        host_start = 8
    elif href.startswith("/") and "//" not in href and "/." not in href:  # no doubled slashes, no dot segments
        root = _root_of(base)
        return root + href if root is not None else urljoin(base, href)
    else:
        return urljoin(base, href)
    # With a host after the scheme (not `http:///path`, which is a path on the base's host).
    return href if href[host_start : host_start + 1] not in ("", "/") else urljoin(base, href)


@lru_cache(maxsize=64)
def _root_of(base: str) -> str | None:
    """`scheme://netloc` of an http(s) base URL exactly as written, which urljoin puts before a rooted path."""
    parts = urlsplit(base)
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
