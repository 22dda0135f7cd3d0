"""Fetch stage, first gate: which URLs may be requested at all.

Takes a URL (the one asked for, or a redirect's target) and either lets it through or raises
OutOfScopeError before any byte is sent. Only the site's own hosts are in scope (for this portal every
`*.vybor-naroda.org`), plus hosts named explicitly as `host:port` (a local mirror given with
`--base-url`). A site host that resolves to a private, loopback or link-local address is refused: a
hostile DNS record must not turn the crawler against the machine it runs on. An explicit host is
trusted as given, which is how `127.0.0.1:PORT` can be crawled.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.errors import OutOfScopeError, UnreachableError

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> tuple[str, int]:
    """The lower-case host and the port (explicit or the scheme's default) of an http(s) URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, port if port is not None else _DEFAULT_PORTS.get(parts.scheme.lower(), 0)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True, slots=True)
class Scope:
    """The hosts a crawl may talk to.

    `site_hosts` are patterns from a site profile (`example.org` or `*.example.org`, any port);
    `explicit_hosts` are exact `host:port` pairs that are trusted even on a private address.
    """

    site_hosts: tuple[str, ...] = ()
    explicit_hosts: tuple[str, ...] = ()

    @classmethod
    def for_base_url(cls, site_hosts: tuple[str, ...], base_url: str | None = None) -> Scope:
        """The site's hosts, plus the base URL's `host:port` when it is not one of them (a mirror)."""
        explicit: tuple[str, ...] = ()
        if base_url:
            host, port = host_port(base_url)
            scope = cls(site_hosts=site_hosts)
            if not scope.matches_site_host(host):
                explicit = (f"{host}:{port}",)
        return cls(site_hosts=tuple(h.lower() for h in site_hosts), explicit_hosts=explicit)

    def matches_site_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for pattern in self.site_hosts:
            pattern = pattern.lower()
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                    return True
            elif host == pattern:
                return True
        return False

    def is_explicit(self, url: str) -> bool:
        host, port = host_port(url)
        return f"{host}:{port}" in self.explicit_hosts

    def check(self, url: str) -> None:
        """Raise OutOfScopeError unless the URL's scheme and host are allowed (no DNS look-up)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise OutOfScopeError(url, f"scheme {scheme or '(none)'!r} is not fetched")
        if parts.username or parts.password:
            raise OutOfScopeError(url, "URLs with credentials are not fetched")
        host, _ = host_port(url)
        if not host:
            raise OutOfScopeError(url, "no host")
        if self.is_explicit(url):
            return
        if not self.matches_site_host(host):
            raise OutOfScopeError(url, f"host {host!r} is not one of the site's hosts")
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return
        if not _is_public(str(literal)):
            raise OutOfScopeError(url, f"private address {host}")

    async def check_resolved(self, url: str) -> None:
        """`check`, then refuse a site host whose DNS answer includes a non-public address."""
        self.check(url)
        if self.is_explicit(url):
            return
        host, port = host_port(url)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UnreachableError(url, f"DNS lookup failed for {host}: {exc}") from exc
        for info in infos:
            address = str(info[4][0])
            if not _is_public(address):
                raise OutOfScopeError(url, f"host {host} resolves to private address {address}")
