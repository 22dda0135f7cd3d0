"""Stage 3, extract: one article page's HTML -> one `Article` record.

Takes the page (text or bytes), its URL and the fetch time; hands on a record whose every field is
either exactly right or None with a line in `warnings`. Each field is found by the site profile's
selectors first, then by what survives template changes (`#dle-content`, headings, head meta, the
credit label, the shape of the sidebar feed). A broken page yields a record full of warnings, never
an exception: each field extractor runs under a guard.

This module imports neither fetching nor storage.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.encoding import markup_for_parser
from scraper.extract.body import body_paragraphs
from scraper.extract.credits import find_photo_credit_line, is_credit_line
from scraper.extract.dates import DATE_IN_TEXT, LABELLED_DATE, parse_iso, parse_published, to_iso
from scraper.extract.dom import (
    first_match,
    first_with_text,
    is_noise_block,
    iter_text,
    matches_in_order,
    select_all,
    visible_text,
)
from scraper.extract.meta import HeadMeta, read_head
from scraper.extract.quotes import extract_quotes
from scraper.extract.sidebar import find_sidebar
from scraper.extract.text import normalize_space
from scraper.models import Article, Quote, SidebarItem
from scraper.sites import SiteProfile, profile_for_url
from scraper.urls import join_url, parse_article_url

log = logging.getLogger(__name__)
T = TypeVar("T")

# Templates wrap the calendar and forms in the sidebar; they are never sidebar items either.
CALENDAR_SELECTORS = ("#calendar-layer", "table.calendar", "#calendar")
CALENDARS = ", ".join(CALENDAR_SELECTORS)
TITLE_SEPARATORS = (" » ", " &raquo; ", " | ", " — ")
# Less paragraph text than this is not taken for an article's text block.
MIN_BODY_CHARS = 200


def _guarded(field: str, warnings: list[str], default: T, func: Callable[[], T]) -> T:
    """Run one field extractor; an unexpected failure costs that field, not the page."""
    try:
        return func()
    except Exception as exc:  # a hostile page must never abort extraction
        log.debug("extractor for %s failed", field, exc_info=True)
        warnings.append(f"{field}: extraction failed ({type(exc).__name__})")
        return default


def _story_nodes(tree: LexborHTMLParser, profile: SiteProfile) -> tuple[LexborNode, LexborNode]:
    """(content column, the story inside it); both fall back to <body> on unknown markup."""
    root = tree.body or tree.root
    assert root is not None
    content = first_match(root, profile.selector("content")) or root
    story = first_match(content, profile.selector("article")) or content
    return content, story


def _headline(story: LexborNode, content: LexborNode, head: HeadMeta, profile: SiteProfile) -> str | None:
    for scope in (story, content):
        node = first_with_text(scope, profile.selector("headline"))
        if node is not None:
            return visible_text(node)
    if head.og_title:
        return head.og_title
    if head.title:
        title = head.title
        for separator in TITLE_SEPARATORS:
            if separator in title:
                title = title.rsplit(separator, 1)[0]
                break
        return normalize_space(title) or None
    return None


def _date(
    story: LexborNode, body: LexborNode | None, profile: SiteProfile, fetched_at: datetime
) -> tuple[str | None, str | None]:
    """(published_text as shown, published_at ISO) from the date element or the story's text.

    `published_text` is only ever what the page shows: a date element showing nothing (DLE 14's
    `<time datetime>` with its text removed) gives the moment of its attribute and no text.
    """
    tz = profile.timezone
    for found in matches_in_order(story, profile.selector("date")):
        for node in found:
            shown = _shown_date(visible_text(node))
            stamp = node.attributes.get("datetime")
            moment = parse_iso(stamp, tz) if stamp and "T" in stamp else None
            if moment is None and shown:
                moment = parse_published(shown, fetched_at, tz)
            if moment is not None:
                return shown, to_iso(moment)
    for piece in _text_nodes_outside(story, body):
        # A labelled date (the print version's `Новость от: …`) is read as a date element's text is.
        labelled = LABELLED_DATE.search(piece)
        match = DATE_IN_TEXT.search(piece)
        candidates = (
            _shown_date(normalize_space(labelled["date"])) if labelled else None,
            normalize_space(match.group(0)) if match else None,
        )
        for shown in candidates:
            if shown:
                moment = parse_published(shown, fetched_at, tz)
                if moment is not None:
                    return shown, to_iso(moment)
    return None, None


def _shown_date(text: str) -> str | None:
    """The date a date element (or a labelled date) shows: the date found in its text, or the whole
    text when it is short (a form only dateparser reads, `7 дек. 2025`); None when it shows nothing."""
    match = DATE_IN_TEXT.search(text)
    return normalize_space(match.group(0)) if match else (text if 0 < len(text) <= 40 else None)


# The editor's note (`Новость отредактировал: redaktor - 18-08-2025, 12:40`): its date is the edit's.
EDITOR_NOTE = re.compile(r"(?:Новость\s+)?отредактировал", re.IGNORECASE)


def _text_nodes_outside(story: LexborNode, body: LexborNode | None) -> list[str]:
    """The story's texts outside the text container (however deep it lies), without scripts and
    without the editor's note, whose date is not the publication's."""
    texts: list[str] = []
    body_id = body.mem_id if body is not None and body.mem_id != story.mem_id else None
    around: set[int] = set()  # the elements between the story and the text container
    current = body.parent if body_id is not None else None
    while current is not None and current.mem_id != story.mem_id:
        around.add(current.mem_id)
        current = current.parent
    if current is None:
        around.clear()

    def collect(parent: LexborNode) -> None:
        for node in parent.iter(include_text=True):
            tag = node.tag
            if tag == "-text":
                texts.append(node.text_content or "")
            elif node.mem_id == body_id or tag in ("script", "style", "-comment"):
                continue
            elif node.mem_id in around:
                collect(node)
            else:
                text = " ".join(iter_text(node))
                note = EDITOR_NOTE.search(text)
                texts.append(text[: note.start()] if note else text)

    collect(story)
    return texts


def _body_node(story: LexborNode, profile: SiteProfile) -> LexborNode:
    """The text container: the profile's selectors, else the block holding the most paragraph text."""
    return first_match(story, profile.selector("body")) or _densest_paragraph_block(story) or story


def _densest_paragraph_block(story: LexborNode) -> LexborNode | None:
    """On an unknown template, the element whose own <p> children carry the most text."""
    best: LexborNode | None = None
    best_chars = 0
    for node in select_all(story, "div, section, article, td, main"):
        # A name that merely suggests noise is judged later, by the body's walk (judging every nested
        # candidate here would read each subtree again).
        if is_noise_block(node, in_story_block=True):
            continue
        chars = sum(len(child.text(deep=True)) for child in node.iter() if child.tag == "p")
        if chars > best_chars:
            best, best_chars = node, chars
    return best if best_chars >= MIN_BODY_CHARS else None


def _drop_furniture(paragraphs: list[str], credit: str | None, *shown: str | None) -> list[str]:
    """Without lines that repeat the headline, the date or the credit (unknown templates' text blocks).

    `shown` are the lines as the page shows them (the credit's own line among them); a line naming just
    the credit, as a reader reads it (`xn--…` for an IDN, a trailing period), is the credit too.
    """
    furniture = {text for text in (credit, *shown) if text}
    if credit is None:
        return [p for p in paragraphs if p not in furniture]
    return [p for p in paragraphs if p not in furniture and not is_credit_line(p, credit)]


def _image(story: LexborNode, head: HeadMeta, profile: SiteProfile, page_url: str) -> tuple[str | None, bool]:
    """(the main image's URL, whether the page named it only by something that is no URL).

    The story's image first; an image address that is no URL leaves og:image to name the image.
    """
    node = first_match(story, profile.selector("image"))
    src = node.attributes.get("src") or node.attributes.get("data-src") if node is not None else None
    if src:
        url = join_url(page_url, src.strip())
        if url is not None:
            return url, False
        return head.og_image, head.og_image is None
    return head.og_image, "og_image" in head.bad_urls


def _tags(story: LexborNode, profile: SiteProfile) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for found in matches_in_order(story, profile.selector("tags")):
        for node in found:
            tag = visible_text(node)
            if tag:
                seen.setdefault(tag, None)
        if seen:
            break
    return tuple(seen)


def content_hash(headline: str | None, body: str | None) -> str:
    """What decides whether an article changed: its headline and body, nothing else."""
    digest = hashlib.sha256(f"{headline or ''}\n\n{body or ''}".encode())
    return digest.hexdigest()


def _fetched_moment(fetched_at: datetime | str | None, profile: SiteProfile) -> datetime:
    if fetched_at is None:
        return datetime.now(profile.timezone)
    if isinstance(fetched_at, str):
        moment = parse_iso(fetched_at, profile.timezone)
        if moment is None:
            raise ValueError(f"not an ISO 8601 timestamp: {fetched_at!r}")
        return moment
    if fetched_at.tzinfo is None:
        return fetched_at.replace(tzinfo=profile.timezone)
    return fetched_at.astimezone(profile.timezone)


def _without_nul(markup: str | bytes) -> str | bytes:
    """The markup without NUL characters: a stray one must not cost the page, nor reach the record as
    the U+FFFD an HTML parser puts in its place."""
    if isinstance(markup, bytes):
        return markup.replace(b"\x00", b"") if b"\x00" in markup else markup
    return markup.replace("\x00", "") if "\x00" in markup else markup


def extract_article(
    html: str | bytes,
    *,
    url: str,
    fetched_at: datetime | str | None = None,
    profile: SiteProfile | None = None,
    header_charset: str | None = None,
) -> Article:
    """The record of one article page.

    Raises:
        UnknownSiteError: no profile is given and none covers the URL's host.
        ValueError: `fetched_at` is a string that is not ISO 8601.
    """
    profile = profile or profile_for_url(url)
    fetched = _fetched_moment(fetched_at, profile)
    markup = markup_for_parser(html, header_charset, profile.fallback_charset) if isinstance(html, bytes) else html
    markup = _without_nul(markup)
    warnings: list[str] = []
    tree = LexborHTMLParser(markup)
    head = _guarded("head", warnings, HeadMeta(None, None, None, None, None), lambda: read_head(tree, url))
    content, story = _story_nodes(tree, profile)
    body_node = _guarded("body", warnings, None, lambda: _body_node(story, profile))

    ref = parse_article_url(url, profile) or (
        parse_article_url(head.canonical_url, profile) if head.canonical_url else None
    )
    headline = _guarded("headline", warnings, None, lambda: _headline(story, content, head, profile))
    published_text, published_at = _guarded(
        "published_at", warnings, (None, None), lambda: _date(story, body_node, profile, fetched)
    )
    photo_credit, credit_line = _guarded(
        "photo_credit", warnings, (None, None), lambda: find_photo_credit_line(story, profile.selector("credit"))
    )
    paragraphs: list[str] = (
        _guarded("body", warnings, [], lambda: body_paragraphs(body_node)) if body_node is not None else []
    )
    paragraphs = _drop_furniture(paragraphs, photo_credit, credit_line, headline, published_text)
    body = "\n\n".join(paragraphs) or None
    quotes: list[Quote] = _guarded("quotes", warnings, [], lambda: extract_quotes(paragraphs))
    excluded = [story, *select_all(tree.root or story, CALENDARS)]
    sidebar: list[SidebarItem] = _guarded(
        "sidebar",
        warnings,
        [],
        lambda: find_sidebar(
            tree.body or story,
            exclude=excluded,
            selectors=profile.selector("sidebar"),
            page_url=url,
            fetched_at=fetched,
            tz=profile.timezone,
        ),
    )
    image_url, bad_image = _guarded("image_url", warnings, (None, False), lambda: _image(story, head, profile, url))
    if ref is not None and ref.is_print:
        # The print version is not where the article's image is shown: its record names neither the
        # image nor its credit (a credit line in its text is still left out of the body above).
        photo_credit, image_url, bad_image = None, None, False
    tags = _guarded("tags", warnings, (), lambda: _tags(story, profile))

    for name, value in (
        ("news_id", ref.news_id if ref else None),
        ("category", ref.category if ref else None),
        ("headline", headline),
        ("published_at", published_at),
        ("photo_credit", photo_credit),
        ("body", body),
    ):
        if value is None:
            warnings.append(f"{name}: not found on the page")
    for name, value, bad in (
        ("canonical_url", head.canonical_url, "canonical_url" in head.bad_urls),
        ("image_url", image_url, bad_image),
    ):
        if value is None and bad:
            warnings.append(f"{name}: not a valid URL on the page")
    if story is content and content.tag == "body":
        warnings.append("layout: no known article container; fields were searched in the whole page")

    return Article(
        url=url,
        site=profile.name,
        news_id=ref.news_id if ref else None,
        category=ref.category if ref else None,
        headline=headline,
        published_text=published_text,
        published_at=published_at,
        photo_credit=photo_credit,
        body=body,
        quotes=tuple(quotes),
        sidebar=tuple(sidebar),
        fetched_at=to_iso(fetched),
        canonical_url=head.canonical_url,
        image_url=image_url,
        tags=tags,
        content_hash=content_hash(headline, body),
        warnings=tuple(warnings),
    )
