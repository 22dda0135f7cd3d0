"""The portal's timed news feed beside the article: headline + `HH:MM`, newest first.

Class names of the real template are unknown and change, so the feed is found by its shape: links
that carry (or are followed by) a bare clock time, grouped by their container; the largest such group
outside the story and the calendar is the feed. The profile's sidebar selectors only narrow the
search. A related-news list without times is not the feed.

This runs on every crawled page, so the hot path (one link of the feed) is kept to one C-level text
call, a few string operations and one parent lookup; every selectolax property access builds a Python
object, and every CSS query walks a subtree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborNode

from scraper.extract.dates import resolve_clock_times_iso
from scraper.extract.dom import select_all
from scraper.extract.text import normalize_space
from scraper.models import SidebarItem
from scraper.urls import join_url

CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
# Fallback for a link whose time is not its own element: two-digit hours keep "ЕДГ-202622:48" apart.
TRAILING_CLOCK = re.compile(r"^(?P<title>.*\S)\s*(?P<time>\d{2}:\d{2})$")
# Timed links a group needs to be the feed when found by shape alone anywhere on the page; a block the
# profile names as the feed (`div.lenta`) is the feed with one.
MIN_FEED_ITEMS = 2
MIN_PROFILE_FEED_ITEMS = 1
# How many single-link wrappers (<li>, <div class="item">) may sit between a feed item's link and the feed.
MAX_WRAPPER_DEPTH = 3
LINKS = "a[href]"

_PART = "\x1f"
_BLANK_TAGS = ("-text", "-comment")
# (title, time, href) of one feed item.
_Item = tuple[str, str, str | None]


@lru_cache(maxsize=2048)
def _is_clock(text: str) -> bool:
    """CLOCK.match, remembered: a feed repeats the same few hundred `HH:MM` strings on every page."""
    return CLOCK.match(text) is not None


def _candidate_from_text(text: str) -> tuple[str, str] | None:
    """(title, time) from a link's text nodes joined by `_PART`: the first text node that is a clock
    time, else a time at the end of the link's text.

    Fast path first, for the feed's usual `<a><span>title</span><span>16:45</span></a>`.
    """
    parts = text.split(_PART)
    if len(parts) == 2 and ":" not in parts[0]:
        clock = parts[1].strip()
        if 4 <= len(clock) <= 5 and _is_clock(clock):  # CLOCK only matches 4 or 5 characters
            title = normalize_space(parts[0])
            return (title, clock) if title else None
    if ":" not in text:  # no clock in any text node, nor at the end (most links of a page)
        return None
    if len(parts) > 1:
        for index, part in enumerate(parts):
            clock = part.strip()
            if CLOCK.match(clock):
                title = normalize_space("".join(parts[:index] + parts[index + 1 :]))
                return (title, clock) if title else None
    match = TRAILING_CLOCK.match(normalize_space("".join(parts)))
    if match:
        return normalize_space(match["title"]), match["time"]
    return None


def _sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The nearest sibling that is an element or non-blank text."""
    current = node.next if forward else node.prev
    while current is not None and current.tag in _BLANK_TAGS and not (current.text_content or "").strip():
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
    while first is not None and first.tag in _BLANK_TAGS and not (first.text_content or "").strip():
        first = first.next
    return _clock_of(first) is not None


def _group_of(parent: LexborNode | None, links_under: dict[int, int]) -> int | None:
    """mem_id of the feed's container for a link under `parent`: the nearest ancestor holding more
    links than the item's own wrapper. It depends on the parent only, so feed items share one lookup."""
    container = parent
    for _ in range(MAX_WRAPPER_DEPTH):
        if container is None or _count_links(container, links_under) != 1:
            break
        up = container.parent
        if up is None:
            break
        container = up
    return None if container is None else container.mem_id


def _count_links(container: LexborNode, cache: dict[int, int]) -> int:
    count = cache.get(container.mem_id)
    if count is None:
        count = cache[container.mem_id] = len(select_all(container, LINKS))
    return count


def _excluded_links(scope: LexborNode, exclude: Sequence[LexborNode]) -> set[int] | None:
    """mem_ids of the scope's links inside the excluded blocks (the story, the calendar); None when the
    scope itself lies inside one, so all its links are excluded.

    Only a block inside the scope needs its links listed: the block's ancestors are walked up to where
    they meet the scope's, instead of running the selector engine over every block (the story is big).
    """
    ancestors: set[int] = set()
    node = scope.parent
    while node is not None:
        ancestors.add(node.mem_id)
        node = node.parent
    scope_id = scope.mem_id
    excluded: set[int] = set()
    seen: set[int] = set()  # a calendar matched by two selectors comes twice
    for block in exclude:
        block_id = node_id = block.mem_id
        if block_id in seen:
            continue
        seen.add(block_id)
        current: LexborNode | None = block
        while current is not None and node_id != scope_id and node_id not in ancestors:
            current = current.parent
            node_id = current.mem_id if current is not None else 0
        if node_id == scope_id:
            if block_id == scope_id:
                return None
            excluded.update(link.mem_id for link in select_all(block, LINKS))
        elif node_id == block_id:  # the block is an ancestor of the scope
            return None
    return excluded


def _collect(scope: LexborNode, exclude: Sequence[LexborNode]) -> dict[int, list[_Item]]:
    """The scope's timed links outside the excluded blocks, grouped by container mem_id in document order."""
    groups: dict[int, list[_Item]] = {}
    excluded = _excluded_links(scope, exclude)
    if excluded is None:
        return groups
    links = select_all(scope, LINKS)
    # Links under each container, counted once per container (a feed's items share one, the scope's
    # count is the list at hand).
    links_under = {scope.mem_id: len(links)}
    group_by_parent: dict[int, int | None] = {}
    for link in links:
        if excluded and link.mem_id in excluded:
            continue
        pair = _candidate_from_text(link.text(True, _PART))
        if pair is None:
            clock = _time_beside(link, links_under)
            if clock is None:
                continue
            title = normalize_space(link.text(deep=True))
            if not title:
                continue
            pair = (title, clock)
        parent = link.parent
        parent_id = parent.mem_id if parent is not None else 0
        if parent_id in group_by_parent:
            group = group_by_parent[parent_id]
        else:
            group = group_by_parent[parent_id] = _group_of(parent, links_under)
        if group is None:
            continue
        item = (pair[0], pair[1], link.attrs.get("href"))
        members = groups.get(group)
        if members is None:
            groups[group] = [item]
        else:
            members.append(item)
    return groups


def _scope_groups(
    root: LexborNode, exclude: Sequence[LexborNode], selectors: Sequence[str]
) -> tuple[dict[int, list[_Item]], bool]:
    """The groups of the first scope that has any: the profile's feed blocks in document order, else the
    page; and whether they come from a profile's feed block.

    The first block usually is the feed, and lexbor stops walking the page at it (`css_first`); the
    whole list is only needed when it is not.
    """
    if not selectors:
        return _collect(root, exclude), False
    query = ", ".join(selectors)
    try:
        first = root.css_first(query)
    except Exception:  # an unparsable selector matches nothing, as in select_all
        first = None
    if first is None:
        return _collect(root, exclude), False
    groups = _collect(first, exclude)
    if not groups:
        for scope in select_all(root, query)[1:]:
            groups = _collect(scope, exclude)
            if groups:
                break
    return groups, True


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
    groups, by_profile = _scope_groups(root, exclude, selectors)
    feed = max(groups.values(), key=len, default=[])
    if len(feed) < (MIN_PROFILE_FEED_ITEMS if by_profile else MIN_FEED_ITEMS):
        return []
    dates = resolve_clock_times_iso([time for _, time, _ in feed], fetched_at, tz)
    return [
        SidebarItem(title, time, moment, join_url(page_url, href) if href else None)
        for (title, time, href), moment in zip(feed, dates, strict=True)
    ]
