"""Store stage, part one: the archive's SQLite schema and its forward migrations.

The schema is a published interface: researchers query it with `sqlite3` and Datasette, so every
table and column carries a comment inside its `CREATE` statement (SQLite keeps those in
`sqlite_master.sql`) and a description in `TABLE_DOCS` (Datasette metadata, the README).

Versioning: `PRAGMA user_version` holds the schema version, `PRAGMA application_id` marks the file as
ours. `check_archive_file` reads both through a read-only connection BEFORE anything writes, so a file
that is not SQLite, is someone else's database or comes from a newer program is never modified.
Migrations only go forward; each runs in one transaction together with its version bump.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from scraper.errors import NotAnArchiveError, SchemaTooNewError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
# The database header: magic string, then fixed fields up to offset 100.
_HEADER_SIZE = 100
# PRAGMA application_id of every archive: "NwsA" as a big-endian int32.
APPLICATION_ID = 0x4E777341

MIGRATION_1 = """
CREATE TABLE articles (                 -- one row per article, however many URLs and fetches it had
    id INTEGER PRIMARY KEY,             -- the archive's own article id (`newsarchive show ID`)
    article_key TEXT NOT NULL UNIQUE,   -- dedup key: 'site/news_id', else 'url:' + normalized canonical URL
    site TEXT NOT NULL,                 -- site profile name, e.g. 'vybor-naroda.org'
    news_id TEXT,                       -- the CMS's article id (one sequence per site); NULL if the URL has none
    url TEXT NOT NULL,                  -- URL the current version was fetched from
    canonical_url TEXT,                 -- <link rel=canonical> of the current version, as the page gave it
    category TEXT,                      -- category slug from the URL, e.g. 'lentanovostey'
    headline TEXT,
    published_at TEXT,                  -- ISO 8601 with offset, e.g. '2025-12-07T16:16:00+03:00'
    published_text TEXT,                -- the date exactly as the page showed it
    photo_credit TEXT,                  -- photo source without its label; NULL when the page has none
    image_url TEXT,
    body TEXT,                          -- article text, paragraphs separated by a blank line
    content_hash TEXT NOT NULL,         -- sha256 over headline and body: a change makes a new version
    fetched_at TEXT NOT NULL,           -- fetch the current version's record came from
    warnings TEXT NOT NULL DEFAULT '[]',-- JSON list: fields the extractor could not find
    first_seen_at TEXT NOT NULL,        -- first fetch of this article (any version)
    last_seen_at TEXT NOT NULL,         -- latest fetch of this article (any version)
    last_changed_at TEXT NOT NULL,      -- first fetch of the current version
    version INTEGER NOT NULL DEFAULT 1  -- 1 + number of rows in `revisions`
);
CREATE UNIQUE INDEX articles_site_news_id ON articles (site, news_id) WHERE news_id IS NOT NULL;
CREATE INDEX articles_published_at ON articles (published_at);
CREATE INDEX articles_site_published_at ON articles (site, published_at);
CREATE INDEX articles_category ON articles (category);

CREATE TABLE article_urls (             -- every URL an article was seen under (hosts, print version, ...)
    url TEXT PRIMARY KEY,               -- normalized: lower-case host, no fragment, no tracking parameters
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX article_urls_article_id ON article_urls (article_id);

CREATE TABLE quotes (                   -- direct speech of the current version of an article
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- 0-based order in the article
    text TEXT NOT NULL,
    speaker TEXT,                       -- name as written ('Игорь Артамонов') or an organisation ('в облизбиркоме')
    speaker_role TEXT,                  -- role written before the name ('губернатор Липецкой области')
    verb TEXT,                          -- speech verb as written ('отметил')
    UNIQUE (article_id, position)
);
CREATE INDEX quotes_speaker ON quotes (speaker);

CREATE TABLE tags (                     -- tags of the current version of an article
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX tags_tag ON tags (tag);

CREATE TABLE sidebar_links (            -- the portal's timed news feed as shown beside the current version
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- article page it was seen on
    position INTEGER NOT NULL,          -- 0 = top (newest)
    title TEXT NOT NULL,
    url TEXT,
    time TEXT NOT NULL,                 -- 'HH:MM' as shown
    published_at TEXT,                  -- the time resolved against the fetch time, ISO 8601
    PRIMARY KEY (article_id, position)
);
CREATE INDEX sidebar_links_published_at ON sidebar_links (published_at);

CREATE TABLE revisions (                -- every earlier version of an article (the current one is in `articles`)
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,           -- the version number this content had
    headline TEXT,
    body TEXT,
    content_hash TEXT NOT NULL,
    url TEXT NOT NULL,                  -- URL this version was fetched from
    first_seen_at TEXT NOT NULL,        -- first fetch showing this version
    last_seen_at TEXT NOT NULL,         -- last fetch showing this version
    UNIQUE (article_id, version)
);

-- Full-text search. Columns headline/body/quotes index the words as written; the *_stem columns index
-- their Snowball stems (lower case, ё as е), one stem per word, so a stemmed match still highlights the
-- original word in snippet(). The content comes from the view below; the index is written by
-- scraper/fts.py only. Do not run the FTS5 'rebuild' command: it would index words, not stems, into the
-- *_stem columns (`newsarchive` rebuilds with Archive.rebuild_search_index()).
CREATE VIEW articles_search_content AS   -- the text each article contributes to articles_fts
SELECT
    a.id AS id,
    a.headline AS headline,
    a.body AS body,
    (SELECT group_concat(q.text, char(10)) FROM (
        SELECT text FROM quotes WHERE article_id = a.id ORDER BY position) AS q) AS quotes,
    a.headline AS headline_stem,
    a.body AS body_stem,
    (SELECT group_concat(q.text, char(10)) FROM (
        SELECT text FROM quotes WHERE article_id = a.id ORDER BY position) AS q) AS quotes_stem
FROM articles AS a;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    headline, body, quotes, headline_stem, body_stem, quotes_stem,
    content = 'articles_search_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The crawler's tables.
CREATE TABLE frontier (                 -- every URL the crawler knows and what became of it
    url TEXT PRIMARY KEY,               -- normalized
    kind TEXT,                          -- feed|listing|archive|sitemap|article|robots
    state TEXT,                         -- pending|in_flight|done|failed|skipped|gone
    attempts INTEGER,
    next_try_at TEXT,
    last_error TEXT,
    discovered_at TEXT,
    updated_at TEXT,
    last_fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    news_id TEXT,
    published_at TEXT,
    depth INTEGER,
    priority INTEGER
);
CREATE INDEX frontier_state_next_try_at ON frontier (state, next_try_at);
CREATE INDEX frontier_news_id ON frontier (news_id);

CREATE TABLE runs (                     -- one row per crawl run
    id INTEGER PRIMARY KEY,
    started_at TEXT,
    finished_at TEXT,
    state TEXT,                         -- running|done|failed|interrupted
    exit_code INTEGER,
    pid INTEGER,
    command TEXT,
    counts TEXT                         -- JSON object of counters
);

CREATE TABLE fetch_log (                -- one row per HTTP fetch
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs (id),
    url TEXT,
    kind TEXT,
    status INTEGER,
    outcome TEXT,
    bytes INTEGER,
    elapsed_ms INTEGER,
    error TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    warc_length INTEGER,
    fetched_at TEXT
);
CREATE INDEX fetch_log_url ON fetch_log (url);
"""

# Version 2: the crawler claims due URLs by walking this index in its ORDER BY's order and stopping at
# LIMIT, instead of sorting every pending row once per page (a full crawl queues the whole sitemap).
MIGRATION_2 = """
CREATE INDEX frontier_due ON frontier (state, priority DESC, discovered_at, url);
"""

# MIGRATIONS[n] takes an archive from version n to version n + 1. Append only; never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (MIGRATION_1, MIGRATION_2)
SCHEMA_VERSION = len(MIGRATIONS)

TABLE_DOCS: dict[str, str] = {
    "articles": "One row per article (deduplicated by site and news id, else canonical URL); its current version.",
    "article_urls": "Every URL an article was seen under: other hosts, the print version, tracking parameters.",
    "quotes": "Direct speech in the current version of each article: text, speaker, role, speech verb.",
    "tags": "Tags of the current version of each article.",
    "sidebar_links": "The portal's timed news feed as shown beside the current version of each article.",
    "revisions": "Every earlier version of an article: headline, body, hash and when it was seen.",
    "articles_fts": "Full-text index: words as written (headline, body, quotes) and their Russian stems (*_stem).",
    "frontier": "Crawler: every known URL, its kind and state.",
    "runs": "Crawler: one row per run.",
    "fetch_log": "Crawler: one row per HTTP fetch.",
}


@dataclass(frozen=True, slots=True)
class ArchiveFileState:
    """What `check_archive_file` found: whether the file exists and which schema version it has."""

    exists: bool
    version: int


def _refuse_from_header(path: Path, header: bytes) -> None:
    """Raise for another program's database or a newer schema, read off the file header's
    `user_version` (offset 60) and `application_id` (offset 68), both big-endian."""
    version = int.from_bytes(header[60:64], "big", signed=True)
    app_id = int.from_bytes(header[68:72], "big", signed=True)
    if version > 0 and app_id != APPLICATION_ID:
        raise NotAnArchiveError(f"{path}: a SQLite database, but not a newsarchive archive; nothing was changed")
    if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
        raise SchemaTooNewError(_too_new_message(path, version))


def _too_new_message(path: Path, version: int) -> str:
    return (
        f"{path}: archive schema version {version} is newer than this program's ({SCHEMA_VERSION}); upgrade newsarchive"
    )


def check_archive_file(path: Path) -> ArchiveFileState:
    """Decide whether `path` may be opened as an archive, without writing to it.

    Raises:
        NotAnArchiveError: not a SQLite file, or a SQLite database of another program.
        SchemaTooNewError: written by a newer version of this program.
        StoreError: a directory, or unreadable.
    """
    if not path.exists():
        return ArchiveFileState(exists=False, version=0)
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not an archive file")
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from exc
    if not header:
        return ArchiveFileState(exists=True, version=0)  # an empty file is an empty database
    if not header.startswith(SQLITE_HEADER):
        raise NotAnArchiveError(f"{path}: not a SQLite database (not an archive); nothing was changed")
    if len(header) == _HEADER_SIZE and not path.with_name(path.name + "-wal").exists():
        # No write-ahead log: the header is current, and refusing from it opens no connection, which in
        # WAL mode would leave -wal and -shm files beside a file we must not touch.
        _refuse_from_header(path, header)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotAnArchiveError(f"{path}: not a readable SQLite database ({exc}); nothing was changed") from exc
    if (version > 0 or tables > 0) and app_id != APPLICATION_ID:
        raise NotAnArchiveError(f"{path}: a SQLite database, but not a newsarchive archive; nothing was changed")
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(_too_new_message(path, version))
    return ArchiveFileState(exists=True, version=version)


def configure_connection(conn: sqlite3.Connection) -> None:
    """Per-connection settings: WAL so researchers read while a crawl writes, enforced foreign keys."""
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(f"cannot switch the archive to WAL mode (journal_mode is {mode})")
    # WAL + NORMAL: a killed process never corrupts the file; only a power loss may drop the last commits.
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(conn: sqlite3.Connection, from_version: int) -> int:
    """Apply every migration after `from_version`, each in its own transaction; return the new version.

    `conn` must be in autocommit mode (isolation_level=None).
    """
    version = from_version
    for index in range(from_version, SCHEMA_VERSION):
        script = MIGRATIONS[index]
        try:
            conn.executescript(
                "BEGIN IMMEDIATE;\n"
                f"{script}\n"
                f"PRAGMA application_id = {APPLICATION_ID};\n"
                f"PRAGMA user_version = {index + 1};\n"
                "COMMIT;"
            )
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"migrating the archive to schema version {index + 1} failed: {exc}") from exc
        version = index + 1
    return version
