"""action_explain_why: “为什么问这个” — the condition that needs the fact being asked, and its clause."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.render import clause_vars
from actions.slots import CONFIRM_WORK_MONTHS, path_of, profile_from_slots
from eligibility import assess, evaluate, question


def condition_for(profile, programs: list[str], path: str):
    """(result, reason) of the first condition whose facts include `path`."""
    results = evaluate(profile, programs=programs)
    for assessment, result in zip(assess(profile, programs), results, strict=True):
        keys = [c.key for c in assessment.conditions_on(path)]
        for reason in result.reasons:
            if reason.condition in keys:
                return result, reason
    return (results[0] if results else None), None


class ActionExplainWhy(Action):
    def name(self) -> str:
        return "action_explain_why"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        requested = tracker.get_slot("requested_slot")
        programs = tracker.get_slot("programs") or []
        active = (tracker.active_loop or {}).get("name")
        if not requested or not programs or not active:
            dispatcher.utter_message(response="utter_why_nothing_asked")
            return []
        path = "employee_medical_months" if requested == CONFIRM_WORK_MONTHS else path_of(requested)
        result, reason = condition_for(profile_from_slots(tracker.slots), programs, path)
        if result is None or reason is None:
            dispatcher.utter_message(response="utter_why_nothing_asked")
            return []
        variables = clause_vars(reason.clause_id)
        variables.update(program_title=result.title, condition=reason.label,
                         why=question(path).get("why", "") if path else "")
        dispatcher.utter_message(response="utter_why", **variables)
        return []
