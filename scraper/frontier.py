"""Crawl state: the frontier of URLs to fetch, kept in the archive database (table `frontier`).

The crawl loop (`crawl.py`) asks it for the next batch of due URLs, and tells it what became of each
one; discovery results are enqueued here. Nothing is held in memory between calls, so a crawl of any
length keeps memory flat, and a run killed at any point (kill -9 included) leaves a frontier the next
run resumes: `recover_in_flight()` puts rows a dead run had claimed back to pending.

States (column `state`):

    pending ──next_batch──▶ in_flight ──▶ done      fetched (200 or 304)
       ▲                        │   ├───▶ gone      404/410: the page no longer exists (not a failure)
       │                        │   ├───▶ skipped   never to be fetched (robots.txt, off-site redirect)
       └── refresh / retry ─────┘   └───▶ failed    with next_try_at (backoff) while attempts remain,
                                                    next_try_at NULL once they are used up

`attempts` counts the tries of a page: one per claim (`next_batch`), however many requests the
Fetcher's in-run retries made within it (fetch_log has a row for each); `mark_failed` gives a page up
after `max_attempts` tries, the waits between them doubling from `retry_base` (or the server's
Retry-After when that is longer).

Like Scrapy's scheduler, it has a handful of methods and no idea of HTTP; `enqueue` is idempotent
and keeps a known URL's state unless the caller asks for a refresh (feeds and listings are read anew
on every run; articles only when revisited).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import sqlite_utils

Kind = Literal["feed", "listing", "archive", "sitemap", "article", "robots"]
KINDS: tuple[Kind, ...] = ("feed", "listing", "archive", "sitemap", "article", "robots")
STATES = ("pending", "in_flight", "done", "failed", "skipped", "gone")

# Higher first. Articles go before listings so a long crawl archives steadily instead of first
# walking every listing page.
KIND_PRIORITY: dict[str, int] = {"robots": 50, "feed": 40, "sitemap": 35, "article": 30, "archive": 20, "listing": 20}
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60.0
RETRY_MAX_SECONDS = 6 * 3600.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_timestamp(moment: datetime) -> str:
    """The frontier's one timestamp format (UTC, seconds), so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def to_utc_timestamp(iso: str | None) -> str | None:
    """An ISO 8601 time with any offset in the frontier's format; None when it is not one."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return to_timestamp(moment)


@dataclass(frozen=True, slots=True)
class FrontierEntry:
    """One URL as the crawl loop gets it from `next_batch`."""

    url: str
    kind: str
    state: str
    attempts: int
    depth: int
    news_id: str | None
    published_at: str | None
    etag: str | None
    last_modified: str | None
    last_fetched_at: str | None


_COLUMNS = "url, kind, state, attempts, depth, news_id, published_at, etag, last_modified, last_fetched_at"


_DUE_ORDER = "ORDER BY priority DESC, discovered_at, url LIMIT ?"


def _entry(row: tuple) -> FrontierEntry:
    return FrontierEntry(
        url=row[0],
        kind=row[1],
        state=row[2],
        attempts=row[3] or 0,
        depth=row[4] or 0,
        news_id=row[5],
        published_at=row[6],
        etag=row[7],
        last_modified=row[8],
        last_fetched_at=row[9],
    )


class Frontier:
    """The frontier table of one archive database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        max_attempts: int = MAX_ATTEMPTS,
        retry_base: float = RETRY_BASE_SECONDS,
    ) -> None:
        self._conn: sqlite3.Connection = db.conn
        self._clock = clock
        self._max_attempts = max_attempts
        self._retry_base = retry_base

    def _now(self) -> str:
        return to_timestamp(self._clock())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several calls into one transaction (one commit per page instead of one per URL)."""
        if self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite may have rolled back already (a full disk, an I/O error): keep the original error.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _write(self, sql: str, params: tuple) -> None:
        with self.transaction():
            self._conn.execute(sql, params)

    # --- adding ---------------------------------------------------------------------------------

    def enqueue(
        self,
        url: str,
        kind: Kind,
        *,
        depth: int = 0,
        news_id: str | None = None,
        published_at: str | None = None,
        refresh_before: datetime | None = None,
    ) -> bool:
        """Make `url` known; True when it is now waiting to be fetched because of this call.

        A known URL keeps its state, except that `refresh_before` puts a finished row (done, gone,
        skipped, given-up failed) last fetched before that moment back to pending. An article whose
        news id the frontier already has under another URL (another host) is not added again.
        """
        published = to_utc_timestamp(published_at)
        now = self._now()
        with self.transaction():
            row = self._conn.execute(
                "SELECT state, last_fetched_at, published_at FROM frontier WHERE url = ?", (url,)
            ).fetchone()
            if row is None:
                if kind == "article" and news_id is not None and self.knows_article(news_id):
                    return False
                self._conn.execute(
                    "INSERT INTO frontier (url, kind, state, attempts, discovered_at, updated_at, news_id, "
                    "published_at, depth, priority) VALUES (?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)",
                    (url, kind, now, now, news_id, published, depth, KIND_PRIORITY.get(kind, 0)),
                )
                return True
            state, last_fetched_at, known_published = row
            if published is not None and known_published is None:
                self._conn.execute("UPDATE frontier SET published_at = ? WHERE url = ?", (published, url))
            if refresh_before is None or state in ("pending", "in_flight"):
                return False
            if state == "failed" and self._retryable(url):
                return False
            if last_fetched_at is not None and last_fetched_at >= to_timestamp(refresh_before):
                return False
            self._conn.execute(
                "UPDATE frontier SET state = 'pending', attempts = 0, next_try_at = NULL, updated_at = ? WHERE url = ?",
                (now, url),
            )
            return True

    def _retryable(self, url: str) -> bool:
        row = self._conn.execute("SELECT next_try_at FROM frontier WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] is not None

    def knows_article(self, news_id: str) -> bool:
        """True when an article with this news id is in the frontier under a URL that may still serve it.

        A URL that answered 404/410 or that robots.txt forbids does not count: the same article under
        another URL (the right slug, another host) must still be fetched.
        """
        row = self._conn.execute(
            "SELECT 1 FROM frontier WHERE news_id = ? AND kind = 'article' AND state NOT IN ('gone', 'skipped') "
            "LIMIT 1",
            (news_id,),
        ).fetchone()
        return row is not None

    def reopen_recent_articles(self, *, published_since: datetime, fetched_before: datetime) -> int:
        """Put done articles published since `published_since` back to pending, for a conditional revisit.

        Only rows last fetched before `fetched_before` (the run's start) qualify, so a revisit happens
        once per run. Returns how many were reopened.
        """
        with self.transaction():
            cursor = self._conn.execute(
                "UPDATE frontier SET state = 'pending', attempts = 0, next_try_at = NULL, updated_at = ? "
                "WHERE kind = 'article' AND state = 'done' AND published_at >= ? AND last_fetched_at < ?",
                (self._now(), to_timestamp(published_since), to_timestamp(fetched_before)),
            )
            return cursor.rowcount

    # --- taking ---------------------------------------------------------------------------------

    def next_batch(self, limit: int) -> list[FrontierEntry]:
        """Claim up to `limit` due URLs (highest priority, then oldest first) and mark them in_flight."""
        if limit <= 0:
            return []
        now = self._now()
        with self.transaction():
            # Two walks of the frontier_due index, each stopping at LIMIT, merged in the same order.
            pending = self._conn.execute(
                f"SELECT {_COLUMNS}, priority, discovered_at FROM frontier "
                f"WHERE state = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?) {_DUE_ORDER}",
                (now, limit),
            ).fetchall()
            retries = self._conn.execute(
                f"SELECT {_COLUMNS}, priority, discovered_at FROM frontier "
                f"WHERE state = 'failed' AND next_try_at IS NOT NULL AND next_try_at <= ? {_DUE_ORDER}",
                (now, limit),
            ).fetchall()
            due = sorted(pending + retries, key=lambda r: (-(r[-2] or 0), r[-1] or "", r[0]))[:limit]
            rows = [row[:-2] for row in due]
            self._conn.executemany(
                "UPDATE frontier SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE url = ?",
                [(now, row[0]) for row in rows],
            )
        return [_entry(row) for row in rows]

    def get(self, url: str) -> FrontierEntry | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM frontier WHERE url = ?", (url,)).fetchone()
        return _entry(row) if row else None

    # --- outcomes -------------------------------------------------------------------------------

    def mark_done(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        news_id: str | None = None,
        published_at: str | None = None,
    ) -> None:
        """Fetched and handled. Validators are kept for the next conditional request."""
        now = self._now()
        self._write(
            "UPDATE frontier SET state = 'done', next_try_at = NULL, last_error = NULL, updated_at = ?, "
            "last_fetched_at = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
            "news_id = coalesce(?, news_id), published_at = coalesce(?, published_at) WHERE url = ?",
            (now, now, etag, last_modified, news_id, to_utc_timestamp(published_at), url),
        )

    def mark_gone(self, url: str, reason: str) -> None:
        """The server says the page does not exist (404/410): final, and not a failure."""
        self._finish(url, "gone", reason)

    def mark_skipped(self, url: str, reason: str) -> None:
        """Never to be fetched (robots.txt, an off-site redirect): final, with its reason."""
        self._finish(url, "skipped", reason)

    def _finish(self, url: str, state: str, reason: str) -> None:
        now = self._now()
        self._write(
            "UPDATE frontier SET state = ?, next_try_at = NULL, last_error = ?, updated_at = ?, "
            "last_fetched_at = ? WHERE url = ?",
            (state, reason, now, now, url),
        )

    def mark_failed(self, url: str, reason: str, *, retry_after: float | None = None, final: bool = False) -> bool:
        """A failed attempt. Returns True when it will be retried (at next_try_at, with backoff).

        The wait doubles with every attempt (`retry_base`, capped at six hours), or is the server's
        Retry-After when that is longer; after `max_attempts` attempts, or when `final`, the URL is
        given up (next_try_at NULL) until a refresh.
        """
        now = self._clock()
        row = self._conn.execute("SELECT attempts FROM frontier WHERE url = ?", (url,)).fetchone()
        attempts = (row[0] or 0) if row else 0
        retry = not final and attempts < self._max_attempts
        next_try: str | None = None
        if retry:
            wait = min(self._retry_base * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)
            if retry_after is not None:
                wait = max(wait, retry_after)
            next_try = to_timestamp(now + timedelta(seconds=wait))
        self._write(
            "UPDATE frontier SET state = 'failed', next_try_at = ?, last_error = ?, updated_at = ?, "
            "last_fetched_at = ? WHERE url = ?",
            (next_try, reason, to_timestamp(now), to_timestamp(now), url),
        )
        return retry

    def release(self, url: str) -> None:
        """Give an in_flight URL back unfetched (the run is stopping); its attempt does not count."""
        self._write(
            "UPDATE frontier SET state = 'pending', attempts = max(attempts - 1, 0), updated_at = ? "
            "WHERE url = ? AND state = 'in_flight'",
            (self._now(), url),
        )

    def recover_in_flight(self) -> int:
        """Put rows claimed by a run that died back to pending; returns how many. Call under the run lock."""
        with self.transaction():
            cursor = self._conn.execute(
                "UPDATE frontier SET state = 'pending', updated_at = ? WHERE state = 'in_flight'", (self._now(),)
            )
            return cursor.rowcount

    def urls_of_kind(self, kind: Kind) -> Iterator[str]:
        """Every known URL of one kind (read lazily, in URL order)."""
        cursor = self._conn.execute("SELECT url FROM frontier WHERE kind = ? ORDER BY url", (kind,))
        return (row[0] for row in cursor)

    # --- counting -------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """URLs waiting to be fetched: pending, plus failed ones that will be retried."""
        row = self._conn.execute(
            "SELECT count(*) FROM frontier WHERE state IN ('pending', 'in_flight') "
            "OR (state = 'failed' AND next_try_at IS NOT NULL)"
        ).fetchone()
        return int(row[0])

    def counts_by_state(self) -> dict[str, int]:
        """Rows per state, every state present (zero when none)."""
        counts = dict.fromkeys(STATES, 0)
        for state, count in self._conn.execute("SELECT state, count(*) FROM frontier GROUP BY state"):
            counts[state] = count
        return counts

    def next_retry_at(self) -> str | None:
        """When the earliest failed URL is due again (None when nothing waits for a retry)."""
        row = self._conn.execute(
            "SELECT min(next_try_at) FROM frontier WHERE state = 'failed' AND next_try_at IS NOT NULL"
        ).fetchone()
        return row[0]
