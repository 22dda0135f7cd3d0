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

from scraper.extract.dates import resolve_clock_times, to_iso
from scraper.extract.dom import select_all, visible_text
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


def _candidate_from_link(link: LexborNode) -> tuple[str, str] | None:
    """(title, time) when a link holds a clock time: in its own element, else at the end of its text."""
    for child in link.iter():
        if CLOCK.match(visible_text(child)):
            title = normalize_space(
                "".join(
                    visible_text(other) if other.tag != "-text" else other.text_content or ""
                    for other in link.iter(include_text=True)
                    if other.mem_id != child.mem_id
                )
            )
            return title, visible_text(child)
    text = visible_text(link)
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
    text = normalize_space(following.text_content if following.tag == "-text" else visible_text(following))
    return text if CLOCK.match(text) else None


def _ancestor_ids(node: LexborNode) -> set[int]:
    """The node's own id and its ancestors' (one walk up, instead of one per excluded block)."""
    ids: set[int] = set()
    current: LexborNode | None = node
    while current is not None:
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _collect(scope: LexborNode, exclude: Sequence[LexborNode]) -> list[_Candidate]:
    found: list[_Candidate] = []
    excluded = {node.mem_id for node in exclude}
    # Links under each container, counted once per container (a feed's items share one).
    links_under: dict[int, int] = {}
    for order, link in enumerate(select_all(scope, "a[href]")):
        if excluded and not excluded.isdisjoint(_ancestor_ids(link)):
            continue
        pair = _candidate_from_link(link)
        container = link.parent
        if pair is None:
            clock = _time_after(link)
            title = visible_text(link)
            if clock is None or not title:
                continue
            pair = (title, clock)
        if not pair[0] or container is None:
            continue
        # Items wrapped one per element (<li><a>…</a><span>…</span></li>) group by the wrapper's parent.
        if container.tag in ("li", "div", "p", "span") and _count_links(container, links_under) == 1:
            container = container.parent or container
        found.append(_Candidate(container.mem_id, order, pair[0], pair[1], link.attributes.get("href")))
    return found


def _absolute_url(page_url: str, href: str) -> str:
    """urljoin, with absolute links (the feed's usual form, the same on every page) memoized."""
    if href.startswith(("http://", "https://")) and not href.startswith(("http:///", "https:///")):
        return _join_absolute(urlsplit(page_url).scheme, href)
    return urljoin(page_url, href)


@lru_cache(maxsize=4096)
def _join_absolute(scheme: str, href: str) -> str:
    # urljoin of a link with a scheme and a host depends on the base's scheme only.
    return urljoin(f"{scheme}://" if scheme else "", href)


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
    scopes = [node for selector in selectors for node in select_all(root, selector)] or [root]
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
    dates = resolve_clock_times([c.time for c in feed], fetched_at, tz)
    return [
        SidebarItem(
            title=c.title,
            time=c.time,
            published_at=to_iso(moment) if moment else None,
            url=_absolute_url(page_url, c.href) if c.href else None,
        )
        for c, moment in zip(feed, dates, strict=True)
    ]
