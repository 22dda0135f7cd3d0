"""Fetch stage, second gate: per-host politeness slots.

A slot lets at most `concurrency` requests to one host be in flight and starts them at least `delay`
seconds apart, counted from the moment each request went out (`sent`, reported by the Fetcher once
the connection is up and the request is on its way), so a slow first connection does not shorten the
gap the server sees. The delay can only grow once a host's robots.txt asks for a longer Crawl-delay, and the
longer delay counts from the last start already made (robots.txt's own request included), so the
request after robots.txt waits it too. The slots live in one HostSlots object that the Fetcher owns (no
module state); every request to a host, robots.txt and retries included, passes through its slot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostSlot:
    """Concurrency limit and start spacing for one host."""

    def __init__(self, concurrency: int, delay: float) -> None:
        if concurrency < 1:
            raise ValueError("per-host concurrency must be at least 1")
        self._semaphore = asyncio.Semaphore(concurrency)
        self._spacing = asyncio.Lock()
        self._next_start = 0.0
        self._last_start: float | None = None
        self.delay = max(0.0, delay)

    def raise_delay(self, delay: float) -> None:
        """Use `delay` from now on if it is longer than the current one (robots.txt Crawl-delay).

        The next start moves too: it comes no sooner than `delay` after the last start already made.
        """
        if delay <= self.delay:
            return
        self.delay = delay
        if self._last_start is not None:
            self._next_start = max(self._next_start, self._last_start + delay)

    def sent(self) -> None:
        """A request holding a turn just went out: the next one starts no sooner than `delay` from now."""
        now = time.monotonic()
        self._last_start = max(self._last_start or now, now)
        self._next_start = max(self._next_start, now + self.delay)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the host's request slots, starting no sooner than `delay` after the last start."""
        async with self._semaphore:
            async with self._spacing:
                # A loop: a Crawl-delay learnt meanwhile may have moved the next start further.
                while (wait := self._next_start - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._last_start = time.monotonic()
                self._next_start = self._last_start + self.delay
            yield


class HostSlots:
    """One HostSlot per `host:port`, created on first use."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._slots: dict[str, HostSlot] = {}

    def get(self, host_key: str) -> HostSlot:
        slot = self._slots.get(host_key)
        if slot is None:
            slot = self._slots[host_key] = HostSlot(self._concurrency, self._delay)
        return slot
