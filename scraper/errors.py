"""The project's one exception tree.

    ArchiverError                 base: the CLI turns any of these into one stderr line + exit code
     ├── ProfileError             a site profile is missing, unreadable or invalid (path, key)
     ├── InputError               a user-supplied input cannot be used (missing file, not HTML, bad option)
     │    └── UnknownSiteError    a URL that no site profile claims
     ├── FetchError               a URL could not be fetched (url, reason)
     │    ├── OutOfScopeError        not the site's own host, not http(s), or a private address: never requested
     │    ├── RobotsDisallowedError  robots.txt forbids it: never requested (the caller records it as skipped)
     │    ├── TooLargeError          the body passed the size cap (compressed or decompressed)
     │    ├── RedirectError          a redirect loop, too many redirects, or a redirect without a Location
     │    ├── HTTPStatusError        an error status that survived the retries (5xx, 429) or is not retried (403…)
     │    └── UnreachableError       timeouts, connection errors, truncated bodies, after the retries
     ├── ExtractError             a page could not be turned into a record at all (url)
     └── StoreError               the archive cannot be opened or written (path)
          ├── NotAnArchiveError   the file is not a SQLite database
          ├── SchemaTooNewError   the archive was written by a newer version
          └── ArchiveLockedError  another run holds the archive's lock

Library errors are wrapped once, at the boundary where they happen (`raise ... from exc`).
"""

from __future__ import annotations


class ArchiverError(Exception):
    """Base class: every error the user may see as a one-line message."""


class ProfileError(ArchiverError):
    """A site profile could not be loaded; the message names the file and the key."""


class InputError(ArchiverError):
    """An input given on the command line cannot be used."""


class UnknownSiteError(InputError):
    """No site profile claims this URL's host."""


class FetchError(ArchiverError):
    """A URL could not be fetched; carries the URL and a short reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason

    #: True when the URL was never requested because it must not be (the caller records "skipped");
    #: False when a request was tried and failed (the caller records "failed" and retries on a later run).
    skipped = False


class OutOfScopeError(FetchError):
    """The URL (or a redirect's target) is off-site, not http(s), or a private address not explicitly allowed."""

    skipped = True


class RobotsDisallowedError(FetchError):
    """robots.txt forbids the URL for our user agent."""

    skipped = True


class TooLargeError(FetchError):
    """The body is larger than the configured cap; reading stopped at the cap."""


class RedirectError(FetchError):
    """The redirect chain loops, is too long, or a redirect has no usable Location."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (after the retries, for the retried ones)."""

    def __init__(self, url: str, reason: str, status: int) -> None:
        super().__init__(url, reason)
        self.status = status


class UnreachableError(FetchError):
    """No complete response: timeout, refused or reset connection, truncated body (after the retries)."""


class ExtractError(ArchiverError):
    """A page could not be read as an article at all (as opposed to a missing field)."""


class StoreError(ArchiverError):
    """The archive cannot be opened or written."""


class NotAnArchiveError(StoreError):
    """The file exists but is not a SQLite database."""


class SchemaTooNewError(StoreError):
    """The archive's schema version is newer than this program knows."""


class ArchiveLockedError(StoreError):
    """Another process holds the archive's run lock."""
