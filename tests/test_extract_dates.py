"""Dates: the portal's forms through the fast path, the rest through dateparser, sidebar rollover."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scraper.extract.dates import (
    parse_fast,
    parse_published,
    parse_with_dateparser,
    resolve_clock_times,
    to_iso,
)

MSK = ZoneInfo("Europe/Moscow")
FETCHED = datetime(2026, 3, 5, 17, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("07 декабря 2025, 16:16", "2025-12-07T16:16:00+03:00"),
        ("7 мая 2024, 09:05", "2024-05-07T09:05:00+03:00"),
        ("1 января 2026 г., 00:00", "2026-01-01T00:00:00+03:00"),
        ("Сегодня, 10:52", "2026-03-05T10:52:00+03:00"),
        ("Вчера, 22:36", "2026-03-04T22:36:00+03:00"),
        ("вчера в 23:59", "2026-03-04T23:59:00+03:00"),
        ("07.12.2025, 16:16", "2025-12-07T16:16:00+03:00"),
        ("05-03-2026, 08:00", "2026-03-05T08:00:00+03:00"),
    ],
)
def test_fast_path(shown: str, iso: str) -> None:
    moment = parse_fast(shown, FETCHED, MSK)
    assert moment is not None
    assert to_iso(moment) == iso


@pytest.mark.parametrize("shown", ["31 февраля 2025, 10:00", "07 декабря 2025, 25:00", "нет даты", ""])
def test_fast_path_rejects_impossible_dates(shown: str) -> None:
    assert parse_fast(shown, FETCHED, MSK) is None


def test_yesterday_across_a_month_boundary() -> None:
    fetched = datetime(2026, 3, 1, 0, 30, tzinfo=MSK)
    moment = parse_fast("Вчера, 23:10", fetched, MSK)
    assert moment is not None and to_iso(moment) == "2026-02-28T23:10:00+03:00"


def test_relative_dates_use_moscow_time_of_a_utc_fetch() -> None:
    fetched_utc = datetime.fromisoformat("2026-03-04T22:30:00+00:00")  # already 5 March in Moscow
    moment = parse_fast("Сегодня, 01:15", fetched_utc, MSK)
    assert moment is not None and to_iso(moment) == "2026-03-05T01:15:00+03:00"


def test_dateparser_fallback_for_other_wordings() -> None:
    moment = parse_with_dateparser("5 марта 2026 года в 14:20", FETCHED, MSK)
    assert moment is not None and to_iso(moment) == "2026-03-05T14:20:00+03:00"
    moment = parse_published("December 7, 2025 4:16 PM", FETCHED, MSK)
    assert moment is not None and to_iso(moment) == "2025-12-07T16:16:00+03:00"
    assert parse_published("совсем не дата", FETCHED, MSK) is None


def test_sidebar_times_roll_back_a_day_when_they_go_up() -> None:
    times = ["16:45", "10:28", "23:00", "21:48", "23:30", "00:05"]
    resolved = [to_iso(m) if m else None for m in resolve_clock_times(times, FETCHED, MSK)]
    assert resolved == [
        "2026-03-05T16:45:00+03:00",
        "2026-03-05T10:28:00+03:00",
        "2026-03-04T23:00:00+03:00",
        "2026-03-04T21:48:00+03:00",
        "2026-03-03T23:30:00+03:00",
        "2026-03-03T00:05:00+03:00",
    ]


def test_sidebar_first_time_after_the_fetch_is_from_yesterday() -> None:
    fetched = datetime(2026, 3, 5, 0, 10, tzinfo=MSK)
    resolved = resolve_clock_times(["23:58", "23:40", "bad"], fetched, MSK)
    assert [to_iso(m) if m else None for m in resolved] == [
        "2026-03-04T23:58:00+03:00",
        "2026-03-04T23:40:00+03:00",
        None,
    ]


def test_iso_feed_times_match_datetime_formatting() -> None:
    from scraper.extract.dates import resolve_clock_times_iso

    times = ["16:45", "10:28", "23:00", "00:05", "bad", "23:59"]
    expected = [to_iso(m) if m else None for m in resolve_clock_times(times, FETCHED, MSK)]
    assert resolve_clock_times_iso(times, FETCHED, MSK) == expected
    berlin = ZoneInfo("Europe/Berlin")  # a zone with daylight saving: the offset changes on 29 March
    fetched = datetime(2026, 3, 30, 1, 0, tzinfo=berlin)
    assert resolve_clock_times_iso(["00:30", "23:30"], fetched, berlin) == [
        "2026-03-30T00:30:00+02:00",
        "2026-03-29T23:30:00+02:00",
    ]
    assert resolve_clock_times_iso(["01:30"], datetime(2026, 3, 29, 1, 45, tzinfo=berlin), berlin) == [
        "2026-03-29T01:30:00+01:00"
    ]
