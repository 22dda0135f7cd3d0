"""Extract + store: one fetched or saved page into the archive.

`ingest_page` is the one path from page bytes to an archived article; the crawler, `reextract` and
`newsarchive ingest` (saved pages, no network) all go through it. `saved_pages`, `saved_files` and
`file_fetched_at` serve the offline case: which files to read, where each was saved from, and when.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

from scraper.errors import ExtractError, InputError, UnknownSiteError
from scraper.extract import extract_article
from scraper.sites import profile_for_url
from scraper.store import Archive, UpsertResult
from scraper.urls import parse_article_url

PAGE_SUFFIXES = (".html", ".htm")
# A saved site's folder page: wget, our mirror and most browsers save `/dir/` as `dir/index.html`.
FOLDER_PAGE = "index.html"
# Characters a URL path may carry as they are (RFC 3986 pchar and "/"); the rest is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def ingest_page(
    archive: Archive,
    body: bytes | str,
    *,
    url: str,
    fetched_at: str | None = None,
    header_charset: str | None = None,
    refresh: bool = False,
) -> UpsertResult:
    """Extract the article on a page and store it (one transaction); `refresh` as in `Archive.upsert_article`.

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
    return archive.upsert_article(article, seen_at=article.fetched_at, refresh=refresh)


def is_article_page(url: str) -> bool:
    """True when the site's profile reads `url` as an article (its normal or print version).

    Raises:
        UnknownSiteError: no site profile covers the URL.
    """
    return parse_article_url(url, profile_for_url(url)) is not None


def _folder_files(folder: Path) -> list[Path]:
    """Every file below `folder`, sorted, broken symbolic links included (reading one fails, so it is
    counted, not lost). Links to folders are not followed: a loop cannot hang the walk, nor a link make a
    page count twice."""
    return sorted(p for p in folder.rglob("*") if p.is_file() or (p.is_symlink() and not p.exists()))


def saved_pages(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to ingest: each file given, and every *.html/*.htm below each directory, sorted.

    Raises:
        InputError: a path does not exist.
    """
    for path in paths:
        if path.is_dir():
            yield from (p for p in _folder_files(path) if p.suffix.lower() in PAGE_SUFFIXES)
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def file_fetched_at(path: Path) -> str:
    """When a saved page was saved, as far as the file knows: its modification time (UTC, ISO 8601)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class SavedFile:
    """A file to ingest and, when a base URL places it, the address it was saved from."""

    path: Path
    url: str | None


def check_base_url(base_url: str) -> str:
    """Validate `--base-url`: an absolute http(s) URL without query or fragment; returned without a final '/'.

    Raises:
        InputError: not such a URL.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(f"--base-url {base_url!r}: give the site's address, e.g. http://2018.vybor-naroda.org")
    return base_url.rstrip("/")


def url_under_base(base_url: str, relative: PurePosixPath) -> str:
    """The address of a file saved at `relative` below a folder that mirrors `base_url`.

    `a/index.html` stands for the folder `a/`; other characters are percent-encoded as a URL path needs.
    """
    path = relative.as_posix()
    if relative.name == FOLDER_PAGE:
        path = path[: -len(FOLDER_PAGE)]
    return check_base_url(base_url) + "/" + quote(path, safe=_PATH_SAFE)


def saved_files(paths: Iterable[Path], *, base_url: str | None = None) -> Iterator[SavedFile]:
    """The files to ingest, with their addresses when `base_url` gives them.

    Without `base_url`: `saved_pages` (a page must then name its own address). With it: every file below
    each folder, sorted, its address the base URL plus its path in the folder, so feeds, robots.txt and
    listings are known for what they are before they are read.

    Raises:
        InputError: a path does not exist, or a file is named directly together with `base_url`.
        UnknownSiteError: no site profile covers `base_url`.
    """
    if base_url is None:
        yield from (SavedFile(path, None) for path in saved_pages(paths))
        return
    base = check_base_url(base_url)
    try:
        profile_for_url(base + "/")
    except UnknownSiteError as exc:
        raise UnknownSiteError(f"--base-url {base_url!r}: {exc}") from exc
    for folder in paths:
        if not folder.is_dir():
            if folder.exists():
                raise InputError(f"{folder}: --base-url places the files of a folder; give the folder, or --url")
            raise InputError(f"{folder}: no such file or directory")
        for path in _folder_files(folder):
            yield SavedFile(path, url_under_base(base, PurePosixPath(path.relative_to(folder).as_posix())))
