"""Records for archive tests: the seed record, an edited copy of it and two more articles, as
`extract --json` would print them (tests/fixtures/archive/*.json), and a builder for a fixture archive."""

from __future__ import annotations

import json
from pathlib import Path

from scraper.models import Article
from scraper.store import Archive

RECORDS = Path(__file__).parent / "fixtures" / "archive"


def record(name: str) -> Article:
    return Article.from_dict(json.loads((RECORDS / f"{name}.json").read_text(encoding="utf-8")))


SEED = "01-seed"
SEED_EDITED = "02-seed-edited"
ZOTOV = "03-zotov"
ANSI = "04-ansi-headline"
ALL = (SEED, SEED_EDITED, ZOTOV, ANSI)


def build_fixture_archive(path: Path) -> Path:
    """An archive holding every fixture record, stored in name order (the seed ends at version 2)."""
    with Archive.open(path) as archive:
        for name in ALL:
            archive.upsert_article(record(name))
    return path
