"""The README documents every command and every exit code the CLI has."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import app
from scraper.exitcodes import ExitCode

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


def test_all_commands_are_registered() -> None:
    assert sorted(
        [
            "browse",
            "crawl",
            "demo",
            "export",
            "extract",
            "ingest",
            "quotes",
            "reextract",
            "search",
            "show",
            "stats",
            "status",
        ]
    ) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_readme(command: str) -> None:
    assert f"newsarchive {command}" in README


@pytest.mark.parametrize("code", list(ExitCode), ids=[c.name for c in ExitCode])
def test_exit_code_is_in_the_readme(code: ExitCode) -> None:
    assert f"\n| {int(code)} | " in README


def test_readme_names_the_two_commands() -> None:
    assert "uv run newsarchive crawl" in README
    assert "uv run pytest" in README
