"""The project's one exception tree.

    ArchiverError                 base: the CLI turns any of these into one stderr line + exit code
     ├── ProfileError             a site profile is missing, unreadable or invalid (path, key)
     ├── InputError               a user-supplied input cannot be used (missing file, not HTML, bad option)
     │    └── UnknownSiteError    a URL that no site profile claims
     ├── FetchError               a URL could not be fetched (url, reason)
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
