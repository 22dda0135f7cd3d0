"""Fetch stage, third gate: robots.txt, read once per origin with protego and obeyed.

The Fetcher gives a RobotsCache a loader (which fetches `/robots.txt` through the same politeness
slots and retries as any page) and asks it, before every request, whether a URL may be fetched.
Policy, after RFC 9309: a 4xx robots.txt allows everything; an unreachable one (5xx, network errors,
after the retries) makes every URL of that origin fail for this run, to be tried again on a later one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego

from scraper.errors import FetchError, RobotsDisallowedError, UnreachableError
from scraper.urls import origin_of

ROBOTS_PATH = "/robots.txt"


@dataclass(frozen=True, slots=True)
class RobotsPolicy:
    """What one origin's robots.txt says; `rules` None means everything is allowed."""

    rules: Protego | None
    unavailable: str | None = None

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def parse_robots(text: str) -> RobotsPolicy:
    return RobotsPolicy(rules=Protego.parse(text))


#: Loads an origin's robots.txt and says what it means (the Fetcher's job: it owns the client).
RobotsLoader = Callable[[str], Awaitable[RobotsPolicy]]


class RobotsCache:
    """One RobotsPolicy per origin, loaded once (concurrent askers wait for the same load)."""

    def __init__(self, user_agent: str, load: RobotsLoader) -> None:
        self._user_agent = user_agent
        self._load = load
        self._policies: dict[str, RobotsPolicy] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def policy(self, url: str) -> RobotsPolicy:
        origin = origin_of(url)
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._policies:
                try:
                    self._policies[origin] = await self._load(origin)
                except FetchError as exc:
                    self._policies[origin] = RobotsPolicy(rules=None, unavailable=exc.reason)
            return self._policies[origin]

    async def check(self, url: str) -> RobotsPolicy:
        """Raise unless robots.txt lets our user agent fetch `url`; returns the origin's policy.

        Raises:
            RobotsDisallowedError: robots.txt forbids the URL.
            UnreachableError: the origin's robots.txt could not be read this run.
        """
        policy = await self.policy(url)
        if policy.unavailable is not None:
            raise UnreachableError(url, f"robots.txt unavailable ({policy.unavailable})")
        if policy.rules is not None and not policy.rules.can_fetch(url, self._user_agent):
            raise RobotsDisallowedError(url, "disallowed by robots.txt")
        return policy
