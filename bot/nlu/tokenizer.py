"""Jieba tokenizer that sees the normalised text (traditional -> simplified, full-width -> half-width).

Workers write 落戶條件是什麼 or 医保交了１４个月; the training data is simplified with half-width digits.
Tokenising ``normalize_text(text)`` lets those messages share words, character n-grams and entity
patterns with the training data. Offsets must stay those of the original message (entity spans are
character offsets into it), so the normalised text is used only when it has the same length —
``normalize_text`` keeps the length whenever it can — and the original otherwise.

``hmm`` (default true, as in ``JiebaTokenizer``) lets jieba's HMM glue runs of single characters
into new words. With a project dictionary it mostly glues noise — 娃能, 娃读, 人问, 能领 — and cuts
entities in half (the 娃 of 娃能 cannot be tagged); ``hmm: false`` keeps unknown runs as single
characters, so the same word gets the same tokens in every message.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from facts.text import normalize_text


# is_trainable=True like JiebaTokenizer itself: its train() copies the project dictionary
# (dictionary_path) into the model and load() reads it back from there. Registered as not trainable,
# the predict graph would call create() instead, reading data/nlu/jieba relative to the working
# directory, and a model run from anywhere else would silently tokenise without the dictionary.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class NormalizingJiebaTokenizer(JiebaTokenizer):
    """``JiebaTokenizer`` on ``facts.text.normalize_text`` of the message, offsets unchanged."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**JiebaTokenizer.get_default_config(), "hmm": True}

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        import jieba

        text = message.get(attribute)
        normalized = normalize_text(text) if isinstance(text, str) else text
        if not isinstance(normalized, str) or len(normalized) != len(text):
            normalized = text  # offsets would move: keep the original text
        tokenized = jieba.tokenize(normalized, HMM=self._config["hmm"])
        tokens = [Token(word, start) for (word, start, _end) in tokenized]
        return self._apply_token_pattern(tokens)
