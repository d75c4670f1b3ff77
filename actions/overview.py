"""The overview: "我是外地来宁波打工的，有哪些政策我能享受" — every worker programme on the facts known so far.

The question is a topic of its own (`ask_overview`: action_set_topic gives it every worker programme), so the
eligibility form asks its questions — at most MAX_QUESTIONS in all, the most decisive across all
programmes first (actions.forms.questions); "算了" stops it — and action_check_eligibility answers with one
short list instead of full verdicts: 符合 / 还需要了解 / 需向部门确认 / 不符合 (what does not apply to the
worker is left out), each line numbered, with its clause id, then the facts that would decide most of the
rest. Any line can be asked about in full by its topic (孩子医保能交吗) or by its number (详细说说第二个):
the lists shown (the overview, an enterprise's awards, several verdicts for one topic) are kept in slot
``listed`` and action_answer_item expands the item a message refers to (knowledge.navigation.item_reference).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import PENDING
from actions.render import LIST_SEPARATOR
from actions.slots import TOPIC_QUESTION
from actions.topics import topic_of, worker_programmes
from eligibility import evaluate, next_questions, schema
from knowledge import navigation

GROUPS = ("eligible", "need_info", "refer", "not_eligible")  # not_applicable: not the worker's situation
LISTED = "listed"  # the programmes of the last list shown, in the order shown


def _line(number: int, result, clause: str | None) -> str:
    return f"{number}. {result.title}［{clause}］" if clause else f"{number}. {result.title}"


def overview_lines(profile) -> tuple[dict[str, str], list[str]]:
    """(outcome -> the lines of that group, "N. 标题［clause］", one per programme (several children: once),
    numbered across the groups in the order shown; the programmes in that order)."""
    from actions.eligibility import main_clause

    grouped: dict[str, list] = {g: [] for g in GROUPS}
    seen = set()
    for result in evaluate(profile, programs=worker_programmes()):
        if result.outcome not in grouped or result.program in seen:
            continue
        seen.add(result.program)
        grouped[result.outcome].append(result)
    lines: dict[str, str] = {}
    order: list[str] = []
    for group in GROUPS:
        group_lines = []
        for result in grouped[group]:
            order.append(result.program)
            group_lines.append(_line(len(order), result, main_clause(result)))
        lines[group] = "\n".join(group_lines)
    return lines, order


def render_award_list(dispatcher: CollectingDispatcher, profile, programs: list[str]) -> list[str]:
    """An enterprise's awards asked without naming one (企业有哪些奖励): one numbered line per award with its
    sum and clause id (those the enterprise's known facts rule out are left out), then how to ask about one.
    Returns the awards in the order listed."""
    from actions.eligibility import main_clause
    from actions.render import clause_vars, is_draft

    lines, clauses, order = [], [], []
    for result in evaluate(profile, programs=programs):
        if result.outcome == "not_applicable":
            continue
        clause = main_clause(result)
        clauses.append(clause)
        order.append(result.program)
        lines.append(_line(len(order), result, clause))
    dispatcher.utter_message(response="utter_award_list", lines="\n".join(lines))
    dispatcher.utter_message(response="utter_award_list_details")
    draft = next((c for c in clauses if c and is_draft(c)), None)
    if draft:
        variables = clause_vars(draft)
        dispatcher.utter_message(response="utter_draft_notice", doc_title=variables["doc_title"],
                                 doc_status=variables["doc_status"])
    return order


def render_overview(dispatcher: CollectingDispatcher, profile) -> list[str]:
    """The overview; returns the programmes in the order listed."""
    groups, order = overview_lines(profile)
    dispatcher.utter_message(response="utter_overview")
    for group in GROUPS:
        if groups[group]:
            dispatcher.utter_message(response=f"utter_overview_{group}", lines=groups[group])
    paths = next_questions(profile, worker_programmes())[:3]
    if paths:
        labels = LIST_SEPARATOR.join(schema.facts()[p].label for p in paths if p in schema.facts())
        dispatcher.utter_message(response="utter_overview_more", labels=labels)
    dispatcher.utter_message(response="utter_overview_details")
    return order


def item_index(reference: int | str, count: int) -> int | None:
    """The 0-based index of the item a reference means in a list of ``count`` (None: no such item)."""
    if reference == "middle":
        return count // 2 if count % 2 == 1 else None
    if isinstance(reference, int) and 1 <= reference <= count:
        return reference - 1
    if isinstance(reference, int) and -count <= reference <= -1:
        return count + reference
    return None


class ActionAnswerItem(Action):
    """详细说说第二个 / 第二个呢 / 最后那个 (intent ask_item): the item of the last list shown, answered in full —
    its topic and programme are set and the eligibility form asks what that programme still needs, then the
    full verdict with its quote. With no list shown, 第三条 is a part of the documents; anything else gets a
    question (which one?)."""

    def name(self) -> str:
        return "action_answer_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        reference = navigation.item_reference(text)
        listed = tracker.get_slot(LISTED) or []
        after = FollowupAction("eligibility_form" if tracker.active_loop.get("name") else "action_listen")
        if listed and reference is not None:
            index = item_index(reference, len(listed))
            if index is None:
                dispatcher.utter_message(response="utter_item_out_of_range", count=len(listed))
                return [after]
            program = listed[index]
            return [SlotSet("topic", topic_of(program)), SlotSet("programs", [program]), SlotSet(PENDING, []),
                    SlotSet(TOPIC_QUESTION, None),
                    SlotSet("fallback_count", 0), FollowupAction("eligibility_form")]
        if navigation.names_a_document_part(text):
            from actions.documents import ActionAnswerDocument

            return await ActionAnswerDocument().run(dispatcher, tracker, domain) + [after]
        dispatcher.utter_message(response="utter_item_no_list")
        return [after]
