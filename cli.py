"""The `newsarchive` command-line application (also run as `python cli.py`).

Each command lives in `scraper/commands/`; this file only assembles them and configures logging once.
"""

from __future__ import annotations

import logging

import typer

from scraper.commands import extracting

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


if __name__ == "__main__":
    app()
