"""console.workorder: the 工单 draft from an Assist call and from a handed-off conversation."""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

import pytest

from console import workorder
from console.assist import assist
from console.workorder import draft, from_conversation

AS_OF = datetime(2026, 12, 1, 10, 30)
CALL = ["我孩子四岁了，想问一下能不能在宁波交医保，我手机13912345678", "不是，户口在安徽老家",
        "交了两年了", "有的"]
HEADINGS = ("【来电/来源】", "【诉求类别】", "【诉求摘要】", "【已核实情况】", "【政策依据】", "【答复意见】",
            "【办理部门】", "【处理人】", "【时间】")


@pytest.fixture(scope="module")
def call():
    view = assist(CALL, as_of=AS_OF.date())
    transcript = [("caller", CALL[0]), ("staff", "请问孩子是宁波本地户口吗？"), ("caller", CALL[1]),
                  ("staff", "请问您职工医保交了多久？"), ("caller", CALL[2]), ("caller", CALL[3]),
                  ("caller", "身份证330203199001011234")]
    meta = {"channel": "hotline", "sender_id": "13912345678", "staff": "王芳", "time": AS_OF}
    return view, draft(list(view.facts) + list(view.vague), view.results, [view.clause], transcript, meta)


def _section(text, heading):
    start = text.index(heading) + len(heading)
    ends = [text.index(h) for h in HEADINGS if h in text and text.index(h) > start - len(heading)]
    end = min([e for e in ends if e >= start] or [len(text)])
    return text[start:end].strip()


def test_every_field_in_order(call):
    _, text = call
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


def test_fields_are_filled_from_the_call(call):
    view, text = call
    w = workorder.words()
    assert _section(text, "【来电/来源】").startswith(w["channels"]["hotline"])
    assert view.results[0].title in _section(text, "【诉求类别】")
    summary = _section(text, "【诉求摘要】")
    assert "四岁" in summary and "安徽老家" in summary and "请问" not in summary  # the caller's words only
    facts = _section(text, "【已核实情况】")
    for row in view.facts:
        assert f"{row.label}：{row.display}" in facts
    basis = _section(text, "【政策依据】")
    assert "ningbo_leye/measure03/1" in basis and view.clause.doc_title in basis and view.clause.article in basis
    replies = _section(text, "【答复意见】").splitlines()
    staff_lines = [line for line in replies if "坐席答复" in line]
    assert len(replies) == len(view.results) + len(staff_lines) and staff_lines  # verdicts, then what staff said
    assert view.results[0].outcome_label in replies[0] and view.results[0].summary in replies[0]
    assert "市医保局" in _section(text, "【办理部门】")
    assert _section(text, "【处理人】") == "王芳"
    assert _section(text, "【时间】") == "2026-12-01 10:30"


def test_phone_and_id_numbers_are_masked(call):
    _, text = call
    assert "13912345678" not in text and "330203199001011234" not in text
    assert "139****5678" in text  # the sender id and the caller's own words


def test_summary_is_shortened():
    long_turn = "我想问一下" * 60
    text = draft([], [], [], [("caller", long_turn)], {"channel": "wechat", "staff": "李强", "time": "12-01"})
    summary = _section(text, "【诉求摘要】")
    limit = workorder.words()["summary_chars"]
    assert len(summary) == limit + len(workorder.words()["ellipsis"]) and summary.endswith(workorder.words()["ellipsis"])
    none = workorder.words()["none"]
    assert _section(text, "【政策依据】") == none and _section(text, "【办理部门】") == none
    assert _section(text, "【诉求类别】") == workorder.words()["category_plain"]


def test_edited_facts_are_marked():
    view = assist(CALL, edits={"employee_medical_months": "8", "spouse_employee_medical_months": "0"},
                  as_of=AS_OF.date())
    text = draft(view.facts, view.results, [view.clause], [("caller", CALL[0])], {"staff": "王芳"})
    edited = [r for r in view.facts if r.source == "edited"]
    assert edited
    for row in edited:
        assert workorder.words()["fact_source_edited"].format(label=row.label, value=row.display) in text
    assert "不符合" in _section(text, "【答复意见】")


@dataclass
class _Line:
    who: str
    text: str


def test_from_a_handed_off_conversation():
    view = SimpleNamespace(
        channel="wechat", sender_id="oX2k9wechat13857481234",
        lines=[_Line("worker", "娃3岁，能在宁波交医保不"), _Line("bot", "您本人是宁波户口吗？"),
               _Line("worker", "我电话13857481234，转人工"), _Line("event", "")],
        facts=[{"path": "children.age", "label": "孩子周岁", "value": "3"}],
        outcomes=[{"program": "child_medical_insurance", "title": "外来劳动者子女参加宁波城乡居民医保",
                   "outcome": "need_info", "clauses": ["ningbo_leye/measure03/1"]}],
        clauses=[{"id": "ningbo_leye/measure03/1", "doc_title": "宁波…若干措施（征求意见稿）",
                  "article": "三、放宽外来劳动者子女医保参保限制", "text": "…"}],
    )
    staff = SimpleNamespace(display_name="王芳", username="wangf")
    text = from_conversation(view, staff, 1764556200.0)  # 2025-12-01 10:30 in Ningbo
    assert "微信公众号" in _section(text, "【来电/来源】")
    assert "13857481234" not in text and "138****1234" in text
    assert "孩子周岁：3" in text and "ningbo_leye/measure03/1" in text
    assert "还需要了解" in _section(text, "【答复意见】") and "您本人" not in _section(text, "【诉求摘要】")
    assert _section(text, "【处理人】") == "王芳" and _section(text, "【时间】") == "2025-12-01 10:30"
    assert "市医保局" in _section(text, "【办理部门】")


def test_the_draft_lists_what_staff_answered_after_the_verdicts():
    from console.workorder import draft

    text = draft([], [], [], [("worker", "孩子医保能交吗"), ("staff", "可以，父母一方满12个月就行"),
                             ("bot", "机器人的话"), ("staff", "  ")],
                 {"channel": "rest", "sender_id": "w1", "staff": "王芳", "time": "2026-12-02 10:00"})
    answers = text.split("【答复意见】")[1].split("【办理部门】")[0]
    assert "坐席答复：可以，父母一方满12个月就行" in answers
    assert "机器人的话" not in answers and answers.count("坐席答复") == 1
