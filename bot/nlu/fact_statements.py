"""A message the classifiers are unsure of but that states facts is ``inform``, not the clarifying question.

A long message of facts and one question (俺在工地干活社保没交过老婆在厂里交了一年多娃七岁能不能在北仑上学) spreads
the classifiers' confidence between ``inform`` and the topic, and below FallbackClassifier's threshold it got
"请换个说法" and the topic menu, losing every fact in it. When the fact reader (``facts.read``) finds at least
``min_facts`` facts in a message that FallbackClassifier set to ``nlu_fallback``, this component makes it
``inform`` with the classifiers' ranking kept: the dialogue then takes the facts and the topic ranked next
(actions.forms.topic_of_message), or the topic of the clause retrieval is sure of. Words the model never saw
(阿巴阿巴) state no facts, so UnknownWordsFallback, which runs after it, still sends those to the question.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

import facts

INFORM = "inform"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FactStatementIntent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_facts": 1}

    def __init__(self, config: dict[str, Any]) -> None:
        self._min_facts = int(config.get("min_facts", 1))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> FactStatementIntent:
        return cls({**cls.get_default_config(), **config})

    def states_facts(self, text: str) -> bool:
        reading = facts.read(text)
        return len(reading.facts) + len(reading.vague) >= self._min_facts

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            if intent.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME or not isinstance(text, str) \
                    or text.startswith("/") or not self.states_facts(text):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
            confidence = next((r.get(PREDICTED_CONFIDENCE_KEY) for r in ranking if r.get(INTENT_NAME_KEY) == INFORM),
                              intent.get(PREDICTED_CONFIDENCE_KEY))
            message.set(INTENT, {INTENT_NAME_KEY: INFORM, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
