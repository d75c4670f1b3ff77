"""action_answer_policy: a general question answered with the best retrieved clause, verbatim.

First a subject neither document covers (工伤, 公积金 …: knowledge.referrals) gets the referral — who does
cover it — and no clause. A question naming an indicator of the Beilun targets table gets that indicator's
figures for the years asked (knowledge.targets, the table's cells verbatim). Guidance topics (欠薪, 劳动合同,
…) prefer the clauses listed for them in topics.yml; anything else is answered only when retrieval is
confident, otherwise the assistant says it found no exact clause and offers the hotline.
"""

from __future__ import annotations

from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from actions.render import clause_vars, is_draft, join_sentences
from actions.slots import profile_from_slots
from actions.topics import default_department, guidance_clauses, guidance_program
from eligibility import evaluate
from knowledge.referrals import referral_for
from knowledge.targets import lookup as target_lookup
from knowledge.targets import render as render_target

SEARCH_K = 8
# When the classifier is this sure a message is out of scope (other cities, personal records, chit-chat)
# no clause is quoted, however much its words overlap one; below it, a confident clause is still quoted.
OUT_OF_SCOPE_SURE = 0.8


def best_clause(question: str, intent: str | None) -> str | None:
    """Clause id to quote, or None when nothing is reliable enough."""
    preferred = guidance_clauses(intent)
    hits = knowledge.search(question, k=SEARCH_K) if question else []
    if preferred:
        # the paragraphs of the listed clauses (a target-table row is its own paragraph: no other row joins it)
        paragraphs = {knowledge.get_clause(cid).group_id for cid in preferred}
        for hit in hits:
            cid = hit.clause.id
            # another sentence of a listed article only when retrieval is sure of it: article (九) holds
            # both 无欠薪 and 劳动争议调解, and 送快递的受伤了算工伤吗 must not get the 无欠薪 sentence
            if cid in preferred or (hit.confident and knowledge.get_clause(cid).group_id in paragraphs):
                return cid
        return preferred[0]
    if hits and hits[0].confident:
        return hits[0].clause.id
    return None


def asked_sentence(question: str | None, cited: list[str], quoted: str | None) -> str | None:
    """The sentence a topic question is about, when the verdict quotes another part of its paragraph: the
    clause retrieval is most confident of for the question, if it is a sentence of a paragraph the
    programme's conditions cite and not the clause quoted (户口迁宁波 要不要跑回老家开证明 → the 一地办理 sentence
    beside the 落户 conditions; 技工学校高级工班毕业 评职称算什么学历 → the 学历 sentence of measure 七)."""
    if not question or question.startswith("/") or not cited:
        return None
    paragraphs = {knowledge.get_clause(cid).group_id for cid in cited}
    hits = knowledge.search(question, k=1)
    if not hits or not hits[0].confident:
        return None
    clause = hits[0].clause
    if clause.kind != "sentence" or clause.id == quoted or clause.group_id not in paragraphs:
        return None
    return clause.id


def guidance_vars(program: str, slots: dict) -> dict:
    """What the eligibility core says on a guidance topic, in its own words (eligibility/texts.yaml)."""
    result = evaluate(profile_from_slots(slots), programs=[program])[0]
    notes = [n.explanation for n in result.notes if n.explanation]
    return {"summary": result.summary, "notes": "".join(f"\n· {n}" for n in notes),
            "next_steps": join_sentences(result.next_steps)}


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from actions.questions import announce, answer_next

        message = tracker.latest_message or {}
        classified = message.get("intent") or {}
        intent = classified.get("name")
        sure = intent == "out_of_scope" and (classified.get("confidence") or 0) >= OUT_OF_SCOPE_SURE
        if tracker.active_loop.get("name"):   # answered mid-form: the form asks again, nothing else comes
            return answer_guidance(dispatcher, tracker, message.get("text") or "", intent, sure)
        events = announce(dispatcher, tracker)
        events += answer_guidance(dispatcher, tracker, message.get("text") or "", intent, sure)
        return answer_next(dispatcher, tracker, events)


def answer_guidance(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, intent: str | None,
                    sure_out_of_scope: bool = False) -> list:
    """A general question answered with its clause: the referral for a subject neither document covers, a
    targets-table figure, or the clause retrieval is confident about for the topic ``intent``."""
    question = "" if text.startswith("/") else text
    referral = referral_for(question)
    if referral is not None:
        dispatcher.utter_message(response="utter_referral", subject=referral.subject,
                                 department=referral.department, hotline=referral.hotline)
        return [SlotSet("fallback_count", 0)]
    # the topics that quote the targets table (ask_plan_targets, ask_minimum_wage: actions/topics.yml)
    asks_targets = any("/targets/" in cid for cid in guidance_clauses(intent) or [])
    target = target_lookup(question, as_of=date.today()) if question and asks_targets else None
    if target is not None:
        dispatcher.utter_message(response="utter_target", answer=render_target(target))
        clauses = list(tracker.get_slot("answered_clauses") or [])
        return [SlotSet("fallback_count", 0), SlotSet("answered_clauses", clauses + list(target.clause_ids))]
    # 上海的落户政策, 查我的社保: a Ningbo clause that retrieval likes is still no answer
    clause_id = None if sure_out_of_scope else best_clause(question, intent)
    if clause_id is None:
        dispatcher.utter_message(response="utter_no_exact_clause")
        dispatcher.utter_message(response="utter_offer_handoff")
        # not understood either: counts towards the hand-off after repeated failures
        return [SlotSet("fallback_count", int(tracker.get_slot("fallback_count") or 0) + 1)]
    return quote_clause(dispatcher, tracker, clause_id, intent)


def quote_clause(dispatcher: CollectingDispatcher, tracker: Tracker, clause_id: str, intent: str | None) -> list:
    """Quote one clause verbatim (with the guidance of the intent's topic, if any) and remember it."""
    variables = clause_vars(clause_id)
    variables["departments"] = variables["departments"] or default_department()
    dispatcher.utter_message(response="utter_clause", **variables)
    program = guidance_program(intent)
    if program:
        dispatcher.utter_message(response="utter_guidance", **guidance_vars(program, tracker.slots))
    if is_draft(clause_id):
        dispatcher.utter_message(response="utter_draft_notice", **variables)
    clauses = list(tracker.get_slot("answered_clauses") or [])
    return [SlotSet("fallback_count", 0), SlotSet("answered_clauses", clauses + [clause_id])]

