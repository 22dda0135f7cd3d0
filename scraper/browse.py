"""Research stage, Datasette: the metadata and command line that open an archive in a browser.

Datasette is an optional extra (`uv run --extra browse newsarchive browse`). The metadata comes from the
schema's own descriptions (scraper.schema.TABLE_DOCS), sets facets on category and speaker, points the
`articles` table's search box at `articles_fts`, and adds the canned query `search` (stemmed, ranked by
bm25 like `newsarchive search`, with a snippet). Stemming inside Datasette comes from the plugin in
`scraper/datasette_plugins/` (SQL functions `ru_stem`, `ru_match`, a stemming `escape_fts` for the
search box, and per-column searches `?_search_headline=` etc. sent to the stem columns), loaded with
`--plugins-dir`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from scraper import fts
from scraper.research import HIGHLIGHT, SNIPPET_TOKENS
from scraper.schema import TABLE_DOCS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
INSTALL_HINT = "uv run --extra browse newsarchive browse"
PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"
SEARCH_LIMIT = 100
# The canned query `search`: `newsarchive search` in SQL (same stemming, weights and snippet).
SEARCH_SQL = (
    "SELECT a.id, a.published_at, a.category, a.headline,\n"
    f"  snippet(articles_fts, -1, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '…', {SNIPPET_TOKENS}) AS snippet, a.url\n"
    "FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid\n"
    "WHERE articles_fts MATCH ru_match(:q)\n"
    f"ORDER BY bm25(articles_fts, {', '.join(str(w) for w in fts.BM25_WEIGHTS)}), a.id\n"
    f"LIMIT {SEARCH_LIMIT}"
)

_HIDDEN = ("articles_fts_config", "articles_fts_data", "articles_fts_docsize", "articles_fts_idx")
_TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "articles": {
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "facets": ["category", "site"],
        "sort_desc": "published_at",
        "label_column": "headline",
    },
    "quotes": {"facets": ["speaker", "verb"]},
    "tags": {"facets": ["tag"]},
    "revisions": {"sort_desc": "first_seen_at"},
    "frontier": {"facets": ["state", "kind"]},
    "fetch_log": {"facets": ["outcome", "status"]},
}


def datasette_available() -> bool:
    """Whether this interpreter can import Datasette (the `browse` extra)."""
    return importlib.util.find_spec("datasette") is not None


def datasette_metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata for an archive file whose stem is `database_name`."""
    tables: dict[str, dict[str, Any]] = {}
    for table, description in TABLE_DOCS.items():
        tables[table] = {"description": description, **_TABLE_OPTIONS.get(table, {})}
    for table in _HIDDEN:
        tables[table] = {"hidden": True}
    return {
        "title": "newsarchive",
        "description": "A deduplicated archive of news articles with their quotes, tags and earlier versions.",
        "databases": {
            database_name: {
                "tables": tables,
                "queries": {
                    "search": {
                        "title": "Search (every form of a word)",
                        "description": "Stemmed full-text search over headline, body and quotes, best match "
                        'first, matched words in [...]; FTS5 syntax: "phrase", OR, NOT, prefix*.',
                        "sql": SEARCH_SQL,
                    }
                },
            }
        },
    }


def datasette_command(
    db_path: Path, metadata_path: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> list[str]:
    """The `datasette serve` command line for an archive (run with this interpreter)."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db_path),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "facet_time_limit_ms",
        "1000",
    ]
