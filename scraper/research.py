"""Research stage: the queries researchers run against an archive (search, quotes, stats, export).

Takes an open `Archive`, returns typed rows; rendering belongs to `scraper/commands/research.py`.
Dates given as `--since`/`--until` are days (YYYY-MM-DD) compared with the local date of `published_at`
(the portal's own calendar day), both ends inclusive.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from scraper import fts
from scraper.errors import InputError, StoreError
from scraper.store import Archive, StoredArticle

HIGHLIGHT = ("[", "]")
SNIPPET_TOKENS = 16
CSV_COLUMNS = (
    "id",
    "site",
    "news_id",
    "url",
    "canonical_url",
    "category",
    "headline",
    "published_at",
    "published_text",
    "photo_credit",
    "image_url",
    "body",
    "content_hash",
    "fetched_at",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
    "version",
    "tags",
    "quotes",
    "warnings",
)


def parse_day(value: str | None, option: str) -> str | None:
    """Validate a `--since`/`--until` value (YYYY-MM-DD).

    Raises:
        InputError: not a date.
    """
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date (use YYYY-MM-DD)") from None


def _date_filters(since: str | None, until: str | None, column: str = "a.published_at") -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append(f"substr({column}, 1, 10) >= ?")
        params.append(parse_day(since, "--since"))
    if until is not None:
        where.append(f"substr({column}, 1, 10) <= ?")
        params.append(parse_day(until, "--until"))
    if since is not None and until is not None and params[0] > params[1]:
        raise InputError(f"--since {since} is after --until {until}")
    return where, params


# SQLite's largest integer: a larger --limit asks for everything, as no limit does.
_SQLITE_MAX_INT = 2**63 - 1


def _limit(limit: int | None) -> int:
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be 1 or more, not {limit}")
    return -1 if limit is None or limit > _SQLITE_MAX_INT else limit


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a search; `rank` 1 is the best bm25 score; `snippet` marks matched words `[`…`]`."""

    article_id: int
    news_id: str | None
    published_at: str | None
    category: str | None
    headline: str | None
    url: str
    snippet: str
    rank: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "news_id": self.news_id,
            "published_at": self.published_at,
            "category": self.category,
            "headline": self.headline,
            "url": self.url,
            "snippet": self.snippet,
            "rank": self.rank,
        }


def search(
    archive: Archive,
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    category: str | None = None,
    speaker: str | None = None,
    limit: int | None = 20,
) -> list[SearchHit]:
    """Stemmed full-text search over headline, body and quotes, ranked by bm25.

    Raises:
        InputError: the query is not valid FTS5 syntax, or a filter is malformed.
    """
    match = fts.build_match_query(query)
    where, params = _date_filters(since, until)
    if category is not None:
        where.append("lower(a.category) = ?")
        params.append(category.strip().lower())  # any case: `Politika` is `politika`
    if speaker is not None:
        where.append("EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = a.id AND instr(fold(q.speaker), fold(?)))")
        params.append(speaker)
    weights = ", ".join(str(w) for w in fts.BM25_WEIGHTS)
    sql = (
        "SELECT a.id, a.news_id, a.published_at, a.category, a.headline, a.url, "
        f"snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
        "FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? "
        + "".join(f"AND {w} " for w in where)
        + f"ORDER BY bm25(articles_fts, {weights}), a.id LIMIT ?"
    )
    try:
        rows = archive.conn.execute(sql, (*HIGHLIGHT, match, *params, _limit(limit))).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if ")" not in query:  # the parentheses around the query are ours: the query ended too early
            message = message.replace('syntax error near ")"', "syntax error at the end of the query")
        message = message.replace('syntax error near ""', "syntax error at the end of the query")
        if any(sign in message for sign in ("fts5", "no such column", "unterminated", "expected integer")):
            raise InputError(
                f"malformed search query {query!r} ({message}); quote phrases fully and put words around AND/OR/NOT"
            ) from exc
        raise StoreError(f"{archive.path}: search failed: {message}") from exc
    return [SearchHit(*row, rank=number) for number, row in enumerate(rows, start=1)]


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """Who said what, in which article."""

    article_id: int
    published_at: str | None
    speaker: str | None
    speaker_role: str | None
    verb: str | None
    text: str
    headline: str | None
    url: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "published_at": self.published_at,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "verb": self.verb,
            "text": self.text,
            "headline": self.headline,
            "url": self.url,
        }


def quotes(
    archive: Archive,
    *,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[QuoteRow]:
    """Quotes of current article versions, newest article first; `speaker` matches part of the name, any case."""
    where, params = _date_filters(since, until)
    if speaker is not None:
        where.append("instr(fold(q.speaker), fold(?))")
        params.append(speaker)
    sql = (
        "SELECT a.id, a.published_at, q.speaker, q.speaker_role, q.verb, q.text, a.headline, a.url "
        "FROM quotes AS q JOIN articles AS a ON a.id = q.article_id "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY a.published_at DESC, a.id, q.position LIMIT ?"
    )
    return [QuoteRow(*row) for row in archive.conn.execute(sql, (*params, _limit(limit))).fetchall()]


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    """Counts for `newsarchive stats`."""

    path: str
    size_bytes: int
    articles: int
    revisions: int
    quotes: int
    urls: int
    first_published: str | None
    last_published: str | None
    per_day: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    top_speakers: list[tuple[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size_bytes": self.size_bytes,
            "articles": self.articles,
            "revisions": self.revisions,
            "quotes": self.quotes,
            "urls": self.urls,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "per_day": [{"day": d, "articles": n} for d, n in self.per_day],
            "per_category": [{"category": c, "articles": n} for c, n in self.per_category],
            "top_speakers": [{"speaker": s, "quotes": n} for s, n in self.top_speakers],
        }


def archive_size(path: Path) -> int:
    """Bytes on disk: the database file plus its write-ahead log."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def stats(archive: Archive, *, days: int = 14, speakers: int = 10) -> ArchiveStats:
    """Articles per day (the latest `days` days with articles), per category, and the top speakers."""
    conn = archive.conn

    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    first, last = conn.execute("SELECT min(published_at), max(published_at) FROM articles").fetchone()
    per_day = conn.execute(
        "SELECT substr(published_at, 1, 10) AS day, count(*) FROM articles WHERE published_at IS NOT NULL "
        "GROUP BY day ORDER BY day DESC LIMIT ?",
        (days,),
    ).fetchall()
    per_category = conn.execute(
        "SELECT coalesce(category, '-'), count(*) AS n FROM articles GROUP BY category ORDER BY n DESC, category"
    ).fetchall()
    top = conn.execute(
        "SELECT speaker, count(*) AS n FROM quotes WHERE speaker IS NOT NULL "
        "GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?",
        (speakers,),
    ).fetchall()
    return ArchiveStats(
        path=str(archive.path),
        size_bytes=archive_size(archive.path),
        articles=count("articles"),
        revisions=count("revisions"),
        quotes=count("quotes"),
        urls=count("article_urls"),
        first_published=first,
        last_published=last,
        per_day=[(d, n) for d, n in per_day],
        per_category=[(c, n) for c, n in per_category],
        top_speakers=[(s, n) for s, n in top],
    )


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One earlier version of an article."""

    version: int
    headline: str | None
    body: str | None
    content_hash: str
    url: str
    first_seen_at: str
    last_seen_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "headline": self.headline,
            "body": self.body,
            "content_hash": self.content_hash,
            "url": self.url,
            "first_seen_at": self.first_seen_at,
            "last_seen_at": self.last_seen_at,
        }


@dataclass(frozen=True, slots=True)
class ArticleReport:
    """Everything `newsarchive show` prints: the current record, its URLs and its earlier versions."""

    stored: StoredArticle
    urls: list[str]
    revisions: list[RevisionRow]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.stored.archive.article_id}
        data.update(self.stored.to_dict())
        data["last_changed_at"] = self.stored.archive.last_changed_at
        data["seen_urls"] = self.urls
        data["revisions"] = [r.to_dict() for r in self.revisions]
        return data


def article_report(archive: Archive, ref: str) -> ArticleReport:
    """The article an id, news id or URL names.

    Raises:
        InputError: no such article in the archive.
    """
    article_id = archive.find_article_id(ref)
    if article_id is None:
        raise InputError(f"no article {ref!r} in {archive.path} (give an id from `newsarchive search`, or a URL)")
    stored = archive.load_article(article_id)
    urls = [
        r[0]
        for r in archive.conn.execute("SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", (article_id,))
    ]
    revisions = [
        RevisionRow(*row)
        for row in archive.conn.execute(
            "SELECT version, headline, body, content_hash, url, first_seen_at, last_seen_at FROM revisions "
            "WHERE article_id = ? ORDER BY julianday(first_seen_at), version",
            (article_id,),
        )
    ]
    return ArticleReport(stored=stored, urls=urls, revisions=revisions)


def export_articles(archive: Archive, *, since: str | None = None, until: str | None = None) -> Iterator[StoredArticle]:
    """Current records in publication order (undated last), for `newsarchive export`."""
    where, params = _date_filters(since, until, "published_at")
    sql = (
        "SELECT id FROM articles "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY published_at IS NULL, published_at, id"
    )
    for (article_id,) in archive.conn.execute(sql, params).fetchall():
        yield archive.load_article(article_id)


def write_jsonl(articles: Iterator[StoredArticle], out: IO[str]) -> int:
    """One JSON object per line: the `extract --json` record plus `first_seen_at`, `last_seen_at`, `version`."""
    count = 0
    for stored in articles:
        out.write(json.dumps(stored.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_row(stored: StoredArticle, clean: Callable[[str], str] | None) -> dict[str, Any]:
    record, fields = stored.record, stored.archive
    row = {
        "id": fields.article_id,
        **{k: v for k, v in record.to_dict().items() if k in CSV_COLUMNS},
        "first_seen_at": fields.first_seen_at,
        "last_seen_at": fields.last_seen_at,
        "last_changed_at": fields.last_changed_at,
        "version": fields.version,
        "tags": "; ".join(record.tags),
        "quotes": json.dumps([q.to_dict() for q in record.quotes], ensure_ascii=False),
        "warnings": json.dumps(list(record.warnings), ensure_ascii=False),
    }
    if clean is not None:
        row = {k: clean(v) if isinstance(v, str) else v for k, v in row.items()}
    return row


def write_csv(articles: Iterator[StoredArticle], out: IO[str], *, clean: Callable[[str], str] | None = None) -> int:
    """One row per article; `tags` joined with '; ', `quotes` and `warnings` as JSON lists (the sidebar is
    left out).

    `clean` is applied to every text cell (the CLI passes its terminal sanitizer when stdout is a terminal).
    """
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for stored in articles:
        writer.writerow(_csv_row(stored, clean))
        count += 1
    return count


def write_parquet(articles: Iterator[StoredArticle], path: Path) -> int:
    """The jsonl records as a Parquet file (needs the `parquet` extra).

    Raises:
        InputError: pyarrow is not installed.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "Parquet export needs the parquet extra: uv run --extra parquet newsarchive export --format parquet"
        ) from None
    rows = [stored.to_dict() for stored in articles]
    pq.write_table(pa.Table.from_pylist(rows), path)
    return len(rows)
