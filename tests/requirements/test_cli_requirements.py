"""`cirkla package` and `cirkla check` on a real store: five planted problems found, a library package clean."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from assistant.cli import cli
from tests.requirements.test_review import FIVE_PROBLEMS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture(scope="module")
def furniture_store(tmp_path_factory) -> tuple[Path, Path]:
    """The furniture clauses, the notes they cite and the reference tables, indexed once: (corpus, data dir)."""
    import os

    base = tmp_path_factory.mktemp("furniture")
    corpus = base / "corpus"
    (corpus / "clauses").mkdir(parents=True)
    (corpus / "guidance").mkdir()
    shutil.copy(CORPUS / "areas.yaml", corpus / "areas.yaml")
    shutil.copytree(CORPUS / "reference", corpus / "reference")
    text = (CORPUS / "clauses" / "mobler.yaml").read_text(encoding="utf-8")
    (corpus / "clauses" / "mobler.yaml").write_text(text, encoding="utf-8")
    for note in set(re.findall(r"doc_id: ([a-z0-9-]+)", text)) | {"kravtyp-och-niva", "regional-kontext-glesbygd"}:
        shutil.copy(CORPUS / "guidance" / f"{note}.md", corpus / "guidance" / f"{note}.md")
    saved = {name: os.environ.get(name) for name in ("CIRKLA_CORPUS_DIRS", "CIRKLA_DATA_DIR")}
    os.environ.update(CIRKLA_CORPUS_DIRS=str(corpus), CIRKLA_DATA_DIR=str(base / "data"))
    try:
        result = run("index", "--json")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert result.exit_code == 0, result.output
    return corpus, base / "data"


@pytest.fixture
def furniture(furniture_store, monkeypatch) -> Path:
    corpus, data = furniture_store
    monkeypatch.setenv("CIRKLA_CORPUS_DIRS", str(corpus))
    monkeypatch.setenv("CIRKLA_DATA_DIR", str(data))
    return corpus


def test_package_to_every_format(furniture, tmp_path):
    result = run("package", "--area", "mobler", "--group", "Kontorsstolar", "--level", "avancerad")
    assert result.exit_code == 0 and result.stdout.startswith("# Cirkulära krav") and "MOB-TS-02" in result.stdout
    assert run("package", "--area", "mobler", "-o", str(tmp_path / "p.docx")).exit_code == 0
    assert "K1 " in "\n".join(p.text for p in Document(str(tmp_path / "p.docx")).paragraphs)
    assert run("package", "--area", "mobler", "-o", str(tmp_path / "p.xlsx")).exit_code == 0
    assert load_workbook(tmp_path / "p.xlsx")["Krav"].max_row > 5
    data = json.loads(run("package", "--area", "mobler", "--level", "spjutspets", "--json").stdout)
    assert data["format"] == "cirkla-draft-1" and {item["level"] for item in data["items"]} >= {"bas", "avancerad"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--area", "soffor"), "area 'soffor' has no clauses"),
        (("--area", "mobler", "--group", "Sängar"), "'Sängar' is no product group of 'mobler'"),
        (("--area", "mobler", "--format", "docx"), "a docx file needs -o FILE"),
    ],
)
def test_package_mistakes_are_one_line(furniture, args, fragment):
    result = run("package", *args)
    assert result.exit_code == 1 and result.stderr.strip().count("\n") == 0 and fragment in result.stderr


def test_check_finds_the_five_planted_problems(furniture, tmp_path):
    own = tmp_path / "krav.md"
    own.write_text(FIVE_PROBLEMS, encoding="utf-8")
    result = run("check", str(own), "--json")
    assert result.exit_code == 1  # errors were found
    found = {(f["requirement"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert {("krav 1", "qualification_timing"), ("krav 2", "equivalent"), ("krav 3", "vague"),
            ("krav 4", "verification"), ("krav 5", "award_model")} <= found  # fmt: skip
    text = run("check", "-", stdin=FIVE_PROBLEMS)
    assert "[fel] krav 5: Kriteriet ger poäng" in text.stdout and "Åtgärd:" in text.stdout


def test_check_of_a_library_package_finds_nothing(furniture, tmp_path):
    package = tmp_path / "paket.json"
    assert run("package", "--area", "mobler", "--level", "avancerad", "-o", str(package)).exit_code == 0
    result = run("check", str(package), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


def test_check_mistakes_are_one_line(furniture, tmp_path):
    assert "no such file" in run("check", str(tmp_path / "saknas.md")).stderr
    (tmp_path / "tom.md").write_text("  \n", encoding="utf-8")
    assert "there is no text to check" in run("check", str(tmp_path / "tom.md")).stderr
    (tmp_path / "kalkyl.xlsx").write_bytes(b"PK")
    assert "reads .md, .txt or .docx" in run("check", str(tmp_path / "kalkyl.xlsx")).stderr
