"""`newsarchive crawl`, `status`, `demo` and `reextract`: thin over scraper.crawl and scraper.reextract.

Output contract: stdout gets one summary line at the end (nothing with `--quiet`); stderr gets the
log (text, or one JSON object per line with `--log-format json`, for cron and log shippers) and, on
a terminal, a live progress line. Exit codes are scraper.exitcodes.ExitCode.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from scraper.commands._common import fail, sanitize_for_terminal, user_errors
from scraper.crawl import (
    DEFAULT_CONCURRENCY,
    DEFAULT_REVISIT_HOURS,
    DEFAULT_TIMEOUT,
    CrawlOptions,
    CrawlStats,
    run_crawl,
)
from scraper.exitcodes import ExitCode
from scraper.fetch import DEFAULT_USER_AGENT
from scraper.frontier import STATES
from scraper.sites import default_profile, get_profile
from scraper.store import DEFAULT_ARCHIVE, Archive

DEMO_ARCHIVE = Path("data/demo.db")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
_LOG_FIELDS = ("url", "kind", "status", "outcome")


# --- option parsing -------------------------------------------------------------------------------


def parse_duration(value: str) -> float:
    """`90`, `90s`, `15m`, `2h`, `1h30m` → seconds."""
    match = _DURATION.match(value.strip().lower())
    if not value.strip() or match is None or not any(match.groups()):
        raise typer.BadParameter(f"{value!r} is not a duration (examples: 90s, 15m, 2h, 1h30m)")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


# --- logging --------------------------------------------------------------------------------------


class JsonLogFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the crawl's fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _LOG_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        return json.dumps(data, ensure_ascii=False)


@contextmanager
def crawl_logging(log_format: str, *, quiet: bool, verbose: bool) -> Iterator[None]:
    """Route the library's log to stderr in the chosen format for the duration of a command."""
    logger = logging.getLogger("scraper")
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
        level = logging.ERROR if quiet else logging.INFO
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        level = logging.ERROR if quiet else (logging.INFO if verbose else logging.WARNING)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


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
    with user_errors():
        if log_format not in ("text", "json"):
            fail(f"--log-format must be text or json, not {log_format!r}")
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if last is not None and first is None:
            fail("--until needs --since")
        if first is not None and full:
            fail("--since and --full do not go together: --full walks everything")
        if first is not None and last is not None and first > last:
            fail(f"--since {first} is after --until {last}")
        if base_url is not None and not re.match(r"^https?://[^/\s]+/?$", base_url):
            fail(f"--base-url {base_url!r} must be an origin such as http://127.0.0.1:8000")
        options = CrawlOptions(
            db_path=db,
            profile=get_profile(site) if site else default_profile(),
            base_url=base_url,
            since=first,
            until=last,
            full=full,
            max_pages=max_pages,
            max_time=parse_duration(max_time) if max_time else None,
            concurrency=concurrency,
            delay=delay,
            timeout=timeout,
            revisit_hours=revisit_hours,
            user_agent=user_agent,
            command=" ".join(["crawl", *sys.argv[2:]]) if sys.argv[1:2] == ["crawl"] else "crawl",
        )
        _run_and_report(options, quiet=quiet, log_format=log_format, verbose=verbose)


def _run_and_report(options: CrawlOptions, *, quiet: bool, log_format: str, verbose: bool) -> None:
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
    elif report.exit_code == ExitCode.PAGES_FAILED:
        typer.echo(f"error: {report.counts['failed']} pages failed; `newsarchive status` shows why", err=True)
    elif report.exit_code == ExitCode.INTERRUPTED:
        typer.echo("interrupted; the next run resumes", err=True)
    raise typer.Exit(int(report.exit_code))


def status(
    db: Path = typer.Option(DEFAULT_ARCHIVE, "--db", help="Archive file."),
    runs: int = typer.Option(5, "--runs", min=1, help="How many recent runs to show."),
    failures: int = typer.Option(10, "--failures", min=0, help="How many failed URLs to show."),
) -> None:
    """Show the last runs, the backlog and the failures with their reasons."""
    with user_errors(), Archive.open(db, create=False) as archive:
        conn = archive.conn
        typer.echo(f"archive {db}: {conn.execute('SELECT count(*) FROM articles').fetchone()[0]} articles")
        typer.echo("last runs:")
        rows = conn.execute(
            "SELECT id, started_at, finished_at, state, exit_code, counts FROM runs ORDER BY id DESC LIMIT ?", (runs,)
        ).fetchall()
        if not rows:
            typer.echo("  (none)")
        for run_id, started, finished, state, code, counts in rows:
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
        try:
            _run_and_report(options, quiet=quiet, log_format="text", verbose=False)
        finally:
            if not quiet:
                typer.echo(f"explore it: newsarchive status --db {db}", err=True)


def reextract(
    db: Path = typer.Option(DEFAULT_ARCHIVE, "--db", help="Archive file."),
    since: str | None = typer.Option(None, "--since", help="Only pages fetched on or after this day (YYYY-MM-DD)."),
    warc_dir: Path | None = typer.Option(None, "--warc-dir", help="WARC folder (default: warc/ beside the archive)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Rebuild records from the WARC files after an extractor change (offline)."""
    from scraper.reextract import reextract as run_reextract

    with user_errors():
        report = run_reextract(db, warc_dir=warc_dir, since=parse_day(since, "--since"))
        failed = report.counts.get("failed", 0)
        if not quiet:
            typer.echo(report.summary())
        elif failed:
            typer.echo(f"error: {failed} pages could not be re-extracted", err=True)
        raise typer.Exit(int(ExitCode.PAGES_FAILED if failed else ExitCode.OK))
