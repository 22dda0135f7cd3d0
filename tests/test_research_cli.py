"""The archive's commands on a fixture archive: exact stdout, exit codes, one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scraper import browse as browsing
from scraper.models import Article
from scraper.research import archive_size
from scraper.schema import SCHEMA_VERSION
from scraper.store import Archive
from tests.archive_records import ANSI, SEED_EDITED, ZOTOV, build_fixture_archive, record
from tests.conftest import MIRROR, SEED_PAGE, SEED_URL

runner = CliRunner()
PRINT_URL = (
    "http://vybor-naroda.org/lentanovostey/print:page,1,"
    "297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html?utm_source=telegram"
)
ZOTOV_URL = "http://2018.vybor-naroda.org/politika/297501-mihail-zotov-kooperaciju-s-sosedjami-prodolzhim.html"
ANSI_URL = "http://2018.vybor-naroda.org/lentanovostey/297510-golosovanie-projdet-tri-dnja.html"
ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "http://2018.vybor-naroda.org"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_fixture_archive(tmp_path / "archive.db")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_ingest_saved_pages_then_again(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    saved = tmp_path / "saved"
    saved.mkdir()
    page = saved / SEED_PAGE.name
    shutil.copyfile(SEED_PAGE, page)
    result = run("ingest", str(saved), "--fetched-at", "2026-03-05T17:00:00+03:00", "--db", str(db))
    assert (result.exit_code, result.stderr) == (0, "")
    assert (
        result.stdout
        == f"new       id 1     v1  {SEED_URL}\n1 file(s): 1 new, 0 updated, 0 unchanged, 0 skipped, 0 failed\n"
    )
    result = run("ingest", str(page), "--fetched-at", "2026-03-06T08:00:00+03:00", "--db", str(db), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "path": str(page),
        "url": SEED_URL,
        "id": 1,
        "outcome": "unchanged",
        "version": 1,
    }
    with Archive.open(db) as archive:
        assert archive.conn.execute("SELECT news_id, first_seen_at, last_seen_at FROM articles").fetchall() == [
            ("297434", "2026-03-05T17:00:00+03:00", "2026-03-06T08:00:00+03:00")
        ]


def test_ingest_a_file_that_is_not_a_page_fails_that_file_only(tmp_path: Path) -> None:
    notes = tmp_path / "notes.html"
    notes.write_text("just text", encoding="utf-8")
    result = run("ingest", str(notes), "--url", SEED_URL, "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {notes}: not an HTML page\n"
    assert result.stdout == "1 file(s): 0 new, 0 updated, 0 unchanged, 0 skipped, 1 failed\n"


def test_ingest_skips_pages_that_are_not_articles(tmp_path: Path) -> None:
    listing = MIRROR / "vybory" / "index.html"
    result = run(
        "ingest", str(listing), "--url", "http://2018.vybor-naroda.org/vybory/", "--db", str(tmp_path / "a.db")
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "skipped   not an article page  http://2018.vybor-naroda.org/vybory/\n"
        "1 file(s): 0 new, 0 updated, 0 unchanged, 1 skipped, 0 failed\n"
    )


MIRROR_NEWS_IDS = [
    "290218",
    "290605",
    "291190",
    "292045",
    "293215",
    "293905",
    "294500",
    "295100",
    "295812",
    "296402",
    "296725",
    "296920",
    "296985",
    "297434",
]


def test_ingest_the_mirror_with_a_base_url_then_again(tmp_path: Path) -> None:
    db = tmp_path / "mirror.db"
    result = run(
        "ingest", str(MIRROR), "--base-url", BASE_URL, "--fetched-at", "2026-03-05T17:00:00+03:00", "--db", str(db)
    )
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[-1] == "47 file(s): 14 new, 0 updated, 1 unchanged, 32 skipped, 0 failed"
    for name in ("robots.txt", "rss.xml", "sitemap.xml", "uploads/sitemap.xml", "politika/", "page/2/", "2025/08/18/"):
        assert f"skipped   not an article page  {BASE_URL}/{name}" in lines
    # the DLE 10 page without a canonical link, and the DLE print page (the same article as its page)
    assert (
        f"new       id 10    v1  {BASE_URL}/politika/"
        "290218-deputaty-oblsoveta-obsudili-popravki-v-regionalnyj-bjudzhet.html" in lines
    )
    assert lines[-2] == (
        f"unchanged id 14    v1  {BASE_URL}/vybory/print:page,1,"
        "295812-oblizbirkom-nachal-obuchenie-chlenov-uchastkovyh-komissij-k-vyboram-2026-goda.html"
    )
    with Archive.open(db) as archive:
        assert [r[0] for r in archive.conn.execute("SELECT news_id FROM articles ORDER BY news_id")] == MIRROR_NEWS_IDS
        # 15 article pages plus the 2017 canonical address that 291190 gives for itself
        assert archive.conn.execute("SELECT count(*) FROM article_urls").fetchone()[0] == 16
    result = run(
        "ingest",
        str(MIRROR),
        "--base-url",
        BASE_URL + "/",
        "--fetched-at",
        "2026-03-06T09:00:00+03:00",
        "--db",
        str(db),
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "47 file(s): 0 new, 0 updated, 15 unchanged, 32 skipped, 0 failed"
    assert sorted(line.split()[0] for line in result.stdout.splitlines()[:-1]) == ["skipped"] * 32 + ["unchanged"] * 15
    with Archive.open(db) as archive:
        assert archive.conn.execute("SELECT DISTINCT version, last_seen_at FROM articles").fetchall() == [
            (1, "2026-03-06T09:00:00+03:00")
        ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (str(SEED_PAGE), "--base-url", BASE_URL),
            f"{SEED_PAGE}: --base-url places the files of a folder; give the folder, or --url",
        ),
        (
            (str(MIRROR), "--base-url", "http://example.com"),
            "--base-url 'http://example.com': unknown site: no profile covers host 'example.com'",
        ),
        (
            (str(MIRROR), "--base-url", "2018.vybor-naroda.org"),
            "--base-url '2018.vybor-naroda.org': give the site's address, e.g. http://2018.vybor-naroda.org",
        ),
        (
            (str(MIRROR), "--base-url", BASE_URL, "--url", SEED_URL),
            "give --url (one per file) or --base-url (for folders), not both",
        ),
    ],
    ids=["a-file", "unknown-site", "not-a-url", "with-url"],
)
def test_ingest_base_url_errors_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    db = tmp_path / "a.db"
    result = run("ingest", *args, "--db", str(db))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not db.exists()


def test_search_prints_ranked_hits_with_snippets(db: Path) -> None:
    result = run("search", "кооперация", "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout == (
        "#2  2025-12-08  politika  Михаил Зотов: кооперацию с соседями продолжим\n"
        "    Михаил Зотов подчеркнул: «[Кооперация] с соседними регионами останется приоритетом». "
        "Депутаты поддержали планы по [кооперации].\n"
        f"    {ZOTOV_URL}\n"
        "#1  2025-12-07  lentanovostey  Липецкая область и ДНР запускают промышленную кооперацию\n"
        "    …Ключевая тема переговоров – углубление промышленной [кооперации] и создание совместных производств. "
        "Встреча стала логичным продолжением реализации договорённостей…\n"
        f"    {PRINT_URL}\n"
        "2 result(s)\n"
    )


def test_search_json_with_filters(db: Path) -> None:
    result = run("search", "кооперацию", "--speaker", "ЗОТОВ", "--since", "2025-12-08", "--json", "--db", str(db))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": 2,
            "news_id": "297501",
            "published_at": "2025-12-08T10:05:00+03:00",
            "category": "politika",
            "headline": "Михаил Зотов: кооперацию с соседями продолжим",
            "url": ZOTOV_URL,
            "snippet": "Михаил Зотов подчеркнул: «[Кооперация] с соседними регионами останется приоритетом».\n\n"
            "Депутаты поддержали планы по [кооперации].",
            "rank": 1,
        }
    ]
    assert (
        json.loads(run("search", "кооперация", "--category", "lentanovostey", "--json", "--db", str(db)).stdout)[0][
            "id"
        ]
        == 1
    )
    assert run("search", "кооперация", "--until", "2025-12-06", "--db", str(db)).stdout == "0 result(s)\n"


def test_search_miss(db: Path) -> None:
    result = run("search", "металлургия", "--db", str(db))
    assert (result.exit_code, result.stdout) == (0, "0 result(s)\n")


def test_search_sanitizes_page_text(db: Path) -> None:
    result = run("search", "голосование", "--db", str(db))
    assert result.stdout == (
        "#3  2025-12-09  lentanovostey  Срочно: голосование пройдёт три дня\n"
        "    Срочно: [голосование] пройдёт три дня\n"
        f"    {ANSI_URL}\n"
        "1 result(s)\n"
    )


@pytest.mark.parametrize(
    ("query", "reason"),
    [('"unclosed', "unterminated string"), ("AND OR", 'fts5: syntax error near "AND"')],
    ids=["unclosed-quote", "bare-operators"],
)
def test_malformed_query_is_one_line(db: Path, query: str, reason: str) -> None:
    result = run("search", query, "--db", str(db))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: malformed search query {query!r} ({reason}); quote phrases fully and put words around AND/OR/NOT\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "x", "--since", "yesterday"), "--since 'yesterday' is not a date (use YYYY-MM-DD)"),
        (("search", "x", "--limit", "0"), "--limit must be 1 or more, not 0"),
        (("show", "999"), "no article '999' in {db} (give an id from `newsarchive search`, or a URL)"),
        (("quotes", "--until", "2025-13-01"), "--until '2025-13-01' is not a date (use YYYY-MM-DD)"),
    ],
    ids=["bad-date", "bad-limit", "unknown-article", "bad-until"],
)
def test_bad_options_are_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, "--db", str(db))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {message.format(db=db)}\n"


def test_show_prints_the_whole_record_sanitized(db: Path) -> None:
    result = run("show", ANSI_URL + "?utm_source=x", "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout == (
        "#3  Срочно: голосование пройдёт три дня\n"
        "site:          vybor-naroda.org   news_id: 297510   category: lentanovostey\n"
        "published:     2025-12-09T08:00:00+03:00   (shown as: 09 декабря 2025, 08:00)\n"
        f"url:           {ANSI_URL}\n"
        "canonical_url: -\n"
        "photo_credit:  t.me/lipetsk_izbirkom\n"
        "image_url:     -\n"
        "tags:          -\n"
        "version:       1   first seen 2025-12-09T09:00:00+03:00   last seen 2025-12-09T09:00:00+03:00"
        "   changed 2025-12-09T09:00:00+03:00\n"
        f"seen under:    {ANSI_URL}\n"
        "\n"
        "– Голосование пройдёт в течение трёх дней, – напомнили в облизбиркоме.\n"
        "\n"
        "quotes (1):\n"
        "  1. в облизбиркоме (напомнили): «Голосование пройдёт в течение трёх дней»\n"
        "revisions (0):\n"
    )


def test_show_lists_revisions_and_urls(db: Path) -> None:
    result = run("show", "297434", "--db", str(db))
    assert result.stdout.endswith(
        "revisions (1):\n"
        "  v1  seen 2026-03-05T17:00:00+03:00 .. 2026-03-05T17:00:00+03:00  "
        "Липецкая область и ДНР планируют запустить промышленную кооперацию\n"
    )
    data = json.loads(run("show", "1", "--json", "--db", str(db)).stdout)
    assert (data["id"], data["headline"], data["version"], data["last_changed_at"]) == (
        1,
        "Липецкая область и ДНР запускают промышленную кооперацию",
        2,
        "2026-03-06T09:00:00+03:00",
    )
    assert data["seen_urls"] == [SEED_URL, PRINT_URL.split("?")[0]]
    assert [(r["version"], r["headline"]) for r in data["revisions"]] == [
        (1, "Липецкая область и ДНР планируют запустить промышленную кооперацию")
    ]


def test_quotes_by_speaker(db: Path) -> None:
    result = run("quotes", "--speaker", "зотов", "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout == (
        "published   speaker       role  verb        quote                                                     url\n"
        "2025-12-08  Михаил Зотов  -     подчеркнул  «Кооперация с соседними регионами останется приоритетом»  "
        f"{ZOTOV_URL}\n"
        "1 quote(s)\n"
    )


def test_quotes_json_in_a_date_range(db: Path) -> None:
    result = run("quotes", "--since", "2025-12-07", "--until", "2025-12-07", "--json", "--db", str(db))
    assert [(q["speaker"], q["speaker_role"], q["verb"], q["url"]) for q in json.loads(result.stdout)] == [
        ("Сергей Курбатов", None, "отметил", PRINT_URL),
        ("Игорь Артамонов", "губернатор Липецкой области", "подчеркнул", PRINT_URL),
    ]


def test_export_jsonl_round_trips(db: Path) -> None:
    result = run("export", "--db", str(db))
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["news_id"], d["version"], d["first_seen_at"], d["last_seen_at"]) for d in lines] == [
        ("297434", 2, "2026-03-05T17:00:00+03:00", "2026-03-06T09:00:00+03:00"),
        ("297501", 1, "2025-12-08T12:00:00+03:00", "2025-12-08T12:00:00+03:00"),
        ("297510", 1, "2025-12-09T09:00:00+03:00", "2025-12-09T09:00:00+03:00"),
    ]
    with Archive.open(db) as archive:
        for article_id, data in enumerate(lines, start=1):
            record = archive.load_article(article_id).record
            assert list(data) == [*record.to_dict(), "first_seen_at", "last_seen_at", "version"]
            assert Article.from_dict(data) == record
            assert archive.upsert_article(Article.from_dict(data)).outcome == "unchanged"


def test_export_csv_to_a_file_with_a_date_range(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(
        "export",
        "--format",
        "csv",
        "--since",
        "2025-12-08",
        "--until",
        "2025-12-08",
        "--out",
        str(out),
        "--db",
        str(db),
    )
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"exported 1 article(s) to {out}\n")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "id,site,news_id,url,canonical_url,category,headline,published_at,published_text,photo_credit,image_url,"
        "body,content_hash,fetched_at,first_seen_at,last_seen_at,last_changed_at,version,tags,quotes,warnings"
    )
    assert text.endswith(
        ',2025-12-08T12:00:00+03:00,1,выборы; Липецкая область,"[{""text"": ""Кооперация с соседними регионами '
        'останется приоритетом"", ""speaker"": ""Михаил Зотов"", ""speaker_role"": null, ""verb"": ""подчеркнул""}]",'
        '"[""photo_credit: not found""]"\n'
    )


def test_export_parquet(db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    result = run("export", "--format", "parquet", "--out", str(out), "--db", str(db))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"exported 3 article(s) to {out}\n")
    table = pq.read_table(out)
    # what the archive adds to each fixture record: content hash, first and last sighting, version
    archived = [
        (
            "00b5e166d0439367755d374f0d0d7fdecb128de915bf4113327763f07d87ec51",
            "2026-03-05T17:00:00+03:00",
            "2026-03-06T09:00:00+03:00",
            2,
        ),
        (
            "301bfbc2ec21880c5aaa24e55f7b174dd43c7e57905fe5b84bbdc2159eab0c76",
            "2025-12-08T12:00:00+03:00",
            "2025-12-08T12:00:00+03:00",
            1,
        ),
        (
            "9d3fd64f8e3a345a87f11800500fc71e151538313699ac5023baaa945064ee38",
            "2025-12-09T09:00:00+03:00",
            "2025-12-09T09:00:00+03:00",
            1,
        ),
    ]
    expected = [
        {
            **record(name).to_dict(),
            "content_hash": sha,
            "first_seen_at": first,
            "last_seen_at": last,
            "version": version,
        }
        for name, (sha, first, last, version) in zip((SEED_EDITED, ZOTOV, ANSI), archived, strict=True)
    ]
    assert table.column_names == [*record(ZOTOV).to_dict(), "first_seen_at", "last_seen_at", "version"]
    assert table.to_pylist() == expected
    assert [q["speaker"] for q in table.column("quotes").to_pylist()[0]] == ["Сергей Курбатов", "Игорь Артамонов"]
    assert str(table.schema.field("version").type) == "int64"
    result = run("export", "--format", "parquet", "--db", str(db))
    assert (result.exit_code, result.stderr) == (2, "error: --format parquet needs --out FILE\n")


def run_without(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process where `module` cannot be imported (as if its extra were not installed)."""
    preamble = f"import sys; sys.modules[{module!r}] = None; from cli import app; app(prog_name='newsarchive')"
    return subprocess.run(
        [sys.executable, "-c", preamble, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_export_parquet_without_pyarrow_names_the_extra(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result = run_without("pyarrow", "export", "--format", "parquet", "--out", str(out), "--db", str(db))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: Parquet export needs the parquet extra: uv run --extra parquet newsarchive export --format parquet\n"
    )
    assert not out.exists()


def test_stats(db: Path) -> None:
    result = run("stats", "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout == (
        f"archive:    {db} ({archive_size(db)} bytes)\n"
        "articles:   3 (1 earlier versions, 4 URLs)\n"
        "quotes:     4\n"
        "published:  2025-12-07 .. 2025-12-09\n"
        "\n"
        "day         articles\n"
        "2025-12-09  1\n"
        "2025-12-08  1\n"
        "2025-12-07  1\n"
        "\n"
        "category       articles\n"
        "lentanovostey  2\n"
        "politika       1\n"
        "\n"
        "speaker          quotes\n"
        "Игорь Артамонов  1\n"
        "Михаил Зотов     1\n"
        "Сергей Курбатов  1\n"
        "в облизбиркоме   1\n"
    )
    data = json.loads(run("stats", "--json", "--db", str(db)).stdout)
    assert data["per_category"] == [
        {"category": "lentanovostey", "articles": 2},
        {"category": "politika", "articles": 1},
    ]


def test_browse_dry_run_shows_metadata_and_command(db: Path) -> None:
    result = run("browse", "--db", str(db), "--port", "8123", "--dry-run")
    assert result.exit_code == 0
    metadata_text, command = result.stdout.rsplit("}\n", 1)
    metadata = json.loads(metadata_text + "}")
    tables = metadata["databases"]["archive"]["tables"]
    assert tables["articles"]["fts_table"] == "articles_fts"
    assert tables["articles"]["facets"] == ["category", "site"]
    assert tables["quotes"]["facets"] == ["speaker", "verb"]
    assert tables["revisions"]["description"].startswith("Every earlier version of an article")
    assert list(metadata["databases"]["archive"]["queries"]) == ["search"]
    assert command == (" ".join(browsing.datasette_command(db, Path("METADATA.json"), port=8123)) + "\n")
    assert command.split()[1:] == [
        "-m",
        "datasette",
        "serve",
        str(db),
        "--metadata",
        "METADATA.json",
        "--plugins-dir",
        str(ROOT / "scraper" / "datasette_plugins"),
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
        "--setting",
        "facet_time_limit_ms",
        "1000",
    ]


def test_browse_without_datasette_names_the_extra(db: Path) -> None:
    result = run_without("datasette", "browse", "--db", str(db), "--port", "8123")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: Datasette is not installed; run: uv run --extra browse newsarchive browse\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [("search", "x"), ("show", "1"), ("quotes",), ("export",), ("stats",), ("ingest",)])
def test_not_an_archive_gets_exit_2_and_is_untouched(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n", encoding="utf-8")
    args = [*command, str(MIRROR)] if command == ("ingest",) else list(command)
    result = run(*args, "--db", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {path}: not a SQLite database (not an archive); nothing was changed\n"
    assert path.read_text(encoding="utf-8") == "not a database\n"


def test_newer_schema_gets_exit_2_and_is_untouched(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = digest(db)
    result = run("search", "кооперация", "--db", str(db))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {db}: archive schema version {SCHEMA_VERSION + 5} is newer than this program's ({SCHEMA_VERSION}); "
        "upgrade newsarchive\n"
    )
    assert digest(db) == before


def test_newer_schema_in_wal_mode_leaves_no_files_beside_it(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["archive.db"]
    before = digest(db)
    result = run("stats", "--db", str(db))
    assert (result.exit_code, result.stdout) == (2, "")
    assert "is newer than this program's" in result.stderr
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["archive.db"]


@pytest.mark.parametrize(
    "command",
    [("search", "x"), ("show", "1"), ("quotes",), ("export",), ("stats",), ("status",), ("browse", "--dry-run")],
)
def test_an_empty_file_is_not_an_archive_and_stays_empty(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    result = run(*command, "--db", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {path}: empty, not an archive (create one with `newsarchive ingest` or `newsarchive crawl`); "
        "nothing was changed\n"
    )
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_export_onto_the_archive_itself_is_refused_and_the_archive_kept(db: Path) -> None:
    before = digest(db)
    for out in (db, db.parent / "." / db.name, db.with_name(db.name + "-wal")):
        result = run("export", "--format", "jsonl", "--out", str(out), "--db", str(db))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"error: --out {out}: that is the archive's own file; nothing was written\n"
    assert digest(db) == before
    assert run("stats", "--db", str(db)).stdout.splitlines()[1].startswith("articles:   3 ")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_into_a_missing_folder_is_one_line(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "no" / "such" / f"x.{fmt}"
    result = run("export", "--format", fmt, "--out", str(out), "--db", str(db))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: --out {out}: folder {out.parent} does not exist; nothing was written\n"


def test_a_failed_export_leaves_the_existing_file_as_it_was(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    out.write_text("earlier export\n", encoding="utf-8")
    result = run("export", "--since", "not-a-day", "--out", str(out), "--db", str(db))
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    result = run("export", "--out", str(out), "--db", str(db))
    assert (result.exit_code, result.stderr) == (0, f"exported 3 article(s) to {out}\n")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db", "records.jsonl"]


@pytest.mark.parametrize("command", [("search", "кооперация"), ("quotes",)])
def test_a_limit_beyond_sqlite_integers_means_no_limit(db: Path, command: tuple[str, ...]) -> None:
    huge = run(*command, "--limit", str(10**20), "--db", str(db))
    plain = run(*command, "--limit", "100", "--db", str(db))
    assert (huge.exit_code, huge.stderr) == (0, "")
    assert huge.stdout == plain.stdout


@pytest.mark.parametrize("ref", ["http://[::1", "http://2018.vybor-naroda.org:abc/x", "http://2018.vybor-naroda.org:99999/x"])
def test_show_a_malformed_url_is_no_article(db: Path, ref: str) -> None:
    result = run("show", ref, "--db", str(db))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: no article {ref!r} in {db} (give an id from `newsarchive search`, or a URL)\n"


def test_export_into_a_pipe_writes_it_as_it_is(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "records.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("export", "--out", str(fifo), "--db", str(db))
    reader.join(timeout=30)
    assert received, "the export never wrote into the pipe"
    assert (result.exit_code, result.stderr) == (0, f"exported 3 article(s) to {fifo}\n")
    assert received[0].decode("utf-8") == run("export", "--db", str(db)).stdout


def test_export_keeps_the_files_mode_and_writes_through_a_symlink(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.csv"
    out.write_text("earlier\n", encoding="utf-8")
    out.chmod(0o664)
    link = tmp_path / "latest.csv"
    link.symlink_to(out)
    result = run("export", "--format", "csv", "--out", str(link), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == out
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert out.read_text(encoding="utf-8").startswith("id,site,news_id,")
    previous = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.jsonl"
        assert run("export", "--out", str(fresh), "--db", str(db)).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
