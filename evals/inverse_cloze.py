"""Make inverse-cloze BEIR datasets from text files: a query is one sentence of a paragraph, the paragraph is
its only relevant document. Used to check fusion on data no retriever was tuned on (docs/RETRIEVAL.md).

    .venv/bin/python evals/inverse_cloze.py --out /tmp/ict \\
        ../shared/data/sou-2025-96-kap15/15-offentlig-upphandling.md ../shared/data/g0vse-regeringen

Writes `<out>/kept` (the sentence stays in its paragraph: exact-match search should be perfect) and
`<out>/removed` (the sentence is cut out: the query must be matched by meaning), each with corpus.jsonl,
queries.jsonl and qrels/dev.tsv. Paragraphs are blank-line separated blocks of at least 250 characters, with
PDF hyphenation and footnote marks undone; headings are skipped.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_PARAGRAPH = 250
MIN_QUERY_WORDS = 8


def clean(text: str) -> str:
    text = re.sub(r"-\n(?=[a-zåäö])", "", text)  # "pro-\nduktivitet" -> "produktivitet"
    text = re.sub(r"\(\^\d+\)|\^\d+", " ", text)  # footnote marks
    return " ".join(text.replace("*", " ").replace("`", " ").split())


def paragraphs(paths: list[Path]) -> list[tuple[str, str]]:
    """(id, text) of every paragraph of the files, folders read in name order."""
    files: list[Path] = []
    for path in paths:
        files.extend(
            sorted(p for p in path.rglob("*") if p.suffix in (".md", ".txt")) if path.is_dir() else [path]
        )
    out = []
    for file in files:
        for n, block in enumerate(re.split(r"\n\s*\n", file.read_text(encoding="utf-8"))):
            text = clean(block)
            if len(text) >= MIN_PARAGRAPH and not text.startswith("#") and "SOU 2025:96" not in text[:40]:
                out.append((f"{file.stem[:40]}-{n}", text))
    return out


def build(paths: list[Path], out: Path, queries: int = 80, seed: int = 11) -> dict[str, int]:
    """Write the `kept` and `removed` datasets under `out`; returns how many queries each has."""
    paras = paragraphs(paths)
    picked = set(random.Random(seed).sample(range(len(paras)), min(queries, len(paras))))
    counts = {}
    for variant in ("kept", "removed"):
        folder = out / variant
        (folder / "qrels").mkdir(parents=True, exist_ok=True)
        corpus, rows, qrels = [], [], []
        for n, (doc_id, text) in enumerate(paras):
            body = text
            sentences = SENTENCE.split(text)
            candidates = [s for s in sentences if len(s.split()) >= MIN_QUERY_WORDS]
            if n in picked and candidates and len(sentences) >= 2:
                sentence = random.Random(n).choice(candidates)
                rows.append({"_id": f"q{n}", "text": sentence})
                qrels.append(f"q{n}\t{doc_id}\t1")
                if variant == "removed":
                    body = text.replace(sentence, " ").strip()
            corpus.append({"_id": doc_id, "title": "", "text": body})
        for name, items in (("corpus.jsonl", corpus), ("queries.jsonl", rows)):
            lines = [json.dumps(item, ensure_ascii=False) for item in items]
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        header = "query-id\tcorpus-id\tscore\n"
        (folder / "qrels" / "dev.tsv").write_text(header + "\n".join(qrels) + "\n", encoding="utf-8")
        counts[variant] = len(rows)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="Text or Markdown files, or folders of them.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=80)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(build(args.paths, args.out, args.queries, args.seed))


if __name__ == "__main__":
    main()
