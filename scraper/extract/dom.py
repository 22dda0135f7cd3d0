"""Small DOM helpers over selectolax's Lexbor tree, shared by the field extractors.

Selectors come from the site profile and are tried in order; a selector the parser rejects is
treated as matching nothing, so a bad profile entry degrades one field instead of failing a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from selectolax.lexbor import LexborNode

from scraper.extract.text import normalize_space

# Elements that never hold article text a reader reads as the story.
NEVER_TEXT_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "svg",
        "img",
        "video",
        "audio",
        "object",
        "embed",
        "figcaption",
        "nav",
        "aside",
        "header",
        "footer",
    }
)
# Class/id names of the blocks templates put beside the text: sharing, tags, credits, related news.
# Matched word by word (a name's words are split at `-`, `_`, spaces and camelCase humps), never as
# substrings: `position-relative`, `editor-content` or a `<b class="comment">` are not such blocks.
# A word starting with one of these is noise (`comments`, `share_vk`, `relatedNews`, `printable`).
NOISE_PREFIXES = (
    "share",
    "social",
    "related",
    "print",
    "credit",
    "caption",
    "banner",
    "advert",
    "comment",
    "rating",
    "breadcrumb",
    "pagination",
    "navigation",
    "subscribe",
    "readalso",
    "editdate",
)
# A word ending in one of these is noise too (`yashare`, `basetags`, `dlecomments`).
NOISE_SUFFIXES = ("share", "tags", "comments")
# Words that are noise only as a whole (`tags` but not `tagline`, `meta` but not `metabolism`).
NOISE_WORDS = frozenset({"like", "likes", "tag", "adv", "meta", "relat", "argback", "mlink"})
# Two words that name a noise block together (`read-also`, `edit_date`).
NOISE_PAIRS = frozenset({("read", "also"), ("edit", "date")})
# `editor` names the editor's note (`news-editor`), unless a word of content follows (`editor-content`).
EDITOR_CONTENT = frozenset({"content", "text", "body", "html", "output", "wrapper", "wrap", "inner", "area"})
_NAME_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Inline elements: inside a paragraph they are words of the text, left out only when hidden.
INLINE_TAGS = frozenset(
    {
        "span",
        "a",
        "b",
        "i",
        "em",
        "strong",
        "u",
        "s",
        "small",
        "big",
        "sub",
        "sup",
        "mark",
        "font",
        "abbr",
        "cite",
        "q",
        "code",
        "kbd",
        "var",
        "dfn",
        "time",
        "ins",
        "del",
        "label",
    }
)


@lru_cache(maxsize=4096)
def is_noise_name(names: str) -> bool:
    """Whether a class/id string names a block that is never body text (see NOISE_PREFIXES).

    Remembered: templates repeat the same few class names on every page.
    """
    for token in names.split():
        words = [word.lower() for word in _NAME_WORDS.findall(token)]
        for index, word in enumerate(words):
            if word in NOISE_WORDS or word.startswith(NOISE_PREFIXES) or word.endswith(NOISE_SUFFIXES):
                return True
            following = words[index + 1] if index + 1 < len(words) else None
            if word == "editor" and following not in EDITOR_CONTENT:
                return True
            if following is not None and (word, following) in NOISE_PAIRS:
                return True
    return False


def select_all(node: LexborNode, selector: str) -> list[LexborNode]:
    try:
        return list(node.css(selector))
    except Exception:  # selectolax raises a bare exception class on a selector it cannot parse
        return []


def select_first(node: LexborNode, selector: str) -> LexborNode | None:
    """The first match in document order; lexbor stops walking there instead of collecting every match."""
    try:
        return node.css_first(selector)
    except Exception:  # an unparsable selector matches nothing, as in select_all
        return None


def any_match(node: LexborNode, selectors: Sequence[str]) -> bool:
    """Whether any of the selectors matches: one walk of the tree for all of them instead of one each.

    The profile's fallback selectors rarely match on the portal's own pages, so checking them together
    first saves a full walk per selector; a list with a bad selector is tried one selector at a time.
    """
    if not selectors:
        return False
    try:
        return node.css_first(", ".join(selectors)) is not None
    except Exception:
        return any(select_first(node, selector) is not None for selector in selectors)


def first_match(node: LexborNode, selectors: Sequence[str]) -> LexborNode | None:
    """The first element matched by the first selector that matches anything."""
    if not selectors:
        return None
    found = select_first(node, selectors[0])
    if found is not None or not any_match(node, selectors[1:]):
        return found
    for selector in selectors[1:]:
        found = select_first(node, selector)
        if found is not None:
            return found
    return None


def matches_in_order(node: LexborNode, selectors: Sequence[str]) -> Iterator[list[LexborNode]]:
    """Each selector's matches in the profile's order, computed only as far as the caller reads.

    The first selector is the portal's own markup and usually settles the field; the fallbacks are
    then checked together in one walk before they are tried one by one.
    """
    if not selectors:
        return
    yield select_all(node, selectors[0])
    if any_match(node, selectors[1:]):
        for selector in selectors[1:]:
            yield select_all(node, selector)


def first_with_text(node: LexborNode, selectors: Sequence[str]) -> LexborNode | None:
    """Like first_match, skipping matches whose visible text is empty."""
    for found in matches_in_order(node, selectors):
        for match in found:
            if visible_text(match):
                return match
    return None


# Tags whose text iter_text leaves out or replaces; a subtree without them reads as its text nodes.
_SPECIAL_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "-comment", "br"})


def visible_text(node: LexborNode) -> str:
    """The node's text with scripts and styles left out, whitespace normalized.

    Fast path: a subtree without script-like elements, comments or <br> (most of them) is just its
    text nodes in document order, which lexbor's C-level traverse yields without a Python generator
    per element; anything else takes iter_text, which gives the same text for such subtrees.
    """
    if node.tag != "-text":
        parts: list[str] = []
        for child in node.traverse(include_text=True):
            tag = child.tag
            if tag == "-text":
                parts.append(child.text_content or "")
            elif tag in _SPECIAL_TEXT_TAGS:
                break
        else:
            return normalize_space("".join(parts))
    return normalize_space("".join(iter_text(node)))


def iter_text(node: LexborNode) -> Iterator[str]:
    """Text fragments under `node` in document order, skipping script-like elements."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            yield child.text_content or ""
        elif tag == "br":
            yield " "
        elif tag in ("script", "style", "noscript", "template", "-comment"):
            continue
        else:
            yield from iter_text(child)


def class_and_id(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def is_hidden(node: LexborNode) -> bool:
    """Whether the element is hidden by its `hidden` flag or an inline `display:none`."""
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def is_noise_block(node: LexborNode, *, in_paragraph: bool = False) -> bool:
    """A block that is never body text, judged by tag, class/id or hidden state.

    Inside a paragraph an inline element (`<b class="comment">`) is part of the sentence: only its
    tag or a hidden state leaves it out, never its class name.
    """
    tag = node.tag
    if tag in NEVER_TEXT_TAGS:
        return True
    if not (in_paragraph and tag in INLINE_TAGS):
        names = class_and_id(node)
        if not names.isspace() and is_noise_name(names):
            return True
    return is_hidden(node)


def is_inside(node: LexborNode, ancestor: LexborNode | None) -> bool:
    if ancestor is None:
        return False
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False
