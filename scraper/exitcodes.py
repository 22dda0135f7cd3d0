"""Exit codes: one place, documented in the README, relied on by cron alerting."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Done."""
    PAGES_FAILED = 1
    """Done, but some pages failed (they are retried on a later run)."""
    USAGE = 2
    """Usage, input or configuration error; nothing was changed."""
    LOCKED = 3
    """Another run holds the archive's lock; nothing was changed."""
    RUN_STOPPED = 4
    """The run stopped early on an environment failure (disk full, I/O error); what it stored is kept and
    the next run resumes. Unlike 1, this needs an operator."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C or SIGTERM); the next run resumes."""
