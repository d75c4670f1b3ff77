"""The overview: "我是外地来宁波打工的，有哪些政策我能享受" — every worker programme on the facts known so far.

The question is a topic of its own (`ask_overview`: action_set_topic gives it every worker programme), so the
eligibility form asks its questions — at most MAX_QUESTIONS in all, the most decisive across all
programmes first (actions.forms.questions); "算了" stops it — and action_check_eligibility answers with one
short list instead of full verdicts: 符合 / 还需要了解 / 需向部门确认 / 不符合 (what does not apply to the
worker is left out), each line with its clause id, then the facts that would decide most of the rest. Any
line can be asked about in full by its topic (孩子医保能交吗).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.render import LIST_SEPARATOR
from actions.topics import worker_programmes
from eligibility import evaluate, next_questions, schema

GROUPS = ("eligible", "need_info", "refer", "not_eligible")  # not_applicable: not the worker's situation


def overview_lines(profile) -> dict[str, str]:
    """outcome -> the lines of that group ("· 标题［clause］"), one per programme (several children: once)."""
    from actions.eligibility import main_clause

    lines: dict[str, list[str]] = {g: [] for g in GROUPS}
    seen = set()
    for result in evaluate(profile, programs=worker_programmes()):
        if result.outcome not in lines or result.program in seen:
            continue
        seen.add(result.program)
        clause = main_clause(result)
        lines[result.outcome].append(f"· {result.title}［{clause}］" if clause else f"· {result.title}")
    return {g: "\n".join(ls) for g, ls in lines.items()}


def render_award_list(dispatcher: CollectingDispatcher, profile, programs: list[str]) -> None:
    """An enterprise's awards asked without naming one (企业有哪些奖励): one line per award with its sum and
    clause id (those the enterprise's known facts rule out are left out), then how to ask about one."""
    from actions.eligibility import main_clause

    from actions.render import clause_vars, is_draft

    lines, clauses = [], []
    for result in evaluate(profile, programs=programs):
        if result.outcome == "not_applicable":
            continue
        clause = main_clause(result)
        clauses.append(clause)
        lines.append(f"· {result.title}［{clause}］" if clause else f"· {result.title}")
    dispatcher.utter_message(response="utter_award_list", lines="\n".join(lines))
    dispatcher.utter_message(response="utter_award_list_details")
    draft = next((c for c in clauses if c and is_draft(c)), None)
    if draft:
        variables = clause_vars(draft)
        dispatcher.utter_message(response="utter_draft_notice", doc_title=variables["doc_title"],
                                 doc_status=variables["doc_status"])


def render_overview(dispatcher: CollectingDispatcher, profile) -> None:
    groups = overview_lines(profile)
    dispatcher.utter_message(response="utter_overview")
    for group in GROUPS:
        if groups[group]:
            dispatcher.utter_message(response=f"utter_overview_{group}", lines=groups[group])
    paths = next_questions(profile, worker_programmes())[:3]
    if paths:
        labels = LIST_SEPARATOR.join(schema.facts()[p].label for p in paths if p in schema.facts())
        dispatcher.utter_message(response="utter_overview_more", labels=labels)
    dispatcher.utter_message(response="utter_overview_details")
