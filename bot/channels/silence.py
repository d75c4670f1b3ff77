"""The domain texts the channels say themselves: for a silent turn (a failed custom action) and, through
bot/channels/handoff.py, while a conversation is with staff."""

from __future__ import annotations

from typing import Any

NO_REPLY_RESPONSE = "utter_no_reply"
# Only when the model's domain has no utter_no_reply (an older model): the worker still hears something.
FALLBACK_TEXT = "Sorry, the assistant could not answer just now. Please try again later, or call 12345 / 12333."


def response_text(agent: Any, name: str, fallback: str) -> str:
    """The text of the domain response ``name`` (its first variant); ``fallback`` when the model's domain
    has no such response (an older model)."""
    responses = getattr(getattr(agent, "domain", None), "responses", None) or {}
    variants = responses.get(name) or [{}]
    return variants[0].get("text") or fallback


def no_reply_text(agent: Any) -> str:
    """The domain's utter_no_reply text."""
    return response_text(agent, NO_REPLY_RESPONSE, FALLBACK_TEXT)
