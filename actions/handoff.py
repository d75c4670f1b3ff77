"""Hand-off to hotline staff and the clarifying fallback.

action_handoff leaves a summary for the staff console in the `handoff_summary` slot (facts collected,
verdicts given, clauses quoted), sets `handoff_active` and pauses the conversation: Rasa then records
the worker's messages but predicts nothing until staff release it through the HTTP API, with an admin
JWT (``python -m bot.auth token --role admin``, sent as ``Authorization: Bearer <jwt>``):

    POST /conversations/<sender_id>/tracker/events
    [{"event": "resume"}, {"event": "slot", "name": "handoff_active", "value": false},
     {"event": "action", "name": "action_listen"}]

(the `action_listen` closes the paused turn so the next message is read as a fresh turn).

(README, “转人工与释放”).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import CONFIRM_WORK_MONTHS, WORK_MONTHS, facts_from_slots

MAX_CLARIFICATIONS = 2  # clarifying questions in a row before the hand-off is offered (never done unasked)


def summary(tracker: Tracker, reason: str) -> dict:
    """What staff need to pick up the conversation without asking the worker again."""
    facts = facts_from_slots(tracker.slots)
    if tracker.get_slot(WORK_MONTHS) is not None:
        facts["work_months"] = tracker.get_slot(WORK_MONTHS)
        facts["work_months_confirmed_as_medical_months"] = tracker.get_slot(CONFIRM_WORK_MONTHS)
    outcomes = tracker.get_slot("outcomes") or []
    clauses = sorted({c for o in outcomes for c in o.get("clauses", [])} |
                     set(tracker.get_slot("answered_clauses") or []))
    user_messages = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    return {
        "reason": reason,
        "topic": tracker.get_slot("topic"),
        "programs": tracker.get_slot("programs") or [],
        "facts": facts,
        "unknown": tracker.get_slot("unknown_fields") or [],
        "outcomes": outcomes,
        "clauses": clauses,
        "last_user_messages": user_messages[-5:],
    }


def handoff_events(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list:
    dispatcher.utter_message(response="utter_handoff")
    return [
        SlotSet("handoff_summary", summary(tracker, reason)),
        SlotSet("handoff_active", True),
        SlotSet("fallback_count", 0),
        ActiveLoop(None),
        ConversationPaused(),
    ]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        return [SlotSet("requested_slot", None)] + handoff_events(dispatcher, tracker, reason="ask_human")


class ActionClarify(Action):
    """Low NLU confidence: ask which topic was meant (buttons); after repeated failures, offer the hotline
    (转人工 / 不用) — the worker decides, the conversation is not handed over unasked."""

    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        failures = int(tracker.get_slot("fallback_count") or 0) + 1
        if failures >= MAX_CLARIFICATIONS:
            dispatcher.utter_message(response="utter_offer_handoff_after_failures")
            return [SlotSet("fallback_count", 0)]
        dispatcher.utter_message(response="utter_ask_rephrase")
        return [SlotSet("fallback_count", failures)]
