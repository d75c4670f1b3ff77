"""bot/nlu/intent_ensemble.py: the linear model's probabilities averaged with DIET's ranking."""

import numpy as np
import pytest

pytest.importorskip("rasa")

import scipy.sparse  # noqa: E402
from rasa.engine.graph import ExecutionContext  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import (  # noqa: E402
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.nlu.intent_ensemble import LinearIntentEnsemble, combine  # noqa: E402


def test_combine_is_the_weighted_average_and_missing_intents_count_zero():
    diet = [{"name": "inform", "confidence": 0.9}, {"name": "ask_hukou", "confidence": 0.1}]
    linear = {"inform": 0.2, "ask_hukou": 0.7, "greet": 0.1}
    ranking = combine(diet, linear, weight=0.5, ranking_length=10)
    assert [r["name"] for r in ranking] == ["inform", "ask_hukou", "greet"]
    assert ranking[0]["confidence"] == pytest.approx(0.55)
    assert ranking[1]["confidence"] == pytest.approx(0.40)
    assert ranking[2]["confidence"] == pytest.approx(0.05)  # DIET left greet out of its ranking


def test_combine_weight_one_is_the_linear_model_and_ranking_is_cut():
    diet = [{"name": "inform", "confidence": 1.0}]
    ranking = combine(diet, {"a": 0.6, "b": 0.3, "inform": 0.1}, weight=1.0, ranking_length=2)
    assert [(r["name"], round(r["confidence"], 6)) for r in ranking] == [("a", 0.6), ("b", 0.3)]


# Two intents told apart by one sparse column and one dense column, as the featurizers would set them.
def message(text, intent=None, column=0, ranking=None):
    m = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    sparse = scipy.sparse.coo_matrix(np.eye(1, 3, column))
    m.add_features(Features(sparse, FEATURE_TYPE_SENTENCE, TEXT, "words"))
    m.add_features(Features(np.eye(1, 2, min(column, 1)).astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT,
                            "sentence_vector"))
    if ranking:
        m.set(INTENT_RANKING_KEY, ranking)
        m.set(INTENT, ranking[0])
    return m


@pytest.fixture()
def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("ensemble")
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = LinearIntentEnsemble.get_default_config()
    component = LinearIntentEnsemble.create(config, storage, resource, context)
    examples = [message(f"问候{i}", "greet", 0) for i in range(5)] + \
               [message(f"工资{i}", "ask_wage_arrears", 2) for i in range(5)]
    component.train(TrainingData(examples))
    return config, storage, resource, context


def test_trained_model_is_saved_loaded_and_overrides_a_wrong_diet_guess(trained):
    config, storage, resource, context = trained
    loaded = LinearIntentEnsemble.load(config, storage, resource, context)
    diet_wrong = [{"name": "greet", "confidence": 0.55}, {"name": "ask_wage_arrears", "confidence": 0.45}]
    m = message("老板不给钱", column=2, ranking=diet_wrong)
    loaded.process([m])
    assert m.get(INTENT)["name"] == "ask_wage_arrears"
    assert m.get(INTENT_RANKING_KEY)[0] == m.get(INTENT)
    assert sum(r["confidence"] for r in m.get(INTENT_RANKING_KEY)) == pytest.approx(1.0)


def test_message_without_a_diet_ranking_is_left_alone(trained):
    config, storage, resource, context = trained
    loaded = LinearIntentEnsemble.load(config, storage, resource, context)
    m = message("", column=0)
    loaded.process([m])
    assert m.get(INTENT) is None


def test_untrained_model_keeps_diet_ranking(tmp_path):
    context = ExecutionContext(graph_schema=None, model_id="test")
    loaded = LinearIntentEnsemble.load(LinearIntentEnsemble.get_default_config(), LocalModelStorage(tmp_path),
                                       Resource("missing"), context)
    ranking = [{"name": "greet", "confidence": 0.9}]
    m = message("你好", column=0, ranking=ranking)
    loaded.process([m])
    assert m.get(INTENT) == ranking[0]
