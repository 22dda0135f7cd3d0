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
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborNode

from scraper.extract.dates import resolve_clock_times_iso
from scraper.extract.dom import select_all
from scraper.extract.text import normalize_space
from scraper.models import SidebarItem

CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
# Fallback for a link whose time is not its own element: two-digit hours keep "ЕДГ-202622:48" apart.
TRAILING_CLOCK = re.compile(r"^(?P<title>.*\S)\s*(?P<time>\d{2}:\d{2})$")
MIN_FEED_ITEMS = 2


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


def _time_after(link: LexborNode) -> str | None:
    """A clock time in the element right after the link (`<a>…</a><span>16:45</span>`)."""
    following = link.next
    while following is not None and following.tag == "-text" and not (following.text_content or "").strip():
        following = following.next
    if following is None:
        return None
    text = (following.text_content if following.tag == "-text" else following.text(deep=True)) or ""
    text = text.strip()
    return text if CLOCK.match(text) else None


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
            clock = _time_after(link)
            if clock is None:
                continue
            title = normalize_space(link.text(deep=True))
            if not title:
                continue
            pair = (title, clock)
        container = link.parent
        if container is None:
            continue
        # Items wrapped one per element (<li><a>…</a><span>…</span></li>) group by the wrapper's parent.
        if container.tag in ("li", "div", "p", "span") and _count_links(container, links_under) == 1:
            container = container.parent or container
        found.append(_Candidate(container.mem_id, order, pair[0], pair[1], link.attributes.get("href")))
    return found


def _absolute_url(page_url: str, href: str) -> str:
    """urljoin, without its cost for the feed's usual forms (absolute, or rooted at the site)."""
    if "/." not in href and "\\" not in href:
        if href.startswith(("http://", "https://")):
            return href
        if href.startswith("/") and not href.startswith("//"):
            return _origin(page_url) + href
    return urljoin(page_url, href)


@lru_cache(maxsize=256)
def _origin(page_url: str) -> str:
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}"


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
