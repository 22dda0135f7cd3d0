"""What every command shares: turning our errors into one stderr line and an exit code, and making
page-derived text safe to print on a terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from scraper.errors import ArchiveLockedError, ArchiverError
from scraper.exitcodes import ExitCode

# C0/C1 control characters (ANSI escapes start with ESC or CSI) except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x9b[0-?]*[ -/]*[@-~]")


def sanitize_for_terminal(text: str | None) -> str:
    """Strip ANSI escape sequences and control characters from text that came from a web page."""
    if not text:
        return ""
    return _CONTROL.sub("", _ANSI.sub("", text))


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    typer.echo(f"error: {sanitize_for_terminal(message)}", err=True)
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
        typer.echo("interrupted", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        # `newsarchive export | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        raise typer.Exit(0) from None
