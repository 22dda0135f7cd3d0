"""Shared test paths and helpers: the mirror's document root and the expected records beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
MIRROR = FIXTURES / "mirror"
EXPECTED = FIXTURES / "expected"
SEED_URL = (
    "http://2018.vybor-naroda.org/lentanovostey/"
    "297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
)
SEED_PAGE = MIRROR / urlsplit(SEED_URL).path.lstrip("/")
SEED_FETCHED_AT = "2026-03-05T17:00:00+03:00"


def mirror_path(url: str) -> Path:
    """The mirror file that serves a portal URL's path."""
    path = unquote(urlsplit(url).path).lstrip("/")
    return MIRROR / (path + "index.html" if path.endswith("/") or not path else path)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
