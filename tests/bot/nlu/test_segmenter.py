"""bot/nlu/segmenter.py: the NLU sees every message cut into clauses and joined by "，"; the tracker keeps
what the worker wrote, with entity offsets on it."""

import pytest

pytest.importorskip("rasa")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rasa.shared.nlu.constants import ENTITIES, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.nlu.segmenter import ClauseSegmenter, SegmentationRestorer, segment  # noqa: E402


@pytest.mark.parametrize("spaced, commas", [
    ("孩子4岁 外地户口 能交医保吗", "孩子4岁，外地户口，能交医保吗"),
    ("孩子4岁  外地户口。能交医保吗", "孩子4岁，外地户口，能交医保吗"),
])
def test_spaces_and_punctuation_give_the_form_with_commas(spaced, commas):
    assert segment(spaced)[0] == segment(commas)[0] == commas


def test_run_on_text_is_cut_where_the_person_changes():
    text, _ = segment("老公医保交了20个月我没交孩子4岁")
    assert text.count("，") >= 2 and text.replace("，", "") == "老公医保交了20个月我没交孩子4岁"


@pytest.mark.parametrize("text", ["落户咋弄", "", "14"])
def test_a_one_clause_message_is_left_as_it_is(text):
    assert segment(text)[0] == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="孩子我老公医保交了个月岁外地户口能吗没有，。 ？!0123456789", max_size=40))
def test_every_character_kept_maps_back_to_itself(text):
    segmented, origin = segment(text)
    assert len(origin) == len(segmented)
    assert all(o is None or segmented[i] == text[o] for i, o in enumerate(origin))
    assert [o for o in origin if o is not None] == sorted(o for o in origin if o is not None)


def _entity(text, word, entity):
    start = text.index(word)
    return {"entity": entity, "start": start, "end": start + len(word), "value": word}


def test_training_examples_are_segmented_with_their_entities_moved():
    text = "医保交了14个月 孩子3岁"
    message = Message(data={TEXT: text, "intent": "inform",
                            ENTITIES: [_entity(text, "14个月", "duration"), _entity(text, "3岁", "age")]})
    ClauseSegmenter().process_training_data(TrainingData([message]))
    segmented = message.get(TEXT)
    assert segmented == "医保交了14个月，孩子3岁"
    assert [segmented[e["start"]:e["end"]] for e in message.get(ENTITIES)] == ["14个月", "3岁"]


def test_a_parsed_message_gets_its_own_text_and_offsets_back():
    text = "医保交了14个月 孩子3岁"
    message = Message(data={TEXT: text})
    ClauseSegmenter().process([message])
    segmented = message.get(TEXT)
    assert segmented != text
    # what an entity extractor finds on the segmented text
    message.set(ENTITIES, [_entity(segmented, "3岁", "age"),
                           {**_entity(segmented, "14个月", "duration"), "value": 14}])   # a mapped value
    SegmentationRestorer().process([message])
    assert message.get(TEXT) == text
    age, duration = message.get(ENTITIES)
    assert text[age["start"]:age["end"]] == "3岁" and age["value"] == "3岁"
    assert text[duration["start"]:duration["end"]] == "14个月" and duration["value"] == 14
    assert "clause_segmentation" not in message.data


def test_a_button_payload_is_not_segmented():
    message = Message(data={TEXT: "/affirm"})
    ClauseSegmenter().process([message])
    SegmentationRestorer().process([message])
    assert message.get(TEXT) == "/affirm"


# ------------------------------------------------------------------ bot/nlu/fact_statements.py
from bot.nlu.fact_statements import FactStatementIntent  # noqa: E402


def _unsure(text):
    return Message(data={TEXT: text, "intent": {"name": "nlu_fallback", "confidence": 0.4},
                         "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4},
                                            {"name": "inform", "confidence": 0.35},
                                            {"name": "ask_school_enrollment", "confidence": 0.3}]})


def test_an_unsure_message_that_states_facts_is_inform_with_its_ranking():
    message = _unsure("俺在工地干活社保没交过老婆在厂里交了一年多娃七岁能不能在北仑上学")
    FactStatementIntent({"min_facts": 1}).process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 0.35}
    assert [r["name"] for r in message.get("intent_ranking")] == ["inform", "ask_school_enrollment"]


@pytest.mark.parametrize("text", ["阿巴阿巴", "你们这个怎么弄", "/affirm"])
def test_an_unsure_message_with_no_facts_stays_a_fallback(text):
    message = _unsure(text)
    FactStatementIntent({"min_facts": 1}).process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_sure_intent_is_never_touched():
    message = Message(data={TEXT: "医保交了14个月", "intent": {"name": "ask_child_medical_insurance", "confidence": 0.9}})
    FactStatementIntent({"min_facts": 1}).process([message])
    assert message.get("intent")["name"] == "ask_child_medical_insurance"
