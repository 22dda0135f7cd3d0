"""Crawl state, guard: one run at a time per archive.

The lock is `fcntl.flock` on `<archive>.lock` beside the database. The kernel drops a flock when the
process holding it dies, however it dies (kill -9 included), so a crashed run never leaves a stale
lock behind, and no PID-file guessing is needed. The holder writes its PID into the file only to name
it in the second run's message; the second run opens the file without truncating it, reads that PID
and leaves, having changed nothing.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from scraper.errors import ArchiveLockedError, StoreError


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class RunLock:
    """An exclusive, non-blocking run lock on an archive; use as a context manager.

    Raises (on enter):
        ArchiveLockedError: another process holds it.
        StoreError: the lock file cannot be created (e.g. the folder is not writable).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the archive's lock file: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise ArchiveLockedError(
                f"{self.db_path}: another run holds the archive's lock{who}; nothing was changed. "
                "Wait for it to finish, or stop it."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
