"""The seed page: the record the portal's real article must produce, key by key."""

from __future__ import annotations

import json

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
