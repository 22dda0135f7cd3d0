"""The page sets the extraction benchmarks share, so every tool reads exactly the same pages.

- `fixture_pages()`: every mirror page that has an expected record in tests/fixtures/expected/
  (portal template, stock DLE 10/14 templates, the print version, windows-1251), with that record;
- `scale_pages(n)`: `n` pages of the synthetic scale mirror, rendered in memory (no files needed),
  spread evenly over a 10 000-article mirror.

Each page carries its raw bytes (what our extractor takes) and the decoded text (what trafilatura and
newspaper4k take: they are handed the work of decoding for free).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench import scale_mirror
from scraper.encoding import decode_body

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO / "tests" / "fixtures" / "mirror"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
SCALE_FETCHED_AT = "2026-03-05T17:00:00+03:00"


@dataclass(frozen=True, slots=True)
class Page:
    """One page as every tool gets it."""

    name: str
    url: str
    fetched_at: str
    raw: bytes
    text: str
    expected: dict[str, Any] | None = None


def mirror_file(url: str) -> Path:
    """The fixture mirror's file for a URL (its path under the mirror root)."""
    return MIRROR / unquote(urlsplit(url).path).lstrip("/")


def fixture_pages() -> list[Page]:
    pages = []
    for path in sorted(EXPECTED.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        raw = mirror_file(record["url"]).read_bytes()
        pages.append(
            Page(path.stem, record["url"], record["fetched_at"], raw, decode_body(raw, None, "windows-1251"), record)
        )
    return pages


def scale_pages(count: int, mirror_size: int = 10_000) -> list[Page]:
    step = max(1, mirror_size // count)
    sidebar = scale_mirror.sidebar_for(mirror_size - 1)
    calendar = scale_mirror.tpl.calendar_html(year=2026, month=3, active_days=range(1, 6), prev="2026/02/")
    pages = []
    for index in range(0, step * count, step):
        article = scale_mirror.generate(index)
        raw = scale_mirror.render(article, sidebar, calendar)
        pages.append(Page(f"scale-{index}", article.url, SCALE_FETCHED_AT, raw, raw.decode(article.charset)))
    return pages
