"""What every command shares: turning our errors into one stderr line and an exit code, and making
page-derived text safe to print on a terminal.

A command that takes `--log-format json` runs inside `error_format("json")`: every line this module
prints on stderr (errors, "interrupted") is then one JSON object with the keys of the log lines
(`time`, `level`, `logger`, `message`), so a log shipper never meets a plain-text line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, NoReturn

import typer

from scraper.errors import ArchiveLockedError, ArchiverError
from scraper.exitcodes import ExitCode

# C0/C1 control characters (ANSI escapes start with ESC or CSI) except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x9b[0-?]*[ -/]*[@-~]")
#: The crawl's extra fields a log record may carry into its JSON line.
LOG_FIELDS = ("url", "kind", "status", "outcome")
#: The `logger` of the lines the commands print themselves (errors, "interrupted").
CLI_LOGGER = "newsarchive"
LOG_FORMATS = ("text", "json")

_error_format: ContextVar[str] = ContextVar("newsarchive_error_format", default="text")


def json_log_line(*, created: float, level: str, logger: str, message: str, **fields: Any) -> str:
    """One log line as JSON: time (UTC, milliseconds), level, logger, message, then any extra fields."""
    data: dict[str, Any] = {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level.lower(),
        "logger": logger,
        "message": message,
    }
    data.update(fields)
    return json.dumps(data, ensure_ascii=False)


class JsonLogFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the crawl's fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {name: getattr(record, name) for name in LOG_FIELDS if hasattr(record, name)}
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        return json_log_line(
            created=record.created, level=record.levelname, logger=record.name, message=message, **fields
        )


@contextmanager
def error_format(log_format: str) -> Iterator[None]:
    """Print the lines of `fail`, `user_errors` and `stderr_line` as text or JSON (`--log-format`)."""
    token = _error_format.set(log_format)
    try:
        yield
    finally:
        _error_format.reset(token)


def stderr_line(message: str, *, level: str = "error", text: str | None = None) -> None:
    """One line on stderr: `text` (default `level: message`), or a JSON object under `--log-format json`."""
    if _error_format.get() == "json":
        line = json_log_line(created=datetime.now(UTC).timestamp(), level=level, logger=CLI_LOGGER, message=message)
    else:
        line = text if text is not None else f"{level}: {message}"
    typer.echo(line, err=True)


def sanitize_for_terminal(text: str | None) -> str:
    """Strip ANSI escape sequences and control characters from text that came from a web page."""
    if not text:
        return ""
    return _CONTROL.sub("", _ANSI.sub("", text))


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """Print one line to stderr (text or JSON, see `error_format`) and exit with `code`."""
    stderr_line(sanitize_for_terminal(message))
    raise typer.Exit(int(code))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's exceptions into one stderr line and the documented exit code."""
    try:
        yield
    except ArchiveLockedError as exc:
        fail(str(exc), ExitCode.LOCKED)
    except ArchiverError as exc:
        fail(str(exc), ExitCode.USAGE)
    except KeyboardInterrupt:
        stderr_line("interrupted", level="warning", text="interrupted")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        # `newsarchive export | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        raise typer.Exit(0) from None
