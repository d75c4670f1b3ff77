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

import facts
from actions import parsing
from actions.policy_search import best_clause
from actions.slots import (
    CONFIRM_WORK_MONTHS,
    FORM_NAME,
    MONTHS_SCHEME,
    MONTHS_SLOT_OF_SCHEME,
    PATH_OF_SLOT,
    ROUND_YEAR,
    TOPIC_QUESTION,
    UNCLEAR_MONTHS,
    VAGUE_ASKED,
    VAGUE_FIELDS,
    WORK_MONTHS,
    YES_NO_SLOTS,
    as_of,
    fact_of_slot,
    profile_from_slots,
    slot_name,
)
from actions.topics import (
    OVERVIEW,
    is_award_list,
    is_guidance_topic,
    is_program_topic,
    months_slots,
    programs_for_message,
    round_year,
    topic_of_clause,
    worker_programmes,
)
from eligibility import Profile, assess, next_questions
from eligibility.texts import facts_text

REQUESTED_SLOT = "requested_slot"
# Intents that are not an answer to the question: the rules answer them, then the form resumes.
DIGRESSIONS = {"why_ask", "ask_human", "restart", "goodbye", "bot_challenge", "greet", "stop", "ask_document",
               "ask_procedure", OVERVIEW}
OVERVIEW_QUESTIONS = 3  # the overview asks at most this many questions in all (the most decisive first)
# A statement of facts that ends in a question (“我医保交了18个月，孩子4岁……能在宁波交医保吗”) may be read
# as inform with the topic a close second: take that topic when it has at least this confidence.
RUNNER_UP_TOPIC_MIN = 0.2
PASSED_OVER = "passed_over"  # {slot: how often the worker answered something else when it was asked}
TIMES_A_QUESTION_MAY_BE_PASSED_OVER = 2
MAX_FAILED_ANSWERS = 3  # unreadable answers in a row before the hotline is offered
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


def _statuses(assessments) -> list:
    return [(a.program, a.subject, [c.status for c in a.checks]) for a in assessments]


def vague_to_ask(tracker: Tracker, profile: Profile | None = None) -> list[str]:
    """Slots holding only a lower bound (“快一年”, “两年多”) whose exact figure could change the answer:
    the lower bound does not already make every program eligible. Each is asked once. ``profile``: the
    Profile of the current slots, if the caller has built it already."""
    programs = tracker.get_slot("programs") or []
    asked = set(tracker.get_slot(VAGUE_ASKED) or [])
    vague = [s for s in tracker.get_slot(VAGUE_FIELDS) or [] if s not in asked and tracker.get_slot(s) is not None]
    if not programs or not vague:
        return []
    profile = profile or profile_from_slots(tracker.slots)
    now = assess(profile, programs)
    if all(a.outcome == "eligible" for a in now):
        return []
    # a months figure is a lower bound: if the longest plausible figure gives the same checks, the exact one
    # cannot change the answer (社保一直交着, at least 1 month, is 按规定缴纳社会保险 for 入学)
    def longest(slot: str) -> list:
        top = fact_of_slot(slot).maximum  # months facts always have one (facts.yaml: 0..600 by default)
        return _statuses(assess(profile_from_slots({**tracker.slots, slot: top}), programs))

    # (work_months is no Profile fact: its figure alone changes no check)
    vague = [s for s in vague if s not in months_slots()
             or (fact_of_slot(s) is not None and longest(s) != _statuses(now))]
    if not vague:
        return []
    without = profile_from_slots({**tracker.slots, **{s: None for s in vague}})
    return [slot_name(p) for p in next_questions(without, programs) if slot_name(p) in vague]


def questions(tracker: Tracker, vague: list[str] | None = None, profile: Profile | None = None) -> list[str]:
    """Slots still worth asking, in order, vague figures first (``vague``: vague_to_ask, if already known);
    a known work duration is confirmed instead of asking months."""
    programs = tracker.get_slot("programs") or []
    if not programs or is_award_list(tracker.get_slot("topic"), programs):
        return []   # the list of an enterprise's awards asks nothing: the enterprise says which one it means
    profile = profile or profile_from_slots(tracker.slots)
    unknown = set(tracker.get_slot("unknown_fields") or [])
    slots = list(vague_to_ask(tracker, profile) if vague is None else vague)
    wanted = next_questions(profile, programs)
    if tracker.get_slot(UNCLEAR_MONTHS) is not None and tracker.get_slot(MONTHS_SCHEME) is None and any(
            slot_name(p) in MONTHS_SLOT_OF_SCHEME.values() for p in wanted):
        slots.append(MONTHS_SCHEME)  # 交了十个月 while a months figure is wanted: which scheme, before guessing
    for path in wanted:
        slot = slot_name(path)
        if slot == "employee_medical_months" and stated_months(tracker) is not None \
                and tracker.get_slot(CONFIRM_WORK_MONTHS) is None:
            slot = CONFIRM_WORK_MONTHS
        if slot not in unknown and slot not in slots:
            slots.append(slot)
    if tracker.get_slot("topic") == OVERVIEW:
        slots = overview_cap(tracker, slots)
    return slots


def overview_cap(tracker: Tracker, slots: list[str]) -> list[str]:
    """The overview asks OVERVIEW_QUESTIONS questions in all since it was asked: the ones already asked (an
    answer may still be due) and as many new ones as are left, in order."""
    asked: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_set_topic":
            break
        if event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT and event.get("value") \
                and event["value"] not in asked:
            asked.append(event["value"])
    left = max(0, OVERVIEW_QUESTIONS - len(asked))
    new = [s for s in slots if s not in asked][:left]
    return [s for s in slots if s in asked or s in new]


def facts_set_this_turn(tracker: Tracker) -> dict[str, Any]:
    """Fact slots that action_extract_facts set from the last message. Rasa hands the form only the
    requested slot as a candidate; “家里是建档立卡的” asked 在宁波读书吗 still gave a fact, not nothing."""
    facts: dict[str, Any] = {}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        name = event.get("name")
        if event.get("event") == "slot" and (name in PATH_OF_SLOT or name in (WORK_MONTHS, CONFIRM_WORK_MONTHS,
                                                                               UNCLEAR_MONTHS)):
            facts.setdefault(name, event.get("value"))
    return facts


def topic_of_message(message: dict) -> str | None:
    """The topic a parsed message gets in the dialogue: its intent when that is a topic; for facts + a
    question read as inform, the program topic ranked next if close, else the program topic of the clause
    retrieval is confident about (tests/nlu/compound.py scores this on facts-plus-question messages)."""
    intent = ((message or {}).get("intent") or {}).get("name")
    if is_program_topic(intent) or is_guidance_topic(intent) or intent == OVERVIEW:
        return intent
    text = message.get("text") or ""
    if intent != "inform" or not parsing.looks_like_question(text):
        return None
    for ranked in message.get("intent_ranking") or []:
        name, confidence = ranked.get("name"), ranked.get("confidence") or 0.0
        if (is_program_topic(name) or name == OVERVIEW) and confidence >= RUNNER_UP_TOPIC_MIN:
            return name
    return topic_of_clause(best_clause(text, None))


def topic_from_question(tracker: Tracker) -> list:
    """With no topic yet, facts + a question read as inform take the topic of topic_of_message."""
    if tracker.get_slot("programs") or _intent(tracker) != "inform":
        return []
    topic = topic_of_message(tracker.latest_message or {})
    if topic == OVERVIEW:  # 我河南户口…孩子4岁，有哪些政策我能享受: the overview, with the facts given
        return [SlotSet("topic", topic), SlotSet("programs", worker_programmes())]
    if topic and is_program_topic(topic):
        text = (tracker.latest_message or {}).get("text") or ""
        return [SlotSet("topic", topic), SlotSet("programs", programs_for_message(topic, text, tracker.slots)),
                SlotSet(ROUND_YEAR, round_year(topic, text)), SlotSet(TOPIC_QUESTION, text or None)]
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
        if requested == MONTHS_SCHEME and intent not in DIGRESSIONS:
            # before the topic check: “职工医保” names a scheme here, not a new topic
            events, answered = self._which_scheme(dispatcher, tracker, domain, changed)
            if not answered:
                return events + [SlotSet(REQUESTED_SLOT, requested)]
            return await self._next(dispatcher, tracker, domain, events)
        # a subject neither document covers (工伤, 公积金 …) is answered with the referral, then the question comes
        # again — unless the reply also gave facts (those are taken as an answer)
        off_topic = intent == "out_of_scope" and not facts_set_this_turn(tracker)
        text = (tracker.latest_message or {}).get("text") or ""
        if intent in DIGRESSIONS or off_topic or is_guidance_topic(intent) or (
            is_program_topic(intent)
            and programs_for_message(intent, text, tracker.slots) != (tracker.get_slot("programs") or [])
        ):
            return [ActionExecutionRejected(FORM_NAME)]

        if intent == "dont_know" and requested not in changed:
            unknown = list(tracker.get_slot("unknown_fields") or [])
            unknown.append(requested)
            dispatcher.utter_message(response=self._response(domain, "where", requested))
            return await self._next(dispatcher, tracker, domain, [SlotSet("unknown_fields", unknown)])

        # a bare yes/no answers the question asked, unless this turn set another yes/no fact: “有居住证” to
        # 单位一直给您交职工医保吗 says nothing about the 职工医保 (the parser follows the same rule)
        other_yes_no = any(slot != requested and slot in YES_NO_SLOTS and value is not None
                           for slot, value in changed.items())
        if requested not in changed and not other_yes_no:
            value = self._yes_no_answer(requested, intent, tracker)
            if value is not None:
                changed = {**changed, requested: value}

        events: list[Any] = []
        for slot, value in changed.items():
            events += [SlotSet(k, v) for k, v in self._validate(slot, value, tracker).items()]
        filled = {e["name"]: e["value"] for e in events}
        if filled.get(requested) is not None or any(v is not None for k, v in filled.items() if k != requested):
            events.append(SlotSet("fallback_count", 0))
            if filled.get(requested) is None:
                self._read_back(dispatcher, tracker, filled)
                events += self._passed_over(dispatcher, tracker, requested)
            return await self._next(dispatcher, tracker, domain, events)

        # Nothing readable: re-ask with an example; after repeated failures also offer the hotline (the worker
        # chooses: 转人工 hands over, anything else goes on with the question).
        failures = int(tracker.get_slot("fallback_count") or 0) + 1
        if failures >= MAX_FAILED_ANSWERS:
            dispatcher.utter_message(response="utter_offer_handoff_after_failures")
            failures = 0
        dispatcher.utter_message(response=self._response(domain, "reask", requested), **tracker.slots)
        return events + [SlotSet("fallback_count", failures), SlotSet(REQUESTED_SLOT, requested)]

    async def _next(self, dispatcher, tracker, domain, events: list) -> list:
        for event in events:
            if event.get("event") == "slot":
                tracker.slots[event["name"]] = event["value"]
        profile = profile_from_slots(tracker.slots)  # once per run: every question below reasons on it
        vague = vague_to_ask(tracker, profile)
        remaining = [s for s in questions(tracker, vague, profile) if tracker.get_slot(s) is None or s in vague]
        if remaining and remaining[0] in vague:
            # “快一年” was 6 months at least; ask once for the exact figure
            dispatcher.utter_message(response="utter_exact_figure")
            events.append(SlotSet(VAGUE_ASKED, list(tracker.get_slot(VAGUE_ASKED) or []) + [remaining[0]]))
        return events + [SlotSet(REQUESTED_SLOT, remaining[0] if remaining else None)]

    @staticmethod
    def _read_back(dispatcher: CollectingDispatcher, tracker: Tracker, filled: dict) -> None:
        """Other facts but not the one asked: say what was understood before the question comes again, so a
        misreading shows at once (“好的，记下了：孩子周岁：4；在宁波有住房：否。”)."""
        vague = set(tracker.get_slot(VAGUE_FIELDS) or [])
        read = {(WORK_MONTHS if slot == WORK_MONTHS else PATH_OF_SLOT[slot]): value for slot, value in filled.items()
                if value is not None and (slot in PATH_OF_SLOT or slot == WORK_MONTHS)}
        if read:
            shown_vague = {PATH_OF_SLOT.get(s, s) for s in vague}
            dispatcher.utter_message(response="utter_understood", understood=facts_text(read, shown_vague))

    def _which_scheme(self, dispatcher, tracker: Tracker, domain: dict, changed: dict) -> tuple[list, bool]:
        """The answer to “您说的十个月是社保还是职工医保？”: the figure goes to the scheme named (a button or
        words); 城乡居民医保 and the like count toward none of the months asked; 不知道 leaves the months to be
        asked as usual; anything else is asked once more, then left."""
        months = tracker.get_slot(UNCLEAR_MONTHS)
        text = (tracker.latest_message or {}).get("text") or ""
        scheme = facts.scheme_of(text)
        events: list[Any] = [SlotSet(k, v) for slot, value in changed.items() if slot != UNCLEAR_MONTHS
                             for k, v in self._validate(slot, value, tracker).items()]
        if set(changed) & set(MONTHS_SLOT_OF_SCHEME.values()):
            scheme = scheme or "stated"   # “医保交了10个月”: the reply gives the figure with its scheme
        elif scheme in MONTHS_SLOT_OF_SCHEME and months is not None:
            slot = MONTHS_SLOT_OF_SCHEME[scheme]
            events += [SlotSet(slot, months), SlotSet("last_months_slot", slot)]
        elif scheme is None and _intent(tracker) != "dont_know":
            failures = int(tracker.get_slot("fallback_count") or 0) + 1
            if failures < TIMES_A_QUESTION_MAY_BE_PASSED_OVER:
                dispatcher.utter_message(response=self._response(domain, "reask", MONTHS_SCHEME), **tracker.slots)
                return events + [SlotSet("fallback_count", failures)], False
        return events + [SlotSet(MONTHS_SCHEME, scheme or "unknown"), SlotSet(UNCLEAR_MONTHS, None),
                         SlotSet("fallback_count", 0)], True

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
        """What a bare yes/no means for the slot asked (是宁波户口吗？ 是 → ningbo), from the fact schema."""
        if slot not in YES_NO_SLOTS:
            return None
        # the words first, read against the question by the fact reader (没错 is yes whatever the classifier
        # says; 交了十个月 answers no yes/no question), then the intent for a button or a bare word it does not know
        text = (tracker.latest_message or {}).get("text") or ""
        fact = fact_of_slot(slot)
        if not text.startswith("/") and fact is not None:
            reading = facts.read(text, PATH_OF_SLOT[slot], as_of())
            if fact.path in reading.facts:
                return reading.facts[fact.path]
            if reading.facts or reading.vague or reading.noted or reading.acknowledgement:
                return None   # it says something else, or only 好的/谢谢: not an answer to this question
        answer = {"affirm": True, "deny": False}.get(intent or "")
        if answer is None:
            return None
        return fact.answer(answer) if fact is not None else answer

    # ---------------------------------------------------------------- validation: one check per fact kind
    def _validate(self, slot: str, value: Any, tracker: Tracker) -> dict:
        """A fact slot's value as the fact schema accepts it (None: asked again); the dialogue's own slots
        as they are, but the work-duration confirmation."""
        if slot == CONFIRM_WORK_MONTHS:
            return self._confirm_work_months(value, tracker)
        fact = fact_of_slot(slot)
        return {slot: fact.valid(value) if fact is not None else value}

    @staticmethod
    def _confirm_work_months(value: Any, tracker: Tracker) -> dict:
        if value is True:
            months = stated_months(tracker)
            return {CONFIRM_WORK_MONTHS: True, "employee_medical_months": months,
                    "last_months_slot": "employee_medical_months"}
        if value is False:
            # not all that time: ask the contribution months themselves
            return {CONFIRM_WORK_MONTHS: False}
        return {CONFIRM_WORK_MONTHS: None}
