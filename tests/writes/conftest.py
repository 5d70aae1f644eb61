"""Issue 16 (corpus writes): the real `cirkla` in subprocesses, as staff run it, over small corpora of notes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.llm.conftest import openai_server  # noqa: F401 (the loopback LLM, for the serving tests)

CIRKLA = Path(sys.executable).with_name("cirkla")
NOTES = {
    "stolar.md": "# Kontorsstolar\n\nKontorsstolar ska repareras: hjul och gaspatroner byts av en möbelverkstad.\n",
    "skrivbord.md": "# Skrivbord\n\nHöj- och sänkbara skrivbord köps begagnade via återbruksportalen.\n",
    "textil.md": "# Arbetskläder\n\nArbetskläder hyrs med tvätt och lagning i en textilservice.\n",
}


def cirkla(*args: str, timeout: float = 600, check: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
    """`cirkla ARGS` in a subprocess with this test's settings (and `env` on top)."""
    result = subprocess.run(
        [str(CIRKLA), *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def cirkla_json(*args: str, code: int = 0, **env: str) -> dict:
    result = cirkla(*args, "--json", **env)
    assert result.returncode == code, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus folder of three short notes, set as CIRKLA_CORPUS_DIRS for this test and its subprocesses."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("CIRKLA_CORPUS_DIRS", str(folder))
    return folder


def doc_ids() -> list[str]:
    return sorted(doc["doc_id"] for doc in cirkla_json("docs"))
