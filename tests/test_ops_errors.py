"""Operations under bad input and a bad environment: one clear line, the documented exit code, nothing
changed that should not be, and no traceback.

Real parts only: the CLI in a subprocess (or typer's runner for pure option errors), the package's own
mirror server on 127.0.0.1, real SQLite files and real WARC files damaged on disk.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from cli import app
from scraper.lock import RunLock, lock_path_for
from scraper.mirror import Hang, MirrorServer, Status
from tests.conftest import MIRROR
from tests.test_crawl import cli, crawl_args, query, start_crawl

HOME = "http://2018.vybor-naroda.org"
ARTICLES = sum(1 for p in MIRROR.rglob("*.html") if p.name[:1].isdigit())
JSON_KEYS = {"time", "level", "logger", "message"}


# --- helpers ----------------------------------------------------------------------------------------


def json_lines(stderr: str) -> list[dict[str, Any]]:
    """Every stderr line as a JSON object with the log keys (fails on any plain-text line)."""
    lines = [json.loads(line) for line in stderr.splitlines()]
    assert all(set(line) >= JSON_KEYS for line in lines), lines
    return lines


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def site_today() -> date:
    return max(date.today(), datetime.now(ZoneInfo("Europe/Moscow")).date())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full crawl of the bundled mirror: the folder holding archive.db and warc/."""
    tmp = tmp_path_factory.mktemp("crawled")
    with MirrorServer(MIRROR) as running:
        result = cli(*crawl_args(running, tmp / "archive.db"), cwd=tmp)
    assert (result.returncode, result.stderr) == (0, "")
    return tmp


@pytest.fixture
def archive_copy(crawled: Path, tmp_path: Path) -> Path:
    """A private copy of the crawled archive and its WARC folder; returns the archive's path."""
    shutil.copy(crawled / "archive.db", tmp_path / "archive.db")
    shutil.copytree(crawled / "warc", tmp_path / "warc")
    return tmp_path / "archive.db"


def article_records(db: Path) -> list[tuple[str, str, int, int]]:
    """(url, warc file, offset, length) of every archived article response, in file order."""
    return [
        (url, file, offset, length)
        for url, file, offset, length in query(
            db,
            "SELECT url, warc_file, warc_offset, warc_length FROM fetch_log "
            "WHERE kind = 'article' AND status = 200 ORDER BY warc_file, warc_offset",
        )
    ]


def versions(db: Path) -> list[tuple[Any, ...]]:
    return query(db, "SELECT url, version, content_hash FROM articles ORDER BY url")


# --- 1, 2: damaged WARC records are failed pages, never new versions, never a traceback ------------


def test_reextract_counts_a_truncated_record_as_failed_and_stores_nothing(archive_copy: Path) -> None:
    db = archive_copy
    url, file, offset, length = article_records(db)[-1]
    before = versions(db)
    warc = db.parent / "warc" / file
    os.truncate(warc, offset + length // 2)
    result = cli("reextract", "--db", str(db), cwd=db.parent)
    assert (result.returncode, result.stdout) == (
        1,
        f"reextracted {ARTICLES} pages: new 0, updated 0, unchanged {ARTICLES - 1}, failed 1\n",
    )
    assert result.stderr == (
        f"WARNING cannot re-extract {url}: {file} at offset {offset}: "
        f"truncated: the file holds {length // 2} of the record's {length} bytes\n"
    )
    assert versions(db) == before
    assert query(db, "SELECT count(*) FROM revisions") == [(0,)]


def test_reextract_fails_corrupted_gzip_records_one_by_one_and_goes_on(archive_copy: Path) -> None:
    db = archive_copy
    records = article_records(db)
    zeros, trailer, header = records[2], records[5], records[8]
    before = versions(db)
    with open(db.parent / "warc" / zeros[1], "r+b") as handle:
        handle.seek(zeros[2] + zeros[3] // 2)
        handle.write(b"\0" * 64)
        handle.seek(trailer[2] + trailer[3] - 8)  # the member's CRC32
        crc = handle.read(4)
        handle.seek(trailer[2] + trailer[3] - 8)
        handle.write(bytes(b ^ 0xFF for b in crc))
        handle.seek(header[2])  # the gzip magic
        handle.write(b"\0\0")
    result = cli("reextract", "--db", str(db), cwd=db.parent)
    assert (result.returncode, result.stdout) == (
        1,
        f"reextracted {ARTICLES} pages: new 0, updated 0, unchanged {ARTICLES - 3}, failed 3\n",
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"WARNING cannot re-extract {zeros[0]}: {zeros[1]} at offset {zeros[2]}: damaged")
    assert lines[1] == (
        f"WARNING cannot re-extract {trailer[0]}: {trailer[1]} at offset {trailer[2]}: "
        "damaged gzip member (CRC check failed)"
    )
    assert lines[2] == (
        f"WARNING cannot re-extract {header[0]}: {header[1]} at offset {header[2]}: "
        "damaged: not the start of a gzip member"
    )
    assert versions(db) == before


def test_reextract_log_format_json_and_quiet(archive_copy: Path) -> None:
    db = archive_copy
    url, file, offset, length = article_records(db)[-1]
    os.truncate(db.parent / "warc" / file, offset + 100)
    result = cli("reextract", "--db", str(db), "--log-format", "json", cwd=db.parent)
    assert result.returncode == 1
    [line] = json_lines(result.stderr)
    assert (line["level"], line["logger"], line["message"]) == (
        "warning",
        "scraper.reextract",
        f"cannot re-extract {url}: {file} at offset {offset}: truncated: the file holds 100 of the record's "
        f"{length} bytes",
    )
    quiet = cli("reextract", "--db", str(db), "--quiet", "--log-format", "json", cwd=db.parent)
    assert (quiet.returncode, quiet.stdout) == (1, "")
    assert [line["message"] for line in json_lines(quiet.stderr)] == ["1 pages could not be re-extracted"]


# --- 3: --log-format json: every line on stderr is JSON -------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-13-45"], "--since '2025-13-45' is not a date (YYYY-MM-DD)"),
        (
            ["--max-time", "0"],
            "--max-time '0' is no time at all: give a duration (examples: 90s, 15m, 2h, 1h30m), or leave it out",
        ),
        (["--revisit-hours", "inf"], "--revisit-hours must be a number from 0 up to 1000000, not inf"),
    ],
    ids=["bad-date", "zero-max-time", "infinite-revisit"],
)
def test_json_option_errors_are_json(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("crawl", "--db", str(tmp_path / "archive.db"), "--log-format", "json", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = json_lines(result.stderr)
    assert (line["level"], line["logger"], line["message"]) == ("error", "newsarchive", message)
    assert list(tmp_path.iterdir()) == []


def test_json_bad_archive_and_lock_held_are_json(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n")
    result = cli("crawl", "--db", str(junk), "--log-format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert [line["message"] for line in json_lines(result.stderr)] == [
        f"{junk}: not a SQLite database (not an archive); nothing was changed"
    ]
    db = tmp_path / "archive.db"
    with RunLock(db):
        result = cli("crawl", "--db", str(db), "--log-format", "json", "--quiet", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (3, "")
    assert [line["message"] for line in json_lines(result.stderr)] == [
        f"{db}: another run holds the archive's lock (pid {os.getpid()}); nothing was changed. "
        "Wait for it to finish, or stop it."
    ]


def test_json_quiet_failed_pages_line_is_json(tmp_path: Path) -> None:
    forbidden = "/lentanovostey/297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR, faults={forbidden: Status(403)}) as running:
        result = cli(*crawl_args(running, db, "--full", "--quiet", "--log-format", "json"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert [(line["level"], line["message"]) for line in json_lines(result.stderr)] == [
        ("error", "1 pages failed; `newsarchive status` shows why")
    ]


def test_json_quiet_interrupted_line_is_json(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR, faults={"/robots.txt": [Hang(10)]}) as running:
        process = start_crawl(running, db, "--quiet", "--log-format", "json", cwd=tmp_path)
        try:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert (process.returncode, out) == (130, "")
    assert [(line["level"], line["message"]) for line in json_lines(err)] == [
        ("warning", "interrupted; the next run resumes")
    ]


# --- 4, 7, 8: bad option values: one line, exit 2, nothing created ---------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--revisit-hours", "inf"], "--revisit-hours must be a number from 0 up to 1000000, not inf"),
        (["--delay", "1e308"], "--delay must be a number from 0 up to 86400, not 1e+308"),
        (["--timeout", "inf"], "--timeout must be a number above 0 up to 86400, not inf"),
        (
            ["--base-url", "http://127.0.0.1:99999"],
            "--base-url 'http://127.0.0.1:99999' is not a usable address (Port out of range 0-65535); "
            "give an origin such as http://127.0.0.1:8000",
        ),
        (
            ["--base-url", "http://[::1"],
            "--base-url 'http://[::1' is not a usable address (Invalid IPv6 URL); "
            "give an origin such as http://127.0.0.1:8000",
        ),
        (
            ["--max-time", "0"],
            "--max-time '0' is no time at all: give a duration (examples: 90s, 15m, 2h, 1h30m), or leave it out",
        ),
        (
            ["--max-time", "0s"],
            "--max-time '0s' is no time at all: give a duration (examples: 90s, 15m, 2h, 1h30m), or leave it out",
        ),
        (
            ["--max-time", "0m"],
            "--max-time '0m' is no time at all: give a duration (examples: 90s, 15m, 2h, 1h30m), or leave it out",
        ),
        (["--max-time", ""], "--max-time '' is not a duration (examples: 90s, 15m, 2h, 1h30m)"),
        (["--max-time", "garbage"], "--max-time 'garbage' is not a duration (examples: 90s, 15m, 2h, 1h30m)"),
        (
            ["--since", "2099-01-01"],
            f"--since 2099-01-01 is after today ({site_today()}): there is nothing to fetch yet",
        ),
    ],
    ids=[
        "revisit-inf",
        "delay-huge",
        "timeout-inf",
        "port-out-of-range",
        "broken-ipv6",
        "max-time-0",
        "max-time-0s",
        "max-time-0m",
        "max-time-empty",
        "max-time-garbage",
        "since-future",
    ],
)
def test_bad_option_values_exit_2_and_create_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("crawl", "--db", str(tmp_path / "archive.db"), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_bad_option_leaves_an_existing_archive_untouched(archive_copy: Path) -> None:
    db = archive_copy
    before = listing(db.parent)
    result = cli("crawl", "--db", str(db), "--base-url", "http://127.0.0.1:99999", cwd=db.parent)
    assert (result.returncode, result.stdout) == (2, "")
    assert listing(db.parent) == before
    assert query(db, "SELECT count(*) FROM runs WHERE state = 'running'") == [(0,)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'") == [(0,)]


# --- 5: the environment: a file where the WARC folder goes, a full disk ------------------------------


def test_a_file_named_warc_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "warc").write_text("not a folder\n")
    db = tmp_path / "archive.db"
    before = listing(tmp_path)
    with MirrorServer(MIRROR) as running:
        result = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
        requests = running.requests
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"error: {tmp_path / 'warc'}: a file, where the WARC files' folder goes; nothing was changed\n",
    )
    assert listing(tmp_path) == before
    assert requests == []


def test_a_full_disk_ends_the_run_as_failed_and_the_next_run_resumes(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    limit = 250_000  # bytes per file: more than the new archive, less than the archive of a whole crawl

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with MirrorServer(MIRROR) as running:
        first = cli(*crawl_args(running, db, "--full", "--max-pages", "1"), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert db.stat().st_size < limit
        full = cli(*crawl_args(running, db, "--full"), cwd=tmp_path, preexec_fn=small_disk)
        resumed = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
    assert full.returncode == 4
    assert full.stdout.startswith("run 2 failed: fetched ")
    assert "Traceback" not in full.stderr
    assert full.stderr.startswith(f"error: run 2 stopped: {db}: ")
    assert full.stderr.endswith("; the next run resumes\n")
    assert full.stderr.count("\n") == 1
    assert full.stderr.removeprefix(f"error: run 2 stopped: {db}: ").removesuffix("; the next run resumes\n") in (
        "database or disk is full",
        "disk I/O error",
    )
    assert (resumed.returncode, resumed.stderr) == (0, "")
    assert resumed.stdout.startswith("run 3 done: ")
    assert query(db, "SELECT id, state, exit_code FROM runs ORDER BY id") == [
        (1, "done", 0),
        (2, "failed", 4),
        (3, "done", 0),
    ]
    assert query(db, "SELECT count(*) FROM articles") == [(ARTICLES,)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state IN ('pending', 'in_flight')") == [(0,)]


# --- 6: reextract without its WARC folder ----------------------------------------------------------


@pytest.mark.parametrize("case", ["missing", "a-file", "default-moved"])
def test_reextract_without_a_warc_folder_exits_2(archive_copy: Path, case: str) -> None:
    db = archive_copy
    folder = db.parent
    if case == "missing":
        args = ["--warc-dir", str(folder / "nowhere")]
        message = f"{folder / 'nowhere'}: no such folder (--warc-dir); nothing was changed"
    elif case == "a-file":
        args = ["--warc-dir", str(db)]
        message = f"{db}: not a folder (--warc-dir); nothing was changed"
    else:
        (folder / "warc").rename(folder / "warc-moved")
        args = []
        message = (
            f"{folder / 'warc'}: no WARC folder here (the crawl keeps its WARC files in warc/ beside the archive; "
            "name another folder with --warc-dir); nothing was changed"
        )
    before = listing(folder)
    result = cli("reextract", "--db", str(db), *args, cwd=folder)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert listing(folder) == before


# --- 9: paths, refused archives, demo, status after kill -9 ------------------------------------------


def test_db_under_a_file_says_the_parent_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("a file\n")
    db = tmp_path / "plain" / "archive.db"
    result = invoke("crawl", "--db", str(db))
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {db}: {tmp_path / 'plain'} is a file, not a folder; nothing was changed\n",
    )
    assert [p.name for p in tmp_path.iterdir()] == ["plain"]


@pytest.mark.parametrize("kind", ["directory", "not-sqlite"])
def test_a_refused_archive_leaves_no_lock_file_behind(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "archive.db"
    if kind == "directory":
        db.mkdir()
        message = f"{db}: is a directory, not an archive file"
    else:
        db.write_bytes(b"junk" * 100)
        message = f"{db}: not a SQLite database (not an archive); nothing was changed"
    before = listing(tmp_path)
    with MirrorServer(MIRROR) as running:
        crawl = cli(*crawl_args(running, db), cwd=tmp_path)
    reextract = cli("reextract", "--db", str(db), "--warc-dir", str(tmp_path), cwd=tmp_path)
    for result in (crawl, reextract):
        assert (result.returncode, result.stderr) == (2, f"error: {message}\n")
    assert not lock_path_for(db).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]
    assert listing(tmp_path) == before


def test_demo_with_a_bad_archive_does_not_suggest_exploring_it(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("junk\n")
    result = cli("demo", "--db", str(junk), cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert (result.returncode, result.stdout, len(lines)) == (2, "", 2)
    assert lines[0].startswith("serving the bundled mirror at http://127.0.0.1:")
    assert lines[1] == f"error: {junk}: not a SQLite database (not an archive); nothing was changed"


@pytest.fixture
def hanging_crawl(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    db = tmp_path / "archive.db"
    with MirrorServer(MIRROR, faults={"/robots.txt": [Hang(20)]}) as running:
        process = start_crawl(running, db, cwd=tmp_path, output=subprocess.DEVNULL)
        try:
            yield process, db
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_status_shows_a_killed_run_as_interrupted(hanging_crawl: tuple[subprocess.Popen[str], Path]) -> None:
    process, db = hanging_crawl
    [(started,)] = query(db, "SELECT started_at FROM runs")
    live = cli("status", "--db", str(db), cwd=db.parent)
    assert live.returncode == 0
    assert f"  #1 {started} → - running\n" in live.stdout
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    dead = cli("status", "--db", str(db), cwd=db.parent)
    assert dead.returncode == 0
    assert f"  #1 {started} → - interrupted (no process holds the lock)\n" in dead.stdout
    # status changed no row: the run stays 'running' in the archive until the next run ends it.
    assert query(db, "SELECT state FROM runs") == [("running",)]
    assert lock_path_for(db).read_text() == f"{process.pid}\n"


# --- a page with a malformed link does not end the crawl ---------------------------------------------


def test_a_malformed_link_in_an_article_does_not_stop_the_crawl(tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR, root)
    page = root / "lentanovostey/297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
    text = page.read_text(encoding="utf-8")
    bad = (
        '<a href="http://2018.vybor-naroda.org:99999/lentanovostey/1-x.html">port</a>'
        '<a href="http://[2018.vybor-naroda.org/lentanovostey/2-x.html">bracket</a>'
    )
    page.write_text(text.replace("</body>", bad + "</body>"), encoding="utf-8")
    db = tmp_path / "archive.db"
    with MirrorServer(root) as running:
        result = cli(*crawl_args(running, db, "--full"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert ", new 14, updated 0, unchanged 0, not modified 0, gone 63, skipped 0, failed 0, " in result.stdout
    assert query(db, "SELECT count(*) FROM articles") == [(ARTICLES,)]
