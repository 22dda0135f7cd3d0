"""The `newsarchive` command-line application (also run as `python cli.py`).

Each command lives in `scraper/commands/`; this file only assembles them and configures logging once.
"""

from __future__ import annotations

import signal
from types import FrameType


def _stop_while_starting(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(130)


# Loading the commands takes most of a second: a Ctrl-C or SIGTERM meanwhile ends the program with the
# documented exit code 130, not with a traceback from inside an import or a bare 143.
# A signal the parent set to be ignored (a background job's SIGINT, nohup) stays ignored.
_STARTUP_HANDLERS = {
    sig: signal.signal(sig, _stop_while_starting)
    for sig in (signal.SIGINT, signal.SIGTERM)
    if signal.getsignal(sig) is not signal.SIG_IGN
}

import logging  # noqa: E402

import typer  # noqa: E402

from scraper.commands import crawling, extracting  # noqa: E402
from scraper.commands import research as research_commands  # noqa: E402

for _signal, _handler in _STARTUP_HANDLERS.items():
    signal.signal(_signal, _handler)

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
