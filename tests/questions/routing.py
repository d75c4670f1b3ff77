"""Does NLU send each question kind to what answers it? Scores a question-kind table with the trained model:
document questions → ask_document, follow-ups on how to apply → ask_procedure, uncovered subjects →
out_of_scope, targets → a topic that quotes the targets table (ask_plan_targets, ask_minimum_wage,
ask_labour_dispute: actions/topics.yml), asking for the bot back → stop, the overview → ask_overview.

    .venv/bin/python -m tests.questions.routing models/current.tar.gz tests/questions/dev.yaml [-v]

Held-out tables are scored in aggregate only (-v never prints their cases). Kinds with no answer yet
(organisation, multi, sentence, person and ordinal follow-ups) are not scored.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

from tests.questions.readers import cases, report

PROCEDURE_ASPECTS = {"materials", "where", "time", "cost"}


def wanted(case: dict) -> set[str] | None:
    from actions.topics import guidance_clauses, guidance_topics

    kind, expect = case["kind"], case.get("expect") or {}
    if kind.startswith("doc_"):
        return {"ask_document"}
    if kind == "followup":
        return {"ask_procedure"} if expect.get("aspect") in PROCEDURE_ASPECTS else None
    if kind == "out_of_scope":
        return {"out_of_scope"}
    if kind == "target":
        return {i for i in guidance_topics() if any("/targets/" in c for c in guidance_clauses(i))}
    if kind == "handoff_back":
        return {"stop"}
    if kind == "overview":
        return {"ask_overview"}
    return None


def score(agent, path: Path, verbose: bool = False) -> dict[str, tuple[int, int]]:
    scored = [(c, w) for c in cases(path) if (w := wanted(c))]

    async def parse_all():
        return [await agent.parse_message(c["text"]) for c, _ in scored]

    right, total = Counter(), Counter()
    for (case, want), parse in zip(scored, asyncio.run(parse_all()), strict=True):
        got = parse["intent"]["name"]
        total[case["kind"]] += 1
        right[case["kind"]] += got in want
        if verbose and got not in want:
            print(f"  {case['id']}: {case['text']!r} want {sorted(want)}, NLU {got}")
    return {k: (right[k], total[k]) for k in sorted(total)}


def quiet() -> None:
    """Rasa's debug log prints every parsed message: a held-out table's cases must never be printed."""
    import logging

    import structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main(argv: list[str]) -> int:
    from rasa.core.agent import load_agent

    quiet()
    agent = asyncio.run(load_agent(model_path=argv[0]))
    for path in [Path(a) for a in argv[1:] if a != "-v"]:
        report(score(agent, path, verbose="-v" in argv and "heldout" not in path.name), prefix=f"{path.name} ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
