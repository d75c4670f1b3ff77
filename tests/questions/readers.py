"""Scores the question readers on a case table of tests/questions (dev.yaml to tune on; heldout.yaml only
in aggregate): document navigation (knowledge.navigation), uncovered subjects (knowledge.referrals), the
targets table (knowledge.targets) and follow-up aspects (knowledge.navigation.procedure_aspects).

    .venv/bin/python -m tests.questions.readers tests/questions/dev.yaml [-v]

Kinds these readers do not decide (overview, organisation, multi, sentence, handoff_back) are scored by
the NLU and dialogue tests, not here. Prints one line per kind: correct / cases.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from knowledge import navigation, referrals, targets

AS_OF = date(2026, 12, 2)
# what the answer to a document question must be (knowledge.navigation.DocumentQuestion.answer)
DOC_ANSWER = {"doc_list": "outline", "doc_status": "status"}
# out-of-scope kinds no word names (another city or district): scored as "no referral word, no clause kind"
PLACE_REFERRALS = {"other_city", "other_district", "other"}


def cases(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def correct(case: dict, search=None) -> bool | None:
    """Whether the readers get the case right; None for a kind they do not decide."""
    kind, text, expect = case["kind"], case["text"], case.get("expect") or {}
    if kind.startswith("doc_"):
        q = navigation.read_document_question(text, search=search)
        found = [s.id for s in q.sections]
        if expect.get("ambiguous"):
            return q.answer == "which"
        if kind == "doc_clause":
            return q.answer == "section" and found == [expect["section"]]
        if kind == "doc_departments":
            return q.answer == "departments" and found == [expect["section"]]
        wanted = DOC_ANSWER[kind]
        return q.answer == wanted and (expect.get("doc") is None or q.doc_id in (None, expect["doc"])
                                       if wanted == "status" else expect.get("doc") in (None, q.doc_id))
    if kind == "out_of_scope":
        found = referrals.referral_for(text)
        if expect["referral"] in PLACE_REFERRALS:
            return found is None
        return found is not None and found.topic == expect["referral"]
    if kind == "target":
        answer = targets.lookup(text, as_of=AS_OF)
        return answer is not None and expect["row"] in answer.clause_ids and \
            (expect.get("year") is None or expect["year"] in answer.years or answer.all_years)
    if kind == "followup" and expect.get("aspect") in ("materials", "where", "time", "cost"):
        return expect["aspect"] in navigation.procedure_aspects(text)
    return None


def score(path: Path, search=None, verbose: bool = False) -> dict[str, tuple[int, int]]:
    right, total = Counter(), Counter()
    for case in cases(path):
        ok = correct(case, search)
        if ok is None:
            continue
        total[case["kind"]] += 1
        right[case["kind"]] += bool(ok)
        if verbose and not ok:
            print(f"  miss {case['id']}: {case['text']}")
    return {kind: (right[kind], total[kind]) for kind in sorted(total)}


def report(result: dict[str, tuple[int, int]], prefix: str = "") -> None:
    """One line per kind and one for all: correct / cases and the share."""
    for kind, (r, n) in result.items():
        print(f"{prefix}{kind:16} {r:3}/{n:3} {r / n:.3f}")
    r, n = sum(r for r, _ in result.values()), sum(n for _, n in result.values())
    print(f"{prefix}{'all':16} {r:3}/{n:3} {r / n:.3f}")


def main(argv: list[str]) -> int:
    import knowledge

    path = Path(argv[0])
    verbose = "-v" in argv and "heldout" not in path.name  # held-out cases are never printed
    report(score(path, search=lambda q: knowledge.search(q, k=5), verbose=verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
