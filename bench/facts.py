"""Fact reader benchmark (`python -m bench.facts`): per-message latency of facts.read over the messages of
both case tables (the reader is in every turn's path), the old parser on the same messages for the ratio,
and one 2,000-character run-on message. Writes reports/bench-facts.md (with the load average: the machine is
shared)."""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path

import yaml

from facts.text import normalize_text

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "bench-facts.md"
AS_OF = date(2026, 12, 1)


def _text_caches() -> list:
    """The reader's caches keyed by a text (a clause, a message): cleared before each timed message, so that every
    message is timed as if new. The caches built once per process (lexicon lists, compiled patterns) stay warm."""
    import inspect

    import facts.quantities
    import facts.reader
    import facts.text
    out = []
    for module in (facts.reader, facts.quantities, facts.text):
        for obj in vars(module).values():
            wrapped = getattr(obj, "__wrapped__", None)
            if callable(getattr(obj, "cache_clear", None)) and wrapped is not None \
                    and "text" in inspect.signature(wrapped).parameters:
                out.append(obj)
    return out


def _times(fn, items, repeat: int = 3) -> list[float]:
    out = []
    caches = _text_caches()
    assert normalize_text in caches
    for _ in range(repeat):
        for text, asked in items:
            for c in caches:
                c.cache_clear()   # every message timed as if new (clauses and the normalisation are cached per text)
            t = time.perf_counter()
            fn(text, asked)
            out.append(time.perf_counter() - t)
    return out


def main() -> int:
    from actions.parsing import extract_facts
    from facts import read

    items = []
    for name in ("dev.yaml", "heldout.yaml"):
        cases = yaml.safe_load((ROOT / "tests" / "facts" / name).read_text(encoding="utf-8"))["cases"]
        items += [(c["text"], c.get("asked")) for c in cases]
    read("热身", None, AS_OF)          # lexicon load, regex compilation
    extract_facts("热身", today=AS_OF)
    new = _times(lambda t, a: read(t, a, AS_OF), items)
    old = _times(lambda t, a: extract_facts(t, expecting=a, today=AS_OF), items)
    long_text = ""
    for text, _ in items:
        if len(long_text) + len(text) > 2000:
            break
        long_text += text
    long_text = long_text.ljust(2000, "好")
    long = _times(lambda t, a: read(t, a, AS_OF), [(long_text, None)], repeat=5)
    def ms(xs, q=None):
        return 1000 * (statistics.median(xs) if q is None else statistics.quantiles(xs, n=100)[q - 1])
    lines = [
        "# Fact reader benchmark", "",
        f"{len(items)} messages (tests/facts/dev.yaml + heldout.yaml) x 3, one process; load average "
        f"{os.getloadavg()[0]:.2f}.", "",
        "| reader | median ms | p95 ms | max ms |", "| --- | --- | --- | --- |",
        f"| facts.read | {ms(new):.3f} | {ms(new, 95):.3f} | {1000 * max(new):.2f} |",
        f"| actions.parsing.extract_facts (old) | {ms(old):.3f} | {ms(old, 95):.3f} | {1000 * max(old):.2f} |",
        "", f"Ratio of medians new/old: {statistics.median(new) / statistics.median(old):.2f}.", "",
        f"One 2,000-character run-on message: median {ms(long):.1f} ms over 5 runs (max {1000 * max(long):.1f} ms).",
    ]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
