"""Profile field paths ↔ Rasa slot names (`.` → `_`, docs/contracts.md) and the Profile built from slots."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from eligibility import schema
from eligibility.profile import FIELD_PATHS, Profile, ProfileError

FORM_NAME = "eligibility_form"
SLOT_OF_PATH = {path: path.replace(".", "_") for path in FIELD_PATHS}
PATH_OF_SLOT = {slot: path for path, slot in SLOT_OF_PATH.items()}
# Dialogue-only slots the form can ask for besides the Profile fields.
CONFIRM_WORK_MONTHS = "confirm_work_months"
WORK_MONTHS = "work_months"
VAGUE_FIELDS = "vague_fields"  # slots holding only a lower bound (“两年多”): asked once for the exact figure
VAGUE_ASKED = "vague_asked"
# “交了十个月” names no scheme: the figure waits in UNCLEAR_MONTHS until the worker says which scheme
# (MONTHS_SCHEME, asked “您说的十个月是社保还是职工医保？”); it is never guessed.
UNCLEAR_MONTHS = "unclear_months"
MONTHS_SCHEME = "months_scheme"
# The months slot each answer to MONTHS_SCHEME gives the figure to (other schemes count toward none).
MONTHS_SLOT_OF_SCHEME = {"employee_medical": "employee_medical_months", "social": "social_insurance_months"}
# The year a question about a dated award names (“2022年那一轮”, actions/topics.py round_year): the answer is
# for that year's end, not for today.
ROUND_YEAR = "round_year"
# The worker's words that asked the topic: its verdict singles out the sentence they ask about.
TOPIC_QUESTION = "topic_question"


def fact_of_slot(slot: str | None) -> schema.Fact | None:
    """The schema's declaration of the fact a slot holds (None for the dialogue's own slots)."""
    path = PATH_OF_SLOT.get(slot or "")
    return schema.fact(path) if path else None


# Slots a bare yes/no answers (是/不是, 有/没有, the buttons /affirm and /deny), from the fact schema, plus the
# confirmation of a stated work duration.
YES_NO_SLOTS = frozenset({CONFIRM_WORK_MONTHS} | {SLOT_OF_PATH[p] for p in schema.yes_no_paths()})


def slot_name(path: str) -> str:
    return SLOT_OF_PATH.get(path, path.replace(".", "_"))


def path_of(slot: str | None) -> str | None:
    return PATH_OF_SLOT.get(slot or "")


def as_of() -> date:
    """The date answers are for; YSLY_AS_OF (YYYY-MM-DD) pins it for tests and benchmarks."""
    pinned = os.environ.get("YSLY_AS_OF")
    return date.fromisoformat(pinned) if pinned else date.today()


def facts_from_slots(slots: dict[str, Any]) -> dict[str, Any]:
    return {path: slots.get(slot) for slot, path in PATH_OF_SLOT.items() if slots.get(slot) is not None}


def answer_date(slots: dict[str, Any]) -> date:
    """The date the verdict is for: 31 December of the year the question names (ROUND_YEAR), else as_of()."""
    year = slots.get(ROUND_YEAR)
    return date(int(year), 12, 31) if isinstance(year, int) and 1900 < year < 2100 else as_of()


def profile_from_slots(slots: dict[str, Any]) -> Profile:
    """A Profile from the slots, for answer_date(slots). A value the Profile rejects is dropped (asked again
    as unknown) rather than crashing the conversation."""
    facts = facts_from_slots(slots)
    when = answer_date(slots)
    try:
        return Profile.from_facts(facts, as_of=when)
    except ProfileError as error:
        for path, _ in error.errors:
            facts.pop(path.replace("[0]", ""), None)
        try:
            return Profile.from_facts(facts, as_of=when)
        except ProfileError:
            return Profile(as_of=when)
