"""What a channel says while a conversation is with hotline staff, and how the worker takes it back.

A handed-off conversation is paused (actions/handoff.py): Rasa logs the worker's messages, NLU included,
and predicts nothing, so the turn has no reply. Silence is no answer to a worker, so the channel says one
short line instead (``utter_handoff_waiting``: staff will reply here, and how to get the bot back), and
when NLU read the message as ``stop`` (算了 / 不用了 / 回到机器人 …) the worker gets the bot back: the
conversation is resumed just as staff release it (README, “转人工与释放”) and the worker hears
``utter_handoff_cancelled``. Both lines go into the tracker as bot utterances, so the transcript staff see
is what the worker saw.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed, SlotSet, UserUttered

from bot.channels.silence import response_text

logger = logging.getLogger(__name__)

STOP_INTENT = "stop"
STOP_CONFIDENCE = 0.6  # below it a message to staff ("不是这个意思") must not end the hand-off
WAITING_RESPONSE = "utter_handoff_waiting"
CANCELLED_RESPONSE = "utter_handoff_cancelled"
# Only for a model whose domain lacks the responses (an older model).
WAITING_FALLBACK = "Your conversation is with hotline staff; they will reply here."
CANCELLED_FALLBACK = "The hand-off is cancelled; you can ask the assistant again."
SAID_BY = {"said_by": "channel", "handoff": True}


def wants_the_bot_back(tracker: Any) -> bool:
    """Whether the worker's latest message (as NLU read it) asks to end the hand-off."""
    latest = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
    if latest is None:
        return False
    intent = latest.intent or {}
    return intent.get("name") == STOP_INTENT and (intent.get("confidence") or 0) >= STOP_CONFIDENCE


async def reply_while_handed_off(agent: Any, sender_id: str) -> str | None:
    """The line for a turn the bot did not answer: None when the conversation is not handed off (the
    caller then says utter_no_reply), else the waiting line, or — when the worker asked for the bot back —
    the cancelled line after resuming the conversation."""
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is None:
        return None
    lock_store = getattr(agent, "lock_store", None)
    try:
        if lock_store is None:
            return await _reply(agent, tracker_store, sender_id)
        async with lock_store.lock(sender_id):
            return await _reply(agent, tracker_store, sender_id)
    except Exception as error:  # the lock store or tracker store is away: the caller says utter_no_reply
        logger.warning("handoff: could not look at the conversation (%s): %s", type(error).__name__,
                       str(error)[:200])
        return None


async def _reply(agent: Any, tracker_store: Any, sender_id: str) -> str | None:
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None or not tracker.is_paused():
        return None
    if wants_the_bot_back(tracker):
        text = response_text(agent, CANCELLED_RESPONSE, CANCELLED_FALLBACK)
        # the events staff send to release a conversation (actions/handoff.py), then what the worker heard
        events = [ConversationResumed(), SlotSet("handoff_active", False), SlotSet("fallback_count", 0),
                  ActionExecuted(CANCELLED_RESPONSE), BotUttered(text, metadata=SAID_BY),
                  ActionExecuted("action_listen")]
        logger.info("handoff: the worker took conversation back from staff")
    else:
        text = response_text(agent, WAITING_RESPONSE, WAITING_FALLBACK)
        events = [BotUttered(text, metadata=SAID_BY)]
    for event in events:
        tracker.update(event)
    await tracker_store.save(tracker)
    return text
