"""action_answer_document: questions about the two documents themselves (intent ask_document);
action_answer_procedure: follow-ups on how to apply (intent ask_procedure).

What the message asks is read by knowledge.navigation (which document, which part by number or subject,
and what of it: the list of parts, the verbatim text, the departments, the status and date); the answer
quotes the knowledge base verbatim through the domain's utter_document_* responses. A part whose number
both documents have (第三条) is asked back with one button per document.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from actions.overview import LISTED
from actions.render import LIST_SEPARATOR, clause_vars, is_draft
from actions.topics import default_department, guidance_clauses
from knowledge import navigation

SEARCH_K = 5


def _search(question: str) -> list:
    return knowledge.search(question, k=SEARCH_K)


def document_vars(doc_id: str) -> dict:
    meta = navigation.document_meta(doc_id)
    status = meta.get("status") or ""
    return {"doc_title": meta["title"], "doc_status": status, "doc_date": meta.get("date") or "",
            "doc_period": meta.get("period") or "", "doc_issuer": meta.get("issuer") or "",
            "status_note": "" if status in meta["title"] else f"（{status}）"}


def outline(doc_id: str) -> str:
    """The document's parts, one per line, as the text numbers and names them (verbatim articles)."""
    lines = []
    for clause in knowledge.all_clauses():
        if clause.doc_id != doc_id or not clause.id.endswith("/0") or not clause.article:
            continue
        indent = "  " if clause.article.startswith(("(", "（")) else ""
        lines.append(f"{indent}{clause.article}")
    return "\n".join(lines)


def ask_again_payload(section: navigation.Section, aspects: tuple[str, ...]) -> str:
    data = navigation._data()
    doc = data["documents"][section.doc_id]
    aspect = next((data["aspects"][a][0] for a in aspects if a != "list"), "")
    return data["ask_again"].format(document=doc["name"], part=doc["part_names"].get(section.part, ""),
                                    number=section.number, aspect=aspect)


class ActionAnswerDocument(Action):
    def name(self) -> str:
        return "action_answer_document"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        question = navigation.read_document_question(text, search=_search)
        answer = question.answer
        if answer == "which":
            first, second = question.sections[:2]
            dispatcher.utter_message(response="utter_document_which", number=first.number,
                                     first_title=f"{document_vars(first.doc_id)['doc_title']} {first.article}",
                                     first_payload=ask_again_payload(first, question.aspects),
                                     second_title=f"{document_vars(second.doc_id)['doc_title']} {second.article}",
                                     second_payload=ask_again_payload(second, question.aspects))
            return []
        docs = [question.doc_id] if question.doc_id else list(navigation.document_ids())
        if answer == "status":
            return self._status(dispatcher, docs)
        if answer == "outline":
            for doc_id in docs:
                dispatcher.utter_message(response="utter_document_outline", outline=outline(doc_id),
                                         **document_vars(doc_id))
            return [SlotSet(LISTED, None)]   # 第二条 now means the documents' own numbering
        return self._section(dispatcher, tracker, question.sections[0], answer)

    def _status(self, dispatcher: CollectingDispatcher, doc_ids: list[str]) -> list:
        for doc_id in doc_ids:
            variables = document_vars(doc_id)
            draft = navigation.document_meta(doc_id).get("draft")
            response = "utter_document_status_draft" if draft else "utter_document_status_issued"
            if draft:
                # 本措施自发布之日起实施。: the text itself says when it starts
                variables["closing"] = knowledge.get_clause(f"{doc_id}/closing/1").text
            dispatcher.utter_message(response=response, **variables)
        return []

    def _section(self, dispatcher: CollectingDispatcher, tracker: Tracker, section: navigation.Section,
                 answer: str) -> list:
        clause_id = section.paragraph_id
        variables = clause_vars(clause_id)
        departments_text = knowledge.get_clause(clause_id).departments_text
        if answer == "departments":
            if variables["departments"]:
                dispatcher.utter_message(response="utter_document_departments", **variables,
                                         departments_text=departments_text or variables["departments"])
            else:
                dispatcher.utter_message(response="utter_document_no_departments", **variables)
        else:
            dispatcher.utter_message(response="utter_document_section", **variables)
        if is_draft(clause_id):
            dispatcher.utter_message(response="utter_draft_notice", **variables)
        clauses = list(tracker.get_slot("answered_clauses") or [])
        return [SlotSet("fallback_count", 0), SlotSet("answered_clauses", clauses + [clause_id])]


def context_clause(tracker: Tracker) -> str | None:
    """The clause the conversation was last about: the last one quoted for a question, else the last
    verdict's clause, else the first clause of the topic's guidance list."""
    events = tracker.events or []
    quoted = list(tracker.get_slot("answered_clauses") or [])
    outcomes = [c for o in (tracker.get_slot("outcomes") or []) for c in o.get("clauses") or []]
    # whichever came last: a quoted clause or a verdict (answered_clauses and outcomes are both only added to)
    last_set = next((e.get("name") for e in reversed(events) if e.get("event") == "slot"
                     and e.get("name") in ("answered_clauses", "outcomes")), None)
    if last_set == "outcomes" and outcomes:
        return outcomes[-1]
    if quoted:
        return quoted[-1]
    if outcomes:
        return outcomes[-1]
    listed = guidance_clauses(tracker.get_slot("topic"))
    return listed[0] if listed else None


def named_clause(text: str) -> str | None:
    """The clause of a topic the message itself names, when retrieval is sure of it (the procedure words
    taken out first: 要带什么材料 alone names nothing)."""
    rest = navigation.without_procedure_words(text)
    if len(rest) < 2:
        return None
    hits = knowledge.search(rest, k=1)
    return hits[0].clause.id if hits and hits[0].confident else None


class ActionAnswerProcedure(Action):
    """要带什么材料 / 去哪里办 / 多久 / 要钱吗 after an answer: the text says nothing of it; say so, and name
    the department of the clause in context (never an invented procedure)."""

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        aspects = navigation.procedure_aspects(text) or ("materials",)
        labels = LIST_SEPARATOR.join(navigation.procedure_label(a) for a in aspects)
        # the topic the message names itself (办落户要花钱吗), else the one the conversation was about
        clause_id = named_clause(text) or context_clause(tracker)
        if clause_id is None:
            dispatcher.utter_message(response="utter_procedure_which_topic", labels=labels)
            return []
        variables = clause_vars(clause_id)
        variables["departments"] = variables["departments"] or default_department()
        dispatcher.utter_message(response="utter_procedure_not_in_text", labels=labels, **variables)
        return [SlotSet("fallback_count", 0)]
