"""Discovery parsers: feeds, listings with DLE pagination, the calendar, sitemaps (text in, URLs out)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from scraper.discover import (
    Calendar,
    FeedItem,
    Listing,
    Sitemap,
    SitemapEntry,
    find_article_links,
    find_listing_links,
    listing_base,
    page_number,
    parse_calendar,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from scraper.sites import default_profile
from tests.conftest import MIRROR

HOME = "http://2018.vybor-naroda.org"
PROFILE = default_profile()

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:yandex="http://news.yandex.ru" xmlns:media="http://search.yahoo.com/mrss/" version="2.0">
<channel><title>Выбор народа</title><link>http://2018.vybor-naroda.org/</link>
<item>
<title><![CDATA[Облсовет & «Единая Россия»]]></title>
<link>http://2018.vybor-naroda.org/politika/296402-deputat-averov.html#comments</link>
<description><![CDATA[<p>Лид</p>]]></description>
<category><![CDATA[Политика]]></category>
<enclosure url="http://2018.vybor-naroda.org/uploads/a.jpg" type="image/jpeg"/>
<pubDate>Fri, 21 Nov 2025 15:47:00 +0300</pubDate>
<yandex:full-text>Текст &lt;статьи&gt; &amp; ещё &#1092;</yandex:full-text>
</item>
<item><title>Без даты &amp; с utm</title>
<link>/lentanovostey/297434-lipeckaja.html?utm_source=rss</link><pubDate>not a date</pubDate></item>
<item><title>Повтор</title><link>http://2018.vybor-naroda.org/politika/296402-deputat-averov.html</link></item>
<item><title>Без ссылки</title></item>
</channel></rss>
"""


def test_parse_feed_reads_items_in_order_with_iso_dates() -> None:
    assert parse_feed(FEED, base_url=HOME + "/rss.xml", profile=PROFILE) == (
        FeedItem(
            url=f"{HOME}/politika/296402-deputat-averov.html",
            title="Облсовет & «Единая Россия»",
            published_at="2025-11-21T15:47:00+03:00",
        ),
        FeedItem(url=f"{HOME}/lentanovostey/297434-lipeckaja.html", title="Без даты & с utm", published_at=None),
    )


def test_parse_feed_never_expands_dtd_entities() -> None:
    lol = "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 10 if i else "lol"}">' for i in range(10))
    text = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><item><title>&lol9;&xxe;</title><link>http://2018.vybor-naroda.org/a/1-b.html</link>"
        "</item></channel></rss>"
    )
    started = time.monotonic()
    items = parse_feed(text, base_url=HOME)
    assert time.monotonic() - started < 1
    assert items == (FeedItem(url=f"{HOME}/a/1-b.html", title="&lol9;&xxe;", published_at=None),)


def _story(url: str) -> str:
    return f'<div class="short-story"><h2><a href="{url}">x</a></h2><a href="{url}">Подробнее</a></div>'


LISTING_PAGE_3 = f"""<html><body>
<nav><a href="{HOME}/politika/">Политика</a><a href="{HOME}/lentanovostey/">Лента</a>
<a href="{HOME}/2025/12/07/">7 декабря</a><a href="{HOME}/page/2/">2</a></nav>
<div id='dle-content'>
{_story(HOME + "/politika/296402-deputat.html")}
{_story("/ekonomika/296920-lipeckie-agrarii.html")}
{_story(HOME + "/lentanovostey/print:page,1,297434-lipeckaja.html")}
<div class="navigation"><a href="{HOME}/page/2/">&laquo; Назад</a>
<a href="{HOME}/">1</a> <span class="nav_ext">...</span> <a href="{HOME}/page/2/">2</a> <span>3</span>
<a href="{HOME}/page/4/">4</a> <span class="nav_ext">...</span> <a href="{HOME}/page/40/">40</a>
<a href="{HOME}/page/4/">Вперед &raquo;</a></div>
</div>
<aside class="lenta"><a href="{HOME}/lentanovostey/303190-v-primorskom-krae.html">Сайдбар</a><span>16:45</span></aside>
</body></html>"""


def test_parse_listing_reads_main_column_and_pagination() -> None:
    assert parse_listing(LISTING_PAGE_3, url=f"{HOME}/page/3/", profile=PROFILE) == Listing(
        article_urls=(f"{HOME}/politika/296402-deputat.html", f"{HOME}/ekonomika/296920-lipeckie-agrarii.html"),
        page_urls=(f"{HOME}/page/2/", f"{HOME}/page/4/", f"{HOME}/page/40/"),
        next_page_url=f"{HOME}/page/4/",
        page_number=3,
    )


def test_parse_listing_last_page_has_no_next() -> None:
    html = f"<div id='dle-content'>{_story('/a/1-b.html')}<a href='{HOME}/politika/'>1</a> <span>2</span></div>"
    listing = parse_listing(html, url=f"{HOME}/politika/page/2/", profile=PROFILE)
    assert listing == Listing(article_urls=(f"{HOME}/a/1-b.html",), page_urls=(), next_page_url=None, page_number=2)


def test_find_article_links_takes_the_sidebar_too() -> None:
    assert find_article_links(LISTING_PAGE_3, base_url=HOME + "/", profile=PROFILE) == (
        f"{HOME}/politika/296402-deputat.html",
        f"{HOME}/ekonomika/296920-lipeckie-agrarii.html",
        f"{HOME}/lentanovostey/303190-v-primorskom-krae.html",
    )


def test_find_listing_links_names_category_first_pages_only() -> None:
    assert find_listing_links(LISTING_PAGE_3, base_url=HOME + "/page/3/", profile=PROFILE) == (
        f"{HOME}/politika/",
        f"{HOME}/lentanovostey/",
        f"{HOME}/",
    )


@pytest.mark.parametrize(
    ("url", "number", "base"),
    [
        (f"{HOME}/", 1, f"{HOME}/"),
        (f"{HOME}/page/7/", 7, f"{HOME}/"),
        (f"{HOME}/politika/page/2/", 2, f"{HOME}/politika/"),
        (f"{HOME}/2025/12/07/page/3/", 3, f"{HOME}/2025/12/07/"),
    ],
    ids=["home", "home-page-7", "category-page-2", "day-archive-page-3"],
)
def test_page_number_and_listing_base(url: str, number: int, base: str) -> None:
    assert (page_number(url), listing_base(url)) == (number, base)


CALENDAR = f"""<div id="calendar-layer"><table id="calendar" class="calendar">
<tr><th colspan="7" class="monthselect"><a class="monthlink" href="{HOME}/2025/11/">&laquo;</a>
Декабрь 2025 <a class="monthlink" href="{HOME}/2026/01/">&raquo;</a></th></tr>
<tr><td class="day">1</td><td class="day day-active"><a class="day-active" href="{HOME}/2025/12/02/">2</a></td>
<td class="weekday day-active"><a href="/2025/12/07/">7</a></td><td class="day">8</td>
<td class="day day-active"><a href="{HOME}/2025/12/32/">32</a></td></tr></table></div>"""


def test_parse_calendar_reads_active_days_and_month_links() -> None:
    assert parse_calendar(CALENDAR, base_url=HOME + "/", profile=PROFILE) == Calendar(
        days=((date(2025, 12, 2), f"{HOME}/2025/12/02/"), (date(2025, 12, 7), f"{HOME}/2025/12/07/")),
        month_urls=(f"{HOME}/2025/11/", f"{HOME}/2026/01/"),
    )


def test_parse_calendar_without_widget_is_empty() -> None:
    assert parse_calendar("<html><body>no calendar</body></html>", base_url=HOME) == Calendar(days=(), month_urls=())


def test_parse_sitemap_urlset_and_index() -> None:
    urlset = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{HOME}/</loc><changefreq>hourly</changefreq><priority>1.0</priority></url>
<url><loc>{HOME}/politika/296402-a.html?a=1&amp;b=2</loc><lastmod>2025-11-21</lastmod></url>
<url><loc>{HOME}/politika/296403-b.html</loc><lastmod>yesterday</lastmod></url>
</urlset>"""
    assert parse_sitemap(urlset, base_url=f"{HOME}/uploads/sitemap.xml") == Sitemap(
        kind="urlset",
        entries=(
            SitemapEntry(url=f"{HOME}/", lastmod=None),
            SitemapEntry(url=f"{HOME}/politika/296402-a.html?a=1&b=2", lastmod="2025-11-21"),
            SitemapEntry(url=f"{HOME}/politika/296403-b.html", lastmod=None),
        ),
    )
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
        f"{HOME}/uploads/sitemap1.xml</loc><lastmod>2026-03-05T10:00:00+03:00</lastmod></sitemap></sitemapindex>"
    )
    assert parse_sitemap(index, base_url=HOME) == Sitemap(
        kind="sitemapindex",
        entries=(SitemapEntry(url=f"{HOME}/uploads/sitemap1.xml", lastmod="2026-03-05T10:00:00+03:00"),),
    )


def test_bundled_mirror_navigation_lists_every_article() -> None:
    """The generated home listing, followed page by page, names every article page of the mirror."""
    articles = sorted(
        f"{HOME}/{p.relative_to(MIRROR).as_posix()}" for p in MIRROR.rglob("*.html") if p.name[:1].isdigit()
    )
    found: list[str] = []
    url: str | None = f"{HOME}/"
    while url is not None:
        path = MIRROR / url.removeprefix(HOME + "/") / "index.html"
        listing = parse_listing(path.read_text(encoding="utf-8"), url=url, profile=PROFILE)
        found.extend(listing.article_urls)
        url = listing.next_page_url
    assert sorted(found) == articles
    feed = parse_feed((MIRROR / "rss.xml").read_text(encoding="utf-8"), base_url=HOME)
    assert [item.url for item in feed] == found[: len(feed)]
    index = parse_sitemap((MIRROR / "sitemap.xml").read_text(encoding="utf-8"), base_url=HOME)
    assert index == Sitemap(kind="sitemapindex", entries=(SitemapEntry(f"{HOME}/uploads/sitemap.xml", None),))
    urlset = parse_sitemap((MIRROR / "uploads" / "sitemap.xml").read_text(encoding="utf-8"), base_url=HOME)
    assert sorted(e.url for e in urlset.entries if e.lastmod) == articles
