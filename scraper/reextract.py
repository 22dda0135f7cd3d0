"""Rebuild stage: records again from the raw archive (WARC files), offline, after an extractor change.

Takes the article fetches that `fetch_log` points into the WARC files (oldest first, optionally only
those since a date), reads each response back with `read_warc_response`, and hands it to
`ingest_page`, the same extract + dedup + revision path a crawl uses, with the original fetch time.
The fetch a version was built from also rewrites that version's other fields, quotes, tags and sidebar
(`refresh`), so an extractor change reaches them even where headline and body stay the same.
Nothing is fetched. A response saved from a mirror (`--base-url`) carries the mirror's address; it is
mapped back to the site's address the archive recorded, as the crawl did.

A record that is missing, torn, damaged or fails its digest (scraper/warc.py checks each one) counts
as `failed` with a one-line warning naming the file and offset; it is never extracted, so a damaged
WARC file cannot make a new version. A WARC folder that is not there is a configuration error
(InputError), raised before the archive or its lock is touched.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scraper.encoding import charset_from_content_type
from scraper.errors import ExtractError, InputError, StoreError
from scraper.ingest import ingest_page
from scraper.lock import RunLock
from scraper.store import Archive
from scraper.urls import origin_of
from scraper.warc import WarcRecordError, WarcRef, read_warc_response

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReextractReport:
    """Outcomes per fetch replayed: new, updated, unchanged, failed (unreadable record or page)."""

    counts: dict[str, int]

    def summary(self) -> str:
        c = self.counts
        total = sum(c.values())
        return (
            f"reextracted {total} pages: new {c.get('new', 0)}, updated {c.get('updated', 0)}, "
            f"unchanged {c.get('unchanged', 0)}, failed {c.get('failed', 0)}"
        )


def reextract(
    db_path: Path,
    *,
    warc_dir: Path | None = None,
    since: date | None = None,
    on_progress: Callable[[Counter[str]], None] | None = None,
) -> ReextractReport:
    """Replay archived article responses through extraction and the store.

    Raises:
        ArchiveLockedError: a crawl holds the archive.
        StoreError: no archive at `db_path`, or it cannot be written.
        InputError: the WARC folder is not there (nothing was touched).
    """
    directory = warc_dir or db_path.parent / "warc"
    # Refused before the lock file is made: no archive, or no WARC folder.
    if not db_path.exists():
        raise StoreError(f"{db_path}: no archive here (create one with `newsarchive ingest` or `newsarchive crawl`)")
    check_warc_folder(directory, given=warc_dir is not None)
    counts: Counter[str] = Counter()
    lock = RunLock(db_path)
    lock.acquire()
    try:
        archive = Archive.open(db_path, create=False)
    except BaseException:
        lock.release(discard=True)  # a refused file keeps no lock file of ours beside it
        raise
    try:
        with archive:
            _replay_all(archive, directory, since, counts, on_progress)
    finally:
        lock.release()
    return ReextractReport(dict(counts))


def _replay_all(
    archive: Archive,
    directory: Path,
    since: date | None,
    counts: Counter[str],
    on_progress: Callable[[Counter[str]], None] | None,
) -> None:
    query = (
        "SELECT id, url, warc_file, warc_offset, warc_length, fetched_at FROM fetch_log "
        "WHERE id > ? AND kind = 'article' AND status = 200 AND warc_file IS NOT NULL "
        "AND outcome IN ('new', 'updated', 'unchanged')"
    )
    extra: tuple[str, ...] = ()
    if since is not None:
        query += " AND fetched_at >= ?"
        extra = (since.isoformat(),)
    query += " ORDER BY id LIMIT 500"
    # The work list is read in pages of ids, so memory stays flat however long the log.
    last_id = 0
    while rows := archive.conn.execute(query, (last_id, *extra)).fetchall():
        for row_id, url, warc_file, offset, length, fetched_at in rows:
            last_id = row_id
            counts[_replay(archive, directory, url, WarcRef(warc_file, offset, length), fetched_at)] += 1
            if on_progress is not None:
                on_progress(counts)


def check_warc_folder(directory: Path, *, given: bool) -> None:
    """Raise InputError unless `directory` is a folder (`given`: named by --warc-dir, else the default)."""
    if directory.is_dir():
        return
    if given:
        problem = "not a folder" if directory.exists() else "no such folder"
        raise InputError(f"{directory}: {problem} (--warc-dir); nothing was changed")
    problem = "a file, not the WARC folder" if directory.exists() else "no WARC folder here"
    raise InputError(
        f"{directory}: {problem} (the crawl keeps its WARC files in warc/ beside the archive; "
        "name another folder with --warc-dir); nothing was changed"
    )


def _replay(archive: Archive, directory: Path, url: str, ref: WarcRef, fetched_at: str) -> str:
    try:
        response = read_warc_response(directory, ref)
    except WarcRecordError as exc:
        log.warning("cannot re-extract %s: %s at offset %d: %s", url, ref.file, ref.offset, exc.reason)
        return "failed"
    except OSError as exc:
        log.warning("cannot re-extract %s: %s at offset %d: %s", url, ref.file, ref.offset, exc.strerror or exc)
        return "failed"
    body = response.body
    saved_from, recorded = origin_of(response.url), origin_of(url)
    if saved_from != recorded:
        body = body.replace(saved_from.encode("ascii"), recorded.encode("ascii"))
    content_type = next((v for k, v in response.headers if k.lower() == "content-type"), None)
    try:
        result = ingest_page(
            archive,
            body,
            url=url,
            fetched_at=fetched_at,
            header_charset=charset_from_content_type(content_type),
            refresh=True,
        )
    except (ExtractError, InputError) as exc:
        log.warning("cannot extract %s: %s", url, exc)
        return "failed"
    return result.outcome
