"""Rebuild stage: records again from the raw archive (WARC files), offline, after an extractor change.

Takes the article fetches that `fetch_log` points into the WARC files (oldest first, optionally only
those since a date), reads each response back with `read_warc_response`, and hands it to
`ingest_page`, the same extract + dedup + revision path a crawl uses, with the original fetch time.
The fetch a version was built from also rewrites that version's other fields, quotes, tags and sidebar
(`refresh`), so an extractor change reaches them even where headline and body stay the same.
Nothing is fetched. A response saved from a mirror (`--base-url`) carries the mirror's address; it is
mapped back to the site's address the archive recorded, as the crawl did.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scraper.encoding import charset_from_content_type
from scraper.errors import ExtractError, InputError
from scraper.ingest import ingest_page
from scraper.lock import RunLock
from scraper.store import Archive
from scraper.urls import origin_of
from scraper.warc import WarcRef, read_warc_response

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
    """
    directory = warc_dir or db_path.parent / "warc"
    counts: Counter[str] = Counter()
    with RunLock(db_path), Archive.open(db_path, create=False) as archive:
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
    return ReextractReport(dict(counts))


def _replay(archive: Archive, directory: Path, url: str, ref: WarcRef, fetched_at: str) -> str:
    try:
        response = read_warc_response(directory, ref)
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s at %s:%d: %s", url, ref.file, ref.offset, exc)
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
