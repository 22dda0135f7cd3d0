"""Extract + store: one fetched or saved page into the archive.

`ingest_page` is the one path from page bytes to an archived article; the crawler, `reextract` and
`newsarchive ingest` (saved pages, no network) all go through it. `saved_pages` and `file_fetched_at`
serve the offline case: which files to read, and when a saved page was saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from scraper.errors import ExtractError, InputError
from scraper.extract import extract_article
from scraper.sites import profile_for_url
from scraper.store import Archive, UpsertResult
from scraper.urls import parse_article_url

PAGE_SUFFIXES = (".html", ".htm")


def ingest_page(
    archive: Archive,
    body: bytes | str,
    *,
    url: str,
    fetched_at: str | None = None,
    header_charset: str | None = None,
) -> UpsertResult:
    """Extract the article on a page and store it (one transaction).

    Raises:
        UnknownSiteError: no site profile covers the URL.
        ExtractError: the URL is not an article page (a listing, date archive, ...), or the page is no article.
        StoreError: the archive could not be written.
    """
    if not is_article_page(url):
        raise ExtractError(f"{url}: not an article page (a listing, archive or other page); not stored")
    try:
        article = extract_article(body, url=url, fetched_at=fetched_at, header_charset=header_charset)
    except ValueError as exc:
        raise InputError(f"{url}: {exc}") from exc
    return archive.upsert_article(article, seen_at=article.fetched_at)


def is_article_page(url: str) -> bool:
    """True when the site's profile reads `url` as an article (its normal or print version).

    Raises:
        UnknownSiteError: no site profile covers the URL.
    """
    return parse_article_url(url, profile_for_url(url)) is not None


def saved_pages(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to ingest: each file given, and every *.html/*.htm below each directory, sorted.

    Raises:
        InputError: a path does not exist.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def file_fetched_at(path: Path) -> str:
    """When a saved page was saved, as far as the file knows: its modification time (UTC, ISO 8601)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()
