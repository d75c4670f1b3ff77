"""Right clause, right sentence: a topic question about one sentence of the paragraph its programme cites
(户口迁宁波 要不要跑回老家开证明) gets that sentence singled out after the verdict (actions.policy_search
.asked_sentence); an eligibility question gets the verdict alone."""

import pytest

from actions.eligibility import ActionCheckEligibility, ActionSetTopic
from actions.policy_search import asked_sentence
from tests.actions.test_dialogue_actions import run, slot_events, tracker


@pytest.mark.parametrize("question, cited, quoted, sentence", [
    # another sentence of the cited paragraph: the one the question is about
    ("户口迁宁波 要不要跑回老家开证明", ["ningbo_leye/measure02/1"], "ningbo_leye/measure02/1", "ningbo_leye/measure02/2"),
    ("技工学校高级工班毕业 评职称算什么学历", ["ningbo_leye/measure07/0"], "ningbo_leye/measure07/0",
     "ningbo_leye/measure07/2"),
    # the sentence quoted already, a sentence of another paragraph, no question, a button: nothing more
    ("落户条件是不是放宽了", ["ningbo_leye/measure02/1"], "ningbo_leye/measure02/1", None),
    ("孩子在宁波上学 能交医保吗", ["ningbo_leye/measure02/1"], "ningbo_leye/measure02/1", None),
    (None, ["ningbo_leye/measure02/1"], "ningbo_leye/measure02/1", None),
    ("/ask_hukou", ["ningbo_leye/measure02/1"], "ningbo_leye/measure02/1", None),
])
def test_the_sentence_asked_about(question, cited, quoted, sentence):
    assert asked_sentence(question, cited, quoted) == sentence


def test_the_verdict_singles_out_the_sentence_the_topic_question_asked_about():
    text = "户口迁宁波 要不要跑回老家开证明"
    _, events = run(ActionSetTopic(), tracker({}, text=text, intent="ask_hukou", active_form=False))
    slots = slot_events(events)
    assert slots["topic_question"] == text
    messages, _ = run(ActionCheckEligibility(), tracker(slots, active_form=False))
    said = [m.get("response") for m in messages]
    assert said[0].startswith("utter_verdict_") and "utter_asked_sentence" in said
    asked = messages[said.index("utter_asked_sentence")]
    assert asked["clause_id"] == "ningbo_leye/measure02/2" and asked["quote"] != messages[0]["quote"]


def test_an_eligibility_question_gets_the_verdict_alone():
    _, events = run(ActionSetTopic(), tracker({}, text="落户条件是不是放宽了", intent="ask_hukou", active_form=False))
    messages, _ = run(ActionCheckEligibility(), tracker(slot_events(events), active_form=False))
    assert "utter_asked_sentence" not in [m.get("response") for m in messages]
