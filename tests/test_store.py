"""The archive library: schema, dedup, versions, atomic writes, refusing foreign or newer files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from scraper.errors import NotAnArchiveError, SchemaTooNewError, StoreError
from scraper.models import Article
from scraper.schema import APPLICATION_ID, SCHEMA_VERSION
from scraper.store import Archive, UpsertResult
from tests.archive_records import ANSI, SEED, SEED_EDITED, ZOTOV, build_fixture_archive, record
from tests.conftest import EXPECTED

SEED_URL = "http://2018.vybor-naroda.org/lentanovostey/297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
PRINT_URL = (
    "http://vybor-naroda.org/lentanovostey/"
    "print:page,1,297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
)


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def rows(archive: Archive, sql: str, *params: object) -> list[tuple]:
    return archive.conn.execute(sql, params).fetchall()


def test_new_archive_has_schema_wal_and_foreign_keys(archive: Archive) -> None:
    assert set(archive.db.table_names()) >= {
        "articles",
        "article_urls",
        "quotes",
        "tags",
        "sidebar_links",
        "revisions",
        "articles_fts",
        "frontier",
        "runs",
        "fetch_log",
    }
    assert rows(archive, "PRAGMA journal_mode") == [("wal",)]
    assert rows(archive, "PRAGMA foreign_keys") == [(1,)]
    assert rows(archive, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(archive, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert list(archive.db["frontier"].columns_dict) == [
        "url",
        "kind",
        "state",
        "attempts",
        "next_try_at",
        "last_error",
        "discovered_at",
        "updated_at",
        "last_fetched_at",
        "etag",
        "last_modified",
        "news_id",
        "published_at",
        "depth",
        "priority",
    ]
    assert list(archive.db["runs"].columns_dict) == [
        "id",
        "started_at",
        "finished_at",
        "state",
        "exit_code",
        "pid",
        "command",
        "counts",
    ]
    assert list(archive.db["fetch_log"].columns_dict) == [
        "id",
        "run_id",
        "url",
        "kind",
        "status",
        "outcome",
        "bytes",
        "elapsed_ms",
        "error",
        "warc_file",
        "warc_offset",
        "warc_length",
        "fetched_at",
    ]
    assert {i.name for i in archive.db["quotes"].indexes} >= {"quotes_speaker"}
    assert {i.name for i in archive.db["articles"].indexes} >= {"articles_published_at", "articles_site_news_id"}
    assert {i.name for i in archive.db["frontier"].indexes} >= {"frontier_state_next_try_at", "frontier_news_id"}
    # The schema documents itself: comments survive in sqlite_master.
    assert "-- one row per article" in archive.db["articles"].schema


def test_new_article_is_stored_whole(archive: Archive) -> None:
    seed = record(SEED)
    assert archive.upsert_article(seed) == UpsertResult(1, "new", 1)
    stored = archive.load_article(1)
    assert stored.record == dataclasses.replace(seed, content_hash=stored.record.content_hash)
    assert stored.record.content_hash == hashlib.sha256(f"{seed.headline}\n\n{seed.body}".encode()).hexdigest()
    assert (stored.archive.first_seen_at, stored.archive.last_seen_at, stored.archive.version) == (
        "2026-03-05T17:00:00+03:00",
        "2026-03-05T17:00:00+03:00",
        1,
    )
    assert rows(archive, "SELECT position, speaker, verb FROM quotes ORDER BY position") == [
        (0, "Сергей Курбатов", "отметил"),
        (1, "Игорь Артамонов", "подчеркнул"),
    ]
    assert rows(archive, "SELECT count(*), min(time), max(time) FROM sidebar_links") == [(28, "10:28", "23:00")]


def test_seen_again_unchanged_only_moves_last_seen(archive: Archive) -> None:
    seed = record(SEED)
    archive.upsert_article(seed)
    later = dataclasses.replace(seed, fetched_at="2026-03-07T08:00:00+03:00", sidebar=())
    assert archive.upsert_article(later) == UpsertResult(1, "unchanged", 1)
    assert rows(archive, "SELECT first_seen_at, last_seen_at, last_changed_at, version FROM articles") == [
        ("2026-03-05T17:00:00+03:00", "2026-03-07T08:00:00+03:00", "2026-03-05T17:00:00+03:00", 1)
    ]
    assert rows(archive, "SELECT count(*) FROM sidebar_links") == [(28,)]
    assert rows(archive, "SELECT count(*) FROM revisions") == [(0,)]


def test_a_304_sighting_only_moves_last_seen_in_the_sites_time_zone(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    # The crawl's fetch times are UTC; the archive's are the site's (Moscow) time, compared as text.
    assert archive.mark_seen(SEED_URL, "2026-03-07T05:00:00+00:00") == 1
    assert rows(archive, "SELECT first_seen_at, last_seen_at, last_changed_at, fetched_at, version FROM articles") == [
        (
            "2026-03-05T17:00:00+03:00",
            "2026-03-07T08:00:00+03:00",
            "2026-03-05T17:00:00+03:00",
            "2026-03-05T17:00:00+03:00",
            1,
        )
    ]
    assert rows(archive, "SELECT url, first_seen_at, last_seen_at FROM article_urls") == [
        (SEED_URL, "2026-03-05T17:00:00+03:00", "2026-03-07T08:00:00+03:00")
    ]
    # An older sighting moves nothing back; an unknown page writes nothing.
    assert archive.mark_seen(SEED_URL, "2026-03-06T00:00:00+00:00") == 1
    assert (
        archive.mark_seen("http://2018.vybor-naroda.org/lentanovostey/1-net-takoj.html", "2026-03-08T00:00:00+00:00")
        is None
    )
    assert rows(archive, "SELECT last_seen_at FROM articles UNION ALL SELECT last_seen_at FROM article_urls") == [
        ("2026-03-07T08:00:00+03:00",),
        ("2026-03-07T08:00:00+03:00",),
    ]
    assert rows(archive, "SELECT count(*) FROM revisions") == [(0,)]


def test_refresh_of_the_same_fetch_rewrites_the_other_fields_without_a_new_version(archive: Archive) -> None:
    seed = record(SEED)
    # What an older extractor made of the fetch: the same headline and body, the rest partly missed.
    older = dataclasses.replace(
        seed, photo_credit=None, image_url=None, quotes=seed.quotes[:1], sidebar=seed.sidebar[:3], warnings=("x",)
    )
    archive.upsert_article(older)
    assert archive.upsert_article(seed, refresh=True) == UpsertResult(1, "unchanged", 1)
    assert dataclasses.replace(archive.load_article(1).record, content_hash=None) == seed
    assert rows(archive, "SELECT photo_credit, version, warnings FROM articles") == [("липецкаяобласть.рф", 1, "[]")]
    assert rows(archive, "SELECT speaker FROM quotes ORDER BY position") == [("Сергей Курбатов",), ("Игорь Артамонов",)]
    assert rows(archive, "SELECT count(*) FROM sidebar_links") == [(28,)]
    assert rows(archive, "SELECT count(*) FROM revisions") == [(0,)]
    # The search index follows the quotes: a word only the second quote has.
    assert rows(archive, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'quotes: Донбасса'") == [(1,)]


def test_refresh_leaves_a_version_built_from_another_fetch_alone(archive: Archive) -> None:
    seed = record(SEED)
    archive.upsert_article(dataclasses.replace(seed, photo_credit=None))
    later = dataclasses.replace(seed, fetched_at="2026-03-07T08:00:00+03:00")
    assert archive.upsert_article(later, refresh=True) == UpsertResult(1, "unchanged", 1)
    assert rows(archive, "SELECT photo_credit, fetched_at, last_seen_at FROM articles") == [
        (None, "2026-03-05T17:00:00+03:00", "2026-03-07T08:00:00+03:00")
    ]
    # The same instant written in UTC, as the fetch log keeps it, is the same fetch.
    utc = dataclasses.replace(seed, fetched_at="2026-03-05T14:00:00+00:00")
    assert archive.upsert_article(utc, refresh=True) == UpsertResult(1, "unchanged", 1)
    assert rows(archive, "SELECT photo_credit, fetched_at FROM articles") == [
        ("липецкаяобласть.рф", "2026-03-05T17:00:00+03:00")
    ]


def test_the_article_page_after_its_print_version_gives_the_version_its_fields(archive: Archive) -> None:
    printed, page = (
        Article.from_dict(json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8")))
        for name in ("295812-print", "295812")
    )
    archive.upsert_article(printed)
    assert rows(archive, "SELECT photo_credit, image_url FROM articles") == [(None, None)]
    assert archive.upsert_article(page) == UpsertResult(1, "unchanged", 1)
    assert dataclasses.replace(archive.load_article(1).record, content_hash=None) == page
    # The print version seen again takes nothing away.
    again = dataclasses.replace(printed, fetched_at="2026-03-06T09:00:00+03:00")
    assert archive.upsert_article(again) == UpsertResult(1, "unchanged", 1)
    assert dataclasses.replace(archive.load_article(1).record, content_hash=None) == page
    assert rows(archive, "SELECT first_seen_at, last_seen_at, count(*) FROM articles") == [
        ("2026-03-05T17:00:00+03:00", "2026-03-06T09:00:00+03:00", 1)
    ]
    assert rows(archive, "SELECT count(*), count(DISTINCT tag) FROM tags") == [(2, 2)]


def test_same_article_under_other_host_print_url_and_tracking_parameter_is_one_row(archive: Archive) -> None:
    seed = record(SEED)
    archive.upsert_article(seed)
    for url in (
        SEED_URL.replace("2018.", "2020-2022."),
        PRINT_URL,
        SEED_URL + "?utm_source=telegram&utm_medium=social#comments",
    ):
        assert archive.upsert_article(dataclasses.replace(seed, url=url)).outcome == "unchanged"
    assert rows(archive, "SELECT count(*) FROM articles") == [(1,)]
    assert [u for (u,) in rows(archive, "SELECT url FROM article_urls ORDER BY url")] == [
        SEED_URL,
        SEED_URL.replace("2018.", "2020-2022."),
        PRINT_URL,
    ]


def test_article_without_news_id_is_keyed_by_canonical_url(archive: Archive) -> None:
    page = dataclasses.replace(
        record(ZOTOV),
        news_id=None,
        url="http://vybor-naroda.org/about.html?utm_source=x",
        canonical_url="http://vybor-naroda.org/about.html",
    )
    assert archive.upsert_article(page).outcome == "new"
    again = dataclasses.replace(page, url="http://VYBOR-NARODA.org/about.html#top", canonical_url=None)
    assert archive.upsert_article(again) == UpsertResult(1, "unchanged", 1)
    assert rows(archive, "SELECT article_key FROM articles") == [("url:http://vybor-naroda.org/about.html",)]


def test_edited_article_makes_one_revision_and_children_follow(archive: Archive) -> None:
    archive.upsert_article(record(SEED))
    edited = record(SEED_EDITED)
    assert archive.upsert_article(edited) == UpsertResult(1, "updated", 2)
    assert archive.upsert_article(edited) == UpsertResult(1, "unchanged", 2)
    assert rows(archive, "SELECT version, headline, url, first_seen_at, last_seen_at FROM revisions") == [
        (
            1,
            "Липецкая область и ДНР планируют запустить промышленную кооперацию",
            SEED_URL,
            "2026-03-05T17:00:00+03:00",
            "2026-03-05T17:00:00+03:00",
        )
    ]
    assert rows(archive, "SELECT headline, version, first_seen_at, last_changed_at FROM articles") == [
        (
            "Липецкая область и ДНР запускают промышленную кооперацию",
            2,
            "2026-03-05T17:00:00+03:00",
            "2026-03-06T09:00:00+03:00",
        )
    ]
    assert rows(archive, "SELECT count(*) FROM sidebar_links") == [(2,)]
    assert rows(archive, "SELECT count(*) FROM quotes") == [(2,)]


def test_late_older_version_goes_to_history_not_over_the_current_one(archive: Archive) -> None:
    archive.upsert_article(record(SEED_EDITED))
    # History only: the current version keeps its number 1, the late page is filed as version 2.
    assert archive.upsert_article(record(SEED)) == UpsertResult(1, "unchanged", 1, revision=2)
    assert rows(archive, "SELECT headline, version FROM articles") == [(record(SEED_EDITED).headline, 1)]
    assert rows(archive, "SELECT version, headline FROM revisions") == [(2, record(SEED).headline)]
    assert rows(archive, "SELECT first_seen_at FROM articles") == [("2026-03-05T17:00:00+03:00",)]


def _variant(n: int, fetched_at: str) -> Article:
    seed = record(SEED)
    return dataclasses.replace(seed, headline=f"Вариант {n}: {seed.headline}", fetched_at=fetched_at)


def test_a_late_page_never_renumbers_versions_nor_bumps_the_current_one(archive: Archive) -> None:
    """D4: versions 1-3 seen on Jan 1, Feb 1, Mar 1; a different page fetched on Jan 20 arrives last."""
    jan, feb, mar = (_variant(n, f"2026-0{n}-01T10:00:00+03:00") for n in (1, 2, 3))
    assert [archive.upsert_article(r) for r in (jan, feb, mar)] == [
        UpsertResult(1, "new", 1),
        UpsertResult(1, "updated", 2),
        UpsertResult(1, "updated", 3),
    ]
    late = _variant(4, "2026-01-20T10:00:00+03:00")
    assert archive.upsert_article(late) == UpsertResult(1, "unchanged", 3, revision=4)
    # The same late page again (a day later, still before the current version) only widens its span.
    again = dataclasses.replace(late, fetched_at="2026-01-21T10:00:00+03:00")
    assert archive.upsert_article(again) == UpsertResult(1, "unchanged", 3, revision=4)
    # A page of version 1 fetched late as well: version 1, its span widened, nothing else.
    assert archive.upsert_article(dataclasses.replace(jan, fetched_at="2025-12-31T10:00:00+03:00")) == UpsertResult(
        1, "unchanged", 3, revision=1
    )
    assert rows(archive, "SELECT version, headline, first_seen_at, last_seen_at FROM revisions ORDER BY version") == [
        (1, jan.headline, "2025-12-31T10:00:00+03:00", "2026-01-01T10:00:00+03:00"),
        (2, feb.headline, "2026-02-01T10:00:00+03:00", "2026-02-01T10:00:00+03:00"),
        (4, late.headline, "2026-01-20T10:00:00+03:00", "2026-01-21T10:00:00+03:00"),
    ]
    assert rows(archive, "SELECT version, headline, first_seen_at, last_seen_at, last_changed_at FROM articles") == [
        (3, mar.headline, "2025-12-31T10:00:00+03:00", "2026-03-01T10:00:00+03:00", "2026-03-01T10:00:00+03:00")
    ]
    # The next real change takes the next free number: 3 goes to history as 3, the new current is 5.
    april = _variant(5, "2026-04-01T10:00:00+03:00")
    assert archive.upsert_article(april) == UpsertResult(1, "updated", 5)
    assert rows(archive, "SELECT version, headline FROM revisions ORDER BY version") == [
        (1, jan.headline),
        (2, feb.headline),
        (3, mar.headline),
        (4, late.headline),
    ]
    assert rows(archive, "SELECT version, headline FROM articles") == [(5, april.headline)]


def test_a_page_is_late_by_its_instant_not_by_the_text_of_its_offset(archive: Archive) -> None:
    """08:00 UTC is 11:00 in Moscow, after a version first seen at 10:00 Moscow time: a new version,
    although '2026-02-01T08:00:00+00:00' sorts before '2026-02-01T10:00:00+03:00' as text."""
    first, second = _variant(1, "2026-02-01T10:00:00+03:00"), _variant(2, "2026-02-01T08:00:00+00:00")
    archive.upsert_article(first)
    assert archive.upsert_article(second) == UpsertResult(1, "updated", 2)
    assert rows(archive, "SELECT version, headline FROM articles") == [(2, second.headline)]
    assert rows(archive, "SELECT version, headline FROM revisions") == [(1, first.headline)]


def test_a_failed_write_leaves_nothing_behind(archive: Archive) -> None:
    broken = dataclasses.replace(record(ZOTOV), quotes=(record(SEED).quotes[0], None))  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        archive.upsert_article(broken)
    for table in ("articles", "quotes", "tags", "article_urls", "articles_fts_docsize"):
        assert rows(archive, f"SELECT count(*) FROM {table}") == [(0,)], table


def test_find_article_by_id_news_id_and_any_url(tmp_path: Path) -> None:
    with Archive.open(build_fixture_archive(tmp_path / "a.db")) as archive:
        assert [archive.find_article_id(ref) for ref in ("1", "297501", PRINT_URL, SEED_URL + "#x", "999", "x")] == [
            1,
            2,
            1,
            1,
            None,
            None,
        ]
        assert archive.load_article(3).record.headline == record(ANSI).headline


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_not_a_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes\n", encoding="utf-8")
    with pytest.raises(NotAnArchiveError, match="not a SQLite database"):
        Archive.open(path)
    assert path.read_text(encoding="utf-8") == "these are my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_someone_elses_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = file_digest(path)
    with pytest.raises(NotAnArchiveError, match="not a newsarchive archive"):
        Archive.open(path)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = build_fixture_archive(tmp_path / "a.db")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = file_digest(path)
    with pytest.raises(SchemaTooNewError, match=f"schema version {SCHEMA_VERSION + 1} is newer"):
        Archive.open(path)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]


def test_missing_archive_is_not_created_for_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no archive here"):
        Archive.open(tmp_path / "missing.db", create=False)
    assert list(tmp_path.iterdir()) == []


def test_empty_file_becomes_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Archive.open(path) as archive:
        assert rows(archive, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    path = build_fixture_archive(tmp_path / "a.db")
    with Archive.open(path) as archive:
        assert rows(archive, "SELECT count(*) FROM articles") == [(3,)]
        assert rows(archive, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
