"""The staff channel (bot/channels/staff.py) and the REST poll (bot/channels/rest.py): what the hotline staff
console calls. Through Rasa's configure_app and Sanic's ASGI test client, with Rasa's real in-memory and
SQL (SQLite in a temporary file) tracker stores and lock store, real Rasa events, JWTs minted by bot.auth
and a fake WeChat customer-service client (no network)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import jwt
import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import configure_app
from rasa.core.tracker_store import (
    AwaitableTrackerStore,
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from bot import auth
from bot.channels.rest import RestInput
from bot.channels.staff import (
    CONTROL_INDEX,
    WECHAT_WINDOW_SECONDS,
    StaffInput,
    check_staff_jwt,
    index_control_events,
    innermost_store,
    queue_entry,
    read_reply,
)
from bot.channels.wechat_api import DeliveryReport
from tests.channels.conftest import FakeDomain, domain_responses

SECRET = "staff-test-secret-" + "x" * 40
RESPONSES = domain_responses()
WAITING = RESPONSES["utter_handoff_waiting"][0]["text"]
RELEASED = RESPONSES["utter_handoff_released"][0]["text"]
DOMAIN = Domain.from_dict({"slots": {name: {"type": "any", "mappings": [{"type": "custom"}]}
                                     for name in ("handoff_active", "fallback_count", "handoff_summary")},
                           "intents": ["stop", "ask_wage_arrears", "ask_human"]})
NOW = time.time()
HOUR = 3600.0


def at(timestamp: float):
    """A timestamp, to the millisecond (pytest.approx's relative default is half an hour at today's epoch)."""
    return pytest.approx(timestamp, abs=1e-3)


def admin() -> dict[str, str]:
    return auth.auth_header(auth.mint("admin", secret=SECRET))


# ------------------------------------------------------------------------------------------ fixtures


class FakeWeChat:
    """Stands in for CustomerServiceClient: records what it was asked to send, answers as scripted."""

    def __init__(self, outcome: str = "sent") -> None:
        self.outcome, self.sent = outcome, []

    async def send_texts(self, to_user, texts):
        self.sent.append((to_user, list(texts)))
        ok = self.outcome == "sent"
        return DeliveryReport(sent=len(texts) if ok else 0, outcome=self.outcome, errcodes=[] if ok else [45015])


@dataclass
class StoreAgent:
    """An agent with real Rasa stores that records each message and answers nothing while the conversation
    is paused, as Rasa's processor does."""

    tracker_store: object
    domain: FakeDomain = field(default_factory=FakeDomain)
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)

    async def handle_message(self, message: UserMessage):
        async with self.lock_store.lock(message.sender_id):
            tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
            tracker.update(UserUttered(message.text, {"name": "ask_wage_arrears", "confidence": 0.9},
                                       input_channel=message.input_channel, metadata=message.metadata))
            if not tracker.is_paused():
                await message.output_channel.send_text_message(message.sender_id, f"机器人：{message.text}")
                tracker.update(BotUttered(f"机器人：{message.text}"))
            await self.tracker_store.save(tracker)


def in_memory() -> FailSafeTrackerStore:
    return FailSafeTrackerStore(InMemoryTrackerStore(DOMAIN))  # what rasa.core.agent.Agent wraps it in


def sql(tmp_path) -> FailSafeTrackerStore:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    return FailSafeTrackerStore(AwaitableTrackerStore(store))  # as `rasa run` wraps an SQL store


class Console:
    """The staff console and the worker's app against one Rasa app (REST channel + staff channel)."""

    def __init__(self, tracker_store, clients=None, clock=time.time) -> None:
        self.agent = StoreAgent(tracker_store)
        self.staff = StaffInput(secret=SECRET, wechat_clients=clients or {}, clock=clock)
        self.app = configure_app([RestInput(), self.staff], enable_api=False)
        self.app.ctx.agent = self.agent
        self.loop = asyncio.new_event_loop()

    def run(self, coro):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout=60))

    def request(self, method: str, path: str, body=None, headers=None, raw: bytes | None = None):
        headers = admin() if headers is None else headers
        content = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        call = getattr(self.app.asgi_client, method)
        kwargs = {"headers": headers} if content is None else {"headers": headers, "content": content}
        _, reply = self.run(call(path, **kwargs))
        return reply

    def queue(self):
        reply = self.request("get", "/webhooks/staff/queue")
        assert reply.status == 200, reply.body
        return reply.json["conversations"]

    def reply(self, sender: str, text: str, staff: str = "王老师"):
        return self.request("post", f"/webhooks/staff/conversations/{sender}/reply", {"text": text, "staff": staff})

    def release(self, sender: str, staff: str = "王老师"):
        return self.request("post", f"/webhooks/staff/conversations/{sender}/release", {"staff": staff})

    def say(self, sender: str, text: str):
        reply = self.request("post", "/webhooks/rest/webhook", {"sender": sender, "message": text}, headers={})
        assert reply.status == 200, reply.body
        return [m["text"] for m in reply.json]

    def poll(self, sender: str):
        reply = self.request("post", "/webhooks/rest/poll", {"sender": sender}, headers={})
        assert reply.status == 200, reply.body
        assert all(m["recipient_id"] == sender for m in reply.json)
        return [m["text"] for m in reply.json]

    def tracker(self, sender: str):
        return self.run(self.agent.tracker_store.retrieve(sender))

    def add(self, sender: str, *events) -> None:
        async def add():
            tracker = await self.agent.tracker_store.get_or_create_tracker(sender)
            for event in events:
                tracker.update(event)
            await self.agent.tracker_store.save(tracker)

        self.run(add())

    def close(self) -> None:
        self.loop.close()


def hand_off_events(at: float, reason: str = "ask_human", topic: str | None = "wage_arrears") -> list:
    """What action_handoff leaves in the tracker (actions/handoff.py), at time ``at``."""
    return [ActionExecuted("action_handoff", timestamp=at), BotUttered("已为您转接人工", timestamp=at),
            SlotSet("handoff_summary", {"reason": reason, "topic": topic, "facts": {}}, timestamp=at),
            SlotSet("handoff_active", True, timestamp=at), SlotSet("fallback_count", 0, timestamp=at),
            ConversationPaused(timestamp=at)]


def user(text: str, at: float, channel: str = "rest", platform: str | None = None) -> UserUttered:
    metadata = {"wechat": {"platform": platform}} if platform else None
    return UserUttered(text, {"name": "ask_human", "confidence": 0.99}, input_channel=channel, timestamp=at,
                       metadata=metadata)


@pytest.fixture(params=["in_memory", "sql"])
def console(request, tmp_path):
    store = in_memory() if request.param == "in_memory" else sql(tmp_path)
    c = Console(store)
    yield c
    c.close()


def handed_off(console: Console, sender: str) -> None:
    """The worker asks for a human through the REST webhook; action_handoff pauses the conversation."""
    console.say(sender, "我要找人工")
    console.add(sender, *hand_off_events(time.time()))


# ------------------------------------------------------------------------------------------ auth


def expired() -> dict[str, str]:
    return auth.auth_header(auth.mint("admin", secret=SECRET, now=time.time() - 7200, ttl=60))


def forged() -> dict[str, str]:
    return auth.auth_header(auth.mint("admin", secret="another-secret-" + "y" * 40))


def unsigned() -> dict[str, str]:
    token = jwt.encode({"user": {"username": "admin", "role": "admin"}, "exp": time.time() + 60}, key=None,
                       algorithm="none")
    return auth.auth_header(token)


def no_expiry() -> dict[str, str]:
    return auth.auth_header(jwt.encode({"user": {"username": "admin", "role": "admin"}}, SECRET, "HS256"))


ROUTES = [("get", "/webhooks/staff/queue", None),
          ("post", "/webhooks/staff/conversations/w1/reply", {"text": "您好", "staff": "王"}),
          ("post", "/webhooks/staff/conversations/w1/release", {"staff": "王"})]


@pytest.mark.parametrize("method, path, body", ROUTES, ids=[r[1].rsplit("/", 1)[1] for r in ROUTES])
@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Basic YWRtaW46YWRtaW4="}, 401),
    ({"Authorization": "Bearer"}, 401),
    ({"Authorization": "Bearer not-a-jwt"}, 401),
    ("forged", 401), ("expired", 401), ("unsigned", 401), ("no_expiry", 401),
    ("user", 403),
])
def test_every_route_needs_an_admin_jwt(method, path, body, headers, status, caplog):
    c = Console(in_memory())
    handed_off(c, "w1")
    makers = {"forged": forged, "expired": expired, "unsigned": unsigned, "no_expiry": no_expiry,
              "user": lambda: auth.auth_header(auth.mint("user", "w1", secret=SECRET))}
    sent = makers[headers]() if isinstance(headers, str) else headers
    reply = c.request(method, path, body, headers=sent)
    assert reply.status == status, reply.body
    assert reply.json["status"] == "failure"
    assert reply.json["reason"] == ("NotAuthenticated" if status == 401 else "NotAuthorized")
    assert c.tracker("w1").is_paused() and c.poll("w1") == []  # nothing was done
    token = (sent.get("Authorization") or "").partition(" ")[2]
    assert not token or token not in caplog.text  # never logged
    c.close()


def test_the_secret_is_the_http_apis(monkeypatch):
    monkeypatch.setenv(auth.SECRET_VARIABLE, SECRET)
    channel = StaffInput()
    assert channel.secret() == SECRET and SECRET not in repr(channel)
    assert check_staff_jwt(admin()["Authorization"], channel.secret())["user"]["role"] == "admin"


def test_without_a_secret_the_channel_answers_503(monkeypatch, tmp_path):
    monkeypatch.delenv(auth.SECRET_VARIABLE, raising=False)
    monkeypatch.setattr(auth, "SECRET_FILE", tmp_path / "missing")
    c = Console(in_memory())
    c.staff._secret = None
    reply = c.request("get", "/webhooks/staff/queue")
    assert reply.status == 503 and reply.json["reason"] == "ServiceUnavailable"
    c.close()


# ------------------------------------------------------------------------------------------ queue


def build_queue_scenario(c: Console) -> None:
    """a: handed off at t-3h; b: handed off then released; c: paused, resumed, paused again at t-1h (newest);
    d: never handed off; e: handed off, then a restart; f: handed off at t-2h on WeChat, worker wrote twice."""
    t = NOW
    c.add("a", user("我要找人工", t - 3 * HOUR), *hand_off_events(t - 3 * HOUR, topic="child_medical_insurance"))
    c.add("b", user("转人工", t - 5 * HOUR), *hand_off_events(t - 5 * HOUR), ConversationResumed(timestamp=t - 4 * HOUR),
          SlotSet("handoff_active", False, timestamp=t - 4 * HOUR), ActionExecuted("action_listen"))
    c.add("c", user("转人工", t - 9 * HOUR), *hand_off_events(t - 9 * HOUR, topic="housing"),
          ConversationResumed(timestamp=t - 8 * HOUR), ActionExecuted("action_listen", timestamp=t - 8 * HOUR),
          user("还是要人工", t - HOUR), *hand_off_events(t - HOUR, reason="after_failures", topic=None),
          BotUttered("您好", metadata={"said_by": "staff", "staff": "王"}, timestamp=t - HOUR + 5))
    c.add("d", user("你好", t - HOUR), BotUttered("您好", timestamp=t - HOUR))
    c.add("e", user("转人工", t - 2 * HOUR), *hand_off_events(t - 2 * HOUR), Restarted(timestamp=t - 2 * HOUR + 1))
    c.add("f", user("转人工", t - 2 * HOUR - 60, "wechat", "official_account"), *hand_off_events(t - 2 * HOUR),
          user("有人吗", t - 2 * HOUR + 60, "wechat", "official_account"), BotUttered(WAITING, metadata={
              "said_by": "channel", "handoff": True}, timestamp=t - 2 * HOUR + 60),
          BotUttered("马上来", metadata={"said_by": "staff", "staff": "李"}, timestamp=t - 2 * HOUR + 90),
          user("谢谢", t - 2 * HOUR + 120, "wechat", "official_account"))
    c.add("g", user("转人工", t - 50 * HOUR, "wechat", "wecom"), *hand_off_events(t - 50 * HOUR))


def test_the_queue_lists_the_conversations_with_staff_newest_first(console):
    build_queue_scenario(console)
    queue = console.queue()
    assert [e["sender_id"] for e in queue] == ["c", "f", "a", "g"]
    c, f, a, g = queue
    assert c == {"sender_id": "c", "channel": "rest", "handed_off_at": at(NOW - HOUR),
                 "last_user_at": at(NOW - HOUR), "last_user_text": "还是要人工",
                 "reason": "after_failures", "topic": None, "user_messages_since_handoff": 0, "staff_replies": 1,
                 "window_ends_at": None}
    assert f["channel"] == "wechat" and f["last_user_text"] == "谢谢"
    assert f["user_messages_since_handoff"] == 2 and f["staff_replies"] == 1
    assert f["window_ends_at"] == at(NOW - 2 * HOUR + 120 + WECHAT_WINDOW_SECONDS)
    assert a["topic"] == "child_medical_insurance" and a["reason"] == "ask_human" and a["staff_replies"] == 0
    assert g["channel"] == "wecom"


def test_sql_and_in_memory_queues_agree(tmp_path):
    queues = []
    for store in (in_memory(), sql(tmp_path)):
        c = Console(store)
        build_queue_scenario(c)
        queues.append(c.queue())
        c.close()
    assert queues[0] == queues[1]


def test_a_new_session_ends_the_hand_off_in_the_queue(console):
    console.add("s", user("转人工", NOW - 10 * HOUR), *hand_off_events(NOW - 10 * HOUR),
                ActionExecuted("action_session_start", timestamp=NOW - HOUR), SessionStarted(timestamp=NOW - HOUR),
                ActionExecuted("action_listen", timestamp=NOW - HOUR))
    assert console.queue() == []
    assert not console.tracker("s").is_paused()


def bulk_insert(store: SQLTrackerStore, conversations: dict[str, list]) -> None:
    """Rows as SQLTrackerStore.save writes them, in one transaction (2,000 save() calls take too long)."""
    rows = []
    for sender_id, events in conversations.items():
        for event in events:
            data = event.as_dict()
            rows.append({"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                         "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                         "action_name": data.get("name"), "data": json.dumps(data)})
    with store.engine.begin() as connection:
        connection.execute(store.SQLEvent.__table__.insert(), rows)


def test_the_queue_of_thousands_of_sql_conversations_is_one_query_and_no_retrieve(tmp_path, monkeypatch):
    wrapped = sql(tmp_path)
    store = innermost_store(wrapped)
    assert isinstance(store, SQLTrackerStore)
    conversations, expected = {}, []
    for i in range(2000):
        t = NOW - 100_000 + 10 * i
        events = [ActionExecuted("action_listen", timestamp=t), user(f"问题{i}", t), BotUttered("答复", timestamp=t),
                  user("转人工", t), *hand_off_events(t, topic=f"topic{i % 7}")]
        if i % 3 == 1:  # released
            events += [ConversationResumed(timestamp=t + 1), SlotSet("handoff_active", False, timestamp=t + 1)]
        elif i % 3 == 2:  # released, then handed off again, and the worker wrote
            events += [ConversationResumed(timestamp=t + 1), user("又要人工", t + 2), *hand_off_events(t + 2, topic="again"),
                       user("在吗", t + 3), BotUttered(WAITING, metadata={"said_by": "channel"}, timestamp=t + 3)]
        if i % 3 != 1:
            expected.append(f"w{i:04d}")
        conversations[f"w{i:04d}"] = events
    bulk_insert(store, conversations)

    calls = {"retrieve": 0, "keys": 0, "statements": 0}

    def counting(name, original):
        async def counted(*args, **kwargs):
            calls[name] += 1
            return await original(*args, **kwargs)
        return counted

    for layer in (wrapped, wrapped._tracker_store, store):
        monkeypatch.setattr(layer, "retrieve", counting("retrieve", layer.retrieve))
        monkeypatch.setattr(layer, "keys", counting("keys", layer.keys))
    index_control_events(store)  # once per store, before the first queue (its own statements)
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda *args: calls.__setitem__("statements", calls["statements"] + 1))

    c = Console(wrapped)
    queue = c.queue()
    c.close()
    assert calls["retrieve"] == 0 and calls["keys"] == 0
    assert 1 <= calls["statements"] <= 2
    assert len(queue) == len(expected) == 1333
    assert [e["sender_id"] for e in queue] == sorted(expected, reverse=True)  # newest hand-off first
    again = next(e for e in queue if e["sender_id"] == "w1997")  # 1997 % 3 == 2
    assert again["user_messages_since_handoff"] == 1 and again["last_user_text"] == "在吗"
    assert again["handed_off_at"] == at(NOW - 100_000 + 19970 + 2) and again["topic"] == "again"


def test_queue_entry_is_pure():
    events = [e.as_dict() for e in [user("转人工", 1.0), *hand_off_events(2.0), user("喂", 3.0)]]
    entry = queue_entry("x", events)
    assert entry["handed_off_at"] == 2.0 and entry["last_user_at"] == 3.0 and entry["user_messages_since_handoff"] == 1
    assert queue_entry("x", events + [ConversationResumed().as_dict()]) is None


# ------------------------------------------------------------------------------------------ REST reply + poll


def test_a_staff_reply_to_a_rest_worker_is_fetched_by_the_poll_and_only_it(console):
    handed_off(console, "w1")
    assert console.say("w1", "有人吗") == [WAITING]
    assert console.poll("w1") == []
    reply = console.reply("w1", "您好，我是热线的王老师，您的工资拖欠了几个月？")
    assert reply.status == 200, reply.body
    assert reply.json["status"] == "success" and reply.json["delivered"] is True
    assert reply.json["channel"] == "rest" and reply.json["reason"] is None and reply.json["window_ends_at"] is None
    assert console.poll("w1") == ["您好，我是热线的王老师，您的工资拖欠了几个月？"]
    assert console.poll("w1") == ["您好，我是热线的王老师，您的工资拖欠了几个月？"]  # until the worker writes
    said = [e for e in console.tracker("w1").events if isinstance(e, BotUttered)][-1]
    assert said.metadata == {"said_by": "staff", "staff": "王老师"}
    assert console.tracker("w1").is_paused()
    assert console.poll("someone-else") == [] and console.poll("nobody-at-all") == []
    (entry,) = console.queue()
    assert entry["staff_replies"] == 1 and entry["user_messages_since_handoff"] == 1


def test_replies_after_a_worker_message_are_polled_in_order(console):
    handed_off(console, "w2")
    assert console.reply("w2", "第一句").status == 200
    assert console.reply("w2", "第二句").status == 200
    assert console.poll("w2") == ["第一句", "第二句"]
    assert console.say("w2", "三个月了") == [WAITING]
    assert console.poll("w2") == []  # what came before the worker's message is not repeated
    assert console.reply("w2", "第三句").status == 200
    assert console.reply("w2", "第四句").status == 200
    assert console.poll("w2") == ["第三句", "第四句"]


def test_an_app_that_keeps_the_since_cursor_misses_no_reply(console):
    """Staff reply, the worker writes before the app polls: the plain poll no longer has the reply, the
    cursor poll (since = the last line the app showed) still does, once, in order."""
    handed_off(console, "w7")

    def poll_since(since):
        reply = console.request("post", "/webhooks/rest/poll", {"sender": "w7", "since": since}, headers={})
        assert reply.status == 200, reply.body
        return [(m["text"], m["timestamp"]) for m in reply.json]

    assert poll_since(0) == []
    assert console.reply("w7", "第一句").status == 200
    assert console.say("w7", "在吗") == [WAITING]
    assert console.poll("w7") == []                       # written after the reply: the plain poll lost it
    first = poll_since(0)
    assert [t for t, _ in first] == ["第一句"]
    assert console.reply("w7", "第二句").status == 200
    assert [t for t, _ in poll_since(first[-1][1])] == ["第二句"]  # only what is new since the cursor
    assert console.release("w7").status == 200
    assert [t for t, _ in poll_since(first[-1][1])][-1] == RELEASED


@pytest.mark.parametrize("since", ["yesterday", -1, True, [1]])
def test_a_poll_with_a_bad_cursor_is_400(since):
    c = Console(in_memory())
    reply = c.request("post", "/webhooks/rest/poll", {"sender": "a", "since": since}, headers={})
    assert reply.status == 400 and "since" in reply.json["message"]
    c.close()


def test_a_conversation_not_with_staff_cannot_be_replied_to_or_released(console):
    console.say("w3", "你好")
    for reply in (console.reply("w3", "您好"), console.release("w3")):
        assert reply.status == 409, reply.body
        assert reply.json["reason"] == "not_handed_off" and reply.json["status"] == "failure"
    assert console.reply("never-seen", "您好").status == 404
    assert console.tracker("never-seen") is None  # no tracker created
    assert console.poll("w3") == []


def test_release_gives_the_bot_back_and_the_released_line_is_polled(console):
    handed_off(console, "w4")
    console.reply("w4", "已帮您查过了")
    reply = console.release("w4", staff="李老师")
    assert reply.status == 200, reply.body
    assert reply.json == {"status": "success", "released": True, "delivered": True, "channel": "rest",
                          "reason": None, "last_user_at": pytest.approx(time.time(), abs=60), "window_ends_at": None}
    tracker = console.tracker("w4")
    assert not tracker.is_paused() and tracker.get_slot("handoff_active") is False
    assert tracker.get_slot("fallback_count") == 0
    assert [type(e).__name__ for e in list(tracker.events)[-6:]] == [
        "ConversationResumed", "SlotSet", "SlotSet", "ActionExecuted", "BotUttered", "ActionExecuted"]
    assert list(tracker.events)[-3].action_name == "utter_handoff_released"
    assert tracker.latest_action_name == "action_listen"
    assert console.poll("w4") == ["已帮您查过了", RELEASED]
    assert console.queue() == []
    assert console.say("w4", "孩子医保") == ["机器人：孩子医保"]  # the bot answers again
    assert console.poll("w4") == []
    assert console.release("w4").status == 409


# ------------------------------------------------------------------------------------------ WeChat


def wechat_console(tmp_path, last_user_hours_ago: float, outcome: str = "sent", platform="official_account"):
    clients = {"wechat": FakeWeChat(outcome), "wecom": FakeWeChat(outcome)}
    c = Console(sql(tmp_path), clients=clients, clock=lambda: NOW)
    sender = "wecom:ZhangSan" if platform == "wecom" else "oOPENID-worker"
    at = NOW - last_user_hours_ago * HOUR
    c.add(sender, user("转人工", at - 60, "wechat", platform), *hand_off_events(at - 60),
          user("有人吗", at, "wechat", platform))
    return c, clients, sender


@pytest.mark.parametrize("platform, to_user", [("official_account", "oOPENID-worker"), ("wecom", "ZhangSan")])
def test_a_wechat_reply_within_48_hours_goes_through_the_customer_service_api(tmp_path, platform, to_user):
    c, clients, sender = wechat_console(tmp_path, 47.5, platform=platform)
    reply = c.reply(sender, "您好，我是热线工作人员")
    assert reply.status == 200, reply.body
    channel = "wecom" if platform == "wecom" else "wechat"
    assert reply.json["delivered"] is True and reply.json["channel"] == channel
    assert reply.json["window_ends_at"] == at(NOW + 0.5 * HOUR)
    assert clients[channel].sent == [(to_user, ["您好，我是热线工作人员"])]
    said = [e for e in c.tracker(sender).events if isinstance(e, BotUttered)][-1]
    assert said.text == "您好，我是热线工作人员" and said.metadata["said_by"] == "staff"
    assert c.poll(sender) == []  # not a REST conversation
    c.close()


def test_a_wechat_reply_after_48_hours_is_refused_and_not_sent(tmp_path):
    c, clients, sender = wechat_console(tmp_path, 48.5)
    before = len(c.tracker(sender).events)
    reply = c.reply(sender, "您好")
    assert reply.status == 409, reply.body
    assert reply.json["delivered"] is False and reply.json["reason"] == "window_closed"
    assert reply.json["last_user_at"] == at(NOW - 48.5 * HOUR)
    assert clients["wechat"].sent == [] and len(c.tracker(sender).events) == before
    c.close()


@pytest.mark.parametrize("outcome, status, reason", [("outside_window", 409, "window_closed"),
                                                      ("quota", 409, "quota"), ("failed", 502, "wechat_failed")])
def test_a_reply_wechat_rejects_records_nothing(tmp_path, outcome, status, reason):
    c, clients, sender = wechat_console(tmp_path, 1, outcome=outcome)
    before = len(c.tracker(sender).events)
    reply = c.reply(sender, "您好")
    assert reply.status == status and reply.json["delivered"] is False and reply.json["reason"] == reason
    assert len(clients["wechat"].sent) == 1 and len(c.tracker(sender).events) == before
    c.close()


def test_without_wechat_secrets_a_wechat_reply_is_503(tmp_path):
    c, _, sender = wechat_console(tmp_path, 1)
    c.staff.wechat_clients = {}
    reply = c.reply(sender, "您好")
    assert reply.status == 503 and reply.json["reason"] == "wechat_not_configured"
    c.close()


def test_releasing_a_wechat_conversation_sends_the_line_in_the_window_and_releases_it_anyway(tmp_path):
    c, clients, sender = wechat_console(tmp_path, 1)
    assert c.release(sender).json["delivered"] is True
    assert clients["wechat"].sent == [("oOPENID-worker", [RELEASED])]
    assert not c.tracker(sender).is_paused()
    c.close()
    (tmp_path / "late").mkdir()
    c, clients, sender = wechat_console(tmp_path / "late", 50)
    reply = c.release(sender)
    assert reply.status == 200 and reply.json["released"] is True and reply.json["reason"] == "window_closed"
    tracker = c.tracker(sender)
    assert not tracker.is_paused() and clients["wechat"].sent == []
    assert RELEASED not in [e.text for e in tracker.events if isinstance(e, BotUttered)]  # never said
    c.close()


def test_an_unknown_channel_is_not_delivered(console):
    console.add("tg", user("转人工", NOW, "telegram"), *hand_off_events(NOW))
    reply = console.reply("tg", "您好")
    assert reply.status == 409 and reply.json["reason"] == "unknown_channel" and reply.json["channel"] == "telegram"


# ------------------------------------------------------------------------------------------ bad input


BAD_REPLIES = [
    (b"", "not JSON"), (b"{text: 1}", "not JSON"), (b"\xff\xfe", "not UTF-8"), (b"[1]", "JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "PayloadTooLarge"),
    (json.dumps({"staff": "王"}).encode(), "text: missing"),
    (json.dumps({"text": "您好"}).encode(), "staff: missing"),
    (json.dumps({"text": "您好", "staff": "王", "to": "x"}).encode(), "unknown field"),
    (json.dumps({"text": 1, "staff": "王"}).encode(), "text: must be a string"),
    (json.dumps({"text": " \n\x00 ", "staff": "王"}).encode(), "text: empty"),
    (json.dumps({"text": "医" * 683, "staff": "王"}).encode(), "2049 bytes"),
    (json.dumps({"text": "您好\ud800", "staff": "王"}).encode(), "lone surrogate"),
    (json.dumps({"text": "您好", "staff": ""}).encode(), "staff"),
    (json.dumps({"text": "您好", "staff": "王\n老师"}).encode(), "staff"),
    (json.dumps({"text": "您好", "staff": ["王"]}).encode(), "staff"),
]


@pytest.mark.parametrize("body, expected", BAD_REPLIES, ids=[f"{i}:{e}" for i, (_, e) in enumerate(BAD_REPLIES)])
def test_a_bad_reply_body_is_400_and_changes_nothing(console, body, expected):
    handed_off(console, "w5")
    before = len(console.tracker("w5").events)
    reply = console.request("post", "/webhooks/staff/conversations/w5/reply", raw=body)
    assert reply.status in (400, 413), reply.body
    assert reply.json["status"] == "failure" and expected in reply.json["message"] + reply.json["reason"]
    assert len(console.tracker("w5").events) == before


@pytest.mark.parametrize("body", [b"", b"{}", json.dumps({"staff": "王", "text": "x"}).encode(),
                                  json.dumps({"staff": 3}).encode()])
def test_a_bad_release_body_is_400_and_keeps_the_conversation_with_staff(console, body):
    handed_off(console, "w6")
    reply = console.request("post", "/webhooks/staff/conversations/w6/release", raw=body)
    assert reply.status == 400 and reply.json["reason"] == "BadRequest"
    assert console.tracker("w6").is_paused()


def test_a_reply_at_the_limit_is_taken():
    assert read_reply(json.dumps({"text": "医" * 682 + "ab", "staff": "王"}).encode()).text == "医" * 682 + "ab"


@pytest.mark.parametrize("body, expected", [
    (b"", "not JSON"), (b"[]", "JSON object"), (b"{}", "sender: missing"), (b'{"sender": ""}', "sender"),
    (b'{"sender": 5}', "sender"), (json.dumps({"sender": "a" * 256}).encode(), "sender"),
    (b'{"sender": "a", "message": "hi"}', "unknown field"), (b"\xff", "not UTF-8"),
])
def test_a_bad_poll_is_400(body, expected):
    c = Console(in_memory())
    reply = c.request("post", "/webhooks/rest/poll", raw=body, headers={})
    assert reply.status == 400 and reply.json["reason"] == "BadRequest" and expected in reply.json["message"]
    c.close()


def test_the_project_credentials_register_the_staff_channel(monkeypatch):
    from rasa.core.run import create_http_input_channels

    for name in ("WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_TOKEN", "WECHAT_AES_KEY"):
        monkeypatch.delenv(name, raising=False)
    channels = {c.name(): c for c in create_http_input_channels(None, "bot/credentials.yml")}
    assert channels["staff"].wechat_clients == {} and channels["staff"].max_text_bytes == 2048
    monkeypatch.setenv("WECHAT_APPID", "wx-test")
    monkeypatch.setenv("WECHAT_APPSECRET", "s" * 32)
    channels = {c.name(): c for c in create_http_input_channels(None, "bot/credentials.yml")}
    client = channels["staff"].wechat_clients["wechat"]
    assert client.app_id == "wx-test" and "s" * 32 not in repr(client)


def test_the_sql_queue_indexes_the_control_events_once(tmp_path):
    import sqlalchemy as sa

    store = sql(tmp_path)
    inner = innermost_store(store)
    with inner.engine.begin() as connection:  # a database Rasa made (an earlier test's index may be in its metadata)
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {CONTROL_INDEX}")
    assert CONTROL_INDEX not in {i["name"] for i in sa.inspect(inner.engine).get_indexes("events")}
    c = Console(store)
    handed_off(c, "w-index")
    assert [e["sender_id"] for e in c.queue()] == ["w-index"]
    assert CONTROL_INDEX in {i["name"] for i in sa.inspect(inner.engine).get_indexes("events")}
    assert [e["sender_id"] for e in c.queue()] == ["w-index"]  # a second call: nothing to create
    c.close()
