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
# Matched word by word (a name's words are split at `-`, `_`, spaces and camelCase humps, trailing
# digits dropped), never as substrings: `position-relative`, `editor-content` or a `<b class="comment">`
# are not such blocks. The words below are unambiguous: a block they name is never body text.
# A word starting with one of these is noise (`comments_add`, `relatedNews`, `printlink`).
NOISE_PREFIXES = (
    "comments",
    "commentlist",
    "related",
    "printlink",
    "credit",
    "caption",
    "banner",
    "advert",
    "breadcrumb",
    "pagination",
    "navigation",
    "subscribe",
    "readalso",
    "editdate",
)
# A word ending in one of these is noise too (`yashare`, `ya-share2`, `basetags`, `dlecomments`).
NOISE_SUFFIXES = ("share", "tags", "comments")
# Words that are noise only as a whole (`tags` but not `tagline`, `print` but not `printable`,
# `share` but not `shared`, `comment` but not `commentary`).
NOISE_WORDS = frozenset(
    {
        "share",
        "shares",
        "sharing",
        "comment",
        "print",
        "like",
        "likes",
        "tag",
        "adv",
        "meta",
        "relat",
        "argback",
        "mlink",
    }
)
# Two words that name a noise block together (`read-also`, `edit_date`, `editor-note`).
NOISE_PAIRS = frozenset({("read", "also"), ("edit", "date"), ("editor", "note")})
# Words that are noise as the last word of a name, what the block is (`news-rating`, `b-social`), and
# only suggest it before another word (`rating-table`, `social-policy`).
NOISE_HEADS = frozenset({"rating", "ratings", "social", "socials"})
# Words that merely suggest noise (`commentary`, `shared-content`, `printable-area`, `social-policy`,
# `rating-table`), and `editor` without a word of content after it (`news-editor` is the editor's
# note, `editor-content` is the text): a block so named is left out only when it reads as no story
# text (see dom.reads_as_story).
WEAK_NOISE_PREFIXES = ("share", "print", "comment", "social", "rating")
EDITOR_CONTENT = frozenset({"content", "text", "body", "html", "output", "wrapper", "wrap", "inner", "area"})
NOT_NOISE, WEAK_NOISE, NOISE = 0, 1, 2
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
def noise_level(names: str) -> int:
    """NOISE when a class/id string names a block that is never body text (see NOISE_PREFIXES),
    WEAK_NOISE when it merely suggests one (see WEAK_NOISE_PREFIXES), else NOT_NOISE.

    Remembered: templates repeat the same few class names on every page.
    """
    level = NOT_NOISE
    for token in names.split():
        words = [word.lower().rstrip("0123456789") for word in _NAME_WORDS.findall(token)]
        last = len(words) - 1
        for index, word in enumerate(words):
            if not word:
                continue
            if word in NOISE_WORDS or word.startswith(NOISE_PREFIXES) or word.endswith(NOISE_SUFFIXES):
                return NOISE
            following = words[index + 1] if index < last else None
            if following is not None and (word, following) in NOISE_PAIRS:
                return NOISE
            if word in NOISE_HEADS and index == last:
                return NOISE
            if word.startswith(WEAK_NOISE_PREFIXES) or (word == "editor" and following not in EDITOR_CONTENT):
                level = WEAK_NOISE
    return level


def is_noise_name(names: str) -> bool:
    """Whether a class/id string names, or merely suggests, a block that is never body text."""
    return noise_level(names) != NOT_NOISE


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


def is_noise_block(node: LexborNode, *, in_paragraph: bool = False, in_story_block: bool = False) -> bool:
    """A block that is never body text, judged by tag, class/id or hidden state.

    A name that merely suggests noise (`commentary`, `rating-table`) leaves a block out only when it
    holds no story text (see reads_as_story), and is not judged again inside a block that already read
    as story (`in_story_block`): nested such blocks would each read their whole subtree, which is
    quadratic. Inside a paragraph an inline element (`<b class="comment">`) is part of the sentence: only
    its tag or a hidden state leaves it out, never its class name.
    """
    tag = node.tag
    if tag in NEVER_TEXT_TAGS:
        return True
    if not (in_paragraph and tag in INLINE_TAGS):
        names = class_and_id(node)
        if not names.isspace():
            level = noise_level(names)
            if level == NOISE or (level == WEAK_NOISE and not in_story_block and not reads_as_story(node)):
                return True
    return is_hidden(node)


def has_weak_noise_name(node: LexborNode) -> bool:
    """Whether the element's class/id merely suggests noise (see is_noise_block)."""
    names = class_and_id(node)
    return not names.isspace() and noise_level(names) == WEAK_NOISE


# Three words in a row, then the end of a sentence: what a line of story text has and a widget lacks.
_SENTENCE = re.compile(r"[^\W\d_]+\s+[^\W\d_]+\s+[^\W\d_]+[^.!?…:]*[.!?…:]")
# Text of this length, mostly not link text, is prose even without a sentence's ending.
PROSE_CHARS = 200


def reads_as_story(node: LexborNode) -> bool:
    """Whether a block holds story text rather than template furniture: a table of data, or text that
    is mostly not link text and has a sentence in it (or runs to PROSE_CHARS).

    Asked only of blocks whose name merely suggests noise (`<p class="social-policy">`,
    `<div class="commentary">`), which are rare.
    """
    if node.tag == "table" or select_first(node, "table") is not None:
        return True
    text = visible_text(node)
    if not text:
        return False
    link_chars = sum(len(visible_text(link)) for link in select_all(node, "a"))
    if link_chars * 2 > len(text):
        return False
    return len(text) - link_chars >= PROSE_CHARS or _SENTENCE.search(text) is not None


def is_inside(node: LexborNode, ancestor: LexborNode | None) -> bool:
    if ancestor is None:
        return False
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False
