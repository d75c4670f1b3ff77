"""action_set_topic and action_check_eligibility: the topic's programs, then the verdict with its clause."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import facts
from actions.overview import LISTED
from actions.parsing import looks_like_question
from actions.people import PERSON, answer_for_person, for_children, person_label, switch_person
from actions.policy_search import asked_sentence, best_clause, quote_clause
from actions.questions import announce, answer_next
from actions.render import SEPARATOR, clause_vars, departments_text, is_draft, join_sentences
from actions.slots import ROUND_YEAR, TOPIC_QUESTION, profile_from_slots
from actions.topics import OVERVIEW, is_award_list, programs_for_message, round_year, worker_programmes
from eligibility import evaluate


class ActionSetTopic(Action):
    """Remember which programs the worker asks about (the form asks only for their open facts): the topic's,
    narrowed by the message (the award an enterprise names; 我们厂… for the enterprise's own award), and the
    year of the round asked about (2022年那一轮), if the topic's awards come in dated rounds."""

    def name(self) -> str:
        return "action_set_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        text = message.get("text") or ""
        person = facts.person_asked(text) if intent != OVERVIEW else None
        if for_children(intent) and person == "child":
            person = None   # 孩子也能交医保吗: the children's topic asked again, not another child for sure
        if person is not None and intent == tracker.get_slot("topic"):   # the same topic for someone else
            return answer_for_person(dispatcher, tracker, person)
        events = topic_events(intent, text, tracker)
        if person in ("spouse", "other_person") and not for_children(intent) \
                and person != (tracker.get_slot(PERSON) or "self"):   # 我老公也能参加免费培训吗
            dispatcher.utter_message(response="utter_person_switch", person=person_label(person))
            events = switch_person(tracker, person) + events
        return events + announce(dispatcher, tracker)


def topic_events(intent: str | None, text: str, tracker: Tracker) -> list:
    """The slots of a topic question: its programmes (narrowed by ``text``), the round year, the topic."""
    programs = worker_programmes() if intent == OVERVIEW else programs_for_message(intent, text, tracker.slots)
    year = round_year(intent, text)
    if year is None and tracker.get_slot("topic") == intent:
        year = tracker.get_slot(ROUND_YEAR)   # a follow-up in the same topic keeps the round asked about
    return [SlotSet("topic", intent), SlotSet("programs", programs), SlotSet(ROUND_YEAR, year),
            SlotSet(TOPIC_QUESTION, text or None), SlotSet("fallback_count", 0)]


def main_clause(result) -> str | None:
    """The clause the verdict rests on: the first failed condition, else the first unknown, else the first."""
    reasons = list(result.reasons)
    for status in ("failed", "unknown", "passed"):
        for reason in reasons:
            if reason.status == status and reason.clause_id:
                return reason.clause_id
    return None


def verdict_vars(result) -> dict:
    """Variables for utter_verdict_<outcome>; the wording comes from eligibility's templates."""
    clause_id = main_clause(result)
    variables = clause_vars(clause_id) if clause_id else {
        "clause_id": "", "doc_title": "", "doc_status": "", "status_note": "", "article": "", "quote": "", "departments": ""}
    explanations = [r.explanation for r in result.reasons if r.explanation and r.status != "passed"] or \
        [r.explanation for r in result.reasons if r.explanation]
    if result.outcome == "eligible":
        explanations = [r.explanation for r in result.reasons if r.explanation]
    if result.counterfactual:
        explanations.append(result.counterfactual)
    variables.update(
        program_title=result.title,
        reasons=join_sentences(explanations) or result.summary,
        missing=SEPARATOR.join(r.label for r in result.reasons if r.status == "unknown") or
        SEPARATOR.join(result.missing),
        next_steps=join_sentences(result.next_steps),
    )
    if result.departments:
        variables["departments"] = departments_text(result.departments)
    return variables


def shown_results(results) -> list:
    """Programs that apply to the worker; if none does, the first (to say why not)."""
    applicable = [r for r in results if r.outcome != "not_applicable"]
    return applicable or results[:1]


class ActionCheckEligibility(Action):
    def name(self) -> str:
        return "action_check_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        programs = tracker.get_slot("programs") or []
        if not programs:
            # Facts with a question and no topic (“女儿读技校，家里低保，有补贴吗”): quote the clause that
            # retrieval is confident about; otherwise ask which topic is meant.
            text = (tracker.latest_message or {}).get("text") or ""
            if looks_like_question(text):
                clause_id = best_clause(text, None)
                if clause_id:
                    return quote_clause(dispatcher, tracker, clause_id, None)
            dispatcher.utter_message(response="utter_ask_topic")
            return []
        profile = profile_from_slots(tracker.slots)
        if tracker.get_slot("topic") == OVERVIEW:
            from actions.overview import render_overview

            events = [SlotSet(LISTED, render_overview(dispatcher, profile)), SlotSet("fallback_count", 0)]
            return answer_next(dispatcher, tracker, events)
        if is_award_list(tracker.get_slot("topic"), programs):
            from actions.overview import render_award_list

            events = [SlotSet(LISTED, render_award_list(dispatcher, profile, programs)), SlotSet("fallback_count", 0)]
            return answer_next(dispatcher, tracker, events)
        results = evaluate(profile, programs=programs)
        outcomes = [o for o in (tracker.get_slot("outcomes") or []) if o.get("program") not in programs]
        drafts = set()
        shown = shown_results(results)
        if (tracker.get_slot(PERSON) or "self") != "self":
            dispatcher.utter_message(response="utter_verdict_for_person", person=person_label(tracker.get_slot(PERSON)))
        events = [SlotSet(LISTED, [r.program for r in shown])] if len(shown) > 1 else []
        # the sentence the topic question asks about, said after the first verdict (the one it is about)
        asked = asked_sentence(tracker.get_slot(TOPIC_QUESTION),
                               [r.clause_id for r in shown[0].reasons if r.clause_id], main_clause(shown[0]))
        for result in shown:
            variables = verdict_vars(result)
            dispatcher.utter_message(response=f"utter_verdict_{result.outcome}", **variables)
            if asked:
                dispatcher.utter_message(response="utter_asked_sentence", **clause_vars(asked))
                asked = None
            notes = [n.explanation for n in result.notes if n.explanation]
            if notes:   # what the text adds (原文没有写之后的统计时点, 就高不重复): said with the verdict
                dispatcher.utter_message(response="utter_verdict_notes", notes="".join(f"\n· {n}" for n in notes))
            if variables["clause_id"] and is_draft(variables["clause_id"]):
                drafts.add((variables["doc_title"], variables["doc_status"]))
            outcomes.append({"program": result.program, "title": result.title, "outcome": result.outcome,
                             "clauses": sorted({r.clause_id for r in result.reasons if r.clause_id})})
        for doc_title, doc_status in sorted(drafts):
            dispatcher.utter_message(response="utter_draft_notice", doc_title=doc_title, doc_status=doc_status)
        return answer_next(dispatcher, tracker, events + [SlotSet("outcomes", outcomes), SlotSet("fallback_count", 0)])
