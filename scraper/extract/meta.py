"""What the page's head says about the article: canonical URL, Open Graph title and image, keywords.

These survive template changes (DLE writes them from the same data in every template), so they are
the fallbacks when the visible markup is unfamiliar.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.text import normalize_space
from scraper.urls import join_url


@dataclass(frozen=True, slots=True)
class HeadMeta:
    canonical_url: str | None
    og_title: str | None
    og_image: str | None
    title: str | None
    generator: str | None
    # The URL fields (`canonical_url`, `og_image`) the page gave only as something that is no URL.
    bad_urls: frozenset[str] = frozenset()


# Each field of an element with an attribute of an exact value: (tag, attribute, value, attribute
# holding the field's value). The title is the <title> element's text.
_ATTRIBUTE_FIELDS: dict[str, tuple[str, str, str, str]] = {
    "canonical": ("link", "rel", "canonical", "href"),
    "og_url": ("meta", "property", "og:url", "content"),
    "og_image": ("meta", "property", "og:image", "content"),
    "og_title": ("meta", "property", "og:title", "content"),
    "generator": ("meta", "name", "generator", "content"),
}
# Each field: the selector of its element, and the attribute holding its value.
_FIELDS: dict[str, tuple[str, str]] = {
    **{field: (f"{tag}[{key}='{value}']", attr) for field, (tag, key, value, attr) in _ATTRIBUTE_FIELDS.items()},
    "title": ("title", ""),
}
_ANY_FIELD = ", ".join(selector for selector, _ in _FIELDS.values())
# The field an element holds, by (tag, attribute, exact value) as the selectors above name them.
_FIELD_OF = {(tag, key, value): field for field, (tag, key, value, _) in _ATTRIBUTE_FIELDS.items()}


def _head_elements(head: LexborNode) -> dict[str, LexborNode] | None:
    """The first element of each field within <head>, found in one selector walk of the head.

    None when an element matched in a way the exact names above do not explain (the selector engine
    may compare some attribute values without case): then each field is looked up on its own.
    """
    found: dict[str, LexborNode] = {}
    for node in head.css(_ANY_FIELD):
        tag = node.tag
        if tag == "title":
            found.setdefault("title", node)
            continue
        attrs = node.attributes
        fields = [
            field
            for key in ("rel", "property", "name")
            if (field := _FIELD_OF.get((tag, key, attrs.get(key) or ""))) is not None
        ]
        if not fields:
            return None
        for field in fields:
            found.setdefault(field, node)
    return found


def _elements(tree: LexborHTMLParser) -> dict[str, LexborNode | None]:
    """The page's first element for each field. The head comes before the body, so a match there
    is the page's first; only a field the head lacks costs a walk of the whole page."""
    head = tree.head
    in_head = _head_elements(head) if head is not None else None
    if in_head is None:
        in_head = {}
        if head is not None:
            for field, (selector, _) in _FIELDS.items():
                node = head.css_first(selector)
                if node is not None:
                    in_head[field] = node
    return {field: in_head.get(field) or tree.css_first(selector) for field, (selector, _) in _FIELDS.items()}


def read_head(tree: LexborHTMLParser, page_url: str) -> HeadMeta:
    elements = _elements(tree)

    def value(field: str) -> str | None:
        node = elements[field]
        return normalize_space(node.attributes.get(_FIELDS[field][1])) or None if node is not None else None

    bad_urls: set[str] = set()
    canonical_url = None
    for field in ("canonical", "og_url"):  # a canonical link that is no URL leaves og:url to say it
        raw = value(field)
        if raw:
            canonical_url = join_url(page_url, raw)
            if canonical_url is not None:
                break
            bad_urls.add("canonical_url")
    if canonical_url is not None:
        bad_urls.clear()
    image = value("og_image")
    og_image = join_url(page_url, image) if image else None
    if image and og_image is None:
        bad_urls.add("og_image")
    title_node = elements["title"]
    return HeadMeta(
        canonical_url=canonical_url,
        og_title=value("og_title"),
        og_image=og_image,
        title=normalize_space(title_node.text()) if title_node is not None else None,
        generator=value("generator"),
        bad_urls=frozenset(bad_urls),
    )
