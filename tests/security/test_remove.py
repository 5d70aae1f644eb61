"""Issue 14, defect 2: `cirkla remove` takes document ids, deletes only Cirkla's own staff copies, and never says
it removed something when it did not."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.cli import cli
from assistant.settings import Settings


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def one_line(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cirkla: error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def docs() -> list[str]:
    result = run("docs", "--json")
    assert result.exit_code == 0, result.output
    return [doc["doc_id"] for doc in json.loads(result.stdout)]


def test_remove_by_the_path_that_was_added_removes_the_staff_copy_and_keeps_the_original(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    original = home / "avtal.md"
    original.write_text("# Avtal\n\nVi hyr kontorsmöbler med återtag.\n", encoding="utf-8")
    assert run("add", str(original)).exit_code == 0
    staff_copy = Settings().documents_dir / "avtal.md"
    assert staff_copy.is_file() and docs() == ["documents-avtal-md"]

    result = run("remove", str(original), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["removed"] == [
        {"file": "avtal.md", "doc_ids": [str(original)], "chunks_deleted": 1}
    ]
    assert original.read_text(encoding="utf-8").startswith("# Avtal")  # the user's own file is untouched
    assert not staff_copy.exists() and docs() == []


def test_a_path_that_names_no_staff_copy_is_refused_and_nothing_is_deleted(tmp_path):
    kept = tmp_path / "home" / "budget.md"
    kept.parent.mkdir()
    kept.write_text("# Budget\n", encoding="utf-8")
    one_line(run("remove", str(kept)), "is not a staff document", "never deletes a file outside")
    assert kept.is_file()
    one_line(run("remove", "../budget.md"), "is not a staff document")
    assert kept.is_file()


def test_a_remove_that_removes_nothing_is_not_reported_as_success(tmp_path):
    own = tmp_path / "rutin.md"
    own.write_text("# Rutin\n\nText om återbruk.\n", encoding="utf-8")
    assert run("add", str(own)).exit_code == 0
    assert run("remove", "documents-rutin-md").exit_code == 0
    one_line(run("remove", "documents-rutin-md"), "no document with id 'documents-rutin-md'")
    one_line(run("remove", "rutin.md"), "no document with id 'rutin.md'")
    assert own.is_file()


def test_a_link_in_the_staff_folder_is_removed_not_followed(tmp_path):
    own = tmp_path / "rutin.md"
    own.write_text("# Rutin\n\nText om återbruk.\n", encoding="utf-8")
    assert run("add", str(own)).exit_code == 0
    outside = tmp_path / "outside.md"
    outside.write_text("# Utanför\n", encoding="utf-8")
    (Settings().documents_dir / "lank.md").symlink_to(outside)
    result = run("remove", "lank.md")
    assert result.exit_code == 0, result.output
    assert outside.is_file() and not (Settings().documents_dir / "lank.md").is_symlink()
