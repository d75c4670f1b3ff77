"""The fact schema (facts.yaml), the programme registry (programmes.yaml) and the public assess() call."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility import PROGRAM_IDS, Profile, ProfileError, assess, evaluate, next_questions, schema
from eligibility import rules as registry
from eligibility.texts import texts


def test_every_fact_has_a_label_and_every_asked_fact_its_question_and_reason():
    for f in schema.facts().values():
        assert f.label, f.path
    for path in schema.field_paths():
        f = schema.fact(path)
        assert f.ask and f.why, path


def test_the_profile_is_built_from_the_schema():
    top = [f.name for f in schema.top_level()]
    assert list(Profile.__fields__) == top
    for container in ("children", "student", "employer"):
        model = Profile.__fields__[container].type_
        assert list(model.__fields__) == [f.name for f in schema.children_of(container)]


@pytest.mark.parametrize("path,value,words", [
    ("employee_medical_months", 601, "≤ 600"),
    ("children.age", 31, "≤ 30"),
    ("occupation_years_in_ningbo", 61, "≤ 60"),
    ("employer.high_skill_growth_pct", float("inf"), "number"),
    ("hukou", True, "one of ningbo, other"),
    ("hukou_province", 3, "string"),
    ("employer.shortage_high_skill_headcount", 2.5, "whole number"),
    ("employer.shortage_high_skill_headcount", -1, "≥ 0"),
])
def test_the_range_and_choices_of_the_schema_are_enforced_with_the_field_named(path, value, words):
    with pytest.raises(ProfileError) as e:
        Profile.from_facts({path: value})
    (where, message), = e.value.errors
    assert where == path.replace("children.", "children[0].") and words in message


def test_json_schema_has_types_ranges_choices_and_chinese_titles():
    js = Profile.schema()
    assert js["additionalProperties"] is False
    months = js["properties"]["employee_medical_months"]
    assert (months["type"], months["minimum"], months["maximum"]) == ("integer", 0, 600)
    assert js["properties"]["hukou"]["enum"] == ["ningbo", "other"]
    assert js["properties"]["hukou"]["title"] == schema.fact("hukou").label
    age = js["definitions"]["Child"]["properties"]["age"]
    assert (age["type"], age["minimum"], age["maximum"]) == ("number", 0, 30)
    headcount = js["definitions"]["Employer"]["properties"]["shortage_high_skill_headcount"]
    assert (headcount["type"], headcount["minimum"]) == ("integer", 0)  # whole: a count
    assert Profile.from_facts({"employer.shortage_high_skill_headcount": 12.0}).employer.shortage_high_skill_headcount == 12


def test_a_yes_no_answer_means_what_the_schema_says():
    assert schema.fact("hukou").answer(True) == "ningbo" and schema.fact("hukou").answer(False) == "other"
    assert schema.fact("works_in_ningbo").answer(False) is False
    assert schema.fact("children.age").yes_no is False and schema.fact("children.age").answer(True) is None


@pytest.mark.parametrize("spec,words", [
    ({"kind": "money", "label": "x"}, "kind must be one of"),
    ({"kind": "yes_no"}, "label is required"),
    ({"kind": "choice", "label": "x"}, "needs choices"),
    ({"kind": "choice", "label": "x", "choices": {"a": "A"}, "affirm": "b"}, "not one of its choices"),
    ({"kind": "list", "label": "x"}, "needs a model"),
    ({"kind": "yes_no", "label": "x", "prompt": "?"}, "unknown keys"),
    ({"kind": "months", "label": "x", "whole": True}, "only for a number"),
])
def test_a_maintainers_mistake_in_facts_yaml_is_named(spec, words):
    with pytest.raises(schema.SchemaError, match=words):
        schema._fact("new_fact", spec)


def test_the_registry_follows_programmes_yaml_and_finds_every_rule_function():
    assert PROGRAM_IDS[:3] == ("child_medical_insurance", "employee_medical_benefits_start",
                               "child_school_enrollment")
    assert set(registry.PROGRAMS) == set(texts()["programs"])
    assert all(r.func.__name__ == pid for pid, r in registry.PROGRAMS.items())


def test_a_programme_listed_without_a_rule_or_a_rule_not_listed_is_an_error(tmp_path, monkeypatch):
    listed = tmp_path / "programmes.yaml"
    listed.write_text("programmes:\n  child_medical_insurance: {kind: program}\n"
                      "  training_spaceship: {kind: program}\n", encoding="utf-8")
    monkeypatch.setattr(registry, "REGISTRY_PATH", listed)
    with pytest.raises(registry.RegistryError) as e:
        registry._registry()
    assert "training_spaceship: in programmes.yaml but no @rule function" in str(e.value)
    assert "wage_arrears: a @rule function not listed in programmes.yaml" in str(e.value)


def test_assess_gives_outcomes_missing_facts_and_checks_without_wording():
    profile = Profile(as_of=date(2026, 11, 24), hukou="other", employee_medical_months=8,
                      children=[{"age": 4, "hukou": "other"}])
    (a,) = assess(profile, ["child_medical_insurance"])
    (r,) = evaluate(profile, ["child_medical_insurance"])
    assert (a.program, a.kind, a.outcome) == (r.program, r.kind, r.outcome) == (
        "child_medical_insurance", "program", "need_info")
    assert a.missing == r.missing == ("spouse_employee_medical_months", "children.residence_permit")
    assert [c.key for c in a.checks] == [x.condition for x in r.reasons]
    assert a.check("parent_medical_months").status == "unknown" and a.check("child_age").status == "passed"
    assert [c.key for c in a.conditions_on("children.residence_permit")] == ["residence_permit"]
    assert not any(isinstance(v, str) and any("\u4e00" <= ch <= "\u9fff" for ch in v)
                   for c in a.checks for v in (c.key, c.status, c.effect))


def test_next_questions_are_the_missing_facts_of_the_assessments():
    profile = Profile(as_of=date(2026, 11, 24))
    asked = set(next_questions(profile, ["child_medical_insurance"]))
    missing = {p for a in assess(profile, ["child_medical_insurance"]) for p in a.missing}
    assert asked == missing and "children.hukou" in asked
