"""(Re)writes the mirror's article fixtures: each page under `mirror/` and its expected record under
`expected/`, from the data in `fixture_articles.py`.

    uv run python -m bench.mirrorgen.build_fixtures            # into tests/fixtures/
    uv run python -m bench.mirrorgen.build_fixtures --out DIR  # elsewhere (to compare)

Before writing, every fixture is checked against itself: the hand-written `published_at` must be what
the shown date means at `fetched_at`, and every hand-written quote must be text of the body. A typo in
the data then fails here instead of becoming the specification.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .fixture_articles import ARTICLES, PRINT_PAGES, seed_fixture
from .fixture_model import SITE, ArticleFixture, PrintFixture
from .portal_template import (
    MONTHS_GENITIVE,
    calendar_html,
    full_story,
    page,
    sidebar_html,
    sidebar_item_url,
)
from .stock_templates import dle10_page, dle14_page, print_page

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SEED_RECORD = FIXTURES / "portal" / "seed-article.expected.json"

_ABSOLUTE_DATE = re.compile(r"^(\d{2}) (\w+) (\d{4}), (\d{2}):(\d{2})$")
_RELATIVE_DATE = re.compile(r"^(Сегодня|Вчера), (\d{2}):(\d{2})$")


class FixtureError(ValueError):
    """A fixture contradicts itself (its date, quotes or text)."""


# --- Dates -------------------------------------------------------------------------------------------


def resolve_shown_date(text: str, fetched_at: str) -> str:
    """What a date as the page shows it means, as ISO 8601 in the fetch's offset (Moscow time)."""
    fetched = datetime.fromisoformat(fetched_at)
    if match := _RELATIVE_DATE.match(text):
        day = fetched.date() - timedelta(days=1 if match.group(1) == "Вчера" else 0)
        hour, minute = int(match.group(2)), int(match.group(3))
    elif match := _ABSOLUTE_DATE.match(text):
        day = date(int(match.group(3)), MONTHS_GENITIVE.index(match.group(2)) + 1, int(match.group(1)))
        hour, minute = int(match.group(4)), int(match.group(5))
    else:
        raise FixtureError(f"unknown date format: {text!r}")
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=fetched.tzinfo).isoformat()


def resolve_feed_times(times: list[str], fetched_at: str) -> list[str]:
    """The feed's `HH:MM` times as datetimes: the fetch day first, one day back each time a time is
    later than the one before it (the feed has crossed midnight)."""
    fetched = datetime.fromisoformat(fetched_at)
    day = fetched.date()
    previous: tuple[int, int] | None = None
    out = []
    for time in times:
        hour, minute = (int(part) for part in time.split(":"))
        if previous is not None and (hour, minute) > previous:
            day -= timedelta(days=1)
        previous = (hour, minute)
        out.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=fetched.tzinfo).isoformat())
    return out


# --- Pages -------------------------------------------------------------------------------------------


def image_url(fixture: ArticleFixture) -> str | None:
    """The main image's absolute URL: its src resolved against the page's URL."""
    return urljoin(fixture.url, fixture.image_src) if fixture.image_src else None


def _feed_href_base(fixture: ArticleFixture) -> str:
    assert fixture.feed is not None
    return fixture.home if fixture.feed.href_base is None else fixture.feed.href_base


def render_article(fixture: ArticleFixture) -> str:
    """The page's HTML in its template."""
    if fixture.template == "dle10":
        return dle10_page(
            headline=fixture.headline,
            date_text=fixture.date_text,
            text_html=fixture.text_html,
            category_name=fixture.category_name,
            category=fixture.category,
            print_url=fixture.print_url,
            tags=fixture.tags,
            editor_note=fixture.editor_note,
            popular=fixture.popular,
            home=fixture.home,
            views=312,
        )
    if fixture.template == "dle14":
        published = datetime.fromisoformat(fixture.published_at)
        assert fixture.canonical_url is not None
        return dle14_page(
            headline=fixture.headline,
            date_text=fixture.date_text,
            datetime_attr=fixture.published_at,
            day_archive_url=f"{fixture.home}/{published:%Y/%m/%d}/",
            text_html=fixture.text_html,
            category_name=fixture.category_name,
            category=fixture.category,
            canonical=fixture.canonical_url,
            print_url=fixture.print_url,
            tags=fixture.tags,
            related=fixture.related,
            popular=fixture.popular,
            og_image=image_url(fixture),
            home=fixture.home,
        )
    feed = ""
    if fixture.feed is not None:
        feed = sidebar_html(fixture.feed.items, fixture.feed.first_id, href_base=_feed_href_base(fixture))
    main = full_story(
        date_text=fixture.date_text,
        headline=fixture.headline,
        image=fixture.image_src,
        credit_html=fixture.credit_html,
        text_html=fixture.text_html,
        print_url=fixture.print_url,
        tags=fixture.tags,
        home=fixture.home,
    )
    return page(
        title=fixture.headline,
        main_html=main,
        canonical=fixture.canonical_url,
        description=fixture.description if fixture.description is not None else fixture.body_paragraphs[0][:200],
        keywords=fixture.keywords,
        og_image=image_url(fixture),
        charset=fixture.charset,
        http_equiv=fixture.charset != "utf-8",
        sidebar=feed,
        calendar=fixture.calendar if fixture.calendar is not None else calendar_html(home=fixture.home),
        home=fixture.home,
    )


def render_print(fixture: PrintFixture) -> str:
    article = fixture.article
    return print_page(
        headline=article.headline,
        date_text=article.date_text,
        text_html=article.text_html,
        category_name=article.category_name,
        category=article.category,
        full_link=article.url,
        home=article.home,
    )


# --- Expected records ----------------------------------------------------------------------------


def expected_sidebar(fixture: ArticleFixture) -> list[dict[str, Any]]:
    """The feed's items as the record lists them; [] for templates and pages without a timed feed."""
    if fixture.template != "portal" or fixture.feed is None:
        return []
    items = fixture.feed.items
    times = resolve_feed_times([time for _, time in items], fixture.fetched_at)
    base = _feed_href_base(fixture)
    return [
        {
            "title": title,
            "time": time,
            "published_at": published_at,
            "url": urljoin(fixture.url, sidebar_item_url(index, title, fixture.feed.first_id, href_base=base)),
        }
        for index, ((title, time), published_at) in enumerate(zip(items, times, strict=True))
    ]


def expected_record(fixture: ArticleFixture) -> dict[str, Any]:
    """The whole record the article's page must yield, keys in the published order."""
    return {
        "url": fixture.url,
        "site": SITE,
        "news_id": str(fixture.news_id),
        "category": fixture.category,
        "headline": fixture.headline,
        "published_text": fixture.date_text,
        "published_at": fixture.published_at,
        "photo_credit": fixture.photo_credit,
        "body": "\n\n".join(fixture.body_paragraphs),
        "quotes": [dict(q) for q in fixture.quotes],
        "sidebar": expected_sidebar(fixture),
        "fetched_at": fixture.fetched_at,
        "canonical_url": fixture.canonical_url,
        "image_url": image_url(fixture),
        "tags": list(fixture.tags),
    }


def expected_print_record(fixture: PrintFixture) -> dict[str, Any]:
    """The print version's record: the article's text and quotes, nothing the print template lacks."""
    record = expected_record(fixture.article)
    record.update(
        url=fixture.url,
        photo_credit=None,
        sidebar=[],
        fetched_at=fixture.fetched_at,
        canonical_url=None,
        image_url=None,
        tags=[],
    )
    return record


# --- Self-checks ---------------------------------------------------------------------------------


def _is_body_text(text: str, body: str) -> bool:
    """A quote's text is in the body, whole or as two parts split by its attribution."""
    if text in body:
        return True
    return any(text[:i] in body and text[i + 1 :] in body for i, char in enumerate(text) if char == " ")


def check_record(record: dict[str, Any]) -> None:
    """Raise FixtureError when a record contradicts itself."""
    name = record["url"]
    if resolve_shown_date(record["published_text"], record["fetched_at"]) != record["published_at"]:
        raise FixtureError(f"{name}: published_at does not match {record['published_text']!r}")
    body = record["body"]
    for text in (body, *(q["text"] for q in record["quotes"])):
        if "\u00a0" in text or "\u00ad" in text or "  " in text:
            raise FixtureError(f"{name}: unnormalized whitespace or soft hyphen in {text[:40]!r}")
    for q in record["quotes"]:
        if not _is_body_text(q["text"], body):
            raise FixtureError(f"{name}: quote is not body text: {q['text'][:60]!r}")
        for part in (q["speaker"], q["speaker_role"], q["verb"]):
            if part is not None and part not in body:
                raise FixtureError(f"{name}: {part!r} is not in the body")
        if q["text"][:1] in "«–—-" or q["text"].endswith((",", "»")):
            raise FixtureError(f"{name}: quote keeps its quotation marks or comma: {q['text'][:40]!r}")


# --- Writing -------------------------------------------------------------------------------------


def page_path(root: Path, url: str) -> Path:
    return root / "mirror" / urlsplit(url).path.lstrip("/")


def _write_json(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def build(out: Path, seed_record: Path = SEED_RECORD) -> list[Path]:
    """Write every fixture page and expected record under `out`; return the paths written."""
    written: list[Path] = []
    for fixture in (seed_fixture(seed_record), *ARTICLES):
        record = expected_record(fixture)
        check_record(record)
        path = page_path(out, fixture.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_article(fixture).encode(fixture.charset))
        json_path = out / "expected" / f"{fixture.news_id}.json"
        _write_json(json_path, record)
        written += [path, json_path]
    for print_fixture in PRINT_PAGES:
        record = expected_print_record(print_fixture)
        check_record(record)
        path = page_path(out, print_fixture.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_print(print_fixture).encode("utf-8"))
        json_path = out / "expected" / f"{print_fixture.article.news_id}-print.json"
        _write_json(json_path, record)
        written += [path, json_path]
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="fixtures root (default: tests/fixtures)")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path.relative_to(args.out))


if __name__ == "__main__":
    main()
