"""Questions about the documents themselves (knowledge.navigation): parts by number or subject, aspects,
ambiguity between the two documents; every figure and text comes from the policy YAML."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import get_clause, navigation
from knowledge.navigation import read_document_question

CN = "零一二三四五六七八九十"


def cn(n: int) -> str:
    return CN[n] if n <= 10 else f"十{CN[n - 10]}"


def test_every_numbered_part_of_both_documents_is_known():
    by_part = {(s.doc_id, s.part): [x.number for x in navigation.numbered() if (x.doc_id, x.part) == (s.doc_id, s.part)]
               for s in navigation.numbered()}
    assert by_part[("ningbo_leye", "measure")] == list(range(1, 11))
    assert by_part[("beilun_laoyousuode", "task")] == list(range(1, 10))
    assert by_part[("beilun_laoyousuode", "safeguard")] == list(range(1, 5))
    for section in navigation.numbered():
        assert get_clause(section.paragraph_id).article == section.article


@pytest.mark.parametrize("text, section", [
    ("甬上乐业措施三原文", "ningbo_leye/measure03"),
    ("第十条全文", "ningbo_leye/measure10"),           # only the Ningbo measures have a 十
    ("北仑方案重点任务（九）的责任单位", "beilun_laoyousuode/task09"),
    ("保障措施(二)说了啥", "beilun_laoyousuode/safeguard02"),
    ("第三项任务", "beilun_laoyousuode/task03"),
    ("宁波的第3条原文发我", "ningbo_leye/measure03"),   # 宁波 alone names the Ningbo measures
    ("北仑的第３条", "beilun_laoyousuode/task03"),      # full-width digit; 北仑 wins over 宁波 (it is in 宁波)
    ("甬上樂業第五條原文", "ningbo_leye/measure05"),    # traditional characters
])
def test_a_part_by_its_number(text, section):
    q = read_document_question(text)
    assert [s.id for s in q.sections] == [section] and q.by_number


@pytest.mark.parametrize("text", ["第三条原文是什么", "第2项讲的啥", "第九个是什么"])
def test_a_number_both_documents_have_is_asked_back(text):
    q = read_document_question(text)
    assert q.answer == "which"
    assert {s.doc_id for s in q.sections} == {"ningbo_leye", "beilun_laoyousuode"}


def test_a_part_by_its_subject_uses_the_search_it_is_given():
    class Hit:
        def __init__(self, clause_id, score):
            self.clause, self.score = get_clause(clause_id), score

    q = read_document_question("子女医保这条的原文", search=lambda t: [Hit("ningbo_leye/measure03/1", 0.8),
                                                                      Hit("beilun_laoyousuode/task05/0", 0.3)])
    assert [s.id for s in q.sections] == ["ningbo_leye/measure03"] and q.answer == "section"
    both = read_document_question("欠薪那条谁负责", search=lambda t: [Hit("ningbo_leye/measure09/1", 0.80),
                                                                     Hit("beilun_laoyousuode/task09/1", 0.78)])
    assert both.answer == "which"
    assert read_document_question("子女医保这条的原文").sections == ()  # no search, no guess


@pytest.mark.parametrize("text, answer, doc", [
    ("甬上乐业一共有几条措施", "outline", "ningbo_leye"),
    ("十条措施是哪十条", "outline", None),
    ("保障措施有几条", "outline", "beilun_laoyousuode"),
    ("甬上乐业措施正式发布了吗", "status", "ningbo_leye"),
    ("你依据的是哪两个文件", "status", None),
    ("北仑方案重点任务（一）归谁管", "departments", "beilun_laoyousuode"),
])
def test_what_is_asked(text, answer, doc):
    q = read_document_question(text)
    assert (q.answer, q.doc_id) == (answer, doc)


def test_departments_are_the_paragraphs_own_words():
    for section in navigation.numbered():
        clause = get_clause(section.paragraph_id)
        if clause.departments_text:
            assert clause.text.rstrip().endswith(clause.departments_text)
    assert get_clause("ningbo_leye/measure03/1").departments_text == get_clause("ningbo_leye/measure03/0").departments_text


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(navigation.numbered()), st.sampled_from(["原文", "的责任单位", "讲的什么", ""]),
       st.booleans())
def test_any_part_named_with_its_document_and_number_is_found(section, asked, chinese):
    data = navigation._data()["documents"][section.doc_id]
    part = data["parts"][section.part][0]
    number = cn(section.number) if chinese else str(section.number)
    q = read_document_question(f"{data['name']}{part}{number}{asked}")
    assert [s.id for s in q.sections] == [section.id]


@pytest.mark.parametrize("text, aspects", [
    ("要带什么材料", ("materials",)), ("去哪里办，要多久", ("where", "time")), ("要交钱吗", ("cost",)),
    ("孩子能交医保吗", ()),
])
def test_procedure_aspects(text, aspects):
    assert navigation.procedure_aspects(text) == aspects
