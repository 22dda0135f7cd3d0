"""The CLI while it is still loading its commands: a signal then ends it with exit code 130, quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Sends the signal to its own process the moment `scraper.commands` starts importing, i.e. in the middle
# of the CLI's start-up, deterministically.
SIGNAL_DURING_IMPORT = """
import os, signal, sys
class SignalOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == "scraper.commands":
            os.kill(os.getpid(), signal.{name})
        return None
sys.meta_path.insert(0, SignalOnImport())
import cli
print("loaded")
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_during_start_up_exits_130_without_a_traceback(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_DURING_IMPORT.replace("{name}", name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")


def test_start_up_leaves_the_signal_handlers_as_it_found_them() -> None:
    code = (
        "import signal\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "before = signal.getsignal(signal.SIGINT)\n"
        "import cli\n"
        "print(signal.getsignal(signal.SIGTERM) is signal.SIG_IGN, signal.getsignal(signal.SIGINT) is before)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True\n", "")
