"""The thin actions, run in-process with a rasa_sdk Tracker and CollectingDispatcher (no servers)."""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge import get_clause

ROOT = Path(__file__).resolve().parents[2]


def load_domain() -> dict:
    domain: dict = {"responses": {}, "slots": {}, "forms": {}}
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("responses", "slots", "forms"):
            domain[key].update(data.get(key) or {})
    return domain


DOMAIN = load_domain()


def tracker(slots=None, text="", intent="inform", active_form=True, events=None) -> Tracker:
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    if events is None:
        events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text,
                                                                 "parse_data": message}]
    return Tracker("test", all_slots, message, events, False, None,
                   {"name": "eligibility_form"} if active_form else {}, "action_listen")


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, events


def slot_events(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_every_response_variable_is_known():
    """Responses only use the variables the actions fill (a typo would print “{varname}”)."""
    import re

    allowed = {"program_title", "reasons", "doc_title", "doc_status", "article", "quote", "departments",
               "next_steps", "missing", "work_months", "social_insurance_months", "why", "condition", "fact_label", "fact_value", "clause_id",
               "summary", "notes", "status_note", "understood", "unclear_months", "max_chars",
               # actions/documents.py, actions/overview.py, actions/policy_search.py (referral, targets)
               "outline", "departments_text", "closing", "doc_date", "doc_period", "doc_issuer", "number", "labels",
               "lines", "subject", "department", "hotline", "answer",
               # actions/overview.py (list items), actions/questions.py (several questions in one message)
               "count", "question", "person"}
    for name, variants in DOMAIN["responses"].items():
        for v in variants:
            assert set(re.findall(r"{(\w+)}", v.get("text", ""))) <= allowed, name


def test_every_fact_slot_has_question_reask_and_hint():
    from actions.slots import SLOT_OF_PATH

    for slot in SLOT_OF_PATH.values():
        for kind in ("ask", "reask", "where"):
            assert f"utter_{kind}_{slot}" in DOMAIN["responses"], f"utter_{kind}_{slot}"


def test_verdict_eligible_quotes_the_clause_with_the_workers_figures():
    from actions.eligibility import ActionCheckEligibility

    t = tracker({"programs": ["child_medical_insurance"], "employee_medical_months": 18, "children_age": 3,
                 "children_hukou": "other", "children_residence_permit": True}, active_form=False)
    messages, events = run(ActionCheckEligibility(), t)
    verdict = messages[0]
    assert verdict["response"] == "utter_verdict_eligible"
    assert verdict["quote"] == get_clause("ningbo_leye/measure03/1").text
    assert "18个月" in verdict["reasons"]
    assert verdict["departments"] == "市医保局" and verdict["doc_status"] == "征求意见稿"
    assert verdict["status_note"] == ""  # the title already ends with （征求意见稿）
    assert any(m["response"] == "utter_draft_notice" for m in messages)
    assert slot_events(events)["outcomes"][0]["outcome"] == "eligible"


def test_verdict_short_by_four_months():
    from actions.eligibility import ActionCheckEligibility

    t = tracker({"programs": ["child_medical_insurance"], "employee_medical_months": 8, "children_age": 3,
                 "children_hukou": "other", "children_residence_permit": True,
                 "spouse_employee_medical_months": 0}, active_form=False)
    messages, _ = run(ActionCheckEligibility(), t)
    assert messages[0]["response"] == "utter_verdict_not_eligible"
    assert "还差4个月" in messages[0]["reasons"]


def test_no_topic_asks_which_policy():
    from actions.eligibility import ActionCheckEligibility

    messages, _ = run(ActionCheckEligibility(), tracker({"employee_medical_months": 8}, active_form=False))
    assert messages[0]["response"] == "utter_ask_topic"


def test_facts_with_a_question_and_no_topic_quote_the_clause_found():
    """“女儿读技校，家里低保，有补贴吗” read as inform: the confident clause, not a topic menu."""
    from actions.eligibility import ActionCheckEligibility

    text = "我女儿在宁波读技校，家里是低保户，老家云南，有补贴吗"
    messages, events = run(ActionCheckEligibility(), tracker({"student_family_hardship": "dibao"}, text,
                                                             active_form=False))
    assert messages[0]["response"] == "utter_clause"
    assert messages[0]["clause_id"] == "ningbo_leye/measure06/5"
    assert messages[0]["quote"] == get_clause("ningbo_leye/measure06/5").text
    assert slot_events(events)["answered_clauses"] == ["ningbo_leye/measure06/5"]


def test_facts_without_a_question_still_ask_which_policy():
    from actions.eligibility import ActionCheckEligibility

    messages, _ = run(ActionCheckEligibility(), tracker({"hukou": "other"}, "我是安徽的，在北仑干了两年",
                                                        active_form=False))
    assert [m["response"] for m in messages] == ["utter_ask_topic"]


def _ranked(t: Tracker, ranking: list) -> Tracker:
    t.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    return t


def test_facts_and_a_question_read_as_inform_take_the_close_topic():
    """NLU: inform 0.55, ask_child_medical_insurance 0.44 → the form asks about children's insurance."""
    from actions.forms import ValidateEligibilityForm

    text = "我医保交了18个月，孩子4岁，不是宁波户口，能在宁波交医保吗"
    t = _ranked(tracker({"employee_medical_months": 18, "children_age": 4, "hukou": "other"}, text),
                [("inform", 0.55), ("ask_child_medical_insurance", 0.44), ("ask_housing", 0.01)])
    _, events = run(ValidateEligibilityForm(), t)
    slots = slot_events(events)
    assert slots["topic"] == "ask_child_medical_insurance"
    assert slots["programs"] == ["child_medical_insurance"]
    assert slots["requested_slot"] == "children_hukou"


@pytest.mark.parametrize("text, ranking, slots", [
    ("我医保交了18个月，孩子4岁", [("inform", 0.55), ("ask_child_medical_insurance", 0.44)], {}),  # no question
    ("孩子4岁，能交医保吗", [("inform", 0.6), ("ask_housing", 0.4)], {"programs": ["child_medical_insurance"]}),
    # not close, and the clause found is no program's: 欠薪 is a guidance topic
    ("老板欠了我两个月工资，咋办", [("inform", 0.9), ("ask_housing", 0.1)], {}),
])
def test_no_topic_is_taken_without_a_question_with_no_topic(text, ranking, slots):
    from actions.forms import topic_from_question

    assert topic_from_question(_ranked(tracker(slots, text), ranking)) == []


@pytest.mark.parametrize("text, topic", [
    ("宝宝6个月大，外地户口，爸爸医保交满一年了，有居住证，可以参保吗", "ask_child_medical_insurance"),
    ("我女儿在宁波读技校，家里是低保户，老家云南，有补贴吗", "ask_student_subsidy"),
])
def test_facts_and_a_question_with_no_close_topic_take_the_topic_of_the_clause_found(text, topic):
    """NLU inform 0.9 and nothing close: the clause retrieval is confident about decides the program."""
    from actions.forms import topic_from_question

    events = topic_from_question(_ranked(tracker({}, text), [("inform", 0.9), ("ask_wage_arrears", 0.05)]))
    assert slot_events(events)["topic"] == topic


def test_form_asks_only_what_can_change_the_answer_and_confirms_work_months():
    from actions.forms import questions

    t = tracker({"programs": ["child_medical_insurance"], "work_months": 18, "children_age": 3})
    asked = questions(t)
    assert "confirm_work_months" in asked and "employee_medical_months" not in asked
    assert "children_age" not in asked


def test_social_insurance_months_are_confirmed_as_medical_months():
    """社保交了26个月 and nothing on 职工医保: ask whether 职工医保 was paid all along, not for a new figure."""
    from actions.forms import ValidateEligibilityForm, questions

    slots = {"programs": ["child_medical_insurance"], "social_insurance_months": 26, "children_age": 3,
             "children_hukou": "other"}
    asked = questions(tracker(slots))
    assert "confirm_work_months" in asked and "employee_medical_months" not in asked
    slots["requested_slot"] = "confirm_work_months"
    _, events = run(ValidateEligibilityForm(), tracker(slots, "是的", "affirm"))
    assert slot_events(events)["employee_medical_months"] == 26


def test_form_rejects_digressions_and_records_dont_know():
    from actions.forms import ValidateEligibilityForm

    slots = {"programs": ["child_medical_insurance"], "requested_slot": "children_residence_permit",
             "children_age": 3, "employee_medical_months": 18, "children_hukou": "other"}
    _, events = run(ValidateEligibilityForm(), tracker(slots, "为什么问这个", "why_ask"))
    assert events[0]["event"] == "action_execution_rejected"
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "不知道", "dont_know"))
    assert messages[0]["response"] == "utter_where_children_residence_permit"
    assert slot_events(events)["unknown_fields"] == ["children_residence_permit"]
    assert slot_events(events)["requested_slot"] is None


def test_form_takes_yes_no_answers_and_reasks_unreadable_ones():
    from actions.forms import ValidateEligibilityForm

    slots = {"programs": ["child_medical_insurance"], "requested_slot": "children_hukou", "children_age": 3}
    _, events = run(ValidateEligibilityForm(), tracker(slots, "不是", "deny"))
    assert slot_events(events)["children_hukou"] == "other"
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "阿巴阿巴", "nlu_fallback"))
    assert messages[0]["response"] == "utter_reask_children_hukou"
    assert slot_events(events)["fallback_count"] == 1


@pytest.mark.parametrize("text, intent", [("好的，谢谢", "affirm"), ("行", "affirm"), ("知道了 谢谢", "thanks")])
def test_an_acknowledgement_is_no_yes_to_a_question_of_fact(text, intent):
    """孩子是宁波户口吗？ “好的，谢谢” (classified affirm): not a yes; the question is asked again."""
    from actions.forms import ValidateEligibilityForm

    slots = {"programs": ["child_medical_insurance"], "requested_slot": "children_hukou", "children_age": 3}
    messages, events = run(ValidateEligibilityForm(), tracker(slots, text, intent))
    assert slot_events(events).get("children_hukou") is None
    assert slot_events(events)["requested_slot"] == "children_hukou"
    assert [m["response"] for m in messages] == ["utter_reask_children_hukou"]


def test_another_fact_than_the_one_asked_is_no_unreadable_answer():
    """Asked 在宁波读书吗, the worker says 家里是建档立卡的: that fact counts; the question is asked again
    without “没看明白”."""
    from actions.forms import ValidateEligibilityForm

    text = "家里是建档立卡的"
    slots = {"programs": ["vocational_student_living_subsidy"], "requested_slot": "student_in_ningbo_vocational_school",
             "student_family_hardship": "former_registered_poor"}
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": message},
              {"event": "slot", "name": "student_family_hardship", "value": "former_registered_poor"}]
    messages, events = run(ValidateEligibilityForm(), tracker(slots, text, events=events))
    assert not [m for m in messages if m["response"].startswith("utter_reask")]
    assert slot_events(events)["fallback_count"] == 0
    assert slot_events(events)["requested_slot"] == "student_in_ningbo_vocational_school"


@pytest.mark.parametrize("text, slot, value", [("有居住证", "children_residence_permit", True),
                                               ("不是宁波户口", "children_hukou", "other")])
def test_a_yes_no_that_went_to_another_fact_does_not_answer_the_question(text, slot, value):
    """Asked 这段时间单位一直给您交职工医保吗, “有居住证” answers the residence permit, not the 职工医保: the
    18 months are not taken as 职工医保 months and the question is asked again."""
    from actions.forms import ValidateEligibilityForm

    slots = {"programs": ["child_medical_insurance"], "requested_slot": "confirm_work_months", "children_age": 3,
             "work_months": 18, "children_hukou": "other", "children_residence_permit": True, slot: value}
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.99}, "entities": []}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": message},
              {"event": "slot", "name": slot, "value": value}]
    _, events = run(ValidateEligibilityForm(), tracker(slots, text, events=events))
    filled = slot_events(events)
    assert filled.get("confirm_work_months") is None and filled.get("employee_medical_months") is None
    assert filled["requested_slot"] == "confirm_work_months"


def test_a_vague_figure_is_kept_as_a_lower_bound_and_marked():
    from actions.extract import ActionExtractFacts

    _, events = run(ActionExtractFacts(), tracker({}, "俺医保交了快一年了", active_form=False))
    assert slot_events(events)["employee_medical_months"] == 6
    assert slot_events(events)["vague_fields"] == ["employee_medical_months"]
    _, events = run(ActionExtractFacts(), tracker({"vague_fields": ["employee_medical_months"]}, "医保交了11个月",
                                                  active_form=False))
    assert slot_events(events)["vague_fields"] == []


def test_a_vague_figure_that_decides_the_answer_is_asked_once():
    """“快一年” (at least 6 months) cannot settle 满12个月: ask the exact months before anything else."""
    from actions.forms import ValidateEligibilityForm

    slots = {"programs": ["child_medical_insurance"], "employee_medical_months": 6, "children_age": 2,
             "vague_fields": ["employee_medical_months"], "hukou": "other", "children_hukou": "other"}
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "娃能参加医保不", active_form=False))
    assert [m["response"] for m in messages] == ["utter_exact_figure"]
    assert slot_events(events)["requested_slot"] == "employee_medical_months"
    assert slot_events(events)["vague_asked"] == ["employee_medical_months"]
    # asked once: the next time the lower bound stands and the form goes on
    slots["vague_asked"] = ["employee_medical_months"]
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "娃能参加医保不", active_form=False))
    assert slot_events(events)["requested_slot"] != "employee_medical_months" and not messages


def test_a_vague_work_duration_is_not_read_back_as_the_workers_figure():
    """上班快一年了 is kept as at least 6 months: the form asks the 职工医保 months instead of
    “您说在这边干了6个月……一直交职工医保吗”; an exact duration is still confirmed."""
    from actions.forms import questions

    slots = {"programs": ["child_medical_insurance"], "work_months": 6, "vague_fields": ["work_months"],
             "children_age": 2, "children_hukou": "other", "children_residence_permit": True}
    assert questions(tracker(slots))[:1] == ["employee_medical_months"]
    assert questions(tracker({**slots, "vague_fields": []}))[:1] == ["confirm_work_months"]


def test_a_lower_bound_that_no_figure_could_change_is_not_asked():
    """社保一直交着 (at least 1 month) already is 按规定缴纳社会保险 for school enrolment: no 社保 months
    question, while 医保交了快一年 (at least 6) against 满12个月 is asked."""
    from actions.forms import vague_to_ask

    school = {"programs": ["child_school_enrollment"], "social_insurance_months": 1, "hukou": "other",
              "children_age": 8, "vague_fields": ["social_insurance_months"]}
    assert vague_to_ask(tracker(school)) == []
    medical = {"programs": ["child_medical_insurance"], "employee_medical_months": 6, "children_age": 2,
               "hukou": "other", "children_hukou": "other", "vague_fields": ["employee_medical_months"]}
    assert vague_to_ask(tracker(medical)) == ["employee_medical_months"]


def test_a_vague_figure_that_is_enough_is_not_asked():
    from actions.forms import questions

    slots = {"programs": ["child_medical_insurance"], "employee_medical_months": 24, "children_age": 2,
             "vague_fields": ["employee_medical_months"], "children_hukou": "other", "children_residence_permit": True}
    assert "employee_medical_months" not in questions(tracker(slots))


def test_a_question_answered_with_something_else_twice_is_left_unknown():
    """Asked 您是做什么工作的, the worker twice tells other facts: the second time the form goes on."""
    from actions.forms import ValidateEligibilityForm

    def turn(slots, text, fact):
        message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
        events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": message},
                  {"event": "slot", "name": fact[0], "value": fact[1]}]
        return run(ValidateEligibilityForm(), tracker({**slots, fact[0]: fact[1]}, text, events=events))

    slots = {"programs": ["sanitation_worker_housing", "public_service_housing"], "requested_slot": "occupation"}
    messages, events = turn(slots, "我不是宁波户口", ("hukou", "other"))
    # what was understood is read back, then the question comes again
    assert [(m["response"], m.get("understood")) for m in messages] == [("utter_understood", "本人户籍：外地户籍")]
    assert slot_events(events)["requested_slot"] == "occupation"
    slots.update(hukou="other", passed_over=slot_events(events)["passed_over"])
    messages, events = turn(slots, "没房子", ("owns_home_in_ningbo", False))
    assert [m["response"] for m in messages] == ["utter_understood", "utter_question_passed_over"]
    assert messages[0]["understood"] == "在宁波有住房：否"
    assert slot_events(events)["unknown_fields"] == ["occupation"]
    assert slot_events(events)["requested_slot"] != "occupation"


def test_the_read_back_marks_a_lower_bound_and_names_a_work_duration():
    from actions.forms import ValidateEligibilityForm

    dispatcher = CollectingDispatcher()
    ValidateEligibilityForm._read_back(dispatcher, tracker({"vague_fields": ["work_months"]}),
                                       {"work_months": 24, "children_age": 4, "requested_slot": "hukou"})
    assert dispatcher.messages[0]["understood"] == "在宁波工作时长：至少24个月；孩子周岁：4"


@pytest.mark.parametrize("text", ["交了十个月", "我交了10个月了", "已经缴了十个月"])
def test_a_figure_paid_into_no_named_scheme_waits_for_the_scheme(text):
    """交了十个月 names no scheme: not a work duration (no “您说在这边干了10个月”), not 职工医保 months."""
    from actions.extract import ActionExtractFacts

    _, events = run(ActionExtractFacts(), tracker({}, text, active_form=False))
    filled = slot_events(events)
    assert filled["unclear_months"] == 10 and filled["months_scheme"] is None
    assert "work_months" not in filled and "employee_medical_months" not in filled


def test_a_figure_of_no_named_scheme_answers_a_months_question():
    from actions.extract import ActionExtractFacts

    _, events = run(ActionExtractFacts(), tracker({"requested_slot": "employee_medical_months"}, "交了十个月"))
    assert slot_events(events) == {"employee_medical_months": 10, "last_months_slot": "employee_medical_months"}


SCHEME_SLOTS = {"programs": ["child_medical_insurance"], "children_age": 3, "children_hukou": "other",
                "unclear_months": 10}


def test_the_scheme_is_asked_before_any_months_question():
    from actions.forms import questions

    assert questions(tracker(SCHEME_SLOTS))[:1] == ["months_scheme"]
    # asked once: answered or given up, the months questions go on as usual
    assert "months_scheme" not in questions(tracker({**SCHEME_SLOTS, "months_scheme": "unknown"}))
    # a topic that wants no months figure is not asked which scheme
    assert "months_scheme" not in questions(tracker({**SCHEME_SLOTS, "programs": ["public_service_housing"]}))


@pytest.mark.parametrize("text, intent, slot", [
    ("职工医保", "ask_employee_medical_insurance", "employee_medical_months"),
    ("单位交的职工医保", "inform", "employee_medical_months"),
    ("社保", "inform", "social_insurance_months"),
])
def test_the_scheme_named_takes_the_figure(text, intent, slot):
    from actions.forms import ValidateEligibilityForm

    slots = {**SCHEME_SLOTS, "requested_slot": "months_scheme"}
    _, events = run(ValidateEligibilityForm(), tracker(slots, text, intent))
    filled = slot_events(events)
    assert filled[slot] == 10 and filled["unclear_months"] is None
    assert filled["requested_slot"] != "months_scheme"


@pytest.mark.parametrize("text, intent", [("城乡居民医保", "inform"), ("新农合", "inform"), ("说不清", "dont_know")])
def test_a_scheme_that_counts_toward_neither_or_not_knowing_keeps_the_figure_out(text, intent):
    """城乡居民医保 months are no 职工医保 months: the figure is dropped and the months asked as usual."""
    from actions.forms import ValidateEligibilityForm

    slots = {**SCHEME_SLOTS, "requested_slot": "months_scheme"}
    _, events = run(ValidateEligibilityForm(), tracker(slots, text, intent))
    filled = slot_events(events)
    assert "employee_medical_months" not in filled and "social_insurance_months" not in filled
    assert filled["unclear_months"] is None and filled["months_scheme"] in ("resident_medical", "unknown")
    assert filled["requested_slot"] == "employee_medical_months"


def test_an_unreadable_scheme_is_asked_once_more_then_left():
    from actions.forms import ValidateEligibilityForm

    slots = {**SCHEME_SLOTS, "requested_slot": "months_scheme"}
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "阿巴阿巴", "nlu_fallback"))
    assert [m["response"] for m in messages] == ["utter_reask_months_scheme"]
    assert slot_events(events)["requested_slot"] == "months_scheme"
    messages, events = run(ValidateEligibilityForm(), tracker({**slots, "fallback_count": 1}, "阿巴阿巴", "nlu_fallback"))
    assert slot_events(events)["months_scheme"] == "unknown"
    assert slot_events(events)["requested_slot"] == "employee_medical_months"


def test_handoff_leaves_a_summary_and_pauses():
    from actions.handoff import ActionHandoff

    t = tracker({"employee_medical_months": 14, "children_age": 3, "topic": "ask_child_medical_insurance",
                 "outcomes": [{"program": "child_medical_insurance", "outcome": "need_info",
                               "clauses": ["ningbo_leye/measure03/1"]}]})
    messages, events = run(ActionHandoff(), t)
    assert messages[0]["response"] == "utter_handoff"
    summary = slot_events(events)["handoff_summary"]
    assert summary["facts"] == {"employee_medical_months": 14, "children.age": 3}
    assert summary["clauses"] == ["ningbo_leye/measure03/1"]
    assert any(e["event"] == "pause" for e in events)


def test_clarify_then_offer_the_hotline_never_hand_off_unasked():
    from actions.handoff import ActionClarify

    messages, events = run(ActionClarify(), tracker({}, "阿巴阿巴", "nlu_fallback", active_form=False))
    assert messages[0]["response"] == "utter_ask_rephrase"
    messages, events = run(ActionClarify(), tracker({"fallback_count": 1}, "咕噜", "nlu_fallback",
                                                    active_form=False))
    assert [m["response"] for m in messages] == ["utter_offer_handoff_after_failures"]
    assert not any(e["event"] == "pause" for e in events)
    assert slot_events(events) == {"fallback_count": 0}


def test_unreadable_answers_offer_the_hotline_and_the_question_stays():
    from actions.forms import MAX_FAILED_ANSWERS, ValidateEligibilityForm

    slots = {"topic": "ask_child_medical_insurance", "requested_slot": "children_age",
             "fallback_count": MAX_FAILED_ANSWERS - 1}
    messages, events = run(ValidateEligibilityForm(), tracker(slots, "嗯嗯那个啥", "nlu_fallback"))
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_offer_handoff_after_failures", responses
    assert len(responses) == 2 and "children_age" in responses[1], responses  # the question, re-asked
    assert not any(e["event"] == "pause" for e in events)
    assert slot_events(events)["requested_slot"] == "children_age"


@pytest.mark.parametrize("intent, clause_prefix", [("ask_wage_arrears", ""), ("ask_labour_contract", "")])
def test_guidance_answers_quote_a_listed_clause(intent, clause_prefix, monkeypatch):
    import actions.policy_search as ps
    from actions.policy_search import ActionAnswerPolicy
    from actions.topics import guidance_clauses

    monkeypatch.setattr(ps.knowledge, "search", lambda q, k=3: [])  # a button payload: no retrieval
    messages, events = run(ActionAnswerPolicy(), tracker({}, "/" + intent, intent, active_form=False))
    assert messages[0]["response"] == "utter_clause"
    assert messages[0]["clause_id"] == guidance_clauses(intent)[0]
    assert messages[0]["quote"] == get_clause(guidance_clauses(intent)[0]).text


@pytest.mark.parametrize("text, intent, clause", [
    ("送快递的受伤了算工伤吗", "ask_labour_dispute", "beilun_laoyousuode/task09/0"),  # not the 无欠薪 sentence
    ("劳动仲裁怎么申请", "ask_labour_dispute", "beilun_laoyousuode/task09/2"),
    ("公司拖欠工资三个月了怎么办", "ask_wage_arrears", "ningbo_leye/measure09/1"),
])
def test_another_sentence_of_a_listed_article_only_when_retrieval_is_sure(text, intent, clause):
    """Article (九) holds both 无欠薪 and 劳动争议调解: a weak hit on its 无欠薪 sentence is no answer to a
    work-injury question; the listed article is quoted instead."""
    from actions.policy_search import best_clause

    assert best_clause(text, intent) == clause


@pytest.mark.parametrize("confidence, quoted", [(0.99, False), (0.5, True)])
def test_a_sure_out_of_scope_quotes_no_clause(confidence, quoted):
    """上海的落户政策是啥: retrieval finds Ningbo's 落户 clause, but the question is about another city."""
    from actions.policy_search import ActionAnswerPolicy

    t = tracker({}, "上海的落户政策是啥", "out_of_scope", active_form=False)
    t.latest_message["intent"]["confidence"] = confidence
    messages, _ = run(ActionAnswerPolicy(), t)
    responses = [m["response"] for m in messages]
    assert ("utter_clause" in responses) is quoted
    assert ("utter_no_exact_clause" in responses) is not quoted


def test_reasons_are_joined_without_doubled_punctuation():
    from actions.eligibility import join_sentences

    assert join_sentences(["由市人力社保局规定。", "由市人力社保局决定。"]) == "由市人力社保局规定；由市人力社保局决定。"
    assert join_sentences(["还差4个月", "再缴满4个月"]) == "还差4个月；再缴满4个月"
    assert join_sentences(["同一句。", "同一句。"]) == "同一句。"
    assert join_sentences([]) == ""


def test_minimum_wage_says_the_plan_figure_is_a_target_not_the_legal_wage(monkeypatch):
    import actions.policy_search as ps
    from actions.policy_search import ActionAnswerPolicy

    monkeypatch.setenv("YSLY_AS_OF", "2026-11-24")
    monkeypatch.setattr(ps.knowledge, "search", lambda q, k=3: [])
    messages, _ = run(ActionAnswerPolicy(), tracker({}, "/ask_minimum_wage", "ask_minimum_wage", active_form=False))
    assert [m["response"] for m in messages[:2]] == ["utter_clause", "utter_guidance"]
    guidance = messages[1]
    assert "不是法定最低工资标准" in guidance["summary"]
    assert "“3000 左右”（元/月）" in guidance["notes"]       # the 2026 target cell, as written
    assert "12333" in guidance["next_steps"]
