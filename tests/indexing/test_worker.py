"""ParseWorker: the same chunks as in-process parsing, and each limit a LoadError the caller survives.

Misbehaviour no small real file can cause (a hang, a hard crash) uses the worker's documented test hook,
CIRKLA_WORKER_TEST_HOOK="<action>:<file name>", read only by the child when it starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.errors import LoadError
from indexing.parsing import parse_file
from indexing.schema import CorpusRoot
from indexing.worker import TEST_HOOK_ENV, ParseWorker

MB = 1024 * 1024


@pytest.fixture
def root(tmp_path: Path) -> CorpusRoot:
    """A staff-documents root with one small, sound Markdown file (`ok.md`)."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "ok.md").write_text("# Återbruk\n\nBegagnade möbler först.\n", encoding="utf-8")
    return CorpusRoot("documents", folder)


def refused(worker: ParseWorker, path: Path, root: CorpusRoot) -> str:
    """The reason the worker gives for refusing `path`."""
    with pytest.raises(LoadError) as caught:
        worker.parse(path, root)
    assert caught.value.path == str(path)
    return caught.value.reason


def without_time(chunks: list) -> list:
    """Chunks as comparable tuples, minus the moment they were made."""
    return [
        (chunk.id, chunk.text, chunk.embed_text, {**chunk.metadata, "indexed_at": None}) for chunk in chunks
    ]


def test_worker_gives_the_same_chunks_as_in_process_parsing(shared_data: Path) -> None:
    root = CorpusRoot("documents", shared_data)
    files = [
        shared_data / "adda-itk21" / "kontraktsvillkor-dynamisk-rangordning---it-konsulttjanster-2021.pdf",
        shared_data / "adda-itk21" / "mall-for-kontrakt---it-konsulttjanster-2021.docx",
        shared_data / "sou-2025-96-kap15" / "15-offentlig-upphandling.md",
    ]
    with ParseWorker(timeout_s=120, memory_mb=1024, max_bytes=50 * MB) as worker:
        for path in files:  # one child serves every file
            assert without_time(worker.parse(path, root)) == without_time(parse_file(path, root))


def test_bad_input_is_reported_and_the_worker_goes_on(root: CorpusRoot) -> None:
    empty = root.path / "tom.md"
    empty.write_bytes(b"")
    broken = root.path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    with ParseWorker(timeout_s=60, memory_mb=512, max_bytes=10 * MB) as worker:
        assert refused(worker, empty, root) == "the file is empty"
        assert refused(worker, broken, root).startswith("not a readable PDF")
        assert worker.parse(root.path / "ok.md", root)[0].text == "Begagnade möbler först."


def test_file_over_the_size_limit_is_refused_before_parsing(root: CorpusRoot) -> None:
    big = root.path / "stor.txt"
    big.write_bytes(b"ord " * (3 * MB // 4))  # 3 MB
    with ParseWorker(timeout_s=60, memory_mb=512, max_bytes=2 * MB) as worker:
        assert refused(worker, big, root) == "file is 3.0 MB, over the limit of 2 MB (CIRKLA_MAX_FILE_MB)"
    with ParseWorker(timeout_s=60, memory_mb=512, max_bytes=MB // 2) as worker:
        assert refused(worker, big, root).endswith("over the limit of 0.5 MB (CIRKLA_MAX_FILE_MB)")


def test_vanished_file(root: CorpusRoot) -> None:
    with ParseWorker(timeout_s=60, memory_mb=512, max_bytes=10 * MB) as worker:
        assert refused(worker, root.path / "borta.pdf", root) == "file vanished"


def test_a_file_needing_more_memory_than_allowed(root: CorpusRoot) -> None:
    # a real 30 MB text file cannot even be read into a child allowed 16 MB beyond its idle size
    big = root.path / "stor.txt"
    line = "Leverantören ska återta möblerna och redovisa återbruket årligen.\n"
    big.write_text(line * (30 * MB // len(line.encode())), encoding="utf-8")
    with ParseWorker(timeout_s=120, memory_mb=16, max_bytes=100 * MB) as worker:
        assert refused(worker, big, root) == "parsing needed more than 16 MB"
        assert worker.parse(root.path / "ok.md", root)[0].text == "Begagnade möbler först."  # still parses


def test_allocating_until_memory_runs_out(root: CorpusRoot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, "allocate:hungry.md")
    (root.path / "hungry.md").write_text("kort\n")
    with ParseWorker(timeout_s=120, memory_mb=64, max_bytes=10 * MB) as worker:
        assert refused(worker, root.path / "hungry.md", root) == "parsing needed more than 64 MB"
        assert worker.parse(root.path / "ok.md", root)[0].text == "Begagnade möbler först."


def test_timeout_kills_and_restarts_the_child(root: CorpusRoot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, "sleep:slow.md")
    (root.path / "slow.md").write_text("långsam\n")
    with ParseWorker(timeout_s=1, memory_mb=512, max_bytes=10 * MB) as worker:
        assert refused(worker, root.path / "slow.md", root) == "parsing took longer than 1 s"
        assert worker.parse(root.path / "ok.md", root)[0].metadata["section"] == ""
        assert refused(worker, root.path / "slow.md", root) == "parsing took longer than 1 s"


def test_a_crashing_parser_is_reported(root: CorpusRoot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, "crash:boom.md")
    (root.path / "boom.md").write_text("pang\n")
    with ParseWorker(timeout_s=60, memory_mb=512, max_bytes=10 * MB) as worker:
        assert refused(worker, root.path / "boom.md", root).startswith("the parser crashed")
        assert worker.parse(root.path / "ok.md", root)[0].text == "Begagnade möbler först."


def test_close_is_final_and_safe_to_repeat(root: CorpusRoot) -> None:
    worker = ParseWorker(timeout_s=60, memory_mb=512, max_bytes=10 * MB)
    assert worker.parse(root.path / "ok.md", root)[0].text == "Begagnade möbler först."
    worker.close()
    worker.close()
    with pytest.raises(RuntimeError, match="closed"):
        worker.parse(root.path / "ok.md", root)
