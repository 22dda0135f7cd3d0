"""The portal's timed news feed beside the article: headline + `HH:MM`, newest first.

Class names of the real template are unknown and change, so the feed is found by its shape: links
that carry (or are followed by) a bare clock time, grouped by their container; the largest such group
outside the story and the calendar is the feed. The profile's sidebar selectors only narrow the
search. A related-news list without times is not the feed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborNode

from scraper.extract.dates import resolve_clock_times_iso
from scraper.extract.dom import select_all
from scraper.extract.text import normalize_space
from scraper.models import SidebarItem
from scraper.urls import origin_of

CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
# Fallback for a link whose time is not its own element: two-digit hours keep "ЕДГ-202622:48" apart.
TRAILING_CLOCK = re.compile(r"^(?P<title>.*\S)\s*(?P<time>\d{2}:\d{2})$")
MIN_FEED_ITEMS = 2
# How many single-link wrappers (<li>, <div class="item">) may sit between a feed item's link and the feed.
MAX_WRAPPER_DEPTH = 3


@dataclass(frozen=True, slots=True)
class _Candidate:
    container_id: int
    order: int
    title: str
    time: str
    href: str | None


_PART = "\x1f"


def _candidate_from_link(link: LexborNode) -> tuple[str, str] | None:
    """(title, time) when a link holds a clock time: as a text node of its own, else at the end of its text.

    Reads the link's text nodes in one C-level call (`text(separator=…)`): this runs for every link
    of every page, so no Python walk over the link's elements.
    """
    parts = link.text(deep=True, separator=_PART, strip=False).split(_PART)
    if len(parts) > 1:
        for index, part in enumerate(parts):
            clock = part.strip()
            if CLOCK.match(clock):
                title = normalize_space("".join(parts[:index] + parts[index + 1 :]))
                return (title, clock) if title else None
    text = normalize_space("".join(parts))
    match = TRAILING_CLOCK.match(text)
    if match:
        return normalize_space(match["title"]), match["time"]
    return None


def _sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The nearest sibling that is an element or non-blank text."""
    current = node.next if forward else node.prev
    while current is not None and current.tag in ("-text", "-comment") and not (current.text_content or "").strip():
        current = current.next if forward else current.prev
    return current


def _clock_of(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    text = ((node.text_content if node.tag == "-text" else node.text(deep=True)) or "").strip()
    return text if CLOCK.match(text) else None


def _time_beside(link: LexborNode, links_under: dict[int, int]) -> str | None:
    """A clock time right after or before the link, or beside the wrapper that holds only this link.

    Covers `<a>…</a><span>16:45</span>`, `<span>16:45</span> <a>…</a>` and
    `<div class="title"><a>…</a></div><div class="time">16:45</div>`.
    """
    node: LexborNode | None = link
    for _ in range(MAX_WRAPPER_DEPTH + 1):
        if node is None:
            return None
        after, before = _clock_of(_sibling(node, True)), _clock_of(_sibling(node, False))
        if after and before:
            # Between two times: the feed's layout decides, told by whether it opens with a time.
            return before if _opens_with_clock(node.parent) else after
        if after or before:
            return after or before
        parent = node.parent
        if parent is None or _count_links(parent, links_under) != 1:
            return None
        node = parent
    return None


def _opens_with_clock(container: LexborNode | None) -> bool:
    if container is None:
        return False
    first = container.child
    while first is not None and first.tag in ("-text", "-comment") and not (first.text_content or "").strip():
        first = first.next
    return _clock_of(first) is not None


def _group_of(link: LexborNode, links_under: dict[int, int]) -> LexborNode | None:
    """The feed's container: the nearest ancestor holding more links than this item's own wrapper."""
    container = link.parent
    for _ in range(MAX_WRAPPER_DEPTH):
        if container is None or container.parent is None or _count_links(container, links_under) != 1:
            break
        container = container.parent
    return container


def _excluded_links(exclude: Sequence[LexborNode]) -> set[int]:
    """The links inside the excluded blocks (the story, the calendar), found by the C selector engine."""
    return {link.mem_id for node in exclude for link in select_all(node, "a[href]")}


def _collect(scope: LexborNode, exclude: Sequence[LexborNode]) -> list[_Candidate]:
    found: list[_Candidate] = []
    excluded = _excluded_links(exclude)
    # Links under each container, counted once per container (a feed's items share one).
    links_under: dict[int, int] = {}
    for order, link in enumerate(select_all(scope, "a[href]")):
        if link.mem_id in excluded:
            continue
        pair = _candidate_from_link(link)
        if pair is None:
            clock = _time_beside(link, links_under)
            if clock is None:
                continue
            title = normalize_space(link.text(deep=True))
            if not title:
                continue
            pair = (title, clock)
        container = _group_of(link, links_under)
        if container is None:
            continue
        found.append(_Candidate(container.mem_id, order, pair[0], pair[1], link.attributes.get("href")))
    return found


def _absolute_url(page_url: str, href: str) -> str:
    """urljoin, without its cost for the feed's usual forms (absolute, or rooted at the site)."""
    if "/." not in href and "\\" not in href:
        if href.startswith(("http://", "https://")):
            return href
        if href.startswith("/") and not href.startswith("//"):
            return _page_origin(page_url) + href
    return urljoin(page_url, href)


@lru_cache(maxsize=256)
def _page_origin(page_url: str) -> str:
    return origin_of(page_url)


def _count_links(container: LexborNode, cache: dict[int, int]) -> int:
    count = cache.get(container.mem_id)
    if count is None:
        count = cache[container.mem_id] = len(select_all(container, "a[href]"))
    return count


def find_sidebar(
    root: LexborNode,
    *,
    exclude: Sequence[LexborNode],
    selectors: Sequence[str],
    page_url: str,
    fetched_at: datetime,
    tz: ZoneInfo,
) -> list[SidebarItem]:
    """The feed's items with dates resolved against the fetch time; [] when the page has no feed."""
    # One selector-engine pass for all of the profile's feed selectors (each pass walks the whole page).
    scopes = (select_all(root, ", ".join(selectors)) if selectors else []) or [root]
    candidates: list[_Candidate] = []
    for scope in scopes:
        candidates = _collect(scope, exclude)
        if candidates:
            break
    groups: dict[int, list[_Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.container_id, []).append(candidate)
    feed = max(groups.values(), key=len, default=[])
    if len(feed) < MIN_FEED_ITEMS:
        return []
    feed.sort(key=lambda c: c.order)
    dates = resolve_clock_times_iso([c.time for c in feed], fetched_at, tz)
    return [
        SidebarItem(
            title=c.title,
            time=c.time,
            published_at=moment,
            url=_absolute_url(page_url, c.href) if c.href else None,
        )
        for c, moment in zip(feed, dates, strict=True)
    ]
