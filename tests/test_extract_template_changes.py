"""Template changes: the seed page with every class name replaced must still give the seed record.

The real template's class names are not known and change between redesigns; what survives is
`#dle-content`, headings, head meta, the credit label and the shape of the sidebar feed.
"""

from __future__ import annotations

import re

import pytest

from scraper.extract import extract_article
from tests.conftest import FIXTURES, SEED_FETCHED_AT, SEED_PAGE, SEED_URL, load_json

EXPECTED_SEED = load_json(FIXTURES / "portal" / "seed-article.expected.json")
_CLASS = re.compile(r'class="[^"]*"')


def _renamed_classes(html: str) -> str:
    counter = iter(range(10_000))
    return _CLASS.sub(lambda _: f'class="x{next(counter)}"', html)


@pytest.mark.parametrize("variant", ["renamed-classes", "no-classes"])
def test_seed_record_survives_a_redesign(variant: str) -> None:
    html = SEED_PAGE.read_text(encoding="utf-8")
    html = _renamed_classes(html) if variant == "renamed-classes" else _CLASS.sub("", html)
    record = extract_article(html, url=SEED_URL, fetched_at=SEED_FETCHED_AT).to_dict()
    for key, value in EXPECTED_SEED.items():
        if key == "sidebar":
            assert [{k: item[k] for k in ("title", "time", "published_at")} for item in record[key]] == value
        else:
            assert record[key] == value, key
    assert record["image_url"] == "http://2018.vybor-naroda.org/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"


def test_body_of_br_separated_paragraphs() -> None:
    html = (
        "<html><body><div id='dle-content'><div class='base fullstory'>"
        "<h3 class='btl'><span id='news-title'>Заголовок новости</span></h3>"
        "<div class='maincont'>Первый абзац&nbsp;текста.<br /><br />Второй абзац, пере\u00adнос.<br />"
        "<br />«Это цитата», – сказал Иван Петров.<br /></div></div></div></body></html>"
    )
    record = extract_article(html, url=SEED_URL, fetched_at=SEED_FETCHED_AT)
    assert record.headline == "Заголовок новости"
    assert record.body == "Первый абзац текста.\n\nВторой абзац, перенос.\n\n«Это цитата», – сказал Иван Петров."
    assert [(q.text, q.speaker, q.verb) for q in record.quotes] == [("Это цитата", "Иван Петров", "сказал")]


FEED_LAYOUTS = {
    "time-inside-link": '<a href="/n/{id}-x.html"><span>{title}</span><span>{time}</span></a>',
    "time-after-link": '<a href="/n/{id}-x.html">{title}</a><span class="t">{time}</span>',
    "time-before-link": '<span class="t">{time}</span> <a href="/n/{id}-x.html">{title}</a>',
    "list-items": '<li><a href="/n/{id}-x.html">{title}</a> <small>{time}</small></li>',
    "wrapped-title": '<div class="item"><div class="title"><a href="/n/{id}-x.html">{title}</a></div>'
    '<div class="time">{time}</div></div>',
    "text-after-title": '<a href="/n/{id}-x.html">{title} {time}</a>',
}
FEED = [("Первая новость", "00:10", 3), ("Вторая новость", "23:50", 2), ("Третья новость", "09:05", 1)]


@pytest.mark.parametrize("layout", list(FEED_LAYOUTS))
def test_sidebar_feed_layouts(layout: str) -> None:
    items = "".join(FEED_LAYOUTS[layout].format(id=i, title=t, time=c) for t, c, i in FEED)
    wrapper = "ul" if layout == "list-items" else "div"
    related = '<div class="related"><a href="/n/7-y.html">Похожая новость</a><a href="/n/8-z.html">Ещё одна</a></div>'
    html = (
        "<html><body><div id='dle-content'><h1>Заголовок</h1><p>Текст новости.</p></div>"
        f"<aside>{related}<{wrapper} class='feed-x'>{items}</{wrapper}></aside></body></html>"
    )
    record = extract_article(html, url=SEED_URL, fetched_at="2026-03-05T00:30:00+03:00").to_dict()
    assert record["sidebar"] == [
        {
            "title": "Первая новость",
            "time": "00:10",
            "published_at": "2026-03-05T00:10:00+03:00",
            "url": "http://2018.vybor-naroda.org/n/3-x.html",
        },
        {
            "title": "Вторая новость",
            "time": "23:50",
            "published_at": "2026-03-04T23:50:00+03:00",
            "url": "http://2018.vybor-naroda.org/n/2-x.html",
        },
        {
            "title": "Третья новость",
            "time": "09:05",
            "published_at": "2026-03-04T09:05:00+03:00",
            "url": "http://2018.vybor-naroda.org/n/1-x.html",
        },
    ]


@pytest.mark.parametrize(
    ("credit_html", "credit"),
    [
        (
            '<div class="img-src">Фото с сайта: <a href="https://xn--80aacoonefzg3am8b1fsb.xn--p1ai/">'
            "xn--80aacoonefzg3am8b1fsb.xn--p1ai</a></div>",
            "липецкаяобласть.рф",
        ),
        ('<p class="src">Фото с сайта oblsovet.ru</p>', "oblsovet.ru"),
        (
            "<p><span>Фото:</span> <a href='https://t.me/lipetsk_izbirkom'>t.me/lipetsk_izbirkom</a></p>",
            "t.me/lipetsk_izbirkom",
        ),
        (
            "<figure><img src='/a.jpg'><figcaption>Участники встречи. Фото — пресс-служба облсовета"
            "</figcaption></figure>",
            "пресс-служба облсовета",
        ),
        ("<figure><img src='/a.jpg'><figcaption>Участники встречи</figcaption></figure>", None),
    ],
)
def test_photo_credit_forms_on_unknown_markup(credit_html: str, credit: str | None) -> None:
    html = (
        "<html><body><div id='dle-content'><div class='story'><h1>Заголовок</h1>"
        f"{credit_html}<div class='content'><p>{'Текст новости. ' * 20}</p></div></div></div></body></html>"
    )
    record = extract_article(html, url=SEED_URL, fetched_at=SEED_FETCHED_AT)
    assert record.photo_credit == credit
    assert record.body == ("Текст новости. " * 20).strip()
