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
from collections.abc import Callable
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


# --- integrity on read: a record comes back whole or not at all ---------------------------------------


def _member(directory: Path, ref: WarcRef) -> bytes:
    with open(directory / ref.file, "rb") as handle:
        handle.seek(ref.offset)
        return handle.read(ref.length)


def _rewritten(directory: Path, ref: WarcRef, change: Callable[[bytes], bytes]) -> WarcRef:
    """A file holding only the record `ref` points at, changed and gzipped again (a valid gzip member)."""
    member = gzip.compress(change(gzip.decompress(_member(directory, ref))))
    (directory / "changed.warc.gz").write_bytes(member)
    return WarcRef("changed.warc.gz", 0, len(member))


def _header(record: bytes, name: bytes) -> str:
    start = record.index(name + b": ") + len(name) + 2
    return record[start : record.index(b"\r\n", start)].decode()


def test_a_truncated_record_is_refused_not_shortened(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    os.truncate(tmp_path / ref.file, ref.offset + 100)
    with pytest.raises(ValueError) as caught:
        read_warc_response(tmp_path, ref)
    assert str(caught.value) == (
        f"{ref.file} at offset {ref.offset}: truncated: the file holds 100 of the record's {ref.length} bytes"
    )


def test_a_record_failing_its_payload_digest_is_refused(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    changed = _rewritten(tmp_path, ref, lambda record: record.replace(b"</body>", b"</bodx>"))
    digest = _header(gzip.decompress(_member(tmp_path, ref)), b"WARC-Payload-Digest")
    assert digest.startswith("sha1:")
    with pytest.raises(ValueError) as caught:
        read_warc_response(tmp_path, changed)
    assert (
        str(caught.value) == f"changed.warc.gz at offset 0: damaged: the payload fails its WARC-Payload-Digest {digest}"
    )


def test_a_record_failing_its_block_digest_is_refused(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    changed = _rewritten(tmp_path, ref, lambda record: record.replace(b'ETag: "1"', b'ETag: "7"'))
    digest = _header(gzip.decompress(_member(tmp_path, ref)), b"WARC-Block-Digest")
    with pytest.raises(ValueError) as caught:
        read_warc_response(tmp_path, changed)
    assert str(caught.value) == f"changed.warc.gz at offset 0: damaged: the record fails its WARC-Block-Digest {digest}"


def test_a_record_shorter_than_its_content_length_is_refused(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    record = gzip.decompress(_member(tmp_path, ref))
    declared = int(_header(record, b"Content-Length"))
    # The body loses its last 10 bytes; the record still ends as records do.
    changed = _rewritten(tmp_path, ref, lambda r: r.removesuffix(b"\r\n\r\n")[:-10] + b"\r\n\r\n")
    with pytest.raises(ValueError) as caught:
        read_warc_response(tmp_path, changed)
    assert str(caught.value) == (
        f"changed.warc.gz at offset 0: incomplete: {declared - 6} of the {declared} bytes its Content-Length declares"
    )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("trailer", "damaged gzip member (CRC check failed)"),
        ("header", "damaged: not the start of a gzip member"),
        ("length", "damaged gzip member (Incorrect length of data produced)"),
    ],
)
def test_a_damaged_gzip_member_is_refused_and_its_neighbours_still_read(
    tmp_path: Path, damage: str, reason: str
) -> None:
    with WarcWriter(tmp_path) as writer:
        refs = [write_page(writer, n) for n in range(3)]
    ref = refs[1]
    position = {"trailer": ref.offset + ref.length - 8, "header": ref.offset, "length": ref.offset + ref.length - 4}
    with open(tmp_path / ref.file, "r+b") as handle:
        handle.seek(position[damage])
        old = handle.read(2)
        handle.seek(position[damage])
        handle.write(bytes(b ^ 0xFF for b in old))
    with pytest.raises(ValueError) as caught:
        read_warc_response(tmp_path, ref)
    assert str(caught.value) == f"{ref.file} at offset {ref.offset}: {reason}"
    assert [read_warc_response(tmp_path, r).body for r in (refs[0], refs[2])] == [HTML + b"0", HTML + b"2"]


def test_zeros_in_a_member_are_refused(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        ref = write_page(writer, 1)
    with open(tmp_path / ref.file, "r+b") as handle:
        handle.seek(ref.offset + ref.length // 2)
        handle.write(b"\0" * 16)
    with pytest.raises(ValueError, match=rf"^{re.escape(ref.file)} at offset {ref.offset}: damaged"):
        read_warc_response(tmp_path, ref)


def test_iteration_skips_a_record_failing_its_digest(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with WarcWriter(tmp_path) as writer:
        good = write_page(writer, 1)
    changed = _rewritten(tmp_path, good, lambda record: record.replace(b"</body>", b"</bodx>"))
    with caplog.at_level(logging.WARNING, logger="scraper.warc"):
        responses = list(iter_warc_responses(tmp_path / changed.file))
    assert responses == []
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / changed.file}: skipping a damaged record at offset 0 "
        "(damaged: the payload fails its WARC-Payload-Digest "
        f"{_header(gzip.decompress(_member(tmp_path, good)), b'WARC-Payload-Digest')})"
    ]
