"""The seed page: the record the portal's real article must produce, key by key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scraper.extract import extract_article
from tests.conftest import FIXTURES, SEED_FETCHED_AT, SEED_PAGE, SEED_URL, load_json

EXPECTED_SEED = load_json(FIXTURES / "portal" / "seed-article.expected.json")


@pytest.fixture(scope="module")
def seed_record() -> dict[str, object]:
    return extract_article(SEED_PAGE.read_bytes(), url=SEED_URL, fetched_at=SEED_FETCHED_AT).to_dict()


@pytest.mark.parametrize("key", [k for k in EXPECTED_SEED if k != "sidebar"])
def test_seed_field(seed_record: dict[str, object], key: str) -> None:
    assert seed_record[key] == EXPECTED_SEED[key]


def test_seed_sidebar_items(seed_record: dict[str, object]) -> None:
    sidebar = seed_record["sidebar"]
    assert isinstance(sidebar, list)
    assert [{k: item[k] for k in ("title", "time", "published_at")} for item in sidebar] == EXPECTED_SEED["sidebar"]
    assert sidebar[0]["url"] == (
        "http://2018.vybor-naroda.org/lentanovostey/303190-v-primorskom-krae-postrojat-novye-obekty-jenergetiki.html"
    )
    assert sidebar[20]["title"] == "Власти Кубы сообщили, что ведут переговоры с США"
    assert sidebar[20]["published_at"] == "2026-03-04T23:00:00+03:00"


def test_seed_extra_keys(seed_record: dict[str, object]) -> None:
    assert seed_record["canonical_url"] == SEED_URL
    assert seed_record["image_url"] == (
        "http://2018.vybor-naroda.org/uploads/posts/2025-12/1765113371_kurbatov-dnr.jpg"
    )
    assert seed_record["tags"] == []
    assert seed_record["warnings"] == []
    assert seed_record["content_hash"] == "773514f6f59dc4885096402f2691c1094f0f0f042f07415103ec5b51ee16a24a"


def test_extract_command_prints_the_seed_record() -> None:
    result = CliRunner().invoke(
        app, ["extract", str(SEED_PAGE), "--url", SEED_URL, "--fetched-at", SEED_FETCHED_AT, "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    for key, value in EXPECTED_SEED.items():
        if key == "sidebar":
            assert [{k: item[k] for k in ("title", "time", "published_at")} for item in record[key]] == value
        else:
            assert record[key] == value, key
    assert list(record)[: len(EXPECTED_SEED)] == list(EXPECTED_SEED)


def test_extract_command_summary() -> None:
    result = CliRunner().invoke(app, ["extract", str(SEED_PAGE), "--fetched-at", SEED_FETCHED_AT])
    assert result.exit_code == 0
    assert result.stdout == (
        "Липецкая область и ДНР планируют запустить промышленную кооперацию\n"
        f"  url:          {SEED_URL}\n"
        "  site:         vybor-naroda.org   news_id: 297434   category: lentanovostey\n"
        "  published:    2025-12-07T16:16:00+03:00   (shown as: 07 декабря 2025, 16:16)\n"
        "  photo credit: липецкаяобласть.рф\n"
        "  body:         7 paragraphs, 2073 characters\n"
        "  quotes:       2\n"
        "    «В нашем регионе за годы кропотливой работы создана колоссальная, отла…» — Сергей Курбатов (отметил)\n"
        "    «Мы видим огромный потенциал в сотрудничестве с Донецкой Народной Респ…» — "
        "губернатор Липецкой области Игорь Артамонов (подчеркнул)\n"
        "  sidebar:      28 items\n"
        "  tags:         -\n"
        "  warnings:     none\n"
    )


def test_summary_sanitizes_terminal_escapes(tmp_path: Path) -> None:
    html = SEED_PAGE.read_text(encoding="utf-8").replace(
        "<h1 class=\"full-title\">", "<h1 class=\"full-title\">\x1b[2J\x1b]0;pwned\x07\x07"
    )
    page = tmp_path / "escape-test.html"
    page.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(page), "--fetched-at", SEED_FETCHED_AT])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Липецкая область и ДНР планируют запустить промышленную кооперацию"
