"""Does NLU send each question kind to what answers it? Scores a question-kind table with the trained model:
document questions → ask_document, follow-ups on how to apply → ask_procedure, uncovered subjects →
out_of_scope, targets → a topic that quotes the targets table (ask_plan_targets, ask_minimum_wage,
ask_labour_dispute: actions/topics.yml), asking for the bot back → stop, the overview → ask_overview, an
enterprise's award → the whole route the dialogue takes: an award intent, then the one programme of the
award expected (actions.topics.programs_for_message, with the facts the reader takes from the message), the
round year expected (round_year) and the headcount expected (the fact reader); an item of a list by its
position → ask_item with the position expected (knowledge.navigation.item_reference), and a number word that
refers to no item → anything but ask_item; several questions in one message → the message's intent and its
``also_asked`` topics, exactly the topics expected in the order asked; the same question for another person →
ask_person (or the topic in context, which action_set_topic answers for them) with that person
(facts.person_asked; parents and siblings are the reader's other_person), and a person named with no such
question → anything but ask_person. A numbered part with no document
word (第4条讲啥) may be ask_item: with no list shown the dialogue answers it from the documents.

    .venv/bin/python -m tests.questions.routing models/current.tar.gz tests/questions/dev.yaml [-v]

Held-out tables are scored in aggregate only (-v never prints their cases).
Sentence cases (户口迁宁波 要不要跑回老家开证明) are scored on the clauses the
answer quotes (quoted_clauses), not on the intent alone.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

from tests.questions.readers import cases, report

PROCEDURE_ASPECTS = {"materials", "where", "time", "cost"}
AWARD_INTENTS = {"ask_organisation_award", "ask_high_skill_award"}
AWARD_PROGRAMME = {"high_skill_award": "enterprise_high_skill_award", "training_institution": "training_institution_award",
                   "training_package": "training_package_support", "master_studio": "master_studio_award",
                   "training_base": "training_base_award"}


def wanted(case: dict) -> set[str] | None:
    from actions.topics import guidance_clauses, guidance_topics

    kind, expect = case["kind"], case.get("expect") or {}
    if kind.startswith("doc_"):
        return {"ask_document"}
    if kind == "ordinal" or (kind == "followup" and expect.get("aspect") == "ordinal"):
        return {"ask_item"}
    if kind == "multi":
        return set(expect["topics"])
    if kind == "person" or (kind == "followup" and expect.get("aspect") == "person"):
        return {"ask_person"}
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
    if kind == "organisation":
        return AWARD_INTENTS
    if kind == "sentence":
        return {expect["clause"]}
    return None


def quoted_clauses(intent: str, confidence: float, text: str) -> list[str]:
    """The clauses the dialogue's answer to a first message quotes, by its intent (as its rules do): a guidance
    topic or an unsure out-of-scope → action_answer_policy's clause; a programme topic → the verdict's main
    clause (no facts yet) and the sentence the question asks about; facts + a question with no topic
    (inform) → the confident clause; a fallback asks to rephrase."""
    from actions.eligibility import main_clause
    from actions.policy_search import OUT_OF_SCOPE_SURE, asked_sentence, best_clause
    from actions.topics import guidance_topics, is_program_topic, programs_for_message
    from eligibility import Profile, evaluate
    from knowledge.referrals import referral_for

    if referral_for(text) is not None:
        return []
    if intent in guidance_topics() or (intent == "out_of_scope" and confidence < OUT_OF_SCOPE_SURE):
        return [c for c in [best_clause(text, intent if intent != "out_of_scope" else None)] if c]
    if intent == "inform":
        return [c for c in [best_clause(text, None)] if c]
    if is_program_topic(intent):
        programs = programs_for_message(intent, text, {})
        result = evaluate(Profile(), programs=programs)[0]
        main = main_clause(result)
        asked = asked_sentence(text, [r.clause_id for r in result.reasons if r.clause_id], main)
        return [c for c in (main, asked) if c]
    return []


def organisation_routed(case: dict, intent: str) -> bool:
    """An enterprise's award question: the award intent, the award's programme, the round, the headcount."""
    import facts
    from actions.slots import slot_name
    from actions.topics import programs_for_message, round_year

    expect, text = case.get("expect") or {}, case["text"]
    if intent not in AWARD_INTENTS:
        return False
    read = facts.read(text).facts
    slots = {slot_name(path): value for path, value in read.items()}
    headcount = read.get("employer.shortage_high_skill_headcount")
    return (programs_for_message(intent, text, slots) == [AWARD_PROGRAMME[expect["award"]]]
            and round_year(intent, text) == expect.get("year") and headcount == expect.get("headcount"))


PERSON = {"parent": "other_person", "sibling": "other_person"}   # the reader's labels: another adult


def routed(case: dict, want: set[str], parse: dict) -> bool:
    import facts
    from knowledge import navigation

    got, expect, text = parse["intent"]["name"], case.get("expect") or {}, case["text"]
    if case["kind"] == "organisation":
        return organisation_routed(case, got)
    if "ordinal" in expect:
        if expect["ordinal"] is None:
            return got != "ask_item"
        return got == "ask_item" and navigation.item_reference(text) == expect["ordinal"]
    if "person" in expect:
        if expect["person"] is None:
            return got != "ask_person"
        # the topic in context named again (俺自己也是技师 俺能评工程师不): action_set_topic answers it for them
        context = (case.get("context") or {}).get("topic")
        return got in ("ask_person", context) and facts.person_asked(text) == PERSON.get(expect["person"],
                                                                                         expect["person"])
    if case["kind"] == "sentence":   # the answer quotes that very sentence (its paragraph is not enough)
        return expect["clause"] in quoted_clauses(got, parse["intent"].get("confidence") or 0.0, text)
    if case["kind"] == "multi":
        return [got] + [q["intent"] for q in parse.get("also_asked") or []] == expect["topics"]
    if case["kind"].startswith("doc_") and got == "ask_item":
        return navigation.names_a_document_part(text)
    return got in want


def score(agent, path: Path, verbose: bool = False) -> dict[str, tuple[int, int]]:
    scored = [(c, w) for c in cases(path) if (w := wanted(c))]

    async def parse_all():
        return [await agent.parse_message(c["text"]) for c, _ in scored]

    right, total = Counter(), Counter()
    for (case, want), parse in zip(scored, asyncio.run(parse_all()), strict=True):
        got = parse["intent"]["name"]
        aspect = (case.get("expect") or {}).get("aspect")
        kind = aspect if aspect in ("ordinal", "person") else case["kind"]
        total[kind] += 1
        ok = routed(case, want, parse)
        right[kind] += ok
        if verbose and not ok:
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
