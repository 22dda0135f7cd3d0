"""The frontier's per-page queries against its size: why a 100 000-article crawl is slower per page.

    uv run python -m bench.frontier_queries [--sizes 1000 10000 50000 100000]

py-spy on a full crawl of the 100 000-article mirror showed `Frontier.next_batch` and
`Frontier.pending_count` taking most of the crawler's time: a full crawl puts every article of the
sitemap in the frontier first, and both queries cost time in proportion to the pending rows, once per
page. This times, on frontiers of N pending article rows (the real schema, via Archive.open), the
claim query as it was before commit 26af8bb (one sort of every due row: the OR defeats the index)
beside the one that commit introduced (the `frontier_due` index of schema v2, walked twice, stopping
at LIMIT), checks they return the same rows, and times `pending_count` and today's `next_batch`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import save, table
from scraper.frontier import _COLUMNS, Frontier
from scraper.store import Archive

PROPOSED_INDEX = "CREATE INDEX IF NOT EXISTS frontier_due ON frontier (state, priority DESC, discovered_at, url)"
_ORDER = "ORDER BY priority DESC, discovered_at, url LIMIT ?"


def fill(archive: Archive, size: int) -> None:
    """`size` pending articles and as many done ones, as a full crawl's frontier has half-way."""
    start = datetime(2026, 3, 5, tzinfo=UTC)
    rows = []
    for i in range(2 * size):
        stamp = (start + timedelta(milliseconds=i)).isoformat()
        state = "pending" if i >= size else "done"
        rows.append((f"http://2018.vybor-naroda.org/politika/{200000 + i}-x.html", "article", state, 0, stamp, stamp,
                     str(200000 + i), 1, 10))  # fmt: skip
    with archive.conn:
        archive.conn.executemany(
            "INSERT INTO frontier (url, kind, state, attempts, discovered_at, updated_at, news_id, depth, priority) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def proposed_due(archive: Archive, now: str, limit: int) -> list[tuple]:
    """The rows next_batch selects, by two index walks instead of one sort of every due row."""
    conn = archive.conn
    pending = conn.execute(
        f"SELECT {_COLUMNS}, priority, discovered_at FROM frontier "
        f"WHERE state = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?) {_ORDER}",
        (now, limit),
    ).fetchall()
    retry = conn.execute(
        f"SELECT {_COLUMNS}, priority, discovered_at FROM frontier "
        f"WHERE state = 'failed' AND next_try_at IS NOT NULL AND next_try_at <= ? {_ORDER}",
        (now, limit),
    ).fetchall()
    merged = sorted(pending + retry, key=lambda r: (-(r[-2] or 0), r[-1] or "", r[0]))[:limit]
    return [r[:-2] for r in merged]


def current_due(archive: Archive, now: str, limit: int) -> list[tuple]:
    """next_batch's SELECT as it is (without the claim)."""
    return archive.conn.execute(
        f"SELECT {_COLUMNS} FROM frontier "
        "WHERE (state = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?)) "
        "OR (state = 'failed' AND next_try_at IS NOT NULL AND next_try_at <= ?) "
        f"{_ORDER}",
        (now, now, limit),
    ).fetchall()


def per_call_ms(func: object, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        func()  # type: ignore[operator]
    return (time.perf_counter() - started) / repeat * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    rows = []
    results = []
    now = datetime(2026, 3, 6, tzinfo=UTC).isoformat()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Archive.open(Path(tmp) / "archive.db")
            archive.conn.execute("DROP INDEX IF EXISTS frontier_due")  # schema v2 has it: time without first
            fill(archive, size)
            frontier = Frontier(archive.db)
            before_select = per_call_ms(lambda a=archive: current_due(a, now, 4), args.repeat)
            before_count = per_call_ms(frontier.pending_count, args.repeat)
            archive.conn.execute(PROPOSED_INDEX)
            archive.conn.execute("ANALYZE")
            same = current_due(archive, now, 4) == proposed_due(archive, now, 4)
            after_select = per_call_ms(lambda a=archive: proposed_due(a, now, 4), args.repeat)
            after_count = per_call_ms(frontier.pending_count, args.repeat)
            # Today's claim as the crawler makes it (marks 4 rows in flight per call).
            claim = per_call_ms(lambda f=frontier: f.next_batch(4), args.repeat)
            archive.close()
        result = {
            "pending": size,
            "next_batch_ms": claim,
            "select_ms_now": before_select,
            "select_ms_proposed": after_select,
            "pending_count_ms_now": before_count,
            "pending_count_ms_with_index": after_count,
            "same_rows": same,
        }
        results.append(result)
        rows.append([f"{size:,}", f"{claim:.2f}", f"{before_select:.2f}", f"{after_select:.3f}", f"{before_count:.2f}",
                     f"{after_count:.2f}", same])  # fmt: skip
    print(table(["pending rows", "next_batch(4) ms today", "SELECT before 26af8bb ms", "SELECT since ms",
                 "pending_count ms", "pending_count ms (with the index)", "same rows"], rows))  # fmt: skip
    save("frontier_queries", {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
