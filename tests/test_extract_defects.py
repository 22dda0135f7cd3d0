"""Reproduced extractor defects, each pinned with exact values: the seed page, edited the way a template
or an editor might, must still give the seed's fields."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scraper.extract import extract_article
from scraper.extract.dates import parse_fast, parse_published, resolve_clock_times_iso, to_iso
from scraper.extract.dom import is_noise_name
from scraper.models import Article
from scraper.urls import join_url
from tests.conftest import FIXTURES, SEED_FETCHED_AT, SEED_PAGE, SEED_URL, load_json

SEED_HTML = SEED_PAGE.read_text(encoding="utf-8")
SEED = load_json(FIXTURES / "portal" / "seed-article.expected.json")
SEED_PARAGRAPHS = SEED["body"].split("\n\n")
FIRST = SEED_PARAGRAPHS[0]
MSK = ZoneInfo("Europe/Moscow")
FETCHED = datetime(2026, 3, 5, 17, 0, tzinfo=MSK)
SEED_IMAGE = "http://2018.vybor-naroda.org/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"
CREDIT_DIV = (
    '<div class="full-img-credit">Фото с сайта:<br><a href="https://xn--80aacoonefzg3am8b1fsb.xn--p1ai/" '
    'target="_blank" rel="nofollow noopener">липецкаяобласть.рф</a></div>'
)
FIRST_FEED_HREF = (
    'href="http://2018.vybor-naroda.org/lentanovostey/303190-v-primorskom-krae-postrojat-novye-obekty-jenergetiki.html"'
)


def _edited(*replacements: tuple[str, str]) -> str:
    html = SEED_HTML
    for old, new in replacements:
        assert html.count(old) == 1, old
        html = html.replace(old, new)
    return html


def _with_body(inner: str) -> str:
    """The seed page with the body container's content replaced."""
    start = SEED_HTML.index('<div class="full-text">') + len('<div class="full-text">')
    end = SEED_HTML.index("</div>", start)
    return SEED_HTML[:start] + inner + SEED_HTML[end:]


def _with_feed(items: list[tuple[str, str]]) -> str:
    """The seed page with its feed replaced by these (title, time) items."""
    start = SEED_HTML.index('<div class="lenta">') + len('<div class="lenta">')
    end = SEED_HTML.index("</div>", start)
    links = "".join(
        f'<a class="lenta-item" href="/lentanovostey/{n}-x.html"><span class="lenta-title">{title}</span>'
        f'<span class="lenta-time">{time}</span></a>'
        for n, (title, time) in enumerate(items, start=1)
    )
    return SEED_HTML[:start] + links + SEED_HTML[end:]


def _extract(html: str, fetched_at: str = SEED_FETCHED_AT) -> Article:
    return extract_article(html, url=SEED_URL, fetched_at=fetched_at)


# 1. A class name is matched as words, not as a substring.


@pytest.mark.parametrize("wrapper", ["position-relative", "editor-content"])
def test_a_wrapper_class_does_not_hide_the_body(wrapper: str) -> None:
    article = _extract(_with_body(f'<div class="{wrapper}"><p>{FIRST}</p><p>Второй абзац.</p></div>'))
    assert article.body == f"{FIRST}\n\nВторой абзац."
    assert "body: not found on the page" not in article.warnings


def test_an_inline_element_with_a_noise_class_stays_in_its_paragraph() -> None:
    html = _with_body(
        f'<p>{FIRST}</p><p>Текст <span class="relative">важный</span> и <b class="comment">выделенный</b> конец.</p>'
    )
    assert _extract(html).body == f"{FIRST}\n\nТекст важный и выделенный конец."


def test_a_hidden_inline_element_is_still_left_out() -> None:
    html = _with_body(f'<p>{FIRST}</p><p>Текст <span class="comment" hidden>скрытый</span> конец.</p>')
    assert _extract(html).body == f"{FIRST}\n\nТекст конец."


@pytest.mark.parametrize(
    "block",
    [
        '<div class="share-box"><a href="#">ВКонтакте</a></div>',
        '<div class="related_list"><a href="/x/1-y.html">Похожая новость</a></div>',
        '<div class="block comments_add"><p>Добавить комментарий</p></div>',
        '<div class="ya-share2">Поделиться</div>',
        '<div class="relatedNews"><p>Читайте ещё</p></div>',
        '<div class="news-editor">Новость отредактировала Мария</div>',
        '<div class="unit-rating">5</div>',
    ],
)
def test_noise_blocks_in_the_body_are_still_left_out(block: str) -> None:
    assert _extract(_with_body(f"<p>{FIRST}</p>{block}<p>Конец.</p>")).body == f"{FIRST}\n\nКонец."


@pytest.mark.parametrize(
    ("names", "noise"),
    [
        ("position-relative ", False),
        ("editor-content ", False),
        ("relative ", False),
        ("commentary-free text ", True),  # `commentary` starts with `comment`
        ("full-img-credit ", True),
        ("full-tags ", True),
        ("tagline ", False),
        ("meta grey ", True),
        ("metadata ", False),
        (" editdate", True),
        ("edit_date ", True),
        ("read-also ", True),
        ("basetags ", True),
        ("print-link ", True),
        ("side-block side-subscribe ", True),
        ("news-editor ", True),
    ],
)
def test_noise_names_are_matched_as_words(names: str, noise: bool) -> None:
    assert is_noise_name(names) is noise


# 2. The credit's line is never body text, whatever its label's punctuation.


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Фото — пресс-служба правительства ДНР", "пресс-служба правительства ДНР"),
        ("Фото – пресс-служба правительства ДНР", "пресс-служба правительства ДНР"),
        ("Фото с сайта oblsovet.ru", "oblsovet.ru"),
        ("Источник фото – oblsovet.ru", "oblsovet.ru"),
        ("Фото: пресс-служба правительства ДНР", "пресс-служба правительства ДНР"),
    ],
)
def test_a_credit_line_in_the_body_is_the_credit_and_not_body(line: str, credit: str) -> None:
    fourth = f"<p>{SEED_PARAGRAPHS[3]}</p>"
    article = _extract(_edited((CREDIT_DIV, ""), (fourth, f"{fourth}<p>{line}</p>")))
    assert article.photo_credit == credit
    assert article.body == SEED["body"]


@pytest.mark.parametrize("line", ["Фото — пресс-служба правительства ДНР", "Фото с сайта oblsovet.ru"])
def test_a_second_credit_line_in_the_body_is_not_body(line: str) -> None:
    article = _extract(_with_body(f"<p>{FIRST}</p><p>{line}</p>"))
    assert article.photo_credit == "липецкаяобласть.рф"
    assert article.body == FIRST


def test_a_bare_credit_block_inside_the_body_is_not_body() -> None:
    article = _extract(
        _edited((CREDIT_DIV, "")).replace(
            f"<p>{FIRST}</p>", f'<p>{FIRST}</p><div class="photo-source">xn--80aacoonefzg3am8b1fsb.xn--p1ai.</div>'
        )
    )
    assert article.photo_credit == "липецкаяобласть.рф"
    assert article.body == SEED["body"]


def test_a_long_paragraph_opening_with_the_word_photo_stays_body() -> None:
    sentence = "Фото – " + "это рассказ о встрече в правительстве республики, " * 6 + "и он длинный."
    article = _extract(_with_body(f"<p>{FIRST}</p><p>{sentence}</p>"))
    assert article.body == f"{FIRST}\n\n{sentence}"


# 3. A malformed URL costs that URL only.


@pytest.mark.parametrize(
    "href",
    ["http://[2018.vybor-naroda.org/x.html", "http://host:abc/x.html", "http://host:99999/x.html", "//[::1/x"],
)
def test_join_url_gives_none_for_what_is_no_url(href: str) -> None:
    assert join_url(SEED_URL, href) is None


def test_join_url_keeps_good_urls() -> None:
    assert join_url(SEED_URL, "http://host:8080/a.html") == "http://host:8080/a.html"
    assert join_url(SEED_URL, "/uploads/a.jpg") == "http://2018.vybor-naroda.org/uploads/a.jpg"
    assert join_url(SEED_URL, "http://2018.vybor-naroda.org/x/print:page,1,1-a.html") == (
        "http://2018.vybor-naroda.org/x/print:page,1,1-a.html"
    )


def test_a_bad_og_image_costs_only_the_image() -> None:
    article = _extract(
        _edited(
            (
                f'<meta property="og:image" content="{SEED_IMAGE}">',
                '<meta property="og:image" content="http://[2018.x/a.jpg">',
            ),
            (f'<img src="{SEED_IMAGE}"', '<img src=""'),
        )
    )
    assert article.canonical_url == SEED_URL
    assert article.image_url is None
    assert article.headline == SEED["headline"]
    assert len(article.sidebar) == 28
    assert article.warnings == ("image_url: not a valid URL on the page",)


def test_a_bad_image_src_leaves_og_image_to_name_the_image() -> None:
    article = _extract(_edited((f'<img src="{SEED_IMAGE}"', '<img src="http://[bad/x.jpg"')))
    assert article.image_url == SEED_IMAGE
    assert article.warnings == ()


def test_a_bad_canonical_link_costs_neither_headline_nor_canonical() -> None:
    article = _extract(
        _edited(
            (
                f'<link rel="canonical" href="{SEED_URL}">',
                f'<link rel="canonical" href="{SEED_URL.replace("//", "//[")}">',
            ),
            (f'<h1 class="full-title">{SEED["headline"]}</h1>', ""),
        )
    )
    assert article.headline == SEED["headline"]
    assert article.canonical_url == SEED_URL  # from og:url
    assert article.warnings == ()


@pytest.mark.parametrize(
    "bad",
    [
        "http://[::1/lentanovostey/303190-x.html",
        "http://2018.vybor-naroda.org:8o/lentanovostey/303190-x.html",
        "http://2018.vybor-naroda.org:99999/lentanovostey/303190-x.html",
    ],
)
def test_a_bad_feed_link_costs_only_its_url(bad: str) -> None:
    article = _extract(_edited((FIRST_FEED_HREF, f'href="{bad}"')))
    expected = [{k: item[k] for k in ("title", "time", "published_at")} for item in SEED["sidebar"]]
    assert [{k: item.to_dict()[k] for k in ("title", "time", "published_at")} for item in article.sidebar] == expected
    assert article.sidebar[0].url is None
    assert article.sidebar[1].url == (
        "http://2018.vybor-naroda.org/lentanovostey/303189-investicionnyj-portfel-respubliki-komi-dostig-700-mlrd-rublej.html"
    )
    assert article.warnings == ()


# 4. The sidebar feed.


def test_a_profile_feed_block_with_one_item_is_a_feed() -> None:
    article = _extract(_with_feed([("Одна новость", "16:45")]))
    assert [item.to_dict() for item in article.sidebar] == [
        {
            "title": "Одна новость",
            "time": "16:45",
            "published_at": "2026-03-05T16:45:00+03:00",
            "url": "http://2018.vybor-naroda.org/lentanovostey/1-x.html",
        }
    ]


def test_one_timed_link_found_by_shape_alone_is_no_feed() -> None:
    html = _with_feed([("Одна новость", "16:45")]).replace('class="lenta"', 'class="x-feed"')
    assert _extract(html).sidebar == ()


def test_a_first_feed_time_just_after_the_fetch_is_the_same_day() -> None:
    article = _extract(_with_feed([("A", "17:05"), ("B", "16:50"), ("C", "23:10")]))
    assert [(item.time, item.published_at) for item in article.sidebar] == [
        ("17:05", "2026-03-05T17:05:00+03:00"),
        ("16:50", "2026-03-05T16:50:00+03:00"),
        ("23:10", "2026-03-04T23:10:00+03:00"),
    ]


def test_feed_clock_skew_is_fifteen_minutes() -> None:
    assert resolve_clock_times_iso(["17:15", "16:00"], FETCHED, MSK) == [
        "2026-03-05T17:15:00+03:00",
        "2026-03-05T16:00:00+03:00",
    ]
    assert resolve_clock_times_iso(["17:16", "16:00"], FETCHED, MSK) == [
        "2026-03-04T17:16:00+03:00",
        "2026-03-04T16:00:00+03:00",
    ]


def test_feed_clock_skew_across_midnight() -> None:
    fetched = datetime(2026, 3, 5, 23, 55, tzinfo=MSK)
    assert resolve_clock_times_iso(["00:05", "23:50"], fetched, MSK) == [
        "2026-03-06T00:05:00+03:00",
        "2026-03-05T23:50:00+03:00",
    ]
    assert resolve_clock_times_iso(["23:59", "23:50"], fetched, MSK) == [
        "2026-03-05T23:59:00+03:00",
        "2026-03-05T23:50:00+03:00",
    ]


def test_today_a_few_minutes_after_the_fetch_stays_today() -> None:
    moment = parse_published("Сегодня, 17:05", FETCHED, MSK)
    assert moment is not None and to_iso(moment) == "2026-03-05T17:05:00+03:00"


# 5. Dates.


@pytest.mark.parametrize(
    "shown",
    [
        "00 декабря 2025, 16:16",
        "32 декабря 2025, 16:16",
        "30 февраля 2025, 16:16",
        "07 декабря 2025, 25:16",
        "00.12.2025, 16:16",
        "07.13.25, 16:16",
        "Сегодня, 24:10",
    ],
)
def test_an_impossible_date_in_the_portals_form_is_none(shown: str) -> None:
    assert parse_published(shown, FETCHED, MSK) is None


def test_day_zero_on_the_page_gives_no_date_and_a_warning() -> None:
    html = _edited(
        ('<div class="full-date">07 декабря 2025, 16:16</div>', '<div class="full-date">00 декабря 2025, 16:16</div>')
    )
    article = _extract(html)
    assert (article.published_text, article.published_at) == (None, None)
    assert article.warnings == ("published_at: not found on the page",)


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("07.12.25, 16:16", "2025-12-07T16:16:00+03:00"),
        ("07.12.25 16:16", "2025-12-07T16:16:00+03:00"),
        ("07.12.25", "2025-12-07T00:00:00+03:00"),
        ("05.03.2026, 10:00", "2026-03-05T10:00:00+03:00"),
    ],
)
def test_numeric_dates_are_read_day_first(shown: str, iso: str) -> None:
    moment = parse_published(shown, FETCHED, MSK)
    assert moment is not None and to_iso(moment) == iso


def test_an_iso_date_is_not_read_as_a_two_digit_year() -> None:
    assert parse_fast("2025-12-07 16:16", FETCHED, MSK) is None


def test_a_short_year_on_the_page() -> None:
    html = _edited(
        ('<div class="full-date">07 декабря 2025, 16:16</div>', '<div class="full-date">07.12.25, 16:16</div>')
    )
    article = _extract(html)
    assert (article.published_text, article.published_at) == ("07.12.25, 16:16", "2025-12-07T16:16:00+03:00")
    assert article.warnings == ()
