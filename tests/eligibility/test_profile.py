"""The Profile model: unknown is None, validation errors name the field path, helpers for the dialogue."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility import Child, Profile, ProfileError


def _errors(**data):
    with pytest.raises(ProfileError) as e:
        Profile.from_dict(data)
    return dict(e.value.errors)


def test_every_fact_defaults_to_unknown_and_as_of_to_today():
    p = Profile()
    assert p.as_of == date.today()
    assert all(getattr(p, name) is None for name in Profile.__fields__ if name != "as_of")


def test_contract_example_builds_and_is_frozen():
    p = Profile(as_of=date(2026, 11, 24), hukou="other", employee_medical_months=8,
                children=[{"age": 4, "hukou": "other", "residence_permit": True}])
    assert p.children == (Child(age=4, hukou="other", residence_permit=True),)
    with pytest.raises(TypeError):
        p.hukou = "ningbo"


@pytest.mark.parametrize("data,path,words", [
    ({"children": [{"age": -1}]}, "children[0].age", "≥ 0"),
    ({"children": [{"age": 3}, {"hukou": "beijing"}]}, "children[1].hukou", "one of ningbo, other"),
    ({"children": {"age": 3}}, "children", "list"),
    ({"employee_medical_months": -3}, "employee_medical_months", "≥ 0"),
    ({"social_insurance_months": 12.5}, "social_insurance_months", "whole number"),
    ({"social_insurance_months": "12"}, "social_insurance_months", "whole number"),
    ({"works_in_ningbo": "yes"}, "works_in_ningbo", "true or false"),
    ({"works_in_ningbo": 1}, "works_in_ningbo", "true or false"),
    ({"occupation": "driver"}, "occupation", "sanitation"),
    ({"skill_level": "master"}, "skill_level", "senior_technician"),
    ({"student": {"family_hardship": "poor"}}, "student.family_hardship", "dibao"),
    ({"student": {"grade": 2}}, "student.grade", "unknown field"),
    ({"employer": "acme"}, "employer", "object"),
    ({"employer": {"high_skill_growth_pct": "5%"}}, "employer.high_skill_growth_pct", "number"),
    ({"as_of": "2026-13-01"}, "as_of", "YYYY-MM-DD"),
    ({"nickname": "小王"}, "nickname", "unknown field"),
    ({"occupation_years_in_ningbo": -1}, "occupation_years_in_ningbo", "≥ 0"),
])
def test_bad_input_names_the_field(data, path, words):
    errors = _errors(**data)
    assert path in errors and words in errors[path], errors


def test_all_errors_are_reported_together():
    errors = _errors(hukou="x", employee_medical_months=-1, children=[{"age": -2}])
    assert set(errors) == {"hukou", "employee_medical_months", "children[0].age"}
    assert "children[0].age: must be ≥ 0" in str(ProfileError(list(errors.items())))


def test_whole_float_months_and_negative_growth_are_fine():
    p = Profile.from_dict({"social_insurance_months": 12.0, "employer": {"high_skill_growth_pct": -3.5}})
    assert p.social_insurance_months == 12 and isinstance(p.social_insurance_months, int)
    assert p.employer.high_skill_growth_pct == -3.5


def test_from_facts_takes_dotted_paths_as_the_dialogue_keeps_them():
    p = Profile.from_facts({"employee_medical_months": 14, "children.age": 3, "children.hukou": "other",
                            "employer.shortage_high_skill_staff": True, "hukou": None},
                           as_of=date(2026, 1, 5))
    assert p.as_of == date(2026, 1, 5) and p.hukou is None
    assert p.get("children.age") == 3 and p.get("children.residence_permit") is None
    assert p.get("employer.shortage_high_skill_staff") is True and p.get("student.family_hardship") is None


def test_nested_models_validate_themselves_and_are_validated_again_in_the_profile():
    with pytest.raises(ProfileError) as e:
        Child(age=-1)
    assert e.value.errors == [("age", "must be ≥ 0")]
    with pytest.raises(ProfileError) as e:
        Profile(children=[Child(age=3), {"age": -1}])
    assert e.value.errors[0][0] == "children[1].age"


def test_to_dict_round_trips():
    data = {"as_of": "2026-11-24", "hukou": "other", "children": [{"age": 4, "hukou": "other"}],
            "student": {"from_partner_region": True}, "employer": {"high_skill_growth_pct": 5}}
    assert Profile.from_dict(data).to_dict() == data
    assert Profile.from_dict(Profile.from_dict(data).to_dict()) == Profile.from_dict(data)


def test_not_an_object():
    with pytest.raises(ProfileError) as e:
        Profile.from_dict([1, 2])
    assert "JSON object" in str(e.value)
