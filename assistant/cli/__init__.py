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
from indexing.errors import CirklaError, ConfigError


class CirklaGroup(click.Group):
    """A click group that turns every `CirklaError` into one clear line on stderr and exit code 1, and a usage
    mistake (an unknown option, a bad value) into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CirklaError as exc:
            click.echo(f"cirkla: error: {exc}", err=True)
            sys.exit(1)
        except click.UsageError as exc:  # a wrong option or argument: one line, and where help is
            where = exc.ctx.command_path if exc.ctx is not None else "cirkla"
            click.echo(f"cirkla: error: {exc.format_message()} (see `{where} --help`)", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("cirkla: interrupted", err=True)
            sys.exit(130)


@click.group(cls=CirklaGroup)
@click.version_option(package_name="cirkla")
def cli() -> None:
    """Cirkla: draft circular requirements for Swedish public procurement, with cited sources."""


def settings_of(ctx: click.Context) -> Settings:
    """The settings of this invocation, read from the environment once, when a command first needs them.

    Read lazily, so that `--help` works whatever the environment holds; a bad value is one clear line.
    """
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = load_settings()
    return root.obj


def load_settings() -> Settings:
    """`Settings()` from the environment; a value that does not parse is a `ConfigError` naming the variable."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            name = "CIRKLA_" + str(error["loc"][0]).upper() if error["loc"] else "a CIRKLA_ setting"
            value = error.get("input")
            shown = f" (got {value!r})" if isinstance(value, str | int | float) else ""
            problems.append(f"{name}: {str(error['msg']).removeprefix('Value error, ')}{shown}")
        raise ConfigError("; ".join(problems)) from None


def echo_json(data: Any) -> None:
    """Print `data` as JSON: UTF-8, å/ä/ö kept, stable key order."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _register() -> None:
    # Imported for their side effect of adding commands to `cli`; each module is optional while it is built.
    import importlib

    for name in ("corpus", "staff", "inventory", "search", "chat", "requirements"):
        try:
            importlib.import_module(f"assistant.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"assistant.cli.{name}":
                raise


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cirkla")
