"""The article's body: the paragraphs a reader sees, in order.

Every block element closes a paragraph, `<br>` too (DLE editors often separate paragraphs with line
breaks instead of `<p>`); list items and blockquotes are paragraphs of their own; a table row is a
paragraph whose cells are joined by ` | `. Blocks the template puts beside the story (share buttons,
tags, credits and captions, print links, scripts, forms) are left out by tag, by class name and by
their leading words, because stock DLE templates put some of them inside the text container.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper.extract.dom import is_noise_block, iter_text
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
# Leading words of lines that templates print inside the story but that are not the story.
NOT_BODY_LINE = re.compile(
    r"^(?:Теги\s*:|Метки\s*:|Новость отредактировал|Отредактировал|Фото с сайта\s*:|Фото\s*:|Источник фото\s*:|"
    r"Печать$|Версия для печати$|Поделиться\s*:?|Подписывайтесь на|Читайте также\s*:?)",
    re.IGNORECASE,
)


def _starts_as_furniture(block: LexborNode) -> bool:
    """A short block whose first words mark it as template furniture (`Теги: …`, `Новость отредактировал …`)."""
    text = block.text(deep=True)
    return len(text) <= MAX_FURNITURE_CHARS and NOT_BODY_LINE.match(normalize_space(text[:120])) is not None


MAX_FURNITURE_CHARS = 400


class _ParagraphCollector:
    """Walks a container and cuts its text into paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = normalize_space("".join(self._buffer))
        self._buffer.clear()
        if text and not NOT_BODY_LINE.match(text):
            self.paragraphs.append(text)

    def add_row(self, row: LexborNode) -> None:
        cells = [
            normalize_space("".join(iter_text(cell))) for cell in row.iter() if cell.tag in ("td", "th")
        ]
        text = " | ".join(cell for cell in cells if cell)
        if text:
            self.paragraphs.append(text)

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self._buffer.append(child.text_content or "")
            elif tag == "-comment":
                continue
            elif tag == "br":
                self.flush()
            elif is_noise_block(child) or (tag in BLOCK_TAGS and _starts_as_furniture(child)):
                continue
            elif tag == "tr":
                self.flush()
                self.add_row(child)
            elif tag in BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def body_paragraphs(container: LexborNode) -> list[str]:
    """The paragraphs of the text container, normalized, without template furniture."""
    collector = _ParagraphCollector()
    collector.walk(container)
    collector.flush()
    return collector.paragraphs
