"""The docs are tested too: every setting and every command appears in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click

from assistant.cli import cli
from assistant.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _command_paths(group: click.Group, prefix: str = "cirkla") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [f"CIRKLA_{name.upper()}" for name in Settings.model_fields if f"CIRKLA_{name.upper()}" not in text]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_setting_has_a_description() -> None:
    undescribed = [name for name, field in Settings.model_fields.items() if not field.description]
    assert not undescribed


def test_every_command_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    commands = _command_paths(cli)
    assert "cirkla index" in commands  # the command modules registered themselves
    missing = [path for path in commands if not re.search(re.escape(f"`{path}") + r"[ `]", text)]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_names_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
