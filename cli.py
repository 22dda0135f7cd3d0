"""The `newsarchive` command-line application (also run as `python cli.py`).

Each command lives in `scraper/commands/`; this file only assembles them and configures logging once.
"""

from __future__ import annotations

import logging

import typer

from scraper.commands import crawling, extracting
from scraper.commands import research as research_commands

app = typer.Typer(
    name="newsarchive",
    help="Crawl a news portal into a normalized, deduplicated SQLite archive, and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details to stderr."),
) -> None:
    """Crawl a news portal into a normalized, deduplicated SQLite archive, and query it."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


app.command("extract")(extracting.extract)
app.command("ingest")(research_commands.ingest)
app.command("search")(research_commands.search)
app.command("show")(research_commands.show)
app.command("quotes")(research_commands.quotes)
app.command("export")(research_commands.export)
app.command("stats")(research_commands.stats)
app.command("browse")(research_commands.browse)
app.command("crawl")(crawling.crawl)
app.command("status")(crawling.status)
app.command("demo")(crawling.demo)
app.command("reextract")(crawling.reextract)


if __name__ == "__main__":
    app()
