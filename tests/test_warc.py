"""The raw WARC archive: round trip, rotation, and torn tails after a crash."""

from __future__ import annotations

import gzip
import logging
import os
import re
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.warc import WarcRef, WarcResponse, WarcWriter, iter_warc_responses, read_warc_response

FETCHED = datetime(2026, 3, 5, 9, 30, 15, tzinfo=UTC)
HTML = "<html><head><meta charset='windows-1251'></head><body>Липецкая область</body></html>".encode("cp1251")
REQUEST_HEADERS = [("Host", "127.0.0.1:8000"), ("User-Agent", "newsarchive/test")]
FILE_NAME = re.compile(r"^newsarchive-\d{14}-\d{5}\.warc\.gz$")


def write_page(writer: WarcWriter, n: int, *, gzipped: bool = False) -> WarcRef:
    headers = [("Content-Type", "text/html; charset=windows-1251"), ("ETag", f'"{n}"')]
    body = HTML + str(n).encode()
    if gzipped:
        headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
        body = gzip.compress(body, mtime=0)
    return writer.write(
        url=f"http://127.0.0.1:8000/lentanovostey/{n}-x.html?a=1",
        method="GET",
        request_headers=REQUEST_HEADERS,
        status=200,
        reason="OK",
        response_headers=headers,
        body=body,
        fetched_at=FETCHED,
    )


def test_round_trip(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        plain = write_page(writer, 1)
        zipped = write_page(writer, 2, gzipped=True)
    assert plain.file == zipped.file
    assert FILE_NAME.match(plain.file)
    assert list(iter_warc_responses(tmp_path)) == [
        WarcResponse(
            url="http://127.0.0.1:8000/lentanovostey/1-x.html?a=1",
            status=200,
            headers=(("Content-Type", "text/html; charset=windows-1251"), ("ETag", '"1"')),
            body=HTML + b"1",
            fetched_at="2026-03-05T09:30:15+00:00",
            ref=plain,
        ),
        WarcResponse(
            url="http://127.0.0.1:8000/lentanovostey/2-x.html?a=1",
            status=200,
            headers=(
                ("Content-Type", "text/html; charset=windows-1251"),
                ("ETag", '"2"'),
                ("Content-Encoding", "gzip"),
            ),
            body=HTML + b"2",
            fetched_at="2026-03-05T09:30:15+00:00",
            ref=zipped,
        ),
    ]
    assert read_warc_response(tmp_path, zipped).body == HTML + b"2"
    assert read_warc_response(tmp_path, plain).url == "http://127.0.0.1:8000/lentanovostey/1-x.html?a=1"


def test_request_record_is_kept(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    with open(tmp_path / ref.file, "rb") as handle:
        records = [(r.rec_type, r.http_headers.protocol if r.http_headers else None) for r in ArchiveIterator(handle)]
    assert [t for t, _ in records] == ["warcinfo", "response", "request"]
    with open(tmp_path / ref.file, "rb") as handle:
        request = next(r for r in ArchiveIterator(handle) if r.rec_type == "request")
        head = request.http_headers
        assert f"{head.protocol} {head.statusline}" == "GET /lentanovostey/1-x.html?a=1 HTTP/1.1"
        assert request.http_headers.get_header("User-Agent") == "newsarchive/test"


def test_files_rotate_at_the_size_limit(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, max_file_bytes=1) as writer:
        refs = [write_page(writer, n) for n in range(3)]
    assert len({r.file for r in refs}) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(r.file for r in refs)
    assert [r.ref for r in iter_warc_responses(tmp_path)] == refs


def test_a_new_writer_never_appends_to_an_old_file(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as first:
        old = write_page(first, 1)
    size = (tmp_path / old.file).stat().st_size
    with WarcWriter(tmp_path) as second:
        new = write_page(second, 2)
    assert new.file != old.file
    assert (tmp_path / old.file).stat().st_size == size


def test_truncated_tail_is_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with WarcWriter(tmp_path) as writer:
        refs = [write_page(writer, n) for n in range(3)]
    path = tmp_path / refs[2].file
    with open(path, "r+b") as handle:
        handle.truncate(refs[2].offset + refs[2].length // 2)
    with caplog.at_level(logging.WARNING, logger="scraper.warc"):
        responses = list(iter_warc_responses(path))
    assert [r.ref for r in responses] == refs[:2]
    assert [r.body for r in responses] == [HTML + b"0", HTML + b"1"]
    assert len(caplog.records) == 1
    tail_start = refs[2].offset
    torn = tail_start + refs[2].length // 2 - tail_start
    assert (
        caplog.records[0].getMessage() == f"{path}: skipping a truncated tail after offset {tail_start} ({torn} bytes)"
    )


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from scraper.warc import WarcWriter

    writer = WarcWriter(Path(sys.argv[1]))
    n = 0
    while True:
        writer.write(url=f"http://127.0.0.1/{n}", method="GET", request_headers=[], status=200, reason="OK",
                     response_headers=[("Content-Type", "text/plain")], body=str(n).encode() * 5000,
                     fetched_at=datetime.now(UTC))
        print(n, flush=True)
        n += 1
    """
)


def test_records_survive_kill_9(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    try:
        assert process.stdout is not None
        written = 0
        for line in process.stdout:
            written = int(line) + 1
            if written >= 50:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    responses = list(iter_warc_responses(tmp_path))
    assert len(responses) >= written
    assert all(r.body == r.url.rsplit("/", 1)[1].encode() * 5000 for r in responses)
    assert [r.url for r in responses] == [f"http://127.0.0.1/{n}" for n in range(len(responses))]
