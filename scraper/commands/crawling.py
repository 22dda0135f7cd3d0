"""`newsarchive crawl`, `status`, `demo` and `reextract`: thin over scraper.crawl and scraper.reextract.

Output contract: stdout gets one summary line at the end (nothing with `--quiet`); stderr gets the
log (text, or one JSON object per line with `--log-format json`, for cron and log shippers: our own
error lines too) and, on a terminal, a live progress line. Exit codes are scraper.exitcodes.ExitCode.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from scraper.commands._common import (
    LOG_FORMATS,
    JsonLogFormatter,
    error_format,
    fail,
    sanitize_for_terminal,
    stderr_line,
    user_errors,
)
from scraper.crawl import CrawlReport, CrawlStats, run_crawl
from scraper.crawl_options import DEFAULT_CONCURRENCY, DEFAULT_REVISIT_HOURS, DEFAULT_TIMEOUT, CrawlOptions
from scraper.errors import InputError
from scraper.exitcodes import ExitCode
from scraper.fetch import DEFAULT_USER_AGENT
from scraper.frontier import STATES
from scraper.lock import lock_is_held
from scraper.sites import default_profile, get_profile
from scraper.store import DEFAULT_ARCHIVE, Archive

DEMO_ARCHIVE = Path("data/demo.db")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
_DURATION_EXAMPLES = "examples: 90s, 15m, 2h, 1h30m"

__all__ = ["JsonLogFormatter", "crawl", "demo", "parse_duration", "reextract", "status"]


# --- option parsing -------------------------------------------------------------------------------


def parse_duration(value: str, option: str = "--max-time") -> float:
    """`90`, `90s`, `15m`, `2h`, `1h30m` → seconds (more than zero).

    Raises:
        InputError: not a duration, or zero; the message names `option`.
    """
    match = _DURATION.match(value.strip().lower())
    if not value.strip() or match is None or not any(match.groups()):
        raise InputError(f"{option} {value!r} is not a duration ({_DURATION_EXAMPLES})")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    total = float(hours * 3600 + minutes * 60 + seconds)
    if total <= 0:
        raise InputError(
            f"{option} {value!r} is no time at all: give a duration ({_DURATION_EXAMPLES}), or leave it out"
        )
    return total


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


# --- logging --------------------------------------------------------------------------------------


@contextmanager
def crawl_logging(log_format: str, *, quiet: bool, verbose: bool) -> Iterator[None]:
    """Route the library's log to stderr in the chosen format for the duration of a command.

    With `json`, the other libraries' log lines (asyncio, warnings) are JSON too: nothing on stderr
    is plain text.
    """
    logger = logging.getLogger("scraper")
    handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    saved_root = root.handlers[:]
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
        level = logging.ERROR if quiet else logging.INFO
        others = logging.StreamHandler(sys.stderr)
        others.setFormatter(JsonLogFormatter())
        root.handlers = [others]
        logging.captureWarnings(True)
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        level = logging.ERROR if quiet else (logging.INFO if verbose else logging.WARNING)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        with error_format(log_format):
            yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        if log_format == "json":
            root.handlers = saved_root
            logging.captureWarnings(False)


class ProgressLine:
    """A rich live line on stderr: fetched, queued, new, updated, failed, rate (terminals only)."""

    def __init__(self, console: Console) -> None:
        self._live = Live(Text(""), console=console, refresh_per_second=4, transient=True)
        self._last = 0.0

    def __enter__(self) -> ProgressLine:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def update(self, stats: CrawlStats) -> None:
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        self._live.update(
            Text(
                f"fetched {stats.fetched}  queued {stats.queued}  new {stats.new}  updated {stats.updated}  "
                f"failed {stats.failed}  {stats.rate:.1f} pages/s"
            )
        )


# --- commands -------------------------------------------------------------------------------------


def crawl(
    site: str | None = typer.Option(None, "--site", help="Site profile name (default: vybor_naroda)."),
    base_url: str | None = typer.Option(None, "--base-url", help="Crawl this address instead (a local mirror)."),
    db: Path = typer.Option(DEFAULT_ARCHIVE, "--db", help="Archive file."),
    since: str | None = typer.Option(None, "--since", help="Back-fill from this day (YYYY-MM-DD) via date archives."),
    until: str | None = typer.Option(None, "--until", help="Back-fill up to this day (default: today)."),
    full: bool = typer.Option(False, "--full", help="Walk the sitemaps and every listing page."),
    max_pages: int | None = typer.Option(None, "--max-pages", min=1, help="Stop after this many fetches."),
    max_time: str | None = typer.Option(None, "--max-time", help="Stop after this long (90s, 15m, 2h)."),
    concurrency: int = typer.Option(
        DEFAULT_CONCURRENCY, "--concurrency", min=1, max=64, help="Requests in flight per host (default 2)."
    ),
    delay: float | None = typer.Option(None, "--delay", min=0, help="Seconds between requests to a host (default 1)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds to wait for a response."),
    revisit_hours: float = typer.Option(
        DEFAULT_REVISIT_HOURS, "--revisit-hours", min=0, help="Re-check articles published this recently (0: never)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    log_format: str = typer.Option("text", "--log-format", help="Log format on stderr: text or json."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every fetch (text format)."),
    user_agent: str = typer.Option(
        DEFAULT_USER_AGENT,
        "--user-agent",
        envvar="NEWSARCHIVE_USER_AGENT",
        help="User-Agent header: name the archive and a contact URL of the operator.",
    ),
) -> None:
    """Crawl the portal into the archive (resumable; exit 0 done, 1 pages failed, 3 locked, 130 interrupted)."""
    _check_log_format(log_format)
    with error_format(log_format), user_errors():
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if last is not None and first is None:
            fail("--until needs --since")
        if first is not None and full:
            fail("--since and --full do not go together: --full walks everything")
        if first is not None and last is not None and first > last:
            fail(f"--since {first} is after --until {last}")
        if base_url is not None and not re.match(r"^https?://[^/\s]+/?$", base_url):
            fail(f"--base-url {base_url!r} must be an origin such as http://127.0.0.1:8000")
        profile = get_profile(site) if site else default_profile()
        # "Today" where the portal is, or here, whichever is later: a day neither has reached has no news.
        today = max(date.today(), datetime.now(profile.timezone).date())
        if first is not None and first > today:
            fail(f"--since {first} is after today ({today}): there is nothing to fetch yet")
        options = CrawlOptions(
            db_path=db,
            profile=profile,
            base_url=base_url,
            since=first,
            until=last,
            full=full,
            max_pages=max_pages,
            max_time=parse_duration(max_time) if max_time is not None else None,
            concurrency=concurrency,
            delay=delay,
            timeout=timeout,
            revisit_hours=revisit_hours,
            user_agent=user_agent,
            command=" ".join(["crawl", *sys.argv[2:]]) if sys.argv[1:2] == ["crawl"] else "crawl",
        )
        report = _run_and_report(options, quiet=quiet, log_format=log_format, verbose=verbose)
        raise typer.Exit(int(report.exit_code))


def _check_log_format(log_format: str) -> None:
    if log_format not in LOG_FORMATS:
        fail(f"--log-format must be text or json, not {log_format!r}")


def _run_and_report(options: CrawlOptions, *, quiet: bool, log_format: str, verbose: bool) -> CrawlReport:
    console = Console(stderr=True)
    show_progress = console.is_terminal and not quiet and log_format == "text"
    with crawl_logging(log_format, quiet=quiet, verbose=verbose):
        if show_progress:
            with ProgressLine(console) as progress:
                report = run_crawl(options, on_progress=progress.update)
        else:
            report = run_crawl(options)
        if not quiet:
            typer.echo(report.summary())
        if report.error is not None:
            stderr_line(f"run {report.run_id} stopped: {sanitize_for_terminal(report.error)}; the next run resumes")
        elif quiet and report.exit_code == ExitCode.PAGES_FAILED:
            stderr_line(f"{report.counts['failed']} pages failed; `newsarchive status` shows why")
        elif quiet and report.exit_code == ExitCode.INTERRUPTED:
            message = "interrupted; the next run resumes"
            stderr_line(message, level="warning", text=message)
    return report


def status(
    db: Path = typer.Option(DEFAULT_ARCHIVE, "--db", help="Archive file."),
    runs: int = typer.Option(5, "--runs", min=1, help="How many recent runs to show."),
    failures: int = typer.Option(10, "--failures", min=0, help="How many failed URLs to show."),
) -> None:
    """Show the last runs, the backlog and the failures with their reasons."""
    with user_errors(), Archive.open(db, create=False) as archive:
        conn = archive.conn
        held: bool | None = None  # probed once, and only when a run is marked running
        typer.echo(f"archive {db}: {conn.execute('SELECT count(*) FROM articles').fetchone()[0]} articles")
        typer.echo("last runs:")
        rows = conn.execute(
            "SELECT id, started_at, finished_at, state, exit_code, counts FROM runs ORDER BY id DESC LIMIT ?", (runs,)
        ).fetchall()
        if not rows:
            typer.echo("  (none)")
        for run_id, started, finished, state, code, counts in rows:
            if state == "running":
                held = lock_is_held(db) if held is None else held
                if not held:
                    # Its process died without ending it (kill -9, power loss); the next run marks it interrupted.
                    state = "interrupted (no process holds the lock)"
            c = json.loads(counts or "{}")
            detail = ", ".join(f"{k} {c[k]}" for k in ("fetched", "new", "updated", "failed") if k in c)
            exit_text = "" if code is None else f" exit {code}"
            typer.echo(
                f"  #{run_id} {started} → {finished or '-'} {state}{exit_text}" + (f": {detail}" if detail else "")
            )
        by_state = dict.fromkeys(STATES, 0)
        by_state.update(dict(conn.execute("SELECT state, count(*) FROM frontier GROUP BY state").fetchall()))
        retry = conn.execute(
            "SELECT count(*), min(next_try_at) FROM frontier WHERE state = 'failed' AND next_try_at IS NOT NULL"
        ).fetchone()
        typer.echo(
            "backlog: "
            + ", ".join(f"{state} {by_state[state]}" for state in STATES)
            + (f" (retrying {retry[0]} from {retry[1]})" if retry[0] else "")
        )
        if failures:
            failed = conn.execute(
                "SELECT url, kind, attempts, last_error, next_try_at FROM frontier WHERE state = 'failed' "
                "ORDER BY updated_at DESC LIMIT ?",
                (failures,),
            ).fetchall()
            typer.echo("failures:" if failed else "failures: none")
            for url, kind, attempts, error, next_try in failed:
                when = f", next try {next_try}" if next_try else ", given up"
                typer.echo(f"  {url} ({kind}, {attempts} attempts{when}): {sanitize_for_terminal(error)}")


def demo(
    db: Path = typer.Option(DEMO_ARCHIVE, "--db", help="Archive file for the demo."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Serve the bundled mirror on 127.0.0.1 and crawl it into data/demo.db (no network needed)."""
    from scraper.mirror import MirrorServer

    with user_errors(), MirrorServer() as server:
        if not quiet:
            typer.echo(f"serving the bundled mirror at {server.base_url}", err=True)
        options = CrawlOptions(
            db_path=db, profile=default_profile(), base_url=server.base_url, full=True, delay=0.0, command="demo"
        )
        report = _run_and_report(options, quiet=quiet, log_format="text", verbose=False)
        if not quiet:
            typer.echo(f"explore it: newsarchive status --db {db}", err=True)
        raise typer.Exit(int(report.exit_code))


def reextract(
    db: Path = typer.Option(DEFAULT_ARCHIVE, "--db", help="Archive file."),
    since: str | None = typer.Option(None, "--since", help="Only pages fetched on or after this day (YYYY-MM-DD)."),
    warc_dir: Path | None = typer.Option(None, "--warc-dir", help="WARC folder (default: warc/ beside the archive)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    log_format: str = typer.Option("text", "--log-format", help="Log format on stderr: text or json."),
) -> None:
    """Rebuild records from the WARC files after an extractor change (offline)."""
    from scraper.reextract import reextract as run_reextract

    _check_log_format(log_format)
    with error_format(log_format), user_errors():
        first = parse_day(since, "--since")
        with crawl_logging(log_format, quiet=quiet, verbose=False):
            report = run_reextract(db, warc_dir=warc_dir, since=first)
            failed = report.counts.get("failed", 0)
            if not quiet:
                typer.echo(report.summary())
            elif failed:
                stderr_line(f"{failed} pages could not be re-extracted")
        raise typer.Exit(int(ExitCode.PAGES_FAILED if failed else ExitCode.OK))
