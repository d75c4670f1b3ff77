"""The clause data: verbatim, complete, ids per docs/contracts.md, quirks and conflicts kept."""

import re
from pathlib import Path

import pytest

from knowledge import all_clauses, children, documents, get_clause
from knowledge.clauses import normalize_ws

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path("/work/shared/policy-sources")
SOURCE_OF = {doc_id: meta["source"] for doc_id, meta in documents().items()}
ID_RE = re.compile(r"^(ningbo_leye|beilun_laoyousuode)/[a-z]+(\d\d)?/(\d+|row\d\d)$")
CITED_RE = re.compile(r"\b(ningbo_leye|beilun_laoyousuode)/([a-z]+\d*)/(row\d+|\d+)\b")


def source_text(doc_id):
    path = SOURCES / SOURCE_OF[doc_id]
    if not path.exists():
        pytest.skip(f"source {path} not available")
    return path.read_text(encoding="utf-8")


def test_every_clause_is_verbatim_in_its_source():
    for c in all_clauses():
        assert normalize_ws(c.source_text) in normalize_ws(source_text(c.doc_id)), c.id
        if c.kind != "target_row":
            assert c.text == c.source_text, c.id


def test_every_target_cell_appears_in_its_source_row():
    rows = [c for c in all_clauses() if c.kind == "target_row"]
    assert [c.row["row"] for c in rows] == list(range(1, 17))
    src = source_text("beilun_laoyousuode")
    for c in rows:
        line_cells = [x.strip() for x in c.source_text.split("|")]
        assert line_cells[0] == str(c.row["row"])
        assert [v["year"] for v in c.row["values"]] == [2023, 2024, 2025, 2026, 2027]
        assert [v["cell"] for v in c.row["values"]] == [x for x in line_cells[1:] if x][-5:], c.id
        assert f"{c.row['indicator']}({c.row['unit']})" in line_cells, c.id
        assert c.row["task"] in src
        for v in c.row["values"]:
            assert v["cell"] in c.text                  # the rendering quotes each cell as written
            assert normalize_ws(v["value"]) in normalize_ws(v["cell"])
            assert v["qualifier"] in ("", "<", ">", "左右")
            assert (v["qualifier"] in v["cell"]) if v["qualifier"] else True


def test_shifted_rows_inherit_the_task_of_the_row_above():
    inherited = {c.row["row"]: c.row["task_from_row"] for c in all_clauses()
                 if c.kind == "target_row" and "task_from_row" in c.row}
    assert inherited == {2: 1, 7: 6, 8: 6, 9: 6, 13: 12, 16: 15}
    assert get_clause("beilun_laoyousuode/targets/row16").row["task"] == "着力提升劳动争议调解仲裁效能"


def test_qualifiers_are_kept():
    cells = {v["year"]: v for v in get_clause("beilun_laoyousuode/targets/row10").row["values"]}
    assert (cells[2025]["value"], cells[2025]["qualifier"]) == ("3000", "左右")
    row1 = get_clause("beilun_laoyousuode/targets/row01").row["values"]
    assert all((v["value"], v["qualifier"]) == ("3.5", "<") for v in row1)
    row11 = get_clause("beilun_laoyousuode/targets/row11").row["values"]
    assert [v["cell"] for v in row11] == [">40", ">50", ">60", ">80", "全覆盖"]


def test_text_and_table_disagreement_is_kept_not_reconciled():
    text = get_clause("beilun_laoyousuode/task09/3")
    row = get_clause("beilun_laoyousuode/targets/row16")
    assert "劳动争议仲裁结案率保持在92%以上" in text.text
    assert {v["cell"] for v in row.row["values"]} == {"95"}
    assert text.notes and row.notes and text.notes == row.notes


def test_every_source_line_is_covered():
    for doc_id in SOURCE_OF:
        texts = [normalize_ws(c.source_text) for c in all_clauses() if c.doc_id == doc_id]
        meta = documents()[doc_id]
        for line in source_text(doc_id).splitlines():
            line = normalize_ws(line)
            if not line or line == normalize_ws(meta.get("table_header", "")):
                continue
            assert any(line in t for t in texts) or any(t in line for t in texts if len(t) > 4), line[:40]


def test_ids_are_ascii_unique_and_follow_the_scheme():
    ids = [c.id for c in all_clauses()]
    assert len(ids) == len(set(ids))
    for cid in ids:
        assert cid.isascii() and ID_RE.match(cid), cid
    for n in range(1, 11):
        assert get_clause(f"ningbo_leye/measure{n:02d}/0").heading
    for n in range(1, 10):
        assert get_clause(f"beilun_laoyousuode/task{n:02d}/0").article.startswith("(")
    for n in range(1, 5):
        get_clause(f"beilun_laoyousuode/safeguard{n:02d}/0")
        get_clause(f"beilun_laoyousuode/goals/{n}")
    for cid in ("ningbo_leye/title/0", "ningbo_leye/preamble/0", "ningbo_leye/closing/3",
                "beilun_laoyousuode/notice/0", "beilun_laoyousuode/title/0", "beilun_laoyousuode/preamble/0",
                "beilun_laoyousuode/guiding/0", "beilun_laoyousuode/goals/0"):
        get_clause(cid)
    with pytest.raises(KeyError):
        get_clause("ningbo_leye/measure11/0")


def test_contract_examples():
    assert get_clause("ningbo_leye/measure03/1").text.startswith("2022年度起，父母一方参加本市职工基本医保累计缴费满12个月")
    assert get_clause("ningbo_leye/measure03/1").text.endswith("与本市户籍人员相同。")
    assert get_clause("ningbo_leye/measure03/2").text.startswith("2021年7月1日起，用人单位职工自办理职工医保参保登记的次月起")
    assert get_clause("ningbo_leye/measure01/2").text.startswith("对在甬从事环卫工作满一定年限的无房一线环卫工人")
    assert "3000元生活补贴" in get_clause("ningbo_leye/measure06/5").text
    assert get_clause("ningbo_leye/measure01/4").text.startswith("加大公租房租赁补贴保障力度")
    c = get_clause("ningbo_leye/measure03/1")
    assert (c.doc_id, c.doc_status, c.article) == ("ningbo_leye", "征求意见稿", "三、放宽外来劳动者子女医保参保限制")
    assert c.departments == {"responsible": ["市医保局"], "lead": [], "supporting": ["市财政局"]}
    assert c.parent_id == "ningbo_leye/measure03/0"
    assert get_clause("ningbo_leye/title/0").text == "宁波市人力资源和社会保障局等6部门关于深入推进“甬上乐业”计划的若干措施（征求意见稿）"
    assert [c.text for c in children("ningbo_leye/closing/0")] == [
        "本措施自发布之日起实施。", "相关补贴政策与其他同类政策按照就高不重复原则执行。", "今后如遇中央、省政策调整按新规定执行。"]


def test_sentences_rebuild_their_paragraph():
    """/0 = article heading + sentences + department parenthetical, nothing lost or invented."""
    for p in all_clauses():
        kids = children(p.id)
        if not kids or p.kind != "paragraph" or not p.article or not re.match(r"^[一二三四五六七八九十(]", p.text):
            continue
        sep = "。" if p.id.split("/")[1] not in ("guiding", "goals") else ""
        tail = p.text[len(p.article) + len(sep):].strip()
        body = "".join(k.text for k in kids)
        if p.id.split("/")[1] in ("guiding", "goals"):
            assert normalize_ws(body) == normalize_ws(tail), p.id
            continue
        assert tail.startswith(body), p.id
        rest = tail[len(body):].strip()
        assert rest == (p.departments and _dept_text(p) or ""), p.id


def _dept_text(p):
    m = re.search(r"[（(](?:责任单位|牵头单位).*[）)]$", p.text.strip())
    return m.group(0) if m else ""


def test_departments_are_data():
    assert get_clause("ningbo_leye/measure08/2").departments["supporting"] == [
        "市公安局", "市市场监管局", "市服务业局", "市国资委"]
    assert get_clause("ningbo_leye/measure07/0").departments["lead"] == ["市人力社保局"]
    assert get_clause("beilun_laoyousuode/task07/1").departments["responsible"] == ["区总工会", "区人力社保局"]
    assert len(get_clause("beilun_laoyousuode/task04/0").departments["responsible"]) == 8
    assert get_clause("beilun_laoyousuode/safeguard01/0").departments == {"responsible": [], "lead": [], "supporting": []}
    for c in all_clauses():
        for names in c.departments.values():
            for name in names:
                assert name in source_text(c.doc_id), (c.id, name)


def test_source_quirks_are_kept():
    assert "推续深化“浙江无欠薪”行动" in get_clause("beilun_laoyousuode/targets/row14").text
    assert get_clause("beilun_laoyousuode/targets/row11").row["task"] == "稳步推行产业工人“能级工资集体协商"
    assert get_clause("beilun_laoyousuode/task01/0").text.endswith("(责任单位:区人力社保局)")
    assert get_clause("ningbo_leye/measure06/0").text.endswith("） ")     # trailing space as in the source


def test_every_cited_clause_id_exists():
    """Ids cited anywhere in the project (data, rules, actions, docs, golden set) resolve."""
    known = {c.id for c in all_clauses()}
    cited = {}
    for folder in ("knowledge", "eligibility", "actions", "bot", "data", "docs", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".yml", ".yaml", ".md", ".json", ".jsonl") or not path.is_file():
                continue
            if path == Path(__file__).resolve() or path.parent == ROOT / "knowledge" / "policies":
                continue                 # this test cites unknown ids on purpose; the YAML defines them
            for m in CITED_RE.finditer(path.read_text(encoding="utf-8", errors="ignore")):
                cited.setdefault(m.group(0), str(path.relative_to(ROOT)))
    assert len(cited) > 80           # the golden set alone cites this many
    unknown = {cid: where for cid, where in cited.items() if cid not in known}
    assert not unknown, unknown


def test_the_draft_flag_is_document_metadata_and_reaches_every_clause():
    """Whether a document is a draft (征求意见稿, not in force) is said once, in its policy YAML."""
    from knowledge import all_clauses, documents

    docs = documents()
    assert all(isinstance(doc.get("draft"), bool) for doc in docs.values()), "every policy YAML says draft: true/false"
    assert docs["ningbo_leye"]["draft"] is True and docs["beilun_laoyousuode"]["draft"] is False
    for clause in all_clauses():
        assert clause.doc_draft is docs[clause.doc_id]["draft"], clause.id
