"""Make held-out BEIR datasets from documents: used to check fusion on data no retriever was tuned on
(docs/RETRIEVAL.md).

    .venv/bin/python evals/inverse_cloze.py --out /tmp/ict \\
        ../shared/data/sou-2025-96-kap15/15-offentlig-upphandling.md ../shared/data/g0vse-regeringen
    .venv/bin/python evals/inverse_cloze.py --out /tmp/adda --queries 0 --per-paragraph 2 ../shared/data/adda-itk21
    .venv/bin/python evals/inverse_cloze.py --out /tmp/heads --headings ../shared/data/adda-itk21

Inverse cloze (the default): a query is one sentence of a paragraph, the paragraph its only relevant document.
Writes `<out>/kept` (the sentence stays in its paragraph: exact-match search should be perfect) and
`<out>/removed` (the sentence is cut out: the query must be matched by meaning). Paragraphs are blank-line
separated blocks of at least 250 characters, with PDF hyphenation and footnote marks undone; headings are
skipped. `--queries N` picks N paragraphs at random (0: every paragraph); `--per-paragraph K` takes up to K
sentences of each picked paragraph as queries (all of them cut out in `removed`).

`--headings` writes `<out>/headings` instead: a query is a section's heading (or a document's title when it
has no sections), the section its relevant document; short, keyword-like queries.

Markdown and text files are read as they are; PDF, Word and HTML files through Cirkla's loaders (a PDF page by
page). Each dataset has corpus.jsonl, queries.jsonl and qrels/dev.tsv.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

SENTENCE = re.compile(r"(?<=[.!?])\s+")
NUMBERING = re.compile(r"^[\d.\s]+")
MIN_PARAGRAPH = 250
MIN_QUERY_WORDS = 8
MIN_SECTION = 200
TEXT_SUFFIXES = (".md", ".txt")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".html", ".htm")


def clean(text: str) -> str:
    text = re.sub(r"-\n(?=[a-zåäö])", "", text)  # "pro-\nduktivitet" -> "produktivitet"
    text = re.sub(r"\(\^\d+\)|\^\d+", " ", text)  # footnote marks
    return " ".join(text.replace("*", " ").replace("`", " ").split())


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES) if path.is_dir() else [path])
    return files


def _loaded(file: Path) -> list[tuple[str, str, str]]:
    """(page or "", section heading path, text) of each part of a PDF, Word or HTML file."""
    from indexing.errors import LoadError
    from indexing.loaders import load_file
    from indexing.schema import CorpusRoot

    try:
        documents = load_file(file, CorpusRoot("heldout", file.parent))
    except LoadError as exc:  # a corrupt or encrypted file is left out, by name, and the rest is used
        print(f"skipped {exc}", file=sys.stderr)
        return []
    return [
        (str(d.metadata.get("page") or ""), str(d.metadata.get("section") or ""), d.page_content) for d in documents
    ]


def paragraphs(paths: list[Path]) -> list[tuple[str, str]]:
    """(id, text) of every paragraph of the files, folders read in name order."""
    out = []
    for file in _files(paths):
        if file.suffix in TEXT_SUFFIXES:
            parts = [("", file.read_text(encoding="utf-8"))]
        else:
            parts = [(page, text) for page, _section, text in _loaded(file)]
        n = 0
        for page, part in parts:
            for block in re.split(r"\n\s*\n", part):
                text = clean(block)
                if len(text) >= MIN_PARAGRAPH and not text.startswith("#") and "SOU 2025:96" not in text[:40]:
                    out.append((f"{file.stem[:40]}-{f'p{page}-' if page else ''}{n}", text))
                n += 1
    return out


def build(
    paths: list[Path], out: Path, queries: int = 80, seed: int = 11, per_paragraph: int = 1
) -> dict[str, int]:
    """Write the `kept` and `removed` datasets under `out`; returns how many queries each has."""
    paras = paragraphs(paths)
    count = len(paras) if queries <= 0 else min(queries, len(paras))
    picked = set(random.Random(seed).sample(range(len(paras)), count))
    counts = {}
    for variant in ("kept", "removed"):
        corpus, rows, qrels = [], [], []
        for n, (doc_id, text) in enumerate(paras):
            body = text
            sentences = SENTENCE.split(text)
            candidates = [s for s in sentences if len(s.split()) >= MIN_QUERY_WORDS]
            if n in picked and candidates and len(sentences) >= 2:
                chosen = _chosen(candidates, len(sentences), n, per_paragraph)
                for j, sentence in enumerate(chosen):
                    query_id = f"q{n}" if per_paragraph == 1 else f"q{n}-{j}"
                    rows.append({"_id": query_id, "text": sentence})
                    qrels.append(f"{query_id}\t{doc_id}\t1")
                    if variant == "removed":
                        body = body.replace(sentence, " ")
            corpus.append({"_id": doc_id, "title": "", "text": " ".join(body.split())})
        _write(out / variant, corpus, rows, qrels)
        counts[variant] = len(rows)
    return counts


def _chosen(candidates: list[str], sentences: int, n: int, per_paragraph: int) -> list[str]:
    """The query sentences of paragraph `n`: one, or up to `per_paragraph` while one sentence stays behind."""
    if per_paragraph == 1:
        return [random.Random(n).choice(candidates)]
    return random.Random(n).sample(candidates, min(per_paragraph, len(candidates), sentences - 1))


def build_headings(paths: list[Path], out: Path) -> dict[str, int]:
    """Write the `headings` dataset under `out`: heading -> section; returns how many queries it has."""
    corpus: list[dict] = []
    rows: list[dict] = []
    qrels: list[str] = []
    seen: set[str] = set()
    for file in _files(paths):
        sections: dict[str, list[str]] = {}
        if file.suffix in TEXT_SUFFIXES:
            parts = _markdown_sections(file.read_text(encoding="utf-8"))
        else:
            parts = [(section, text) for _page, section, text in _loaded(file)]
        for section, text in parts:
            sections.setdefault(section, []).append(text)
        for n, (section, texts) in enumerate(sections.items()):
            body = clean("\n\n".join(texts))
            if len(body) < MIN_SECTION:
                continue
            doc_id = f"{file.stem[:40]}-s{n}"
            corpus.append({"_id": doc_id, "title": "", "text": body})
            heading = NUMBERING.sub("", section.split(" > ")[-1]).strip()
            if len(heading.split()) >= 2 and heading.lower() not in seen:
                seen.add(heading.lower())
                rows.append({"_id": f"h{len(rows)}", "text": heading})
                qrels.append(f"h{len(rows) - 1}\t{doc_id}\t1")
    _write(out / "headings", corpus, rows, qrels)
    return {"headings": len(rows)}


def _markdown_sections(text: str) -> list[tuple[str, str]]:
    """(heading, text under it) of a Markdown file; a file's `# title` heads the text up to its next heading."""
    out: list[tuple[str, str]] = []
    heading = ""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            if lines:
                out.append((heading, "\n".join(lines)))
            heading, lines = line.lstrip("#").strip(), []
        else:
            lines.append(line)
    if lines:
        out.append((heading, "\n".join(lines)))
    return out


def _write(folder: Path, corpus: list[dict], rows: list[dict], qrels: list[str]) -> None:
    (folder / "qrels").mkdir(parents=True, exist_ok=True)
    for name, items in (("corpus.jsonl", corpus), ("queries.jsonl", rows)):
        lines = [json.dumps(item, ensure_ascii=False) for item in items]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = "query-id\tcorpus-id\tscore\n"
    (folder / "qrels" / "dev.tsv").write_text(header + "\n".join(qrels) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="Files (Markdown, text, PDF, Word, HTML) or folders.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=80, help="Paragraphs to take queries from (0: all).")
    parser.add_argument("--per-paragraph", type=int, default=1, help="Query sentences per picked paragraph.")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--headings", action="store_true", help="Heading -> section instead of inverse cloze.")
    args = parser.parse_args()
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    if args.headings:
        print(build_headings(args.paths, args.out))
    else:
        print(build(args.paths, args.out, args.queries, args.seed, args.per_paragraph))


if __name__ == "__main__":
    main()
