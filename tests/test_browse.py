"""`newsarchive browse` for real: the command starts Datasette on 127.0.0.1 with our metadata and plugin,
and the archive is read over HTTP (descriptions, facets, the stemmed search box and canned query)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from scraper import browse as browsing
from scraper.schema import TABLE_DOCS
from tests.archive_records import build_fixture_archive

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 30
SEED_URL_PRINT = (
    "http://vybor-naroda.org/lentanovostey/print:page,1,"
    "297434-lipeckaja-oblast-i-dnr-planirujut-zapustit-promyshlennuju-kooperaciju.html?utm_source=telegram"
)
ZOTOV_URL = "http://2018.vybor-naroda.org/politika/297501-mihail-zotov-kooperaciju-s-sosedjami-prodolzhim.html"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"newsarchive browse exited with {proc.returncode} before serving")
        try:
            if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"Datasette did not answer on {base} within {STARTUP_SECONDS} s")


class Server:
    def __init__(self, proc: subprocess.Popen[bytes], base: str, out: Path) -> None:
        self.proc, self.base, self.out = proc, base, out

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(self.base + path, params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json() if path.endswith(".json") else response.text


@contextmanager
def browsing_archive(folder: Path) -> Iterator[Server]:
    """`newsarchive browse` on a fixture archive in `folder`, killed (with Datasette) by its own group at the end."""
    db = build_fixture_archive(folder / "archive.db")
    port = free_port()
    out = folder / "browse.out"
    command = ["browse", "--db", str(db), "--port", str(port)]
    with out.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from cli import app; app(prog_name='newsarchive')", *command],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the cleanup below reaches Datasette too
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(proc, base)
        yield Server(proc, base, out)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the read-only tests (starting Datasette takes seconds)."""
    with browsing_archive(tmp_path_factory.mktemp("browse")) as running:
        yield running


def test_browse_serves_the_metadata(server: Server) -> None:
    assert server.get("/-/metadata.json") == browsing.datasette_metadata("archive")
    page = server.get("/archive/articles")
    assert TABLE_DOCS["articles"] in page
    assert server.out.read_text(encoding="utf-8").startswith(
        f"Serving {server.out.parent / 'archive.db'} at {server.base}/ (Ctrl-C to stop)\n"
    )


def facet_counts(data: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    return {name: [(r["value"], r["count"]) for r in facet["results"]] for name, facet in data["facet_results"].items()}


def test_browse_facets_on_category_and_speaker(server: Server) -> None:
    assert facet_counts(server.get("/archive/articles.json", _size=0)) == {
        "category": [("lentanovostey", 2), ("politika", 1)],
        "site": [("vybor-naroda.org", 3)],
    }
    assert facet_counts(server.get("/archive/quotes.json", _size=0)) == {
        "speaker": [("Игорь Артамонов", 1), ("Михаил Зотов", 1), ("Сергей Курбатов", 1), ("в облизбиркоме", 1)],
        "verb": [("подчеркнул", 2), ("напомнили", 1), ("отметил", 1)],
    }


def test_browse_search_box_is_stemmed(server: Server) -> None:
    rows = server.get("/archive/articles.json", _search="кооперация", _shape="array", _col="headline")
    assert rows == [
        {"id": 2, "headline": "Михаил Зотов: кооперацию с соседями продолжим"},
        {"id": 1, "headline": "Липецкая область и ДНР запускают промышленную кооперацию"},
    ]
    assert server.get("/archive/articles.json", _search="металлургия", _shape="array") == []
    assert server.get("/archive/articles.json", _search="", _shape="array", _col="id") == []


def test_browse_per_column_search_finds_every_form_in_that_column(server: Server) -> None:
    # Datasette's `headline MATCH escape_fts(...)`: the plugin sends it to the stem column of that text.
    assert server.get("/archive/articles_fts.json", _search_headline="кооперацию", _shape="array", _col="headline") == [
        {"rowid": 1, "headline": "Липецкая область и ДНР запускают промышленную кооперацию"},
        {"rowid": 2, "headline": "Михаил Зотов: кооперацию с соседями продолжим"},
    ]
    assert server.get("/archive/articles_fts.json", _search_body="кооперация", _shape="array", _col="headline") == [
        {"rowid": 1, "headline": "Липецкая область и ДНР запускают промышленную кооперацию"},
        {"rowid": 2, "headline": "Михаил Зотов: кооперацию с соседями продолжим"},
    ]
    assert server.get("/archive/articles.json", _search_headline="кооперация", _shape="array", _col="id") == [
        {"id": 2},
        {"id": 1},
    ]
    assert server.get("/archive/articles.json", _search_quotes="соседними", _shape="array", _col="id") == [{"id": 2}]
    both = {"_search_headline": "запускать", "_search_body": "кооперация"}
    assert server.get("/archive/articles.json", **both, _shape="array", _col="id") == [{"id": 1}]
    # The words of another column do not count, and raw mode matches the words as written.
    assert server.get("/archive/articles.json", _search_headline="переговоры", _shape="array") == []
    raw = {"_searchmode": "raw", "_shape": "array", "_col": "id"}
    assert server.get("/archive/articles.json", _search_headline="кооперацию", **raw) == [{"id": 2}, {"id": 1}]
    assert server.get("/archive/articles.json", _search_headline="кооперация", **raw) == []
    page = server.get("/archive/articles", _search_headline="кооперация")
    assert "search column &#34;headline_stem&#34; matches &#34;кооперация&#34;" in page
    unknown = httpx.get(f"{server.base}/archive/articles.json", params={"_search_nosuch": "x"}, timeout=10)
    assert (unknown.status_code, unknown.json()["error"]) == (400, "Cannot search by that column")


def test_browse_canned_search_ranks_with_snippets(server: Server) -> None:
    assert server.get("/archive/search.json", q="кооперация", _shape="array") == [
        {
            "id": 2,
            "published_at": "2025-12-08T10:05:00+03:00",
            "category": "politika",
            "headline": "Михаил Зотов: кооперацию с соседями продолжим",
            "snippet": "Михаил Зотов подчеркнул: «[Кооперация] с соседними регионами останется приоритетом».\n\n"
            "Депутаты поддержали планы по [кооперации].",
            "url": ZOTOV_URL,
        },
        {
            "id": 1,
            "published_at": "2025-12-07T16:16:00+03:00",
            "category": "lentanovostey",
            "headline": "Липецкая область и ДНР запускают промышленную кооперацию",
            "snippet": "…Ключевая тема переговоров – углубление промышленной [кооперации] и создание совместных "
            "производств. Встреча стала логичным продолжением реализации договорённостей…",
            "url": SEED_URL_PRINT,
        },
    ]
    assert server.get("/archive.json", sql="SELECT ru_stem('Кооперацию с соседями') AS s", _shape="array") == [
        {"s": "кооперац с сосед"}
    ]


def test_browse_stops_datasette_on_sigterm(tmp_path: Path) -> None:
    with browsing_archive(tmp_path) as own:
        os.kill(own.proc.pid, signal.SIGTERM)
        assert own.proc.wait(timeout=20) == 0
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{own.base}/-/versions.json", timeout=2)
