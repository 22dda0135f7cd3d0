"""Site addresses versus fetch addresses: a crawl pointed at a mirror (`--base-url`) requests the mirror
but records the site's own addresses, so an archive filled from a mirror is the archive of the site."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scraper.sites import SiteProfile
from scraper.urls import normalize_url


class Addresses:
    """Site addresses (what the archive records) versus fetch addresses (where requests go)."""

    def __init__(self, profile: SiteProfile, base_url: str | None) -> None:
        self.profile = profile
        self.site_origin = profile.default_base_url.rstrip("/")
        fetch = (base_url or profile.default_base_url).rstrip("/")
        parts = urlsplit(fetch)
        self.fetch_origin = f"{parts.scheme}://{parts.netloc}".lower()
        self.mirrored = not profile.owns_host(parts.hostname or "")
        # The crawl's entry points live on the base URL's host (or the mirrored site's default host).
        self.entry_origin = self.site_origin if self.mirrored else self.fetch_origin

    def entry(self, path: str) -> str:
        return normalize_url(self.entry_origin + path, self.profile)

    def to_site(self, url: str) -> str | None:
        """The site address of a link found in a page, or None when it is not the site's."""
        url = normalize_url(url, self.profile)
        parts = urlsplit(url)
        if self.mirrored and f"{parts.scheme}://{parts.netloc}" == self.fetch_origin:
            return normalize_url(self.site_origin + urlunsplit(("", "", parts.path, parts.query, "")), self.profile)
        if parts.scheme in ("http", "https") and self.profile.owns_host(parts.hostname or ""):
            return url
        return None

    def to_fetch(self, url: str) -> str:
        if not self.mirrored:
            return url
        parts = urlsplit(url)
        return self.fetch_origin + urlunsplit(("", "", parts.path, parts.query, ""))

    def site_text(self, text: str) -> str:
        """A page as the site served it: the mirror's own address mapped back to the site's."""
        return text.replace(self.fetch_origin, self.site_origin) if self.mirrored else text

    def site_bytes(self, body: bytes) -> bytes:
        if not self.mirrored:
            return body
        return body.replace(self.fetch_origin.encode("ascii"), self.site_origin.encode("ascii"))
