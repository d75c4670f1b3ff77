"""Scoring a reader on a case table (tests/facts/dev.yaml, tests/facts/heldout.yaml; fields in heldout.yaml's
header). A case passes when the reader returns exactly the expected facts, sets no other path (apart from the
case's vague and unclear paths), never reports a vague path as exact, and keeps any vague bound it gives at or
above the case's. Also counted: negated facts read with the opposite value, and invented figures (a number
set for a path the case does not state at all)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from facts.reader import Reading

Reader = Callable[[str, str | None], Reading]


@dataclass
class Score:
    n: int = 0
    passed: int = 0
    per_class: Counter = field(default_factory=Counter)
    per_class_n: Counter = field(default_factory=Counter)
    flipped: list = field(default_factory=list)       # (text, path, expected, got) with the opposite bool
    invented: list = field(default_factory=list)      # (text, path, got): a figure the case does not state
    failures: list = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.passed / self.n if self.n else 0.0


def load_cases(path: Path) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cases"]


def judge(case: dict, reading: Reading) -> bool:
    expected, vague = case["facts"], case.get("vague") or {}
    allowed = set(vague) | set(case.get("unclear") or [])
    if any(reading.facts.get(p, object()) != v for p, v in expected.items()):
        return False
    if any(p not in expected and p not in allowed for p in reading.facts):
        return False
    if any(p in case.get("not_set") or () for p in reading.facts):
        return False
    return all(p not in reading.facts and reading.vague.get(p, bound) >= bound for p, bound in vague.items())


def score(cases: list[dict], reader: Reader) -> Score:
    s = Score()
    for case in cases:
        reading = reader(case["text"], case.get("asked"))
        ok = judge(case, reading)
        s.n += 1
        s.passed += ok
        s.per_class_n[case["class"]] += 1
        s.per_class[case["class"]] += ok
        stated = set(case["facts"]) | set(case.get("vague") or {}) | set(case.get("unclear") or [])
        for p, v in reading.facts.items():
            want = case["facts"].get(p)
            if isinstance(want, bool) and isinstance(v, bool) and want != v:
                s.flipped.append((case["text"], p, want, v))
            if p not in stated and isinstance(v, int | float) and not isinstance(v, bool):
                s.invented.append((case["text"], p, v))
        if not ok:
            s.failures.append((case["text"], case.get("asked"), case["facts"], reading))
    return s


def report(name: str, s: Score) -> str:
    classes = " ".join(f"{c} {s.per_class[c]}/{s.per_class_n[c]}" for c in sorted(s.per_class_n))
    return (f"{name}: {s.passed}/{s.n} = {s.accuracy:.3f} exact; negated facts flipped {len(s.flipped)}; "
            f"invented figures {len(s.invented)}\n  {classes}")
