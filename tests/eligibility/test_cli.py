"""`python -m eligibility check --json -`: the output shape, --program, and clear errors with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from eligibility.__main__ import main

EXAMPLE = {"as_of": "2026-11-24", "hukou": "other", "employee_medical_months": 8,
           "spouse_employee_medical_months": 3,
           "children": [{"age": 4, "hukou": "other", "residence_permit": True}]}
RESULT_KEYS = {"program", "title", "outcome", "reasons", "missing", "next_steps", "departments",
               "counterfactual"}


def run(monkeypatch, capsys, stdin: str, *args: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_shape(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, json.dumps(EXAMPLE), "--json", "-")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == "2026-11-24"
    assert {r["program"] for r in data["results"]} >= {"child_medical_insurance", "minimum_wage"}
    for r in data["results"]:
        assert RESULT_KEYS <= set(r)
        for reason in r["reasons"]:
            assert {"condition", "status", "clause_id", "quote"} <= set(reason)
    child = next(r for r in data["results"] if r["program"] == "child_medical_insurance")
    assert child["outcome"] == "not_eligible"
    assert "再缴满4个月" in child["counterfactual"]
    assert child["departments"] == ["市医保局"]


def test_program_option_limits_the_results(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, json.dumps(EXAMPLE), "--json", "--program",
                       "child_medical_insurance", "--program", "hukou_settlement,minimum_wage", "-")
    assert code == 0
    assert [r["program"] for r in json.loads(out)["results"]] == [
        "child_medical_insurance", "hukou_settlement", "minimum_wage"]


def test_text_output_is_chinese_with_clause_ids(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, json.dumps(EXAMPLE), "--program", "child_medical_insurance")
    assert code == 0 and "ningbo_leye/measure03/1" in out and "还差4个月" in out


@pytest.mark.parametrize("stdin,args,needle", [
    ("{bad json", (), "not valid JSON"),
    ("[1, 2]", (), "JSON object"),
    ('{"children": [{"age": -1}]}', (), "children[0].age: must be ≥ 0"),
    ('{"employee_medical_months": -5}', (), "employee_medical_months: must be ≥ 0"),
    ('{"hukou": "shanghai"}', (), "hukou: must be one of ningbo, other"),
    ('{"works_in_ningbo": "yes"}', (), "works_in_ningbo: must be true or false"),
    ('{"salary": 5000}', (), "salary: unknown field"),
    ("{}", ("--program", "lottery"), "unknown program 'lottery'"),
])
def test_bad_input_exits_2_naming_the_problem(monkeypatch, capsys, stdin, args, needle):
    code, out, err = run(monkeypatch, capsys, stdin, "--json", *args, "-")
    assert code == 2 and out == ""
    assert needle in err and "Traceback" not in err


def test_real_process_reads_stdin_and_exits_2_without_traceback():
    ok = subprocess.run([sys.executable, "-m", "eligibility", "check", "--json", "-"], input=json.dumps(EXAMPLE),
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)["results"]
    bad = subprocess.run([sys.executable, "-m", "eligibility", "check", "--json", "-"],
                         input='{"children": [{"age": "four"}]}', capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "children[0].age" in bad.stderr and "Traceback" not in bad.stderr
