"""Indexing benchmark: what `sync_corpus` costs over embedding alone; how fast an unchanged re-sync is.

    .venv/bin/python evals/bench_index.py [--corpus corpus] [--files 1000] [--json]

Measured in one run, on the same chunks: (1) raw embedding throughput of the corpus's chunks,
(2) `sync_corpus` into a fresh embedded store (walk, hash, parse in the worker process, embed, upsert), their
ratio in wall time and in CPU time, (3) a second sync over the unchanged corpus, and (4) an unchanged re-sync
of a generated corpus of `--files` small notes.
Everything is written under a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent


def parse_corpus(root: Any) -> list[Any]:
    """The corpus's chunks, parsed in this process, in the order sync walks the files."""
    from indexing.parsing import parse_file
    from indexing.sync import walk_root

    return [chunk for file in walk_root(root) for chunk in parse_file(file.path, root)]


def cpu_seconds() -> float:
    """CPU time of this process and its children (the parse worker): steadier than wall time when busy."""
    import psutil

    me = psutil.Process()
    total = me.cpu_times().user + me.cpu_times().system
    for child in me.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def generate_notes(folder: Path, count: int) -> None:
    """`count` one-paragraph Markdown notes in 10 subfolders."""
    for n in range(count):
        path = folder / f"omrade-{n % 10}" / f"anteckning-{n:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# Anteckning {n}\n\nRutin {n}: möbler och IT lånas ut mellan förvaltningar före nyköp.\n",
            encoding="utf-8",
        )


def run(corpus: Path, files: int) -> dict[str, Any]:
    from indexing.embeddings import make_embedder
    from indexing.schema import CorpusRoot
    from indexing.store import make_client, open_collection
    from indexing.sync import sync_corpus
    from indexing.worker import ParseWorker

    embedder = make_embedder("e5-small-q4")
    root = CorpusRoot("corpus", corpus)
    chunks = parse_corpus(root)
    texts = [chunk.embed_text for chunk in chunks]
    embedder.embed_documents(texts[:8])  # warm-up: first calls pay for allocation

    started, cpu = time.perf_counter(), cpu_seconds()
    embedder.embed_documents(texts)
    raw_s, raw_cpu = time.perf_counter() - started, cpu_seconds() - cpu

    work = Path(tempfile.mkdtemp(prefix="cirkla-bench-"))
    worker = ParseWorker(timeout_s=60, memory_mb=2048, max_bytes=50 * 1024 * 1024)
    try:
        client = make_client(path=work / "chroma")
        collection = open_collection(client, "bench-corpus", embedder.name, embedder.dimension)
        started, cpu = time.perf_counter(), cpu_seconds()
        first = sync_corpus(collection, embedder, [root], worker=worker)
        sync_s, sync_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        started = time.perf_counter()
        second = sync_corpus(collection, embedder, [root], worker=worker)
        resync_s = time.perf_counter() - started
        if first.failed or first.chunks_written != len(chunks) or second.chunks_written:
            raise SystemExit(f"bench: unexpected sync result: {first} / {second}")

        generated = work / "generated"
        generate_notes(generated, files)
        big_root = CorpusRoot("generated", generated)
        big = open_collection(client, "bench-generated", embedder.name, embedder.dimension)
        started = time.perf_counter()
        fill = sync_corpus(big, embedder, [big_root], worker=worker)
        fill_s = time.perf_counter() - started
        started = time.perf_counter()
        again = sync_corpus(big, embedder, [big_root], worker=worker)
        big_resync_s = time.perf_counter() - started
        if fill.failed or len(again.unchanged) != files:
            raise SystemExit(f"bench: unexpected sync result on the generated corpus: {fill.failed or again}")
    finally:
        worker.close()
        shutil.rmtree(work, ignore_errors=True)

    return {
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "embedder": embedder.name,
        "corpus": str(corpus),
        "corpus_files": len(first.added),
        "chunks": len(chunks),
        "raw_embedding_s": round(raw_s, 2),
        "raw_embedding_chunks_per_s": round(len(chunks) / raw_s, 1),
        "sync_fresh_s": round(sync_s, 2),
        "sync_fresh_chunks_per_s": round(len(chunks) / sync_s, 1),
        "sync_over_raw_ratio": round(sync_s / raw_s, 3),
        "raw_embedding_cpu_s": round(raw_cpu, 2),
        "sync_fresh_cpu_s": round(sync_cpu, 2),
        "sync_over_raw_cpu_ratio": round(sync_cpu / raw_cpu, 3),
        "resync_unchanged_s": round(resync_s, 3),
        "generated_files": files,
        "generated_fill_s": round(fill_s, 1),
        "generated_resync_unchanged_s": round(big_resync_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=PROJECT / "corpus", help="corpus folder (default corpus/)"
    )
    parser.add_argument(
        "--files", type=int, default=1000, help="notes in the generated corpus (default 1000)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args.corpus, args.files)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"machine: {figures['machine']}; embedder {figures['embedder']}")
    print(f"corpus {figures['corpus']}: {figures['corpus_files']} files, {figures['chunks']} chunks")
    print(
        f"raw embedding       {figures['raw_embedding_s']:>8.2f} s  "
        f"{figures['raw_embedding_chunks_per_s']:>7.1f} chunks/s"
    )
    print(
        f"sync, fresh store   {figures['sync_fresh_s']:>8.2f} s  "
        f"{figures['sync_fresh_chunks_per_s']:>7.1f} chunks/s"
        f"  (x{figures['sync_over_raw_ratio']:.3f} of raw embedding)"
    )
    print(
        f"CPU time (incl. the parse worker): raw {figures['raw_embedding_cpu_s']} s, "
        f"sync {figures['sync_fresh_cpu_s']} s (x{figures['sync_over_raw_cpu_ratio']:.3f})"
    )
    print(f"sync, unchanged     {figures['resync_unchanged_s']:>8.3f} s")
    print(
        f"generated corpus of {figures['generated_files']} files: "
        f"first sync {figures['generated_fill_s']} s, "
        f"unchanged re-sync {figures['generated_resync_unchanged_s']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    sys.exit(main())
