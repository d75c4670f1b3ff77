"""While a conversation is with hotline staff (paused) the channels say one short line per message, and a
worker who asks for the bot back (intent stop) gets it: bot/channels/handoff.py, with Rasa's own in-memory
tracker and lock stores."""

import asyncio
from dataclasses import dataclass, field

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    SlotSet,
    UserUttered,
)

from bot.channels.handoff import STOP_CONFIDENCE, reply_while_handed_off
from tests.channels.conftest import FakeDomain, domain_responses
from tests.channels.test_rest_channel import post

RESPONSES = domain_responses()
WAITING = RESPONSES["utter_handoff_waiting"][0]["text"]
CANCELLED = RESPONSES["utter_handoff_cancelled"][0]["text"]
DOMAIN = Domain.from_dict({"slots": {"handoff_active": {"type": "bool", "mappings": [{"type": "custom"}]},
                                     "fallback_count": {"type": "float", "mappings": [{"type": "custom"}]}},
                           "intents": ["stop", "ask_wage_arrears", "ask_human"]})


@dataclass
class StoreAgent:
    """An agent with Rasa's in-memory stores that answers nothing when the conversation is paused, as
    Rasa's processor does (it logs the message with its NLU reading and predicts nothing)."""

    domain: FakeDomain = field(default_factory=FakeDomain)
    tracker_store: InMemoryTrackerStore = field(default_factory=lambda: InMemoryTrackerStore(DOMAIN))
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)
    reading: dict = field(default_factory=dict)  # text -> (intent, confidence)

    async def handle_message(self, message: UserMessage):
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        name, confidence = self.reading.get(message.text, ("ask_wage_arrears", 0.9))
        tracker.update(UserUttered(message.text, {"name": name, "confidence": confidence}))
        if not tracker.is_paused():
            await message.output_channel.send_text_message(message.sender_id, f"机器人：{message.text}")
        await self.tracker_store.save(tracker)


def handed_off(agent: StoreAgent, sender: str) -> None:
    async def pause():
        tracker = await agent.tracker_store.get_or_create_tracker(sender)
        for event in (SlotSet("handoff_active", True), ConversationPaused(), ActionExecuted("action_listen")):
            tracker.update(event)
        await agent.tracker_store.save(tracker)

    asyncio.run(pause())


def tracker_of(agent: StoreAgent, sender: str):
    return asyncio.run(agent.tracker_store.retrieve(sender))


def test_a_conversation_not_handed_off_is_none_of_its_business():
    agent = StoreAgent()
    assert asyncio.run(reply_while_handed_off(agent, "nobody")) is None  # no tracker at all
    (reply,) = post(agent, "公司拖欠工资怎么办", sender="w1")
    assert [m["text"] for m in reply] == ["机器人：公司拖欠工资怎么办"]


def test_each_message_to_staff_gets_one_short_line_and_stays_with_staff():
    agent = StoreAgent()
    handed_off(agent, "w2")
    replies = post(agent, "喂，有人吗", "我等了好久了", sender="w2")
    assert replies == [[{"recipient_id": "w2", "text": WAITING}]] * 2
    tracker = tracker_of(agent, "w2")
    assert tracker.is_paused() and tracker.get_slot("handoff_active") is True
    said = [e.text for e in tracker.events if isinstance(e, BotUttered)]
    assert said == [WAITING, WAITING]  # the transcript staff see holds what the worker saw
    assert "回到机器人" in WAITING and len(WAITING) <= 60


def test_asking_for_the_bot_back_resumes_the_conversation_and_the_bot_answers_again():
    agent = StoreAgent(reading={"算了不等了": ("stop", 0.95)})
    handed_off(agent, "w3")
    cancelled, later = post(agent, "算了不等了", "公司拖欠工资怎么办", sender="w3")
    assert cancelled == [{"recipient_id": "w3", "text": CANCELLED}]
    assert [m["text"] for m in later] == ["机器人：公司拖欠工资怎么办"]
    tracker = tracker_of(agent, "w3")
    assert not tracker.is_paused() and tracker.get_slot("handoff_active") is False


@pytest.mark.parametrize("intent, confidence", [("stop", STOP_CONFIDENCE - 0.01), ("ask_human", 0.99)])
def test_an_unsure_stop_or_another_intent_keeps_the_conversation_with_staff(intent, confidence):
    agent = StoreAgent(reading={"那个不是": (intent, confidence)})
    handed_off(agent, "w4")
    (reply,) = post(agent, "那个不是", sender="w4")
    assert reply == [{"recipient_id": "w4", "text": WAITING}]
    assert tracker_of(agent, "w4").is_paused()


def test_the_wechat_turn_says_the_same_lines():
    from bot.channels.wechat import WeChatInput
    from tests.channels.conftest import settings

    channel = WeChatInput(settings())
    agent = StoreAgent(reading={"回到机器人": ("stop", 0.9)})
    handed_off(agent, "openid-5")

    class Inbound:
        from_user, to_user, msg_id, msg_type, event = "openid-5", "gh_test", "1", "text", None

    async def turn(text):
        return await channel._run_turn(agent.handle_message, Inbound(), text, "official_account", agent)

    assert asyncio.run(turn("有人吗")) == WAITING
    assert asyncio.run(turn("回到机器人")) == CANCELLED
    assert asyncio.run(turn("孩子医保")) == "机器人：孩子医保"


def test_a_lock_store_that_is_away_leaves_the_reply_to_the_channel():
    """Redis (the scale profile's lock store) down: no exception out of the channel's middleware, so the
    channel says utter_no_reply (tests/scale/test_faults.py shows it end to end)."""
    from contextlib import asynccontextmanager

    from rasa.core.lock_store import LockError

    class AwayLockStore(InMemoryLockStore):
        @asynccontextmanager
        async def lock(self, conversation_id, *args, **kwargs):
            raise LockError(f"Could not issue a lock ticket for conversation '{conversation_id}'")
            yield

    agent = StoreAgent(lock_store=AwayLockStore())
    handed_off(agent, "w-away")
    assert asyncio.run(reply_while_handed_off(agent, "w-away")) is None
