"""console.assist: a hotline call typed turn by turn, the clause card, the Search page and the outline."""

from datetime import date

import pytest

import knowledge
from console import assist as A
from console.assist import assist, clause_card, outline, part_card, search_view, staff_questions
from console.check import word
from eligibility import schema

AS_OF = date(2026, 12, 1)
CHILD_CALL = ["我孩子四岁了，想问一下能不能在宁波交医保", "不是，户口在安徽老家", "交了两年了", "有的"]


def _facts(view):
    return {r.path: r.value for r in view.facts}


def test_every_askable_fact_has_a_staff_wording():
    questions = staff_questions()
    askable = [f.path for f in schema.facts().values() if f.ask]
    assert askable and all(questions.get(p) for p in askable)
    assert set(questions) == set(askable)  # no wording for a fact the schema does not ask


def test_child_medical_insurance_call_reaches_a_verdict_with_its_quote():
    first = assist(CHILD_CALL[:1], as_of=AS_OF)
    assert _facts(first) == {"children.age": 4}
    assert first.programs[0] == "child_medical_insurance"
    assert first.next_question.path == "children.hukou"
    assert first.next_question.text == staff_questions()["children.hukou"]

    view = assist(CHILD_CALL, as_of=AS_OF)
    # each turn was read against the question suggested after the turns before it
    assert view.asked == (None, "children.hukou", "employee_medical_months", "children.residence_permit")
    assert _facts(view) == {"children.age": 4, "children.hukou": "other", "employee_medical_months": 24,
                            "children.residence_permit": True}
    assert {r.path: r.turn for r in view.facts} == {"children.age": 0, "children.hukou": 1,
                                                    "employee_medical_months": 2, "children.residence_permit": 3}
    assert all(r.source == "read" for r in view.facts) and view.vague == ()
    top = view.results[0]
    assert (top.program, top.outcome, top.outcome_label) == ("child_medical_insurance", "eligible",
                                                             word("outcomes.eligible"))
    assert top.conditions == () and view.next_question is None
    clause = view.clause
    source = knowledge.get_clause("ningbo_leye/measure03/1")
    assert clause.clause_id == source.id and clause.text == source.text and "满12个月" in clause.text
    assert clause.draft and clause.status == word("document_status.draft", status=source.doc_status)
    assert clause.departments == source.departments_text
    assert clause.copy_text.startswith(source.text + "\n")
    assert source.doc_title in clause.copy_text and source.article in clause.copy_text and source.id in clause.copy_text


def test_a_call_that_ends_not_eligible_names_the_failing_condition():
    view = assist(["娃3岁，能在宁波交医保不", "不是", "交了8个月", "我老公没交"], as_of=AS_OF)
    assert view.asked[1:] == ("children.hukou", "employee_medical_months", "spouse_employee_medical_months")
    assert _facts(view)["employee_medical_months"] == 8 and _facts(view)["spouse_employee_medical_months"] == 0
    r = view.results[0]
    assert r.program == "child_medical_insurance" and r.outcome == "not_eligible"
    failed = [c for c in r.conditions if c.status == "failed"]
    assert failed and failed[0].clause_id == "ningbo_leye/measure03/1" and "8" in failed[0].explanation
    assert r.counterfactual and "4" in r.counterfactual
    assert view.clause.clause_id == "ningbo_leye/measure03/1"


def test_student_living_subsidy_call():
    view = assist(["我女儿在宁波读技校，家里是低保", "是的"], as_of=AS_OF)
    assert view.asked == (None, "student.from_partner_region")
    assert _facts(view) == {"student.in_ningbo_vocational_school": True, "student.family_hardship": "dibao",
                            "student.from_partner_region": True}
    assert [r.program for r in view.results] == ["vocational_student_living_subsidy"]
    assert view.results[0].outcome == "eligible"
    assert view.clause.clause_id == "ningbo_leye/measure06/5" and "3000元" in view.clause.text
    assert {r.path: r.display for r in view.facts}["student.family_hardship"] == \
        schema.choice_label("student.family_hardship", "dibao")


def test_sanitation_worker_call_is_left_to_the_department_and_shows_the_vague_years():
    view = assist(["我是扫马路的，在宁波干了好多年，宁波没房子，能分公租房吗", "是一线的"], as_of=AS_OF)
    assert view.asked == (None, "frontline")
    assert _facts(view)["occupation"] == "sanitation" and _facts(view)["frontline"] is True
    vague = {r.path: r for r in view.vague}
    assert "occupation_years_in_ningbo" in vague and vague["occupation_years_in_ningbo"].vague
    assert vague["occupation_years_in_ningbo"].display.startswith(
        A.T.texts()["formats"]["at_least"].split("{")[0])
    top = view.results[0]
    assert top.program == "sanitation_worker_housing" and top.outcome == "refer"
    assert any(c.clause_id == "ningbo_leye/measure01/2" and c.status == "unknown" for c in top.conditions)
    assert view.clause.clause_id == "ningbo_leye/measure01/2" and "一定年限" in view.clause.text


def test_an_unrelated_turn_sets_no_fact():
    before = assist(CHILD_CALL[:1], as_of=AS_OF)
    after = assist([CHILD_CALL[0], "稍等一下，我找一下"], as_of=AS_OF)
    assert after.asked[1] == "children.hukou"
    assert after.facts == before.facts and after.next_question == before.next_question


def test_edits_override_what_was_read():
    view = assist(CHILD_CALL, edits={"employee_medical_months": "8", "spouse_employee_medical_months": 0,
                                     "children[0].age": ""}, as_of=AS_OF)
    rows = {r.path: r for r in view.facts}
    assert rows["employee_medical_months"].value == 8 and rows["employee_medical_months"].source == "edited"
    assert rows["employee_medical_months"].turn is None
    assert rows["spouse_employee_medical_months"].source == "edited"
    assert "children.age" not in rows  # "" removes a fact
    assert rows["children.hukou"].source == "read"
    assert view.results[0].outcome == "not_eligible" and view.errors == {}


def test_bad_edits_are_reported_and_ignored():
    view = assist(CHILD_CALL[:2], edits={"children.age": "40", "salary": "5000"}, as_of=AS_OF)
    assert set(view.errors) == {"children.age", "salary"}
    assert schema.fact("children.age").label in view.errors["children.age"]
    assert _facts(view)["children.age"] == 4


def test_recorded_questions_take_precedence():
    view = assist(["孩子4岁", "有的"], asked=[None, "children.residence_permit"], as_of=AS_OF)
    assert _facts(view)["children.residence_permit"] is True
    suggested = assist(["孩子4岁", "有的"], as_of=AS_OF)  # read against the suggested question instead
    assert suggested.asked[1] != "children.residence_permit"
    assert "children.residence_permit" not in _facts(suggested)


def test_guidance_topic_quotes_its_clause():
    view = assist(["老板拖欠工资三个月了咋办"], as_of=AS_OF)
    top = view.results[0]
    assert top.program == "wage_arrears" and top.outcome == "refer" and top.departments
    assert view.clause.clause_id == "ningbo_leye/measure09/1"


def test_no_clause_when_nothing_fits():
    view = assist(["你们几点下班"], as_of=AS_OF)
    assert view.facts == () and view.results == () and view.clause is None and view.next_question is None


def test_search_child_medical_insurance():
    view = search_view("孩子医保", k=5)
    ids = [c.clause_id for c in view.hits]
    assert "ningbo_leye/measure03/1" in ids and len(ids) == 5 and view.confident
    card = view.hits[ids.index("ningbo_leye/measure03/1")]
    assert card.text == knowledge.get_clause(card.clause_id).text and card.score is not None
    assert card.copy_text.startswith(card.text)
    assert search_view("   ").hits == ()


def test_beilun_clause_card_shows_the_plan_date():
    meta = knowledge.documents()["beilun_laoyousuode"]
    card = clause_card("beilun_laoyousuode/task09/1")
    day = date.fromisoformat(str(meta["date"]))
    assert not card.draft and meta["status"] in card.status
    assert str(day.year) in card.status and f"{day.month}月{day.day}日" in card.status
    assert card.departments  # the paragraph's department line, or the text names none
    assert card.status in card.copy_text


def test_outline_lists_every_numbered_part():
    docs = {d.doc_id: d for d in outline()}
    measures = [p for p in docs["ningbo_leye"].parts if p.part == "measure"]
    assert [p.number for p in measures] == list(range(1, 11))
    tasks = [p for p in docs["beilun_laoyousuode"].parts if p.part == "task"]
    assert [p.number for p in tasks] == list(range(1, 10))
    third = measures[2]
    assert third.section_id == "ningbo_leye/measure03"
    assert third.article == knowledge.get_clause("ningbo_leye/measure03/0").article
    card = part_card("ningbo_leye/measure03")
    assert card.text == knowledge.get_clause("ningbo_leye/measure03/0").text
    with pytest.raises(KeyError):
        part_card("ningbo_leye/measure99")
