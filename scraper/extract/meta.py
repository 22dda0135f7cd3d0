"""What the page's head says about the article: canonical URL, Open Graph title and image, keywords.

These survive template changes (DLE writes them from the same data in every template), so they are
the fallbacks when the visible markup is unfamiliar.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.text import normalize_space


@dataclass(frozen=True, slots=True)
class HeadMeta:
    canonical_url: str | None
    og_title: str | None
    og_image: str | None
    title: str | None
    generator: str | None


def _attr(tree: LexborHTMLParser, selector: str, attribute: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    value = normalize_space(node.attributes.get(attribute))
    return value or None


def read_head(tree: LexborHTMLParser, page_url: str) -> HeadMeta:
    canonical = _attr(tree, "link[rel='canonical']", "href") or _attr(tree, "meta[property='og:url']", "content")
    image = _attr(tree, "meta[property='og:image']", "content")
    title_node = tree.css_first("title")
    return HeadMeta(
        canonical_url=urljoin(page_url, canonical) if canonical else None,
        og_title=_attr(tree, "meta[property='og:title']", "content"),
        og_image=urljoin(page_url, image) if image else None,
        title=normalize_space(title_node.text()) if title_node is not None else None,
        generator=_attr(tree, "meta[name='generator']", "content"),
    )
