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
