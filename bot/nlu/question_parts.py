"""Several questions in one message: 孩子能交医保吗，还有能上学吗 / 我闺女读技校有没有生活补贴 她毕业了能评职称不.

The classifiers give a message one intent, so the second question was silently lost. This component cuts the
message into question units — runs of the fact reader's clauses up to and including one that asks something
(``facts.clause_questions``: 吗, 咋, 能…不 …), what follows the last question being a unit of its own — and
classifies each unit with a small model of its own (tf-idf of character 1–3-grams, logistic regression,
trained on the same NLU examples). A unit whose topic is confident and differs from the message's intent is
another question: it goes to the message as ``also_asked`` ([{"intent", "text"}], in the order asked), and
the dialogue answers it after the first (actions/questions.py).

A question that lists its topics (孩子上学 医保 落户 三个都想问, 最低工资和公租房都想了解下) is one unit per item
(``facts.list_items``). Background stays background: a unit carries its statements with its question (孩子在宁波上学 想问能不能给他交
医保 is one unit, one topic), and only topic intents count (eligibility's programme and guidance topics).
Nothing is added unless the message's own intent is one of them — or the classifiers were unsure (a fallback,
or inform; or ask_procedure, a follow-up's 找谁要) and the units give two topics or more: two questions on two topics are what made them unsure.
"""

from __future__ import annotations

import logging
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import facts
from bot.nlu.segmenter import SEGMENTED
from facts.text import normalize_text

logger = logging.getLogger(__name__)

ALSO_ASKED = "also_asked"
# The whole-message intents a message's units may replace: the classifiers unsure (a fallback, inform), or a
# follow-up on how to apply whose units name two topics (老板欠俺三个月工资 找谁要 另外劳动仲裁要钱不).
UNSURE = frozenset({"nlu_fallback", "inform", "ask_procedure"})
MODEL_FILE = "question_parts.joblib"


def topic_intents() -> frozenset[str]:
    """The intents that ask about a topic: a programme's or a guidance topic's (eligibility's registry), or one
    answered with its clauses (actions/topics.yml guidance: 北仑的指标有哪些)."""
    import eligibility
    from actions.topics import guidance_topics

    return frozenset(eligibility.topics()) | frozenset(guidance_topics())


def question_units(text: str) -> list[str]:
    """The message cut into question units (see the module docstring), as normalised text."""
    units: list[str] = []
    current: list[str] = []
    for clause, asks in [*facts.clause_questions(normalize_text(text)), ("", True)]:
        current += [clause] if clause else []
        if asks and current:
            units += facts.list_items(current) or ["".join(current)]   # 孩子上学 医保 落户 三个都想问: three
            current = []
    return units


def fit(texts: list[str], labels: list[str], c: float = 10.0) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                          LogisticRegression(C=c, max_iter=3000))
    return model.fit([normalize_text(t) for t in texts], labels)


def unit_topics(model: Any, text: str, topics: frozenset[str], threshold: float) -> list[dict]:
    """Each question unit's topic where the unit model is sure of one: [{"intent", "text"}], in order, each
    topic once."""
    units = question_units(text)
    if len(units) < 2:
        return []
    classes = [str(c) for c in model.classes_]
    found: list[dict] = []
    for unit, row in zip(units, model.predict_proba(units), strict=True):
        best = int(row.argmax())
        topic = classes[best]
        if topic in topics and row[best] >= threshold and all(f["intent"] != topic for f in found):
            found.append({"intent": topic, "text": unit})
    return found


def also_asked(model: Any, text: str, intent: str | None, topics: frozenset[str], threshold: float) -> list[dict]:
    """The other questions of a message whose intent is ``intent``: [{"intent", "text"}] in the order asked."""
    if intent not in topics:
        return []
    return [q for q in unit_topics(model, text, topics, threshold) if q["intent"] != intent]


def questions_of(model: Any, text: str, intent: str | None, topics: frozenset[str],
                 threshold: float) -> tuple[str | None, list[dict]]:
    """(the message's intent, if it changes; its other questions), in the order asked: when the units give two
    topics or more and the message's intent is one of them, the first unit's is the message's intent. Two
    questions on two topics also leave the whole-message classifiers unsure (老板拖欠工资找哪个部门 另外劳动合同
    一直不签咋办 → nlu_fallback): then too the first unit's topic is the intent."""
    if intent not in topics and intent not in UNSURE:
        return None, []   # 转人工, 再见, a document question …: the units are not read at all
    found = unit_topics(model, text, topics, threshold)
    if len(found) >= 2 and (intent in UNSURE or intent in [f["intent"] for f in found]):
        # answered in the order asked: 最低工资多少 老板拖工资找谁 starts with the minimum wage
        return (found[0]["intent"] if found[0]["intent"] != intent else None), found[1:]
    if intent in UNSURE:
        return None, []
    return None, [q for q in found if q["intent"] != intent]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuestionParts(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": 0.5, "C": 10.0}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: Any = None) -> None:
        self._config, self._model_storage, self._resource, self._model = config, model_storage, resource, model
        self._topics = topic_intents()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> QuestionParts:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> QuestionParts:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, OSError) as error:
            logger.warning("QuestionParts: nothing to load (%s); one question per message", error)
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [(m.get(SEGMENTED) or {}).get("text") or m.get(TEXT) for m in examples]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            return self._resource
        self._model = fit(texts, labels, self._config["C"])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = (message.get(SEGMENTED) or {}).get("text") or message.get(TEXT)
            if not isinstance(text, str) or not text or text.startswith("/"):
                continue
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            first, others = questions_of(self._model, text, intent, self._topics, self._config["threshold"])
            if first is not None:
                message.set(INTENT, {INTENT_NAME_KEY: first, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
            if others:
                message.set(ALSO_ASKED, others, add_to_output=True)
        return messages
