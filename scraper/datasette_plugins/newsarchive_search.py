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

Per-column search (`?_search_headline=`, `_search_body=`, `_search_quotes=`): Datasette runs it as
`headline MATCH escape_fts(:q)`, and FTS5 intersects that column with the stem columns `ru_match` names,
which never matches. No SQL function can see which column it serves, so an ASGI wrapper renames those
parameters, on requests to an archive and unless `_searchmode=raw`, to the stem column of the same text
(`_search_headline_stem=`): a per-column search then finds every form of a word, like the search box.
With `_searchmode=raw` the query goes to FTS5 as typed, over the words as written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from datasette import hookimpl
from datasette.utils import tilde_decode

from scraper import fts
from scraper.errors import InputError
from scraper.schema import APPLICATION_ID

NO_MATCH = '""'
# `_search_<text column>` → `_search_<its stem column>` (the columns of `articles_fts`).
STEM_SEARCH_PARAMS = {f"_search_{name}": f"_search_{name}_stem" for name in fts.TEXT_COLUMNS}

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def ru_match(query: str | None) -> str | None:
    """`fts.build_match_query` for SQL; a query without words matches nothing."""
    if query is None:
        return None
    try:
        return fts.build_match_query(query)
    except InputError:
        return NO_MATCH


def _is_archive(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID)


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    if not _is_archive(conn):
        return
    conn.create_function("ru_stem", 1, fts.stem_text, deterministic=True)
    conn.create_function("ru_match", 1, ru_match, deterministic=True)
    conn.create_function("escape_fts", 1, ru_match, deterministic=True)


def stem_column_query_string(query_string: bytes) -> bytes:
    """The query string with `_search_headline`/`_search_body`/`_search_quotes` renamed to their stem
    columns' parameters (values and every other parameter byte for byte); as it was with `_searchmode=raw`."""
    parts = query_string.split(b"&")
    keys = [unquote_plus(part.partition(b"=")[0].decode("latin-1")) for part in parts]
    if not any(key in STEM_SEARCH_PARAMS for key in keys):
        return query_string
    if any(key == "_searchmode" and part.partition(b"=")[2] == b"raw" for key, part in zip(keys, parts, strict=True)):
        return query_string
    renamed = [
        quote_plus(STEM_SEARCH_PARAMS[key]).encode("ascii") + part[len(part.partition(b"=")[0]) :]
        if key in STEM_SEARCH_PARAMS
        else part
        for key, part in zip(keys, parts, strict=True)
    ]
    return b"&".join(renamed)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    archives: dict[str, bool] = {}

    async def serves_archive(scope: Scope) -> bool:
        """Whether the request is for a table (or row) of an archive database."""
        path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1").partition("?")[0]
        base_url = datasette.setting("base_url")
        if base_url != "/" and path.startswith(base_url):
            path = "/" + path[len(base_url) :]
        segments = path.split("/")
        if len(segments) < 3 or not segments[2]:
            return False
        route = tilde_decode(segments[1])
        if route not in archives:
            try:
                database = datasette.get_database(route=route)
            except KeyError:
                return False
            result = await database.execute("PRAGMA application_id")
            archives[route] = result.first()[0] == APPLICATION_ID
        return archives[route]

    def wrap(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]):
            query_string = scope.get("query_string") or b""
            if scope.get("type") == "http" and query_string:
                renamed = stem_column_query_string(query_string)
                if renamed != query_string and await serves_archive(scope):
                    scope = dict(scope, query_string=renamed)
            await app(scope, receive, send)

        return wrapped

    return wrap
