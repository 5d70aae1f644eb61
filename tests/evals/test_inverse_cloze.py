"""The held-out dataset builder: inverse cloze (kept / removed) and heading -> section."""

from __future__ import annotations

import json
from pathlib import Path

from evals.datasets import load_dataset
from evals.inverse_cloze import build, build_headings

SENTENCES = [
    "Kommunen ska ställa krav på att begagnade möbler rengörs och kontrolleras före leverans.",
    "Leverantören ska kunna visa hur varje stol har renoverats och vilka delar som har bytts ut.",
    "Avtalet följs upp två gånger per år tillsammans med verksamheterna som använder möblerna.",
]
NOTE = f"""# Möbler i kommunen

{" ".join(SENTENCES)}

## Reservdelar och reparation

Reservdelar till kontorsstolar ska kunna beställas i minst tio år efter leveransen av stolarna.
"""


def test_every_paragraph_with_two_query_sentences_each(tmp_path: Path):
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    counts = build([tmp_path / "note.md"], tmp_path / "out", queries=0, per_paragraph=2)
    assert counts == {"kept": 2, "removed": 2}  # one paragraph is long enough; two of its three sentences
    kept, removed = (load_dataset(tmp_path / "out" / variant, "dev") for variant in ("kept", "removed"))
    assert kept.queries == removed.queries and set(kept.queries.values()) < set(SENTENCES)
    (doc_id,) = {doc for judged in kept.qrels.values() for doc in judged}
    kept_text = next(doc.text for doc in kept.corpus if doc.id == doc_id)
    removed_text = next(doc.text for doc in removed.corpus if doc.id == doc_id)
    assert all(query in kept_text and query not in removed_text for query in kept.queries.values())
    assert removed_text  # the third sentence stays, so the paragraph can still be found


def test_headings_ask_for_their_section(tmp_path: Path):
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    assert build_headings([tmp_path], tmp_path / "out") == {"headings": 1}
    query = json.loads((tmp_path / "out" / "headings" / "queries.jsonl").read_text(encoding="utf-8"))
    assert query["text"] == "Möbler i kommunen"  # the other section is under 200 characters: no document
    dataset = load_dataset(tmp_path / "out" / "headings", "dev")
    (doc_id,) = dataset.qrels[query["_id"]]
    assert next(doc.text for doc in dataset.corpus if doc.id == doc_id).startswith(SENTENCES[0])
