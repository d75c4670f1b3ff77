"""action_answer_document / action_answer_procedure, and the referral and targets answers of
action_answer_policy: what the worker is told, every quote verbatim from the knowledge base."""

import pytest

from knowledge import get_clause
from tests.actions.test_dialogue_actions import run, slot_events, tracker


def answer(action, text, intent, slots=None, events=None):
    return run(action, tracker(slots or {}, text, intent, active_form=False, events=events))


def test_a_part_by_number_is_quoted_whole_with_the_draft_notice():
    from actions.documents import ActionAnswerDocument

    messages, events = answer(ActionAnswerDocument(), "甬上乐业措施三原文发我", "ask_document")
    assert [m["response"] for m in messages] == ["utter_document_section", "utter_draft_notice"]
    assert messages[0]["quote"] == get_clause("ningbo_leye/measure03/0").text
    assert slot_events(events)["answered_clauses"] == ["ningbo_leye/measure03/0"]


def test_a_number_both_documents_have_is_asked_back_with_buttons_that_keep_the_question():
    from actions.documents import ActionAnswerDocument
    from knowledge.navigation import read_document_question

    (message,), _ = answer(ActionAnswerDocument(), "第三条的责任单位是哪个", "ask_document")
    assert message["response"] == "utter_document_which"
    for payload in (message["first_payload"], message["second_payload"]):
        again = read_document_question(payload)
        assert again.answer == "departments" and len(again.sections) == 1
    assert {read_document_question(message[k]).sections[0].doc_id for k in ("first_payload", "second_payload")} \
        == {"ningbo_leye", "beilun_laoyousuode"}


def test_departments_verbatim_or_said_to_be_absent():
    from actions.documents import ActionAnswerDocument

    (message,), _ = answer(ActionAnswerDocument(), "北仑方案重点任务（九）归哪个部门", "ask_document")
    assert message["response"] == "utter_document_departments"
    assert message["departments_text"] == get_clause("beilun_laoyousuode/task09/0").departments_text
    (message,), _ = answer(ActionAnswerDocument(), "北仑方案保障措施（一）谁负责", "ask_document")
    assert message["response"] == "utter_document_no_departments"


def test_status_says_the_draft_is_not_in_force_and_the_plan_its_date():
    from actions.documents import ActionAnswerDocument

    messages, _ = answer(ActionAnswerDocument(), "你依据的是哪两个文件，正式发布了吗", "ask_document")
    by_response = {m["response"]: m for m in messages}
    assert by_response["utter_document_status_draft"]["closing"] == get_clause("ningbo_leye/closing/1").text
    assert by_response["utter_document_status_issued"]["doc_date"] == "2023-06-21"


def test_the_outline_lists_every_part_verbatim():
    from actions.documents import ActionAnswerDocument
    from knowledge import navigation

    (message,), _ = answer(ActionAnswerDocument(), "甬上乐业一共有哪几条措施", "ask_document")
    assert message["response"] == "utter_document_outline"
    for section in navigation.numbered("ningbo_leye"):
        assert section.article in message["outline"]


@pytest.mark.parametrize("slots, clause", [
    ({"answered_clauses": ["ningbo_leye/measure04/1"]}, "ningbo_leye/measure04/1"),
    ({"outcomes": [{"program": "child_medical_insurance", "clauses": ["ningbo_leye/measure03/1"]}]},
     "ningbo_leye/measure03/1"),
    ({"topic": "ask_wage_arrears"}, "ningbo_leye/measure09/1"),
])
def test_a_procedure_follow_up_says_the_text_is_silent_and_names_the_department_in_context(slots, clause):
    from actions.documents import ActionAnswerProcedure
    from actions.render import clause_vars

    (message,), _ = answer(ActionAnswerProcedure(), "去哪里办，要带啥材料", "ask_procedure", slots)
    assert message["response"] == "utter_procedure_not_in_text"
    assert message["departments"] == clause_vars(clause)["departments"]
    assert message["labels"].count("、") >= 1  # both aspects asked are named


def test_a_procedure_follow_up_with_nothing_in_context_asks_which_policy():
    from actions.documents import ActionAnswerProcedure

    (message,), _ = answer(ActionAnswerProcedure(), "要交钱吗", "ask_procedure")
    assert message["response"] == "utter_procedure_which_topic"


def test_an_uncovered_subject_gets_the_referral_and_no_clause(monkeypatch):
    import actions.policy_search as ps
    from actions.policy_search import ActionAnswerPolicy

    monkeypatch.setattr(ps.knowledge, "search", lambda q, k=3: pytest.fail("no retrieval for a referral"))
    messages, events = answer(ActionAnswerPolicy(), "送快递的受伤了算工伤吗", "ask_labour_dispute")
    assert [m["response"] for m in messages] == ["utter_referral"]
    assert messages[0]["hotline"] == "12333"
    assert "answered_clauses" not in slot_events(events)


def test_a_targets_question_gets_the_indicator_for_the_year():
    from actions.policy_search import ActionAnswerPolicy

    (message,), events = answer(ActionAnswerPolicy(), "北仑2027年技能人才占从业人员比例目标多少", "ask_plan_targets")
    assert message["response"] == "utter_target"
    assert "2027" in message["answer"] and "37" in message["answer"]
    assert slot_events(events)["answered_clauses"] == ["beilun_laoyousuode/targets/row08"]


# ------------------------------------------------------------------------------------------------ overview


def test_the_overview_takes_every_worker_programme_and_none_of_the_enterprise_awards():
    from actions.eligibility import ActionSetTopic
    from actions.topics import worker_programmes

    _, events = answer(ActionSetTopic(), "外地人在宁波有啥福利", "ask_overview")
    programs = slot_events(events)["programs"]
    assert programs == worker_programmes()
    assert "child_medical_insurance" in programs and "enterprise_high_skill_award" not in programs


def test_the_overview_is_one_short_list_grouped_by_outcome_with_clause_ids():
    from actions.eligibility import ActionCheckEligibility
    from actions.topics import worker_programmes

    slots = {"topic": "ask_overview", "programs": worker_programmes(), "hukou": "other",
             "works_in_ningbo": True, "employee_medical_months": 14, "children_age": 3,
             "children_hukou": "other", "children_residence_permit": True}
    messages, _ = answer(ActionCheckEligibility(), "", "inform", slots)
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_overview" and responses[-1] == "utter_overview_details"
    assert not any(r.startswith("utter_verdict_") for r in responses)  # no full verdicts in the overview
    eligible = next(m for m in messages if m["response"] == "utter_overview_eligible")["lines"]
    assert "［ningbo_leye/measure03/1］" in eligible  # the child's medical insurance, with its clause
    lines = [line for m in messages if "lines" in m for line in m["lines"].splitlines()]
    assert len(lines) == len(set(lines)) <= len(worker_programmes())


def test_the_overview_asks_at_most_three_questions_in_all():
    from actions.forms import OVERVIEW_QUESTIONS, overview_cap

    def asked(*slots):
        events = [{"event": "action", "name": "action_set_topic"}]
        for s in slots:
            events += [{"event": "slot", "name": "requested_slot", "value": s}, {"event": "user", "text": "x"}]
        return tracker({"topic": "ask_overview"}, "x", "inform", events=events)

    wanted = ["hukou", "works_in_ningbo", "children_age", "housing_owned", "occupation"]
    assert overview_cap(asked(), wanted) == wanted[:OVERVIEW_QUESTIONS]
    assert overview_cap(asked("hukou", "works_in_ningbo"), wanted[1:]) == ["works_in_ningbo", "children_age"]
    assert overview_cap(asked("hukou", "works_in_ningbo", "children_age"), wanted[3:]) == []
