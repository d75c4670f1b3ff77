"""The message-id check's quick question to the database (bot/channels/once.py): never "no" for a message the
conversation holds, on SQLite and PostgreSQL, whatever the id's characters; "no" for the ids it does not hold."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import pytest

from bot.channels.once import may_hold

HELD = ["wx-24110923", "a_b", "50%", "c7.turn:3", "back\\slash", "Upper-Case", "引号\"和汉字"]
NOT_HELD = ["wx-2411092", "axb", "50", "c7.turn:", "turn:3", "other"]


def _store(database: str, tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    if database == "postgresql":
        return SQLTrackerStore(Domain.empty(), dialect="postgresql", host="127.0.0.1", port=5432,
                               db=f"ysly_once_{uuid.uuid4().hex[:8]}", username="postgres", password="",
                               login_db="postgres")
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_held_id_is_never_missed_and_an_unheld_one_is_not_found(tmp_path, database):
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _store(database, tmp_path)
    try:
        events = [ActionExecuted("action_listen")]
        for message_id in HELD:
            events += [UserUttered("孩子三岁 能交医保吗", {"name": "inform", "confidence": 1.0}, message_id=message_id),
                       BotUttered("能", {}), ActionExecuted("action_listen")]
        events.append(BotUttered("message_id other", {}))  # an id's words in a bot's reply are not a message
        asyncio.run(store.save(DialogueStateTracker.from_events("worker-1", events)))
        agent = SimpleNamespace(tracker_store=store)
        assert all(may_hold(agent, "worker-1", message_id) for message_id in HELD)
        assert [i for i in NOT_HELD if may_hold(agent, "worker-1", i)] == []
        assert not may_hold(agent, "worker-2", HELD[0])  # another conversation's id
    finally:
        if database == "postgresql":
            from tests.scale.servers import drop_database

            store.engine.dispose()
            drop_database(store.engine.url.database)


def test_without_a_sql_store_or_a_database_the_tracker_decides():
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
    from rasa.shared.core.domain import Domain

    assert may_hold(SimpleNamespace(tracker_store=InMemoryTrackerStore(Domain.empty())), "w", "m1")
    broken = SQLTrackerStore.__new__(SQLTrackerStore)  # a store whose database cannot be asked

    def no_session():
        raise ConnectionError("database away")

    broken.session_scope = no_session
    assert may_hold(SimpleNamespace(tracker_store=broken), "w", "m1")
