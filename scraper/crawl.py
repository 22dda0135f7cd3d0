"""The crawl loop: the one module that drives fetch → discover → extract → store.

Data flow of one run (Scrapy's engine is the model; the scheduler here is the frontier in the DB):

0. Check the options and the places the run writes to (`crawl_options.check_run`): a bad value or a WARC folder
   that cannot be made is an InputError (exit 2) before anything is created or changed; an archive
   file that is refused under the lock (StoreError, exit 2) takes back the lock file and WARC folder.
1. Take the archive's run lock (scraper/lock.py; exit 3 if another run holds it), open the archive,
   record the run, put URLs a killed run left in flight back to pending.
2. Seed the frontier for the mode:
   - scheduled (default): the feeds and first listing pages, read anew; articles published in the
     revisit window (48 h) reopened for a conditional request (ETag / If-Modified-Since);
   - `--since/--until`: the month archives of the range, whose calendar yields the day archives;
   - `--full`: the sitemaps and the listings, all their pages followed.
   In `--full` and `--since` runs the navigation pages (feeds, listings, archives, sitemaps) are asked
   without validators: a 304 would not say what a page lists, and those runs walk all of it.
3. Loop: claim due URLs from the frontier (up to `concurrency` in flight), fetch them concurrently
   (scraper/fetch.py, which also appends each response to the WARC files), and hand each result,
   one at a time, to `_handle`: the only place that writes to the database. Articles go through
   `ingest_page` (extract + store, one transaction); feeds, listings, archives and sitemaps through
   the parsers in scraper/discover.py, whose URLs are enqueued. In a scheduled run a listing's next
   page is followed only while the page showed an article the frontier did not know.
4. Stop when nothing is due and nothing is in flight, at `--max-pages` (pages requested: one that
   robots.txt forbids costs nothing) or `--max-time` (no new claims after it, and no fetch waits for a
   retry past it), or on SIGINT/SIGTERM (in-flight fetches are cancelled and given back to the
   frontier; the run is marked interrupted and the exit code is 130). A fetch that failed after its
   tries is retried by a later run, no sooner than the server's Retry-After (scraper/frontier.py).
   fetch_log gets one row per request: a try that was retried is a row with outcome `retried`.
5. An environment failure once the run is recorded (disk full, the WARC folder gone, SQLite I/O
   errors) ends the run as `failed` (exit 4) with `CrawlReport.error` saying why, no traceback; URLs
   in flight stay in flight and the next run fetches them anew.

Memory stays flat: the frontier, counters and logs live in SQLite; the loop holds at most
`concurrency` fetches and one parsed page at a time.

A crawl pointed at a mirror (`--base-url`, a host that is not the site's) keeps the site's own
addresses everywhere it records them: the frontier, fetch_log and the articles hold
`http://2018.vybor-naroda.org/...`; only the request goes to the mirror, and the mirror's own
address in a page is mapped back to the site's before extraction, as the mirror had mapped it in.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from scraper import discover
from scraper.addresses import Addresses
from scraper.crawl_options import CrawlOptions, check_run
from scraper.errors import (
    ArchiverError,
    ExtractError,
    FetchError,
    InputError,
    RedirectError,
    StoreError,
    TooLargeError,
)
from scraper.exitcodes import ExitCode
from scraper.fetch import FetchAttempt, Fetcher, FetchResult, FetchSettings, Trail
from scraper.frontier import Frontier, FrontierEntry, to_timestamp
from scraper.ingest import ingest_page
from scraper.lock import RunLock
from scraper.store import Archive
from scraper.urls import parse_article_url
from scraper.warc import WarcRef, WarcWriter

log = logging.getLogger(__name__)

QUEUED_RECOUNT_SECONDS = 1.0


@dataclass(slots=True)
class CrawlStats:
    """Counters of one run (what the progress display and the summary line show)."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: int = 0
    gone: int = 0
    skipped: int = 0
    failed: int = 0
    queued: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        """Pages fetched per second so far."""
        elapsed = self.elapsed
        return self.fetched / elapsed if elapsed > 0 else 0.0

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("started")
        return data


@dataclass(frozen=True, slots=True)
class CrawlReport:
    """How a run ended."""

    run_id: int
    state: Literal["done", "failed", "interrupted"]
    exit_code: ExitCode
    counts: dict[str, int]
    elapsed: float
    #: Why the run stopped early (an environment failure: disk full, WARC folder gone…), else None.
    error: str | None = None

    def summary(self) -> str:
        c = self.counts
        return (
            f"run {self.run_id} {self.state}: fetched {c['fetched']}, new {c['new']}, updated {c['updated']}, "
            f"unchanged {c['unchanged']}, not modified {c['not_modified']}, gone {c['gone']}, skipped {c['skipped']}, "
            f"failed {c['failed']}, queued {c['queued']} in {self.elapsed:.1f}s"
        )


def run_crawl(
    options: CrawlOptions,
    *,
    on_progress: Callable[[CrawlStats], None] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> CrawlReport:
    """One crawl run, start to finish.

    An environment failure after the run is recorded comes back as a report with state `failed`,
    exit code 4 and `error` set (see step 5 in the module docstring).

    Raises:
        InputError: a bad option value or an unusable WARC folder (nothing was created or changed).
        ArchiveLockedError: another run holds the archive (nothing was changed).
        StoreError: the archive cannot be opened or the run cannot be recorded (nothing was changed).
    """
    check_run(options)
    lock = RunLock(options.db_path)
    lock.acquire()
    refused = True
    try:
        archive = _open_for_run(options)
        refused = False
        try:
            crawl = _Crawl(options, archive, on_progress=on_progress, clock=clock or (lambda: datetime.now(UTC)))
            return asyncio.run(crawl.run())
        finally:
            archive.close()
    finally:
        # A refused archive leaves nothing behind, not even the lock file this run made.
        lock.release(discard=refused)


def _open_for_run(options: CrawlOptions) -> Archive:
    """Make the WARC folder and open the archive; a refusal takes back the folder it made."""
    warc = options.warc_directory
    made = [p for p in (warc, *warc.parents) if not p.exists()]
    try:
        warc.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{warc}: cannot create the WARC folder: {exc.strerror}; nothing was changed") from exc
    try:
        return Archive.open(options.db_path)
    except BaseException:
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _describe(exc: BaseException, db_path: Path) -> str:
    """One line for an environment failure: which file, what went wrong (the first cause, not its echoes)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in reversed(chain):
        if isinstance(error, sqlite3.Error) and not str(error).startswith("cannot rollback"):
            return f"{db_path}: {error}"
        if isinstance(error, OSError):
            where = f"{error.filename}: " if error.filename else ""
            return f"{where}{error.strerror or error}"
    return str(exc)


class _Crawl:
    """State of one run: the archive, the frontier, counters; the loop and the result handler."""

    def __init__(
        self,
        options: CrawlOptions,
        archive: Archive,
        *,
        on_progress: Callable[[CrawlStats], None] | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.options = options
        self.profile = options.profile
        self.archive = archive
        self.clock = clock
        self.frontier = Frontier(archive.db, clock=clock)
        self.addresses = Addresses(options.profile, options.base_url)
        self.stats = CrawlStats()
        self.on_progress = on_progress
        self.run_id = 0
        self.run_started = clock()
        self.stop_requested = asyncio.Event()
        self._queued_counted_at = 0.0
        #: The `time.monotonic()` moment of --max-time (None: no limit).
        self.deadline: float | None = None
        #: The requests of each fetch in flight, by frontier URL (for fetch_log and --max-pages).
        self._trails: dict[str, Trail] = {}

    # --- the run --------------------------------------------------------------------------------

    async def run(self) -> CrawlReport:
        self._record_run()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stop_requested.set)
        interrupted = False
        if self.options.max_time:
            self.deadline = time.monotonic() + self.options.max_time
        try:
            self._prepare_run()
            settings = FetchSettings.for_site(
                self.profile,
                self.addresses.fetch_origin,
                per_host_concurrency=self.options.concurrency,
                user_agent=self.options.user_agent,
                read_timeout=self.options.timeout,
                connect_timeout=min(self.options.timeout, 10.0),
                attempt_timeout=self.options.timeout * 2,
                **({"delay": self.options.delay} if self.options.delay is not None else {}),
            )
            with WarcWriter(self.options.warc_directory) as warc:
                async with Fetcher(settings, warc=warc, deadline=self.deadline) as fetcher:
                    interrupted = await self._loop(fetcher)
        except (sqlite3.Error, OSError, ArchiverError) as exc:
            return self._stopped_by(exc)
        except BaseException:
            self._end_run_if_possible()
            raise
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
        try:
            if interrupted:
                return self._end_run("interrupted", ExitCode.INTERRUPTED)
            return self._end_run("done", ExitCode.PAGES_FAILED if self.stats.failed else ExitCode.OK)
        except (sqlite3.Error, ArchiverError) as exc:
            # The pages are stored; only the run's own row could not be closed (the next run marks it).
            counts = self.stats.counts()
            error = _describe(exc, self.options.db_path)
            return CrawlReport(self.run_id, "failed", ExitCode.RUN_STOPPED, counts, self.stats.elapsed, error)

    def _record_run(self) -> None:
        """The run's row; a failure here has changed nothing (StoreError, exit 2)."""
        try:
            with self.archive.transaction() as conn:
                # We hold the lock, so a run still marked running died without saying so (kill -9).
                conn.execute("UPDATE runs SET state = 'interrupted' WHERE state = 'running'")
                cursor = conn.execute(
                    "INSERT INTO runs (started_at, state, pid, command, counts) VALUES (?, 'running', ?, ?, '{}')",
                    (to_timestamp(self.run_started), os.getpid(), self.options.command),
                )
                self.run_id = int(cursor.lastrowid or 0)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot record the run: {_describe(exc, self.options.db_path)}; nothing was changed"
            ) from exc

    def _prepare_run(self) -> None:
        recovered = self.frontier.recover_in_flight()
        if recovered:
            log.info("resuming: %d URLs left in flight by an earlier run are pending again", recovered)
        self._seed()
        self.stats.queued = self.frontier.pending_count()

    def _end_run(self, state: Literal["done", "failed", "interrupted"], code: ExitCode) -> CrawlReport:
        self.stats.queued = self.frontier.pending_count()
        counts = self.stats.counts()
        with self.archive.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, state = ?, exit_code = ?, counts = ? WHERE id = ?",
                (to_timestamp(self.clock()), state, int(code), json.dumps(counts), self.run_id),
            )
        return CrawlReport(self.run_id, state, code, counts, self.stats.elapsed)

    def _end_run_if_possible(self) -> CrawlReport:
        """End the run as failed; if the archive cannot take even that, the next run marks it interrupted."""
        try:
            if self.archive.conn.in_transaction:
                self.archive.conn.execute("ROLLBACK")
            return self._end_run("failed", ExitCode.RUN_STOPPED)
        except (sqlite3.Error, ArchiverError) as exc:
            log.debug("cannot record the end of run %d: %s", self.run_id, exc)
            return CrawlReport(self.run_id, "failed", ExitCode.RUN_STOPPED, self.stats.counts(), self.stats.elapsed)

    def _stopped_by(self, exc: BaseException) -> CrawlReport:
        """An environment failure mid-run: the run ends as failed; in-flight URLs are resumed next time."""
        return replace(self._end_run_if_possible(), error=_describe(exc, self.options.db_path))

    def _seed(self) -> None:
        mode = self.options.mode
        refresh = self.run_started
        with self.frontier.transaction():
            if mode == "dates":
                for month_url in self._month_archives():
                    self.frontier.enqueue(month_url, "archive", refresh_before=refresh)
                return
            for path in self.profile.feeds:
                self.frontier.enqueue(self.addresses.entry(path), "feed", refresh_before=refresh)
            for path in self.profile.listings:
                self.frontier.enqueue(self.addresses.entry(path), "listing", refresh_before=refresh)
            # First pages of the listings found before (the category pages the home page's menu named).
            for url in self.frontier.urls_of_kind("listing"):
                if discover.page_number(url) == 1:
                    self.frontier.enqueue(url, "listing", refresh_before=refresh)
            if mode == "full":
                for path in self.profile.sitemaps:
                    self.frontier.enqueue(self.addresses.entry(path), "sitemap", refresh_before=refresh)
            elif self.options.revisit_hours > 0:
                since = self.run_started - timedelta(hours=self.options.revisit_hours)
                reopened = self.frontier.reopen_recent_articles(published_since=since, fetched_before=refresh)
                if reopened:
                    log.info("revisiting %d articles published since %s", reopened, to_timestamp(since))

    def _month_archives(self) -> list[str]:
        since = self.options.since
        assert since is not None
        until = self.options.until or self.run_started.date()
        months: list[str] = []
        year, month = since.year, since.month
        while (year, month) <= (until.year, until.month):
            months.append(self.addresses.entry(f"/{year:04d}/{month:02d}/"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    async def _loop(self, fetcher: Fetcher) -> bool:
        """Fetch until done; True when stopped by a signal."""
        in_flight: dict[asyncio.Task[FetchResult], FrontierEntry] = {}
        deadline = self.deadline
        # Claimed pages, less those skipped without a request (robots.txt): what --max-pages counts.
        started_fetches = 0
        stop_waiter = asyncio.ensure_future(self.stop_requested.wait())
        try:
            while True:
                budget_left = self.options.max_pages is None or started_fetches < self.options.max_pages
                time_left = deadline is None or time.monotonic() < deadline
                if not self.stop_requested.is_set() and budget_left and time_left:
                    free = self.options.concurrency - len(in_flight)
                    if self.options.max_pages is not None:
                        free = min(free, self.options.max_pages - started_fetches)
                    for entry in self.frontier.next_batch(free):
                        task = asyncio.ensure_future(self._fetch(fetcher, entry))
                        in_flight[task] = entry
                        started_fetches += 1
                if self.stop_requested.is_set():
                    await self._cancel(in_flight)
                    return True
                if not in_flight:
                    return False
                # Past the deadline only the fetches in flight are waited for (with no timeout: a zero
                # one would spin); they end soon, as no retry of theirs waits past the deadline.
                now = time.monotonic()
                timeout = deadline - now if deadline is not None and now < deadline else None
                done, _ = await asyncio.wait(
                    [*in_flight, stop_waiter], timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    if task is stop_waiter:
                        continue
                    entry = in_flight.pop(task)  # type: ignore[arg-type]
                    if _never_requested(task, self._trails.get(entry.url)):
                        started_fetches -= 1  # skipped before any request (robots.txt): not a fetch
                    self._handle(entry, task)  # type: ignore[arg-type]
                    if self.on_progress is not None:
                        self.on_progress(self.stats)
                if deadline is not None and time.monotonic() >= deadline and not in_flight:
                    return False
        finally:
            stop_waiter.cancel()
            if in_flight:
                # Leaving on an error: stop the fetches (their rows stay in flight for the next run).
                for task in in_flight:
                    task.cancel()
                await asyncio.gather(*in_flight, return_exceptions=True)

    async def _cancel(self, in_flight: dict[asyncio.Task[FetchResult], FrontierEntry]) -> None:
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        for task, entry in in_flight.items():
            if task.cancelled() or task.exception() is not None:
                with self.frontier.transaction():
                    self._log_retries(entry, self._trails.pop(entry.url, []))
                    self.frontier.release(entry.url)
            else:
                # Outside any transaction: an article's store write takes its own.
                self._handle(entry, task)
        in_flight.clear()

    async def _fetch(self, fetcher: Fetcher, entry: FrontierEntry) -> FetchResult:
        trail: Trail = []
        self._trails[entry.url] = trail
        conditional = entry.kind == "article" or self.options.mode == "scheduled"
        return await fetcher.fetch(
            self.addresses.to_fetch(entry.url),
            etag=entry.etag if conditional else None,
            last_modified=entry.last_modified if conditional else None,
            trail=trail,
        )

    # --- one result: every database write of the loop happens below ---------------------------

    def _handle(self, entry: FrontierEntry, task: asyncio.Task[FetchResult]) -> None:
        trail = self._trails.pop(entry.url, [])
        error = task.exception()
        if error is not None:
            if not isinstance(error, FetchError):
                raise error
            with self.frontier.transaction():
                self._log_retries(entry, trail)
                self._failed_fetch(entry, error, trail)
            return
        result = task.result()
        self._log_retries(entry, trail)
        self.stats.fetched += 1
        if result.gone:
            reason = f"HTTP {result.status}"
            with self.frontier.transaction():
                self.frontier.mark_gone(entry.url, reason)
                self._log_fetch(entry, result, "gone", reason)
            self.stats.gone += 1
            return
        if result.not_modified:
            if entry.kind == "article":
                # Seen again, unchanged: only last_seen_at moves (the store's own transaction).
                self.archive.mark_seen(entry.url, result.fetched_at)
            with self.frontier.transaction():
                self.frontier.mark_done(entry.url)
                self._log_fetch(entry, result, "not_modified")
            self.stats.not_modified += 1
            return
        try:
            if entry.kind == "article":
                self._article(entry, result)
            else:
                with self.frontier.transaction():
                    self._discovery(entry, result)
                    self._log_fetch(entry, result, "parsed")
        except ValueError as exc:
            # A page the parsers could not take apart (a link with a malformed address raises from
            # urllib): that page fails, the run goes on.
            reason = f"{type(exc).__name__}: {exc}"
            with self.frontier.transaction():
                self.frontier.mark_failed(entry.url, reason, final=True)
                self._log_fetch(entry, result, "failed", reason)
            self.stats.failed += 1
        self._count_queued()

    def _count_queued(self) -> None:
        """The backlog for the progress line, recounted at most once a second (a count walks the queue)."""
        now = time.monotonic()
        if now - self._queued_counted_at >= QUEUED_RECOUNT_SECONDS:
            self._queued_counted_at = now
            self.stats.queued = self.frontier.pending_count()

    def _failed_fetch(self, entry: FrontierEntry, error: FetchError, trail: Trail) -> None:
        reason = f"{type(error).__name__}: {error.reason}"
        status = getattr(error, "status", None)
        # The request whose failure this is, when one was sent (its answer is in the WARC).
        last = trail[-1] if trail and not trail[-1].retried else None
        if last is not None and last.error is None and (status is None or last.status != status):
            last = None
        if error.skipped:
            self.frontier.mark_skipped(entry.url, reason)
            self.stats.skipped += 1
            outcome = "skipped"
        else:
            # A page that is too large or redirects in circles will not get better by itself soon.
            final = isinstance(error, TooLargeError | RedirectError)
            retry_after = last.retry_after if last is not None else None
            self.frontier.mark_failed(entry.url, reason, retry_after=retry_after, final=final)
            self.stats.failed += 1
            outcome = "failed"
        log.warning(
            "%s %s %s: %s",
            outcome,
            entry.kind,
            entry.url,
            reason,
            extra={"url": entry.url, "kind": entry.kind, "status": status, "outcome": outcome},
        )
        if last is None:
            self._write_fetch_log(entry, status=status, outcome=outcome, error=reason, result=None)
        else:
            self._write_attempt_log(entry, last, outcome=outcome, error=reason)

    def _log_retries(self, entry: FrontierEntry, trail: Trail) -> None:
        """A fetch_log row for every try of the fetch that was retried (the last try has its own row)."""
        for attempt in trail:
            if attempt.retried:
                self._write_attempt_log(entry, attempt, outcome="retried", error=attempt.error)

    def _write_attempt_log(
        self, entry: FrontierEntry, attempt: FetchAttempt, *, outcome: str, error: str | None
    ) -> None:
        self._insert_fetch_log(
            entry,
            status=attempt.status,
            outcome=outcome,
            size=attempt.bytes,
            elapsed_ms=attempt.elapsed_ms,
            error=error,
            warc=attempt.warc,
            fetched_at=attempt.fetched_at,
        )

    def _article(self, entry: FrontierEntry, result: FetchResult) -> None:
        body = self.addresses.site_bytes(result.body)
        text = self.addresses.site_text(result.text or "")
        try:
            links = discover.find_article_links(text, base_url=entry.url, profile=self.profile)
        except ValueError as exc:  # a malformed link: the article is stored, its links are not followed
            links = ()
            log.warning("%s: links not followed: %s: %s", entry.url, type(exc).__name__, exc)
        # The article, the frontier and the fetch_log row it was built from: one commit, so `reextract`
        # always finds the fetch a stored version came from, however the process ends.
        with self.frontier.transaction():
            try:
                upsert = ingest_page(
                    self.archive, body, url=entry.url, fetched_at=result.fetched_at, header_charset=result.charset
                )
            except (ExtractError, InputError) as exc:
                reason = f"{type(exc).__name__}: {exc}"
                self.frontier.mark_failed(entry.url, reason, final=True)
                self._log_fetch(entry, result, "failed", reason)
                self.stats.failed += 1
                return
            row = self.archive.conn.execute(
                "SELECT news_id, published_at FROM articles WHERE id = ?", (upsert.article_id,)
            ).fetchone()
            self.frontier.mark_done(
                entry.url,
                etag=result.etag,
                last_modified=result.last_modified,
                news_id=row[0] if row else None,
                published_at=row[1] if row else None,
            )
            # The sidebar and related links of an article page are discovery sources too.
            for url in links:
                self._enqueue_article(url, depth=entry.depth + 1)
            self._log_fetch(entry, result, upsert.outcome)
        setattr(self.stats, upsert.outcome, getattr(self.stats, upsert.outcome) + 1)

    def _discovery(self, entry: FrontierEntry, result: FetchResult) -> None:
        text = self.addresses.site_text(result.text or "")
        base = self.addresses.to_site(result.final_url) or entry.url
        if entry.kind == "feed":
            for item in discover.parse_feed(text, base_url=base, profile=self.profile):
                self._enqueue_article(item.url, depth=entry.depth + 1, published_at=item.published_at)
        elif entry.kind == "sitemap":
            self._sitemap(entry, text, base)
        elif entry.kind == "archive":
            self._archive(entry, text, base)
        else:
            self._listing(entry, text, base, follow_all=self.options.mode == "full")
        self.frontier.mark_done(entry.url, etag=result.etag, last_modified=result.last_modified)

    def _listing(self, entry: FrontierEntry, text: str, base: str, *, follow_all: bool) -> None:
        listing = discover.parse_listing(text, url=base, profile=self.profile)
        unseen = 0
        for url in listing.article_urls:
            if self._enqueue_article(url, depth=entry.depth + 1) or self._waiting(url):
                unseen += 1
        for url in discover.find_article_links(text, base_url=base, profile=self.profile):
            self._enqueue_article(url, depth=entry.depth + 1)
        if follow_all:
            pages = listing.page_urls
        else:
            # A scheduled run reads on only while a page still shows articles it has not seen.
            pages = (listing.next_page_url,) if unseen and listing.next_page_url else ()
        for url in pages:
            site_url = self.addresses.to_site(url)
            if site_url:
                self.frontier.enqueue(site_url, entry.kind, depth=entry.depth + 1, refresh_before=self.run_started)
        if listing.page_number == 1 and urlsplit(base).path == "/":
            # The home page's menu names the category listings; their first pages are read every run.
            for url in discover.find_listing_links(text, base_url=base, profile=self.profile):
                site_url = self.addresses.to_site(url)
                if site_url and site_url != entry.url:
                    self.frontier.enqueue(site_url, "listing", depth=entry.depth + 1, refresh_before=self.run_started)

    def _archive(self, entry: FrontierEntry, text: str, base: str) -> None:
        path = urlsplit(base).path
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            self._month(entry, text, base, int(parts[0]), int(parts[1]))
            return
        # A day archive: every article on every page of it.
        self._listing(entry, text, base, follow_all=True)

    def _month(self, entry: FrontierEntry, text: str, base: str, year: int, month: int) -> None:
        since = self.options.since or date.min
        until = self.options.until or self.run_started.date()
        calendar = discover.parse_calendar(text, base_url=base, profile=self.profile)
        in_month = [(day, url) for day, url in calendar.days if (day.year, day.month) == (year, month)]
        if not calendar.days or not any((d.year, d.month) == (year, month) for d, _ in calendar.days):
            # The calendar shows another month (or none): try every day of this one.
            in_month = []
            day = date(year, month, 1)
            while day.month == month:
                in_month.append((day, self.addresses.entry(f"/{day:%Y/%m/%d}/")))
                day += timedelta(days=1)
        for day, url in in_month:
            site_url = self.addresses.to_site(url)
            if site_url and since <= day <= until:
                self.frontier.enqueue(site_url, "archive", depth=entry.depth + 1, refresh_before=self.run_started)

    def _sitemap(self, entry: FrontierEntry, text: str, base: str) -> None:
        sitemap = discover.parse_sitemap(text, base_url=base, profile=self.profile)
        for item in sitemap.entries:
            site_url = self.addresses.to_site(item.url)
            if site_url is None:
                continue
            if sitemap.kind == "sitemapindex":
                self.frontier.enqueue(site_url, "sitemap", depth=entry.depth + 1, refresh_before=self.run_started)
                continue
            ref = parse_article_url(site_url, self.profile)
            if ref is not None and not ref.is_print:
                # A lastmod after our last fetch means the article changed: fetch it again.
                changed = _lastmod(item.lastmod)
                self._enqueue_article(site_url, depth=entry.depth + 1, refresh_before=changed)
            elif self.profile.urls.listing.match(urlsplit(site_url).path):
                self.frontier.enqueue(site_url, "listing", depth=entry.depth + 1, refresh_before=self.run_started)

    def _waiting(self, url: str) -> bool:
        """True for an article known but not fetched yet (found on another page a moment ago)."""
        site_url = self.addresses.to_site(url)
        known = self.frontier.get(site_url) if site_url else None
        return known is not None and known.state in ("pending", "in_flight")

    def _enqueue_article(
        self,
        url: str,
        *,
        depth: int,
        published_at: str | None = None,
        refresh_before: datetime | None = None,
    ) -> bool:
        site_url = self.addresses.to_site(url)
        if site_url is None:
            return False
        ref = parse_article_url(site_url, self.profile)
        if ref is None or ref.is_print:
            return False
        return self.frontier.enqueue(
            site_url,
            "article",
            depth=depth,
            news_id=ref.news_id,
            published_at=published_at,
            refresh_before=refresh_before,
        )

    def _log_fetch(self, entry: FrontierEntry, result: FetchResult, outcome: str, error: str | None = None) -> None:
        level = logging.WARNING if outcome == "failed" else logging.INFO
        log.log(
            level,
            "%s %s %s %s%s",
            result.status,
            outcome,
            entry.kind,
            entry.url,
            f": {error}" if error else "",
            extra={"url": entry.url, "kind": entry.kind, "status": result.status, "outcome": outcome},
        )
        self._write_fetch_log(entry, status=result.status, outcome=outcome, error=error, result=result)

    def _write_fetch_log(
        self, entry: FrontierEntry, *, status: int | None, outcome: str, error: str | None, result: FetchResult | None
    ) -> None:
        self._insert_fetch_log(
            entry,
            status=status,
            outcome=outcome,
            size=len(result.body) if result is not None else None,
            elapsed_ms=result.elapsed_ms if result is not None else None,
            error=error,
            warc=result.warc if result is not None else None,
            fetched_at=result.fetched_at if result is not None else to_timestamp(self.clock()),
        )

    def _insert_fetch_log(
        self,
        entry: FrontierEntry,
        *,
        status: int | None,
        outcome: str,
        size: int | None,
        elapsed_ms: int | None,
        error: str | None,
        warc: WarcRef | None,
        fetched_at: str,
    ) -> None:
        """The one INSERT of a fetch_log row, for a whole fetch and for each retried try alike."""
        with self.frontier.transaction():
            self.archive.conn.execute(
                "INSERT INTO fetch_log (run_id, url, kind, status, outcome, bytes, elapsed_ms, error, warc_file, "
                "warc_offset, warc_length, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.run_id,
                    entry.url,
                    entry.kind,
                    status,
                    outcome,
                    size,
                    elapsed_ms,
                    error,
                    warc.file if warc else None,
                    warc.offset if warc else None,
                    warc.length if warc else None,
                    fetched_at,
                ),
            )

def _never_requested(task: asyncio.Future[FetchResult], trail: Trail | None) -> bool:
    """True for a fetch skipped before it sent anything (robots.txt forbids it, out of scope)."""
    if task.cancelled() or trail:
        return False
    error = task.exception()
    return isinstance(error, FetchError) and error.skipped


def _lastmod(value: str | None) -> datetime | None:
    """A sitemap `lastmod` as a moment (a bare date is that day's start, Moscow time being ahead of UTC)."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["CrawlReport", "CrawlStats", "run_crawl"]
