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


# An item of a list the assistant showed, as people refer to it: position words, digits of every width,
# traditional characters, staff wording; and the number words that refer to no list item.
@pytest.mark.parametrize("text, item", [
    ("第二个呢", 2), ("详细说说第3项", 3), ("第２项具体点", 2), ("第二個詳細講講", 2), ("头一个再讲讲呗", 1),
    ("头个呢", 1), ("首项是啥", 1), ("最后那个怎么申请", -1), ("最后一项要啥材料", -1), ("末一项", -1),
    ("倒数第二个是啥", -2), ("倒数第2项咋申请", -2), ("中间那个具体点", "middle"), ("说说第二", 2),
    ("第十个呢", 10), ("第11项是啥", 11), ("三号那个", 3), ("排第一的那个咋弄", 1), ("点开第七个看看", 7),
    ("来电人对第1项感兴趣，请详细说明", 1), ("你刚发的那几个里面 第二个跟我有关系吗", 2),
    ("第一个不符合是为啥 俺干环卫好多年了", 1), ("第二个政策能不能办", 2), ("第三条", 3),
])
def test_an_item_of_a_list_by_its_position(text, item):
    assert navigation.item_reference(text) == item


@pytest.mark.parametrize("text", [
    "第二个孩子能上学吗", "第一个月工资扣了社保", "我是第二次来宁波打工了", "交了两个月社保", "二胎能上学吗",
    "俺家就一个孩子 今年三岁", "我有两个孩子，第一个在老家", "家里3个娃 头一个上初中", "第一个5岁 第二个3岁",
    "最后一个月没发工资", "第二个娃也能交医保吗", "我们公司有30个高级工", "最后", "头疼",
])
def test_number_words_that_refer_to_no_list_item(text):
    assert navigation.item_reference(text) is None
