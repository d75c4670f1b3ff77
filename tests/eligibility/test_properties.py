"""Properties over generated profiles (hypothesis): monotonic in contribution months, eligible only when every
condition passed, quotes verbatim in their clauses, every clause id known, questions only about unknowns."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility import Profile, evaluate, next_questions, schema
from knowledge import get_clause

from .conftest import normalize_ws

# derandomize: the same examples every run (CI-stable); database=None: nothing written into the repo
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def maybe(strategy):
    return st.one_of(st.none(), strategy)


# Profiles generated from the fact schema: a fact added to facts.yaml is covered here without a change.
PROVINCES = ["安徽", "江苏省", "上海", "河南", "四川省"]


def _values(fact):
    if fact.kind == "yes_no":
        return st.booleans()
    if fact.kind == "months":
        return st.integers(min_value=0, max_value=150)
    if fact.kind == "number":
        low = -50 if fact.minimum is None else fact.minimum
        high = 50 if fact.maximum is None else min(fact.maximum, 50)
        if fact.whole:  # a headcount
            return st.integers(int(low), int(high))
        return st.one_of(st.integers(int(low), int(high)), st.floats(low, high, allow_nan=False))
    if fact.kind == "choice":
        return st.sampled_from(list(fact.choices))
    if fact.kind == "text":
        return st.sampled_from(PROVINCES)
    raise AssertionError(f"no strategy for kind {fact.kind}")


def _model(container: str):
    fields = {f.name: maybe(_values(f)) for f in schema.children_of(container)}
    return st.fixed_dictionaries({}, optional=fields)


def _top(fact):
    if fact.kind == "list":
        return maybe(st.lists(_model(fact.path), max_size=3))
    if fact.kind == "object":
        return maybe(_model(fact.path))
    return maybe(_values(fact))


profiles = st.builds(
    Profile,
    # around every dated rule: 2021-07-01, 2021-12-31, 2022-01-01, 2022-12-31, 2023-12-31, 2023..2028 targets
    as_of=st.dates(min_value=date(2021, 1, 1), max_value=date(2029, 12, 31)),
    **{f.name: _top(f) for f in schema.top_level() if f.kind != "date"},
)


def _by_key(results):
    return {(r.program, r.subject): r for r in results}


@SETTINGS
@given(profiles, st.sampled_from(["social_insurance_months", "employee_medical_months",
                                  "spouse_employee_medical_months"]), st.integers(1, 60))
def test_more_contribution_months_never_turn_eligible_into_not_eligible(profile, field, extra):
    before = _by_key(evaluate(profile))
    more = profile.replace(**{field: (getattr(profile, field) or 0) + extra})
    after = _by_key(evaluate(more))
    for key, r in before.items():
        if r.outcome == "eligible":
            assert after[key].outcome != "not_eligible", (key, field, extra)
        # and a known count never goes from eligible to anything worse than eligible
        if r.outcome == "eligible" and getattr(profile, field) is not None:
            assert after[key].outcome == "eligible", (key, field, extra)


@SETTINGS
@given(profiles)
def test_eligible_only_if_every_condition_passed(profile):
    for r in evaluate(profile):
        if r.outcome == "eligible":
            assert r.reasons and all(x.status == "passed" for x in r.reasons), r.program
        if r.outcome == "not_eligible":
            assert any(x.status == "failed" for x in r.reasons), r.program
        if r.outcome == "need_info":
            assert r.missing and not any(x.status == "failed" for x in r.reasons), r.program
        if r.outcome == "refer" and r.kind == "program":
            assert r.refer_words and r.departments, r.program
        if r.counterfactual:
            assert r.outcome == "not_eligible", r.program


@SETTINGS
@given(profiles)
def test_every_quote_is_verbatim_in_an_existing_clause(profile):
    for r in evaluate(profile):
        for item in (*r.reasons, *r.notes):
            clause = get_clause(item.clause_id)  # KeyError if the id does not exist
            assert normalize_ws(item.quote) in normalize_ws(clause.text), (item.clause_id, item.quote)


@SETTINGS
@given(profiles)
def test_questions_are_unknown_facts_that_some_need_info_result_is_missing(profile):
    questions = next_questions(profile)
    assert len(questions) == len(set(questions))
    missing = {f for r in evaluate(profile) if r.outcome == "need_info" for f in r.missing}
    assert set(questions) == missing
    for path in questions:
        if not path.startswith("children."):
            assert profile.get(path) is None, path
    if all(r.outcome != "need_info" for r in evaluate(profile)):
        assert questions == []


@SETTINGS
@given(profiles)
def test_the_counterfactual_gap_is_enough(profile):
    """Adding exactly the months the counterfactual names removes that failure (smallest change)."""
    for r in evaluate(profile, ["child_medical_insurance", "employer_high_skill_award"]):
        failed = [x.condition for x in r.reasons if x.status == "failed"]
        if failed == ["parent_medical_months"]:
            best = max(m for m in (profile.employee_medical_months, profile.spouse_employee_medical_months)
                       if m is not None)
            need = 12
            fixed = profile.replace(employee_medical_months=need, spouse_employee_medical_months=None)
            nearly = profile.replace(employee_medical_months=need - 1, spouse_employee_medical_months=0)
            assert f"再缴满{need - best}个月" in r.counterfactual
        elif failed == ["insurance_months"]:
            need = 60
            assert f"再缴满{need - profile.social_insurance_months}个月" in r.counterfactual
            fixed = profile.replace(social_insurance_months=need)
            nearly = profile.replace(social_insurance_months=need - 1)
        else:
            continue
        again = [x for x in evaluate(fixed, [r.program]) if x.subject == r.subject][0]
        assert again.outcome != "not_eligible", (r.program, again.outcome)
        short = [x for x in evaluate(nearly, [r.program]) if x.subject == r.subject][0]
        assert short.outcome == "not_eligible", (r.program, short.outcome)


@SETTINGS
@given(profiles)
def test_the_enterprise_award_is_its_headcount_times_600_and_no_round_is_invented(profile):
    """measure05 for the enterprise: the sum is computed from its own headcount (no cap in the text); past
    2023年12月底 the answer is the last round's with the note that the text names no later one."""
    r = evaluate(profile, ["enterprise_high_skill_award"])[0]
    headcount = profile.get("employer.shortage_high_skill_headcount")
    if r.outcome == "eligible":
        assert f"{headcount}人、每人600元计算，企业可以领取奖励共{headcount * 600}元" in r.summary
    past_last = profile.as_of > date(2023, 12, 31)
    assert any("原文的统计时点只列到2023年12月底" in n.explanation for n in r.notes) == past_last
    if past_last:
        assert "2023年12月底" in r.summary and "2024年12月底" not in r.summary
