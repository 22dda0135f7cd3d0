"""A synthetic portal of N articles in the portal's DLE markup, for the crawl and scale benchmarks.

    uv run python -m bench.scale_mirror --articles 10000            # bench/out/mirror-10000/
    uv run python -m bench.scale_mirror --root DIR --add 50         # 50 newer articles, navigation rewritten

Article `i` is a pure function of `i` (seeded text, news id 200000 + i, one article every 22 minutes
from 2022-01-01 08:00 Moscow time, about 65 a day as on the real portal), so the 10 000-article mirror
is a prefix of the 100 000-article one and `--add` makes the same pages a bigger mirror would have.
Pages come out of `portal_template` (the fixtures' template): varied lengths, three forms of direct
speech, several photo-credit forms and none, the timed sidebar feed (the 28 newest articles), every
fifth page in windows-1251 with the old `http-equiv` charset meta. Navigation comes out of
`build_navigation` (listings, category pages, month and day archives, `/rss.xml`) with 20 stories a
listing page instead of the fixtures' 4, and a sitemap index split in urlsets of at most 40 000 URLs.

The navigation is built from the generator's own data rather than by re-extracting every page
(`build_navigation.build_navigation` does that), which is what keeps 100 000 articles to a few minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.mirrorgen import build_navigation as nav
from bench.mirrorgen import portal_template as tpl
from bench.mirrorgen.translit import slug

OUT = Path(__file__).resolve().parent / "out"
BUNDLED_ROBOTS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mirror" / "robots.txt"
MANIFEST = "scale-mirror.json"
MSK = ZoneInfo("Europe/Moscow")
ORIGIN = datetime(2022, 1, 1, 8, 0, tzinfo=MSK)
STEP = timedelta(minutes=22)
FIRST_ID = 200_000
PER_PAGE = 20
SIDEBAR_ITEMS = 28
URLS_PER_SITEMAP = 40_000
CATEGORIES = tuple(tpl.MENU)

# --- text material ------------------------------------------------------------------------------

SUBJECTS = (
    "Администрация Липецкой области", "Депутаты облсовета", "Жители Ельца", "Областной избирком",
    "Региональное отделение партии", "Управление здравоохранения", "Городская дума Липецка",
    "Предприятия ОЭЗ «Липецк»", "Аграрии Данковского района", "Волонтеры Грязинского района",
    "Молодежный парламент", "Общественная палата региона", "Министерство экономики",
    "Глава Задонского округа", "Фонд поддержки предпринимательства", "Специалисты Росреестра",
)  # fmt: skip
VERBS = (
    "обсудили", "утвердили", "представили", "запустили", "проверили", "одобрили", "подготовили",
    "завершили", "расширили", "предложили", "поддержали", "начали",
)  # fmt: skip
OBJECTS = (
    "программу развития сельских территорий", "поправки в региональный бюджет", "новый маршрут автобуса",
    "проект реконструкции набережной", "план ремонта дорог на лето", "меры поддержки семей с детьми",
    "график приема граждан", "итоги отопительного сезона", "строительство новой школы",
    "конкурс социальных проектов", "закупку техники для коммунальщиков", "перечень льготных лекарств",
    "соглашение о промышленной кооперации", "подготовку к единому дню голосования",
    "модернизацию очистных сооружений", "открытие фельдшерско-акушерского пункта",
)  # fmt: skip
TAILS = (
    "в 2026 году", "до конца года", "на заседании в понедельник", "по итогам первого квартала",
    "в рамках национального проекта", "совместно с муниципалитетами", "после общественных слушаний",
    "с участием экспертов", "на выездном совещании", "в режиме видеоконференции",
)  # fmt: skip
FIGURES = ("12", "40", "150", "3,5", "820", "27", "1 200", "64")
UNITS = ("млн рублей", "километров", "объектов", "процента", "семей", "тысяч квадратных метров")
PEOPLE = (
    ("губернатор Липецкой области", "Игорь Артамонов"), (None, "Сергей Курбатов"),
    ("председатель облизбиркома", "Елена Гусева"), (None, "Михаил Зотов"),
    ("депутат облсовета", "Андрей Аверов"), ("министр экономики", "Ольга Белова"),
    (None, "Наталья Рябова"), ("глава района", "Виктор Сомов"),
)  # fmt: skip
SPEECH_VERBS = ("отметил", "подчеркнул", "пояснил", "заявил", "добавил", "сообщил")
ORGANISATIONS = ("в облизбиркоме", "в пресс-службе администрации", "в управлении образования")
DASHES = ("–", "—", "-")
CREDIT_SITES = ("липецкаяобласть.рф", "oblsovet.ru", "t.me/lipetsk_izbirkom", "admlip.ru")


@dataclass(frozen=True, slots=True)
class Generated:
    """One article as the generator made it: what its page and every navigation page need."""

    index: int
    news_id: int
    category: str
    headline: str
    published: datetime
    paragraphs: tuple[str, ...]
    paragraphs_html: tuple[str, ...]
    credit_html: str | None
    image: str | None
    charset: str
    tags: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"{tpl.HOME}/{self.category}/{self.news_id}-{slug(self.headline)}.html"

    @property
    def date_text(self) -> str:
        p = self.published
        return f"{p.day:02d} {tpl.MONTHS_GENITIVE[p.month - 1]} {p.year}, {p:%H:%M}"


def _sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.4:
        text += f", на это направят {rng.choice(FIGURES)} {rng.choice(UNITS)}"
    return text


def _speech(rng: random.Random) -> str:
    """A paragraph of direct speech in one of the portal's forms (plain text)."""
    said = _sentence(rng)
    role, name = rng.choice(PEOPLE)
    verb = rng.choice(SPEECH_VERBS)
    form = rng.randrange(3)
    if form == 0:
        who = f"{role} {name}" if role else name
        return f"«{said}», {rng.choice(DASHES)} {verb} {who}."
    if form == 1:
        return f"– {said}, – напомнили {rng.choice(ORGANISATIONS)}."
    return f"{name} {verb}: «{said}»."


def generate(index: int) -> Generated:
    """Article `index` (0 is the oldest); the same index always gives the same article."""
    rng = random.Random(index * 7919 + 17)
    headline = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    length = rng.choice((2, 3, 4, 6, 8, 12, 20, 30))
    paragraphs: list[str] = []
    for number in range(length):
        if number and rng.random() < 0.3:
            paragraphs.append(_speech(rng))
        else:
            paragraphs.append(". ".join(_sentence(rng) for _ in range(rng.randint(1, 4))) + ".")
    kind = rng.randrange(6)
    credit = None
    if kind <= 2:
        credit = nav.e(f"Фото с сайта: {CREDIT_SITES[kind]}")
        if kind == 0:
            domain = CREDIT_SITES[0]
            href = f"https://{domain.encode('idna').decode('ascii')}/"
            credit = f'Фото с сайта: <a href="{href}" target="_blank" rel="nofollow noopener">{nav.e(domain)}</a>'
    elif kind == 3:
        credit = "Instagram"
    image = None if kind == 5 else f"/uploads/posts/{2022 + index // 24000}/{index}.jpg"
    return Generated(
        index=index,
        news_id=FIRST_ID + index,
        category=CATEGORIES[rng.randrange(len(CATEGORIES))][0],
        headline=headline,
        published=ORIGIN + index * STEP,
        paragraphs=tuple(paragraphs),
        paragraphs_html=tuple(f"<p>{tpl.text_html(p)}</p>" for p in paragraphs),
        credit_html=credit,
        image=image,
        charset="windows-1251" if index % 5 == 4 else "utf-8",
        tags=tuple(rng.sample(("выборы", "бюджет", "экономика", "Липецк", "здравоохранение"), rng.randint(0, 2))),
    )


def sidebar_for(newest: int) -> str:
    """The feed the portal shows beside every page: the newest articles, headline then `HH:MM`."""
    items = [generate(i) for i in range(newest, max(-1, newest - SIDEBAR_ITEMS), -1)]
    # One item at a time: sidebar_html gives all its items one category, the generator's vary.
    return "".join(
        tpl.sidebar_html([(a.headline, f"{a.published:%H:%M}")], a.news_id, category=a.category) for a in items
    )


def render(article: Generated, sidebar: str, calendar: str) -> bytes:
    """The article's page in the portal template, encoded in its charset."""
    main = tpl.full_story(
        date_text=article.date_text,
        headline=article.headline,
        image=article.image,
        credit_html=article.credit_html,
        text_html="\n".join(article.paragraphs_html),
        print_url=tpl.print_url(article.category, article.news_id, article.headline),
        tags=article.tags,
    )
    text = tpl.page(
        title=article.headline,
        main_html=main,
        canonical=article.url,
        description=article.paragraphs[0][:200],
        og_image=f"{tpl.HOME}{article.image}" if article.image else None,
        charset=article.charset,
        http_equiv=article.charset != "utf-8",
        sidebar=sidebar,
        calendar=calendar,
    )
    return text.encode(article.charset, errors="xmlcharrefreplace")


# --- the mirror ---------------------------------------------------------------------------------


def _info(article: Generated, root: Path, *, full_text: bool) -> nav.ArticleInfo:
    relative = f"{article.category}/{article.news_id}-{slug(article.headline)}.html"
    return nav.ArticleInfo(
        news_id=article.news_id,
        category=article.category,
        url=article.url,
        path=root / relative,
        headline=article.headline,
        date_text=article.date_text,
        published=article.published,
        lead=article.paragraphs[0],
        text="\n\n".join(article.paragraphs) if full_text else "",
        image=f"{tpl.HOME}{article.image}" if article.image else None,
    )


def write_articles(root: Path, indexes: range, newest: int) -> int:
    """Write the pages of articles `indexes`; return the bytes written."""
    sidebar = sidebar_for(newest)
    calendar_cache: dict[tuple[int, int], str] = {}
    total = 0
    made: set[Path] = set()
    for index in indexes:
        article = generate(index)
        month = (article.published.year, article.published.month)
        calendar = calendar_cache.get(month)
        if calendar is None:
            calendar = calendar_cache[month] = tpl.calendar_html(
                year=month[0], month=month[1], active_days=range(1, 32), prev=None
            )
        path = root / article.category / f"{article.news_id}-{slug(article.headline)}.html"
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        body = render(article, sidebar, calendar)
        path.write_bytes(body)
        total += len(body)
    return total


def _remove_navigation(root: Path) -> None:
    """Drop the listing trees an earlier run wrote (article pages stay)."""
    for name in ("index.html", "page", "uploads", *(str(y) for y in range(2000, 2100))):
        target = root / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for category, _ in CATEGORIES:
        for name in ("index.html", "page"):
            target = root / category / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()


def write_navigation(root: Path, count: int) -> int:
    """Listings, category pages, date archives, the feed and the sitemaps for articles 0..count-1."""
    _remove_navigation(root)
    articles = [
        _info(generate(i), root, full_text=i >= count - nav.RSS_ITEMS) for i in range(count - 1, -1, -1)
    ]  # newest first
    written: list[Path] = []
    days: dict[tuple[int, int], set[int]] = defaultdict(set)
    by_day: dict[tuple[int, int, int], list[nav.ArticleInfo]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[nav.ArticleInfo]] = defaultdict(list)
    by_category: dict[str, list[nav.ArticleInfo]] = defaultdict(list)
    for article in articles:
        p = article.published
        days[(p.year, p.month)].add(p.day)
        by_day[(p.year, p.month, p.day)].append(article)
        by_month[(p.year, p.month)].append(article)
        by_category[article.category].append(article)
    newest_month = (articles[0].published.year, articles[0].published.month)
    home_calendar = nav.calendar_for(newest_month, days)
    listing: dict[str, Any] = {"per_page": PER_PAGE, "sidebar": sidebar_for(count - 1)}
    nav.write_listing(root, "/", "Выбор народа", articles, home_calendar, written, **listing)
    for category, name in CATEGORIES:
        nav.write_listing(root, f"/{category}/", name, by_category.get(category, []), home_calendar, written, **listing)
    for (year, month), items in sorted(by_month.items()):
        calendar = nav.calendar_for((year, month), days)
        title = f"Новости за {nav.MONTH_NAMES[month - 1]} {year} года"
        nav.write_listing(root, f"/{year:04d}/{month:02d}/", title, items, calendar, written, **listing)
    for (year, month, day), items in sorted(by_day.items()):
        calendar = nav.calendar_for((year, month), days)
        title = f"Новости за {day:02d}.{month:02d}.{year}"
        path = f"/{year:04d}/{month:02d}/{day:02d}/"
        nav.write_listing(root, path, title, items, calendar, written, **listing)
    (root / "rss.xml").write_text(nav.rss(articles[: nav.RSS_ITEMS]), encoding="utf-8")
    _write_sitemaps(root, articles)
    shutil.copyfile(BUNDLED_ROBOTS, root / "robots.txt")
    return len(written) + 2


def _write_sitemaps(root: Path, articles: Sequence[nav.ArticleInfo]) -> None:
    """A sitemap index of urlsets (`/uploads/sitemap1.xml`, ...), as large DLE sites publish."""
    uploads = root / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    rows = [f"<url><loc>{tpl.HOME}/</loc><changefreq>hourly</changefreq><priority>1.0</priority></url>"]
    rows += [
        f"<url><loc>{tpl.HOME}/{c}/</loc><changefreq>daily</changefreq><priority>0.7</priority></url>"
        for c, _ in CATEGORIES
    ]
    rows += [
        f"<url><loc>{nav.e(a.url)}</loc><lastmod>{a.published.date().isoformat()}</lastmod>"
        "<priority>0.6</priority></url>"
        for a in articles
    ]
    names = []
    for number, start in enumerate(range(0, len(rows), URLS_PER_SITEMAP), start=1):
        name = f"sitemap{number}.xml"
        names.append(name)
        (uploads / name).write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows[start : start + URLS_PER_SITEMAP])
            + "\n</urlset>\n",
            encoding="utf-8",
        )
    index = "".join(f"<sitemap><loc>{tpl.HOME}/uploads/{name}</loc></sitemap>\n" for name in names)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + index
        + "</sitemapindex>\n",
        encoding="utf-8",
    )


def build(root: Path, articles: int) -> dict[str, float]:
    """A fresh mirror of `articles` articles under `root` (replacing what is there)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    size = write_articles(root, range(articles), newest=articles - 1)
    pages_done = time.perf_counter()
    navigation = write_navigation(root, articles)
    (root / MANIFEST).write_text(json.dumps({"articles": articles}), encoding="utf-8")
    return {
        "articles": articles,
        "article_bytes": size,
        "navigation_files": navigation,
        "article_seconds": pages_done - started,
        "navigation_seconds": time.perf_counter() - pages_done,
    }


def add(root: Path, count: int) -> dict[str, float]:
    """`count` articles newer than every article of the mirror at `root`, and its navigation anew."""
    have = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["articles"]
    started = time.perf_counter()
    size = write_articles(root, range(have, have + count), newest=have + count - 1)
    navigation = write_navigation(root, have + count)
    (root / MANIFEST).write_text(json.dumps({"articles": have + count}), encoding="utf-8")
    return {
        "articles": have + count,
        "added": count,
        "article_bytes": size,
        "navigation_files": navigation,
        "seconds": time.perf_counter() - started,
    }


def default_root(articles: int) -> Path:
    return OUT / f"mirror-{articles}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=10_000, help="articles in a new mirror (default 10000)")
    parser.add_argument("--root", type=Path, help="where to write (default bench/out/mirror-N)")
    parser.add_argument("--add", type=int, help="add this many newer articles to the mirror at --root")
    args = parser.parse_args(argv)
    if not 1 <= args.articles <= 200_000:
        parser.error("--articles must be between 1 and 200000")
    if args.add is not None:
        if args.root is None:
            parser.error("--add needs --root")
        print(json.dumps(add(args.root, args.add)))
        return 0
    root = args.root or default_root(args.articles)
    print(json.dumps({"root": str(root), **build(root, args.articles)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
