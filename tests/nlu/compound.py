"""Facts plus one question, as typed, with spaces for punctuation, and run on: does the topic get through?

A message that is mostly facts (老公医保交了20个月，我没交，孩子4岁…) and one question must reach the topic of the
question however it is segmented. Each message of a set is scored in three forms:
    as_typed   the message as written
    spaces     every punctuation mark replaced by a space (phone typing: 孩子4岁 外地户口 能交医保吗)
    run_on     punctuation and spaces removed (a voice transcript: 孩子4岁外地户口能交医保吗)
Two figures per form: the NLU intent alone, and the topic the dialogue ends up with (the intent when it is a
topic; for inform or nlu_fallback, the dialogue's own fallback, actions.forms.topic_of_message). Another topic
counts when the same programmes answer it for that message (same_answer).

    .venv/bin/python -m tests.nlu.compound models/<model>.tar.gz [tests/nlu/compound_dev.yml ...] [-v]

-v prints the misses; never use it on a held-out set (tests/nlu/heldout_v2.yml is scored in aggregate only).
"""

from __future__ import annotations

import asyncio
import re
import sys
import unicodedata
from pathlib import Path

COMPOUND_DEV = Path(__file__).with_name("compound_dev.yml")
FORMS = ("as_typed", "spaces", "run_on")


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") or ch in "～~|/"


def variant(text: str, form: str) -> str:
    if form == "as_typed":
        return text
    if form == "spaces":
        spaced = "".join(" " if _is_punctuation(ch) else ch for ch in text)
        return re.sub(r"\s+", " ", spaced).strip()
    if form == "run_on":
        return "".join(ch for ch in text if not _is_punctuation(ch) and not ch.isspace())
    raise ValueError(form)


def examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [(m.get("text"), m.get("intent")) for m in load_data(str(path)).intent_examples]


async def _parse_all(agent, texts: list[str]) -> list[dict]:
    return [await agent.parse_message(t) for t in texts]


# Labels written before 2026-12-03, when measure 六's awards to organisations (培训中心, 培训包, 大师工作室,
# 实训基地) were ask_skills_training; since then they are ask_organisation_award (docs/contracts.md).
MOVED_TO_ORGANISATION = {"ask_skills_training": ("training_institution_award", "training_package_support",
                                                 "master_studio_award", "training_base_award")}


def same_answer(got: str | None, want: str, text: str) -> bool:
    """The intent expected, or another topic the same programmes answer for this message (the 600元 award
    asked by an enterprise: ask_high_skill_award and ask_organisation_award both give the enterprise's award);
    an old ask_skills_training label of a message that names one of measure 六's awards is that award now."""
    from actions.topics import ORGANISATION, awards_named, is_program_topic, programs_for_message

    if got == want:
        return True
    if got == ORGANISATION and set(awards_named(text)) & set(MOVED_TO_ORGANISATION.get(want, ())):
        return True
    if not (got and is_program_topic(got) and is_program_topic(want)):
        return False
    import facts
    from actions.slots import slot_name

    slots = {slot_name(path): value for path, value in facts.read(text).facts.items()}   # as the dialogue has them
    return programs_for_message(got, text, slots) == programs_for_message(want, text, slots)


def score(agent, path: Path, topics_only: bool = True) -> dict:
    """{form: {"n", "intent_accuracy", "topic_accuracy", "misses"}}; ``topics_only``: score only the
    messages whose expected intent is a topic (a held-out set also holds inform, affirm, …)."""
    from actions.forms import topic_of_message
    from actions.topics import is_guidance_topic, is_program_topic

    cases = [(t, i) for t, i in examples(path) if not topics_only or is_program_topic(i) or is_guidance_topic(i)]
    out = {}
    for form in FORMS:
        texts = [variant(t, form) for t, _ in cases]

        parses = asyncio.run(_parse_all(agent, texts))
        intent_ok = topic_ok = 0
        misses = []
        for (text, want), parse in zip(zip(texts, (i for _, i in cases), strict=True), parses, strict=True):
            got = parse["intent"]["name"]
            intent_ok += same_answer(got, want, text)
            topic = topic_of_message(parse)
            reached = same_answer(topic, want, text)
            topic_ok += reached
            if not reached:
                misses.append((text, want, got, topic))
        out[form] = {"n": len(cases), "intent_accuracy": intent_ok / len(cases),
                     "topic_accuracy": topic_ok / len(cases), "misses": misses}
    return out


def main(argv: list[str]) -> int:
    from rasa.core.agent import load_agent

    from tests.questions.routing import quiet

    quiet()   # Rasa's debug log prints every parsed message, and a held-out table's must never be printed
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    agent = asyncio.run(load_agent(model_path=args[0]))
    for path in [Path(p) for p in args[1:]] or [COMPOUND_DEV]:
        result = score(agent, path)
        for form, r in result.items():
            print(f"{path.name} {form:9} n={r['n']} intent accuracy={r['intent_accuracy']:.3f} "
                  f"topic reached={r['topic_accuracy']:.3f}")
            if verbose and "heldout" not in path.name:
                for text, want, got, topic in r["misses"]:
                    print(f"    {text!r}: want {want}, NLU {got}, topic {topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
