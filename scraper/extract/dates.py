"""Dates as the portal prints them, turned into ISO 8601 with the site's offset.

DLE prints `07 декабря 2025, 16:16`, or `Сегодня, 16:16` / `Вчера, 16:16` relative to when the page
was served. The common form goes through a regex fast path (dateparser costs ~1 ms a call, which
dominates extraction); anything else falls back to dateparser. Relative forms and the sidebar's bare
`HH:MM` times are resolved against the fetch time in the site's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS_GENITIVE = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_MONTH_ALT = "|".join(MONTHS_GENITIVE)
_ABSOLUTE = re.compile(
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_ALT})\s+(?P<year>\d{{4}})(?:\s*г(?:ода|\.)?)?\s*,?\s*"
    rf"(?:в\s+)?(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"(?P<word>сегодня|вчера)\s*,?\s*(?:в\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})", re.IGNORECASE)
# Day first, as the portal writes dates; a two-digit year is read as strptime's %y reads it (`25` is 2025).
# Not inside a longer number: `2025-12-07 16:16` is an ISO date, not the 25th of December 2007.
_NUMERIC = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})[.\-/](?P<month>\d{1,2})[.\-/](?P<year>\d{4}|\d{2}(?!\d))\s*,?\s*"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})"
)
# Where a page's date may hide inside longer text (an info line with views, author and date).
DATE_IN_TEXT = re.compile(
    "|".join(re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in (_ABSOLUTE, _RELATIVE, _NUMERIC)), re.IGNORECASE
)
# A date after its label, as DLE's print version shows it (`Новость от: 12 ноября 2025, 10:32,
# Категория: Выборы`): whatever form it takes, it is read as the other templates' date elements are.
LABELLED_DATE = re.compile(r"Новость\s+от\s*:\s*(?P<date>[^\n]{1,60}?)\s*(?:,\s*Категория\b|$)", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_ONE_DAY = timedelta(days=1)
# How far the portal's clock may run ahead of ours: a feed time up to this much after the fetch is news
# just published, not news of the day before.
CLOCK_SKEW = timedelta(minutes=15)


def to_iso(moment: datetime) -> str:
    """ISO 8601 with seconds and offset: `2025-12-07T16:16:00+03:00`."""
    return moment.isoformat(timespec="seconds")


def parse_iso(value: str, tz: ZoneInfo) -> datetime | None:
    """An ISO 8601 timestamp; one without an offset is taken as the site's local time."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def _local(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime | None:
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _portal_form(text: str, fetched_at: datetime, tz: ZoneInfo) -> tuple[bool, datetime | None]:
    """(whether the text is in one of the portal's forms, the moment it names).

    A text in the portal's form that names no possible moment (`00 декабря 2025`, `31 февраля`,
    `25:16`) is recognized with no moment: it is a broken date, which no other reading may repair.
    """
    match = _ABSOLUTE.search(text)
    if match:
        try:
            day = date(int(match["year"]), MONTHS_GENITIVE[match["month"].lower()], int(match["day"]))
        except ValueError:
            return True, None
        return True, _local(day, int(match["hour"]), int(match["minute"]), tz)
    match = _RELATIVE.search(text)
    if match:
        today = fetched_at.astimezone(tz).date()
        day = today if match["word"].lower() == "сегодня" else today - timedelta(days=1)
        return True, _local(day, int(match["hour"]), int(match["minute"]), tz)
    match = _NUMERIC.search(text)
    if match:
        year = int(match["year"])
        if len(match["year"]) == 2:
            year += 2000 if year < 69 else 1900
        try:
            day = date(year, int(match["month"]), int(match["day"]))
        except ValueError:
            return True, None
        return True, _local(day, int(match["hour"]), int(match["minute"]), tz)
    return False, None


def parse_fast(text: str, fetched_at: datetime, tz: ZoneInfo) -> datetime | None:
    """The portal's own forms, without dateparser; None when the text is in another form or names an
    impossible date."""
    return _portal_form(text, fetched_at, tz)[1]


def parse_with_dateparser(text: str, fetched_at: datetime, tz: ZoneInfo) -> datetime | None:
    """Any other wording, through dateparser (slow; imported on first use). Numeric dates are read day
    first, as the portal writes them (`07.12.25` is 7 December 2025)."""
    import dateparser

    base = fetched_at.astimezone(tz).replace(tzinfo=None)
    try:
        parsed = dateparser.parse(
            text,
            languages=["ru", "en"],
            settings={
                "TIMEZONE": str(tz),
                "RETURN_AS_TIMEZONE_AWARE": True,
                "RELATIVE_BASE": base,
                "PREFER_DATES_FROM": "past",
                "DATE_ORDER": "DMY",
            },
        )
    except Exception:  # dateparser raises assorted errors on garbage; a bad date is just absent.
        return None
    return parsed.astimezone(tz) if parsed is not None else None


def parse_published(text: str, fetched_at: datetime, tz: ZoneInfo) -> datetime | None:
    """A publication date as shown on a page, fast path first; a date in the portal's own form that is
    impossible is None, never dateparser's guess."""
    recognized, moment = _portal_form(text, fetched_at, tz)
    if recognized:
        return moment
    return parse_with_dateparser(text, fetched_at, tz)


@lru_cache(maxsize=2048)
def _clock(raw: str) -> tuple[int, int, str] | None:
    """(minutes after midnight, hour, `HH:MM`) of a bare clock time; None when it is no valid time.

    Remembered: feeds repeat the same few hundred strings, and a regex match per item adds up.
    """
    match = _CLOCK.match(raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    hour, minute = int(match[1]), int(match[2])
    return hour * 60 + minute, hour, f"{hour:02d}:{minute:02d}"


def _feed_days(
    times: Iterable[str], fetched_at: datetime, tz: ZoneInfo
) -> Iterator[tuple[date, tuple[int, int, str]] | None]:
    """For each time of a newest-first feed: its day and `_clock` parts, or None for no valid time.

    The first items are from the day the page was served; whenever a time is later than the one
    before it, the list has crossed midnight into the previous day. The portal's clock may run a few
    minutes ahead of ours: a first time up to CLOCK_SKEW after the fetch is an item just published
    (of the next day, when that crosses midnight); a first time later than that belongs to the day
    before.
    """
    latest = fetched_at.astimezone(tz) + CLOCK_SKEW  # wall-clock arithmetic: only date, hour, minute count
    day = latest.date()
    previous = latest.hour * 60 + latest.minute
    for raw in times:
        clock = _clock(raw)
        if clock is None:
            yield None
            continue
        if clock[0] > previous:
            day -= _ONE_DAY
        previous = clock[0]
        yield day, clock


def resolve_clock_times(times: Iterable[str], fetched_at: datetime, tz: ZoneInfo) -> list[datetime | None]:
    """Dates for a newest-first feed of bare `HH:MM` times, as the portal's sidebar shows them (see
    `_feed_days` for how days are told apart)."""
    return [
        None if found is None else datetime.combine(found[0], time(found[1][1], found[1][0] % 60), tzinfo=tz)
        for found in _feed_days(times, fetched_at, tz)
    ]


@lru_cache(maxsize=4096)
def _offset_text(tz: ZoneInfo, day: date, hour: int) -> str:
    """The zone's offset on that day and hour as `+03:00` (offsets change on the hour, if ever)."""
    offset = datetime.combine(day, time(hour), tzinfo=tz).utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def resolve_clock_times_iso(times: Iterable[str], fetched_at: datetime, tz: ZoneInfo) -> list[str | None]:
    """`resolve_clock_times` formatted as `to_iso` would, without a datetime per item.

    A page's feed has dozens of items and every crawled page has one, so the minutes are compared as
    ints, the date is formatted once per day and the offset looked up once per day and hour (the only
    places a time zone's offset can change) instead of once per item.
    """
    current: date | None = None  # the day being written, its ISO date and its offsets by hour
    day_text = ""
    offsets: dict[int, str] = {}
    resolved: list[str | None] = []
    for found in _feed_days(times, fetched_at, tz):
        if found is None:
            resolved.append(None)
            continue
        day, (_, hour, shown) = found
        if day != current:
            current, day_text, offsets = day, day.isoformat(), {}
        offset = offsets.get(hour)
        if offset is None:
            offset = offsets[hour] = _offset_text(tz, day, hour)
        resolved.append(f"{day_text}T{shown}:00{offset}")
    return resolved
