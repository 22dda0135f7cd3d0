"""Kill -9 a writer in the middle of ingesting: the archive must reopen intact, with no half-written article."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scraper.store import Archive

# Article i, version v: headline token n{i}v{v}, 20 + i % 7 + v quotes, i % 4 + v tags. Every second
# step edits an earlier article, so the kill can also land inside an update (revision + re-index).
WRITER = r"""
import dataclasses, sys
from scraper.models import Article, Quote
from scraper.store import Archive

def article(i, v):
    words = " ".join(f"слово{k} кооперации" for k in range(40))
    return Article(
        url=f"http://2018.vybor-naroda.org/lentanovostey/{100000 + i}-statja.html", site="vybor-naroda.org",
        news_id=str(100000 + i), category="lentanovostey", headline=f"Статья n{i}v{v}", published_text=None,
        published_at="2025-12-07T16:16:00+03:00", photo_credit=None, body=f"Текст {i} {v} " + words * 5,
        quotes=tuple(Quote(text=f"Цитата {k} {words}", speaker=f"Спикер {k}", speaker_role=None, verb="сказал")
                     for k in range(20 + i % 7 + v)),
        sidebar=(), fetched_at=f"2026-03-05T17:{v:02d}:00+03:00", tags=tuple(f"тег{k}" for k in range(i % 4 + v)),
    )

with Archive.open(sys.argv[1]) as archive:
    for step in range(100000):
        i, v = (step, 0) if step % 2 == 0 else (step // 4, 1 + step % 50)
        archive.upsert_article(article(i, v))
        print(step, flush=True)
"""


def test_killed_writer_leaves_a_consistent_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    Archive.open(path).close()
    root = Path(__file__).resolve().parents[1]
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert writer.stdout is not None
        for _ in range(40):
            assert writer.stdout.readline() != ""
        time.sleep(0.013)  # somewhere inside a later transaction
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL

    with Archive.open(path) as archive:
        conn = archive.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = conn.execute("SELECT id, headline, version FROM articles ORDER BY id").fetchall()
        assert len(articles) >= 20
        for article_id, headline, version in articles:
            i, v = (int(x) for x in headline.split("n")[1].split("v"))
            assert conn.execute("SELECT count(*) FROM quotes WHERE article_id = ?", (article_id,)).fetchone() == (
                20 + i % 7 + v,
            ), headline
            assert conn.execute("SELECT count(*) FROM tags WHERE article_id = ?", (article_id,)).fetchone() == (
                i % 4 + v,
            ), headline
            revisions = conn.execute("SELECT count(*) FROM revisions WHERE article_id = ?", (article_id,)).fetchone()
            assert revisions == (version - 1,), headline
            assert conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f'headline: "n{i}v{v}"',)
            ).fetchall() == [(article_id,)], headline
        indexed = conn.execute("SELECT id FROM articles_fts_docsize ORDER BY id").fetchall()
        assert indexed == [(article_id,) for article_id, _, _ in articles]
