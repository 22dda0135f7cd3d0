"""The data a fixture article is made of: text blocks that know both their markup and the body
paragraphs they must yield, and the page-level facts (template, host, dates, credit, feed).

Keeping markup and expected text side by side in one value is what lets a page and its expected
record be regenerated together without drifting apart; the parts an extractor must infer (quotes,
photo credit, resolved dates) are written out by hand in the fixture data instead of derived.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .portal_template import SIDEBAR, SIDEBAR_FIRST_ID, e, text_html
from .translit import slug

SITE = "vybor-naroda.org"
CANONICAL_SELF = "self"  # the page's canonical link names the page's own URL

_WHITESPACE = re.compile(r"\s+")  # str patterns: \s includes U+00A0 (no-break space)
_TAG = re.compile(r"<[^>]+>")


def normalize(text: str) -> str:
    """Body text as the record stores it: soft hyphens removed, whitespace runs (nbsp too) as one space."""
    return _WHITESPACE.sub(" ", text.replace("\u00ad", "")).strip()


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of an article's text container: its markup and the body paragraphs it yields (none for
    scripts, share buttons and figures)."""

    html: str
    paragraphs: tuple[str, ...] = ()


def para(text: str, *, shy_entity: bool = False) -> Block:
    """A `<p>` of plain text; `shy_entity` writes soft hyphens as `&shy;` instead of the raw character."""
    markup = text_html(text)
    if shy_entity:
        markup = markup.replace("\u00ad", "&shy;")
    return Block(f"<p>{markup}</p>", (normalize(text),))


def para_html(markup: str) -> Block:
    """A `<p>` whose content is markup (links, emphasis); its text is the markup without tags."""
    return Block(f"<p>{markup}</p>", (normalize(html.unescape(_TAG.sub("", markup))),))


def bullets(items: Sequence[str]) -> Block:
    """A `<ul>`: each item is a paragraph of its own."""
    lis = "".join(f"<li>{text_html(item)}</li>" for item in items)
    return Block(f"<ul>{lis}</ul>", tuple(normalize(item) for item in items))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Block:
    """A table with a header row: each row is a paragraph, its cells joined by " | "."""
    head = "<tr>" + "".join(f"<th>{text_html(cell)}</th>" for cell in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{text_html(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    paragraphs = tuple(" | ".join(normalize(cell) for cell in row) for row in (header, *rows))
    return Block(f'<table class="tbl">\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>', paragraphs)


def blockquote(text: str) -> Block:
    """A `<blockquote>` (a cited document, not speech): one paragraph."""
    return Block(f"<blockquote>{text_html(text)}</blockquote>", (normalize(text),))


def not_body(markup: str) -> Block:
    """Markup inside the text container that is never body text (scripts, share buttons, ads)."""
    return Block(markup)


def figure(src: str, alt: str, caption_html: str) -> Block:
    """A `<figure>` with its `<figcaption>`: the caption is the photo credit, never body text."""
    image = f'<img src="{e(src)}" alt="{e(alt)}">'
    return Block(f'<figure class="image">{image}<figcaption>{caption_html}</figcaption></figure>')


def quote(text: str, speaker: str | None, speaker_role: str | None, verb: str | None) -> dict[str, Any]:
    """An expected quote, keys in the record's order."""
    return {"text": text, "speaker": speaker, "speaker_role": speaker_role, "verb": verb}


@dataclass(frozen=True, slots=True)
class Feed:
    """The timed news feed a portal-template page shows: (title, HH:MM) newest first."""

    items: tuple[tuple[str, str], ...] = SIDEBAR
    first_id: int = SIDEBAR_FIRST_ID
    href_base: str | None = None  # None: the page's home URL; "": root-relative links


Template = Literal["portal", "dle10", "dle14"]


@dataclass(frozen=True, slots=True)
class ArticleFixture:
    """One article page of the mirror and what its record must be.

    `published_at` and `photo_credit` are written by hand (they are what an extractor must infer);
    `image_src` is the main image's src as the page writes it (relative or absolute).
    """

    news_id: int
    category: str
    category_name: str
    host: str
    headline: str
    date_text: str
    published_at: str
    fetched_at: str
    blocks: tuple[Block, ...]
    quotes: tuple[dict[str, Any], ...]
    template: Template = "portal"
    image_src: str | None = None
    credit_html: str | None = None
    photo_credit: str | None = None
    tags: tuple[str, ...] = ()
    feed: Feed | None = field(default_factory=Feed)
    calendar: str | None = None
    canonical: str | None = CANONICAL_SELF
    charset: str = "utf-8"
    keywords: str = ""
    description: str | None = None
    editor_note: str | None = None
    related: tuple[tuple[str, str], ...] = ()
    popular: tuple[tuple[str, str], ...] = ()
    covers: tuple[str, ...] = ()

    @property
    def home(self) -> str:
        return f"http://{self.host}"

    @property
    def slug(self) -> str:
        return slug(self.headline)

    @property
    def url(self) -> str:
        return f"{self.home}/{self.category}/{self.news_id}-{self.slug}.html"

    @property
    def print_url(self) -> str:
        return f"{self.home}/{self.category}/print:page,1,{self.news_id}-{self.slug}.html"

    @property
    def canonical_url(self) -> str | None:
        return self.url if self.canonical == CANONICAL_SELF else self.canonical

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        return tuple(p for block in self.blocks for p in block.paragraphs)

    @property
    def text_html(self) -> str:
        return "\n".join(block.html for block in self.blocks)


@dataclass(frozen=True, slots=True)
class PrintFixture:
    """The print version of an article: same text and quotes, no image, credit, tags or feed."""

    article: ArticleFixture
    fetched_at: str
    covers: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return self.article.print_url
