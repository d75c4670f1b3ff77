"""bot/nlu/tokenizer.py: the Jieba tokenizer sees normalised text, offsets stay the original's."""

from pathlib import Path

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.nlu.tokenizer import NormalizingJiebaTokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    config = {**NormalizingJiebaTokenizer.get_default_config(),
              "dictionary_path": str(ROOT / "data" / "nlu" / "jieba")}
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    return NormalizingJiebaTokenizer.create(
        config, storage, Resource("tokenizer"), ExecutionContext(graph_schema=None, model_id="test"))


def tokens_of(tokenizer, text):
    return tokenizer.tokenize(Message(data={TEXT: text}), TEXT)


@pytest.mark.parametrize("text, simplified", [
    ("落戶條件是什麼", "落户条件是什么"),
    ("醫保交了１８個月，孩子５歲", "医保交了18个月，孩子5岁"),
    ("医宝咋交", "医保咋交"),
])
def test_tokens_are_normalised_and_offsets_match_the_original(tokenizer, text, simplified):
    tokens = tokens_of(tokenizer, text)
    assert "".join(t.text for t in tokens) == simplified
    for token in tokens:
        # each token covers the same characters of the original message
        assert len(text[token.start:token.end]) == len(token.text)
        assert simplified[token.start:token.end] == token.text
    assert tokens[0].start == 0 and tokens[-1].end == len(text)


def test_same_tokens_as_the_simplified_message(tokenizer):
    traditional = [(t.text, t.start, t.end) for t in tokens_of(tokenizer, "醫保交了１８個月")]
    simplified = [(t.text, t.start, t.end) for t in tokens_of(tokenizer, "医保交了18个月")]
    assert traditional == simplified


def test_project_dictionary_is_used(tokenizer):
    # 一年半 is a word of data/nlu/jieba; without the dictionary jieba splits it
    assert "一年半" in [t.text for t in tokens_of(tokenizer, "俺在北仑厂里干了一年半")]


def test_length_changing_normalisation_falls_back_to_the_original(tokenizer, monkeypatch):
    import bot.nlu.tokenizer as module

    monkeypatch.setattr(module, "normalize_text", lambda text: text + "!")
    tokens = tokens_of(tokenizer, "醫保")
    assert "".join(t.text for t in tokens) == "醫保"


def test_dictionary_travels_with_the_model(tokenizer):
    # registered trainable like JiebaTokenizer: train() copies the project dictionary into the model
    from rasa.shared.nlu.training_data.training_data import TrainingData

    resource = tokenizer.train(TrainingData())
    with tokenizer._model_storage.read_from(resource) as directory:
        saved = sorted(p.name for p in Path(directory).iterdir())
    assert saved == sorted(p.name for p in (ROOT / "data" / "nlu" / "jieba").iterdir())


def test_registered_as_a_trainable_tokenizer():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("bot.nlu.tokenizer.NormalizingJiebaTokenizer")
    assert registered.clazz is NormalizingJiebaTokenizer
    assert registered.is_trainable
    assert DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER in registered.types


def test_without_hmm_an_entity_word_is_not_glued_to_the_next_character(tmp_path):
    config = {**NormalizingJiebaTokenizer.get_default_config(),
              "dictionary_path": str(ROOT / "data" / "nlu" / "jieba"), "hmm": False}
    tokenizer = NormalizingJiebaTokenizer.create(
        config, LocalModelStorage(tmp_path), Resource("tokenizer"),
        ExecutionContext(graph_schema=None, model_id="test"))
    # with the HMM jieba glues 娃能 into one token, and the family_member 娃 cannot be tagged
    assert [t.text for t in tokens_of(tokenizer, "娃能在宁波上学不")][:2] == ["娃", "能"]
