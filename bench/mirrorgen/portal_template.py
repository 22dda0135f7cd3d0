"""Renders pages in the portal's own DLE template: the markup of the mirror's portal-template pages.

The real template's class names are not known; this one keeps the hooks every DLE template has
(`div#dle-content`, the generator meta, canonical and RSS links, the calendar widget, the question
form) and puts the story, the timed news feed and the archive calendar where the portal shows them.
Every function takes what varies from page to page as parameters, so fixture builders and the
scale-mirror generator can share it.
"""

# The templates are HTML kept one element per line, as the portal serves it.
# ruff: noqa: E501

from __future__ import annotations

import calendar as calendar_module
import html
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from .translit import slug

HOME = "http://2018.vybor-naroda.org"

# The portal's news feed as the seed page showed it on 2026-03-05 at 17:00 (newest first; the feed
# crosses midnight between "10:28" and "23:00").
SIDEBAR: tuple[tuple[str, str], ...] = (
    ("В Приморском крае построят новые объекты энергетики", "16:45"),
    ("Инвестиционный портфель Республики Коми достиг 700 млрд рублей", "16:25"),
    ("Вице-президент США выступал против операции в Иране", "15:38"),
    ("Военкоры остро отреагировали на возрождение таксофонов на улицах городов", "15:14"),
    ("Чувашия ввела в эксплуатацию более 820 тысяч квадратных метров жилья", "15:06"),
    ("Агентство по привлечению инвестиций Кубани возглавила Епифанцева", "14:44"),
    ("Курские родители-студенты получат 200 тысяч при рождении ребенка", "14:32"),
    ("Валерий Фадеев - восьмой выпуск авторской программы «Земля будущего»", "14:06"),
    ("В Нижегородской области «Единая Россия» дала старт праймериз", "13:50"),
    ("В Приморском крае стартовали форумы «Единой России»", "13:01"),
    ("В Курске состоялась презентация мастер-плана развития города", "12:41"),
    ("ОП РФ поделилась опытом с коллегами из Абхазии", "12:29"),
    ("В Казахстане пройдет референдум по новой Конституции", "12:19"),
    ("Трамп заявил, что его больше не интересует получение Нобелевской премии", "12:02"),
    ("Восемь регионов определились с представительством в 9-ом составе ОП РФ", "11:43"),
    ("Московские коммунисты разъяснили, зачем КПРФ участвует в выборах", "11:19"),
    ("В Петербурге хотят провести референдум против реновации хрущевок", "11:01"),
    ("КПРФ во многом опирается на историческую память", "10:52"),
    ("Сделка, о которой говорят шепотом", "10:48"),
    ("Гонка технологических суверенитетов", "10:28"),
    ("Власти Кубы сообщили, что ведут переговоры с США", "23:00"),
    ("Чечня подготовит 12 тысяч наблюдателей к выборам в ЕДГ-2026", "22:48"),
    ("Дальневосточный морской конгресс пройдет в Приморье", "22:36"),
    ("Национальная независимая партия победила на выборах в Непале", "22:24"),
    ("Мирошник об отказе Трампа Зеленскому: Шарик самопиара лопнул", "22:12"),
    ("Ямальский нефтегазовый форум проходит в Новом Уренгое", "22:11"),
    ("Минюст РФ пополнил реестр иностранных агентов", "22:00"),
    ("Кострома может внести весомый вклад в развитие водного туризма", "21:48"),
)
# News id of the feed's first item; the feed's items carry consecutive ids downwards.
SIDEBAR_FIRST_ID = 303190
SIDEBAR_CATEGORY = "lentanovostey"

MENU: tuple[tuple[str, str], ...] = (
    ("lentanovostey", "Лента новостей"),
    ("politika", "Политика"),
    ("ekonomika", "Экономика"),
    ("vybory", "Выборы"),
    ("obschestvo", "Общество"),
)

MONTHS_NOMINATIVE: tuple[str, ...] = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip
MONTHS_GENITIVE: tuple[str, ...] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def e(text: str) -> str:
    """HTML-escape text for element content and attribute values alike."""
    return html.escape(text, quote=True)


def text_html(text: str) -> str:
    """Escape text and write its no-break spaces as `&nbsp;`, as the CMS's editor saves them."""
    return e(text).replace("\u00a0", "&nbsp;")


def article_url(category: str, news_id: int | str, headline: str, *, home: str = HOME) -> str:
    """The URL DLE gives an article: `{home}/{category}/{news_id}-{slug}.html`."""
    return f"{home}/{category}/{news_id}-{slug(headline)}.html"


def print_url(category: str, news_id: int | str, headline: str, *, home: str = HOME) -> str:
    """The URL of an article's print version (DLE's "Печать" link)."""
    return f"{home}/{category}/print:page,1,{news_id}-{slug(headline)}.html"


def tag_url(tag: str, *, home: str = HOME) -> str:
    """DLE's tag page URL; the tag is percent-encoded in UTF-8."""
    return f"{home}/tags/{quote(tag, safe='')}/"


def sidebar_html(
    items: Sequence[tuple[str, str]] = SIDEBAR,
    first_id: int = SIDEBAR_FIRST_ID,
    *,
    href_base: str = HOME,
    category: str = SIDEBAR_CATEGORY,
) -> str:
    """The timed news feed: one link per item, headline then `HH:MM`, newest first.

    `href_base` is prefixed to each link's path: the portal's absolute home URL, or "" for the
    root-relative links some hosts serve (a reader resolves those against the page's own host).
    """
    out = []
    for index, (title, time) in enumerate(items):
        url = f"{href_base}/{category}/{first_id - index}-{slug(title)}.html"
        out.append(
            f'<a class="lenta-item" href="{url}"><span class="lenta-title">{e(title)}</span>'
            f'<span class="lenta-time">{time}</span></a>'
        )
    return "".join(out)


def sidebar_item_url(index: int, title: str, first_id: int = SIDEBAR_FIRST_ID, *, href_base: str = HOME) -> str:
    """The href `sidebar_html` writes for the feed's item at `index` (for expected records)."""
    return f"{href_base}/{SIDEBAR_CATEGORY}/{first_id - index}-{slug(title)}.html"


def calendar_html(
    year: int = 2026,
    month: int = 3,
    active_days: Iterable[int] = range(1, 6),
    prev: str | None = "2026/02/",
    next_: str | None = None,
    *,
    home: str = HOME,
) -> str:
    """DLE's archive calendar widget for one month.

    `prev` / `next_` are the `YYYY/MM/` archive paths the « and » arrows link to (None: a bare arrow,
    as DLE prints for a month without news); days in `active_days` link to their `/YYYY/MM/DD/` archive.
    """
    active = set(active_days)
    name = MONTHS_NOMINATIVE[month - 1]
    arrows = []
    for path, direction, title, sign in ((prev, "right", "Предыдущий месяц", "&laquo;"), (next_, "left", "Следующий месяц", "&raquo;")):
        if path is None:
            arrows.append(sign)
        else:
            arrows.append(
                f'<a class="monthlink" onclick="doCalendar(\'{path[5:7]}\',\'{path[:4]}\',\'{direction}\'); return false;" '
                f'href="{home}/{path}" title="{title}">{sign}</a>'
            )
    gap = "&nbsp;" * 4
    rows = [
        f'<tr><th colspan="7" class="monthselect">{arrows[0]}{gap}{name} {year}{gap}{arrows[1]}</th></tr>',
        '<tr class="daynames"><th class="workday">Пн</th><th class="workday">Вт</th><th class="workday">Ср</th>'
        '<th class="workday">Чт</th><th class="workday">Пт</th><th class="weekday">Сб</th><th class="weekday">Вс</th></tr>',
    ]
    for week in calendar_module.Calendar(0).monthdayscalendar(year, month):
        lead = next((i for i, day in enumerate(week) if day), 7)
        trail = next((i for i, day in enumerate(reversed(week)) if day), 7)
        cells = []
        if lead:
            cells.append(f'<td colspan="{lead}">&nbsp;</td>')
        for weekday, day in enumerate(week):
            if day == 0:
                continue
            cls = "weekday" if weekday >= 5 else "day"
            if day in active:
                cells.append(
                    f'<td class="{cls} day-active"><a class="day-active" href="{home}/{year}/{month:02d}/{day:02d}/" '
                    f'title="Все публикации за {day:02d} {name.lower()} {year}">{day}</a></td>'
                )
            else:
                cells.append(f'<td class="{cls}">{day}</td>')
        if trail:
            cells.append(f'<td colspan="{trail}"></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<div id="calendar-layer"><table id="calendar" class="calendar">' + "\n".join(rows) + "</table></div>"


def page(
    *,
    title: str,
    main_html: str,
    canonical: str | None = None,
    description: str = "",
    keywords: str = "",
    og_image: str | None = None,
    charset: str = "utf-8",
    http_equiv: bool = False,
    sidebar: str | None = None,
    calendar: str | None = None,
    home: str = HOME,
) -> str:
    """A whole page of the portal: head, menu, `main_html` in `#dle-content`, feed, form, calendar.

    `sidebar` / `calendar` default to the seed's feed and March 2026 calendar; pass "" to leave one
    empty. `http_equiv` writes the charset as DLE 12 and older templates did
    (`<meta http-equiv="Content-Type" ...>`); the caller encodes the returned text in `charset`.
    """
    if http_equiv:
        charset_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    else:
        charset_meta = f'<meta charset="{charset}">'
    head_extra = ""
    if canonical:
        head_extra += f'<meta property="og:url" content="{e(canonical)}">\n<link rel="canonical" href="{e(canonical)}">\n'
    if og_image:
        head_extra += f'<meta property="og:image" content="{e(og_image)}">\n'
    menu = "".join(f'<li><a href="{home}/{category}/">{name}</a></li>' for category, name in MENU)
    feed = sidebar if sidebar is not None else sidebar_html()
    archive = calendar if calendar is not None else calendar_html()
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
{charset_meta}
<title>{e(title)} &raquo; Выбор народа</title>
<meta name="description" content="{e(description)}">
<meta name="keywords" content="{e(keywords)}">
<meta name="generator" content="DataLife Engine (http://dle-news.ru)">
<meta property="og:site_name" content="Выбор народа">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
{head_extra}<link rel="search" type="application/opensearchdescription+xml" href="{home}/index.php?do=opensearch" title="Выбор народа">
<link rel="alternate" type="application/rss+xml" title="Выбор народа" href="{home}/rss.xml">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/templates/vybor/css/styles.css" type="text/css">
<script src="/engine/classes/js/jquery.js"></script>
<script src="/engine/classes/js/dle_js.js"></script>
</head>
<body>
<script>
<!--
var dle_root       = '/';
var dle_admin      = '';
var dle_login_hash = '';
var dle_skin       = 'vybor';
var dle_wysiwyg    = '0';
//-->
</script>
<div class="wrapper">
<header class="header">
<div class="header-top"><a class="logo" href="{home}/" title="Выбор народа"><img src="/templates/vybor/images/logo.png" alt=""></a>
<div class="header-about">Портал разработан и поддерживается АНО "Центр ПРИСП"</div></div>
<nav class="topmenu"><div class="menu-toggle" onclick="$('.menu-list').toggle();">Меню</div>
<ul class="menu-list" style="display:none">{menu}</ul></nav>
</header>
<div class="columns">
<main class="main-col">
<div id='dle-content'>{main_html}</div>
</main>
<aside class="side-col">
<div class="side-block side-lenta"><div class="lenta">
{feed}
</div></div>
<div class="side-block side-subscribe">
<form method="post" action="{home}/index.php?do=feedback" class="subscribe-form">
<div class="form-row"><label for="sub_email">E-mail*:</label><input type="email" name="email" id="sub_email" required></div>
<div class="form-row"><label for="sub_name">ФИО</label><input type="text" name="name" id="sub_name"></div>
<div class="form-row"><label for="sub_phone">Телефон</label><input type="text" name="phone" id="sub_phone"></div>
<div class="form-row"><label for="sub_post">Должность</label><input type="text" name="post" id="sub_post"></div>
<div class="form-row"><span id="dle-question">Сумма 9 и 2 будет</span><input type="text" name="question_answer" id="question_answer"></div>
<input type="hidden" name="send" value="send"><input class="btn" type="submit" value="Подписаться">
</form>
</div>
<div class="side-block side-calendar"><div class="side-title">Архив</div>
{archive}
</div>
</aside>
</div>
</div>
<script>
$(function(){{ $('.lenta-item').attr('target', '_self'); }});
</script>
</body>
</html>
"""


def full_story(
    *,
    date_text: str,
    headline: str,
    image: str | None = None,
    credit_html: str | None = None,
    text_html: str,
    print_url: str | None = None,
    tags: Sequence[str] = (),
    extra_after_text: str = "",
    home: str = HOME,
) -> str:
    """The portal's full-story block: date, headline, main image and its credit, text, tags, print link.

    `credit_html` and `text_html` are markup (the credit often links its source); `tags` are plain text.
    """
    parts = ['<div class="full-story">', f'<div class="full-date">{date_text}</div>', f'<h1 class="full-title">{e(headline)}</h1>']
    if image:
        parts.append(f'<div class="full-img"><img src="{e(image)}" alt="{e(headline)}"></div>')
    if credit_html:
        parts.append(f'<div class="full-img-credit">{credit_html}</div>')
    parts.append(f'<div class="full-text">\n{text_html}\n</div>')
    parts.append(extra_after_text)
    if tags:
        links = ", ".join(f'<a href="{tag_url(tag, home=home)}">{e(tag)}</a>' for tag in tags)
        parts.append(f'<div class="full-tags">Теги: {links}</div>')
    if print_url:
        parts.append(f'<div class="full-print"><a class="print-link" href="{e(print_url)}" rel="nofollow">Печать</a></div>')
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def paras(texts: Iterable[str]) -> str:
    """Paragraphs of plain text as `<p>` elements, one per line."""
    return "\n".join(f"<p>{text_html(text)}</p>" for text in texts)
