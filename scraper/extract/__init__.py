"""Stage 3, extract: article pages into `Article` records (see `article.py`).

One module per part of the record: `dates`, `quotes` (with `speakers`: who said it, and `persons`: the
names a text mentions), `credits`, `sidebar`, `body`, `meta`.
Nothing here fetches or stores.
"""

from __future__ import annotations

from scraper.extract.article import content_hash, extract_article
from scraper.extract.sniff import looks_like_html

__all__ = ["content_hash", "extract_article", "looks_like_html"]
