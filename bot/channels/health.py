"""Whether the conversation store answers, asked before a message goes to the bot.

Rasa wraps the tracker store in a FailSafeTrackerStore: when the database is away, ``retrieve`` gives
nothing and the bot answers from a blank conversation (the worker's facts gone, questions asked again),
and ``save`` puts the turn in a process-local store that the next replica, or this one once the database
is back, never sees. A worker is better served by "please try again in a few minutes": the channels ask
here first and, when the SQL tracker store does not answer a ``SELECT 1`` within ``TIMEOUT``, say
``utter_no_reply`` without passing the message on. Nothing is cached: the first message after the
database is back goes through again, without a restart.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)
TIMEOUT = 2.0  # seconds for the check


def _ping(engine: Any) -> None:
    """SELECT 1, once more when the first fails: after the database restarted, the pool's connections are
    dead, the first use says so (SQLAlchemy then empties the pool) and a new connection works."""
    import sqlalchemy as sa

    for attempt in (1, 2):
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            return
        except sa.exc.DBAPIError:
            if attempt == 2:
                raise


async def conversations_reachable(agent: Any) -> bool:
    """False only when the agent's tracker store is Rasa's SQL store and its database does not answer."""
    from rasa.core.tracker_store import SQLTrackerStore

    from bot.channels.staff import innermost_store

    store = innermost_store(getattr(agent, "tracker_store", None))
    if not isinstance(store, SQLTrackerStore):
        return True
    try:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, _ping, store.engine), TIMEOUT)
        return True
    except Exception as error:  # refused, timed out, authentication…: the same answer to the worker
        logger.warning("the tracker store's database does not answer (%s): messages get utter_no_reply",
                       type(error).__name__)
        return False
