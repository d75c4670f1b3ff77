"""Lists and their items (详细说说第二个: actions/overview.py) and several questions in one message
(actions/questions.py), run in-process with a rasa_sdk Tracker."""

import pytest

from actions.eligibility import ActionCheckEligibility
from actions.overview import ActionAnswerItem, item_index
from actions.policy_search import ActionAnswerPolicy
from actions.topics import topic_of, worker_programmes
from tests.actions.test_dialogue_actions import run, slot_events, tracker


def responses(messages) -> list[str]:
    return [m.get("response") for m in messages]


def followups(events) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


def test_the_overview_numbers_its_lines_and_keeps_their_order():
    messages, events = run(ActionCheckEligibility(), tracker(
        {"topic": "ask_overview", "programs": worker_programmes()}, active_form=False))
    listed = slot_events(events)["listed"]
    lines = "\n".join(m["lines"] for m in messages if m.get("response", "").startswith("utter_overview_")
                      and m.get("lines"))
    assert listed and set(listed) <= set(worker_programmes())
    assert [line.split(".")[0] for line in lines.split("\n")] == [str(i) for i in range(1, len(listed) + 1)]


@pytest.mark.parametrize("reference, count, index", [
    (1, 3, 0), (3, 3, 2), (4, 3, None), (-1, 3, 2), (-2, 3, 1), (-4, 3, None), ("middle", 3, 1),
    ("middle", 4, None), (0, 3, None),
])
def test_item_index(reference, count, index):
    assert item_index(reference, count) == index


LISTED = ["child_medical_insurance", "child_school_enrollment", "free_skills_training"]


@pytest.mark.parametrize("text, program", [
    ("详细说说第二个", "child_school_enrollment"), ("头一个再讲讲", "child_medical_insurance"),
    ("最后那个呢", "free_skills_training"), ("来电人对第3项感兴趣", "free_skills_training"),
])
def test_an_item_of_the_last_list_runs_the_form_for_its_programme(text, program):
    messages, events = run(ActionAnswerItem(), tracker({"listed": LISTED, "topic": "ask_overview"}, text=text,
                                                       intent="ask_item", active_form=False))
    slots = slot_events(events)
    assert slots["programs"] == [program] and slots["topic"] == topic_of(program)
    assert followups(events) == ["eligibility_form"] and messages == []


def test_an_item_the_list_does_not_have_is_said_and_nothing_changes():
    messages, events = run(ActionAnswerItem(), tracker({"listed": LISTED}, text="第九个呢", intent="ask_item",
                                                       active_form=False))
    assert responses(messages) == ["utter_item_out_of_range"] and messages[0]["count"] == 3
    assert "programs" not in slot_events(events) and followups(events) == ["action_listen"]


def test_with_no_list_shown_a_numbered_part_is_the_documents_and_anything_else_asks_which():
    messages, events = run(ActionAnswerItem(), tracker(text="第十条", intent="ask_item", active_form=False))
    assert responses(messages)[0] == "utter_document_section" and followups(events) == ["action_listen"]
    messages, events = run(ActionAnswerItem(), tracker(text="第二个呢", intent="ask_item", active_form=False))
    assert responses(messages) == ["utter_item_no_list"] and followups(events) == ["action_listen"]
    # mid-form the form asks its question again
    _, events = run(ActionAnswerItem(), tracker(text="第二个呢", intent="ask_item", active_form=True))
    assert followups(events) == ["eligibility_form"]


def several(text, intent, also):
    t = tracker(text=text, intent=intent, active_form=False)
    t.latest_message["also_asked"] = also
    return t


def test_a_guidance_question_then_a_programme_question_of_the_same_message():
    t = several("最低工资多少 孩子能上学吗", "ask_minimum_wage",
                [{"intent": "ask_school_enrollment", "text": "孩子能上学吗"}])
    messages, events = run(ActionAnswerPolicy(), t)
    said = responses(messages)
    assert said[0] == "utter_several_questions" and messages[0]["count"] == 2
    first_answer = said[1:said.index("utter_next_question")]
    assert {"utter_target", "utter_clause"} & set(first_answer)   # the minimum wage is answered first
    assert messages[said.index("utter_next_question")]["question"] == "孩子能上学吗"
    slots = slot_events(events)
    assert slots["topic"] == "ask_school_enrollment" and slots["programs"] == ["child_school_enrollment"]
    assert slots["pending_questions"] == [] and followups(events) == ["eligibility_form"]


def test_two_guidance_questions_are_both_quoted_and_both_clauses_kept():
    t = several("老板拖工资找谁 劳动合同不签咋办", "ask_wage_arrears",
                [{"intent": "ask_labour_contract", "text": "劳动合同不签咋办"}])
    messages, events = run(ActionAnswerPolicy(), t)
    assert responses(messages).count("utter_clause") == 2 and followups(events) == []
    clauses = [e["value"] for e in events if e.get("name") == "answered_clauses"][-1]
    assert len(clauses) == 2 and clauses[0] != clauses[1]


def test_the_next_question_comes_after_a_verdict_and_one_question_gets_no_announcement():
    t = tracker({"topic": "ask_child_medical_insurance", "programs": ["child_medical_insurance"],
                 "pending_questions": [{"intent": "ask_hukou", "text": "落户呢"}]}, active_form=False)
    messages, events = run(ActionCheckEligibility(), t)
    said = responses(messages)
    assert said[0].startswith("utter_verdict_") and "utter_next_question" in said
    assert slot_events(events)["programs"] == ["hukou_settlement"] and followups(events) == ["eligibility_form"]
    messages, _ = run(ActionAnswerPolicy(), several("最低工资多少", "ask_minimum_wage", []))
    assert "utter_several_questions" not in responses(messages)


def test_stop_drops_the_waiting_questions_and_keeps_the_facts():
    from actions.questions import ActionStop

    t = tracker({"topic": "ask_child_medical_insurance", "children_age": 3,
                 "pending_questions": [{"intent": "ask_hukou", "text": "落户呢"}]}, text="算了", intent="stop")
    messages, events = run(ActionStop(), t)
    assert responses(messages) == ["utter_stop_ok"]
    assert slot_events(events) == {"pending_questions": None}     # children_age is not touched
    messages, events = run(ActionCheckEligibility(), tracker(
        {"topic": "ask_child_medical_insurance", "programs": ["child_medical_insurance"],
         "pending_questions": None}, active_form=False))
    assert "utter_next_question" not in responses(messages) and followups(events) == []


# ---------------------------------------------------------------- the same question for another person
from actions.people import ActionAnswerPerson  # noqa: E402


def asked_for(text, slots):
    return run(ActionAnswerPerson(), tracker(slots, text=text, intent="ask_person", active_form=False))


def test_a_guidance_topic_is_quoted_again_for_the_other_person():
    messages, events = asked_for("那我老婆呢", {"topic": "ask_wage_arrears",
                                               "answered_clauses": ["ningbo_leye/measure09/1"]})
    said = responses(messages)
    assert said[:2] == ["utter_person_same_clause", "utter_clause"] and messages[0]["person"] == "您爱人"
    assert followups(events) == ["action_listen"]


def test_an_adult_asked_about_a_childrens_topic_is_told_what_the_clause_covers():
    messages, events = asked_for("那俺自己呢", {"topic": "ask_child_medical_insurance",
                                               "programs": ["child_medical_insurance"]})
    assert responses(messages) == ["utter_person_not_covered"] and messages[0]["clause_id"].startswith("ningbo_leye/")
    assert messages[0]["departments"] and followups(events) == ["action_listen"]


def test_another_child_is_asked_about_afresh_with_what_the_message_says():
    slots = {"topic": "ask_school_enrollment", "programs": ["child_school_enrollment"], "children_age": 9,
             "children_hukou": "other", "hukou": "other"}
    _, events = asked_for("那俺小女儿呢 她5岁", slots)
    changed = slot_events(events)
    assert changed["children_age"] == 5 and changed["children_hukou"] is None
    assert "hukou" not in changed and followups(events) == ["eligibility_form"]


def test_the_workers_answers_are_set_aside_for_the_spouse_and_come_back():
    mine = {"topic": "ask_skills_training", "programs": ["free_skills_training"], "works_in_ningbo": True,
            "hukou": "other", "employee_medical_months": 20, "spouse_employee_medical_months": 6,
            "owns_home_in_ningbo": False}
    messages, events = asked_for("我老公也能参加不", mine)
    spouse = slot_events(events)
    assert responses(messages) == ["utter_person_switch"] and followups(events) == ["eligibility_form"]
    assert spouse["person"] == "spouse" and spouse["works_in_ningbo"] is None and spouse["hukou"] is None
    assert spouse["employee_medical_months"] == 6 and spouse["spouse_employee_medical_months"] == 20
    assert "owns_home_in_ningbo" not in spouse                      # the household's fact stays
    back = {**mine, **spouse, "works_in_ningbo": False}            # the spouse does not work in Ningbo
    _, events = asked_for("那我自己呢", back)
    me = slot_events(events)
    assert me["person"] == "self" and me["works_in_ningbo"] is True and me["employee_medical_months"] == 20
    assert me["people"]["spouse"]["works_in_ningbo"] is False


def test_the_verdict_says_whose_situation_it_is_for():
    messages, _ = run(ActionCheckEligibility(), tracker({"topic": "ask_skills_training",
                                                         "programs": ["free_skills_training"],
                                                         "person": "spouse"}, active_form=False))
    assert responses(messages)[0] == "utter_verdict_for_person" and messages[0]["person"] == "您爱人"


def test_with_no_topic_in_context_the_person_question_asks_which_topic():
    messages, events = asked_for("那我老婆呢", {})
    assert responses(messages) == ["utter_person_which_topic"] and followups(events) == ["action_listen"]


def test_a_follow_up_that_names_its_topic_again_is_answered_for_the_other_person():
    from actions.eligibility import ActionSetTopic

    mine = {"topic": "ask_rental_subsidy", "programs": ["public_rental_subsidy"], "works_in_ningbo": True}
    messages, events = run(ActionSetTopic(), tracker(mine, text="来电人询问其配偶是否可一并申请租赁补贴",
                                                     intent="ask_rental_subsidy", active_form=False))
    changed = slot_events(events)
    assert responses(messages) == ["utter_person_switch"] and changed["person"] == "spouse"
    assert changed["works_in_ningbo"] is None and followups(events) == ["eligibility_form"]
    # a worker's programme asked for the spouse with no topic in context: the spouse's answers, that topic
    messages, events = run(ActionSetTopic(), tracker({"works_in_ningbo": True}, text="我老公也能参加免费培训吗",
                                                     intent="ask_skills_training", active_form=False))
    changed = slot_events(events)
    assert changed["person"] == "spouse" and changed["topic"] == "ask_skills_training"
    # the children's topic asked again with 也 is no other child: nothing is cleared
    _, events = run(ActionSetTopic(), tracker({"topic": "ask_child_medical_insurance", "children_age": 4,
                                               "programs": ["child_medical_insurance"]},
                                              text="孩子也能交医保吗", intent="ask_child_medical_insurance",
                                              active_form=False))
    assert "children_age" not in slot_events(events) and "person" not in slot_events(events)
