"""Store stage: the archive library. Takes `Article` records, keeps each article once, keeps its history.

sqlite-utils is the model (library first, CLI second): `Archive.open()` hands out an object whose `db`
is a `sqlite_utils.Database`, and every command goes through it.

- Identity: (site, news_id) when the URL carries a news id, else the normalized canonical URL. The same
  article reached through another host, the print version or a tracking parameter is one row; every URL
  it was seen under goes to `article_urls`.
- History: a record whose headline or body differ (`content_hash_of`) moves the old version to
  `revisions`, replaces the row and bumps `version`; quotes, tags, sidebar and the search index follow
  the current version. A record fetched before the current version appeared (a late ingest of an old
  saved page) goes to `revisions` only. Version numbers are given in the order the archive learns of
  the versions and never change: a late page takes the next free number and leaves the current version
  and every earlier number as they were (time order is `first_seen_at`). An unchanged record only moves
  `last_seen_at`, unless it is a new extraction of the very fetch the version was built from
  (`refresh`, used by reextract), or the article page of a version built from its print page: then the
  version's other fields and children follow it.
- Atomicity: each `upsert_article` is one `BEGIN IMMEDIATE` transaction (row, children, URLs, index), so
  a writer killed mid-way leaves either the old or the new article, never half of one.

Raises StoreError subclasses (see scraper.errors); sqlite3 errors are wrapped here, once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from scraper import fts
from scraper.errors import NotAnArchiveError, ProfileError, StoreError, UnknownSiteError
from scraper.extract import content_hash
from scraper.models import Article, Quote, SidebarItem
from scraper.schema import check_archive_file, configure_connection, migrate
from scraper.sites import SiteProfile, get_profile, profile_for_url
from scraper.urls import normalize_url, parse_article_url

DEFAULT_ARCHIVE = Path("data/archive.db")
Outcome = Literal["new", "updated", "unchanged"]
_INSERT_REVISION = (
    "INSERT INTO revisions (article_id, version, headline, body, content_hash, url, first_seen_at, last_seen_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


# The columns a refresh rewrites: everything of a version but its headline, body and identity.
_REFRESHED_COLUMNS = (
    "canonical_url",
    "category",
    "published_at",
    "published_text",
    "photo_credit",
    "image_url",
    "warnings",
)


def _is_print_page(url: str, site: str) -> bool:
    """Whether a URL is an article's print version, which lacks its photo, credit, tags and sidebar."""
    profile = _profile(site)
    ref = parse_article_url(url, profile) if profile is not None else None
    return ref is not None and ref.is_print


def _same_instant(stored: str | None, fetched: str | None) -> bool:
    """Whether two ISO 8601 timestamps name the same moment (the fetch log keeps UTC, records local time)."""
    if not stored or not fetched:
        return False
    try:
        return datetime.fromisoformat(stored) == datetime.fromisoformat(fetched)
    except ValueError:
        return False


def _earlier(moment: str, than: str) -> bool:
    """Whether ISO 8601 timestamp `moment` is before `than` (as instants; as text when one is no timestamp)."""
    try:
        return datetime.fromisoformat(moment) < datetime.fromisoformat(than)
    except (ValueError, TypeError):
        return moment < than


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What storing one record did: `new` article, `updated` to a new version, or `unchanged`.

    `version` is the article's current version. `revision` is set for a record fetched before the
    current version (a late page, outcome `unchanged`: the current version is untouched): the number of
    the earlier version in `revisions` it was filed under, new or already known.
    """

    article_id: int
    outcome: Outcome
    version: int
    revision: int | None = None


@dataclass(frozen=True, slots=True)
class ArchiveFields:
    """The archive's own facts about an article, beside its record."""

    article_id: int
    first_seen_at: str
    last_seen_at: str
    last_changed_at: str
    version: int


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the archive holds it: the current record plus the archive's fields."""

    record: Article
    archive: ArchiveFields

    def to_dict(self) -> dict[str, Any]:
        """The record in the `extract --json` format plus `first_seen_at`, `last_seen_at`, `version`."""
        data = self.record.to_dict()
        data["first_seen_at"] = self.archive.first_seen_at
        data["last_seen_at"] = self.archive.last_seen_at
        data["version"] = self.archive.version
        return data


def content_hash_of(headline: str | None, body: str | None) -> str:
    """The version identity of an article: the extractor's hash over headline and body, nothing else."""
    return content_hash(headline, body)


def _profile(site: str) -> SiteProfile | None:
    try:
        return get_profile(site)
    except ProfileError:
        return None


def article_key(article: Article) -> str:
    """The dedup key: 'site/news_id', else 'url:' + the normalized canonical (or fetched) URL."""
    if article.news_id:
        return f"{article.site}/{article.news_id}"
    return "url:" + normalize_url(article.canonical_url or article.url, _profile(article.site))


def _seen_urls(article: Article) -> list[str]:
    profile = _profile(article.site)
    urls = [normalize_url(article.url, profile)]
    if article.canonical_url:
        canonical = normalize_url(article.canonical_url, profile)
        if canonical not in urls:
            urls.append(canonical)
    return urls


class Archive:
    """An open archive file. Use `Archive.open(path)`; close it (or use it as a context manager)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Archive:
        """Open (and create or migrate) an archive.

        Raises:
            StoreError: no archive at `path` and `create` is False, or SQLite failed.
            NotAnArchiveError, SchemaTooNewError: the file is left untouched.
        """
        path = Path(path)
        state = check_archive_file(path)
        if not create and not state.exists:
            raise StoreError(f"{path}: no archive here (create one with `newsarchive ingest` or `newsarchive crawl`)")
        if not create and state.version == 0:  # an empty file, or a SQLite database with nothing in it
            raise NotAnArchiveError(
                f"{path}: empty, not an archive (create one with `newsarchive ingest` or "
                "`newsarchive crawl`); nothing was changed"
            )
        if not state.exists:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from exc
        try:
            configure_connection(conn)
            migrate(conn, state.version)
            conn.create_function("fold", 1, _fold, deterministic=True)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{path}: cannot open: {exc}") from exc
        except StoreError:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (taken at once, so two writers queue instead of deadlocking).

        Inside a transaction the caller already holds, the writes join it: the crawler stores an
        article and logs the fetch it came from in one commit, so a kill between them cannot keep one
        without the other.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot start a write: {exc}") from exc
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite already rolled back after a full disk or an I/O error
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: write failed: {exc}") from exc

    # -- writing -------------------------------------------------------------------------------------

    def upsert_article(self, article: Article, *, seen_at: str | None = None, refresh: bool = False) -> UpsertResult:
        """Store one record: a new article, a new version of a known one, or another sighting of it.

        `seen_at` (ISO 8601) defaults to the record's `fetched_at`. With `refresh`, a record of the very
        fetch the current version was built from (same `fetched_at` instant) whose headline and body are
        unchanged replaces the version's other fields, quotes, tags and sidebar: how `reextract`
        delivers an extractor change to the fields that do not make a new version.
        """
        seen = seen_at or article.fetched_at
        key = article_key(article)
        urls = _seen_urls(article)
        new_hash = content_hash_of(article.headline, article.body)
        try:
            with self.transaction() as conn:
                row = self._find(conn, key, article, urls)
                if row is None:
                    result = self._insert(conn, article, key, new_hash, seen)
                elif row["content_hash"] == new_hash:
                    conn.execute(
                        "UPDATE articles SET last_seen_at = max(last_seen_at, ?), "
                        "first_seen_at = min(first_seen_at, ?) WHERE id = ?",
                        (seen, seen, row["id"]),
                    )
                    result = UpsertResult(row["id"], "unchanged", row["version"])
                    if refresh and _same_instant(row["fetched_at"], article.fetched_at):
                        self._refresh(conn, row, article)
                    elif _is_print_page(row["url"], article.site) and not _is_print_page(article.url, article.site):
                        self._refresh(conn, row, article, adopt_fetch=True)
                elif _earlier(seen, row["last_changed_at"]):
                    result = self._add_past_version(conn, row, article, new_hash, seen)
                else:
                    result = self._replace(conn, row, article, new_hash, seen)
                for url in urls:
                    conn.execute(
                        "INSERT INTO article_urls (url, article_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (url) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at), "
                        "last_seen_at = max(last_seen_at, excluded.last_seen_at)",
                        (url, result.article_id, seen, seen),
                    )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: storing {article.url} failed: {exc}") from exc
        return result

    def mark_seen(self, url: str, seen_at: str) -> int | None:
        """The article at `url` was seen again, unchanged, without its page (a 304 answer to a revisit).

        Only `last_seen_at` moves, of the article and of `url` in `article_urls`, as for an unchanged
        record (`seen_at` is stored in the site's time zone, like the fetch times of records). Returns
        the article's id, or None when the archive has no article at `url` (nothing is written).
        """
        article_id = self.find_article_id(url)
        if article_id is None:
            return None
        try:
            profile: SiteProfile | None = profile_for_url(url)
        except (ProfileError, UnknownSiteError, ValueError):
            profile = None
        moment = datetime.fromisoformat(seen_at)
        if profile is not None and moment.tzinfo is not None:
            moment = moment.astimezone(profile.timezone)
        seen = moment.isoformat(timespec="seconds")
        try:
            with self.transaction() as conn:
                conn.execute("UPDATE articles SET last_seen_at = max(last_seen_at, ?) WHERE id = ?", (seen, article_id))
                conn.execute(
                    "INSERT INTO article_urls (url, article_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (url) DO UPDATE SET last_seen_at = max(last_seen_at, excluded.last_seen_at)",
                    (normalize_url(url, profile), article_id, seen, seen),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: recording a sighting of {url} failed: {exc}") from exc
        return article_id

    def _find(self, conn: sqlite3.Connection, key: str, article: Article, urls: list[str]) -> sqlite3.Row | None:
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT * FROM articles WHERE article_key = ?", (key,)).fetchone()
            if row is None and not article.news_id:
                for url in urls:
                    row = conn.execute(
                        "SELECT a.* FROM article_urls u JOIN articles a ON a.id = u.article_id "
                        "WHERE u.url = ? AND a.news_id IS NULL AND a.site = ?",
                        (url, article.site),
                    ).fetchone()
                    if row is not None:
                        break
            return row
        finally:
            conn.row_factory = None

    def _insert(self, conn: sqlite3.Connection, article: Article, key: str, new_hash: str, seen: str) -> UpsertResult:
        cursor = conn.execute(
            "INSERT INTO articles (article_key, site, news_id, url, canonical_url, category, headline, published_at, "
            "published_text, photo_credit, image_url, body, content_hash, fetched_at, warnings, first_seen_at, "
            "last_seen_at, last_changed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (key, *self._record_columns(article, new_hash), seen, seen, seen),
        )
        article_id = int(cursor.lastrowid or 0)
        self._write_children(conn, article_id, article)
        fts.index_article(conn, article_id, article.headline, article.body, _quotes_text(article.quotes))
        return UpsertResult(article_id, "new", 1)

    @staticmethod
    def _record_columns(article: Article, new_hash: str) -> tuple[Any, ...]:
        return (
            article.site,
            article.news_id,
            article.url,
            article.canonical_url,
            article.category,
            article.headline,
            article.published_at,
            article.published_text,
            article.photo_credit,
            article.image_url,
            article.body,
            new_hash,
            article.fetched_at,
            json.dumps(list(article.warnings), ensure_ascii=False),
        )

    def _replace(
        self, conn: sqlite3.Connection, row: sqlite3.Row, article: Article, new_hash: str, seen: str
    ) -> UpsertResult:
        article_id = row["id"]
        conn.execute(
            _INSERT_REVISION,
            (
                article_id,
                row["version"],
                row["headline"],
                row["body"],
                row["content_hash"],
                row["url"],
                row["last_changed_at"],
                row["last_seen_at"],
            ),
        )
        version = _next_version(conn, article_id, row["version"])
        conn.execute(
            "UPDATE articles SET site = ?, news_id = ?, url = ?, canonical_url = ?, category = ?, headline = ?, "
            "published_at = ?, published_text = ?, photo_credit = ?, image_url = ?, body = ?, content_hash = ?, "
            "fetched_at = ?, warnings = ?, last_seen_at = ?, last_changed_at = ?, version = ? WHERE id = ?",
            (*self._record_columns(article, new_hash), seen, seen, version, article_id),
        )
        self._replace_children(conn, row, article)
        return UpsertResult(article_id, "updated", version)

    def _refresh(
        self, conn: sqlite3.Connection, row: sqlite3.Row, article: Article, *, adopt_fetch: bool = False
    ) -> None:
        """The current version's fields besides headline and body, its children and its index entry,
        from a new extraction of the same fetch; rows are rewritten only where something differs.

        `adopt_fetch`: the record is another fetch of the same version (the article page after its
        print version), which becomes the fetch the version's fields come from (`url`, `fetched_at`).
        """
        article_id = row["id"]
        if adopt_fetch:
            conn.execute(
                "UPDATE articles SET url = ?, fetched_at = ? WHERE id = ?",
                (article.url, article.fetched_at, article_id),
            )
        fields = (
            article.canonical_url,
            article.category,
            article.published_at,
            article.published_text,
            article.photo_credit,
            article.image_url,
            json.dumps(list(article.warnings), ensure_ascii=False),
        )
        if fields != tuple(row[name] for name in _REFRESHED_COLUMNS):
            assignments = ", ".join(f"{name} = ?" for name in _REFRESHED_COLUMNS)
            conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*fields, article_id))
        if self._stored_children(conn, article_id) != self._children(article):
            self._replace_children(conn, row, article)

    @staticmethod
    def _children(article: Article) -> tuple[list[tuple[Any, ...]], ...]:
        """Quotes, tags and sidebar as the child tables hold them (position order)."""
        return (
            [(q.text, q.speaker, q.speaker_role, q.verb) for q in article.quotes],
            [(tag,) for tag in article.tags],
            [(s.title, s.url, s.time, s.published_at) for s in article.sidebar],
        )

    @staticmethod
    def _stored_children(conn: sqlite3.Connection, article_id: int) -> tuple[list[tuple[Any, ...]], ...]:
        return tuple(
            [tuple(r) for r in conn.execute(sql, (article_id,))]
            for sql in (
                "SELECT text, speaker, speaker_role, verb FROM quotes WHERE article_id = ? ORDER BY position",
                "SELECT tag FROM tags WHERE article_id = ? ORDER BY position",
                "SELECT title, url, time, published_at FROM sidebar_links WHERE article_id = ? ORDER BY position",
            )
        )

    def _replace_children(self, conn: sqlite3.Connection, row: sqlite3.Row, article: Article) -> None:
        """Quotes, tags and sidebar of the stored version out, the record's in; the index entry follows."""
        article_id = row["id"]
        old_quotes = [
            r[0] for r in conn.execute("SELECT text FROM quotes WHERE article_id = ? ORDER BY position", (article_id,))
        ]
        fts.unindex_article(conn, article_id, row["headline"], row["body"], fts.join_quotes(old_quotes))
        for table in ("quotes", "tags", "sidebar_links"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._write_children(conn, article_id, article)
        fts.index_article(conn, article_id, article.headline, article.body, _quotes_text(article.quotes))

    def _add_past_version(
        self, conn: sqlite3.Connection, row: sqlite3.Row, article: Article, new_hash: str, seen: str
    ) -> UpsertResult:
        """A page fetched before the current version appeared (a late ingest): history only.

        A known earlier version only widens its sighting span; an unknown one becomes a revision with the
        next free version number. Nothing is renumbered and the current version keeps its number, so a
        version number once printed or cited keeps naming the same text.
        """
        article_id = row["id"]
        conn.execute("UPDATE articles SET first_seen_at = min(first_seen_at, ?) WHERE id = ?", (seen, article_id))
        known = conn.execute(
            "SELECT id, version FROM revisions WHERE article_id = ? AND content_hash = ? ORDER BY version LIMIT 1",
            (article_id, new_hash),
        ).fetchone()
        if known is not None:
            conn.execute(
                "UPDATE revisions SET first_seen_at = min(first_seen_at, ?), last_seen_at = max(last_seen_at, ?) "
                "WHERE id = ?",
                (seen, seen, known[0]),
            )
            return UpsertResult(article_id, "unchanged", row["version"], revision=known[1])
        number = _next_version(conn, article_id, row["version"])
        conn.execute(
            _INSERT_REVISION,
            (article_id, number, article.headline, article.body, new_hash, article.url, seen, seen),
        )
        return UpsertResult(article_id, "unchanged", row["version"], revision=number)

    @classmethod
    def _write_children(cls, conn: sqlite3.Connection, article_id: int, article: Article) -> None:
        quotes, tags, sidebar = cls._children(article)
        for sql, values in (
            (
                "INSERT INTO quotes (article_id, position, text, speaker, speaker_role, verb) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                quotes,
            ),
            ("INSERT INTO tags (article_id, position, tag) VALUES (?, ?, ?)", tags),
            (
                "INSERT INTO sidebar_links (article_id, position, title, url, time, published_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                sidebar,
            ),
        ):
            conn.executemany(sql, [(article_id, i, *row) for i, row in enumerate(values)])

    def rebuild_search_index(self) -> int:
        """Rebuild `articles_fts` from the articles (after a stemmer upgrade); return the article count."""
        with self.transaction() as conn:
            return fts.reindex_all(conn)

    # -- reading -------------------------------------------------------------------------------------

    def find_article_id(self, ref: str) -> int | None:
        """The article an id, a news id or any URL it was seen under points at (None when unknown)."""
        ref = ref.strip()
        if ref.isdigit():
            for sql in (
                "SELECT id FROM articles WHERE id = ?",
                "SELECT id FROM articles WHERE news_id = ? ORDER BY id",
            ):
                row = self.conn.execute(sql, (ref,)).fetchone()
                if row is not None:
                    return int(row[0])
            return None
        try:
            profile: SiteProfile | None = profile_for_url(ref)
        except (ProfileError, UnknownSiteError, ValueError):
            profile = None
        try:
            url = normalize_url(ref, profile)
        except ValueError:  # not a URL at all (`http://[::1`, a port that is not a number): names nothing
            return None
        row = self.conn.execute("SELECT article_id FROM article_urls WHERE url = ?", (url,)).fetchone()
        if row is not None:
            return int(row[0])
        if profile is not None:
            parsed = parse_article_url(ref, profile)
            if parsed is not None:
                row = self.conn.execute(
                    "SELECT id FROM articles WHERE site = ? AND news_id = ?", (profile.name, parsed.news_id)
                ).fetchone()
                if row is not None:
                    return int(row[0])
        return None

    def load_article(self, article_id: int) -> StoredArticle:
        """The current record of an article with the archive's fields.

        Raises:
            StoreError: no article with this id.
        """
        self.conn.row_factory = sqlite3.Row
        try:
            row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: no article with id {article_id}")
            quotes = tuple(
                Quote(text=q["text"], speaker=q["speaker"], speaker_role=q["speaker_role"], verb=q["verb"])
                for q in self.conn.execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY position", (article_id,))
            )
            sidebar = tuple(
                SidebarItem(title=s["title"], time=s["time"], published_at=s["published_at"], url=s["url"])
                for s in self.conn.execute(
                    "SELECT * FROM sidebar_links WHERE article_id = ? ORDER BY position", (article_id,)
                )
            )
            tags = tuple(
                t["tag"]
                for t in self.conn.execute("SELECT tag FROM tags WHERE article_id = ? ORDER BY position", (article_id,))
            )
        finally:
            self.conn.row_factory = None
        record = Article(
            url=row["url"],
            site=row["site"],
            news_id=row["news_id"],
            category=row["category"],
            headline=row["headline"],
            published_text=row["published_text"],
            published_at=row["published_at"],
            photo_credit=row["photo_credit"],
            body=row["body"],
            quotes=quotes,
            sidebar=sidebar,
            fetched_at=row["fetched_at"],
            canonical_url=row["canonical_url"],
            image_url=row["image_url"],
            tags=tags,
            content_hash=row["content_hash"],
            warnings=tuple(json.loads(row["warnings"])),
        )
        fields = ArchiveFields(
            article_id=row["id"],
            first_seen_at=row["first_seen_at"],
            last_seen_at=row["last_seen_at"],
            last_changed_at=row["last_changed_at"],
            version=row["version"],
        )
        return StoredArticle(record=record, archive=fields)


def _next_version(conn: sqlite3.Connection, article_id: int, current: int) -> int:
    """The number a version the archive has not seen yet gets: one above every number the article has."""
    highest = conn.execute("SELECT max(version) FROM revisions WHERE article_id = ?", (article_id,)).fetchone()[0]
    return max(current, highest or 0) + 1


def _quotes_text(quotes: tuple[Quote, ...]) -> str | None:
    return fts.join_quotes(q.text for q in quotes)


def _fold(text: str | None) -> str | None:
    """SQL function `fold(x)`: case-insensitive comparison for Cyrillic (SQLite's lower() is ASCII-only)."""
    return None if text is None else text.casefold().replace("ё", "е")
