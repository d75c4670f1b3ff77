"""Several questions in one message (bot/nlu/question_parts.py): question units, and the other topics found in
them by the unit model trained on the NLU examples (the same data the component trains on)."""

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.question_parts import ALSO_ASKED, QuestionParts, also_asked, fit, question_units, topic_intents

ROOT = Path(__file__).resolve().parents[3]
THRESHOLD = 0.4   # bot/config.yml


@pytest.fixture(scope="module")
def model():
    data = TrainingData().merge(*[load_data(str(p)) for p in sorted((ROOT / "data" / "nlu").glob("*.yml"))])
    examples = [m for m in data.intent_examples if m.get(TEXT)]
    return fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])


@pytest.mark.parametrize("text, units", [
    ("孩子能交医保吗，还有能上学吗", ["孩子能交医保吗", "还有能上学吗"]),
    ("公租房咋申请 另外落户放开了没", ["公租房咋申请", "另外落户放开了没"]),
    ("来电人反映单位未签合同，另咨询最低工资标准", ["来电人反映单位未签合同", "另咨询最低工资标准"]),
    ("孩子在宁波上学 想问能不能给他交医保", ["孩子在宁波上学想问能不能给他交医保"]),   # background + one question
    # interrogatives without 吗 end a question: 哪些, 去哪, 要不要; 有没有 alone closes what precedes it
    ("免费培训有哪些 零工市场去哪找", ["免费培训有哪些", "零工市场去哪找"]),
    ("孩子入学要不要居住证 落户又要啥条件", ["孩子入学要不要居住证", "落户又要啥条件"]),
    ("打零工的地方有没有 退休手续在哪办", ["打零工的地方有没有", "退休手续在哪办"]),
    # a question listing its topics: one unit per item, with spaces, 、 or 和 between them
    ("孩子上学 医保 落户 三个都想问", ["孩子上学", "医保", "落户", "三个"]),
    ("最低工资和公租房都想了解下", ["最低工资", "公租房"]),
    ("孩子读书、交医保分别要啥条件", ["孩子读书", "交医保"]),
    # no list: the marker is not at the end, or it names who, not what
    ("我和老婆都在宁波上班 能交医保吗", ["我和老婆都在宁波上班能交医保吗"]),
    ("我们两口子都想参加免费培训", ["我们两口子都想参加免费培训"]),
])
def test_question_units(text, units):
    assert question_units(text) == units


def topics_of(model, text, intent):
    return [intent] + [q["intent"] for q in also_asked(model, text, intent, topic_intents(), THRESHOLD)]


@pytest.mark.parametrize("text, topics", [
    ("孩子能交医保吗，还有能上学吗", ["ask_child_medical_insurance", "ask_school_enrollment"]),
    ("我闺女读技校有没有补贴 她毕业了能评职称不", ["ask_student_subsidy", "ask_skill_title"]),
    ("最低工资多少 老板拖工资找谁", ["ask_minimum_wage", "ask_wage_arrears"]),
    ("来电人询问职工医保参保后何时享受待遇，以及退休办理流程", ["ask_medical_benefits_start", "ask_retirement"]),
    ("想把户口迁过来能网上办吗 顺带问孩子能不能入学", ["ask_hukou", "ask_school_enrollment"]),
])
def test_the_other_questions_of_a_message_in_the_order_asked(model, text, topics):
    assert topics_of(model, text, topics[0]) == topics


@pytest.mark.parametrize("text, intent", [
    ("孩子在宁波上学 想问能不能给他交医保", "ask_child_medical_insurance"),   # 上学 is the story
    ("俺在宁波交医保快一年了 孩子在老家 想问俺自己看病能报不", "ask_medical_benefits_start"),
    ("户口在安徽 社保交了一年半 能落户吗", "ask_hukou"),
    ("老板拖欠工资 我去零工市场找活 零工市场在哪", "ask_gig_market"),
    ("孩子4岁 外地户口 能交医保吗", "ask_child_medical_insurance"),
])
def test_background_is_no_second_question(model, text, intent):
    assert topics_of(model, text, intent) == [intent]


def test_only_a_topic_question_gets_other_questions(model):
    """A message the classifiers did not give a topic (inform, a fallback, 转人工) is left as it is."""
    for intent in ("inform", "nlu_fallback", "ask_human", "ask_document", None):
        assert also_asked(model, "孩子能交医保吗，还有能上学吗", intent, topic_intents(), THRESHOLD) == []


def test_the_component_sets_also_asked_and_leaves_buttons_alone(model):
    component = QuestionParts({"threshold": THRESHOLD, "C": 10.0}, None, None, model)
    asked = Message({TEXT: "孩子能交医保吗，还有能上学吗", INTENT: {"name": "ask_child_medical_insurance"}})
    button = Message({TEXT: "/ask_hukou", INTENT: {"name": "ask_hukou"}})
    one = Message({TEXT: "孩子能交医保吗", INTENT: {"name": "ask_child_medical_insurance"}})
    component.process([asked, button, one])
    assert asked.get(ALSO_ASKED) == [{"intent": "ask_school_enrollment", "text": "还有能上学吗"}]
    assert button.get(ALSO_ASKED) is None and one.get(ALSO_ASKED) is None
    assert ALSO_ASKED in asked.as_dict(only_output_properties=True)   # it reaches the tracker's parse data


def test_two_questions_that_left_the_classifiers_unsure_get_the_first_as_intent(model):
    from bot.nlu.question_parts import questions_of

    first, others = questions_of(model, "老板拖欠工资找哪个部门 另外劳动合同一直不签咋办", "nlu_fallback",
                                 topic_intents(), THRESHOLD)
    assert first == "ask_wage_arrears" and [q["intent"] for q in others] == ["ask_labour_contract"]
    # one question (or facts) read as inform stays inform
    for text in ("职工医保交了两年，孩子三岁", "孩子在宁波上学 想问能不能给他交医保", "户口在河南"):
        assert questions_of(model, text, "inform", topic_intents(), THRESHOLD) == (None, [])


def test_the_questions_are_answered_in_the_order_asked(model):
    """The classifiers' intent for the whole message is the second question: the first unit's topic leads."""
    from bot.nlu.question_parts import questions_of

    first, others = questions_of(model, "最低工资多少 老板拖工资找谁", "ask_wage_arrears", topic_intents(), THRESHOLD)
    assert first == "ask_minimum_wage" and [q["intent"] for q in others] == ["ask_wage_arrears"]
    assert questions_of(model, "孩子能交医保吗，还有能上学吗", "ask_child_medical_insurance", topic_intents(),
                        THRESHOLD)[0] is None


@pytest.mark.parametrize("text, topics", [
    ("最低工资和零工市场都想问问", ["ask_minimum_wage", "ask_gig_market"]),
    ("孩子上学、落户 都想了解下", ["ask_school_enrollment", "ask_hukou"]),
    ("北仑的指标有哪些 最低工资标准会涨吗", ["ask_plan_targets", "ask_minimum_wage"]),   # a clause-answered topic
])
def test_a_list_of_topics_and_interrogatives_without_ma_are_several_questions(model, text, topics):
    from bot.nlu.question_parts import questions_of

    first, others = questions_of(model, text, "nlu_fallback", topic_intents(), THRESHOLD)
    assert [first] + [q["intent"] for q in others] == topics
