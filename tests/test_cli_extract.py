"""`newsarchive extract`: inputs it cannot use get one stderr line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from tests.conftest import SEED_FETCHED_AT, SEED_PAGE, SEED_URL

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["extract", *args])


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.html"
    result = run(str(missing), "--url", SEED_URL)
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file\n"
    assert result.stdout == ""


def test_not_html(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    result = run(str(image), "--url", SEED_URL)
    assert result.exit_code == 2
    assert result.stderr == f"error: {image}: not an HTML page\n"


def test_unknown_site() -> None:
    result = run(str(SEED_PAGE), "--url", "https://example.com/news/1-x.html")
    assert result.exit_code == 2
    assert result.stderr == "error: unknown site: no profile covers host 'example.com'\n"


def test_bad_fetched_at() -> None:
    result = run(str(SEED_PAGE), "--fetched-at", "вчера")
    assert result.exit_code == 2
    assert result.stderr == "error: --fetched-at: not an ISO 8601 timestamp: 'вчера'\n"


def test_page_without_address_needs_url(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_text("<html><body><div id='dle-content'><h1>Заголовок</h1></div></body></html>", encoding="utf-8")
    result = run(str(page))
    assert result.exit_code == 2
    assert result.stderr == f"error: {page}: the page does not say its address; pass --url URL\n"


def test_address_from_the_pages_canonical_link() -> None:
    result = run(str(SEED_PAGE), "--fetched-at", SEED_FETCHED_AT, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["url"] == SEED_URL


def test_good_inputs_are_printed_even_when_one_fails(tmp_path: Path) -> None:
    missing = tmp_path / "gone.html"
    result = run(str(SEED_PAGE), str(missing), "--fetched-at", SEED_FETCHED_AT, "--json")
    assert result.exit_code == 2
    assert [json.loads(line)["news_id"] for line in result.stdout.splitlines()] == ["297434"]
    assert result.stderr == f"error: {missing}: no such file\n"


def test_more_urls_than_files() -> None:
    result = run(str(SEED_PAGE), "--url", SEED_URL, "--url", SEED_URL)
    assert result.exit_code == 2
    assert result.stderr == "error: --url given 2 times for 1 file input(s)\n"


def test_extract_fetches_a_url_from_the_mirror() -> None:
    from scraper.mirror import MirrorServer
    from tests.conftest import FIXTURES, load_json

    expected = load_json(FIXTURES / "portal" / "seed-article.expected.json")
    with MirrorServer() as server:
        base = server.base_url
        page_url = base + SEED_URL.removeprefix("http://2018.vybor-naroda.org")
        result = run(page_url, "--site", "vybor_naroda", "--fetched-at", SEED_FETCHED_AT, "--json")
        missing = run(base + "/lentanovostey/1-net-takoj.html", "--site", "vybor_naroda")
        unknown = run(page_url)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["url"] == page_url
    assert record["canonical_url"] == page_url
    for key in ("news_id", "headline", "published_at", "photo_credit", "body", "quotes", "fetched_at"):
        assert record[key] == expected[key], key
    assert [item["title"] for item in record["sidebar"]] == [item["title"] for item in expected["sidebar"]]
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"error: {base}/lentanovostey/1-net-takoj.html: the server answered HTTP 404\n",
    )
    assert (unknown.exit_code, unknown.stderr) == (2, "error: unknown site: no profile covers host '127.0.0.1'\n")
