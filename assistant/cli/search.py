"""`cirkla search` (ranked hits) and `cirkla eval` (retrieval metrics and a report).

Option values are checked here and a bad one is a single line (`cirkla: error: ...`) with exit code 1.
`cirkla eval` drives the `evals` package: the CLI is the top edge, the only place in `assistant` that may.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.retrieval import MODES, HybridRetriever
from assistant.settings import Settings
from indexing.errors import ConfigError
from indexing.schema import KINDS, LEVELS, TYPES


def open_retriever(settings: Settings) -> HybridRetriever:
    """The retriever over the configured, already indexed collection."""
    from assistant.wiring import client_from, collection_from, embedder_from

    embedder = embedder_from(settings)
    collection = collection_from(settings, client_from(settings), embedder, create=False)
    return HybridRetriever(collection, embedder, cache_dir=settings.cache_dir)


def _check_choice(option: str, value: str | None, allowed: tuple[str, ...] | list[str]) -> None:
    if value is not None and value not in allowed:
        raise ConfigError(f"{option} {value!r} is not one of: {', '.join(allowed)}")


def _table(hits: list[Any]) -> str:
    if not hits:
        return "No hits."
    lines = []
    for hit in hits:
        data = hit.to_json()
        ident = data.get("clause_id") or data["doc_id"]
        where = " · ".join(str(part) for part in (data["kind"], data.get("area"), data.get("level")) if part)
        lines.append(f"{data['rank']:>3}  {data['score']:.4f}  {ident}  [{where}]  {data['title']}")
        detail = data["source"] + (f" p. {data['page']}" if data["page"] is not None else "")
        if data["section"]:
            detail += f" > {data['section']}"
        lines.append(f"{'':>13}{detail}")
        snippet = textwrap.shorten(" ".join(data["text"].split()), width=160, placeholder=" …")
        lines.append(f"{'':>13}{snippet}")
    return "\n".join(lines)


@cli.command()
@click.argument("query")
@click.option("-k", "k", default=10, show_default=True, help="How many hits.")
@click.option("--area", help="Only this product area (a slug such as mobler or it).")
@click.option("--type", "type_", metavar="TYPE", help=f"Only this requirement type: {', '.join(TYPES)}.")
@click.option("--level", help=f"Only this level: {', '.join(LEVELS)}.")
@click.option("--kind", help=f"Only this kind of chunk: {', '.join(KINDS)}.")
@click.option("--retriever", "mode", default="hybrid", show_default=True, help="hybrid, dense or bm25.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    k: int,
    area: str | None,
    type_: str | None,
    level: str | None,
    kind: str | None,
    mode: str,
    as_json: bool,
) -> None:
    """Search the indexed corpus and print ranked hits with their scores."""
    if k < 1:
        raise ConfigError(f"-k must be at least 1, not {k}")
    _check_choice("--retriever", mode, MODES)
    _check_choice("--type", type_, TYPES)
    _check_choice("--level", level, LEVELS)
    _check_choice("--kind", kind, KINDS)
    retriever = open_retriever(settings_of(ctx))
    if area is not None:
        areas = retriever.values("area")
        if area not in areas:
            known = ", ".join(areas) or "none"
            raise ConfigError(f"--area {area!r} is not an area of the index; areas: {known}")
    filters = {"area": area, "type": type_, "level": level, "kind": kind}
    hits = retriever.search(query, k=k, filters={n: v for n, v in filters.items() if v}, mode=mode)
    if as_json:
        echo_json([hit.to_json() for hit in hits])
    else:
        click.echo(_table(hits))


@cli.command(name="eval")
@click.option(
    "--dataset",
    "dataset_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="A BEIR-layout folder. Default: evals/datasets/cirkla-sv.",
)
@click.option("--split", default="test", show_default=True, help="Which qrels/<split>.tsv to score.")
@click.option("--retriever", "modes", default="bm25,dense,hybrid", show_default=True, help="Comma list.")
@click.option("--report", "report_dir", type=click.Path(path_type=Path), help="Write the report here.")
@click.option("-k", "k", default=10, show_default=True, help="Cut-off of the rankings (MRR@k, nDCG@k).")
@click.option("--min-recall5", type=float, help="Exit 1 when a retriever's Recall@5 is below this.")
@click.option("--min-mrr", type=float, help="Exit 1 when a retriever's MRR@k is below this.")
@click.option(
    "--answers",
    is_flag=True,
    help="Also score the assistant's answers on the answer-level set (evals/datasets/cirkla-answers): right "
    "kind, right area, 'not covered' when nothing answers, every directly answering clause proposed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    dataset_dir: Path | None,
    split: str,
    modes: str,
    report_dir: Path | None,
    k: int,
    min_recall5: float | None,
    min_mrr: float | None,
    answers: bool,
    as_json: bool,
) -> None:
    """Score retrievers on a BEIR-layout dataset: Recall@1/3/5/10, MRR@k, nDCG@k, latency p50/p95."""
    from evals.datasets import DEFAULT_DATASET, load_dataset
    from evals.report import table, write_report
    from evals.runner import below, corpus_collection, eval_cache, evaluate, parse_modes

    if k < 1:
        raise ConfigError(f"-k must be at least 1, not {k}")
    settings = settings_of(ctx)
    wanted = parse_modes(modes)
    dataset = load_dataset(dataset_dir or DEFAULT_DATASET, split)
    if dataset.corpus is not None:
        from assistant.wiring import embedder_from
        from indexing.store import make_client

        embedder = embedder_from(settings)
        client = make_client(path=eval_cache(settings.cache_dir))
        label = f"Indexing {dataset.name}'s {len(dataset.corpus)} documents (cached for later runs)"
        with click.progressbar(length=len(dataset.corpus), label=label, file=sys.stderr) as bar:
            done = [0]

            def advance(count: int, _total: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            collection = corpus_collection(dataset, embedder, client, progress=advance)
        retriever = HybridRetriever(collection, embedder, cache_dir=settings.cache_dir)
    else:
        retriever = open_retriever(settings)
    result = evaluate(retriever, dataset, wanted, k=k)
    answer_result = _answers(settings, split) if answers else None
    if report_dir is not None:
        write_report(result, report_dir)
        if answer_result is not None:
            (report_dir / "answers.md").write_text(_answers_markdown(answer_result), encoding="utf-8")
    if as_json:
        data = result.to_json()
        if answer_result is not None:
            data["answers"] = answer_result.to_json()
        echo_json(data)
    else:
        click.echo(f"{dataset.name} ({split}), {len(dataset.queries)} queries\n")
        click.echo(table(result))
        if answer_result is not None:
            click.echo(f"\ncirkla-answers ({split}), {len(answer_result.judged)} questions\n")
            click.echo(answer_result.table())
        if report_dir is not None:
            click.echo(f"\nReport: {report_dir / 'report.md'}")
    problems = below(result, min_recall5, min_mrr)
    for line in problems:
        click.echo(f"cirkla: below threshold: {line}", err=True)
    if problems:
        sys.exit(1)


def _answers(settings: Any, split: str) -> Any:
    """The answer-level evaluation of the configured assistant on `split` (extractive: no LLM)."""
    from assistant import wiring
    from assistant.service import build_assistant
    from evals.answers import DEFAULT_ANSWERS, evaluate_answers, load_answer_set

    try:
        cases = load_answer_set(DEFAULT_ANSWERS, split)
    except FileNotFoundError as exc:
        raise ConfigError(str(exc)) from None
    embedder = wiring.embedder_from(settings)
    collection = wiring.collection_from(settings, wiring.client_from(settings), embedder, create=False)
    assistant = build_assistant(settings, embedder=embedder, collection=collection, rewriter=None)
    return evaluate_answers(assistant, cases, split)


def _answers_markdown(result: Any) -> str:
    lines = [f"# Answer-level evaluation ({result.split})", "", result.table(), "", "## Failures", ""]
    for judged in result.failures():
        problems = "; ".join(judged.problems)
        lines.append(f"- **{judged.case.id}** ({judged.case.klass}) {judged.case.question}: {problems}")
    return "\n".join(lines) + "\n"
