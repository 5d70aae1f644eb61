"""The requirement set from the command line: `cirkla package` (a kravpaket from the library) and `cirkla check`
(the completeness check over own requirements or a draft)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.labels import LEVEL_ORDER
from indexing.errors import ConfigError


def _assistant(settings: Any) -> Any:
    from assistant import wiring
    from assistant.service import build_assistant

    embedder = wiring.embedder_from(settings)
    collection = wiring.collection_from(settings, wiring.client_from(settings), embedder, create=False)
    return build_assistant(settings, embedder=embedder, collection=collection, rewriter=None)


@cli.command("package")
@click.option("--area", required=True, help="Product area (a slug such as mobler, it, textil).")
@click.option(
    "--group", "groups", multiple=True, help="Product group within the area; repeat for several (default: all)."
)
@click.option("--level", type=click.Choice(LEVEL_ORDER), default="bas", show_default=True,
              help="Ambition level; higher levels include the lower ones except what a clause replaces.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "md", "json"]), default=None,
              help="File format (default: from -o's extension, else Markdown on stdout).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the package as JSON (a re-importable draft).")
@click.pass_context
def package_command(ctx: click.Context, area: str, groups: tuple[str, ...], level: str, fmt: str | None,
                    output: Path | None, language: str, as_json: bool) -> None:  # fmt: skip
    """A requirement package (kravpaket): the clauses of an area's groups at a level, with recommended values,
    numbered as in tender documents, with the follow-up plan."""
    from assistant.export import draft_json, draft_markdown, write_export

    settings = settings_of(ctx)
    if as_json:
        fmt = "json"
    if fmt is None:
        fmt = output.suffix.lower().lstrip(".") if output is not None else "md"
        if fmt not in ("docx", "xlsx", "md", "json"):
            raise ConfigError(f"cannot tell the format from {output}; pass --format docx|xlsx|md|json")
    if fmt in ("docx", "xlsx") and output is None:
        raise ConfigError(f"a {fmt} file needs -o FILE")
    items = _assistant(settings).package(area, list(groups) or None, level)
    if output is not None:
        write_export(items, output, fmt, language)
        click.echo(f"wrote {len(items)} requirements ({area}, {level}) to {output}", err=True)
        return
    click.echo(draft_json(items, language) if fmt == "json" else draft_markdown(items, language), nl=False)


@cli.command("check")
@click.argument("source", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def check_command(ctx: click.Context, source: Path, as_json: bool) -> None:
    """Check requirements for what makes them not tender-ready: SOURCE is a Markdown, text or Word file of own
    requirements, a Cirkla JSON export of a draft, or - for standard input. Exit 1 when an error is found."""
    from assistant.export import load_draft
    from assistant.review import read_requirements

    settings = settings_of(ctx)
    if str(source) == "-":
        text = sys.stdin.read()
    elif not source.is_file():
        raise ConfigError(f"no such file: {source}")
    else:
        text = read_requirements(source) if source.suffix.lower() != ".json" else source.read_text(encoding="utf-8")
    if not text.strip():
        raise ConfigError(f"{source}: there is no text to check")
    assistant = _assistant(settings)
    if source.suffix.lower() == ".json" or text.lstrip().startswith('{"format"'):
        try:
            findings = assistant.check_draft(load_draft(text))
        except ValueError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    else:
        findings = assistant.check_text(text)
    if as_json:
        echo_json({"source": str(source), "findings": [finding.to_json() for finding in findings]})
    else:
        for finding in findings:
            where = f"{finding.requirement}: " if finding.requirement else ""
            click.echo(f"[{finding.severity}] {where}{finding.message}")
            click.echo(f"    Åtgärd: {finding.action} (se {finding.doc_id}, \"{finding.section}\")")
        errors = sum(1 for finding in findings if finding.severity == "fel")
        click.echo(f"{len(findings)} finding(s), {errors} error(s) in {source}", err=True)
    if any(finding.severity == "fel" for finding in findings):
        ctx.exit(1)
