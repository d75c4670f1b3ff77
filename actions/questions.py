"""Several questions in one message (孩子能交医保吗，还有能上学吗): the NLU gives the message its first topic as
intent and the others as ``also_asked`` (bot/nlu/question_parts.py); they wait in slot ``pending_questions``
and are answered one after the other, each introduced with the worker's own words for it:

- when a message with several questions comes, the worker is told how many will be answered (``announce``);
- after a verdict or a quoted clause, the next waiting question is taken (``answer_next``): a guidance
  topic is quoted there and then, a programme topic sets its topic and runs the eligibility form (its open
  questions, then the verdict, after which the next one is taken).

A new topic question, and an item chosen from a list, replace what was waiting; 算了 / 不用了 (intent stop,
action_stop) drops it.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

PENDING = "pending_questions"
ALSO_ASKED = "also_asked"   # bot.nlu.question_parts.ALSO_ASKED (actions do not import the NLU)


def asked_in_message(tracker: Tracker) -> list[dict]:
    """The other questions of the latest message: [{"intent", "text"}], in the order asked."""
    others = (tracker.latest_message or {}).get(ALSO_ASKED) or []
    return [q for q in others if isinstance(q, dict) and q.get("intent") and isinstance(q.get("text"), str)]


def announce(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """A new topic question: say how many questions it holds, and keep the others waiting (or none)."""
    others = asked_in_message(tracker)
    if others:
        dispatcher.utter_message(response="utter_several_questions", count=len(others) + 1)
    return [SlotSet(PENDING, others)]


def answer_next(dispatcher: CollectingDispatcher, tracker: Tracker, events: list) -> list:
    """After an answer: the next waiting question (``events``: what the answer set, applied first)."""
    from actions.eligibility import topic_events
    from actions.policy_search import answer_guidance
    from actions.topics import guidance_topics

    _apply(tracker, events)
    pending = list(tracker.get_slot(PENDING) or [])
    while pending:
        question, pending = pending[0], pending[1:]
        dispatcher.utter_message(response="utter_next_question", question=question["text"])
        if question["intent"] in guidance_topics():
            answered = answer_guidance(dispatcher, tracker, question["text"], question["intent"])
            _apply(tracker, answered)
            events = events + answered
            continue
        return events + [SlotSet(PENDING, pending)] + topic_events(question["intent"], question["text"], tracker) \
            + [FollowupAction("eligibility_form")]
    return events + [SlotSet(PENDING, [])] if tracker.get_slot(PENDING) else events


def _apply(tracker: Tracker, events: list) -> None:
    """What ``events`` set, seen by the next answer in the same action (answered_clauses grows, not resets)."""
    for event in events:
        if isinstance(event, dict) and event.get("event") == "slot":
            tracker.slots[event["name"]] = event.get("value")


class ActionStop(Action):
    """算了 / 不用了: nothing more is asked or answered unasked — the waiting questions go too (the facts stay)."""

    def name(self) -> str:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(response="utter_stop_ok")
        return [SlotSet(PENDING, None)] if tracker.get_slot(PENDING) else []
