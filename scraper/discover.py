"""Discovery stage: turn the text of a feed, listing, date archive or sitemap into the URLs to crawl next.

Pure functions, text in and frozen records out; they fetch nothing and store nothing (`crawl.py` feeds
them fetched text and enqueues what they return). HTML goes through selectolax. XML (RSS, sitemaps) is
read with regular expressions that know CDATA, the five predefined entities and character references
and nothing else: a DTD's entities are never expanded, so a hostile feed cannot blow up (billion laughs)
or make us read local files (XXE).

What the parsers know about DataLife Engine markup:
- listings (home `/`, category `/{category}/`, date archives `/YYYY/MM/DD/`) put short stories in
  `#dle-content` and paginate with `<span>1</span> <a href=".../page/2/">2</a>`, gaps being
  `<span class="nav_ext">...</span>`;
- the calendar widget is `table#calendar`: `td.day-active a` links to `/YYYY/MM/DD/`, `a.monthlink`
  to neighbouring months `/YYYY/MM/`;
- feeds are RSS 2.0 (Yandex flavour) with RFC 2822 `pubDate`;
- sitemaps are `urlset` (`loc`, `lastmod`) or `sitemapindex` of further sitemaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.sites import SiteProfile
from scraper.urls import normalize_url, parse_article_url

_PAGE_SUFFIX = re.compile(r"^(?P<base>.*/)page/(?P<number>\d+)/?$")
_DAY_PATH = re.compile(r"^/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/$")
_MONTH_PATH = re.compile(r"^/(?P<y>\d{4})/(?P<m>\d{2})/$")
_XML_ITEM = re.compile(r"<item\b[^>]*>(.*?)</item\s*>", re.DOTALL | re.IGNORECASE)
_XML_URL = re.compile(r"<url\b[^>]*>(.*?)</url\s*>", re.DOTALL | re.IGNORECASE)
_XML_SITEMAP = re.compile(r"<sitemap\b[^>]*>(.*?)</sitemap\s*>", re.DOTALL | re.IGNORECASE)
_XML_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_XML_REF = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_XML_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One `<item>` of an RSS feed; `published_at` is ISO 8601 with the feed's offset."""

    url: str
    title: str | None
    published_at: str | None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a listing page links to.

    `article_urls` are the articles in the main column (`#dle-content`), in page order, without print
    versions and duplicates; `page_urls` every pagination link of this listing; `next_page_url` the page
    after this one, None on the last page.
    """

    article_urls: tuple[str, ...]
    page_urls: tuple[str, ...]
    next_page_url: str | None
    page_number: int


@dataclass(frozen=True, slots=True)
class Calendar:
    """The calendar widget: days with news (as date-archive URLs with their dates) and month links."""

    days: tuple[tuple[date, str], ...]
    month_urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A `urlset` (entries are pages) or a `sitemapindex` (entries are further sitemaps)."""

    kind: Literal["urlset", "sitemapindex"]
    entries: tuple[SitemapEntry, ...]


# --- HTML ---------------------------------------------------------------------------------------


def _absolute(href: str | None, base_url: str, profile: SiteProfile | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        url = urljoin(base_url, href)
        if urlsplit(url).scheme not in ("http", "https"):
            return None
        return normalize_url(url, profile)
    except ValueError:  # `http://[host/`, a port that is no number: a broken link, not the page's fault
        return None


def _unique(urls: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))


def find_article_links(
    page_html: str, *, base_url: str, profile: SiteProfile, selector: str | None = None
) -> tuple[str, ...]:
    """Article URLs linked from the page (or from the part `selector` names), print versions left out.

    Every article link counts as a discovery source: the sidebar feed, related news, listings.
    """
    tree = LexborHTMLParser(page_html)
    scope = tree.css_first(selector) if selector else tree.root
    if scope is None:
        return ()
    found: list[str] = []
    for anchor in scope.css("a[href]"):
        url = _absolute(anchor.attributes.get("href"), base_url, profile)
        if url is None:
            continue
        ref = parse_article_url(url, profile)
        if ref is not None and not ref.is_print:
            found.append(url)
    return _unique(found)


def find_listing_links(page_html: str, *, base_url: str, profile: SiteProfile) -> tuple[str, ...]:
    """First pages of the listings the page links to (home, category pages from the menu), same host only."""
    tree = LexborHTMLParser(page_html)
    host = urlsplit(base_url).netloc
    found: list[str] = []
    for anchor in tree.css("a[href]"):
        url = _absolute(anchor.attributes.get("href"), base_url, profile)
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.netloc != host or parts.query or _PAGE_SUFFIX.match(parts.path):
            continue
        if profile.urls.listing.match(parts.path) and not profile.urls.date_archive.match(parts.path):
            found.append(url)
    return _unique(found)


def page_number(url: str) -> int:
    """The listing page a URL shows: N for `.../page/N/`, 1 otherwise."""
    match = _PAGE_SUFFIX.match(urlsplit(url).path)
    return int(match.group("number")) if match else 1


def listing_base(url: str) -> str:
    """The first page of the listing a URL belongs to (`/cat/page/3/` → `/cat/`)."""
    parts = urlsplit(url)
    match = _PAGE_SUFFIX.match(parts.path)
    path = match.group("base") if match else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def parse_listing(page_html: str, *, url: str, profile: SiteProfile) -> Listing:
    """Articles and pagination of a listing page fetched from `url`."""
    content_selector = profile.selector("content")[0] if profile.selector("content") else "#dle-content"
    articles = find_article_links(page_html, base_url=url, profile=profile, selector=content_selector)
    if not articles:
        # A template without the DLE hook: fall back to the whole page rather than find nothing.
        articles = find_article_links(page_html, base_url=url, profile=profile)
    base = listing_base(url)
    base_parts = urlsplit(base)
    current = page_number(url)
    pages: dict[int, str] = {}
    tree = LexborHTMLParser(page_html)
    for anchor in tree.css("a[href]"):
        link = _absolute(anchor.attributes.get("href"), url, profile)
        if link is None:
            continue
        parts = urlsplit(link)
        match = _PAGE_SUFFIX.match(parts.path)
        if match is None or parts.netloc != base_parts.netloc or match.group("base") != base_parts.path:
            continue
        number = int(match.group("number"))
        if number != current:
            pages.setdefault(number, link)
    # DLE links page 1 as the listing itself, without `page/1/`.
    page_urls = tuple(pages[n] for n in sorted(pages))
    return Listing(
        article_urls=articles,
        page_urls=page_urls,
        next_page_url=pages.get(current + 1),
        page_number=current,
    )


def parse_calendar(page_html: str, *, base_url: str, profile: SiteProfile | None = None) -> Calendar:
    """Days with news and month links of the calendar widget; an empty Calendar when there is none."""
    tree = LexborHTMLParser(page_html)
    table = tree.css_first("table#calendar") or tree.css_first("table.calendar")
    if table is None:
        return Calendar(days=(), month_urls=())
    days: dict[date, str] = {}
    for anchor in table.css("td.day-active a[href]"):
        url = _absolute(anchor.attributes.get("href"), base_url, profile)
        if url is None:
            continue
        match = _DAY_PATH.match(urlsplit(url).path)
        if match is None:
            continue
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        days.setdefault(day, url)
    months: list[str] = []
    for anchor in table.css("a.monthlink[href]"):
        url = _absolute(anchor.attributes.get("href"), base_url, profile)
        if url is not None and _MONTH_PATH.match(urlsplit(url).path):
            months.append(url)
    return Calendar(days=tuple(sorted(days.items())), month_urls=_unique(months))


# --- XML ----------------------------------------------------------------------------------------


def _xml_unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        try:
            if decimal:
                return chr(int(decimal))
            if hexadecimal:
                return chr(int(hexadecimal, 16))
        except (ValueError, OverflowError):
            return match.group(0)
        return _XML_PREDEFINED[name]

    return _XML_REF.sub(replace, text)


def _xml_text(text: str) -> str:
    """Element text: CDATA sections verbatim, everything else with predefined/char references resolved."""
    out: list[str] = []
    position = 0
    for match in _XML_CDATA.finditer(text):
        out.append(_xml_unescape(text[position : match.start()]))
        out.append(match.group(1))
        position = match.end()
    out.append(_xml_unescape(text[position:]))
    return "".join(out).strip()


def _xml_child(block: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}\s*>", block, re.DOTALL | re.IGNORECASE)
    if match is None:
        return None
    return _xml_text(match.group(1)) or None


def _rfc2822_to_iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.isoformat()


def parse_feed(text: str, *, base_url: str, profile: SiteProfile | None = None) -> tuple[FeedItem, ...]:
    """The items of an RSS 2.0 feed (Yandex flavour included), in feed order, without duplicates."""
    items: dict[str, FeedItem] = {}
    for match in _XML_ITEM.finditer(text):
        block = match.group(1)
        url = _absolute(_xml_child(block, "link"), base_url, profile)
        if url is None:
            continue
        items.setdefault(
            url,
            FeedItem(
                url=url,
                title=_xml_child(block, "title"),
                published_at=_rfc2822_to_iso(_xml_child(block, "pubDate")),
            ),
        )
    return tuple(items.values())


def parse_sitemap(text: str, *, base_url: str, profile: SiteProfile | None = None) -> Sitemap:
    """A sitemap or sitemap index; `lastmod` is kept as written when it starts with a date."""
    is_index = re.search(r"<sitemapindex\b", text, re.IGNORECASE) is not None
    pattern = _XML_SITEMAP if is_index else _XML_URL
    entries: dict[str, SitemapEntry] = {}
    for match in pattern.finditer(text):
        block = match.group(1)
        url = _absolute(_xml_child(block, "loc"), base_url, profile)
        if url is None:
            continue
        lastmod = _xml_child(block, "lastmod")
        if lastmod is not None and not _ISO_DATE.match(lastmod):
            lastmod = None
        entries.setdefault(url, SitemapEntry(url=url, lastmod=lastmod))
    return Sitemap(kind="sitemapindex" if is_index else "urlset", entries=tuple(entries.values()))
