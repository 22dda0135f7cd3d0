"""Typed records handed from stage to stage.

Records are frozen dataclasses; they become plain dicts only at the edges (JSON output, the store)
through `to_dict()`, whose key order is the published record format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Quote:
    """One piece of direct speech with who said it.

    `speaker` is the name as written after (or before) the speech verb; a role written before the
    name goes to `speaker_role`; `verb` is the speech verb as written.
    """

    text: str
    speaker: str | None
    speaker_role: str | None
    verb: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "verb": self.verb,
        }


@dataclass(frozen=True, slots=True)
class SidebarItem:
    """One entry of the portal's timed news feed shown beside the article."""

    title: str
    time: str
    published_at: str | None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "time": self.time,
            "published_at": self.published_at,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """The normalized record of one article page.

    Keys and formats are a published contract (see README, "The record"). A field the page does not
    have is None; the fields every article page has (headline, date, body, …) then get a line in
    `warnings`, the optional ones (canonical link, image) only when the page gave something that is not
    a URL.
    """

    url: str
    site: str
    news_id: str | None
    category: str | None
    headline: str | None
    published_text: str | None
    published_at: str | None
    photo_credit: str | None
    body: str | None
    quotes: tuple[Quote, ...]
    sidebar: tuple[SidebarItem, ...]
    fetched_at: str
    canonical_url: str | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()
    content_hash: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "site": self.site,
            "news_id": self.news_id,
            "category": self.category,
            "headline": self.headline,
            "published_text": self.published_text,
            "published_at": self.published_at,
            "photo_credit": self.photo_credit,
            "body": self.body,
            "quotes": [q.to_dict() for q in self.quotes],
            "sidebar": [s.to_dict() for s in self.sidebar],
            "fetched_at": self.fetched_at,
            "canonical_url": self.canonical_url,
            "image_url": self.image_url,
            "tags": list(self.tags),
            "content_hash": self.content_hash,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild a record from `to_dict()` output (export round-trips go through this)."""
        return cls(
            url=data["url"],
            site=data["site"],
            news_id=data.get("news_id"),
            category=data.get("category"),
            headline=data.get("headline"),
            published_text=data.get("published_text"),
            published_at=data.get("published_at"),
            photo_credit=data.get("photo_credit"),
            body=data.get("body"),
            quotes=tuple(Quote(**q) for q in data.get("quotes") or ()),
            sidebar=tuple(
                SidebarItem(title=s["title"], time=s["time"], published_at=s.get("published_at"), url=s.get("url"))
                for s in data.get("sidebar") or ()
            ),
            fetched_at=data["fetched_at"],
            canonical_url=data.get("canonical_url"),
            image_url=data.get("image_url"),
            tags=tuple(data.get("tags") or ()),
            content_hash=data.get("content_hash"),
            warnings=tuple(data.get("warnings") or ()),
        )
