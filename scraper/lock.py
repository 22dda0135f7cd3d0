"""Crawl state, guard: one run at a time per archive.

The lock is `fcntl.flock` on `<archive>.lock` beside the database. The kernel drops a flock when the
process holding it dies, however it dies (kill -9 included), so a crashed run never leaves a stale
lock behind, and no PID-file guessing is needed. The holder writes its PID into the file only to name
it in the second run's message; the second run opens the file without truncating it, reads that PID
and leaves, having changed nothing.

`lock_is_held` lets `newsarchive status` tell a live run from one that died (kill -9) without
writing anything: it opens the lock file read-only and probes it with a shared, non-blocking lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from scraper.errors import ArchiveLockedError, StoreError


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def blocking_file(folder: Path) -> Path | None:
    """The nearest existing ancestor of `folder` (itself included) when it is not a folder, else None."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None


def lock_is_held(db_path: Path) -> bool:
    """Whether a process holds the archive's run lock now (read-only: never creates or writes the file)."""
    try:
        fd = os.open(lock_path_for(db_path), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the probe's shared lock, if it got one
    return False


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
        #: True when this acquire made the lock file (so a refused run can take it away again).
        self.created = False

    def acquire(self) -> None:
        blocker = blocking_file(self.path.parent)
        if blocker is not None:
            raise StoreError(f"{self.db_path}: {blocker} is a file, not a folder; nothing was changed")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                created = True
            except FileExistsError:
                fd = os.open(self.path, os.O_RDWR)
                created = False
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
        self.created = created

    def release(self, *, discard: bool = False) -> None:
        """Release the lock; `discard` also removes the lock file when this acquire made it (a refused run)."""
        if self._fd is None:
            return
        try:
            if discard and self.created:
                self.path.unlink(missing_ok=True)
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
