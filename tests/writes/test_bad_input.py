"""Issue 16, defects 2, 6, 8 and 9: links out of the corpus, malformed clause files, alias bombs, per-file
limits and text encodings. Each bad file is reported by name and skipped; everything else is indexed."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from assistant.settings import Settings
from indexing.errors import LoadError
from indexing.schema import CorpusRoot
from indexing.worker import ParseWorker
from tests.writes.conftest import CIRKLA, cirkla_json, doc_ids

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_a_link_out_of_the_corpus_is_reported_and_never_indexed(notes, tmp_path):
    secret = tmp_path / "hemligt.md"
    secret.write_text("# Lösenord\n\nroot:x:0:0 hemligt-lösenord-4711\n", encoding="utf-8")
    (notes / "lank.md").symlink_to(secret)
    outside = tmp_path / "utanfor"
    outside.mkdir()
    (outside / "mer.md").write_text("# Mer\n\nhemligt-lösenord-4711 igen.\n", encoding="utf-8")
    (notes / "mapp").symlink_to(outside, target_is_directory=True)
    inside = notes / "inne.md"
    inside.symlink_to(notes / "stolar.md")  # a link that stays inside the corpus is fine

    report = cirkla_json("index", code=1)
    assert report["failed"]["notes/lank.md"].startswith(f"a link to {secret}, outside the corpus folder")
    assert report["failed"]["notes/mapp"].startswith(f"a link to {outside}, outside the corpus folder")
    assert "notes/inne.md" in report["added"]
    found = cirkla_json("search", "hemligt-lösenord-4711", "-k", "10")
    assert all("4711" not in hit["text"] for hit in found), found
    answer = cirkla_json("ask", "hemligt-lösenord-4711")
    assert "4711" not in answer["markdown"] and all("4711" not in s["excerpt"] for s in answer["sources"])


def test_one_malformed_clause_or_note_fails_only_its_file_by_field(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setenv("CIRKLA_CORPUS_DIRS", str(corpus))
    clauses = corpus / "clauses" / "forskola.yaml"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace("area: forskola", "area: [forskola]", 1))
    note = corpus / "guidance" / "vagledning-textil.md"
    note.write_text(note.read_text(encoding="utf-8").replace("doc_id: vagledning-textil", "doc_id: [x]", 1))
    for name in ("clauses", "guidance"):  # keep the run small: a few files besides the two broken ones
        for path in sorted((corpus / name).iterdir()):
            if path.name not in ("forskola.yaml", "mobler.yaml", "vagledning-textil.md", "vagledning-mobler.md"):
                if not (name == "guidance" and path.stem in _cited_notes(corpus)):
                    path.unlink()

    report = cirkla_json("index", code=1)
    assert "field 'area': Input should be a valid string" in report["failed"]["corpus/clauses/forskola.yaml"]
    assert "field 'doc_id' must be text" in report["failed"]["corpus/guidance/vagledning-textil.md"]
    assert "corpus/clauses/mobler.yaml" in report["added"] and "corpus/guidance/vagledning-mobler.md" in report["added"]
    assert "MOB-TS-01" in doc_ids()


def _cited_notes(corpus: Path) -> set[str]:
    import re

    text = (corpus / "clauses" / "mobler.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"doc_id: ([a-z0-9-]+)", text))


BOMB = "clauses:\n  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_a_yaml_alias_bomb_is_refused_without_growing_the_indexer(notes, tmp_path, monkeypatch):
    corpus = tmp_path / "bomb"
    (corpus / "clauses").mkdir(parents=True)
    shutil.copy(CORPUS / "areas.yaml", corpus / "areas.yaml")
    (corpus / "clauses" / "mobler.yaml").write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 800
    monkeypatch.setenv("CIRKLA_CORPUS_DIRS", f"{notes},{corpus}")
    proc = psutil.Popen([str(CIRKLA), "index", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0

    def watch() -> None:
        nonlocal peak
        while proc.poll() is None:
            try:
                family = [proc, *proc.children(recursive=True)]
                peak = max(peak, max(p.memory_info().rss for p in family))
            except psutil.Error:
                pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    out, _ = proc.communicate(timeout=600)
    watcher.join()
    assert proc.returncode == 1
    import json

    report = json.loads(out)
    assert "more than 10 aliases" in report["failed"]["bomb/clauses/mobler.yaml"]
    assert sorted(report["added"]) == ["notes/skrivbord.md", "notes/stolar.md", "notes/textil.md"]
    assert peak < 1500 * 1024 * 1024, f"peak RSS {peak / 2**20:.0f} MB"  # the landed code grew to 3.9 GB


def test_a_file_with_too_many_chunks_is_reported_like_a_file_too_large(notes):
    big = notes / "enorm.md"
    big.write_text("# Enorm\n\n" + "\n\n".join(f"Stycke {n}: " + "återbruk " * 150 for n in range(200)))
    report = cirkla_json("index", code=1, CIRKLA_MAX_FILE_CHUNKS="50")
    reason = report["failed"]["notes/enorm.md"]
    assert reason.startswith("file gives ") and "over the limit of 50 (CIRKLA_MAX_FILE_CHUNKS)" in reason
    assert sorted(report["added"]) == ["notes/skrivbord.md", "notes/stolar.md", "notes/textil.md"]


def test_a_docx_of_many_short_paragraphs_parses_within_the_default_timeout(tmp_path):
    import docx
    import lxml.etree as etree

    document = docx.Document()
    paragraph = etree.tostring(document.add_paragraph("Leverantören ska ta tillbaka uttjänta möbler.")._p)
    body = document.element.body
    for _ in range(20_000):  # 31 KB zipped, about 2 MB of XML: python-docx's style lookup took minutes
        body.insert(len(body) - 1, etree.fromstring(paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "lang.docx").write_bytes(buffer.getvalue())
    settings = Settings()
    with ParseWorker(settings.parse_timeout_s, settings.parse_memory_mb, 50 * 2**20, max_chunks=10_000) as worker:
        chunks = worker.parse(folder / "lang.docx", CorpusRoot("documents", folder))
    assert len(chunks) >= 1000 and "ta tillbaka uttjänta möbler" in chunks[0].text


@pytest.mark.parametrize(
    ("name", "data", "shown", "warning"),
    [
        ("utf8.md", "# Återbruk\n\nÅtervinning av möbler på förskolor.\n".encode(), "Återvinning", None),
        (
            "ett-fel.md",
            "# Återbruk\n\nÅtervinning av möbler på förskolor.\n".encode().replace(b"\xc3\xa5", b"\xe5", 1),
            "förskolor",
            "1 byte(s) were not valid UTF-8 and were replaced",
        ),
        ("utf16.md", "# Återbruk\n\nÅtervinning av möbler på förskolor.\n".encode("utf-16"), "Återvinning", None),
        ("bom.md", b"\xef\xbb\xbf" + "# Återbruk\n\nÅtervinning av möbler.\n".encode(), "Återvinning", None),
        (
            "windows.txt",
            ("# Återbruk\n\n" + "Återvinning av möbler på förskolor och skolor. " * 5).encode("cp1252"),
            "Återvinning",
            "not UTF-8: read as cp1252",
        ),
    ],
)
def test_text_encodings_are_detected_and_a_lossy_decode_is_reported(notes, name, data, shown, warning):
    (notes / name).write_bytes(data)
    report = cirkla_json("index")
    key = f"notes/{name}"
    assert key in report["added"] and report["failed"] == {}
    assert report["warnings"].get(key) == warning if warning is None else warning in report["warnings"][key]
    hits = cirkla_json("search", shown, "-k", "10")
    texts = [hit["text"] for hit in hits if hit["source"] == name]
    assert texts and shown in texts[0] and "Ã" not in texts[0]


def test_a_worker_refuses_chunks_over_its_limit(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "stor.md").write_text("# Stor\n\n" + "\n\n".join("återbruk " * 150 for _ in range(30)))
    with ParseWorker(60, 1024, 50 * 2**20, max_chunks=5) as worker, pytest.raises(LoadError) as refused:
        worker.parse(folder / "stor.md", CorpusRoot("documents", folder))
    assert "over the limit of 5 (CIRKLA_MAX_FILE_CHUNKS)" in refused.value.reason
