"""Reproduced `newsarchive ingest` defects, through the CLI on real files and real archives: a late page
renumbered history (D4), no size cap (D5), a broken symbolic link lost without a word (D6), and `--json`
that left skipped and failed files out."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from scraper.fetch import DEFAULT_MAX_BYTES
from tests.conftest import MIRROR, SEED_PAGE

runner = CliRunner()
BASE_URL = "http://2018.vybor-naroda.org"
PAGE_PATH = "vybory/292045-oblizbirkom-podvel-itogi-municipalnyh-vyborov-v-lipeckoj-oblasti.html"
PAGE_URL = f"{BASE_URL}/{PAGE_PATH}"
HEADLINE = "Облизбирком подвел итоги муниципальных выборов в Липецкой области"
SUMMARY = "{} file(s): {} new, 0 updated, {} unchanged, {} skipped, {} failed"


def run(*args: str):
    return runner.invoke(app, list(args))


def ingest_folder(folder: Path, fetched_at: str, db: str, *extra: str):
    """`newsarchive ingest FOLDER --base-url <the portal> --fetched-at … --db …` through typer's runner."""
    return run("ingest", str(folder), "--base-url", BASE_URL, "--fetched-at", fetched_at, "--db", db, *extra)


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def saved_variant(folder: Path, headline: str) -> Path:
    """A saved copy of the mirror's page 292045 under `folder`, its headline replaced by `headline`."""
    page = folder / PAGE_PATH
    page.parent.mkdir(parents=True)
    html = (MIRROR / PAGE_PATH).read_text(encoding="utf-8")
    assert html.count(HEADLINE) >= 1
    page.write_text(html.replace(HEADLINE, headline), encoding="utf-8")
    return page


# D4 -------------------------------------------------------------------------------------------------


def test_a_late_old_page_goes_to_history_without_renumbering_or_a_new_current_version(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    headlines = {
        "jan": "Облизбирком подвел итоги выборов",
        "feb": "Облизбирком обнародовал итоги выборов",
        "mar": "Облизбирком утвердил протокол выборов",
        "late": "Облизбирком огласил итоги выборов",
    }
    for name, headline in headlines.items():
        saved_variant(tmp_path / name, headline)
    for name, month in (("jan", 1), ("feb", 2), ("mar", 3)):
        result = ingest_folder(tmp_path / name, f"2026-0{month}-01T10:00:00+03:00", db)
        assert (result.exit_code, result.stderr) == (0, "")
    result = ingest_folder(tmp_path / "late", "2026-01-20T10:00:00+03:00", db)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"older     id 1     v4  {PAGE_URL}\n1 file(s): 0 new, 0 updated, 0 unchanged, 1 older, 0 skipped, 0 failed\n"
    )
    # The current version is still version 3 with March's text; versions 1 and 2 still name Jan and Feb.
    assert query(db, "SELECT version, headline, first_seen_at, last_changed_at FROM articles") == [
        (3, headlines["mar"], "2026-01-01T10:00:00+03:00", "2026-03-01T10:00:00+03:00")
    ]
    assert query(db, "SELECT version, headline, first_seen_at FROM revisions ORDER BY version") == [
        (1, headlines["jan"], "2026-01-01T10:00:00+03:00"),
        (2, headlines["feb"], "2026-02-01T10:00:00+03:00"),
        (4, headlines["late"], "2026-01-20T10:00:00+03:00"),
    ]
    # `show` lists the earlier versions in the order they were on the site.
    shown = json.loads(run("show", "1", "--json", "--db", db).stdout)
    assert [revision["version"] for revision in shown["revisions"]] == [1, 4, 2]
    # The search index still holds the current version only.
    assert query(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'headline: утвердил'") == [(1,)]
    assert query(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'headline: огласил'") == []
    # Again, as JSON: the same version 4, nothing new.
    result = ingest_folder(tmp_path / "late", "2026-01-21T10:00:00+03:00", db, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"path": str(tmp_path / "late" / PAGE_PATH), "url": PAGE_URL, "id": 1, "outcome": "older", "version": 4}
    ]
    assert query(db, "SELECT count(*), max(last_seen_at) FROM revisions WHERE version = 4") == [
        (1, "2026-01-21T10:00:00+03:00")
    ]
    assert query(db, "SELECT version FROM articles") == [(3,)]


# D5 -------------------------------------------------------------------------------------------------


def test_a_file_over_the_crawlers_size_cap_is_a_failed_file(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved_variant(saved, HEADLINE)
    big = saved / "vybory" / "295000-big.html"
    html = (MIRROR / PAGE_PATH).read_bytes()
    padding = b"<!-- " + b"x" * (DEFAULT_MAX_BYTES + 1 - len(html) - 9) + b" -->"
    big.write_bytes(html.replace(b"</body>", padding + b"</body>"))  # an article page, one byte too big
    assert big.stat().st_size == DEFAULT_MAX_BYTES + 1
    db = tmp_path / "a.db"
    result = run(
        "ingest", str(saved), "--base-url", BASE_URL, "--fetched-at", "2026-03-01T10:00:00+03:00", "--db", str(db)
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {big}: larger than the size cap for a page, 10000000 bytes (10000001 bytes); not read\n"
    )
    assert result.stdout == f"new       id 1     v1  {PAGE_URL}\n" + SUMMARY.format(2, 1, 0, 0, 1) + "\n"
    assert query(db, "SELECT news_id FROM articles") == [("292045",)]


# D6 -------------------------------------------------------------------------------------------------


def test_a_broken_symbolic_link_in_a_folder_is_a_failed_file(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved_variant(saved, HEADLINE)
    folder = saved / "vybory"
    (folder / "295000-broken.html").symlink_to("/nonexistent/x.html")
    (folder / "295001-loop.html").symlink_to("295001-loop.html")
    (folder / "up").symlink_to("..")  # a loop through a folder link: not followed
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "296000-x.html").write_bytes(SEED_PAGE.read_bytes())
    (saved / "politika").symlink_to(tmp_path / "elsewhere")  # a link to a folder: not followed
    db = str(tmp_path / "a.db")
    result = run("ingest", str(saved), "--base-url", BASE_URL, "--fetched-at", "2026-03-01T10:00:00+03:00", "--db", db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {folder}/295000-broken.html: broken symbolic link (to /nonexistent/x.html: No such file or "
        "directory); not read\n"
        f"error: {folder}/295001-loop.html: broken symbolic link (to 295001-loop.html: Too many levels of "
        "symbolic links); not read\n"
    )
    assert result.stdout == f"new       id 1     v1  {PAGE_URL}\n" + SUMMARY.format(3, 1, 0, 0, 2) + "\n"
    # Without --base-url (only *.html files, each naming its address): the same two failures.
    result = run("ingest", str(saved), "--fetched-at", "2026-03-02T10:00:00+03:00", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.count("broken symbolic link") == 2
    assert result.stdout == f"unchanged id 1     v1  {PAGE_URL}\n" + SUMMARY.format(3, 0, 1, 0, 2) + "\n"


# --json -----------------------------------------------------------------------------------------------


def test_json_has_one_object_per_file_skipped_and_failed_ones_included(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    page = saved_variant(saved, HEADLINE)
    (saved / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (saved / "vybory" / "index.html").write_bytes((MIRROR / "vybory" / "index.html").read_bytes())
    notes = saved / "vybory" / "295002-notes.html"
    notes.write_text("just text", encoding="utf-8")
    os.symlink("/nonexistent/x.html", saved / "vybory" / "295000-broken.html")
    result = run(
        "ingest",
        str(saved),
        "--base-url",
        BASE_URL,
        "--fetched-at",
        "2026-03-01T10:00:00+03:00",
        "--db",
        str(tmp_path / "a.db"),
        "--json",
    )
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "path": str(saved / "robots.txt"),
            "url": f"{BASE_URL}/robots.txt",
            "id": None,
            "outcome": "skipped",
            "version": None,
            "reason": "not an article page",
        },
        {"path": str(page), "url": PAGE_URL, "id": 1, "outcome": "new", "version": 1},
        {
            "path": str(saved / "vybory" / "295000-broken.html"),
            "url": f"{BASE_URL}/vybory/295000-broken.html",
            "id": None,
            "outcome": "failed",
            "version": None,
            "reason": f"{saved}/vybory/295000-broken.html: broken symbolic link (to /nonexistent/x.html: "
            "No such file or directory); not read",
        },
        {
            "path": str(notes),
            "url": f"{BASE_URL}/vybory/295002-notes.html",
            "id": None,
            "outcome": "failed",
            "version": None,
            "reason": f"{notes}: not an HTML page",
        },
        {
            "path": str(saved / "vybory" / "index.html"),
            "url": f"{BASE_URL}/vybory/",
            "id": None,
            "outcome": "skipped",
            "version": None,
            "reason": "not an article page",
        },
    ]
    assert result.stderr == (
        f"error: {saved}/vybory/295000-broken.html: broken symbolic link (to /nonexistent/x.html: "
        "No such file or directory); not read\n"
        f"error: {notes}: not an HTML page\n"
    )
