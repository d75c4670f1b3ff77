"""The same question for another person (intent ask_person: 那我老婆呢, 我儿子也可以吗, 那俺自己呢, 来电人问其配偶
能否一并申请; facts.followup.person_asked), answered for the topic in context (actions/topics.yml ``people``):

- a guidance topic: the clause does not depend on who asks; it is quoted again, for that person;
- a topic for the worker's children: another child is asked about afresh (its facts cleared); an adult is not
  what the clause covers, which is said with the department to ask;
- a topic for the worker: the answers become that person's — the worker's own facts are set aside (slot
  ``people``) and restored when the worker asks for themself again (那我自己呢), the household's stay, and the
  spouse's 职工医保 months become the principal's; the form asks what is missing, then the verdict says whose
  situation it is for.

A follow-up that names its topic again (俺自己也是技师 俺能评工程师不, 来电人询问其配偶是否可一并申请租赁补贴) is a
topic question to the NLU; action_set_topic gives it the same answer when the topic is the one in context, and
a worker's programme asked for another adult (我老公也能参加免费培训吗) becomes that adult's answers.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import facts
from actions.slots import PATH_OF_SLOT
from actions.topics import _topics, is_guidance_topic

PERSON, PEOPLE = "person", "people"   # whose answers the profile holds; the others' set aside


def _config() -> dict:
    return _topics()["people"]


def person_label(person: str | None) -> str:
    return _config()["labels"].get(person or "self", _config()["labels"]["self"])


def _household(path: str) -> bool:
    return any(path == h or path.startswith(h + ".") for h in _config()["household"])


def _personal_slots() -> list[str]:
    return [slot for slot, path in PATH_OF_SLOT.items() if not _household(path)] + list(_config()["bookkeeping"])


def _child_slots() -> list[str]:
    return [slot for slot, path in PATH_OF_SLOT.items() if path.startswith(("children.", "student."))]


def told_now(tracker: Tracker) -> dict:
    """The facts the latest message gives (already in the slots: extracted before the action): they are about
    the person it asks for (那我本人呢 我是技师), not the one whose answers are set aside."""
    from actions.extract import facts_to_slots, read_facts

    text = (tracker.latest_message or {}).get("text") or ""
    return {s: v for s, v in facts_to_slots(read_facts(text, None), tracker, None).items() if s in PATH_OF_SLOT}


def switch_person(tracker: Tracker, person: str) -> list:
    """The profile becomes ``person``'s: the current person's own answers set aside, ``person``'s restored
    (or none), the household's kept; the spouse's months become the principal's and the other way round; what
    the message itself says is the new person's."""
    current = tracker.get_slot(PERSON) or "self"
    slots = _personal_slots()
    told = told_now(tracker)
    aside = dict(tracker.get_slot(PEOPLE) or {})
    aside[current] = {s: tracker.get_slot(s) for s in slots if tracker.get_slot(s) is not None and s not in told}
    restored = {**aside.pop(person, {}), **{s: v for s, v in told.items() if s in slots}}
    if {current, person} == {"self", "spouse"}:
        for mine, theirs in _config()["swap"].items():
            restored.setdefault(mine, tracker.get_slot(theirs))
            restored.setdefault(theirs, tracker.get_slot(mine))
    return [SlotSet(s, restored.get(s)) for s in slots] + [SlotSet(PEOPLE, aside), SlotSet(PERSON, person)]


def answer_for_person(dispatcher: CollectingDispatcher, tracker: Tracker, person: str | None) -> list:
    """The topic in context for ``person`` (see the module docstring)."""
    topic = tracker.get_slot("topic")
    after = FollowupAction("eligibility_form" if tracker.active_loop.get("name") else "action_listen")
    label = person_label(person)
    if person is None or not topic or not (tracker.get_slot("programs") or is_guidance_topic(topic)):
        dispatcher.utter_message(response="utter_person_which_topic", person=label)
        return [after]
    if is_guidance_topic(topic):
        from actions.documents import context_clause
        from actions.policy_search import quote_clause

        clause = context_clause(tracker)
        dispatcher.utter_message(response="utter_person_same_clause", person=label)
        return (quote_clause(dispatcher, tracker, clause, topic) if clause else []) + [after]
    if topic in _config()["for_children"]:
        if person != "child":
            from actions.eligibility import main_clause
            from actions.render import clause_vars
            from eligibility import Profile, evaluate

            result = evaluate(Profile(), programs=tracker.get_slot("programs"))[0]
            clause = main_clause(result)
            dispatcher.utter_message(response="utter_person_not_covered", person=label,
                                     program_title=result.title, clause_id=clause or "",
                                     departments=clause_vars(clause)["departments"] if clause else "")
            return [after]
        dispatcher.utter_message(response="utter_person_another_child")
        told = told_now(tracker)   # 那俺小女儿呢 明年上一年级: what is said is about the new child
        return [SlotSet(s, told.get(s)) for s in _child_slots()] + [FollowupAction("eligibility_form")]
    if person == (tracker.get_slot(PERSON) or "self"):
        return [FollowupAction("eligibility_form")]
    dispatcher.utter_message(response="utter_person_switch", person=label)
    return switch_person(tracker, person) + [FollowupAction("eligibility_form")]


def for_children(topic: str | None) -> bool:
    return topic in _config()["for_children"]


class ActionAnswerPerson(Action):
    def name(self) -> str:
        return "action_answer_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        return answer_for_person(dispatcher, tracker, facts.person_asked(text))
