"""The `cirkla` command. Settings are read here, at the edge; domain errors become one line and exit code 1.

Each group of commands lives in its own module and registers itself on `cli`: `corpus.py` (index, corpus
check), `staff.py` (add, remove), `inventory.py` (docs, stats), `search.py` (search, eval), `chat.py` (ask,
serve). `store.py` holds what the staff's commands share (the store's location, write lock and sync).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from assistant.settings import Settings
from indexing.errors import CirklaError


class CirklaGroup(click.Group):
    """A click group that turns every `CirklaError` into one clear line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CirklaError as exc:
            click.echo(f"cirkla: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("cirkla: interrupted", err=True)
            sys.exit(130)


@click.group(cls=CirklaGroup)
@click.version_option(package_name="cirkla")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Cirkla: draft circular requirements for Swedish public procurement, with cited sources."""
    ctx.obj = Settings()


def settings_of(ctx: click.Context) -> Settings:
    """The settings the group loaded for this invocation."""
    settings = ctx.find_object(Settings)
    if settings is None:  # a command invoked without the group (tests may do this)
        settings = Settings()
    return settings


def echo_json(data: Any) -> None:
    """Print `data` as JSON: UTF-8, å/ä/ö kept, stable key order."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _register() -> None:
    # Imported for their side effect of adding commands to `cli`; each module is optional while it is built.
    import importlib

    for name in ("corpus", "staff", "inventory", "search", "chat"):
        try:
            importlib.import_module(f"assistant.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"assistant.cli.{name}":
                raise


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cirkla")
