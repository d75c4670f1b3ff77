"""Messages of words never seen in training go to the clarifying fallback, real messages do not."""

from __future__ import annotations

import pytest

from bot.nlu.unknown_words import known_fraction
from tests.nlu.test_heldout import heldout_examples, parse_all

VOCABULARY = {"孩子", "医保", "交", "能", "吗", "不", "宁波"}


def test_known_fraction_counts_characters_of_known_words():
    assert known_fraction(["孩子", "能", "交", "医保", "吗"], VOCABULARY) == 1.0
    assert known_fraction(["阿巴", "阿巴", "阿巴"], VOCABULARY) == 0.0
    # 2 of the 6 content characters are known; punctuation is not counted
    assert known_fraction(["宁波", "，", "咕噜咕噜"], VOCABULARY) == pytest.approx(2 / 6)


def test_known_fraction_trusts_numbers_and_ignores_case():
    assert known_fraction(["14"], VOCABULARY) == 1.0
    assert known_fraction(["十四个", "月", "，", "18"], VOCABULARY) == 1.0
    assert known_fraction(["ASDF"], {"asdf"}) == 1.0


def test_known_fraction_of_a_message_without_content_is_none():
    assert known_fraction(["，", "？", "👍"], VOCABULARY) is None
    assert known_fraction([], VOCABULARY) is None


GIBBERISH = ["阿巴阿巴阿巴", "咕噜咕噜咕噜", "嘀嗒嘀嗒嘀嗒", "asdfgh qwer", "叽里呱啦叽里呱啦", "？？？"]


@pytest.mark.rasa
@pytest.mark.parametrize("text", GIBBERISH)
def test_gibberish_is_a_fallback(rasa_agent, text):
    parse = parse_all(rasa_agent, [text])[0]
    assert parse["intent"]["name"] == "nlu_fallback", parse["intent"]


@pytest.mark.rasa
def test_real_messages_and_bare_answers_are_not_fallbacks(rasa_agent):
    """The held-out messages (written before this component existed) and bare answers to the form's
    questions (numbers, places, yes/no) must keep their intent."""
    texts = [e["text"] for e in heldout_examples()] + ["14", "18个月", "安徽阜阳", "没有", "是的", "有居住证"]
    parses = parse_all(rasa_agent, texts)
    fallbacks = [t for t, p in zip(texts, parses, strict=True) if p["intent"]["name"] == "nlu_fallback"]
    assert fallbacks == []


# Bare figures answering the form's count or growth questions, in forms that are not in the training data
# (data/nlu/inform.yml has 12, 20个, 7个人 …): Arabic and Chinese digits, a unit of people, a rough figure, a
# percentage. A figure is a fact, never a goodbye (88 is one only as typed slang, base.yml).
BARE_FIGURES = ["15个", "四十人", "大约30个", "9%", "百分之十五", "两百人", "100", "就5个", "一共六十多人"]


@pytest.mark.rasa
def test_a_bare_figure_is_a_fact_not_a_goodbye(rasa_agent):
    parses = parse_all(rasa_agent, BARE_FIGURES)
    intents = {t: p["intent"]["name"] for t, p in zip(BARE_FIGURES, parses, strict=True)}
    # inform, or the clarifying fallback the form then reads against the question asked (the e2e test
    # test_a_round_after_the_last_one_the_text_names_is_said_plainly): never an intent that ends the form
    assert {t: i for t, i in intents.items() if i not in {"inform", "nlu_fallback"}} == {}
