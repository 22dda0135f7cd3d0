"""Every mirror page with an expected record: the extractor's output, compared key by key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scraper.extract import extract_article
from tests.conftest import EXPECTED, load_json, mirror_path

CASES = sorted(EXPECTED.glob("*.json"))


def _extract(expected: dict[str, Any]) -> dict[str, Any]:
    page = mirror_path(expected["url"])
    return extract_article(page.read_bytes(), url=expected["url"], fetched_at=expected["fetched_at"]).to_dict()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_page_gives_its_expected_record(case: Path) -> None:
    expected = load_json(case)
    got = _extract(expected)
    assert {key: got[key] for key in expected} == expected


def test_every_variation_has_a_case() -> None:
    assert len(CASES) >= 15
