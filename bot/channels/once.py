"""A message the client sends again (same id) is one turn, on whichever replica it arrives.

WeChat sends a message again when it has no answer within 5 s (same MsgId), and a REST client whose request
failed sends it again with the same ``message_id`` (bot/channels/rest.py). A per-process cache cannot see a
repeat that a load balancer routes to another replica, so the check is in the tracker, under the
conversation's lock (the scale profile's lock store is shared by every replica): if the tracker already holds a
user message with that id, the bot's replies after it are sent again and no turn starts; a turn cut off before
Rasa saved it left nothing, so the repeat runs it. What ``Agent.handle_message`` does otherwise (the lock, then
the processor) is done here in the same order.

Most messages are new, and reading the whole conversation to learn that would be a second tracker read per
turn (the processor reads it again). With Rasa's SQL tracker store the check first asks the database whether
any stored user message of the conversation carries that id (a LIKE on the event's JSON, as Rasa's ``save``
writes it: ``json.dumps(event.as_dict())``); only when one may (a match, an error, another store) is the
tracker read and the id compared exactly.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)


def replies_to(tracker: Any, message_id: str) -> list[dict] | None:
    """What the bot said after the user message ``message_id`` of ``tracker``, as the channel sent it
    (text, buttons, images, custom payloads); None when the tracker holds no such message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    replies, found = [], False
    for event in getattr(tracker, "events", ()):
        if isinstance(event, UserUttered):
            if found:
                break
            found = event.message_id == message_id
        elif found and isinstance(event, BotUttered):
            replies.append({"text": event.text, **{key: value for key, value in (event.data or {}).items()
                                                    if value}})
    return replies if found else None


def can_check(agent: Any) -> bool:
    """Whether ``agent`` is a loaded Rasa agent, whose tracker store and lock store the check uses."""
    from rasa.core.agent import Agent

    return isinstance(agent, Agent) and agent.is_ready()


MAY_HOLD = ("SELECT 1 FROM events WHERE events.sender_id = :sender_id AND events.type_name = 'user' "
            "AND events.data LIKE :pattern ESCAPE '\\' LIMIT 1")


def stored_id_pattern(message_id: str) -> str:
    """The LIKE pattern of a stored user event's JSON that holds ``message_id`` (LIKE's own signs escaped)."""
    quoted = json.dumps({"message_id": message_id})[1:-1]  # '"message_id": "<id>"', as json.dumps writes it
    return "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def may_hold(agent: Any, sender_id: str, message_id: str) -> bool:
    """False only when the agent's SQL tracker store has no user event of ``sender_id`` naming ``message_id``."""
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy import text

    from bot.channels.staff import innermost_store

    store = innermost_store(getattr(agent, "tracker_store", None))
    if not isinstance(store, SQLTrackerStore) or store.SQLEvent.__tablename__ != "events":
        return True
    try:
        with store.session_scope() as session:
            found = session.execute(text(MAY_HOLD), {"sender_id": sender_id,
                                                     "pattern": stored_id_pattern(message_id)}).first()
    except Exception as error:  # the full read decides (and Rasa's fail-safe store handles the error)
        logger.warning("the message-id check could not ask the database (%s)", type(error).__name__)
        return True
    return found is not None


async def handle_once(agent: Any, message: UserMessage) -> Any:
    """``agent.handle_message(message)``, unless the conversation already holds ``message.message_id``: then its
    replies again, through the message's output channel."""
    async with agent.lock_store.lock(message.sender_id):
        earlier = None
        if may_hold(agent, message.sender_id, message.message_id):
            earlier = replies_to(await agent.tracker_store.retrieve(message.sender_id), message.message_id)
        if earlier is None:
            return await agent.processor.handle_message(message)
        logger.info("%s: a message sent again (same id) gets the replies it got then", message.input_channel)
        for reply in earlier:
            await message.output_channel.send_response(message.sender_id, reply)
        return None
