"""The article's body: the paragraphs a reader sees, in order.

Every block element closes a paragraph, `<br>` too (DLE editors often separate paragraphs with line
breaks instead of `<p>`); list items and blockquotes are paragraphs of their own; a table row is a
paragraph whose cells are joined by ` | `. Blocks the template puts beside the story (share buttons,
tags, credits and captions, print links, scripts, forms) are left out by tag, by class name and by
their leading words, because stock DLE templates put some of them inside the text container.
"""

from __future__ import annotations

import re
from itertools import islice

from selectolax.lexbor import LexborNode

from scraper.extract.credits import CAPTION_LABEL_PATTERN, CREDIT_LABEL_PATTERN, MAX_CREDIT_CHARS, is_credit_text
from scraper.extract.dom import NEVER_TEXT_TAGS, has_weak_noise_name, is_noise_block, iter_text
from scraper.extract.text import normalize_space

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "figure",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "center",
        "address",
        "hr",
    }
)
# Leading words of lines that templates print inside the story but that are not the story. A credit
# line (`Фото — пресс-служба …`, `Фото с сайта oblsovet.ru`) is labelled as credits.py reads labels,
# and is a credit only as credits.is_credit_text decides (longer text after `Фото:`, or a sentence
# after `Фото –`, is the story's). A caption (`На фото: …`) is short too. Share buttons are the word
# `Поделиться` alone or with the networks after a colon, not a sentence opening with it.
NOT_BODY_LINE = re.compile(
    rf"^(?:Теги\s*:|Метки\s*:|Новость отредактировал|Отредактировал|(?P<credit>{CREDIT_LABEL_PATTERN})|"
    rf"(?P<caption>{CAPTION_LABEL_PATTERN})|Печать$|Версия для печати$|"
    r"Поделиться(?:\s*:[^.!?]{0,80}|\s+(?:в\s+соц\.?\s*сетях|в\s+социальных\s+сетях|новостью|ссылкой|с\s+друзьями)\s*:?)?$|"
    r"Подписывайтесь на|Читайте также\s*:?)",
    re.IGNORECASE,
)
MAX_CREDIT_LINE = MAX_CREDIT_CHARS + 20


def _is_not_body_line(text: str) -> bool:
    """Whether a paragraph (normalized) is a furniture line, see NOT_BODY_LINE."""
    match = NOT_BODY_LINE.match(text)
    if match is None:
        return False
    kind = match.lastgroup
    if kind == "credit":
        return is_credit_text(text)
    return kind != "caption" or len(text) <= MAX_CREDIT_LINE


# First letters of the furniture lines, case-folded: a text starting with any other letter is no such line.
_FURNITURE_INITIALS = frozenset("тмнофипвч")


def _is_furniture_text(text: str) -> bool:
    """Whether a block's text (`node.text(deep=True)`) marks it as template furniture (`Теги: …`).

    Most blocks are story paragraphs: their first letter settles it without normalizing the text.
    """
    if len(text) > MAX_FURNITURE_CHARS:
        return False
    start = text.lstrip()[:1]
    if start and start.isalpha() and start.casefold()[:1] not in _FURNITURE_INITIALS:
        return False
    if NOT_BODY_LINE.match(normalize_space(text[:120])) is None:
        return False
    return _is_not_body_line(normalize_space(text))


def _starts_as_furniture(block: LexborNode) -> bool:
    """A short block whose first words mark it as template furniture (`Теги: …`, `Новость отредактировал …`)."""
    return _is_furniture_text(block.text(deep=True))


MAX_FURNITURE_CHARS = 400
# Elements the walk treats specially themselves: line breaks cut paragraphs, rows join their cells,
# the rest are left out. `img` is left out too but never holds text.
SELF_SPECIAL_TAGS = (NEVER_TEXT_TAGS | {"br", "tr"}) - {"img"}
# Attributes that may make is_noise_block leave an element out.
NOISE_ATTRIBUTES = ("class", "id", "style", "hidden")


def _marked_elements(container: LexborNode) -> set[int]:
    """The elements (mem_ids) whose paragraphs are not simply their text nodes joined.

    That is an element treated specially itself (see SELF_SPECIAL_TAGS, or one with a class, id, style
    or hidden flag, which may be noise), and every element holding one or holding a block (a nested
    block cuts its text into paragraphs). Any other element reads as `text(deep=True)` in a single
    call, which saves walking the many plain paragraphs of a story node by node. One walk over the
    elements (no text nodes) is cheaper than a selector query: lexbor compiles selectors on every call.
    """
    marked: set[int] = set()
    top = container.mem_id
    for node in islice(container.traverse(), 1, None):  # the container itself comes first
        tag = node.tag
        if tag in SELF_SPECIAL_TAGS:
            current: LexborNode | None = node
        else:
            attrs = node.attributes
            if attrs and any(name in attrs for name in NOISE_ATTRIBUTES):
                current = node
            elif tag in BLOCK_TAGS:
                current = node.parent
            else:
                continue
        while current is not None:
            node_id = current.mem_id
            if node_id == top or node_id in marked:
                break
            marked.add(node_id)
            current = current.parent
    return marked


class _ParagraphCollector:
    """Walks a container and cuts its text into paragraphs."""

    def __init__(self, marked: set[int]) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._marked = marked

    def flush(self) -> None:
        if not self._buffer:
            return
        text = normalize_space("".join(self._buffer))
        self._buffer.clear()
        self._add(text)

    def _add(self, text: str) -> None:
        if text and not _is_not_body_line(text):
            self.paragraphs.append(text)

    def add_row(self, row: LexborNode) -> None:
        cells = [normalize_space("".join(iter_text(cell))) for cell in row.iter() if cell.tag in ("td", "th")]
        text = " | ".join(cell for cell in cells if cell)
        if text:
            self.paragraphs.append(text)

    def walk(self, node: LexborNode, in_paragraph: bool = False, in_story_block: bool = False) -> None:
        """Cut `node`'s text into paragraphs; `in_paragraph` when `node` lies inside a `<p>`,
        `in_story_block` inside a block whose noise-like name was judged story (not judged again)."""
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                if self._buffer or not text.isspace():  # blanks opening a paragraph are stripped anyway
                    self._buffer.append(text)
            elif tag == "-comment":
                continue
            elif child.mem_id not in self._marked:
                # A plain element (no class, nothing special inside): its text nodes, in one call.
                text = child.text(deep=True)
                if tag not in BLOCK_TAGS:
                    self._buffer.append(text)
                elif not _is_furniture_text(text):
                    self.flush()
                    self._add(normalize_space(text))
            elif tag == "br":
                self.flush()
            elif is_noise_block(child, in_paragraph=in_paragraph, in_story_block=in_story_block) or (
                tag in BLOCK_TAGS and _starts_as_furniture(child)
            ):
                continue
            elif tag == "tr":
                self.flush()
                self.add_row(child)
            else:
                story = in_story_block or has_weak_noise_name(child)
                if tag in BLOCK_TAGS:
                    self.flush()
                    self.walk(child, in_paragraph or tag == "p", story)
                    self.flush()
                else:
                    self.walk(child, in_paragraph, story)


def body_paragraphs(container: LexborNode) -> list[str]:
    """The paragraphs of the text container, normalized, without template furniture."""
    collector = _ParagraphCollector(_marked_elements(container))
    collector.walk(container)
    collector.flush()
    return collector.paragraphs
