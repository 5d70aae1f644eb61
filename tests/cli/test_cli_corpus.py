"""The staff's commands: `cirkla index`, `add`, `remove`, `docs`, `stats`, `corpus check`.

Most run in-process through click's CliRunner against a real embedded Chroma under tmp_path (the autouse
fixture points CIRKLA_DATA_DIR there). The crash and concurrency tests run the real `cirkla` in subprocesses.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli
from assistant.settings import Settings
from indexing.lock import index_lock
from indexing.schema import CorpusRoot
from indexing.store import make_client, open_collection
from indexing.sync import sync_corpus

PROJECT = Path(__file__).resolve().parents[2]
CIRKLA = Path(sys.executable).with_name("cirkla")

AREAS = "mobler: {prefix: MOB, sv: Möbler och inredning, en: Furniture and furnishings}\n"
CLAUSES = """clauses:
  - id: MOB-TS-01
    title: Reservdelar i minst fem år
    area: mobler
    type: teknisk_specifikation
    level: bas
    strategies: [reparation]
    text: Leverantören ska kunna leverera reservdelar i minst fem år.
    verification: Leverantören bifogar en reservdelslista.
    follow_up: [{when: anbud, evidence: Reservdelslista, who: upphandlare}]
    legal_basis: 9 kap. 1 § LOU
    applicability: {direktupphandling: true, under_threshold: true, over_threshold: true, call_off: false}
    last_reviewed: 2026-12-03
    rationale: Reparation förlänger livslängden.
    sources:
      - doc_id: vagledning-mobler
  - id: MOB-TK-01
    title: Begagnade möbler
    area: mobler
    type: tilldelningskriterium
    level: avancerad
    strategies: [återbruk]
    text: Anbud som erbjuder rekonditionerade möbler får mervärde.
    evaluation:
      {model: mervärde, formula: 1 000 kr per rekonditionerad möbel, weight: högst 10 %, binding_by: MOB-TS-01}
    verification: Anbudsgivaren anger andelen rekonditionerade möbler.
    follow_up: [{when: anbud, evidence: Prisbilaga, who: upphandlare}]
    legal_basis: 16 kap. 1 § LOU
    applicability: {direktupphandling: false, under_threshold: true, over_threshold: true, call_off: false}
    last_reviewed: 2026-12-03
    rationale: Återbruk sparar resurser.
    sources:
      - doc_id: vagledning-mobler
"""
GUIDANCE = """---
doc_id: vagledning-mobler
title: Cirkulär upphandling av möbler
area: mobler
sources:
  - {title: Exempel, publisher: Adda, url: "https://example.org/mobler", evidence: S}
updated: 2026-11-28
---
# Möbler

Börja med att inventera de möbler som redan finns.
"""


def clause_corpus(folder: Path) -> Path:
    """A tiny, valid clause library: areas.yaml, one clause file (2 clauses), one guidance note."""
    (folder / "clauses").mkdir(parents=True)
    (folder / "guidance").mkdir()
    (folder / "areas.yaml").write_text(AREAS, encoding="utf-8")
    (folder / "clauses" / "mobler.yaml").write_text(CLAUSES, encoding="utf-8")
    (folder / "guidance" / "vagledning-mobler.md").write_text(GUIDANCE, encoding="utf-8")
    return folder


def notes_corpus(folder: Path, count: int) -> Path:
    """`count` one-chunk Markdown notes: enough work for a run to be caught in the middle."""
    folder.mkdir(parents=True)
    for n in range(count):
        text = f"# Anteckning {n}\n\nRutin nummer {n} för återbruk av möbler och IT-utrustning.\n"
        (folder / f"anteckning-{n:03d}.md").write_text(text, encoding="utf-8")
    return folder


def run(*args: str):
    """`cirkla ARGS` in-process, stdout and stderr apart."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_json(*args: str, code: int = 0):
    result = run(*args, "--json")
    assert result.exit_code == code, result.output + result.stderr
    return json.loads(result.stdout)


def one_line_error(result, *fragments: str) -> None:
    """A user mistake: exit 1, one line on stderr naming the problem, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cirkla: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output


def chunk_ids(path: Path, name: str = "cirkla") -> set[str]:
    client = make_client(path=path)
    return set(client.get_collection(name).get(include=[])["ids"])


# --- index -----------------------------------------------------------------------------------------


def test_index_reports_added_then_unchanged_and_prints_a_summary(tmp_path):
    corpus = clause_corpus(tmp_path / "corpus")
    first = run_json("index", "--corpus", str(corpus))
    assert first["added"] == ["corpus/clauses/mobler.yaml", "corpus/guidance/vagledning-mobler.md"]
    assert first["failed"] == {} and first["chunks_written"] == 3 and first["collection"] == "cirkla"

    again = run("index", "--corpus", str(corpus))
    assert again.exit_code == 0, again.output
    assert "added 0, updated 0, unchanged 2, removed 0, failed 0" in again.stdout


def test_index_fails_files_the_validator_rejects_and_keeps_their_indexed_version(tmp_path):
    corpus = clause_corpus(tmp_path / "corpus")
    run_json("index", "--corpus", str(corpus))
    clause_file = corpus / "clauses" / "mobler.yaml"
    clause_file.write_text(CLAUSES.replace("level: bas", "level: superbra"), encoding="utf-8")

    report = run_json("index", "--corpus", str(corpus), code=1)
    assert list(report["failed"]) == ["corpus/clauses/mobler.yaml"]
    assert "MOB-TS-01: level 'superbra' is not one of" in report["failed"]["corpus/clauses/mobler.yaml"]
    docs = {doc["doc_id"]: doc for doc in run_json("docs")}
    assert set(docs) == {"MOB-TS-01", "MOB-TK-01", "vagledning-mobler"}  # the old clauses are still there

    text = run("index", "--corpus", str(corpus))
    assert text.exit_code == 1 and "failed: corpus/clauses/mobler.yaml: MOB-TS-01: level" in text.stdout


def test_index_with_another_embedder_names_the_rebuild_command_and_rebuild_fixes_it(tmp_path, e5):
    corpus = notes_corpus(tmp_path / "corpus", 2)
    settings = Settings()
    open_collection(make_client(path=settings.chroma_path), "cirkla", "sentence-transformers:other", 384)

    result = run("index", "--corpus", str(corpus))
    one_line_error(result, "sentence-transformers:other", "cirkla index --rebuild")

    rebuilt = run_json("index", "--corpus", str(corpus), "--rebuild")
    assert len(rebuilt["added"]) == 2
    stats = run_json("stats")
    assert stats["embedder"] == e5.name and stats["chunks"] == 2


def test_index_into_a_named_collection(tmp_path):
    corpus = notes_corpus(tmp_path / "corpus", 1)
    assert run_json("index", "--corpus", str(corpus), "--collection", "andra")["collection"] == "andra"
    assert len(chunk_ids(Settings().chroma_path, "andra")) == 1


def test_index_with_a_missing_corpus_folder_is_a_usage_error(tmp_path):
    result = run("index", "--corpus", str(tmp_path / "finns-inte"))
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_index_waits_then_says_indexing_is_under_way_while_another_writer_holds_the_lock(tmp_path):
    corpus = notes_corpus(tmp_path / "corpus", 1)
    with index_lock(Settings().chroma_path, wait_s=0):
        result = subprocess.run(
            [str(CIRKLA), "index", "--corpus", str(corpus)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "CIRKLA_LOCK_WAIT_S": "1"},
        )
    assert result.returncode == 1
    waiting, error = result.stderr.strip().splitlines()
    assert waiting.startswith("cirkla: another `cirkla index`, `add` or `remove` is writing the store; waiting up")
    assert error.startswith("cirkla: error: indexing is still under way") and "CIRKLA_LOCK_WAIT_S" in error
    assert "Traceback" not in result.stderr


def test_a_second_staff_command_waits_for_the_first_instead_of_failing(tmp_path):
    corpus = notes_corpus(tmp_path / "corpus", 1)
    lock = index_lock(Settings().chroma_path, wait_s=0)
    lock.__enter__()
    process = subprocess.Popen(
        [str(CIRKLA), "index", "--corpus", str(corpus), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the second command is waiting, not failing
        assert process.poll() is None
    finally:
        lock.__exit__(None, None, None)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert json.loads(out)["added"] == ["corpus/anteckning-000.md"]
    assert "waiting up to 600 s" in err


def test_two_concurrent_index_runs_never_both_write(tmp_path, e5):
    corpus = notes_corpus(tmp_path / "corpus", 40)
    command = [str(CIRKLA), "index", "--corpus", str(corpus), "--json"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcomes = [(proc.wait(timeout=300), *proc.communicate()) for proc in (first, second)]

    succeeded = [json.loads(out) for code, out, _ in outcomes if code == 0]
    assert succeeded, outcomes
    for code, _, err in outcomes:
        assert code == 0 or "indexing is already under way" in err, err
    # whoever ran second (if it got the lock after waiting) found the work done: the lock serialised them
    assert sorted(len(report["added"]) for report in succeeded) in ([40], [0, 40])
    assert chunk_ids(Settings().chroma_path) == clean_ids(tmp_path, corpus, e5)


def clean_ids(tmp_path: Path, corpus: Path, e5) -> set[str]:
    """The chunk ids a clean, uninterrupted run gives (in-process, in a store of its own)."""
    collection = open_collection(make_client(path=tmp_path / "clean"), "clean", e5.name, e5.dimension)
    staff = tmp_path / "clean-documents"
    staff.mkdir(exist_ok=True)
    report = sync_corpus(collection, e5, [CorpusRoot(corpus.name, corpus), CorpusRoot("documents", staff)])
    assert not report.failed
    return set(collection.get(include=[])["ids"])


def stored_rows(store: Path) -> int:
    """Chunks written so far, read from Chroma's SQLite log without opening a client in this process."""
    database = store / "chroma.sqlite3"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0])
    except sqlite3.OperationalError:  # the tables are not created yet, or locked for a moment
        return 0


def test_a_run_killed_mid_index_is_finished_by_the_next_run_exactly_like_a_clean_run(tmp_path, e5):
    corpus = notes_corpus(tmp_path / "corpus", 100)
    store = Settings().chroma_path
    command = [str(CIRKLA), "index", "--corpus", str(corpus), "--json"]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 240
    while stored_rows(store) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the process group, `cirkla` and its parse worker: like a crash
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the run finished before it could be killed"

    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == {} and 0 < len(report["unchanged"]) < 100  # it resumed, not restarted

    expected = clean_ids(tmp_path, corpus, e5)
    assert chunk_ids(store) == expected and len(expected) == 100


# --- add / remove ----------------------------------------------------------------------------------


def test_add_copies_into_the_documents_folder_and_indexes_it_and_survives_reindexing(tmp_path):
    corpus = notes_corpus(tmp_path / "corpus", 1)
    own = tmp_path / "inbox" / "rutin.md"
    own.parent.mkdir()
    own.write_text("# Vår rutin\n\nVi lånar ut möbler mellan förvaltningar.\n", encoding="utf-8")

    added = run_json("add", str(own))
    expected = {"file": "rutin.md", "status": "indexed", "doc_ids": ["documents-rutin-md"]}
    assert added["documents"] == [expected]
    assert (Settings().documents_dir / "rutin.md").read_bytes() == own.read_bytes()

    own.unlink()  # the staff copy is the one indexed, not the original
    report = run_json("index", "--corpus", str(corpus))
    assert "documents/rutin.md" in report["unchanged"] and report["removed"] == []
    assert report["added"] == ["corpus/anteckning-000.md"]
    assert run("add", str(tmp_path / "inbox" / "rutin.md")).exit_code == 1


def test_add_a_missing_file_or_an_unsupported_type_is_one_line(tmp_path):
    one_line_error(run("add", str(tmp_path / "saknas.pdf")), "no such file", "saknas.pdf")
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    one_line_error(run("add", str(sheet)), "unsupported file type '.xlsx'", ".md")
    assert not Settings().documents_dir.exists() or not any(Settings().documents_dir.iterdir())


def test_add_a_file_that_cannot_be_read_reports_it_and_keeps_the_previous_version(tmp_path):
    good = tmp_path / "rutin.md"
    good.write_text("# Rutin\n\nFörsta versionen.\n", encoding="utf-8")
    run_json("add", str(good))
    bad = tmp_path / "new" / "rutin.md"
    bad.parent.mkdir()
    bad.write_text("", encoding="utf-8")

    result = run_json("add", str(bad), code=1)
    assert result["documents"][0]["status"] == "failed"
    assert "empty" in result["report"]["failed"]["documents/rutin.md"]
    assert (Settings().documents_dir / "rutin.md").read_bytes() == good.read_bytes()  # put back
    assert [doc["doc_id"] for doc in run_json("docs")] == ["documents-rutin-md"]
    text = run("add", str(bad))
    assert text.exit_code == 1 and "failed: rutin.md:" in text.stdout


def test_remove_a_staff_document_deletes_file_and_chunks(tmp_path):
    own = tmp_path / "rutin.md"
    own.write_text("# Rutin\n\nText.\n", encoding="utf-8")
    run_json("add", str(own))

    removed = run_json("remove", "documents-rutin-md")
    entry = {"file": "rutin.md", "doc_ids": ["documents-rutin-md"], "chunks_deleted": 1}
    assert removed == {"removed": [entry], "folder": str(Settings().documents_dir)}
    assert not (Settings().documents_dir / "rutin.md").exists()
    assert run_json("docs") == []
    one_line_error(run("remove", "documents-rutin-md"), "no document with id 'documents-rutin-md'")


def test_remove_refuses_a_bundled_corpus_document_and_an_unknown_id(tmp_path):
    corpus = clause_corpus(tmp_path / "corpus")
    run_json("index", "--corpus", str(corpus))
    one_line_error(run("remove", "MOB-TS-01"), "belongs to the corpus folder", "corpus/clauses/mobler.yaml")
    one_line_error(run("remove", "finns-inte"), "no document with id 'finns-inte'", "cirkla docs")
    assert len(run_json("docs")) == 3


# --- docs / stats ----------------------------------------------------------------------------------


def test_docs_and_stats_describe_the_store(tmp_path, e5):
    corpus = clause_corpus(tmp_path / "corpus")
    run_json("index", "--corpus", str(corpus))

    docs = run_json("docs")
    assert [(d["doc_id"], d["kind"], d["chunks"], d["source"]) for d in docs] == [
        ("MOB-TK-01", "clause", 1, "corpus/clauses/mobler.yaml"),
        ("MOB-TS-01", "clause", 1, "corpus/clauses/mobler.yaml"),
        ("vagledning-mobler", "guidance", 1, "corpus/guidance/vagledning-mobler.md"),
    ]
    assert docs[2]["title"] == "Cirkulär upphandling av möbler" and docs[2]["pages"] is None
    assert all(d["indexed_at"] for d in docs)

    stats = run_json("stats")
    assert stats["documents"] == 3 and stats["files"] == 2 and stats["chunks"] == 3
    assert stats["chunks_by_kind"] == {"clause": 2, "guidance": 1}
    assert stats["clauses_by_area"] == {"mobler": 2}
    assert stats["clauses_by_type"] == {"teknisk_specifikation": 1, "tilldelningskriterium": 1}
    assert stats["clauses_by_level"] == {"avancerad": 1, "bas": 1}
    assert stats["embedder"] == e5.name and stats["dimension"] == e5.dimension
    assert stats["store"] == str(Settings().chroma_path) and stats["collection"] == "cirkla"

    table = run("docs")
    assert table.exit_code == 0 and "MOB-TS-01" in table.stdout and "3 documents" in table.stdout
    text = run("stats")
    assert "clauses by level: avancerad 1, bas 1" in text.stdout


def test_docs_before_any_index_says_to_run_index():
    one_line_error(run("docs"), "does not exist", "cirkla index")
    one_line_error(run("stats"), "cirkla index")


# --- corpus check ----------------------------------------------------------------------------------


def test_corpus_check_passes_a_sound_corpus_and_lists_problems_with_exit_1(tmp_path):
    corpus = clause_corpus(tmp_path / "corpus")
    assert run_json("corpus", "check", "--corpus", str(corpus)) == {"corpus": [str(corpus)], "problems": []}

    broken = CLAUSES.replace("MOB-TK-01", "MOB-XX-01")
    (corpus / "clauses" / "mobler.yaml").write_text(broken, encoding="utf-8")
    found = run_json("corpus", "check", "--corpus", str(corpus), code=1)
    assert {(p["file"], p["clause_id"]) for p in found["problems"]} == {("clauses/mobler.yaml", "MOB-XX-01")}
    text = run("corpus", "check", "--corpus", str(corpus))
    assert text.exit_code == 1 and "clauses/mobler.yaml: MOB-XX-01: id 'MOB-XX-01'" in text.stdout


def test_corpus_check_of_the_shipped_corpus_is_clean():
    # the autouse fixture points CIRKLA_CORPUS_DIRS at the shipped corpus/: that folder is the one checked
    assert run_json("corpus", "check") == {"corpus": [str(PROJECT / "corpus")], "problems": []}
    text = run("corpus", "check")
    assert text.exit_code == 0 and text.stdout == "" and text.stderr.startswith("0 problem(s) in ")
