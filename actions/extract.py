"""action_extract_facts: after every user message, read the facts in it into the slots.

It runs as the custom slot mapping of every fact slot (bot/domain/eligibility.yml), so facts are taken
whatever the topic and at any time: that is what makes “不对，是8个月” work mid-form and after a verdict.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import facts
from actions.slots import (
    CONFIRM_WORK_MONTHS,
    FORM_NAME,
    MONTHS_SCHEME,
    PATH_OF_SLOT,
    UNCLEAR_MONTHS,
    VAGUE_FIELDS,
    WORK_MONTHS,
    as_of,
    path_of,
    slot_name,
)
from actions.topics import months_slots


def requested_slot(tracker: Tracker) -> str | None:
    if (tracker.active_loop or {}).get("name") != FORM_NAME:
        return None
    return tracker.get_slot("requested_slot")


def read_facts(text: str, asked: str | None) -> dict[str, Any]:
    """facts.read in the dialogue's terms: Profile paths, a figure the reader could not attribute as
    ``work_months`` (facts_to_slots gives it to the months question asked or corrects the figure given last),
    and the lower bounds of vague figures under ``vague`` / ``vague_min``. ``paid_unclear``: that figure was
    paid into a scheme the message does not name (交了十个月), so it is not a work duration."""
    reading = facts.read(text, asked, as_of())
    out: dict[str, Any] = dict(reading.facts)
    if "unattributed_months" in reading.noted and not set(out) & (set(months_slots()) | {WORK_MONTHS}) \
            and not set(reading.vague) & set(months_slots()):
        out.setdefault(WORK_MONTHS, reading.noted["unattributed_months"])
        out["paid_unclear"] = {"employee_medical_months", "social_insurance_months"} <= set(reading.unclear)
    if reading.vague:
        out["vague"], out["vague_min"] = sorted(reading.vague), dict(reading.vague)
    return out


def facts_to_slots(facts: dict[str, Any], tracker: Tracker, requested: str | None) -> dict[str, Any]:
    """Parsed facts (Profile paths, plus work_months) → slot values, resolving bare durations."""
    values: dict[str, Any] = {}
    # “两年多”: the lower bound is a true statement (at least 24 months), enough for “满12个月” checks
    facts = {**(facts.get("vague_min") or {}), **facts}
    for path, value in facts.items():
        if value is None or path in ("vague", "vague_min", "paid_unclear"):
            continue
        slot = WORK_MONTHS if path == WORK_MONTHS else slot_name(path)
        if slot in PATH_OF_SLOT or slot == WORK_MONTHS:
            values[slot] = value
    if WORK_MONTHS in values:
        # A duration without 医保/社保 in it: the answer to a months question being asked, or a
        # correction of the months figure given last (“不对，是8个月”); otherwise how long they worked here.
        months = values[WORK_MONTHS]
        last = tracker.get_slot("last_months_slot")
        if requested in months_slots() and requested != WORK_MONTHS:
            values.pop(WORK_MONTHS)
            values.setdefault(requested, months)
        elif last and last != WORK_MONTHS and tracker.get_slot(last) is not None and not (
            set(values) & set(months_slots()) - {WORK_MONTHS}
        ):
            values[last] = months
            # “不对，是8个月” corrects a figure; its “不对” is not a no to the question being asked
            values.pop(requested, None)
            if not (last == "employee_medical_months" and tracker.get_slot(CONFIRM_WORK_MONTHS)):
                values.pop(WORK_MONTHS)
        elif facts.get("paid_unclear"):
            # 交了十个月: paid, but into which scheme? asked (MONTHS_SCHEME), never taken as a work duration
            values[UNCLEAR_MONTHS] = values.pop(WORK_MONTHS)
        elif tracker.get_slot(CONFIRM_WORK_MONTHS) is not None and tracker.get_slot(WORK_MONTHS) != months:
            values[CONFIRM_WORK_MONTHS] = None  # a new duration must be confirmed again
    return values


def vague_slots(facts: dict[str, Any], values: dict[str, Any]) -> set[str]:
    """Slots in ``values`` that hold only a lower bound (“快一年” → 6, “两年多” → 24)."""
    lower = facts.get("vague_min") or {}
    exact = {WORK_MONTHS if p == WORK_MONTHS else slot_name(p) for p in facts
             if p not in ("vague", "vague_min", "paid_unclear")}
    vague = set()
    for path, months in lower.items():
        slot = WORK_MONTHS if path == WORK_MONTHS else slot_name(path)
        if slot in values and slot not in exact:
            vague.add(slot)
        elif path == WORK_MONTHS:  # a bare vague duration that answered (or corrected) a months slot
            vague |= {s for s, v in values.items() if v == months and s in months_slots() and s not in exact}
    return vague


class ActionExtractFacts(Action):
    def name(self) -> str:
        return "action_extract_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        if not text or text.startswith("/"):
            return []  # a button payload carries an intent, not facts
        requested = requested_slot(tracker)
        facts = read_facts(text, path_of(requested))
        values = facts_to_slots(facts, tracker, requested)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == "dont_know":
            values.pop(requested, None)  # “不知道” is not a “不” to the question being asked
        vague = vague_slots(facts, values)
        if not values:
            return []
        events = [SlotSet(slot, value) for slot, value in values.items()]
        if UNCLEAR_MONTHS in values:
            events.append(SlotSet(MONTHS_SCHEME, None))  # a new figure of no named scheme: ask which again
        before = list(tracker.get_slot(VAGUE_FIELDS) or [])
        after = [s for s in before if s not in values or s in vague] + [s for s in sorted(vague) if s not in before]
        if after != before:
            events.append(SlotSet(VAGUE_FIELDS, after))
        months_given = [s for s in values if s in months_slots() and values[s] is not None]
        if months_given:
            events.append(SlotSet("last_months_slot", months_given[-1]))
        unknown = tracker.get_slot("unknown_fields") or []
        if set(unknown) & set(values):
            events.append(SlotSet("unknown_fields", [s for s in unknown if s not in values]))
        return events
