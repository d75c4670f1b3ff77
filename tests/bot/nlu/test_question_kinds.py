"""The question kinds decided after the classifiers (bot/nlu/question_kinds.py)."""

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.question_kinds import QuestionKindIntent, question_kind


@pytest.mark.parametrize("text, intent, kind", [
    ("工伤怎么认定", "ask_labour_dispute", "out_of_scope"),        # the nearest topic shares words, not the subject
    ("公积金能用来付房租吗", "ask_rental_subsidy", "out_of_scope"),
    ("户口迁移那条的原文发我", "ask_hukou", "ask_document"),
    ("子女入学那条的责任单位", "ask_school_enrollment", "ask_document"),
    ("第三条讲的啥", "inform", "ask_item"),     # the last list's third item; with no list, the documents' 第三条
    ("第三条原文是什么", "inform", "ask_document"),   # a document word: the documents whatever was listed
    ("北仑第三条", "inform", "ask_document"),          # a document named
    ("详细说说第二个", "nlu_fallback", "ask_item"),
    ("头一个再说细点", "restart", "ask_item"),     # restarting would lose the list the item is in
    ("来电人对第1项感兴趣，请详细说明", "ask_housing", "ask_item"),
    ("最后那个要啥条件", "inform", "ask_item"),
    ("那我老婆呢", "inform", "ask_person"),
    ("那我老婆呢", "ask_procedure", "ask_person"),     # a procedure question with nothing asked: the person
    ("俺男人呢？", "ask_procedure", "ask_person"),
    ("那我老婆要带什么材料", "ask_procedure", "ask_procedure"),     # the materials asked: a procedure
    ("我们厂HR，外地来的工人能享受哪些政策，帮忙汇总下", "ask_organisation_award", "ask_overview"),
    ("我儿子也可以吗", "nlu_fallback", "ask_person"),
    ("来电人问其配偶能否一并申请", "inform", "ask_person"),
    ("甬上乐业措施正式发布了吗", "ask_employment_service", "ask_document"),
    ("孩子交医保要带什么材料", "ask_child_medical_insurance", "ask_procedure"),
    ("办落户要花钱吗", "ask_hukou", "ask_procedure"),
    ("那去哪里办", "nlu_fallback", "ask_procedure"),
    ("我河南户口，在北仑上班，孩子4岁，有哪些政策我能享受", "inform", "ask_overview"),
    ("你们这个能查啥政策", "nlu_fallback", "ask_overview"),
    # who is responsible for a topic: its department line, not the programme's questionnaire
    ("免费培训归谁管", "ask_skills_training", "ask_document"),
    ("落户归哪个部门管", "nlu_fallback", "ask_document"),
    ("零工市场是北仑哪个部门在弄", "ask_gig_market", "ask_document"),
    # the classifiers unsure, and the message asks an aspect of the documents (the list, the status)
    ("条目清单发一下", "nlu_fallback", "ask_document"),
    ("你说的这些政策是最新的吗", "nlu_fallback", "ask_document"),
    ("那截止到什么时候办", "nlu_fallback", "ask_procedure"),   # how to apply comes first (截止 is a status word too)
])
def test_kinds_the_classifiers_confuse_with_a_topic(text, intent, kind):
    assert question_kind(text, intent) == kind


@pytest.mark.parametrize("text, intent", [
    ("第二个孩子能交医保吗", "ask_child_medical_insurance"),   # 第二个 is a child, not a part
    ("多久能用医保", "ask_medical_benefits_start"),            # the text answers it: 次月起
    ("零工市场在哪", "ask_gig_market"),
    ("欠薪了找哪个部门", "ask_wage_arrears"),                   # help with unpaid wages, not a department list
    ("免费培训怎么报名", "ask_skills_training"),
    ("工伤了我要转人工", "ask_human"),                           # the conversation intents stay
    ("算了不问公积金了", "stop"),
    ("孩子3岁能交医保吗", "ask_child_medical_insurance"),
    ("已认定工伤，与企业就赔偿协商不成，咨询劳动争议仲裁途径", "ask_labour_dispute"),  # 工伤 is the story, not the question
    ("户口在安徽 社保交了一年半 能落户吗 要啥材料", "ask_hukou"),   # facts: eligibility first
    ("孩子上学有什么政策", "ask_school_enrollment"),                 # a topic named: not the overview
    ("我有两个孩子，第一个在老家，能交医保吗", "ask_child_medical_insurance"),  # 第一个 of the children
    ("入职第二个月看病能用职工医保吗", "ask_medical_benefits_start"),
    ("我老公也能参加免费培训吗", "ask_skills_training"),
    ("我们企业能享受哪些奖励政策", "ask_organisation_award"),   # the enterprise's own: its awards
    ("老板拖欠工资找哪个部门 另外劳动合同一直不签咋办", "nlu_fallback"),   # two topic questions (question_parts)
    ("工人工资没发，我们要负责吗", "ask_wage_arrears"),          # a liability, not a department
    ("我在宁波开公交十年了 没房 住房保障归谁管 我能申请吗", "ask_housing"),   # facts: eligibility first
])
def test_topic_questions_keep_their_topic(text, intent):
    assert question_kind(text, intent) is None


def test_the_component_keeps_button_payloads_and_reads_the_text_as_typed():
    component = QuestionKindIntent()
    payload = Message({TEXT: "/ask_hukou", INTENT: {"name": "ask_hukou", "confidence": 1.0}})
    typed = Message({TEXT: "工伤，怎么认定", INTENT: {"name": "ask_labour_dispute", "confidence": 0.6},
                     "clause_segmentation": {"text": "工伤怎么认定", "origin": []}})
    component.process([payload, typed])
    assert payload.get(INTENT)["name"] == "ask_hukou"
    assert typed.get(INTENT) == {"name": "out_of_scope", "confidence": 1.0}
