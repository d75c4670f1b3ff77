"""validate_eligibility_form: ask only what can still change the answer.

The slots to ask come from `eligibility.next_questions` for the programs of the current topic. Facts are
already in the slots (action_extract_facts runs after every message); this action checks the value of
the slot being asked, re-asks with an example when nothing could be read, records “不知道”, and lets
digressions (为什么问这个, another topic, 转人工) go to the rules by rejecting the turn.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import parsing
from actions.handoff import handoff_events
from actions.policy_search import best_clause
from actions.slots import (
    CONFIRM_WORK_MONTHS,
    FORM_NAME,
    PATH_OF_SLOT,
    VAGUE_ASKED,
    VAGUE_FIELDS,
    WORK_MONTHS,
    as_of,
    profile_from_slots,
    slot_name,
)
from actions.topics import is_guidance_topic, is_program_topic, months_slots, programs_for, topic_of_clause
from eligibility import evaluate, next_questions
from eligibility.engine import traces

REQUESTED_SLOT = "requested_slot"
# Intents that are not an answer to the question: the rules answer them, then the form resumes.
DIGRESSIONS = {"why_ask", "ask_human", "restart", "goodbye", "bot_challenge", "greet"}
BOOLEAN_SLOTS = {
    CONFIRM_WORK_MONTHS, "children_residence_permit", "works_in_ningbo", "owns_home_in_ningbo", "frontline",
    "student_in_ningbo_vocational_school", "student_from_partner_region", "employer_shortage_high_skill_staff",
}
HUKOU_SLOTS = {"hukou", "children_hukou"}  # 是宁波户口吗？ yes → ningbo, no → other
# A statement of facts that ends in a question (“我医保交了18个月，孩子4岁……能在宁波交医保吗”) may be read
# as inform with the topic a close second: take that topic when it has at least this confidence.
RUNNER_UP_TOPIC_MIN = 0.2
PASSED_OVER = "passed_over"  # {slot: how often the worker answered something else when it was asked}
TIMES_A_QUESTION_MAY_BE_PASSED_OVER = 2
MAX_FAILED_ANSWERS = 3  # unreadable answers in a row before the hotline takes over
ACTIONS_THAT_ARE_PART_OF_THE_TURN = {"action_listen", "action_extract_slots", FORM_NAME}


def _intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def answers_a_question(tracker: Tracker) -> bool:
    """True when the form runs right after the user spoke (not at activation or when resuming)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in ACTIONS_THAT_ARE_PART_OF_THE_TURN:
            return False
    return False


def stated_months(tracker: Tracker) -> int | None:
    """How long the worker said they worked here, or else paid 社保 here: taken as the 职工医保 months
    once they confirm (utter_ask_confirm_work_months words the question for either). A vague figure
    (“快一年” is kept as at least 6) is not read back as the worker's own: the months are asked instead."""
    vague = set(tracker.get_slot(VAGUE_FIELDS) or [])
    for slot in (WORK_MONTHS, "social_insurance_months"):
        months = tracker.get_slot(slot)
        if months is not None and slot not in vague:
            return months
    return None


MAX_MONTHS = 600  # the longest figure the months validators accept


def vague_to_ask(tracker: Tracker) -> list[str]:
    """Slots holding only a lower bound (“快一年”, “两年多”) whose exact figure could change the answer:
    the lower bound does not already make every program eligible. Each is asked once."""
    programs = tracker.get_slot("programs") or []
    asked = set(tracker.get_slot(VAGUE_ASKED) or [])
    vague = [s for s in tracker.get_slot(VAGUE_FIELDS) or [] if s not in asked and tracker.get_slot(s) is not None]
    if not programs or not vague:
        return []
    profile = profile_from_slots(tracker.slots)
    if all(r.outcome == "eligible" for r in evaluate(profile, programs=programs)):
        return []
    # a months figure is a lower bound: if the longest plausible figure gives the same checks, the exact one
    # cannot change the answer (社保一直交着, at least 1 month, is 按规定缴纳社会保险 for 入学)
    def checks(slots: dict) -> list:
        return [(pid, [c.status for c in t.checks]) for pid, t in
                traces(profile_from_slots(slots), programs, as_of())]

    now = checks(tracker.slots)
    vague = [s for s in vague if s not in months_slots() or checks({**tracker.slots, s: MAX_MONTHS}) != now]
    if not vague:
        return []
    without = profile_from_slots({**tracker.slots, **{s: None for s in vague}})
    return [slot_name(p) for p in next_questions(without, programs) if slot_name(p) in vague]


def questions(tracker: Tracker, vague: list[str] | None = None) -> list[str]:
    """Slots still worth asking, in order, vague figures first (``vague``: vague_to_ask, if already known);
    a known work duration is confirmed instead of asking months."""
    programs = tracker.get_slot("programs") or []
    if not programs:
        return []
    profile = profile_from_slots(tracker.slots)
    unknown = set(tracker.get_slot("unknown_fields") or [])
    slots = list(vague_to_ask(tracker) if vague is None else vague)
    for path in next_questions(profile, programs):
        slot = slot_name(path)
        if slot == "employee_medical_months" and stated_months(tracker) is not None \
                and tracker.get_slot(CONFIRM_WORK_MONTHS) is None:
            slot = CONFIRM_WORK_MONTHS
        if slot not in unknown and slot not in slots:
            slots.append(slot)
    return slots


def facts_set_this_turn(tracker: Tracker) -> dict[str, Any]:
    """Fact slots that action_extract_facts set from the last message. Rasa hands the form only the
    requested slot as a candidate; “家里是建档立卡的” asked 在宁波读书吗 still gave a fact, not nothing."""
    facts: dict[str, Any] = {}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        name = event.get("name")
        if event.get("event") == "slot" and (name in PATH_OF_SLOT or name in (WORK_MONTHS, CONFIRM_WORK_MONTHS)):
            facts.setdefault(name, event.get("value"))
    return facts


def topic_from_question(tracker: Tracker) -> list:
    """With no topic yet, facts + a question read as inform take the program topic ranked next, if close."""
    message = tracker.latest_message or {}
    if tracker.get_slot("programs") or _intent(tracker) != "inform" or \
            not parsing.looks_like_question(message.get("text") or ""):
        return []
    for ranked in message.get("intent_ranking") or []:
        name, confidence = ranked.get("name"), ranked.get("confidence") or 0.0
        if is_program_topic(name) and confidence >= RUNNER_UP_TOPIC_MIN:
            return [SlotSet("topic", name), SlotSet("programs", programs_for(name))]
    # otherwise the clause retrieval is confident about, when an eligibility program rests on it
    topic = topic_of_clause(best_clause(message.get("text") or "", None))
    if topic:
        return [SlotSet("topic", topic), SlotSet("programs", programs_for(topic))]
    return []


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return questions(tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested or not answers_a_question(tracker):
            return await self._next(dispatcher, tracker, domain, topic_from_question(tracker))

        intent = _intent(tracker)
        changed = {**facts_set_this_turn(tracker), **tracker.slots_to_validate()}
        if intent in DIGRESSIONS or is_guidance_topic(intent) or (
            is_program_topic(intent) and programs_for(intent) != (tracker.get_slot("programs") or [])
        ):
            return [ActionExecutionRejected(FORM_NAME)]

        if intent == "dont_know" and requested not in changed:
            unknown = list(tracker.get_slot("unknown_fields") or [])
            unknown.append(requested)
            dispatcher.utter_message(response=self._response(domain, "where", requested))
            return await self._next(dispatcher, tracker, domain, [SlotSet("unknown_fields", unknown)])

        # a bare yes/no answers the question asked, unless this turn set another yes/no fact: “有居住证” to
        # 单位一直给您交职工医保吗 says nothing about the 职工医保 (the parser follows the same rule)
        other_yes_no = any(slot != requested and slot in BOOLEAN_SLOTS | HUKOU_SLOTS and value is not None
                           for slot, value in changed.items())
        if requested not in changed and not other_yes_no:
            value = self._yes_no_answer(requested, intent, tracker)
            if value is not None:
                changed = {**changed, requested: value}

        events: list[Any] = []
        for slot, value in changed.items():
            validate = getattr(self, f"validate_{slot}", None)
            result = validate(value, dispatcher, tracker, domain) if validate else {slot: value}
            events += [SlotSet(k, v) for k, v in result.items()]
        filled = {e["name"]: e["value"] for e in events}
        if filled.get(requested) is not None or any(v is not None for k, v in filled.items() if k != requested):
            events.append(SlotSet("fallback_count", 0))
            if filled.get(requested) is None:
                events += self._passed_over(dispatcher, tracker, requested)
            return await self._next(dispatcher, tracker, domain, events)

        # Nothing readable: re-ask with an example, or hand over after repeated failures.
        failures = int(tracker.get_slot("fallback_count") or 0) + 1
        if failures >= MAX_FAILED_ANSWERS:
            dispatcher.utter_message(response="utter_handoff_after_failures")
            return [SlotSet("fallback_count", 0), SlotSet(REQUESTED_SLOT, None)] + handoff_events(
                dispatcher, tracker, reason="repeated_failure")
        dispatcher.utter_message(response=self._response(domain, "reask", requested), **tracker.slots)
        return events + [SlotSet("fallback_count", failures), SlotSet(REQUESTED_SLOT, requested)]

    async def _next(self, dispatcher, tracker, domain, events: list) -> list:
        for event in events:
            if event.get("event") == "slot":
                tracker.slots[event["name"]] = event["value"]
        vague = vague_to_ask(tracker)
        remaining = [s for s in questions(tracker, vague) if tracker.get_slot(s) is None or s in vague]
        if remaining and remaining[0] in vague:
            # “快一年” was 6 months at least; ask once for the exact figure
            dispatcher.utter_message(response="utter_exact_figure")
            events.append(SlotSet(VAGUE_ASKED, list(tracker.get_slot(VAGUE_ASKED) or []) + [remaining[0]]))
        return events + [SlotSet(REQUESTED_SLOT, remaining[0] if remaining else None)]

    @staticmethod
    def _passed_over(dispatcher: CollectingDispatcher, tracker: Tracker, requested: str) -> list:
        """Other facts but not the one asked: ask once more; the second time, leave it unknown and go on
        (the verdict says what is still missing) instead of asking the same question again and again."""
        passed = dict(tracker.get_slot(PASSED_OVER) or {})
        passed[requested] = passed.get(requested, 0) + 1
        events = [SlotSet(PASSED_OVER, passed)]
        if passed[requested] >= TIMES_A_QUESTION_MAY_BE_PASSED_OVER:
            dispatcher.utter_message(response="utter_question_passed_over")
            events.append(SlotSet("unknown_fields", list(tracker.get_slot("unknown_fields") or []) + [requested]))
        return events

    @staticmethod
    def _response(domain: dict, kind: str, slot: str) -> str:
        name = f"utter_{kind}_{slot}"
        return name if name in (domain.get("responses") or {}) else f"utter_{kind}_generic"

    @staticmethod
    def _yes_no_answer(slot: str, intent: str | None, tracker: Tracker) -> Any:
        if slot not in BOOLEAN_SLOTS | HUKOU_SLOTS:
            return None
        # the words first (没错 and 没毛病 are yes whatever the classifier says), then the intent (buttons)
        answer = parsing.parse_yes_no((tracker.latest_message or {}).get("text") or "")
        if answer is None:
            answer = {"affirm": True, "deny": False}.get(intent or "")
        if answer is None:
            return None
        if slot in HUKOU_SLOTS:
            return "ningbo" if answer else "other"
        return answer

    # ---------------------------------------------------------------- one validate_<slot> per slot
    def validate_confirm_work_months(self, value, dispatcher, tracker, domain) -> dict:
        if value is True:
            months = stated_months(tracker)
            return {CONFIRM_WORK_MONTHS: True, "employee_medical_months": months,
                    "last_months_slot": "employee_medical_months"}
        if value is False:
            # not all that time: ask the contribution months themselves
            return {CONFIRM_WORK_MONTHS: False}
        return {CONFIRM_WORK_MONTHS: None}

    def _months(self, slot, value) -> dict:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_MONTHS
        return {slot: int(value) if ok else None}

    def validate_employee_medical_months(self, value, dispatcher, tracker, domain) -> dict:
        return self._months("employee_medical_months", value)

    def validate_spouse_employee_medical_months(self, value, dispatcher, tracker, domain) -> dict:
        return self._months("spouse_employee_medical_months", value)

    def validate_social_insurance_months(self, value, dispatcher, tracker, domain) -> dict:
        return self._months("social_insurance_months", value)

    def validate_children_age(self, value, dispatcher, tracker, domain) -> dict:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 30
        return {"children_age": value if ok else None}

    def validate_occupation_years_in_ningbo(self, value, dispatcher, tracker, domain) -> dict:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 60
        return {"occupation_years_in_ningbo": value if ok else None}

    def validate_employer_high_skill_growth_pct(self, value, dispatcher, tracker, domain) -> dict:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return {"employer_high_skill_growth_pct": value if ok else None}

    def _boolean(self, slot, value) -> dict:
        return {slot: value if isinstance(value, bool) else None}

    def validate_children_residence_permit(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("children_residence_permit", value)

    def validate_works_in_ningbo(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("works_in_ningbo", value)

    def validate_owns_home_in_ningbo(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("owns_home_in_ningbo", value)

    def validate_frontline(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("frontline", value)

    def validate_student_in_ningbo_vocational_school(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("student_in_ningbo_vocational_school", value)

    def validate_student_from_partner_region(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("student_from_partner_region", value)

    def validate_employer_shortage_high_skill_staff(self, value, dispatcher, tracker, domain) -> dict:
        return self._boolean("employer_shortage_high_skill_staff", value)

    def _choice(self, slot, value, choices) -> dict:
        return {slot: value if value in choices else None}

    def validate_hukou(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("hukou", value, ("ningbo", "other"))

    def validate_children_hukou(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("children_hukou", value, ("ningbo", "other"))

    def validate_occupation(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("occupation", value, ("sanitation", "public_transport", "other_public_service", "other"))

    def validate_skill_level(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("skill_level", value,
                            ("none", "junior", "intermediate", "senior", "technician", "senior_technician"))

    def validate_professional_title(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("professional_title", value, ("none", "assistant_engineer", "engineer", "senior_engineer"))

    def validate_technical_school_class(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("technical_school_class", value, ("none", "intermediate", "senior", "preparatory_technician"))

    def validate_student_family_hardship(self, value, dispatcher, tracker, domain) -> dict:
        return self._choice("student_family_hardship", value, ("dibao", "former_registered_poor", "none"))
