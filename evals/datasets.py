"""Retrieval datasets in the BEIR layout.

    <dataset>/queries.jsonl        {"_id": "q1", "text": "..."} per line
    <dataset>/qrels/<split>.tsv    header `query-id  corpus-id  score`, tab-separated; score > 0 is relevant
    <dataset>/corpus.jsonl         optional: {"_id": "...", "title": "...", "text": "..."} per line

A qrel's corpus-id is a `doc_id`; `<doc_id>#p<page>` names one page of a paged document. Without a
corpus.jsonl the dataset is evaluated against the indexed corpus; with one, against that corpus alone.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from indexing.errors import ConfigError

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "cirkla-sv"
PAGE_MARK = "#p"


class DatasetError(ConfigError):
    """A dataset folder is missing a file or has a malformed line."""


@dataclass(frozen=True)
class CorpusDoc:
    """One document of a dataset's own corpus."""

    id: str
    title: str
    text: str


@dataclass
class Dataset:
    """The judged queries of one split, their qrels, and the corpus when the dataset has one."""

    path: Path
    split: str
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    corpus: list[CorpusDoc] | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def paged(self) -> bool:
        """True when the qrels name pages (`doc#p3`): rankings are then lists of pages."""
        return any(PAGE_MARK in doc for judged in self.qrels.values() for doc in judged)


def _jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not a JSON object ({exc.msg})") from None
            if not isinstance(row, dict) or "_id" not in row:
                raise DatasetError(f'{path}:{number}: a line needs an "_id"')
            rows.append(row)
    return rows


def splits(path: Path) -> list[str]:
    """The splits a dataset has (the names of its qrels files)."""
    return sorted(p.stem for p in (path / "qrels").glob("*.tsv"))


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id -> {corpus-id: score} from one qrels file, relevant judgements (score > 0) only."""
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["query-id", "corpus-id", "score"]:
            raise DatasetError(f"{path}: the first line must be `query-id<TAB>corpus-id<TAB>score`")
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            try:
                query_id, doc_id, score = row[0].strip(), row[1].strip(), int(float(row[2]))
            except (IndexError, ValueError):
                message = f"{path}:{number}: expected query-id, corpus-id and a numeric score"
                raise DatasetError(message) from None
            if score > 0:
                qrels.setdefault(query_id, {})[doc_id] = score
    return qrels


def load_dataset(path: Path, split: str = "test") -> Dataset:
    """Read a BEIR-layout dataset folder; a missing file or bad line is a `DatasetError` naming it."""
    path = Path(path)
    if not path.is_dir():
        raise DatasetError(f"dataset folder {path} does not exist")
    queries_file, qrels_file = path / "queries.jsonl", path / "qrels" / f"{split}.tsv"
    if not queries_file.is_file():
        raise DatasetError(f"{queries_file} is missing: a dataset needs queries.jsonl")
    if not qrels_file.is_file():
        have = ", ".join(splits(path)) or "none"
        raise DatasetError(f"{qrels_file} is missing: split {split!r} does not exist (splits: {have})")
    all_queries = {str(row["_id"]): str(row.get("text", "")) for row in _jsonl(queries_file)}
    qrels = read_qrels(qrels_file)
    unknown = sorted(set(qrels) - set(all_queries))
    if unknown:
        raise DatasetError(f"{qrels_file}: query ids not in queries.jsonl: {', '.join(unknown[:5])}")
    queries = {qid: all_queries[qid] for qid in sorted(qrels)}
    corpus = None
    if (path / "corpus.jsonl").is_file():
        corpus = [
            CorpusDoc(str(row["_id"]), str(row.get("title") or ""), str(row.get("text") or ""))
            for row in _jsonl(path / "corpus.jsonl")
        ]
    return Dataset(path=path, split=split, queries=queries, qrels=qrels, corpus=corpus)
