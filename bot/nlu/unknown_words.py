"""Fallback for messages made of words the assistant has never seen (阿巴阿巴, 咕噜咕噜, asdfgh).

DIET must spread its confidence over the known intents, and for a message none of whose words occur in
the training data it often puts most of it on one of them (greet, affirm) — which intent depends on the
training run. Such a message carries nothing the model learnt from, so the honest answer is the
clarifying question: this component sets ``nlu_fallback`` when too little of the message is covered by
words seen in training. Messages with an extracted entity or a number (answers such as “14”, “3岁”)
are never touched, nor are button payloads (``/intent``), which Rasa resolves after the pipeline.

It runs after ``FallbackClassifier`` and learns its vocabulary from the tokenised training examples.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

VOCABULARY_FILE = "vocabulary.json"


def _is_content(token_text: str) -> bool:
    """Letters and ideographs count; punctuation, symbols and spaces do not."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token_text)


def known_fraction(tokens: list[str], vocabulary: set[str]) -> float | None:
    """Share of the message's content characters that belong to words seen in training.

    None when the message has no content at all (only punctuation or emoji), and 1.0 as soon as a token
    holds a digit: a bare number is an answer to a question, not noise.
    """
    content = [t for t in tokens if _is_content(t)]
    if not content:
        return None
    if any(any(ch.isdigit() for ch in t) for t in content):
        return 1.0
    total = sum(len(t) for t in content)
    known = sum(len(t) for t in content if t.lower() in vocabulary)
    return known / total


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(GraphComponent, IntentClassifier):
    """Predict ``nlu_fallback`` when less than ``min_known_fraction`` of a message is known words."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_known_fraction": 0.5, "confidence": 0.4}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: set[str] | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsFallback:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsFallback:
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError) as error:
            # A model without the vocabulary (trained before this component) still answers: the check
            # is switched off rather than sending every message to the fallback.
            logger.warning("UnknownWordsFallback: no vocabulary in the model (%s); check disabled", error)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, set(words))

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: set[str] = set()
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                vocabulary.add(token.text.lower())
        self.vocabulary = vocabulary
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.vocabulary:
            return messages
        for message in messages:
            if message.get(ENTITIES):
                continue
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            tokens = [t.text for t in message.get(TOKENS_NAMES[TEXT]) or []]
            fraction = known_fraction(tokens, self.vocabulary)
            if fraction is not None and fraction >= self._config["min_known_fraction"]:
                continue
            logger.debug("UnknownWordsFallback: %s of the message is known words, intent %s overridden",
                         fraction, intent.get(INTENT_NAME_KEY))
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                        PREDICTED_CONFIDENCE_KEY: self._config["confidence"]}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback] + list(message.get(INTENT_RANKING_KEY) or []),
                        add_to_output=True)
        return messages
