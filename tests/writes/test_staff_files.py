"""Issue 16, defects 3-5: the staff folder and `cirkla add` never lose a document."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

from assistant.settings import Settings
from tests.writes.conftest import CIRKLA, cirkla, cirkla_json, doc_ids


def one_line(result, *fragments: str) -> str:
    assert result.returncode == 1, result.stderr[-2000:]
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("indexing ")]
    assert len(lines) == 1 and lines[0].startswith("cirkla: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_a_configured_staff_folder_that_is_missing_is_an_error_and_nothing_is_removed(notes, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / "rutin.md").write_text("# Rutin\n\nVi lånar ut möbler mellan förvaltningar.\n", encoding="utf-8")
    cirkla("index", check=True, CIRKLA_STAFF_DIR=str(share))
    before = doc_ids()
    assert "documents-rutin-md" in before

    share.rename(tmp_path / "unmounted")  # the share is not mounted
    result = cirkla("index", CIRKLA_STAFF_DIR=str(share))
    one_line(result, "(CIRKLA_STAFF_DIR) does not exist", "Nothing was indexed or removed")
    assert doc_ids() == before and not share.exists()


def test_a_missing_default_staff_folder_with_indexed_documents_is_an_error(notes, tmp_path):
    own = tmp_path / "rutin.md"
    own.write_text("# Rutin\n\nVi lånar ut möbler mellan förvaltningar.\n", encoding="utf-8")
    cirkla("add", str(own), check=True)
    before = doc_ids()
    shutil.rmtree(Settings().documents_dir)
    one_line(cirkla("index"), "is missing, but the store holds 1 chunks of staff documents", "Nothing was removed")
    assert doc_ids() == before


def test_add_of_a_file_already_in_the_staff_folder_indexes_it_in_place(notes, tmp_path):
    own = tmp_path / "rutin.md"
    own.write_text("# Rutin\n\nVersion ett.\n", encoding="utf-8")
    cirkla("add", str(own), check=True)
    staff_copy = Settings().documents_dir / "rutin.md"
    staff_copy.write_text("# Rutin\n\nVersion två, redigerad i staff-mappen.\n", encoding="utf-8")

    added = cirkla_json("add", str(staff_copy))
    assert added["documents"] == [{"file": "rutin.md", "status": "indexed", "doc_ids": ["documents-rutin-md"]}]
    assert staff_copy.read_text(encoding="utf-8").startswith("# Rutin\n\nVersion två")
    report = cirkla_json("index")
    assert "documents/rutin.md" in report["unchanged"] and report["removed"] == []


def test_two_files_with_one_name_are_refused_and_nothing_is_added(notes, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rutin.md").write_text(f"# Rutin {folder}\n\nText.\n", encoding="utf-8")
    result = cirkla("add", str(tmp_path / "a" / "rutin.md"), str(tmp_path / "b" / "rutin.md"))
    one_line(result, "two files are named 'rutin.md'", "Nothing was added")
    assert not (Settings().documents_dir / "rutin.md").exists()


def test_a_kill_during_add_of_a_replacement_loses_nothing(notes, tmp_path):
    old = tmp_path / "avtal.md"
    old.write_text("# Avtal\n\nDen gamla versionen av avtalet om återtag.\n", encoding="utf-8")
    cirkla("add", str(old), check=True)
    new = tmp_path / "ny" / "avtal.md"
    new.parent.mkdir()
    new.write_text("# Avtal\n\nDen nya versionen av avtalet.\n", encoding="utf-8")
    folder = Settings().documents_dir

    # the worker hangs on the new file, so the add is caught after the swap and before it indexed anything
    proc = subprocess.Popen(
        [str(CIRKLA), "add", str(new)],
        env={**os.environ, "CIRKLA_WORKER_TEST_HOOK": "sleep:avtal.md"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(folder.glob(".avtal.md.previous-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert (folder / "avtal.md").is_file()  # the name always holds a whole version

    report = cirkla_json("index")  # the next run puts the old version back: the add never finished
    assert (folder / "avtal.md").read_text(encoding="utf-8").startswith("# Avtal\n\nDen gamla")
    assert not [path.name for path in folder.iterdir() if path.name.startswith(".")]
    assert "documents/avtal.md" in report["unchanged"] + report["updated"] and report["removed"] == []
    assert "documents-avtal-md" in doc_ids()
