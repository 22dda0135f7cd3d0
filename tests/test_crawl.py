"""The crawler end to end: `newsarchive crawl` in a subprocess against the mirror served on 127.0.0.1.

Requests are counted on the server's side (MirrorServer.requests); the archive is read back from the
SQLite file the run wrote. Articles are compared with what the extractor makes of the mirror's own
file for the same fetch time, so "exact" means the crawl added and lost nothing on the way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from scraper.extract import extract_article
from scraper.mirror import SITE_URL_PATTERN, GzipBomb, Hang, MirrorServer, Oversize, Redirect, Reset, Status, Truncate
from scraper.store import Archive
from scraper.warc import WarcRef, read_warc_response
from tests.conftest import MIRROR

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "cli.py"
HOME = "http://2018.vybor-naroda.org"
#: The mirror's pages were served at this moment ("Сегодня" on a page is this day).
SERVED_AT = "2026-03-05T17:00:00+03:00"
ARTICLE_PATHS = sorted("/" + p.relative_to(MIRROR).as_posix() for p in MIRROR.rglob("*.html") if p.name[:1].isdigit())
GZIP_BOMB_PATH = "/lentanovostey/303190-v-primorskom-krae-postrojat-novye-obekty-jenergetiki.html"


# --- helpers ----------------------------------------------------------------------------------------


def cli(*args: str, cwd: Path, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process (`kwargs` go to subprocess.run, e.g. a `preexec_fn` setting limits)."""
    return subprocess.run(
        [sys.executable, str(CLI), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def crawl_args(server: MirrorServer, db: Path, *extra: str) -> list[str]:
    return ["crawl", "--base-url", server.base_url, "--db", str(db), "--delay", "0", *extra]


def start_crawl(
    server: MirrorServer, db: Path, *extra: str, cwd: Path, output: int | None = subprocess.PIPE
) -> subprocess.Popen[str]:
    """A crawl in a child process, handed back once the mirror has one of its requests in flight (a
    `Hang` fault keeps it there); the caller stops it."""
    process = subprocess.Popen(
        [sys.executable, str(CLI), *crawl_args(server, db, *extra)],
        cwd=cwd,
        stdout=output,
        stderr=output,
        text=True,
    )
    deadline = time.monotonic() + 20
    while server.peak_in_flight < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    return process


def article_requests(server: MirrorServer) -> list[Any]:
    return [r for r in server.requests if r.path.split("?")[0] in ARTICLE_PATHS]


def stored_records(db: Path) -> dict[str, dict[str, Any]]:
    with Archive.open(db, create=False) as archive:
        ids = [row[0] for row in archive.conn.execute("SELECT id FROM articles ORDER BY news_id")]
        records = [archive.load_article(i).record.to_dict() for i in ids]
    return {r["url"]: r for r in records}


def expected_record(root: Path, url: str, fetched_at: str) -> dict[str, Any]:
    """The extractor's record of the mirror's file, as served: the mirror maps every portal host to its own
    address, which the crawl maps back to the site's default host."""
    page = SITE_URL_PATTERN.sub(HOME.encode(), (root / url.removeprefix(HOME + "/")).read_bytes())
    return extract_article(page, url=url, fetched_at=fetched_at).to_dict()


def without_fetch_time(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {url: {k: v for k, v in r.items() if k != "fetched_at"} for url, r in records.items()}


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def copy_mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR, root)
    return root


@pytest.fixture
def server() -> Iterator[MirrorServer]:
    with MirrorServer(MIRROR) as running:
        yield running


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """One uninterrupted crawl of the bundled mirror: its archive and the server's request log."""
    tmp = tmp_path_factory.mktemp("reference")
    with MirrorServer(MIRROR) as running:
        result = cli(*crawl_args(running, tmp / "archive.db"), cwd=tmp)
        assert (result.returncode, result.stderr) == (0, "")
        return tmp / "archive.db", running.requests


# --- a whole crawl ------------------------------------------------------------------------------------


def test_crawl_archives_every_article_once_with_exact_records(reference: tuple[Path, list[Any]]) -> None:
    db, requests = reference
    fetched = Counter(r.path for r in requests if r.path in ARTICLE_PATHS)
    assert fetched == dict.fromkeys(ARTICLE_PATHS, 1)
    records = stored_records(db)
    assert sorted(records) == [HOME + p for p in ARTICLE_PATHS]
    for url, record in records.items():
        assert record == expected_record(MIRROR, url, record["fetched_at"]), url
    # Every article fetch is in fetch_log with its WARC record, which reads back as the page served.
    logged = query(
        db, "SELECT url, warc_file, warc_offset, warc_length FROM fetch_log WHERE kind = 'article' AND status = 200"
    )
    assert sorted(row[0] for row in logged) == sorted(records)
    for url, warc_file, offset, length in logged:
        response = read_warc_response(db.parent / "warc", WarcRef(warc_file, offset, length))
        assert (response.status, response.url.endswith(url.removeprefix(HOME))) == (200, True)
    # The sidebar's links point at articles the mirror does not have: gone, not failed.
    states = dict(query(db, "SELECT state, count(*) FROM frontier GROUP BY state"))
    assert set(states) == {"done", "gone"}
    assert query(db, "SELECT state, last_error FROM frontier WHERE url = ?", HOME + GZIP_BOMB_PATH) == [
        ("gone", "HTTP 404")
    ]
    assert query(db, "SELECT state, exit_code, pid > 0 FROM runs") == [("done", 0, 1)]


def test_second_run_fetches_no_article_page(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR) as running:
        assert cli(*crawl_args(running, db), cwd=tmp_path).returncode == 0
        running.reset_log()
        result = cli(*crawl_args(running, db), cwd=tmp_path)
        assert result.returncode == 0
        # Only articles published in the last 48 hours ("Сегодня", "Вчера" on the mirror's pages,
        # read as of the first crawl) are asked again, conditionally, and the server says 304.
        window_start = datetime.now(UTC) - timedelta(hours=48)
        recent = {
            url
            for url, published in query(db, "SELECT url, published_at FROM articles")
            if datetime.fromisoformat(published) >= window_start
        }
        assert len(recent) == 3
        revisits = article_requests(running)
        assert sorted(HOME + r.path for r in revisits) == sorted(recent)
        assert all(r.status == 304 and r.header("If-None-Match") for r in revisits)
        assert all(r.status == 304 for r in running.requests if r.path != "/robots.txt")
        running.reset_log()
        result = cli(*crawl_args(running, db, "--revisit-hours", "0"), cwd=tmp_path)
        assert result.returncode == 0
        assert article_requests(running) == []
    assert result.stdout.startswith("run 3 done: fetched ")


def _add_article(root: Path, news_id: int, headline: str, when: str) -> str:
    """A new article page, made from the seed page with another id, headline, date and text."""
    seed = MIRROR / "lentanovostey/297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
    text = seed.read_text(encoding="utf-8")
    path = f"/lentanovostey/{news_id}-novost-{news_id}.html"
    text = text.replace("297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju", path[15:-5])
    text = text.replace("Липецкая область и ДНР планируют запустить промышленную кооперацию", headline)
    text = text.replace("07 декабря 2025, 16:16", when)
    text = text.replace("Ключевая тема переговоров", f"Новость {news_id}. Ключевая тема переговоров")
    (root / path.lstrip("/")).write_text(text, encoding="utf-8")
    return path


def _rebuild_navigation(root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.mirrorgen.build_navigation", "--root", str(root)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_new_articles_only_they_are_fetched(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    db = tmp_path / "archive.db"
    with MirrorServer(root) as running:
        assert cli(*crawl_args(running, db, "--revisit-hours", "0"), cwd=tmp_path).returncode == 0
        added = [
            _add_article(root, 297500, "Первая новая новость", "05 марта 2026, 16:00"),
            _add_article(root, 297501, "Вторая новая новость", "05 марта 2026, 16:30"),
        ]
        _rebuild_navigation(root)
        running.reset_log()
        result = cli(*crawl_args(running, db, "--revisit-hours", "0"), cwd=tmp_path)
        assert result.returncode == 0
        fetched = [r.path for r in running.requests if r.path.split("/")[-1][:1].isdigit() and r.status == 200]
    assert sorted(fetched) == added
    assert "new 2, updated 0" in result.stdout
    records = stored_records(db)
    assert len(records) == len(ARTICLE_PATHS) + 2
    for path in added:
        record = records[HOME + path]
        assert record == expected_record(root, HOME + path, record["fetched_at"])


def test_edited_recent_article_becomes_one_revision(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    db = tmp_path / "archive.db"
    with MirrorServer(root) as running:
        assert cli(*crawl_args(running, db), cwd=tmp_path).returncode == 0
        # Published "Вчера", so inside the 48-hour revisit window of the next run.
        edited = root / "lentanovostey/296985-v-lipeckom-rajone-otkryli-novuju-ambulatoriju.html"
        text = edited.read_text(encoding="utf-8")
        paragraph = text.rindex("</p>")
        edited.write_text(text[:paragraph] + " (исправлено)" + text[paragraph:], encoding="utf-8")
        running.reset_log()
        result = cli(*crawl_args(running, db), cwd=tmp_path)
        assert result.returncode == 0
        changed = "/lentanovostey/296985-v-lipeckom-rajone-otkryli-novuju-ambulatoriju.html"
        assert [(r.path, r.status) for r in article_requests(running) if r.status == 200] == [(changed, 200)]
    assert "new 0, updated 1, unchanged 0" in result.stdout
    assert query(db, "SELECT a.version, count(r.id) FROM articles a JOIN revisions r ON r.article_id = a.id") == [
        (2, 1)
    ]
    record = stored_records(db)[HOME + changed]
    assert record["body"].endswith(" (исправлено)")
    assert record == expected_record(root, HOME + changed, record["fetched_at"])


def test_back_fill_by_date_reads_the_calendar(tmp_path: Path, server: MirrorServer) -> None:
    db = tmp_path / "archive.db"
    result = cli(*crawl_args(server, db, "--since", "2025-11-01", "--until", "2025-11-30"), cwd=tmp_path)
    assert result.returncode == 0
    november = sorted(
        HOME + p
        for p in ARTICLE_PATHS
        if extract_article(
            (MIRROR / p.lstrip("/")).read_bytes(), url=HOME + p, fetched_at=SERVED_AT
        ).published_at.startswith("2025-11-")  # type: ignore[union-attr]
    )
    assert sorted(stored_records(db)) == november
    assert {r.path for r in server.requests} >= {"/2025/11/", "/2025/11/01/", "/2025/11/29/"}
    assert not any(r.path in ("/", "/rss.xml") for r in server.requests)


# --- faults -------------------------------------------------------------------------------------------


def test_faults_are_survived_and_logged(tmp_path: Path) -> None:
    root = copy_mirror(tmp_path)
    with (root / "robots.txt").open("a", encoding="utf-8") as robots:
        robots.write("\nUser-agent: *\nDisallow: /obschestvo/$\n")
    reset_path, truncated_path = ARTICLE_PATHS[0], ARTICLE_PATHS[1]
    faults = {
        "/rss.xml": [Status(503, {"Retry-After": "1"})],
        "/": [Status(429, {"Retry-After": "0"})],
        reset_path: [Reset()],
        truncated_path: [Truncate(0.5)],
        "/lentanovostey/": [Hang(5)],
        "/politika/": Redirect("/politika/"),
        "/vybory/": Redirect("http://example.invalid/vybory/"),
        "/ekonomika/": Oversize(11_000_000, declare_length=False),
        GZIP_BOMB_PATH: GzipBomb(50_000_000),
    }
    db = tmp_path / "archive.db"
    with MirrorServer(root, faults=faults) as running:
        result = cli(*crawl_args(running, db, "--full", "--timeout", "1", "--log-format", "json"), cwd=tmp_path)
        served = Counter(r.path for r in running.requests if r.status == 200 and r.path in ARTICLE_PATHS)
        requested = {r.path for r in running.requests}
        base_url = running.base_url
    assert result.returncode == 1, result.stderr
    # The truncated answer was logged as a 200 too: the retry is the second one.
    assert served == {**dict.fromkeys(ARTICLE_PATHS, 1), truncated_path: 2}
    assert sorted(stored_records(db)) == [HOME + p for p in ARTICLE_PATHS]
    assert "/vybory/" in requested and "/obschestvo/" not in requested
    outcomes = {
        url.removeprefix(HOME): (outcome, error.split(":")[0])
        for url, outcome, error in query(
            db, "SELECT url, outcome, error FROM fetch_log WHERE error IS NOT NULL AND outcome != 'retried'"
        )
        if not error.startswith("HTTP 404")
    }
    # Every try that was retried has its own fetch_log row; an answer that came is in the WARC.
    retried_rows = query(
        db, "SELECT url, status, error, warc_file IS NOT NULL FROM fetch_log WHERE outcome = 'retried' ORDER BY url"
    )
    assert sorted(
        (url.removeprefix(HOME), status, error.split(":")[0], in_warc) for url, status, error, in_warc in retried_rows
    ) == sorted(
        [
            ("/rss.xml", 503, "HTTPStatusError", 1),
            ("/", 429, "HTTPStatusError", 1),
            (reset_path, None, "UnreachableError", 0),
            (truncated_path, None, "UnreachableError", 0),
            ("/lentanovostey/", None, "UnreachableError", 0),
        ]
    )
    assert outcomes == {
        "/politika/": ("failed", "RedirectError"),
        "/vybory/": ("skipped", "OutOfScopeError"),
        "/obschestvo/": ("skipped", "RobotsDisallowedError"),
        "/ekonomika/": ("failed", "TooLargeError"),
        GZIP_BOMB_PATH: ("failed", "TooLargeError"),
    }
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    retried = [line["message"] for line in lines if line["message"].startswith("retrying")]
    for path, reason in [
        ("/rss.xml", "HTTP 503"),
        ("/", "HTTP 429"),
        (reset_path, "connection failed"),
        (truncated_path, "truncated body"),
        ("/lentanovostey/", "timed out"),
    ]:
        assert any(f"{base_url}{path}: {reason}" in message for message in retried), (path, retried)
    failed = {line["url"].removeprefix(HOME) for line in lines if line.get("outcome") == "failed"}
    assert failed == {"/politika/", "/ekonomika/", GZIP_BOMB_PATH}
    status = cli("status", "--db", str(db), cwd=tmp_path)
    assert status.returncode == 0
    assert f"  {HOME}/politika/ (listing, 1 attempts, given up): RedirectError: redirect loop at" in status.stdout


# --- interruption and the lock ------------------------------------------------------------------------


@pytest.mark.parametrize("kill_after", [3, 25, 60], ids=["early", "middle", "late"])
def test_kill_9_then_resume_ends_like_an_uninterrupted_crawl(
    reference: tuple[Path, list[Any]], tmp_path: Path, kill_after: int
) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR) as running:
        process = subprocess.Popen(
            [sys.executable, str(CLI), *crawl_args(running, db, "--concurrency", "2")],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while len(running.requests) < kill_after and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        done_before = {
            url.removeprefix(HOME)
            for (url,) in query(db, "SELECT url FROM frontier WHERE kind = 'article' AND state = 'done'")
        }
        running.reset_log()
        result = cli(*crawl_args(running, db), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        again = {r.path for r in running.requests if r.status == 200} & done_before
    assert again == set()
    assert without_fetch_time(stored_records(db)) == without_fetch_time(stored_records(reference[0]))
    frontier = "SELECT url, kind, state FROM frontier ORDER BY url"
    assert query(db, frontier) == query(reference[0], frontier)
    assert [row[0] for row in query(db, "SELECT state FROM runs ORDER BY id")] == ["interrupted", "done"]


def test_second_crawl_while_one_runs_exits_3_and_touches_nothing(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR, faults={"/robots.txt": [Hang(2)]}) as running:
        first = start_crawl(running, db, "--timeout", "10", cwd=tmp_path)
        try:
            files = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir() if p.is_file()}
            second = cli(*crawl_args(running, db), cwd=tmp_path)
            assert (second.returncode, second.stdout) == (3, "")
            lock_pid = f"(pid {first.pid})"
            assert second.stderr == (
                f"error: {db}: another run holds the archive's lock {lock_pid}; nothing was changed. "
                "Wait for it to finish, or stop it.\n"
            )
            assert {
                p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir() if p.is_file()
            } == files
            assert running.requests == []
            out, _ = first.communicate(timeout=60)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert first.returncode == 0
    assert out.startswith("run 1 done: ")
    assert query(db, "SELECT count(*) FROM runs") == [(1,)]


# --- the other commands -----------------------------------------------------------------------------


def test_reextract_replays_the_warc_files(reference: tuple[Path, list[Any]], tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    shutil.copy(reference[0], db)
    shutil.copytree(reference[0].parent / "warc", tmp_path / "warc")
    before = without_fetch_time(stored_records(db))
    result = cli("reextract", "--db", str(db), cwd=tmp_path)
    count = len(ARTICLE_PATHS)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"reextracted {count} pages: new 0, updated 0, unchanged {count}, failed 0\n",
        "",
    )
    assert without_fetch_time(stored_records(db)) == before


def test_reextract_brings_an_extractor_change_to_fields_outside_headline_and_body(
    reference: tuple[Path, list[Any]], tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    shutil.copy(reference[0], db)
    shutil.copytree(reference[0].parent / "warc", tmp_path / "warc")
    before = stored_records(db)
    # An archive an older extractor wrote: credits, quotes, tags and most of the sidebar missed.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE articles SET photo_credit = NULL, image_url = NULL")
        for table in ("quotes", "tags"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM sidebar_links WHERE position > 2")
    conn.close()
    assert stored_records(db) != before
    result = cli("reextract", "--db", str(db), cwd=tmp_path)
    count = len(ARTICLE_PATHS)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"reextracted {count} pages: new 0, updated 0, unchanged {count}, failed 0\n",
        "",
    )
    assert stored_records(db) == before
    assert query(db, "SELECT DISTINCT version FROM articles") == [(1,)]
    assert query(db, "SELECT count(*) FROM revisions") == [(0,)]
    quoted = cli("search", "quotes: Донбасса", "--db", str(db), "--json", cwd=tmp_path)
    assert [hit["news_id"] for hit in json.loads(quoted.stdout)] == ["297434"]


def test_demo_crawls_the_bundled_mirror(tmp_path: Path) -> None:
    result = cli("demo", "--db", str(tmp_path / "demo.db"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("run 1 done: fetched ")
    assert f"new {len(ARTICLE_PATHS)}, updated 0" in result.stdout
    assert len(stored_records(tmp_path / "demo.db")) == len(ARTICLE_PATHS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "2025-12-01"], "error: --until needs --since"),
        (["--since", "2025-12-01", "--full"], "error: --since and --full do not go together: --full walks everything"),
        (["--since", "1 December"], "error: --since '1 December' is not a date (YYYY-MM-DD)"),
        (["--log-format", "xml"], "error: --log-format must be text or json, not 'xml'"),
    ],
    ids=["until-alone", "since-and-full", "bad-date", "bad-log-format"],
)
def test_usage_errors_exit_2_and_touch_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["crawl", "--db", str(tmp_path / "archive.db"), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert list(tmp_path.iterdir()) == []


def test_sigint_finishes_writes_marks_the_run_interrupted_and_exits_130(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR) as running:
        process = subprocess.Popen(
            [sys.executable, str(CLI), *crawl_args(running, db, "--concurrency", "1")],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while len(running.requests) < 5 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (130, "")
    assert out.startswith("run 1 interrupted: fetched ")
    assert query(db, "SELECT state, exit_code FROM runs") == [("interrupted", 130)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'") == [(0,)]


def test_crawl_identifies_itself(reference: tuple[Path, list[Any]], tmp_path: Path) -> None:
    _, requests = reference
    agents = {dict((k.lower(), v) for k, v in r.headers).get("user-agent") for r in requests}
    assert agents == {"newsarchive/0.1.0 (+https://github.com/newsarchive/newsarchive)"}
    with MirrorServer(MIRROR) as running:
        args = crawl_args(
            running, tmp_path / "a.db", "--max-pages", "1", "--user-agent", "lab-archive (+mailto:ops@lab)"
        )
        result = cli(*args, cwd=tmp_path)
        seen = {dict((k.lower(), v) for k, v in r.headers).get("user-agent") for r in running.requests}
    assert result.returncode == 0, result.stderr
    assert seen == {"lab-archive (+mailto:ops@lab)"}
