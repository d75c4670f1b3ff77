"""The readable YAML cases (cases/*.yaml): outcome, failed conditions, missing facts, counterfactuals."""

from __future__ import annotations

import re

import pytest

from eligibility import Profile, evaluate, next_questions

from .conftest import load_cases

CASES = load_cases()
KEY = re.compile(r"^(?P<program>[a-z_]+)(?:\[(?P<index>\d+)\])?$")


def test_there_are_at_least_80_cases():
    assert len(CASES) >= 80, len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}-{c['number']:02d}" for c in CASES])
def test_case(case):
    profile = Profile.from_dict(case["profile"])
    if case["next_questions"] is not None:
        assert next_questions(profile, case["programs"]) == case["next_questions"], case["name"]
    for key, want in case["expected"].items():
        m = KEY.match(key)
        program, index = m["program"], int(m["index"] or 0)
        results = evaluate(profile, [program])
        r = results[index]
        where = f"{key} in {case['name']!r}"
        assert r.outcome == want["outcome"], (where, r.outcome, [(x.condition, x.status) for x in r.reasons])
        if "failed" in want:
            assert [x.condition for x in r.reasons if x.status == "failed"] == want["failed"], where
        if "missing" in want:
            assert list(r.missing) == want["missing"], where
        if "counterfactual" in want:
            if want["counterfactual"] is None:
                assert r.counterfactual is None, (where, r.counterfactual)
            else:
                assert r.counterfactual and want["counterfactual"] in r.counterfactual, (where, r.counterfactual)
        if "refer_words" in want:
            assert list(r.refer_words) == want["refer_words"], where
        if "summary_contains" in want:
            assert want["summary_contains"] in r.summary, (where, r.summary)
        if "explanation_contains" in want:
            text = " ".join(x.explanation for x in r.reasons)
            assert want["explanation_contains"] in text, (where, text)
        if "notes_contain" in want:
            text = " ".join(n.explanation for n in r.notes)
            assert want["notes_contain"] in text, (where, text)
        if "departments_include" in want:
            assert want["departments_include"] in r.departments, (where, r.departments)
        if "subject" in want:
            assert r.subject == want["subject"], where
