"""The data the engine rests on: every clause id exists in the knowledge base, every quote is verbatim in its
clause, parameters are well-formed dated data, every template and question is there, and the code keeps
its shape (no Rasa, no today() in rules, no Chinese wording in Python)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from eligibility import FIELD_PATHS, GUIDANCE_IDS, OUTCOMES, PROGRAM_IDS, question
from eligibility.parameters import parameters
from eligibility.texts import texts
from knowledge import get_clause

from .conftest import normalize_ws

PACKAGE = Path(__file__).resolve().parents[2] / "eligibility"
PROGRAMS = texts()["programs"]
CONDITIONS = [(pid, key, c) for pid, spec in PROGRAMS.items() for key, c in spec["conditions"].items()]
NOTES = [(pid, key, n) for pid, spec in PROGRAMS.items() for key, n in (spec.get("notes") or {}).items()]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _verbatim(quote: str, clause_id: str) -> bool:
    return normalize_ws(quote) in normalize_ws(get_clause(clause_id).text)


@pytest.mark.parametrize("pid,key,cond", CONDITIONS, ids=[f"{p}.{k}" for p, k, _ in CONDITIONS])
def test_condition_quote_is_verbatim_in_its_clause(pid, key, cond):
    assert _verbatim(cond["quote"], cond["clause"]), (cond["clause"], cond["quote"])
    assert cond["label"] and "unknown" in cond
    if "refer_words" in cond:  # the words that leave the decision open are the source's own
        for word in cond["refer_words"]:
            for part in word.split("……"):
                assert part in get_clause(cond["clause"]).text, (key, word)
    else:
        assert "passed" in cond and "failed" in cond, key


@pytest.mark.parametrize("pid,key,note", NOTES, ids=[f"{p}.{k}" for p, k, _ in NOTES])
def test_note_quote_is_verbatim_in_its_clause(pid, key, note):
    assert _verbatim(note["quote"], note["clause"]), (note["clause"], note["quote"])


def test_every_program_has_its_wording():
    assert set(PROGRAMS) == set(PROGRAM_IDS) | set(GUIDANCE_IDS)
    for pid in PROGRAM_IDS:
        assert set(PROGRAMS[pid]["summary"]) == set(OUTCOMES), pid
        assert PROGRAMS[pid]["title"]
    for pid in GUIDANCE_IDS:
        assert "refer" in PROGRAMS[pid]["summary"] and PROGRAMS[pid]["notes"], pid


def test_every_field_path_has_a_question_and_a_reason():
    for path in FIELD_PATHS:
        q = question(path)
        assert q["prompt"] and q["why"], path


@pytest.mark.parametrize("name", sorted(parameters()))
def test_parameter_is_dated_data_citing_a_verbatim_clause(name):
    p = parameters()[name]
    assert p.description and p.unit
    assert _verbatim(p.quote, p.reference), (p.reference, p.quote)
    starts = [v.start for v in p.values if v.start is not None]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for v in p.values:
        get_clause(v.reference)
        if v.words:  # the date (or target cell) is stated in the source in these words
            assert v.words in get_clause(v.reference).text, (name, v.words)


def test_parameter_values_match_the_source_numbers():
    p = parameters()
    assert p["child_medical_parent_months"].at(date(2022, 1, 1)).value == 12
    assert p["child_medical_max_age"].at(date(2022, 1, 1)).value == 6
    assert p["child_medical_parent_months"].at(date(2021, 12, 31)) is None
    assert p["employee_medical_benefits_delay"].at(date(2021, 6, 30)) is None
    assert p["employee_medical_benefits_delay"].at(date(2021, 7, 1)).value == 1
    assert p["high_skill_award_amount"].at(date(2021, 12, 31)).value == 600
    assert p["high_skill_award_insurance_months"].at(date(2021, 12, 31)).value == 5 * 12
    assert p["high_skill_award_growth_pct"].at(date(2021, 12, 31)) is None  # first snapshot: no growth rule
    assert p["high_skill_award_growth_pct"].at(date(2022, 12, 31)).value == 5
    assert p["vocational_student_subsidy_amount"].at(date(2000, 1, 1)).value == 3000
    assert p["training_package_support_cap"].at(date(2000, 1, 1)).value == 10  # 最高10万元
    assert p["training_package_support_period"].at(date(2000, 1, 1)).words == "每年"
    # 分别给予5万元、20万元: in the order 技能大师工作室、实训基地; both 每两年
    assert (p["master_studio_award_amount"].at(date(2000, 1, 1)).value,
            p["training_base_award_amount"].at(date(2000, 1, 1)).value) == (5, 20)
    assert p["studio_and_base_evaluation_period"].at(date(2000, 1, 1)).value == 2
    wage = p["beilun_minimum_wage_top_tier_target"]
    assert [wage.at(date(y, 6, 1)).value for y in range(2023, 2028)] == [2580, 2580, 3000, 3000, 3200]
    assert wage.at(date(2022, 12, 31)) is None and wage.at(date(2028, 1, 1)) is None  # null ends it
    assert "不是法定最低工资标准" in wage.description


def _python_files():
    return sorted(PACKAGE.rglob("*.py"))


def test_no_rasa_imports_and_no_today_inside_rules():
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] in ("rasa", "rasa_sdk") for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in ("rasa", "rasa_sdk"), path
    for path in (PACKAGE / "rules").glob("*.py"):
        assert "today(" not in path.read_text(encoding="utf-8"), path


def test_no_chinese_wording_in_python_code():
    """Chinese user-facing text lives in texts.yaml; Python may carry it only in docstrings and comments."""
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                # the CLI's own status line glyphs are layout, not wording; everything else must be ASCII
                assert not CJK.search(node.value), (path.name, node.value)
