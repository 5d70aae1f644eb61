"""An eval's report: report.md (tables and every missed query), report.json and recall.png."""

from __future__ import annotations

import json
from pathlib import Path

from evals.metrics import CUTOFFS
from evals.runner import EvalResult, missed


def metric_names(result: EvalResult) -> list[str]:
    """The metric columns, in the order tables show them."""
    return [f"recall@{c}" for c in CUTOFFS if c <= result.k] + [f"mrr@{result.k}", f"ndcg@{result.k}"]


def table(result: EvalResult) -> str:
    """The metrics and latencies of every retriever as a Markdown table."""
    names = metric_names(result)
    short = [n.replace("recall", "R").replace("mrr", "MRR").replace("ndcg", "nDCG") for n in names]
    head = ["retriever", *short]
    head += ["p50 ms", "p95 ms", "missed@5"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for mode in result.modes:
        cells = [mode.mode, *[f"{mode.metrics[n]:.3f}" for n in names]]
        latency = mode.latency_ms
        cells += [f"{latency['p50']:.1f}", f"{latency['p95']:.1f}", str(len(missed(result, mode.mode)))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(result: EvalResult) -> str:
    """The whole report as Markdown."""
    out = [
        f"# Retrieval eval: {result.dataset} ({result.split})",
        "",
        f"{len(result.queries)} queries; rankings cut at {result.k}; latency is one `search` call, "
        "query embedding included.",
        "",
        table(result),
        "",
        "![Recall@k by retriever](recall.png)",
        "",
    ]
    for mode in result.modes:
        rows = missed(result, mode.mode)
        out += [f"## Missed by {mode.mode} ({len(rows)}): no relevant document in the first 5", ""]
        if not rows:
            out += ["None.", ""]
            continue
        out += ["| query | relevant | found at | first instead |", "|---|---|---|---|"]
        for row in rows:
            instead = "; ".join(f"{hit['doc_id']} ({hit['title']})" for hit in row["instead"]) or "nothing"
            found = str(row["rank"]) if row["rank"] else "-"
            query = f"{row['query_id']}: {row['query']}".replace("|", "\\|")
            out.append(f"| {query} | {', '.join(row['relevant'])} | {found} | {instead.replace('|', '/')} |")
        out.append("")
    return "\n".join(out)


def chart(result: EvalResult, path: Path) -> None:
    """Recall@k for k in 1, 3, 5, 10, one line per retriever, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    cutoffs = [c for c in CUTOFFS if c <= result.k]
    figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
    for mode in result.modes:
        axes.plot(cutoffs, [mode.metrics[f"recall@{c}"] for c in cutoffs], marker="o", label=mode.mode)
    axes.set_xticks(cutoffs)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("k")
    axes.set_ylabel("Recall@k")
    axes.set_title(f"{result.dataset} ({result.split}, {len(result.queries)} queries)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_report(result: EvalResult, folder: Path) -> list[Path]:
    """Write report.md, report.json and recall.png into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.md", folder / "report.json", folder / "recall.png"]
    paths[0].write_text(markdown(result), encoding="utf-8")
    data = result.to_json()
    data["per_query"] = {
        m.mode: [
            {
                "query_id": q.query_id,
                "ranked": q.ranked,
                "metrics": q.metrics,
                "ms": round(q.seconds * 1e3, 2),
            }
            for q in m.queries
        ]
        for m in result.modes
    }
    paths[1].write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    chart(result, paths[2])
    return paths
