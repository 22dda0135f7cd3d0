"""`newsarchive extract`: saved pages (or URLs) into records, printed as JSON Lines or a summary.

The page's address decides the site profile, the news id and the category. For a file it comes from
`--url` (once per file, in order) or else from the page's own canonical link.
"""

from __future__ import annotations

import json

import typer

from scraper.commands._common import fail, sanitize_for_terminal, user_errors
from scraper.errors import InputError
from scraper.exitcodes import ExitCode
from scraper.extract import extract_article, looks_like_html
from scraper.extract.dates import parse_iso
from scraper.models import Article
from scraper.pages import fetch_page_url, is_url, read_page_file
from scraper.sites import default_profile, get_profile


def _summary(article: Article) -> str:
    clean = sanitize_for_terminal
    lines = [
        clean(article.headline) or "(no headline)",
        f"  url:          {clean(article.url)}",
        f"  site:         {clean(article.site)}   news_id: {article.news_id or '-'}   "
        f"category: {clean(article.category) or '-'}",
        f"  published:    {article.published_at or '-'}   (shown as: {clean(article.published_text) or '-'})",
        f"  photo credit: {clean(article.photo_credit) or '-'}",
    ]
    paragraphs = article.body.split("\n\n") if article.body else []
    lines.append(f"  body:         {len(paragraphs)} paragraphs, {len(article.body or '')} characters")
    lines.append(f"  quotes:       {len(article.quotes)}")
    for quote in article.quotes:
        text = quote.text if len(quote.text) <= 70 else quote.text[:69] + "…"
        who = " ".join(part for part in (quote.speaker_role, quote.speaker) if part) or "?"
        lines.append(f"    «{clean(text)}» — {clean(who)} ({clean(quote.verb) or '-'})")
    lines.append(f"  sidebar:      {len(article.sidebar)} items")
    lines.append(f"  tags:         {clean(', '.join(article.tags)) or '-'}")
    lines.append(f"  warnings:     {clean('; '.join(article.warnings)) or 'none'}")
    return "\n".join(lines)


def extract(
    inputs: list[str] = typer.Argument(..., metavar="PATH_OR_URL...", help="Saved pages or article URLs."),
    url: list[str] = typer.Option(
        None, "--url", help="The address of a page read from a file (once per file, in order)."
    ),
    fetched_at: str | None = typer.Option(
        None, "--fetched-at", help="When the page was fetched (ISO 8601); resolves 'Сегодня' and sidebar times."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON record per input (JSON Lines) on stdout."),
    site: str | None = typer.Option(
        None, "--site", help="Site profile to use whatever the host (e.g. vybor_naroda for a mirror)."
    ),
) -> None:
    """Extract article records from saved pages or URLs."""
    urls = list(url or [])
    file_inputs = [item for item in inputs if not is_url(item)]
    if len(urls) > len(file_inputs):
        fail(f"--url given {len(urls)} times for {len(file_inputs)} file input(s)")
    if fetched_at is not None and parse_iso(fetched_at, default_profile().timezone) is None:
        fail(f"--fetched-at: not an ISO 8601 timestamp: {fetched_at!r}")
    with user_errors():
        profile = get_profile(site) if site else None
    failed = False
    url_for_file = iter(urls)
    for item in inputs:
        given_url = None if is_url(item) else next(url_for_file, None)
        try:
            with user_errors():
                page = (
                    fetch_page_url(item, profile=profile, fetched_at=fetched_at)
                    if is_url(item)
                    else read_page_file(item, url=given_url, fetched_at=fetched_at)
                )
                if not looks_like_html(page.body):
                    raise InputError(f"{item}: not an HTML page")
                article = extract_article(
                    page.body,
                    url=page.url,
                    fetched_at=page.fetched_at,
                    profile=profile,
                    header_charset=page.charset,
                )
                typer.echo(json.dumps(article.to_dict(), ensure_ascii=False) if as_json else _summary(article))
        except typer.Exit as exit_:
            failed = failed or exit_.exit_code != 0
    if failed:
        raise typer.Exit(int(ExitCode.USAGE))
