"""Crawler defects reproduced by QA, each pinned end to end: `newsarchive crawl` in a subprocess against the
mirror on 127.0.0.1 (faults injected by the server), the archive read back from its SQLite file.

1. `--full` on an existing archive walks the sitemaps and every listing page again (no 304 stops it).
2. A long `Retry-After` neither holds the run nor its `--max-time`; every try has its fetch_log row.
4. A 304 revisit moves `last_seen_at`, like an unchanged 200.
5. robots.txt's `Crawl-delay` counts from the robots.txt request itself.
6. `--max-pages` counts pages requested, not pages robots.txt forbids.
"""

from __future__ import annotations

import itertools
import re
import resource
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scraper.mirror import Delay, MirrorServer, Reset, Status
from scraper.warc import WarcRef, read_warc_response
from tests.conftest import MIRROR
from tests.test_crawl import (
    ARTICLE_PATHS,
    HOME,
    _add_article,
    cli,
    copy_mirror,
    crawl_args,
    query,
    stored_records,
)

MOSCOW = ZoneInfo("Europe/Moscow")
SITEMAP = "uploads/sitemap.xml"


def _is_article(path: str) -> bool:
    return path.split("?")[0].split("/")[-1][:1].isdigit()


def _set_lastmod(root: Path, path: str, lastmod: str) -> None:
    sitemap = root / SITEMAP
    text = sitemap.read_text(encoding="utf-8")
    text, count = re.subn(
        rf"(<loc>{re.escape(HOME + path)}</loc><lastmod>)[^<]*(</lastmod>)", rf"\g<1>{lastmod}\g<2>", text
    )
    assert count == 1
    sitemap.write_text(text, encoding="utf-8")


def _edit_body(root: Path, path: str) -> None:
    page = root / path.lstrip("/")
    text = page.read_text(encoding="utf-8")
    paragraph = text.rindex("</p>")
    page.write_text(text[:paragraph] + " (исправлено)" + text[paragraph:], encoding="utf-8")


# --- 1. --full walks everything again ---------------------------------------------------------------


def test_full_run_on_an_existing_archive_walks_the_sitemaps_and_every_listing_page(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    db = tmp_path / "archive.db"
    newer = "/ekonomika/293905-v-ojez-lipeck-pojavitsja-proizvodstvo-kompozitnyh-materialov.html"
    same_day = "/politika/296725-lipeckie-kommunisty-vydvinuli-kandidatov-na-dovybory-v-gorsovet.html"
    with MirrorServer(root) as running:
        first = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        navigation = sorted({r.path for r in running.requests if not _is_article(r.path)} - {"/robots.txt"})
        assert {"/sitemap.xml", "/uploads/sitemap.xml", "/page/2/", "/page/4/"} <= set(navigation)
        time.sleep(1.1)  # a lastmod of "now" is then after our copy's fetch time
        # A new article that only the child sitemap names (the sitemap index is unchanged).
        added = _add_article(root, 297600, "Новость только в карте сайта", "18 августа 2025, 10:00")
        sitemap = root / SITEMAP
        entry = f"<url><loc>{HOME}{added}</loc><lastmod>2025-08-18</lastmod><priority>0.6</priority></url>\n"
        sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("</urlset>", entry + "</urlset>"))
        # An edited article whose lastmod is newer than our copy: fetched again.
        _edit_body(root, newer)
        _set_lastmod(root, newer, datetime.now(UTC).isoformat(timespec="seconds"))
        # An edited article whose date-only lastmod is the day of our copy: not newer, not fetched.
        (fetched_day,) = query(db, "SELECT substr(last_fetched_at, 1, 10) FROM frontier WHERE url = ?", HOME + same_day)
        _edit_body(root, same_day)
        _set_lastmod(root, same_day, fetched_day[0])
        running.reset_log()
        second = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
        requests = running.requests
    assert second.returncode == 0, second.stderr
    # Every navigation page is read again, and read whole (a 304 would not say what it lists).
    assert sorted({r.path for r in requests if not _is_article(r.path)} - {"/robots.txt"}) == navigation
    assert {r.status for r in requests if not _is_article(r.path)} == {200}
    assert sorted((r.path, r.status) for r in requests if _is_article(r.path)) == sorted([(added, 200), (newer, 200)])
    assert "new 1, updated 1, unchanged 0" in second.stdout
    records = stored_records(db)
    assert records[HOME + added]["headline"] == "Новость только в карте сайта"
    assert records[HOME + newer]["body"].endswith(" (исправлено)")
    assert not records[HOME + same_day]["body"].endswith(" (исправлено)")
    assert query(db, "SELECT url, version FROM articles WHERE version > 1") == [(HOME + newer, 2)]


# --- 2. Retry-After, --max-time, fetch_log ------------------------------------------------------------


def _crawl_with_retry_after(
    tmp_path: Path, db: Path, path: str, *, retry_after: str, max_time: str
) -> tuple[subprocess.CompletedProcess[str], float, list[int | None]]:
    """A --full crawl whose page `path` answers 503 with that Retry-After: (result, seconds, statuses
    the mirror gave that page)."""
    with MirrorServer(MIRROR, faults={path: Status(503, {"Retry-After": retry_after})}) as running:
        started = time.monotonic()
        result = cli(*crawl_args(running, db, "--full", "--max-time", max_time), cwd=tmp_path, timeout=60)
        elapsed = time.monotonic() - started
        tries = [r.status for r in running.requests_for(path)]
    return result, elapsed, tries


def test_a_retry_after_over_the_in_run_cap_fails_the_page_until_then(tmp_path: Path) -> None:
    path = ARTICLE_PATHS[0]
    db = tmp_path / "archive.db"
    result, elapsed, tries = _crawl_with_retry_after(tmp_path, db, path, retry_after="3600", max_time="30s")
    assert result.returncode == 1, result.stderr
    assert elapsed < 15
    assert tries == [503]
    (row,) = query(
        db, "SELECT state, attempts, last_error, next_try_at, last_fetched_at FROM frontier WHERE url = ?", HOME + path
    )
    state, attempts, last_error, next_try_at, last_fetched_at = row
    assert (state, attempts, last_error) == ("failed", 1, "HTTPStatusError: HTTP 503 Service Unavailable")
    # Retried by a later run, once the hour the server asked for has passed.
    assert datetime.fromisoformat(next_try_at) - datetime.fromisoformat(last_fetched_at) == timedelta(seconds=3600)
    logged = query(
        db,
        "SELECT status, outcome, error, warc_file, warc_offset, warc_length FROM fetch_log WHERE url = ?",
        HOME + path,
    )
    assert [row[:3] for row in logged] == [(503, "failed", "HTTPStatusError: HTTP 503 Service Unavailable")]
    response = read_warc_response(tmp_path / "warc", WarcRef(*logged[0][3:]))
    assert response.status == 503


def test_max_time_is_not_held_by_a_retry_after(tmp_path: Path) -> None:
    path = ARTICLE_PATHS[0]
    db = tmp_path / "archive.db"
    # 20 s is under the in-run cap, but waiting for it would pass --max-time.
    result, elapsed, tries = _crawl_with_retry_after(tmp_path, db, path, retry_after="20", max_time="2s")
    assert result.returncode == 1, result.stderr
    assert elapsed < 10
    assert tries == [503]
    (row,) = query(db, "SELECT state, attempts FROM frontier WHERE url = ?", HOME + path)
    assert row == ("failed", 1)


def test_a_fetch_in_flight_past_max_time_is_waited_for_without_spinning(tmp_path: Path) -> None:
    path = ARTICLE_PATHS[0]
    db = tmp_path / "archive.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with MirrorServer(MIRROR, faults={path: Delay(5)}) as running:
        started = time.monotonic()
        result = cli(*crawl_args(running, db, "--full", "--max-time", "1s", "--timeout", "10"), cwd=tmp_path)
        elapsed = time.monotonic() - started
        tries = [r.status for r in running.requests_for(path)]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode == 0, result.stderr
    assert tries == [200]
    assert elapsed >= 5
    # Four seconds past the deadline with one fetch in flight: the loop sleeps, it does not poll.
    assert cpu < elapsed - 3, (cpu, elapsed)
    assert query(db, "SELECT state FROM frontier WHERE url = ?", HOME + path) == [("done",)]


def test_every_try_has_its_fetch_log_row_and_attempts_counts_the_page_tries(tmp_path: Path) -> None:
    path = ARTICLE_PATHS[0]
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR, faults={path: [Status(503, {"Retry-After": "0"}), Reset()]}) as running:
        result = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
        tries = [r.status for r in running.requests_for(path)]
    assert result.returncode == 0, result.stderr
    assert tries == [503, -1, 200]
    logged = query(
        db,
        "SELECT status, outcome, substr(error, 1, 35), warc_file IS NOT NULL FROM fetch_log WHERE url = ? ORDER BY id",
        HOME + path,
    )
    assert logged == [
        (503, "retried", "HTTPStatusError: HTTP 503 Service U", 1),
        (None, "retried", "UnreachableError: connection failed", 0),
        (200, "new", None, 1),
    ]
    # One try of the page (its three requests): README's "given up after 5 attempts" counts these.
    assert query(db, "SELECT state, attempts FROM frontier WHERE url = ?", HOME + path) == [("done", 1)]
    # reextract replays the page once, from the 200.
    rerun = cli("reextract", "--db", str(db), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert (
        rerun.stdout
        == f"reextracted {len(ARTICLE_PATHS)} pages: new 0, updated 0, unchanged {len(ARTICLE_PATHS)}, failed 0\n"
    )


# --- 4. a 304 moves last_seen_at --------------------------------------------------------------------


def test_a_304_revisit_moves_last_seen_at(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR) as running:
        assert cli(*crawl_args(running, db), cwd=tmp_path).returncode == 0
        first = dict(query(db, "SELECT url, last_seen_at FROM articles"))
        time.sleep(1.1)
        result = cli(*crawl_args(running, db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    revisits = dict(
        query(db, "SELECT url, fetched_at FROM fetch_log WHERE run_id = 2 AND kind = 'article' AND status = 304")
    )
    assert len(revisits) == 3
    expected = {
        url: datetime.fromisoformat(revisits[url]).astimezone(MOSCOW).isoformat() if url in revisits else seen
        for url, seen in first.items()
    }
    assert all(expected[url] > first[url] for url in revisits)
    assert dict(query(db, "SELECT url, last_seen_at FROM articles")) == expected
    assert dict(query(db, "SELECT url, last_seen_at FROM article_urls")) == expected
    # Nothing else moves: no new version, first_seen_at and the fetch the version came from stay.
    assert query(db, "SELECT count(*) FROM articles WHERE version != 1 OR first_seen_at != fetched_at") == [(0,)]


# --- 5. Crawl-delay from the robots.txt request on ------------------------------------------------------


def test_crawl_delay_holds_between_robots_txt_and_the_next_request(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    robots = root / "robots.txt"
    robots.write_text(
        robots.read_text(encoding="utf-8").replace("User-agent: *\n", "User-agent: *\nCrawl-delay: 0.4\n")
    )
    db = tmp_path / "archive.db"
    with MirrorServer(root) as running:
        result = cli(*crawl_args(running, db, "--full", "--max-pages", "3"), cwd=tmp_path)
        requests = sorted(running.requests, key=lambda r: r.started)
    assert result.returncode == 0, result.stderr
    assert [r.path for r in requests][:1] == ["/robots.txt"]
    assert len(requests) == 4
    gaps = [b.started - a.started for a, b in itertools.pairwise(requests)]
    assert all(gap >= 0.38 for gap in gaps), gaps


# --- 6. --max-pages counts requests ---------------------------------------------------------------------


def test_max_pages_counts_pages_requested_not_pages_robots_txt_forbids(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    # The two first articles of the feed (by address), claimed among the first pages.
    forbidden = [
        "/ekonomika/293905-v-ojez-lipeck-pojavitsja-proizvodstvo-kompozitnyh-materialov.html",
        "/ekonomika/296920-lipeckie-agrarii-sobrali-rekordnyj-urozhaj-saharnoj-svekly.html",
    ]
    robots = root / "robots.txt"
    rules = "".join(f"Disallow: {path}\n" for path in forbidden)
    robots.write_text(robots.read_text(encoding="utf-8").replace("User-agent: *\n", "User-agent: *\n" + rules))
    db = tmp_path / "archive.db"
    with MirrorServer(root) as running:
        result = cli(*crawl_args(running, db, "--full", "--max-pages", "10"), cwd=tmp_path)
        requested = [r.path for r in running.requests if r.path != "/robots.txt"]
    assert result.returncode == 0, result.stderr
    assert len(requested) == 10
    assert not set(forbidden) & set(requested)
    assert "fetched 10, " in result.stdout and " skipped 2, " in result.stdout
    assert sorted(query(db, "SELECT url FROM frontier WHERE state = 'skipped'")) == [(HOME + p,) for p in forbidden]


# --- an article and the fetch it was built from are one commit ---------------------------------------

ZOTOV_PATH = "/politika/296725-lipeckie-kommunisty-vydvinuli-kandidatov-na-dovybory-v-gorsovet.html"


def test_an_article_is_never_stored_without_its_fetch_log_row(tmp_path: Path) -> None:
    """A write of the fetch_log row that fails (a real SQLite trigger here, a kill or a full disk in
    life) takes the article's row back with it, so `reextract` finds the fetch of every stored version."""
    db = tmp_path / "archive.db"
    site_url = "http://2018.vybor-naroda.org" + ZOTOV_PATH
    with MirrorServer(MIRROR) as server:
        first = cli(*crawl_args(server, db, "--max-pages", "1"), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        conn = sqlite3.connect(db)
        conn.execute(
            "CREATE TRIGGER refuse_log BEFORE INSERT ON fetch_log WHEN NEW.url = ? "
            "BEGIN SELECT RAISE(ABORT, 'fetch_log refused'); END".replace("?", f"'{site_url}'")
        )
        conn.close()
        broken = cli(*crawl_args(server, db, "--full"), cwd=tmp_path)
        assert broken.returncode == 4
        assert "fetch_log refused" in broken.stderr
        assert query(db, "SELECT count(*) FROM articles WHERE url = ?", site_url) == [(0,)]
        conn = sqlite3.connect(db)
        conn.execute("DROP TRIGGER refuse_log")
        conn.close()
        resumed = cli(*crawl_args(server, db, "--full"), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert query(
        db,
        "SELECT count(*) FROM articles a JOIN fetch_log f ON f.url = a.url AND f.status = 200 "
        "AND f.outcome = 'new' AND unixepoch(f.fetched_at) = unixepoch(a.fetched_at) WHERE a.url = ?",
        site_url,
    ) == [(1,)]
    assert query(
        db,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM fetch_log f WHERE f.url = a.url "
        "AND f.status = 200 AND unixepoch(f.fetched_at) = unixepoch(a.fetched_at))",
    ) == [(0,)]
