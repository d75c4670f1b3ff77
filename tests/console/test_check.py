"""console.check: the Check form generated from the fact schema, its parsing and the verdict view."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from console import check
from console.check import CHILD_SLOTS, check_view, form_fields, parse_form
from eligibility import PROGRAM_IDS, Profile, schema

AS_OF = date(2026, 12, 1)
CONSOLE = Path(check.__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields():
    return {f.name: f for f in form_fields(as_of=AS_OF)}


def test_one_field_per_fact_and_child_slot():
    fields = _fields()
    leaves = [f for f in schema.facts().values() if f.kind not in ("list", "object")]
    child_facts = [f for f in leaves if f.parent == "children"]
    assert len(fields) == len(leaves) + (CHILD_SLOTS - 1) * len(child_facts)
    assert {"children[0].age", "children[1].age", "student.family_hardship", "employer.master_studio_rating"} \
        <= set(fields)
    assert "children" not in fields and "employer" not in fields


def test_fields_carry_the_schema():
    fields = _fields()
    age = fields["children[1].age"]
    assert (age.path, age.kind, age.minimum, age.maximum) == ("children.age", "number", 0, 30)
    assert age.label == schema.fact("children.age").label and age.group == "children[1]"
    assert age.full_label != age.label and age.label in age.full_label
    assert fields["hukou"].choices == tuple(schema.fact("hukou").choices.items())
    assert [v for v, _ in fields["works_in_ningbo"].choices] == ["yes", "no"]
    months = fields["employee_medical_months"]
    assert months.whole and (months.minimum, months.maximum) == (0, 600) and months.unit
    assert fields["employer.shortage_high_skill_headcount"].whole
    assert fields["as_of"].kind == "date" and fields["as_of"].default == "2026-12-01"
    assert form_fields()[0].default == ""
    groups = [f.group for f in form_fields()]
    assert groups.index("children[0]") < groups.index("children[1]") < groups.index("student")


def test_a_filled_form_gives_the_profile():
    parsed = parse_form({
        "as_of": "2026-12-01", "hukou": "other", "works_in_ningbo": "yes", "employee_medical_months": "１４",
        "owns_home_in_ningbo": "", "children[0].age": "4", "children[0].hukou": "other",
        "children[0].residence_permit": ["", "yes"], "children[1].age": "", "csrf_token": "abc",
    }, ignore=("csrf_token",))
    assert parsed.errors == {}
    p = parsed.profile
    assert (p.as_of, p.hukou, p.works_in_ningbo, p.employee_medical_months) == (AS_OF, "other", True, 14)
    assert p.owns_home_in_ningbo is None and p.student is None
    assert len(p.children) == 1 and p.children[0].age == 4 and p.children[0].residence_permit is True
    assert parsed.values["employee_medical_months"] == 14 and "owns_home_in_ningbo" not in parsed.values


def test_a_second_child_alone_keeps_its_slot_name():
    parsed = parse_form({"children[1].age": "40", "children[1].hukou": "other"})
    assert set(parsed.errors) == {"children[1].age"}
    assert "30" in parsed.errors["children[1].age"]
    ok = parse_form({"children[1].age": "3", "children[1].hukou": "other"}, as_of=AS_OF)
    assert ok.profile.children[0].age == 3 and ok.profile.as_of == AS_OF


def test_units_and_empty_form():
    parsed = parse_form({"employee_medical_months": "14个月", "children[0].age": "3.5"}, as_of=AS_OF)
    assert parsed.profile.employee_medical_months == 14 and parsed.profile.children[0].age == 3.5
    empty = parse_form({}, as_of=AS_OF)
    assert empty.errors == {} and empty.profile == Profile(as_of=AS_OF)


@pytest.mark.parametrize(("name", "value", "must_say"), [
    ("employee_medical_months", "8.5", ("600",)),
    ("employee_medical_months", "-3", ("0", "600")),
    ("employee_medical_months", "十四", ("600",)),
    ("children[0].age", "31", ("0", "30")),
    ("works_in_ningbo", "maybe", ()),
    ("hukou", "shanghai", ("宁波户籍", "外地户籍")),
    ("employer.shortage_high_skill_headcount", "3.5", ("1000000",)),
    ("employer.high_skill_growth_pct", "abc", ()),
    ("as_of", "2026/13/01", ("2026-12-01",)),
])
def test_bad_values_name_the_field_and_what_is_allowed(name, value, must_say):
    parsed = parse_form({name: value, "hukou_province": "安徽"})
    assert parsed.profile is None
    assert list(parsed.errors) == [name]
    message = parsed.errors[name]
    assert _fields()[name].label in message
    for allowed in must_say:
        assert allowed in message
    assert name not in parsed.values and parsed.values["hukou_province"] == "安徽"


def test_unknown_field_is_an_error():
    parsed = parse_form({"hukou": "other", "salary": "5000"})
    assert parsed.profile is None and list(parsed.errors) == ["salary"] and "salary" in parsed.errors["salary"]


def test_check_view_child_medical_insurance_eligible():
    profile = Profile(as_of=AS_OF, hukou="other", employee_medical_months=14,
                      children=[{"age": 4, "hukou": "other", "residence_permit": True}])
    view = check_view(profile, AS_OF)
    assert [r.program for r in view.results][:1] == ["child_medical_insurance"]
    assert {r.program for r in view.results} == set(PROGRAM_IDS)
    r = view.results[0]
    assert r.outcome == "eligible" and r.outcome_label == check.word("outcomes.eligible")
    assert r.summary and r.departments
    assert len(r.reasons) >= 4 and all(x.status == "passed" for x in r.reasons)
    months = next(x for x in r.reasons if x.condition == "parent_medical_months")
    assert months.clause_id == "ningbo_leye/measure03/1" and "12个月" in months.quote and "14" in months.explanation
    assert r.decisive_clause == "ningbo_leye/measure03/1"
    assert sum(view.counts.values()) == len(view.results)


def test_check_view_not_eligible_gives_counterfactual_and_missing_labels():
    view = check_view(Profile(as_of=AS_OF, employee_medical_months=8, spouse_employee_medical_months=0,
                              children=[{"age": 4, "hukou": "other", "residence_permit": True}]), AS_OF)
    r = next(x for x in view.results if x.program == "child_medical_insurance")
    assert r.outcome == "not_eligible" and r.counterfactual and "4" in r.counterfactual
    failed = [x for x in r.reasons if x.status == "failed"]
    assert failed and failed[0].status_label == check.word("statuses.failed")
    need = next(x for x in view.results if x.program == "child_school_enrollment")
    assert need.outcome == "need_info"
    assert need.missing == tuple(schema.fact(p).label for p in need.missing_paths) and need.missing


def test_refer_conditions_are_flagged():
    view = check_view(Profile(as_of=AS_OF, works_in_ningbo=True, occupation="sanitation", frontline=True,
                              owns_home_in_ningbo=False, occupation_years_in_ningbo=6), AS_OF)
    r = next(x for x in view.results if x.program == "sanitation_worker_housing")
    assert r.outcome == "refer"
    refer = [x for x in r.reasons if x.refer]
    assert refer and refer[0].refer_label == check.word("refer") and r.refer_words


def test_several_children_get_a_subject_label():
    view = check_view(Profile(as_of=AS_OF, employee_medical_months=14,
                              children=[{"age": 4, "hukou": "other", "residence_permit": True},
                                        {"age": 2, "hukou": "ningbo"}]), AS_OF)
    child = [r for r in view.results if r.program == "child_medical_insurance"]
    assert [r.subject for r in child] == ["children[0]", "children[1]"]
    assert child[1].subject_label == check.word("subject_child", n=2)
    assert [r.outcome for r in child] == ["eligible", "not_applicable"]
    assert child[1] not in view.applicable


def test_no_chinese_literals_in_console_logic():
    """Chinese wording lives in console/data/*.yaml (as in eligibility/); docstrings and comments may hold it."""
    for name in sorted(p.name for p in CONSOLE.glob("*.py")):
        tree = ast.parse((CONSOLE / name).read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not CJK.search(node.value), (name, node.value)
