"""Charsets: the declared one, unless the bytes contradict it (a server's wrong header costs nothing)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scraper.encoding import decode_body, detect_charset, markup_for_parser
from scraper.mirror import MirrorServer, Override
from tests.conftest import MIRROR
from tests.test_crawl import cli, crawl_args

EXPECTED = Path(__file__).resolve().parent / "fixtures" / "expected"
TEXT = "Липецкая область и ДНР планируют запустить промышленную кооперацию. " * 10


def page(meta: str | None, body: str = TEXT) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("raw", "header", "expected"),
    [
        (page("windows-1251").encode("cp1251"), "utf-8", "cp1251"),
        (page(None).encode("cp1251"), "utf-8", "cp1251"),
        (page("utf-8").encode("utf-8"), "windows-1251", "utf-8"),
        (page(None).encode("utf-8"), "koi8-r", "utf-8"),
        (page("windows-1251").encode("cp1251"), "windows-1251", "cp1251"),
        (page("utf-8").encode("utf-8"), "utf-8", "utf-8"),
        (page("windows-1251", "plain ascii text").encode("cp1251"), "utf-8", "utf-8"),
    ],
    ids=[
        "utf8-header-over-1251-bytes-with-meta",
        "utf8-header-over-1251-bytes-without-meta",
        "1251-header-over-utf8-bytes",
        "koi8-header-over-utf8-bytes",
        "1251-as-declared",
        "utf8-as-declared",
        "ascii-keeps-the-header",
    ],
)
def test_the_bytes_overrule_a_declaration_they_contradict(raw: bytes, header: str, expected: str) -> None:
    assert detect_charset(raw, header) == expected
    assert "Липецкая область" in decode_body(raw, header) or "plain ascii text" in decode_body(raw, header)


def test_a_few_broken_bytes_keep_a_utf8_page_utf8() -> None:
    raw = page("utf-8").encode("utf-8")
    broken = raw[:300] + b"\xff\xfe" + raw[300:]
    assert detect_charset(broken, "utf-8") == "utf-8"
    text = decode_body(broken, "utf-8")
    assert text.count("\ufffd") == 2
    assert text.count("Липецкая область") == 10
    assert markup_for_parser(raw, "utf-8") is raw  # valid UTF-8 goes to the parser as it is


def _expected_headline(news_id: str) -> str:
    return json.loads((EXPECTED / f"{news_id}.json").read_text(encoding="utf-8"))["headline"]


def test_a_crawl_reads_pages_whose_charset_header_is_wrong(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    faults = {
        "/ekonomika/291190-v-elce-zapustili-novuju-liniju-po-vypusku-nasosnogo-oborudovanija.html": Override(
            {"Content-Type": "text/html; charset=utf-8"}
        ),
        "/politika/290218-deputaty-oblsoveta-obsudili-popravki-v-regionalnyj-bjudzhet.html": Override(
            {"Content-Type": "text/html; charset=windows-1251"}
        ),
    }
    with MirrorServer(MIRROR, faults=faults) as server:
        done = cli(*crawl_args(server, db, "--full"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    try:
        rows = dict(conn.execute("SELECT news_id, headline FROM articles WHERE news_id IN ('291190', '290218')"))
    finally:
        conn.close()
    assert rows == {"291190": _expected_headline("291190"), "290218": _expected_headline("290218")}
