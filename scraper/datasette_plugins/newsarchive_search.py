"""Research stage, Datasette plugin: Russian stemmed search inside Datasette.

`newsarchive browse` loads this folder with `datasette serve --plugins-dir` (so it needs no entry point
and touches no other Datasette the user runs). On every connection to a newsarchive archive (told by
`PRAGMA application_id`; Datasette's own and other databases are left alone) it registers:

- `ru_stem(text)`: the Snowball stems of the words of `text`, space-separated: what the `*_stem`
  columns of `articles_fts` index, for hand-written SQL (`... MATCH 'body_stem: ' || ru_stem(:word)`);
- `ru_match(query)`: a researcher's query as the FTS5 MATCH expression over the stem columns, exactly
  as `newsarchive search` builds it (FTS5 syntax kept, every word stemmed); the canned query `search`
  of the metadata (scraper/browse.py) ranks with it;
- `escape_fts(query)`: Datasette's own function, which its table search box (`?_search=`) wraps the
  typed text in, replaced by `ru_match`, so the `articles` search box finds every form of a word.
  `trylast` makes this run after Datasette registered its version.

A query without any word (an empty search box) becomes `""`, which matches nothing instead of failing.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from scraper import fts
from scraper.errors import InputError
from scraper.schema import APPLICATION_ID

NO_MATCH = '""'


def ru_match(query: str | None) -> str | None:
    """`fts.build_match_query` for SQL; a query without words matches nothing."""
    if query is None:
        return None
    try:
        return fts.build_match_query(query)
    except InputError:
        return NO_MATCH


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return
    conn.create_function("ru_stem", 1, fts.stem_text, deterministic=True)
    conn.create_function("ru_match", 1, ru_match, deterministic=True)
    conn.create_function("escape_fts", 1, ru_match, deterministic=True)
