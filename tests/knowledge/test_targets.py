"""The Beilun targets table as answers (knowledge/targets.py): indicator and year(s) of a question, the
cells verbatim, qualifiers in words, years the table lacks, and the body text / table conflict both ways.

Expected figures are read from the policy YAML here, never retyped: a test that said "37" would pass on a
wrong row as long as someone typed the same wrong number twice."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import get_clause
from knowledge.__main__ import main as cli
from knowledge.targets import DATA_FILE, lookup, render, target_text

ROOT = Path(__file__).resolve().parents[2]
POLICY = yaml.safe_load((ROOT / "knowledge/policies/beilun_laoyousuode.yaml").read_text(encoding="utf-8"))
DATA = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
ROWS = {c["id"]: c for c in POLICY["clauses"] if c.get("kind") == "target_row"}
BY_NUMBER = {c["row"]: c for c in ROWS.values()}
YEARS = [2023, 2024, 2025, 2026, 2027]
AS_OF = date(2026, 12, 2)
CONFLICT = next(c for c in POLICY["conflicts"] if "beilun_laoyousuode/targets/row16" in c["clauses"])
BODY_ID = next(i for i in CONFLICT["clauses"] if i not in ROWS)


def cells(row: dict, years=YEARS) -> list[tuple[int, str, str, str]]:
    return [(v["year"], str(v["value"]), v["qualifier"], str(v["cell"])) for v in row["values"] if v["year"] in years]


def got(answer, n: int = 0) -> list[tuple[int, str, str, str]]:
    return [(v.year, v.value, v.qualifier, v.cell) for v in answer.rows[n].values]


# --- every row ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cid", list(ROWS))
def test_each_indicator_name_finds_its_row_with_every_year(cid):
    row = ROWS[cid]
    answer = lookup(row["indicator"])
    assert answer.clause_ids == (cid,)
    r = answer.rows[0]
    assert (r.indicator, r.unit, r.task, r.row) == (row["indicator"], row["unit"], row["task"], row["row"])
    assert answer.all_years and answer.years == tuple(YEARS) and not answer.out_of_range
    assert got(answer) == cells(row)


@pytest.mark.parametrize("cid", list(ROWS))
@pytest.mark.parametrize("year", YEARS)
def test_a_year_picks_its_value_qualifier_and_cell(cid, year):
    row = ROWS[cid]
    answer = lookup(f"{year}年{row['indicator']}的目标是多少")
    assert answer.clause_ids == (cid,) and not answer.all_years and answer.years == (year,)
    assert got(answer) == cells(row, [year])
    text = render(answer)
    v = answer.rows[0].values[0]
    assert f"（原表：{v.cell}）" in text and target_text(v, row["unit"]) in text
    assert row["indicator"] in text and cid in text


def test_qualifiers_are_put_in_words():
    for cid, word in (("beilun_laoyousuode/targets/row01", "低于"), ("beilun_laoyousuode/targets/row11", "高于"),
                      ("beilun_laoyousuode/targets/row10", "左右")):
        row = ROWS[cid]
        v = next(v for v in lookup(row["indicator"]).rows[0].values if v.qualifier)
        phrase = target_text(v, row["unit"])
        assert word in phrase and v.value in phrase and row["unit"] in phrase
        assert v.qualifier not in phrase.replace("左右", "") or v.qualifier == "左右"
    # a cell that is words (全覆盖) keeps no unit: not "全覆盖%", not "规上企业全覆盖人次"
    for cid in ("beilun_laoyousuode/targets/row11", "beilun_laoyousuode/targets/row12"):
        last = lookup("2027年" + ROWS[cid]["indicator"]).rows[0].values[0]
        assert target_text(last, ROWS[cid]["unit"]) == last.value == last.cell


def test_every_qualifier_of_the_table_has_wording():
    qualifiers = {v["qualifier"] for row in ROWS.values() for v in row["values"]}
    assert qualifiers <= set(DATA["qualifiers"])


# --- years --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["每年的城镇登记失业率", "城镇登记失业率历年目标", "这几年城镇登记失业率",
                                      "五年里城镇登记失业率", "城镇登记失业率"])
def test_every_year(question):
    answer = lookup(question)
    assert answer.all_years and answer.years == tuple(YEARS)
    assert got(answer) == cells(ROWS["beilun_laoyousuode/targets/row01"])


def test_all_years_render_each_cell_or_one_cell_when_they_are_the_same():
    varied = render(lookup("技能人才总量"))
    for v in ROWS["beilun_laoyousuode/targets/row06"]["values"]:
        assert f"{v['year']}年" in varied and f"（原表：{v['cell']}）" in varied
    same = render(lookup("城镇登记失业率"))
    assert same.count("<3.5") == 1 and "2023—2027" in same


@pytest.mark.parametrize("question,years", [
    ("2025到2027年技能人才总量", [2025, 2026, 2027]),
    ("技能人才总量2023-2025", [2023, 2024, 2025]),
    ("二三年到二五年的技能人才总量", [2023, 2024, 2025]),
    ("2023年和2027年的技能人才总量", [2023, 2027]),
])
def test_ranges_and_lists_of_years(question, years):
    answer = lookup(question)
    assert [v.year for v in answer.rows[0].values] == years
    assert got(answer) == cells(ROWS["beilun_laoyousuode/targets/row06"], years)


@pytest.mark.parametrize("question", ["2030年技能人才占比会到多少", "2022年技能人才占比", "二〇二八年技能人才占比"])
def test_a_year_outside_the_table_is_said_not_made_up(question):
    answer = lookup(question)
    assert answer.clause_ids == ("beilun_laoyousuode/targets/row08",)
    assert answer.out_of_range and not answer.years and answer.rows[0].values == ()
    text = render(answer)
    assert str(answer.out_of_range[0]) in text and "2023" in text and "2027" in text
    for v in ROWS["beilun_laoyousuode/targets/row08"]["values"]:
        assert f"（原表：{v['cell']}）" not in text


def test_years_in_and_out_of_the_table_together():
    answer = lookup("劳动人事争议仲裁结案率2030年和2027年")
    assert answer.years == (2027,) and answer.out_of_range == (2030,)
    assert got(answer) == cells(ROWS["beilun_laoyousuode/targets/row16"], [2027])


def test_relative_years_need_the_date():
    assert lookup("明年城镇登记失业率", as_of=AS_OF).years == (2027,)
    assert lookup("今年城镇登记失业率", as_of=AS_OF).years == (2026,)
    assert lookup("去年城镇登记失业率", as_of=AS_OF).years == (2025,)
    late = lookup("明年城镇登记失业率", as_of=date(2027, 3, 1))
    assert late.out_of_range == (2028,) and late.rows[0].values == ()
    undated = lookup("明年城镇登记失业率")
    assert undated.all_years and undated.unresolved_year == "明年" and "明年" in render(undated)


def test_a_number_of_years_is_no_year():
    assert lookup("干了15年以上的技能人才有补贴吗") is None
    assert lookup("五年里技能人才总量").all_years               # 五年 is the table's span, not 2005


# --- the body text / table conflict -------------------------------------------------------------------------

def test_the_arbitration_conflict_shows_both_figures_with_their_clause_ids():
    answer = lookup("仲裁结案率到底是92%还是95%")
    assert answer.clause_ids == ("beilun_laoyousuode/targets/row16",)
    (c,) = answer.contradictions
    body = get_clause(BODY_ID)
    assert (c.body_clause_id, c.table_clause_id, c.note) == (BODY_ID, "beilun_laoyousuode/targets/row16",
                                                             CONFLICT["note"])
    assert c.body_quote in body.text and c.body_quote in CONFLICT["note"]      # verbatim both ways
    assert c.body_figure and c.body_figure in c.body_quote and c.body_article == body.article
    text = render(answer)
    assert c.body_quote in text and BODY_ID in text and "beilun_laoyousuode/targets/row16" in text
    table_cells = {str(v["cell"]) for v in ROWS["beilun_laoyousuode/targets/row16"]["values"]}
    conflict_line = next(line for line in text.splitlines() if BODY_ID in line)
    assert c.body_figure in conflict_line and all(cell in conflict_line for cell in table_cells)
    for figure in re.findall(r"\d+%?", CONFLICT["note"]):                    # every figure the note names
        assert figure in text


def test_the_conflict_comes_with_a_single_year_too():
    answer = lookup("2025年劳动争议仲裁结案率")
    assert answer.years == (2025,) and answer.contradictions
    text = render(answer)
    assert answer.contradictions[0].body_quote in text


def test_rows_without_a_conflict_have_none():
    conflicted = {i for c in POLICY["conflicts"] for i in c["clauses"]}
    for cid, row in ROWS.items():
        assert bool(lookup(row["indicator"]).contradictions) == (cid in conflicted), cid


# --- not a table question -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "工伤认定要什么材料", "孩子医保怎么交", "上海落户条件", "我在上海交的社保能落户吗",
    "失业金怎么领", "被拖欠工资了怎么办", "劳动仲裁怎么申请", "职业技能培训补贴怎么申请",
    "高技能人才补贴有多少", "就业困难人员认定条件", "专利怎么申请", "公租房租赁补贴",
    "最低工资是多少",            # the legal standard in force, not the plan's target: see test below
    "技能人才",                  # a topic, not one of the table's measures
    "", "？？", "2027年",
])
def test_questions_about_something_else_get_no_row(question):
    assert lookup(question, as_of=AS_OF) is None


def test_the_minimum_wage_row_needs_a_question_about_the_plan():
    assert lookup("今年北仑最低工资标准是多少", as_of=AS_OF) is None
    answer = lookup("2027年最低工资目标", as_of=AS_OF)
    assert answer.clause_ids == ("beilun_laoyousuode/targets/row10",)
    assert DATA["text"]["caveats"]["beilun_laoyousuode/targets/row10"] in render(answer)
    assert lookup("最低工资标准最高档").clause_ids == ("beilun_laoyousuode/targets/row10",)   # its own name


# --- questions as people type them --------------------------------------------------------------------------

ALL = YEARS
COLLOQUIAL = [   # (question, row number(s), years) — as of 2026-12-02
    ("2027年技能人才占比多少", [8], [2027]),
    ("北仑失业率控制在多少以内", [1], ALL),
    ("明年城镇登记失业率目标是多少", [1], [2027]),
    ("今年新增就业人数要完成多少万", [2], [2026]),
    ("二五年新增就业目标", [2], [2025]),
    ("就业困难人员的帮扶率是多少", [3], ALL),
    ("困难人员就业帮扶率", [3], ALL),
    ("每万人有几件高价值发明专利，2024年的", [4], [2024]),
    ("职业技能培训累计要到多少万人次", [5], ALL),
    ("到2027年技能人才总量多少万人", [6], [2027]),
    ("高技能人才有多少，二〇二六年", [7], [2026]),
    ("２０２６年高技能人才总量", [7], [2026]),
    ("技能人才占从业人员的比重历年目标", [8], ALL),
    ("技能人才在从业人员中的比例", [8], ALL),
    ("高技能人才占比2025年", [9], [2025]),
    ("2027年最低工资标准最高档规划多少", [10], [2027]),
    ("两千零二十五年最低工资目标", [10], [2025]),
    ("能级工资集体协商覆盖率23年要多少", [11], [2023]),
    ("2027年工资集体协商覆盖率是不是全覆盖", [11], [2027]),
    ("劳动关系协调员每年培训多少人次", [12], ALL),
    ("今年要给多少家企业做劳动用工体检", [13], [2026]),
    ("去年劳动用工体检做了多少家次", [13], [2025]),
    ("欠薪化解率明年多少", [14], [2027]),
    ("欠薪线索动态化解率2025-2027年", [14], [2025, 2026, 2027]),
    ("劳动争议调解成功率定的多少", [15], ALL),
    ("劳动人事争议仲裁结案率二零二四年", [16], [2024]),
    ("五年指标里城镇登记失业率这几年怎么定的", [1], ALL),
    ("帮我查下2023年和2027年的技能人才总量", [6], [2023, 2027]),
    ("请问二六年的登记失业率", [1], [2026]),
    ("技能人才占比和高技能人才占比分别多少", [8, 9], ALL),
    ("我们区技能人才的比例，二三年到二五年", [8], [2023, 2024, 2025]),
]


@pytest.mark.parametrize("question,rows,years", COLLOQUIAL)
def test_colloquial_questions(question, rows, years):
    answer = lookup(question, as_of=AS_OF)
    assert answer is not None, question
    assert [r.row for r in answer.rows] == rows
    for n, r in enumerate(answer.rows):
        assert got(answer, n) == cells(BY_NUMBER[r.row], years)
    assert DATA["text"]["standing_note"] in render(answer)


# --- the data file ------------------------------------------------------------------------------------------

def test_aliases_name_existing_rows_each_once_in_the_rows_own_words():
    seen: dict[str, str] = {}
    for cid, names in DATA["aliases"].items():
        row = ROWS[cid]
        own = row["indicator"] + row["task"]
        for alias in names:
            assert alias not in seen, (alias, seen.get(alias), cid)
            seen[alias] = cid
            assert any(alias[i:i + 2] in own for i in range(len(alias) - 1)), (cid, alias)
            assert alias not in {r["indicator"] for r in ROWS.values()}
        assert len(names) <= 5, "keep the list short"
    assert set(DATA["needs_target_context"]) <= set(ROWS)
    assert set(DATA["text"]["caveats"]) <= set(ROWS)


def test_each_alias_finds_its_row():
    for cid, names in DATA["aliases"].items():
        for alias in names:
            answer = lookup("2025年" + alias)
            assert answer is not None and answer.clause_ids == (cid,), alias


def test_no_user_sentence_is_in_the_python():
    """The module's CJK literals are numerals and 年 (year grammar); sentences live in targets.yaml."""
    allowed = set("〇零一二两三四五六七八九十千年")
    tree = ast.parse((ROOT / "knowledge/targets.py").read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            cjk = {ch for ch in node.value if "\u4e00" <= ch <= "\u9fff" or ch == "〇"}
            assert cjk <= allowed, node.value


# --- properties ---------------------------------------------------------------------------------------------

_CN = "〇一二三四五六七八九"


def _written(year: int, form: str) -> str:
    yy = year % 100
    return {
        "arabic": f"{year}年",
        "arabic_bare": f"{year}",
        "fullwidth": "".join(chr(ord(d) + 0xFEE0) for d in str(year)) + "年",
        "short": f"{yy}年",
        "chinese": "".join(_CN[int(d)] for d in str(year)) + "年",
        "chinese_zero": "".join("零" if d == "0" else _CN[int(d)] for d in str(year)) + "年",
        "chinese_short": "".join(_CN[int(d)] for d in f"{yy:02d}") + "年",
        "thousands": f"两千零{_CN[yy // 10]}十{_CN[yy % 10] if yy % 10 else ''}年",
    }[form]


FORMS = ["arabic", "arabic_bare", "fullwidth", "short", "chinese", "chinese_zero", "chinese_short", "thousands"]
FRAMES = ["{y}{name}是多少", "{name}{y}的目标", "请问{y}的{name}定了多少", "{y}，{name}", "帮我查一下{name}，{y}要达到多少"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(ROWS)), st.sampled_from(YEARS), st.sampled_from(FORMS), st.sampled_from(FRAMES),
       st.booleans())
def test_any_way_of_writing_a_year_gives_the_same_row_and_year(cid, year, form, frame, by_alias):
    names = [ROWS[cid]["indicator"], *DATA["aliases"].get(cid, [])]
    name = names[-1] if by_alias else names[0]
    answer = lookup(frame.format(y=_written(year, form), name=name), as_of=AS_OF)
    assert answer is not None and answer.clause_ids == (cid,)
    assert answer.years == (year,) and got(answer) == cells(ROWS[cid], [year])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("技能人才失业率占比高低年二〇五2027最工资仲裁结案明今每的，？ 10%")),
               max_size=30))
def test_any_text_gives_none_or_a_cited_row(text):
    answer = lookup(text, as_of=AS_OF)
    if answer is not None:
        assert answer.rows and set(answer.clause_ids) <= set(ROWS)
        assert set(answer.years) <= set(YEARS) and not (set(answer.out_of_range) & set(YEARS))
        render(answer)


# --- the command line ---------------------------------------------------------------------------------------

def test_cli_prints_the_answer_or_fails_clearly(capsys):
    assert cli(["target", "2027年技能人才占比"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == render(lookup("2027年技能人才占比"))
    assert cli(["target", "工伤认定怎么办"]) == 1
    assert "no row" in capsys.readouterr().err
    assert cli(["target", "明年欠薪化解率", "--json", "--as-of", "2026-12-02"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["clause_ids"] == ["beilun_laoyousuode/targets/row14"] and d["years"] == [2027]
    assert d["rows"][0]["values"] == [dict(zip(("year", "value", "qualifier", "cell"), c, strict=True))
                                      for c in cells(ROWS["beilun_laoyousuode/targets/row14"], [2027])]
