"""Writes the mirror's navigation pages from the article pages that are there.

Run `uv run python -m bench.mirrorgen.build_navigation [--root tests/fixtures/mirror]` after adding or
removing article pages. It scans `{root}/{category}/{news_id}-{slug}.html`, reads each article's
headline, date, lead and text, and writes, in the portal's DLE markup (portal_template.page):

- the home listing `/index.html` and `/page/N/index.html`;
- category listings `/{category}/index.html` (+ pages) for every menu category and every category
  that has articles;
- date archives `/YYYY/MM/DD/index.html` and `/YYYY/MM/index.html` (+ pages), each with the calendar
  of its month (days with news active, « linking the previous month);
- `/rss.xml` (Yandex flavour, the newest RSS_ITEMS articles, the whole text in yandex:full-text);
- `/sitemap.xml`, a sitemap index pointing to `/uploads/sitemap.xml`, the urlset of every page.

Pages it wrote carry a marker comment; a rerun deletes those (and only those) before writing anew.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

try:  # portal_template imports its sibling `translit` as a top-level module.
    from bench.mirrorgen import portal_template
except ModuleNotFoundError:  # pragma: no cover - depends on how the template is imported
    sys.path.insert(0, str(Path(__file__).parent))
    import portal_template  # type: ignore[no-redef]

from scraper.extract import extract_article

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mirror"
HOME = portal_template.HOME
MARKER = "<!-- navigation page: bench/mirrorgen/build_navigation.py -->"
PER_PAGE = 4
RSS_ITEMS = 10
ARTICLE_FILE = re.compile(r"^(?P<news_id>\d+)-[^/]+\.html$")
MONTH_NAMES = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
               "ноябрь", "декабрь"]  # fmt: skip
#: The moment the mirror's pages were served: "Сегодня, 11:20" on a page means this day.
SERVED_AT = "2026-03-05T17:00:00+03:00"


@dataclass(frozen=True)
class ArticleInfo:
    news_id: int
    category: str
    url: str
    path: Path
    headline: str
    date_text: str
    published: datetime
    lead: str
    text: str
    image: str | None


def e(text: str) -> str:
    return html.escape(text, quote=True)


def read_article(path: Path, root: Path) -> ArticleInfo:
    """What a listing, feed and sitemap need of an article page, read with the project's extractor
    (the mirror's pages come in several DLE templates)."""
    relative = path.relative_to(root).as_posix()
    url = f"{HOME}/{relative}"
    article = extract_article(path.read_bytes(), url=url, fetched_at=SERVED_AT)
    if not article.published_at or not article.headline:
        raise SystemExit(f"{path}: the extractor finds no date or headline; fix the page or the extractor")
    paragraphs = [p for p in (article.body or "").split("\n\n") if p]
    return ArticleInfo(
        news_id=int(article.news_id or ARTICLE_FILE.match(path.name).group("news_id")),  # type: ignore[union-attr]
        category=relative.rsplit("/", 1)[0],
        url=url,
        path=path,
        headline=article.headline,
        date_text=article.published_text or "",
        published=datetime.fromisoformat(article.published_at),
        lead=paragraphs[0] if paragraphs else "",
        text="\n\n".join(paragraphs),
        image=article.image_url,
    )


def scan_articles(root: Path) -> list[ArticleInfo]:
    """Every article page under `root`, newest first (by date, then news id)."""
    found = [
        read_article(path, root)
        for path in root.rglob("*.html")
        if ARTICLE_FILE.match(path.name) and path.parent != root
    ]
    return sorted(found, key=lambda a: (a.published, a.news_id), reverse=True)


# --- markup ---------------------------------------------------------------------------------------


def short_story(article: ArticleInfo) -> str:
    image = (
        f'<div class="short-img"><a href="{e(article.url)}"><img src="{e(article.image)}" alt=""></a></div>'
        if article.image
        else ""
    )
    return (
        '<div class="short-story">'
        f'<div class="short-date">{e(article.date_text)}</div>'
        f'<h2 class="short-title"><a href="{e(article.url)}">{e(article.headline)}</a></h2>'
        f"{image}"
        f'<div class="short-text">{e(article.lead[:300])}</div>'
        f'<a class="short-more" href="{e(article.url)}">Подробнее</a>'
        "</div>"
    )


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def navigation(base: str, current: int, total: int) -> str:
    """DLE's pagination: current page as <span>, neighbours and ends as links, gaps as span.nav_ext."""
    if total <= 1:
        return ""
    shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    parts: list[str] = []
    if current > 1:
        parts.append(f'<a class="nav-prev" href="{page_url(base, current - 1)}">&laquo; Назад</a>')
    else:
        parts.append('<span class="nav-prev">&laquo; Назад</span>')
    previous = 0
    for number in shown:
        if number - previous > 1:
            parts.append('<span class="nav_ext">...</span>')
        parts.append(
            f"<span>{number}</span>" if number == current else f'<a href="{page_url(base, number)}">{number}</a>'
        )
        previous = number
    if current < total:
        parts.append(f'<a class="nav-next" href="{page_url(base, current + 1)}">Вперед &raquo;</a>')
    else:
        parts.append('<span class="nav-next">Вперед &raquo;</span>')
    return '<div class="navigation"><div class="pages">' + " ".join(parts) + "</div></div>"


def calendar_for(month: tuple[int, int], days_with_news: dict[tuple[int, int], set[int]]) -> str:
    year, number = month
    earlier = sorted(m for m in days_with_news if m < month)
    if earlier:
        prev_year, prev_month = earlier[-1]
    else:
        prev_year, prev_month = (year - 1, 12) if number == 1 else (year, number - 1)
    return portal_template.calendar_html(
        year=year,
        month=number,
        active_days=days_with_news.get(month, set()),
        prev=f"{prev_year:04d}/{prev_month:02d}/",
    )


def write_listing(
    root: Path,
    path: str,
    title: str,
    articles: Sequence[ArticleInfo],
    calendar: str,
    written: list[Path],
    per_page: int = PER_PAGE,
    sidebar: str | None = None,
) -> None:
    """Write `path` (e.g. '/politika/') and its pages; an empty listing is one page without stories.

    `per_page` stays at the fixtures' small PER_PAGE (so a few articles make several pages); the scale
    mirror passes a realistic one, and its own feed as `sidebar` (None: the seed's feed).
    """
    base = f"{HOME}{path}"
    total = max(1, -(-len(articles) // per_page))
    for number in range(1, total + 1):
        chunk = articles[(number - 1) * per_page : number * per_page]
        main = MARKER + "\n".join(short_story(a) for a in chunk) + navigation(base, number, total)
        text = portal_template.page(
            title=title if number == 1 else f"{title} » Страница {number}",
            main_html=main,
            canonical=page_url(base, number),
            description=title,
            calendar=calendar,
            sidebar=sidebar,
        )
        target = root / path.strip("/") / ("" if number == 1 else f"page/{number}") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)


def rss(articles: Iterable[ArticleInfo]) -> str:
    items = []
    for article in articles:
        enclosure = f'<enclosure url="{e(article.image)}" type="image/jpeg"/>\n' if article.image else ""
        items.append(
            "<item>\n"
            f"<title>{e(article.headline)}</title>\n"
            f'<guid isPermaLink="true">{e(article.url)}</guid>\n'
            f"<link>{e(article.url)}</link>\n"
            f"<description><![CDATA[{article.lead}]]></description>\n"
            f"<category><![CDATA[{dict(portal_template.MENU).get(article.category, article.category)}]]></category>\n"
            f"{enclosure}"
            f"<pubDate>{format_datetime(article.published)}</pubDate>\n"
            f"<yandex:full-text>{e(article.text)}</yandex:full-text>\n"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss xmlns:yandex="http://news.yandex.ru" xmlns:media="http://search.yahoo.com/mrss/" version="2.0">\n'
        "<channel>\n"
        "<title>Выбор народа</title>\n"
        f"<link>{HOME}/</link>\n"
        "<language>ru</language>\n"
        "<description>Выбор народа</description>\n"
        "<generator>DataLife Engine</generator>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )


def sitemap_index() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{HOME}/uploads/sitemap.xml</loc></sitemap>\n"
        "</sitemapindex>\n"
    )


def sitemap(articles: Sequence[ArticleInfo], categories: Iterable[str]) -> str:
    rows = [f"<url><loc>{HOME}/</loc><changefreq>hourly</changefreq><priority>1.0</priority></url>"]
    rows += [
        f"<url><loc>{HOME}/{c}/</loc><changefreq>daily</changefreq><priority>0.7</priority></url>" for c in categories
    ]
    rows += [
        f"<url><loc>{e(a.url)}</loc><lastmod>{a.published.date().isoformat()}</lastmod><priority>0.6</priority></url>"
        for a in articles
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n"
    )


# --- the whole mirror -------------------------------------------------------------------------------


def remove_previous(root: Path) -> None:
    """Delete the pages an earlier run wrote, and the folders that held nothing else."""
    for path in list(root.rglob("index.html")):
        if MARKER not in path.read_text(encoding="utf-8", errors="replace"):
            continue
        path.unlink()
        directory = path.parent
        while directory != root and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent


def build_navigation(root: Path) -> list[Path]:
    """Write every navigation page for the articles under `root`; return the files written."""
    remove_previous(root)
    articles = scan_articles(root)
    written: list[Path] = []
    days_with_news: dict[tuple[int, int], set[int]] = defaultdict(set)
    by_day: dict[tuple[int, int, int], list[ArticleInfo]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[ArticleInfo]] = defaultdict(list)
    by_category: dict[str, list[ArticleInfo]] = defaultdict(list)
    for article in articles:
        day = article.published
        days_with_news[(day.year, day.month)].add(day.day)
        by_day[(day.year, day.month, day.day)].append(article)
        by_month[(day.year, day.month)].append(article)
        by_category[article.category].append(article)
    newest_month = (articles[0].published.year, articles[0].published.month) if articles else (2026, 3)
    home_calendar = calendar_for(newest_month, days_with_news)

    write_listing(root, "/", "Выбор народа", articles, home_calendar, written)
    menu = [slug for slug, _ in portal_template.MENU]
    categories = list(dict.fromkeys([*menu, *sorted(by_category)]))
    names = dict(portal_template.MENU)
    for category in categories:
        title = names.get(category, category)
        write_listing(root, f"/{category}/", title, by_category.get(category, []), home_calendar, written)
    for (year, month), items in sorted(by_month.items()):
        calendar = calendar_for((year, month), days_with_news)
        title = f"Новости за {MONTH_NAMES[month - 1]} {year} года"
        write_listing(root, f"/{year:04d}/{month:02d}/", title, items, calendar, written)
    for (year, month, day), items in sorted(by_day.items()):
        calendar = calendar_for((year, month), days_with_news)
        title = f"Новости за {day:02d}.{month:02d}.{year}"
        write_listing(root, f"/{year:04d}/{month:02d}/{day:02d}/", title, items, calendar, written)

    for name, text in (
        ("rss.xml", rss(articles[:RSS_ITEMS])),
        ("sitemap.xml", sitemap_index()),
        ("uploads/sitemap.xml", sitemap(articles, categories)),
    ):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the mirror's document root")
    args = parser.parse_args(argv)
    written = build_navigation(args.root)
    print(f"wrote {len(written)} navigation files under {args.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
