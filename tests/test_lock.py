"""The run lock: exclusive, names its holder, and dies with its process (kill -9 included)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scraper.errors import ArchiveLockedError, StoreError
from scraper.lock import RunLock, lock_is_held, lock_path_for

HOLD = """
import sys, time
from pathlib import Path
from scraper.lock import RunLock
lock = RunLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_second_holder_is_refused_and_first_release_frees_it(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with RunLock(db) as first:
        assert first.held
        assert lock_path_for(db).read_text() == f"{os.getpid()}\n"
        with pytest.raises(ArchiveLockedError) as caught:
            RunLock(db).acquire()
        assert str(caught.value) == (
            f"{db}: another run holds the archive's lock (pid {os.getpid()}); nothing was changed. "
            "Wait for it to finish, or stop it."
        )
        # The refused attempt left the holder's PID in place.
        assert lock_path_for(db).read_text() == f"{os.getpid()}\n"
    with RunLock(db) as again:
        assert again.held
    assert not db.exists()


def start_holder(db: Path) -> subprocess.Popen[str]:
    """A child process that holds the archive's lock until it is killed (it says "held" once it does)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    with stopped_at_the_end(holder, only_on_error=True):
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
    return holder


@contextmanager
def stopped_at_the_end(process: subprocess.Popen[str], *, only_on_error: bool = False) -> Iterator[None]:
    """Kill `process` when the block ends (or only when it fails) if it is still running."""
    try:
        yield
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait()
        raise
    if not only_on_error and process.poll() is None:
        process.kill()
        process.wait()


def test_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    holder = start_holder(db)
    with stopped_at_the_end(holder):
        with pytest.raises(ArchiveLockedError, match=rf"\(pid {holder.pid}\)"):
            RunLock(db).acquire()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    deadline = time.monotonic() + 5
    with RunLock(db) as lock:
        assert lock.held and time.monotonic() < deadline


def test_lock_is_held_tells_a_live_holder_from_a_dead_one_without_writing(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    assert lock_is_held(db) is False
    assert not lock_path_for(db).exists()
    holder = start_holder(db)
    with stopped_at_the_end(holder):
        assert lock_is_held(db) is True
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    assert lock_is_held(db) is False
    # The dead holder's PID is still in the file: the probe read it, wrote nothing.
    assert lock_path_for(db).read_text() == f"{holder.pid}\n"


def test_a_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("a file\n")
    db = tmp_path / "plain" / "sub" / "archive.db"
    with pytest.raises(StoreError) as caught:
        RunLock(db).acquire()
    assert str(caught.value) == f"{db}: {tmp_path / 'plain'} is a file, not a folder; nothing was changed"


def test_discard_removes_only_a_lock_file_this_acquire_made(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    lock = RunLock(db)
    lock.acquire()
    assert lock.created
    lock.release(discard=True)
    assert not lock_path_for(db).exists()
    lock_path_for(db).write_text("")
    again = RunLock(db)
    again.acquire()
    assert not again.created
    again.release(discard=True)
    assert lock_path_for(db).read_text() == ""
