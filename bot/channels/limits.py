"""How long a worker's message may be, and what the channels say when it is longer.

A message over the limit never reaches NLU: the channel answers with the domain response
``utter_message_too_long`` instead (bot/domain/channels.yml). The limit is in bytes of UTF-8, like
WeChat's own limit for a text message (2,048 bytes, about 680 Chinese characters), and is set per channel
with ``max_message_bytes`` in bot/credentials.yml.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.interpolator import interpolate_text

from bot.channels.silence import response_text

DEFAULT_MAX_MESSAGE_BYTES = 2048
TOO_LONG_RESPONSE = "utter_message_too_long"
# Only when the model's domain has no utter_message_too_long (an older model).
FALLBACK_TEXT = "Sorry, your message is too long. Please send it in parts of at most {max_chars} characters."
BYTES_PER_CHINESE_CHARACTER = 3  # in UTF-8


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))


def is_too_long(text: str, max_bytes: int) -> bool:
    return utf8_len(text) > max_bytes


def too_long_text(agent: Any, max_bytes: int) -> str:
    """The domain's utter_message_too_long, with the limit in Chinese characters filled in."""
    template = response_text(agent, TOO_LONG_RESPONSE, FALLBACK_TEXT)
    return interpolate_text(template, {"max_chars": str(max_bytes // BYTES_PER_CHINESE_CHARACTER)})
