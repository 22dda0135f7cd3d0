"""The mirror server itself: file mapping, content types, link rewriting, validators, gzip, the
request log, and running it as a process."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scraper.mirror import BUNDLED_MIRROR, GzipBomb, MirrorServer, Override, Redirect, Status

SEED = "/lentanovostey/297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html"
INDEX = '<html><head><meta charset="utf-8"></head><body><a href="http://2018.vybor-naroda.org/x/">x</a></body></html>'
CP1251 = '<html><head><meta charset="windows-1251"></head><body>Выбор народа</body></html>'
FEED = '<?xml version="1.0" encoding="utf-8"?><rss><channel><link>https://vybor-naroda.org/</link></channel></rss>'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "x").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "x" / "index.html").write_bytes(CP1251.encode("cp1251"))
    (tmp_path / "rss.xml").write_text(FEED, encoding="utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nSitemap: http://2018.vybor-naroda.org/sitemap.xml\n")
    (tmp_path / "img.jpg").write_bytes(b"\xff\xd8\xff http://2018.vybor-naroda.org/")
    return tmp_path


@pytest.fixture
def server(root: Path) -> Iterator[MirrorServer]:
    with MirrorServer(root) as mirror:
        yield mirror


def get(server: MirrorServer, path: str, **headers: str) -> httpx.Response:
    headers.setdefault("Accept-Encoding", "identity")
    return httpx.get(server.url(path), headers=headers, trust_env=False)


def test_base_url_is_loopback_with_a_free_port(server: MirrorServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert server.port > 0


def test_directories_serve_index_html_with_links_rewritten(server: MirrorServer) -> None:
    response = get(server, "/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == INDEX.replace("http://2018.vybor-naroda.org", server.base_url)


def test_charset_header_follows_the_files_meta(server: MirrorServer) -> None:
    response = get(server, "/x/")
    assert response.headers["content-type"] == "text/html; charset=cp1251"
    assert response.content == CP1251.encode("cp1251")


def test_feeds_robots_and_binaries(server: MirrorServer) -> None:
    feed = get(server, "/rss.xml")
    assert feed.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert feed.text == FEED.replace("https://vybor-naroda.org", server.base_url)
    robots = get(server, "/robots.txt")
    assert robots.headers["content-type"] == "text/plain; charset=utf-8"
    assert robots.text == f"User-agent: *\nSitemap: {server.base_url}/sitemap.xml\n"
    image = get(server, "/img.jpg")
    assert image.headers["content-type"] == "image/jpeg"
    assert image.content == b"\xff\xd8\xff http://2018.vybor-naroda.org/"


def test_missing_files_and_escapes_are_404(server: MirrorServer) -> None:
    assert get(server, "/nope.html").status_code == 404
    assert get(server, "/../../etc/passwd").status_code == 404
    assert get(server, "/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_rewriting_can_be_turned_off(root: Path) -> None:
    with MirrorServer(root, rewrite_site_hosts=False) as mirror:
        assert get(mirror, "/").text == INDEX


def test_etag_and_last_modified_give_304(server: MirrorServer) -> None:
    first = get(server, "/")
    assert get(server, "/", **{"If-None-Match": first.headers["etag"]}).status_code == 304
    assert get(server, "/", **{"If-None-Match": '"other"'}).status_code == 200
    assert get(server, "/", **{"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    assert get(server, "/", **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200


def test_gzip_only_when_asked(server: MirrorServer) -> None:
    plain = get(server, "/")
    assert "content-encoding" not in plain.headers
    zipped = httpx.get(server.url("/"), headers={"Accept-Encoding": "gzip"}, trust_env=False)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.text == plain.text


def test_faults_in_sequence_then_the_file(server: MirrorServer) -> None:
    server.set_fault("/", [Status(503, {"Retry-After": "7"}), Status(429)])
    first = get(server, "/")
    assert (first.status_code, first.headers["retry-after"]) == (503, "7")
    assert get(server, "/").status_code == 429
    assert get(server, "/").status_code == 200
    assert [(r.method, r.path, r.status) for r in server.requests] == [
        ("GET", "/", 503),
        ("GET", "/", 429),
        ("GET", "/", 200),
    ]


def test_redirect_locations_are_rewritten(server: MirrorServer) -> None:
    server.set_fault("/sitemap.xml", Redirect("http://2018.vybor-naroda.org/uploads/sitemap.xml", 301))
    response = get(server, "/sitemap.xml")
    assert (response.status_code, response.headers["location"]) == (301, server.url("/uploads/sitemap.xml"))


def test_override_replaces_headers(server: MirrorServer) -> None:
    server.set_fault("/x/", Override({"Content-Type": "text/html"}))
    assert get(server, "/x/").headers["content-type"] == "text/html"


def test_gzip_bomb_is_small_on_the_wire(server: MirrorServer) -> None:
    server.set_fault("/bomb", GzipBomb(50_000_000))
    with httpx.stream("GET", server.url("/bomb"), trust_env=False) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert len(raw) < 100_000
    assert len(gzip.decompress(raw)) == 50_000_000


def test_request_log_records_headers(server: MirrorServer) -> None:
    get(server, "/x/", **{"User-Agent": "probe/1"})
    (logged,) = server.requests_for("/x/")
    assert (logged.method, logged.status, logged.header("user-agent")) == ("GET", 200, "probe/1")
    assert logged.finished >= logged.started
    server.reset_log()
    assert server.requests == []


def test_stop_frees_the_port(root: Path) -> None:
    mirror = MirrorServer(root).start()
    port = mirror.port
    mirror.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_bundled_mirror_serves_the_seed_article() -> None:
    with MirrorServer() as mirror:
        assert mirror.root == BUNDLED_MIRROR.resolve()
        response = get(mirror, SEED)
        assert response.status_code == 200
        assert "2018.vybor-naroda.org" not in response.text
        assert f'<link rel="canonical" href="{mirror.base_url}{SEED}">' in response.text
        robots = get(mirror, "/robots.txt").text
        assert "Disallow: /engine/\n" in robots
        assert f"Sitemap: {mirror.base_url}/sitemap.xml\n" in robots


def test_runs_as_a_process(root: Path) -> None:
    project = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.mirror", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(base_url + "/", trust_env=False)
        assert response.text == INDEX.replace("http://2018.vybor-naroda.org", base_url)
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
