"""STARD (bench/stard.py): the split is deterministic and our engine stays ahead of plain jieba BM25.

The issue's target is ×1.20 at recall@10; measured 2026-12-02 the engine reaches ×1.052 (tuning half) /
×1.057 (check half), so this pins the measured figure, not the target (~30 s cold, index cached in var/stard/)."""

from pathlib import Path

import pytest

from bench import stard

pytestmark = pytest.mark.skipif(not (stard.DATA / "corpus.jsonl").exists(), reason="no STARD data")


def test_the_halves_are_disjoint_and_fixed():
    qs = stard.load_questions()
    tune = {q["id"] for q in qs if stard.half(q) == "tune"}
    check = {q["id"] for q in qs if stard.half(q) == "check"}
    assert not tune & check and len(tune) + len(check) == len(qs) == 1235
    assert (len(tune), len(check)) == (621, 614)


def test_recall_counts_any_relevant_article_in_the_top_k():
    qs = [{"id": 0, "relevant": ["a"]}, {"id": 1, "relevant": ["b", "c"]}]
    r = stard.recall([["x", "a"], ["c", "y"]], qs, "all")
    assert r["recall@1"] == 0.5 and r["recall@3"] == 1.0


def test_engine_stays_ahead_of_plain_bm25(tmp_path: Path):
    r = stard.evaluate()
    assert r["bm25"]["all"]["recall@10"] == pytest.approx(0.713, abs=0.002)     # the baseline itself is fixed
    assert r["ratio@10"]["tune"] >= 1.04 and r["ratio@10"]["check"] >= 1.04, r["ratio@10"]
