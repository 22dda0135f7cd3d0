"""The mirror's article fixtures themselves: the seed page reads as the real page did, every expected
record is well-formed and names a page of the mirror, and the special pages are what they claim to be.

The extractor is tested against these files elsewhere; here a broken fixture fails on its own, before
it can pass for an extractor bug.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.mirrorgen.build_fixtures import build
from tests.conftest import EXPECTED, FIXTURES, SEED_PAGE, load_json, mirror_path
from tests.visible_text import visible_lines

RECORD_KEYS = [
    "url",
    "site",
    "news_id",
    "category",
    "headline",
    "published_text",
    "published_at",
    "photo_credit",
    "body",
    "quotes",
    "sidebar",
    "fetched_at",
    "canonical_url",
    "image_url",
    "tags",
]
QUOTE_KEYS = ["text", "speaker", "speaker_role", "verb"]
SIDEBAR_KEYS = ["title", "time", "published_at", "url"]
MOSCOW_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$")
PORTAL_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?vybor-naroda\.org$")
PROFILE = tomllib.loads((Path(__file__).parents[1] / "scraper" / "sites" / "vybor_naroda.toml").read_text("utf-8"))
EXPECTED_FILES = sorted(EXPECTED.glob("*.json"))


def _record(stem: str) -> dict[str, Any]:
    return load_json(EXPECTED / f"{stem}.json")


def test_seed_page_reads_as_the_portal_page() -> None:
    seen = (FIXTURES / "portal" / "seed-page.txt").read_text(encoding="utf-8")
    expected = [line.strip(" ") for line in seen.split("\n") if line.strip()]
    assert visible_lines(SEED_PAGE.read_text(encoding="utf-8")) == expected


def test_there_is_a_fixture_for_every_variation() -> None:
    assert len(EXPECTED_FILES) >= 15


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=[p.stem for p in EXPECTED_FILES])
def test_expected_record_is_well_formed(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert list(record) == RECORD_KEYS
    url = urlsplit(record["url"])
    assert url.scheme == "http"
    assert PORTAL_HOST.match(url.hostname or "")
    assert record["site"] == "vybor-naroda.org"
    assert path.stem in (record["news_id"], record["news_id"] + "-print")
    assert f"/{record['category']}/" in url.path and record["news_id"] in url.path
    assert MOSCOW_ISO.match(record["published_at"])
    assert MOSCOW_ISO.match(record["fetched_at"])
    assert record["published_at"] <= record["fetched_at"]

    paragraphs = record["body"].split("\n\n")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    for text in (record["body"], *(q["text"] for q in record["quotes"])):
        assert "\u00a0" not in text and "\u00ad" not in text and "  " not in text

    for quote in record["quotes"]:
        assert list(quote) == QUOTE_KEYS
        assert quote["text"] and quote["text"][0] not in '«»"–—- ' and not quote["text"].endswith((",", "»", " "))
    for item in record["sidebar"]:
        assert list(item) == SIDEBAR_KEYS
        assert re.fullmatch(r"\d{2}:\d{2}", item["time"])
        assert MOSCOW_ISO.match(item["published_at"]) and item["published_at"].endswith(f"T{item['time']}:00+03:00")
        assert item["published_at"] <= record["fetched_at"]
        assert PORTAL_HOST.match(urlsplit(item["url"]).hostname or "")
    assert isinstance(record["tags"], list) and all(isinstance(tag, str) for tag in record["tags"])
    for key in ("canonical_url", "image_url"):
        assert record[key] is None or record[key].startswith("http://")


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=[p.stem for p in EXPECTED_FILES])
def test_expected_record_names_a_mirror_page(path: Path) -> None:
    record = load_json(path)
    page = mirror_path(record["url"])
    assert page.is_file()
    raw = page.read_bytes()
    text = raw.decode("cp1251" if b"charset=windows-1251" in raw[:1024] else "utf-8")
    assert record["headline"] in text.replace("&quot;", '"')


def test_seed_record_is_the_published_seed_record() -> None:
    published = load_json(FIXTURES / "portal" / "seed-article.expected.json")
    record = _record("297434")
    assert {k: v for k, v in record.items() if k in published and k != "sidebar"} == {
        k: v for k, v in published.items() if k != "sidebar"
    }
    shown = [{k: item[k] for k in ("title", "time", "published_at")} for item in record["sidebar"]]
    assert shown == published["sidebar"]
    assert record["canonical_url"] == record["url"]
    assert record["image_url"] == "http://2018.vybor-naroda.org/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"
    assert record["tags"] == []


def test_windows_1251_page_is_windows_1251_bytes() -> None:
    raw = mirror_path(_record("291190")["url"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1251")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">' in text
    assert "Андрей Пахомов" in text and "\u00ad" in text


def test_print_page_is_at_a_print_url() -> None:
    record = _record("295812-print")
    path = urlsplit(record["url"]).path
    match = re.match(PROFILE["urls"]["print"], path)
    assert match is not None and match["news_id"] == "295812" and match["category"] == "vybory"
    assert re.match(PROFILE["urls"]["article"], path) is None
    article = _record("295812")
    assert (record["body"], record["quotes"]) == (article["body"], article["quotes"])


def test_fixtures_regenerate_byte_for_byte(tmp_path: Path) -> None:
    """The committed pages and records are exactly what the generator writes from its data."""
    for written in build(tmp_path):
        committed = FIXTURES / written.relative_to(tmp_path)
        assert committed.read_bytes() == written.read_bytes(), committed
