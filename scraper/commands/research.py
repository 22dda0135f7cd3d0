"""`newsarchive ingest|search|show|quotes|export|stats|browse`: the archive's commands, thin over
`scraper.ingest`, `scraper.research` and `scraper.browse`.

Each takes `--db PATH` (default data/archive.db); the read commands print a readable table, or JSON with
`--json`. Text from pages is sanitized before it reaches a terminal; JSON output is left exact.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from scraper import browse as browsing
from scraper import research
from scraper.commands._common import fail, sanitize_for_terminal, stderr_line, user_errors
from scraper.errors import ArchiverError, InputError
from scraper.exitcodes import ExitCode
from scraper.extract import looks_like_html
from scraper.extract.dates import parse_iso
from scraper.fetch import DEFAULT_MAX_BYTES
from scraper.ingest import file_fetched_at, ingest_page, is_article_page, saved_files
from scraper.pages import read_page_file
from scraper.sites import default_profile
from scraper.store import DEFAULT_ARCHIVE, Archive

DB_OPTION = typer.Option(DEFAULT_ARCHIVE, "--db", help="The archive file.", dir_okay=False)
JSON_OPTION = typer.Option(False, "--json", help="Machine-readable JSON on stdout.")
SINCE_OPTION = typer.Option(None, "--since", help="Published on or after this day (YYYY-MM-DD).")
UNTIL_OPTION = typer.Option(None, "--until", help="Published on or before this day (YYYY-MM-DD).")
clean = sanitize_for_terminal
NOT_AN_ARTICLE = "not an article page"


def _short(text: str | None, width: int) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Left-aligned columns, two spaces apart; the last column is not padded."""
    cells = [[str(h) for h in headers]] + [["-" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)) + "  " + row[-1] for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "-"


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def ingest(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Saved pages, or folders of them (*.html)."),
    url: list[str] = typer.Option(None, "--url", help="The address a page was saved from (once per file, in order)."),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="The address the folders mirror: a file's address is URL + its path in the folder "
        "(every file is read; feeds, listings, robots.txt are skipped).",
    ),
    fetched_at: str | None = typer.Option(
        None, "--fetched-at", help="When the pages were fetched (ISO 8601); default: each file's modification time."
    ),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Extract saved pages and store them in the archive (no network needed)."""
    with user_errors():
        if fetched_at is not None and parse_iso(fetched_at, default_profile().timezone) is None:
            raise InputError(f"--fetched-at: not an ISO 8601 timestamp: {fetched_at!r}")
        urls = list(url or [])
        if urls and base_url is not None:
            raise InputError("give --url (one per file) or --base-url (for folders), not both")
        files = list(saved_files(paths, base_url=base_url))
        if urls and len(urls) != len(files):
            raise InputError(f"--url given {len(urls)} times for {len(files)} page file(s)")
        # `older`: a page fetched before the article's current version, filed under its earlier versions.
        counts = {"new": 0, "updated": 0, "unchanged": 0, "older": 0, "skipped": 0, "failed": 0}

        def emit(
            file: Path,
            address: str | None,
            outcome: str,
            article_id: int | None,
            version: int | None,
            reason: str | None = None,
        ) -> None:
            counts[outcome] += 1
            if as_json:
                row: dict[str, Any] = {"path": str(file), "url": address, "id": article_id}
                row.update(outcome=outcome, version=version)
                if reason is not None:
                    row["reason"] = reason
                typer.echo(json.dumps(row, ensure_ascii=False))
            elif outcome == "skipped":
                typer.echo(f"skipped   {reason}  {clean(address)}")
            elif outcome != "failed":
                typer.echo(f"{outcome:<9} id {article_id:<5} v{version}  {clean(address)}")

        with Archive.open(db) as archive:
            for index, saved in enumerate(files):
                file = saved.path
                address = urls[index] if urls else saved.url
                try:
                    if address is not None and not is_article_page(address):  # a feed, listing, robots.txt: not read
                        emit(file, address, "skipped", None, None, NOT_AN_ARTICLE)
                        continue
                    page = read_page_file(str(file), url=address, fetched_at=fetched_at, max_bytes=DEFAULT_MAX_BYTES)
                    address = page.url
                    if not looks_like_html(page.body):
                        raise InputError(f"{file}: not an HTML page")
                    if not is_article_page(page.url):
                        emit(file, address, "skipped", None, None, NOT_AN_ARTICLE)
                        continue
                    result = ingest_page(
                        archive,
                        page.body,
                        url=page.url,
                        fetched_at=page.fetched_at or file_fetched_at(file),
                        header_charset=page.charset,
                    )
                except (ArchiverError, OSError) as exc:
                    message = str(exc) if isinstance(exc, ArchiverError) else f"{file}: {exc.strerror or exc}"
                    stderr_line(clean(message))
                    emit(file, address, "failed", None, None, message)
                    continue
                if result.revision is not None:  # fetched before the current version: history only
                    emit(file, page.url, "older", result.article_id, result.revision)
                else:
                    emit(file, page.url, result.outcome, result.article_id, result.version)
        if not as_json:
            summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n or name != "older")
            typer.echo(f"{len(files)} file(s): {summary}")
    if counts["failed"]:
        raise typer.Exit(int(ExitCode.PAGES_FAILED))


def search(
    query: str = typer.Argument(..., help='Words in any grammatical form; FTS5 syntax: "phrase", OR, NOT, prefix*.'),
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    category: str | None = typer.Option(None, "--category", help="Only this category slug."),
    speaker: str | None = typer.Option(None, "--speaker", help="Only articles quoting this speaker (part of name)."),
    limit: int = typer.Option(20, "--limit", help="At most this many results."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Full-text search (Russian stemming), best match first, with a highlighted snippet."""
    with user_errors(), Archive.open(db, create=False) as archive:
        hits = research.search(
            archive, query, since=since, until=until, category=category, speaker=speaker, limit=limit
        )
    if as_json:
        _echo_json([hit.to_dict() for hit in hits])
        return
    for hit in hits:
        typer.echo(
            f"#{hit.article_id}  {_day(hit.published_at)}  {clean(hit.category) or '-'}  {_short(hit.headline, 100)}"
        )
        typer.echo(f"    {_short(hit.snippet, 200)}")
        typer.echo(f"    {clean(hit.url)}")
    typer.echo(f"{len(hits)} result(s)")


def show(
    ref: str = typer.Argument(..., metavar="ID_OR_URL", help="Archive id (see search), news id, or any URL of it."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """One article: the whole current record, its quotes, the URLs it was seen under, its revisions."""
    with user_errors(), Archive.open(db, create=False) as archive:
        report = research.article_report(archive, ref)
    if as_json:
        _echo_json(report.to_dict())
        return
    record, fields = report.stored.record, report.stored.archive
    lines = [
        f"#{fields.article_id}  {clean(record.headline) or '(no headline)'}",
        f"site:          {clean(record.site)}   news_id: {record.news_id or '-'}   "
        f"category: {clean(record.category) or '-'}",
        f"published:     {record.published_at or '-'}   (shown as: {clean(record.published_text) or '-'})",
        f"url:           {clean(record.url)}",
        f"canonical_url: {clean(record.canonical_url) or '-'}",
        f"photo_credit:  {clean(record.photo_credit) or '-'}",
        f"image_url:     {clean(record.image_url) or '-'}",
        f"tags:          {clean(', '.join(record.tags)) or '-'}",
        f"version:       {fields.version}   first seen {fields.first_seen_at}   last seen {fields.last_seen_at}"
        f"   changed {fields.last_changed_at}",
        "seen under:    " + "\n               ".join(clean(u) for u in report.urls),
        "",
        clean(record.body) or "(no body)",
        "",
        f"quotes ({len(record.quotes)}):",
    ]
    for number, quote in enumerate(record.quotes, start=1):
        who = clean(quote.speaker) or "?"
        if quote.speaker_role:
            who += f", {clean(quote.speaker_role)}"
        lines.append(f"  {number}. {who} ({clean(quote.verb) or '-'}): «{clean(quote.text)}»")
    lines.append(f"revisions ({len(report.revisions)}):")
    for revision in report.revisions:
        lines.append(
            f"  v{revision.version}  seen {revision.first_seen_at} .. {revision.last_seen_at}  "
            f"{_short(revision.headline, 80)}"
        )
    typer.echo("\n".join(lines))


def quotes(
    speaker: str | None = typer.Option(None, "--speaker", help="Part of the speaker's name, any case."),
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    limit: int | None = typer.Option(None, "--limit", help="At most this many quotes."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Who said what: quotes with speaker, role, speech verb and the article's link, newest first."""
    with user_errors(), Archive.open(db, create=False) as archive:
        rows = research.quotes(archive, speaker=speaker, since=since, until=until, limit=limit)
    if as_json:
        _echo_json([row.to_dict() for row in rows])
        return
    table = [
        (
            _day(row.published_at),
            _short(row.speaker, 30) or "-",
            _short(row.speaker_role, 30) or "-",
            _short(row.verb, 15) or "-",
            "«" + _short(row.text, 60) + "»",
            clean(row.url),
        )
        for row in rows
    ]
    typer.echo(_table(("published", "speaker", "role", "verb", "quote", "url"), table))
    typer.echo(f"{len(rows)} quote(s)")


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def export(
    fmt: ExportFormat = typer.Option(
        ExportFormat.jsonl, "--format", help="jsonl (the extract --json record), csv, parquet."
    ),
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout.", dir_okay=False),
    db: Path = DB_OPTION,
) -> None:
    """Export current article records (jsonl round-trips: the extract record plus archive fields)."""
    with user_errors(), Archive.open(db, create=False) as archive, ExitStack() as stack:
        research.parse_day(since, "--since")
        research.parse_day(until, "--until")
        if fmt is ExportFormat.parquet and out is None:
            raise InputError("--format parquet needs --out FILE")
        if out is not None:
            _check_export_target(out, db)
        articles = research.export_articles(archive, since=since, until=until)
        with _written_in_place(out) as part:
            if fmt is ExportFormat.parquet:
                assert part is not None
                count = research.write_parquet(articles, part)
            else:
                handle = stack.enter_context(part.open("w", encoding="utf-8", newline="")) if part else sys.stdout
                if fmt is ExportFormat.jsonl:
                    count = research.write_jsonl(articles, handle)  # JSON escapes control characters itself
                else:
                    count = research.write_csv(articles, handle, clean=clean if handle.isatty() else None)
                if part is not None:
                    stack.close()  # flushed and closed before it takes the place of --out
        if out is not None:
            typer.echo(f"exported {count} article(s) to {out}", err=True)


def _check_export_target(out: Path, db: Path) -> None:
    """Refuse an --out that would overwrite the archive (or its journal) or cannot be written at all."""
    target, archive = out.resolve(), db.resolve()
    own_files = {archive, *(archive.with_name(archive.name + end) for end in ("-wal", "-shm", "-journal", ".lock"))}
    if target in own_files or (target.exists() and target.samefile(archive)):
        raise InputError(f"--out {out}: that is the archive's own file; nothing was written")
    if target.is_dir():
        raise InputError(f"--out {out}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise InputError(f"--out {out}: folder {target.parent} does not exist; nothing was written")


@contextmanager
def _written_in_place(out: Path | None) -> Iterator[Path | None]:
    """Where the export is written: a temporary file beside `out` that replaces it only once the export
    is complete, so a failed export leaves an existing file as it was and no half-written one. It gets
    the mode the file had (or a new file's usual mode), and through a symlink it replaces the link's
    target. A device or a pipe (`/dev/stdout`, `>(gzip > x.gz)`) is written as it is."""
    if out is None:
        yield None
        return
    if out.exists() and not out.is_file():
        try:
            yield out
        except OSError as exc:
            raise InputError(f"--out {out}: cannot write: {exc.strerror}") from exc
        return
    target = out.resolve()
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InputError(f"--out {out}: cannot write there: {exc.strerror}; nothing was written") from exc
    os.close(handle)
    part = Path(name)
    try:
        yield part
        os.chmod(part, mode)
        os.replace(part, target)
    except OSError as exc:
        raise InputError(f"--out {out}: cannot write: {exc.strerror}; nothing was written") from exc
    finally:
        part.unlink(missing_ok=True)


def _new_file_mode() -> int:
    """The mode `open()` gives a new file: 0o666 less the process's umask (read by setting it back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def stats(db: Path = DB_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Articles per day and category, top speakers, archive size."""
    with user_errors(), Archive.open(db, create=False) as archive:
        result = research.stats(archive)
    if as_json:
        _echo_json(result.to_dict())
        return
    blocks = [
        f"archive:    {result.path} ({result.size_bytes} bytes)\n"
        f"articles:   {result.articles} ({result.revisions} earlier versions, {result.urls} URLs)\n"
        f"quotes:     {result.quotes}\n"
        f"published:  {_day(result.first_published)} .. {_day(result.last_published)}",
        _table(("day", "articles"), result.per_day),
        _table(("category", "articles"), [(clean(c), n) for c, n in result.per_category]),
        _table(("speaker", "quotes"), [(clean(s), n) for s, n in result.top_speakers]),
    ]
    typer.echo("\n\n".join(blocks))


def browse(
    db: Path = DB_OPTION,
    host: str = typer.Option(browsing.DEFAULT_HOST, "--host", help="Interface to listen on."),
    port: int = typer.Option(browsing.DEFAULT_PORT, "--port", help="Port to listen on."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the metadata and the command; start nothing."),
) -> None:
    """Open the archive in Datasette (the `browse` extra): table docs, facets, full-text search."""
    with user_errors():
        Archive.open(db, create=False).close()
    metadata = browsing.datasette_metadata(db.stem)
    if dry_run:
        _echo_json(metadata)
        typer.echo(" ".join(browsing.datasette_command(db, Path("METADATA.json"), host=host, port=port)))
        return
    if not browsing.datasette_available():
        fail(f"Datasette is not installed; run: {browsing.INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="newsarchive-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
        typer.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl-C to stop)")
        code = _serve(browsing.datasette_command(db, metadata_path, host=host, port=port))
    if code:
        raise typer.Exit(int(ExitCode.USAGE))


def _serve(command: list[str]) -> int:
    """Run Datasette until it exits; Ctrl-C or SIGTERM stops it, and that is a normal end (0)."""
    with subprocess.Popen(command) as server:
        stopped = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopped
            stopped = True
            server.terminate()

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            code = server.wait()
        except KeyboardInterrupt:  # the terminal sent SIGINT to Datasette too
            stopped = True
            code = server.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0 if stopped else code
