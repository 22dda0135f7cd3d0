"""Extraction never raises on a page, however broken: fixtures mangled by hypothesis."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import extract_article
from scraper.models import Article
from tests.conftest import MIRROR, SEED_FETCHED_AT, SEED_URL

PAGES = sorted(p for p in MIRROR.rglob("*.html") if p.stat().st_size > 2000)
FRAGMENTS = [
    "<",
    ">",
    "</div>",
    "<div id='dle-content'>",
    "<p>",
    "«",
    "», – отметил он.",
    "Фото с сайта:",
    "<a href='javascript:alert(1)'>",
    "12:61",
    "Вчера, 99:99",
    "31 февраля 2025, 10:00",
    "\x00",
    "\x1b[31m",
    "&#xD800;",
    "<script>",
    "<table><tr><td>",
    "<time class='date' datetime='garbage'>",
]


@st.composite
def mangled_pages(draw: st.DrawFn) -> bytes:
    source: Path = draw(st.sampled_from(PAGES))
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["cut", "delete", "insert", "truncate", "flip"]))
        if action == "cut":
            end = draw(st.integers(min_value=position, max_value=min(len(data), position + 4000)))
            del data[position:end]
        elif action == "insert":
            data[position:position] = draw(st.sampled_from(FRAGMENTS)).encode()
        elif action == "truncate":
            del data[position:]
        elif action == "flip" and position < len(data):
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "delete" and position < len(data):
            del data[position]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=mangled_pages())
def test_mangled_pages_give_a_record(page: bytes) -> None:
    article = extract_article(page, url=SEED_URL, fetched_at=SEED_FETCHED_AT)
    assert isinstance(article, Article)
    assert article.news_id == "297434"
    assert article.to_dict()["fetched_at"] == SEED_FETCHED_AT


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=3000))
def test_arbitrary_text_gives_a_record(text: str) -> None:
    article = extract_article(text, url=SEED_URL, fetched_at=SEED_FETCHED_AT)
    assert article.site == "vybor-naroda.org"
    for field in ("headline", "published_at", "body"):
        if getattr(article, field) is None:
            assert f"{field}: not found on the page" in article.warnings


def test_empty_page_names_every_missing_field() -> None:
    article = extract_article(b"", url=SEED_URL, fetched_at=SEED_FETCHED_AT)
    assert article.warnings == (
        "headline: not found on the page",
        "published_at: not found on the page",
        "photo_credit: not found on the page",
        "body: not found on the page",
        "layout: no known article container; fields were searched in the whole page",
    )
    assert article.sidebar == ()
    assert article.quotes == ()
