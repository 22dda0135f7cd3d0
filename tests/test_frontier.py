"""The frontier over a real archive file: enqueue, claim, outcomes, backoff, recovery after a crash."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.frontier import Frontier, FrontierEntry
from scraper.store import Archive

HOME = "http://2018.vybor-naroda.org"
A1 = f"{HOME}/politika/296402-a.html"
A2 = f"{HOME}/politika/296403-b.html"
START = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


@pytest.fixture
def frontier(archive: Archive, clock: Clock) -> Frontier:
    return Frontier(archive.db, clock=clock, max_attempts=3, retry_base=60)


def test_enqueue_is_idempotent_and_keeps_state(frontier: Frontier) -> None:
    assert frontier.enqueue(A1, "article", news_id="296402") is True
    assert frontier.enqueue(A1, "article", news_id="296402") is False
    [entry] = frontier.next_batch(10)
    frontier.mark_done(entry.url, etag='"e1"')
    assert frontier.enqueue(A1, "article", news_id="296402") is False
    assert frontier.get(A1) == FrontierEntry(
        url=A1,
        kind="article",
        state="done",
        attempts=1,
        depth=0,
        news_id="296402",
        published_at=None,
        etag='"e1"',
        last_modified=None,
        last_fetched_at="2026-03-05T12:00:00+00:00",
    )


def test_same_article_on_another_host_is_not_queued_twice(frontier: Frontier) -> None:
    assert frontier.enqueue(A1, "article", news_id="296402") is True
    assert frontier.enqueue("http://vybor-naroda.org/politika/296402-a.html", "article", news_id="296402") is False
    assert frontier.counts_by_state()["pending"] == 1


def test_refresh_reopens_only_pages_fetched_before_the_moment(frontier: Frontier, clock: Clock) -> None:
    frontier.enqueue(f"{HOME}/", "listing")
    frontier.mark_done(frontier.next_batch(1)[0].url)
    assert frontier.enqueue(f"{HOME}/", "listing", refresh_before=clock.now) is False
    clock.advance(60)
    assert frontier.enqueue(f"{HOME}/", "listing", refresh_before=clock.now) is True
    assert frontier.get(f"{HOME}/").state == "pending"  # type: ignore[union-attr]


def test_next_batch_claims_by_priority_then_age(frontier: Frontier, clock: Clock) -> None:
    frontier.enqueue(f"{HOME}/", "listing")
    clock.advance(1)
    frontier.enqueue(A1, "article", news_id="296402")
    clock.advance(1)
    frontier.enqueue(f"{HOME}/rss.xml", "feed")
    clock.advance(1)
    frontier.enqueue(A2, "article", news_id="296403")
    batch = frontier.next_batch(3)
    assert [(e.url, e.state, e.attempts) for e in batch] == [
        (f"{HOME}/rss.xml", "pending", 0),
        (A1, "pending", 0),
        (A2, "pending", 0),
    ]
    assert frontier.get(A1).state == "in_flight"  # type: ignore[union-attr]
    assert [e.url for e in frontier.next_batch(3)] == [f"{HOME}/"]
    assert frontier.next_batch(3) == []
    assert frontier.pending_count() == 4


def test_failures_back_off_then_give_up(frontier: Frontier, clock: Clock) -> None:
    frontier.enqueue(A1, "article", news_id="296402")
    frontier.next_batch(1)
    assert frontier.mark_failed(A1, "HTTPStatusError: HTTP 503") is True
    assert frontier.next_retry_at() == "2026-03-05T12:01:00+00:00"
    assert frontier.next_batch(1) == []
    clock.advance(60)
    frontier.next_batch(1)
    assert frontier.mark_failed(A1, "HTTPStatusError: HTTP 503", retry_after=30) is True
    assert frontier.next_retry_at() == "2026-03-05T12:03:00+00:00"
    clock.advance(120)
    frontier.next_batch(1)
    assert frontier.mark_failed(A1, "UnreachableError: timed out", retry_after=900) is False
    row = frontier.get(A1)
    assert (row.state, row.attempts) == ("failed", 3)  # type: ignore[union-attr]
    assert frontier.next_retry_at() is None
    assert frontier.pending_count() == 0
    clock.advance(10**6)
    assert frontier.next_batch(1) == []


def test_retry_after_longer_than_backoff_is_honoured(frontier: Frontier) -> None:
    frontier.enqueue(A1, "article")
    frontier.next_batch(1)
    frontier.mark_failed(A1, "HTTPStatusError: HTTP 429", retry_after=600)
    assert frontier.next_retry_at() == "2026-03-05T12:10:00+00:00"


def test_final_failure_gone_and_skipped_are_not_retried(frontier: Frontier) -> None:
    for url in (A1, A2, f"{HOME}/x/"):
        frontier.enqueue(url, "article")
    frontier.next_batch(3)
    assert frontier.mark_failed(A1, "TooLargeError: over the cap", final=True) is False
    frontier.mark_gone(A2, "HTTP 404")
    frontier.mark_skipped(f"{HOME}/x/", "RobotsDisallowedError: disallowed")
    assert frontier.counts_by_state() == {
        "pending": 0,
        "in_flight": 0,
        "done": 0,
        "failed": 1,
        "skipped": 1,
        "gone": 1,
    }
    assert frontier.get(A2).state == "gone"  # type: ignore[union-attr]
    assert frontier.next_batch(5) == []


def test_recover_in_flight_after_a_killed_run(archive: Archive, tmp_path: Path, clock: Clock) -> None:
    frontier = Frontier(archive.db, clock=clock)
    frontier.enqueue(A1, "article")
    frontier.enqueue(A2, "article")
    frontier.next_batch(2)
    archive.close()
    # A new process opens the same file: the claimed rows are still in flight until recovered.
    with Archive.open(tmp_path / "archive.db") as reopened:
        again = Frontier(reopened.db, clock=clock)
        assert again.counts_by_state()["in_flight"] == 2
        assert again.recover_in_flight() == 2
        assert [e.url for e in again.next_batch(5)] == [A1, A2]


def test_release_gives_back_an_unfetched_claim(frontier: Frontier) -> None:
    frontier.enqueue(A1, "article")
    frontier.next_batch(1)
    frontier.release(A1)
    row = frontier.get(A1)
    assert (row.state, row.attempts) == ("pending", 0)  # type: ignore[union-attr]


def test_reopen_recent_articles_for_a_revisit(frontier: Frontier, clock: Clock) -> None:
    frontier.enqueue(A1, "article", published_at="2026-03-05T10:00:00+03:00")
    frontier.enqueue(A2, "article", published_at="2026-02-01T10:00:00+03:00")
    for entry in frontier.next_batch(2):
        frontier.mark_done(entry.url)
    clock.advance(3600)
    reopened = frontier.reopen_recent_articles(
        published_since=clock.now - timedelta(hours=48), fetched_before=clock.now
    )
    assert reopened == 1
    assert frontier.get(A1).published_at == "2026-03-05T07:00:00+00:00"  # type: ignore[union-attr]
    assert [e.url for e in frontier.next_batch(5)] == [A1]
    assert frontier.reopen_recent_articles(published_since=START - timedelta(days=90), fetched_before=START) == 0


def test_urls_of_kind(frontier: Frontier) -> None:
    frontier.enqueue(f"{HOME}/politika/", "listing")
    frontier.enqueue(f"{HOME}/", "listing")
    frontier.enqueue(A1, "article")
    assert list(frontier.urls_of_kind("listing")) == [f"{HOME}/", f"{HOME}/politika/"]


def test_next_batch_merges_due_retries_with_pending_in_queue_order(frontier: Frontier, clock: Clock) -> None:
    urls = [f"{HOME}/politika/{290000 + i}-x.html" for i in range(5)]
    for url in urls:
        frontier.enqueue(url, "article")
        clock.advance(1)
    [first] = frontier.next_batch(1)
    assert first.url == urls[0]
    frontier.mark_failed(first.url, "UnreachableError: timed out")
    clock.advance(3600)  # the retry is due now, and it was discovered first
    assert [e.url for e in frontier.next_batch(3)] == urls[:3]
    assert [e.url for e in frontier.next_batch(10)] == urls[3:]


def test_claiming_walks_the_due_index(archive: Archive) -> None:
    plan = " ".join(
        row[3]
        for row in archive.conn.execute(
            "EXPLAIN QUERY PLAN SELECT url FROM frontier WHERE state = 'pending' "
            "AND (next_try_at IS NULL OR next_try_at <= ?) ORDER BY priority DESC, discovered_at, url LIMIT 4",
            ("2026-03-05T12:00:00+00:00",),
        )
    )
    assert "frontier_due" in plan
    assert "TEMP B-TREE" not in plan


def test_an_article_gone_under_one_url_is_still_fetched_under_another(frontier: Frontier) -> None:
    wrong_slug = f"{HOME}/politika/296402-old-slug.html"
    other_host = "http://2017.vybor-naroda.org/politika/296402-a.html"
    assert frontier.enqueue(wrong_slug, "article", news_id="296402") is True
    [entry] = frontier.next_batch(1)
    frontier.mark_gone(entry.url, "HTTP 404")
    assert frontier.enqueue(A1, "article", news_id="296402") is True
    assert frontier.enqueue(other_host, "article", news_id="296402") is False
    assert [e.url for e in frontier.next_batch(5)] == [A1]
