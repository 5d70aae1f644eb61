"""`cirkla ask` against the seed store; `cirkla serve`'s first-start indexing on an empty store."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli


def _point_at_seed_store(seed_store, monkeypatch):
    client, collection, _ = seed_store
    folder = Path(client.get_settings().persist_directory).parent
    monkeypatch.setenv("CIRKLA_DATA_DIR", str(folder))
    monkeypatch.setenv("CIRKLA_COLLECTION", collection.name)


def test_ask_json_has_answer_sources_and_proposals(seed_store, monkeypatch):
    _point_at_seed_store(seed_store, monkeypatch)
    result = CliRunner().invoke(
        cli, ["ask", "Vilka krav kan vi ställa på kontorsstolar?", "--level", "bas", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["found"] and data["filters_used"] == {"area": "mobler", "level": "bas"}
    assert data["draft_items"], "no proposals: the checks below would hold for an empty list"
    assert {s["n"] for s in data["sources"]} >= {item["source"] for item in data["draft_items"]}
    assert all(item["level"] == "bas" for item in data["draft_items"])


def test_ask_prints_markdown_then_the_source_list(seed_store, monkeypatch):
    _point_at_seed_store(seed_store, monkeypatch)
    result = CliRunner().invoke(
        cli, ["ask", "Återtag av uttjänta IT-produkter", "--type", "sarskilt_kontraktsvillkor"]
    )
    assert result.exit_code == 0, result.output
    assert "### Särskilda kontraktsvillkor" in result.output and "\nKällor:\n[1] IT-SK-" in result.output


def test_ask_refuses_a_bad_option_with_one_line(seed_store, monkeypatch):
    _point_at_seed_store(seed_store, monkeypatch)
    result = CliRunner().invoke(cli, ["ask", "x", "--area", "rymden"])
    assert result.exit_code == 1 and "--area 'rymden' is not one of" in result.output


def test_first_start_indexes_an_empty_store(tmp_path, e5, monkeypatch):
    from assistant.cli.chat import index_if_empty
    from assistant.settings import Settings
    from assistant.wiring import client_from, collection_from

    corpus = tmp_path / "mini"
    (corpus / "guidance").mkdir(parents=True)
    (corpus / "guidance" / "note.md").write_text(
        "---\ndoc_id: note\ntitle: En not\n---\n# En not\n\nMöbler ska repareras.\n", encoding="utf-8"
    )
    settings = Settings(data_dir=tmp_path / "data", corpus_dirs=[corpus])
    collection = collection_from(settings, client_from(settings), e5)
    lines = []
    assert index_if_empty(settings, e5, collection, echo=lambda text, err=False: lines.append(text))
    assert collection.count() > 0 and "first start" in lines[0] and lines[1].startswith("Indexed 1 files")
    assert not index_if_empty(settings, e5, collection, echo=lambda *a, **k: None)
