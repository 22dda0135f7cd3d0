"""The pipeline's stages stay apart: the extractor neither fetches nor stores."""

from __future__ import annotations

import subprocess
import sys


def test_extractor_imports_neither_fetching_nor_storage() -> None:
    code = (
        "import sys, scraper.extract; "
        "print(sorted(m for m in sys.modules if m in {'httpx', 'sqlite_utils', 'sqlite3', 'scraper.fetch', "
        "'scraper.store', 'scraper.crawl', 'warcio'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
