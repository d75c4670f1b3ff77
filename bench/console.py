"""Staff console benchmark: how long the hand-off queue page takes with 200 conversations waiting for staff,
and where the time goes (the staff channel's SQL query, its JSON over HTTP, the console's own work, Jinja).

    python -m bench.console [--handed-off 200] [--others 1800] [--requests 60] [--out reports/bench-console.md]

A temporary SQLite file holds Rasa's SQLTrackerStore with ``--handed-off`` conversations with staff now and
``--others`` that are not (some handed off and released, restarted or ended by a new session), written as
SQLTrackerStore.save writes them. The staff channel (bot/channels/staff.py, mounted by Rasa's configure_app
with a minimal agent: that store and an in-memory lock store) and the real console (console.app.create_app,
its own temporary database, RasaClient with the same JWT secret) are served by Sanic on 127.0.0.1 (random
ports); a staff member logs in through the console's /login form. A second console, whose Rasa is a fake
answering the same rows from memory, times the console's own work. Servers and client share one process and
event loop, and every request is sequential. Each round times each measure once (those that only repeat
the page's SQL query every third round), interleaved so that a change of load on a shared machine hits them
all alike, after a warm-up. Loopback only, bounded in requests and time (the run fails after TIME_LIMIT
seconds); the run fails unless the page shows every handed-off conversation, and only those.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import logging
import os
import platform
import random
import re
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-console-secret-" + "x" * 40
USERNAME, DISPLAY_NAME, PASSWORD = "wang", "王芳", "bench-console-password"
TIME_LIMIT = 120.0  # seconds for building and timing; ~30 s on 2 cores at the defaults
WARM_UP = 5
CLAIMED_EVERY = 4  # one conversation in four is already claimed by a colleague, as on a busy shift
LINK = re.compile(r'href="/conversations/([^"/?#]+)"')

# ------------------------------------------------------------------------------------------ conversations

# A worker's words per topic (the topic slot holds the intent, as actions/eligibility.py sets it).
QUESTIONS = {
    "ask_child_medical_insurance": ["俺在北仑厂里干了一年半，娃3岁，能在这交医保不", "孩子没宁波户口能参保吗",
                                    "我医保交了14个月，孩子能在宁波交医保吗"],
    "ask_wage_arrears": ["老板拖欠工资三个月了咋办", "公司欠了我两个月工资，该找谁", "包工头跑了，工钱要不回来"],
    "ask_school_enrollment": ["孩子明年上小学，我们是外地户口，要啥条件", "我在宁波交了两年社保，孩子能在这里上小学吗"],
    "ask_housing": ["我是扫马路的，在宁波干了好多年，能分公租房吗", "外地人能申请保障性租赁住房吗"],
    "ask_hukou": ["外地户口怎么迁到宁波", "在宁波干了五年能落户吗"],
    "ask_labour_contract": ["不签劳动合同合法吗", "老板不跟我签劳动合同怎么办"],
    "ask_minimum_wage": ["北仑最低工资多少", "现在宁波最低工资标准是多少"],
    "ask_skills_training": ["免费技能培训去哪报名", "我在宁波打工，能参加免费技能培训吗"],
}
FOLLOW_UPS = [("是的", "affirm"), ("不是，户口在安徽老家", "inform"), ("3岁", "inform"), ("交了一年", "inform"),
              ("有居住证", "inform"), ("不知道", "dont_know"), ("为什么问这个", "ask_why"), ("不对，是8个月", "correct")]
HAND_OFF_ASKS = ["转人工", "我要找人工", "能不能让真人跟我说", "人工客服", "你说的我看不懂，找个人跟我讲"]
WHILE_WAITING = ["有人吗", "在吗", "我等了好久了", "我手机13912345678，麻烦回个电话", "身份证330203199001011234，帮我查一下",
                 "谢谢"]
STAFF_REPLIES = ["您好，我是热线的王老师，您的工资拖欠了几个月？", "已帮您查过了，需要带劳动合同和工资条去北仑区劳动监察大队。",
                 "请问孩子现在几岁？有没有办居住证？", "好的，我先帮您登记，工作日会有人回电。"]
ANSWER = ("【结论】还需要了解\n【理由】您说{fact}，按这一条还要看您的参保时间和孩子的户口情况。\n【依据】《宁波市“甬上乐业”"
          "若干措施（征求意见稿）》相关条款（征求意见稿，尚未正式施行）。条文原文见下方引用。\n【责任单位】以条文所列部门为准\n"
          "【下一步】您可以告诉我参保了几个月，或者回复“转人工”由热线工作人员帮您核对。")
CHIT_CHAT = [("你好", "greet", "您好！我是“甬上乐业”政策助手，可以帮您查宁波的就业、住房、落户、子女医保和入学、技能补贴等政策。"),
             ("谢谢", "thank", "不客气，还有别的想问的可以随时告诉我。")]


@functools.cache
def bot_line(response: str) -> str:
    """The bot's own words for the synthetic trackers, read from the domain (never retyped)."""
    from tests.channels.conftest import domain_responses

    return domain_responses()[response][0]["text"]


INTENTS = [*QUESTIONS, "affirm", "deny", "inform", "greet", "thank", "ask_human", "stop", "out_of_scope"]


@dataclass(frozen=True)
class Channel:
    name: str  # what Rasa records as the user event's input_channel
    platform: str | None = None  # the WeChat channel's endpoint (official_account, wecom)

    def metadata(self) -> dict:
        return {"wechat": {"platform": self.platform}} if self.platform else {}


REST, OFFICIAL_ACCOUNT, WECOM = Channel("rest"), Channel("wechat", "official_account"), Channel("wechat", "wecom")


@dataclass
class Conversation:
    """One worker's events in order, with a clock that moves a few seconds per event."""

    sender_id: str
    channel: Channel
    rng: random.Random
    t: float
    events: list = field(default_factory=list)

    def tick(self, low: float = 1.0, high: float = 20.0) -> float:
        self.t += self.rng.uniform(low, high)
        return self.t

    def end_before(self, now: float) -> None:
        """Move the whole conversation back in time when its clock ran past ``now``."""
        if self.t > now:
            shift = self.t - now + self.rng.uniform(30, 600)
            for event in self.events:
                event.timestamp -= shift
            self.t -= shift

    def session_start(self) -> None:
        from rasa.shared.core.events import ActionExecuted, SessionStarted

        t = self.tick()
        self.events += [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t),
                        ActionExecuted("action_listen", timestamp=t)]

    def user(self, text: str, intent: str) -> None:
        from rasa.shared.core.events import DefinePrevUserUtteredFeaturization, UserUttered

        t = self.tick(5, 90)
        confidence = round(self.rng.uniform(0.55, 0.99), 4)
        others = self.rng.sample([i for i in INTENTS if i != intent], 9)
        ranking = [{"name": intent, "confidence": confidence}] + [
            {"name": name, "confidence": round((1 - confidence) / (k + 2), 4)} for k, name in enumerate(others)]
        message_id = f"{self.rng.getrandbits(128):032x}"
        parse_data = {"intent": ranking[0], "entities": [], "text": text, "message_id": message_id,
                      "metadata": self.channel.metadata(), "intent_ranking": ranking}
        self.events += [UserUttered(text, ranking[0], [], parse_data, timestamp=t, input_channel=self.channel.name,
                                    message_id=message_id, metadata=self.channel.metadata()),
                        DefinePrevUserUtteredFeaturization(False, timestamp=t)]

    def bot(self, action: str, text: str, slots: dict | None = None, policy: str = "policy_1_TEDPolicy") -> None:
        from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

        t = self.tick(0.1, 1.5)
        self.events.append(ActionExecuted(action, policy=policy, confidence=round(self.rng.uniform(0.6, 1), 4),
                                          timestamp=t))
        self.events.append(BotUttered(text, {"elements": None, "quick_replies": None, "buttons": None,
                                             "attachment": None, "image": None, "custom": None},
                                      {"utter_action": "utter_answer"}, timestamp=t))
        self.events += [SlotSet(name, value, timestamp=t) for name, value in (slots or {}).items()]
        self.events.append(ActionExecuted("action_listen", policy="policy_0_RulePolicy", confidence=1.0, timestamp=t))

    def topic_turns(self, topic: str, follow_ups: int) -> dict:
        """A question on ``topic`` and its follow-ups, answered; the facts the bot collected."""
        facts = {"works_in_ningbo": True, "hukou": "other"}
        self.user(self.rng.choice(QUESTIONS[topic]), topic)
        self.bot("action_answer", ANSWER.format(fact="在宁波工作、外地户口"), {"topic": topic, "hukou": "other"})
        for _ in range(follow_ups):
            text, intent = self.rng.choice(FOLLOW_UPS)
            self.user(text, intent)
            months = self.rng.choice([8, 12, 14, 18, 24])
            facts["social_insurance_months"] = months
            self.bot("action_answer", ANSWER.format(fact=f"社保交了{months}个月"),
                     {"social_insurance_months": months, "requested_slot": None})
        return facts

    def chit_chat(self) -> None:
        text, intent, reply = self.rng.choice(CHIT_CHAT)
        self.user(text, intent)
        self.bot(f"utter_{intent}", reply, policy="policy_0_RulePolicy")

    def hand_off(self, topic: str, facts: dict) -> None:
        """What the worker's ask and action_handoff leave in the tracker (actions/handoff.py)."""
        from rasa.shared.core.events import (
            ActionExecuted,
            ActiveLoop,
            BotUttered,
            ConversationPaused,
            SlotSet,
        )

        self.user(self.rng.choice(HAND_OFF_ASKS), "ask_human")
        t = self.tick(0.1, 1.5)
        asked = [e.text for e in self.events if getattr(e, "type_name", "") == "user"][-5:]
        summary = {"reason": "ask_human", "topic": topic, "programs": [topic.removeprefix("ask_")], "facts": facts,
                   "unknown": ["children.age"], "outcomes": [{"program": topic.removeprefix("ask_"),
                                                             "verdict": "unknown", "clauses": []}],
                   "clauses": [], "last_user_messages": asked}
        self.events += [ActionExecuted("action_handoff", policy="policy_0_RulePolicy", confidence=1.0, timestamp=t),
                        BotUttered(bot_line("utter_handoff"), metadata={"utter_action": "utter_handoff"}, timestamp=t),
                        SlotSet("handoff_summary", summary, timestamp=t), SlotSet("handoff_active", True, timestamp=t),
                        SlotSet("fallback_count", 0, timestamp=t), ActiveLoop(None, timestamp=t),
                        ConversationPaused(timestamp=t),
                        ActionExecuted("action_listen", policy="policy_0_RulePolicy", confidence=1.0, timestamp=t)]

    def waiting(self, messages: int, staff_replies: int) -> None:
        """While with staff: the worker's messages (each answered with the waiting line, as
        bot/channels/handoff.py does) and staff replies (as bot/channels/staff.py records them)."""
        from rasa.shared.core.events import BotUttered

        said = ["worker"] * messages + ["staff"] * staff_replies
        self.rng.shuffle(said)
        for who in said:
            if who == "worker":
                self.user(self.rng.choice(WHILE_WAITING), "inform")
                self.events.append(BotUttered(bot_line("utter_handoff_waiting"), metadata={"said_by": "channel", "handoff": True},
                                              timestamp=self.tick(0.1, 0.5)))
            else:
                self.events.append(BotUttered(self.rng.choice(STAFF_REPLIES), metadata={"said_by": "staff",
                                                                                       "staff": DISPLAY_NAME},
                                              timestamp=self.tick(30, 300)))

    def release(self) -> None:
        """What the staff channel records when staff give the conversation back."""
        from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed, SlotSet

        t = self.tick(60, 900)
        self.events += [ConversationResumed(timestamp=t), SlotSet("handoff_active", False, timestamp=t),
                        SlotSet("fallback_count", 0, timestamp=t),
                        ActionExecuted("utter_handoff_released", timestamp=t),
                        BotUttered(bot_line("utter_handoff_released"), metadata={"said_by": "channel", "handoff": True,
                                                            "released_by": DISPLAY_NAME}, timestamp=t),
                        ActionExecuted("action_listen", timestamp=t)]

    def restart(self) -> None:
        from rasa.shared.core.events import ActionExecuted, Restarted

        self.user("重新开始", "restart")
        t = self.tick(0.1, 1)
        self.events += [ActionExecuted("action_restart", timestamp=t), Restarted(timestamp=t),
                        ActionExecuted("action_listen", timestamp=t)]


def _sender(rng: random.Random, channel: Channel, i: int) -> str:
    if channel == REST:
        return f"app-{rng.getrandbits(64):016x}"
    if channel == WECOM:
        return f"wecom:{rng.choice(['ZhangSan', 'LiSi', 'WangWu', 'ZhaoLiu', 'ChenQi'])}{i:05d}"
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "o" + "".join(rng.choice(alphabet) for _ in range(27))  # an openid is 28 characters


def _channel(rng: random.Random) -> Channel:
    return rng.choices([REST, OFFICIAL_ACCOUNT, WECOM], weights=[55, 35, 10])[0]


def build_conversations(handed_off: int, others: int, now: float, seed: int = 20261201) -> tuple[dict, list[str]]:
    """``{sender_id: [Rasa events]}`` and the ids of the ``handed_off`` conversations with staff now.

    With staff: 2-5 bot turns, the hand-off, then 0-3 worker messages and 0-2 staff replies; one in ten
    was handed off and released once before. The others: 1-8 turns over one or two sessions; of them 15%
    were handed off and released (some talked to the bot again), 5% handed off and then restarted, 5%
    handed off and then started a new session (none of these is with staff)."""
    rng = random.Random(seed)
    conversations: dict[str, list] = {}
    with_staff: list[str] = []
    for i in range(handed_off + others):
        staff_now = i < handed_off
        channel = _channel(rng)
        sender = _sender(rng, channel, i)
        started = now - (rng.uniform(60, 8 * 3600) if staff_now else rng.uniform(600, 3 * 86400)) - 900
        c = Conversation(sender, channel, rng, started)
        c.session_start()
        if rng.random() < 0.3:
            c.chit_chat()
        topic = rng.choice(list(QUESTIONS))
        facts = c.topic_turns(topic, rng.randint(1, 4))
        kind = rng.random()
        if staff_now:
            if kind < 0.1:
                c.hand_off(topic, facts)
                c.release()
                facts = c.topic_turns(rng.choice(list(QUESTIONS)), rng.randint(0, 2))
            c.hand_off(topic, facts)
            c.waiting(rng.randint(0, 3), rng.choice([0, 0, 1, 2]))
            with_staff.append(sender)
        elif kind < 0.15:
            c.hand_off(topic, facts)
            c.waiting(rng.randint(0, 2), rng.randint(0, 2))
            c.release()
            if rng.random() < 0.5:
                c.topic_turns(rng.choice(list(QUESTIONS)), rng.randint(0, 2))
        elif kind < 0.20:
            c.hand_off(topic, facts)
            c.restart()
        elif kind < 0.25:
            c.hand_off(topic, facts)
            c.t += 86400
            c.session_start()
            c.chit_chat()
        else:
            for _ in range(rng.randint(0, 3)):
                c.topic_turns(rng.choice(list(QUESTIONS)), rng.randint(0, 2))
            if rng.random() < 0.2:
                c.t += rng.uniform(3600, 86400)
                c.session_start()
                c.topic_turns(rng.choice(list(QUESTIONS)), rng.randint(0, 2))
        c.end_before(now)
        conversations[sender] = c.events
    return conversations, with_staff


# ------------------------------------------------------------------------------------------ tracker store


def tracker_store(path: Path):
    """Rasa's SQLTrackerStore on a SQLite file, wrapped as `rasa run` wraps it."""
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore, SQLTrackerStore
    from rasa.shared.core.domain import Domain

    domain = Domain.from_dict({"slots": {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in (
        "handoff_active", "handoff_summary", "fallback_count", "topic", "hukou", "social_insurance_months",
        "requested_slot")}})
    return FailSafeTrackerStore(AwaitableTrackerStore(SQLTrackerStore(domain, dialect="sqlite", db=str(path))))


def fill(store, conversations: dict[str, list]) -> int:
    """Write every event as SQLTrackerStore.save writes it (same columns and JSON), in time order across
    conversations as a live server would, in one transaction (thousands of save() calls take minutes).
    Returns the number of events."""
    import json

    from bot.channels.staff import innermost_store

    sql = innermost_store(store)
    rows = []
    for sender_id, events in conversations.items():
        for event in events:
            data = event.as_dict()
            rows.append({"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                         "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                         "action_name": data.get("name"), "data": json.dumps(data)})
    rows.sort(key=lambda row: row["timestamp"])  # stable: a conversation's events keep their order
    with sql.engine.begin() as connection:
        connection.execute(sql.SQLEvent.__table__.insert(), rows)
    return len(rows)


# ------------------------------------------------------------------------------------------ servers


@dataclass
class QueueAgent:
    """What the staff channel needs of Rasa's Agent: the tracker store and the lock store."""

    tracker_store: Any
    lock_store: Any


class RowsRasa:
    """The console's Rasa client answering the queue from memory: the console's own work, no Rasa."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    async def queue(self) -> list[dict]:
        return [dict(r) for r in self.rows]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def serving(app):
    """``app`` served on 127.0.0.1 (a free port) in this event loop; yields its base URL."""
    port = _free_port()
    app.config.ACCESS_LOG, app.config.MOTD = False, False
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


def staff_channel_app(store):
    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.run import configure_app

    from bot.channels.staff import StaffInput

    app = configure_app([StaffInput(secret=SECRET)], enable_api=False)
    app.ctx.agent = QueueAgent(store, InMemoryLockStore())
    return app


def console_app(db: Path, rasa) -> Any:
    """The console with a temporary database, one staff account and a colleague who claimed some rows."""
    from console.app import create_app
    from console.settings import Settings

    app = create_app(Settings(db_url=f"sqlite:///{db}", rasa_url="http://127.0.0.1:9"), rasa=rasa)
    app.ctx.me = app.ctx.accounts.create(USERNAME, DISPLAY_NAME, "staff", PASSWORD)
    app.ctx.colleague = app.ctx.accounts.create("li", "李强", "staff", PASSWORD)
    return app


def claim_some(app, sender_ids: list[str], now: float) -> int:
    claimed = sender_ids[::CLAIMED_EVERY]
    for sender_id in claimed:
        app.ctx.store.claim(sender_id, app.ctx.colleague, now)
    return len(claimed)


async def login(http, base: str) -> dict[str, str]:
    """Log in through the console's /login form (its CSRF cookie and field); the session cookie."""
    from console.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE

    async with http.get(f"{base}/login") as form:
        page = await form.text()
        pre = form.cookies[LOGIN_CSRF_COOKIE].value
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"username": USERNAME, "password": PASSWORD, "csrf_token": token, "next": "/queue"}
    async with http.post(f"{base}/login", data=data, headers={"Cookie": f"{LOGIN_CSRF_COOKIE}={pre}"},
                         allow_redirects=False) as answer:
        assert answer.status == 302, (answer.status, await answer.text())
        return {"Cookie": f"{SESSION_COOKIE}={answer.cookies[SESSION_COOKIE].value}"}


def shown(page: str) -> list[str]:
    """The conversations the queue page links to, in page order."""
    return [unquote(s) for s in dict.fromkeys(LINK.findall(page))]


# ------------------------------------------------------------------------------------------ measuring


def summary(seconds: list[float]) -> dict[str, float]:
    """median, p95 (nearest rank) and max in milliseconds."""
    ordered = sorted(seconds)
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    p95 = ordered[min(n - 1, max(0, -(-95 * n // 100) - 1))]
    return {"n": n, "median": median * 1000, "p95": p95 * 1000, "max": ordered[-1] * 1000}


async def timed(fn: Callable[[], Awaitable[Any]], into: list[float]) -> Any:
    started = time.perf_counter()
    result = await fn()
    into.append(time.perf_counter() - started)
    return result


# Measures that repeat what the page does (its SQL query) are timed every third round: the run stays short.
EVERY_THIRD = ("feed", "channel", "sql")
MEASURES = {  # key: what the report calls it
    "page": "GET /queue: the whole page (console → staff channel's SQL query → Jinja)",
    "feed": "GET /queue.json (console → staff channel, no template)",
    "channel": "GET /webhooks/staff/queue alone (staff channel: SQL query + JSON over HTTP)",
    "sql": "the staff channel's SQL query and queue_entry alone (in process, no HTTP)",
    "console": "GET /queue with the rows already fetched (console: session, claims, template, HTTP)",
    "render": "the queue template alone (conv.queue_rows + Jinja render, in process)",
}


async def run_bench(handed_off: int, others: int, requests: int, workdir: Path) -> dict:
    from sanic import Sanic

    # Three Sanic apps in one process: at each server's start Sanic's TouchUp rewrites methods of shared
    # classes for that app, which only test mode lets it do more than once (it keeps the originals).
    test_mode, Sanic.test_mode = Sanic.test_mode, True
    try:
        return await _run_bench(handed_off, others, requests, workdir)
    finally:
        Sanic.test_mode = test_mode


async def _run_bench(handed_off: int, others: int, requests: int, workdir: Path) -> dict:
    import json

    import aiohttp

    from bot import auth
    from bot.channels.staff import innermost_store, sql_handed_off
    from console import conversation as conv
    from console.rasa_client import RasaClient

    now = time.time()
    started = time.perf_counter()
    conversations, with_staff = build_conversations(handed_off, others, now)
    store = tracker_store(workdir / "tracker.db")
    events, count = fill(store, conversations), len(conversations)
    del conversations  # 100,000 Rasa events held here would make every full garbage collection slow
    gc.collect()
    results: dict[str, Any] = {"handed_off": handed_off, "others": others, "requests": requests,
                               "conversations": count, "events": events,
                               "db_bytes": (workdir / "tracker.db").stat().st_size,
                               "build_seconds": time.perf_counter() - started}
    loop = asyncio.get_running_loop()
    sql_store = innermost_store(store)
    channel_app = staff_channel_app(store)
    async with serving(channel_app) as rasa_url:
        live = console_app(workdir / "console.db", RasaClient(rasa_url, 10.0, SECRET))
        rows = await live.ctx.rasa.queue()
        memory = console_app(workdir / "console-rows.db", RowsRasa(rows))
        results["claimed"] = claim_some(live, [r["sender_id"] for r in rows], now)
        claim_some(memory, [r["sender_id"] for r in rows], now)
        template = memory.ctx.templates.get_template("queue.html")
        claims = memory.ctx.store.claims([r["sender_id"] for r in rows])

        async def render() -> str:
            return template.render(rows=conv.queue_rows([dict(r) for r in rows], claims), now=time.time(),
                                   staff=memory.ctx.me, csrf="x" * 43, notice=None, error=None, path="/queue")

        async with serving(live) as live_url, serving(memory) as memory_url, aiohttp.ClientSession(
                cookie_jar=aiohttp.DummyCookieJar()) as http:
            cookies = {live_url: await login(http, live_url), memory_url: await login(http, memory_url)}
            jwt_header = auth.auth_header(auth.mint("admin", secret=SECRET))

            async def get(url: str, headers: dict) -> bytes:
                async with http.get(url, headers=headers, allow_redirects=False) as answer:
                    body = await answer.read()
                    assert answer.status == 200, (url, answer.status, body[:300])
                    return body

            calls = {
                "page": lambda: get(f"{live_url}/queue", cookies[live_url]),
                "feed": lambda: get(f"{live_url}/queue.json", cookies[live_url]),
                "channel": lambda: get(f"{rasa_url}/webhooks/staff/queue", jwt_header),
                "sql": lambda: loop.run_in_executor(None, sql_handed_off, sql_store),
                "console": lambda: get(f"{memory_url}/queue", cookies[memory_url]),
                "render": render,
            }
            times: dict[str, list[float]] = {key: [] for key in calls}
            for _ in range(WARM_UP):
                for fn in calls.values():
                    await fn()
            last: dict[str, Any] = {}
            for i in range(requests):
                for key, fn in calls.items():
                    if key not in EVERY_THIRD or i % 3 == 0:
                        last[key] = await timed(fn, times[key])
    page = last["page"].decode("utf-8")
    results["times"] = {key: summary(values) for key, values in times.items()}
    results["page_bytes"] = len(last["page"])
    results["console_page_bytes"] = len(last["console"])
    results["channel_bytes"] = len(last["channel"])
    results["rows_shown"] = len(shown(page))
    results["rows_channel"] = len(json.loads(last["channel"])["conversations"])
    results["rows_feed"] = json.loads(last["feed"])["count"]
    results["rows_memory"] = len(shown(last["console"].decode("utf-8")))
    # the page shows exactly the conversations with staff, newest hand-off first, like the channel
    assert shown(page) == [r["sender_id"] for r in json.loads(last["channel"])["conversations"]], "page order"
    assert set(shown(page)) == set(with_staff), "the page does not show the handed-off conversations"
    assert results["rows_shown"] == results["rows_channel"] == results["rows_feed"] == handed_off, results
    return results


# ------------------------------------------------------------------------------------------ report


def render_report(results: dict, command: str) -> str:
    t = results["times"]
    rows = [f"| {MEASURES[key]} | {t[key]['n']} | {t[key]['median']:.1f} | {t[key]['p95']:.1f} "
            f"| {t[key]['max']:.1f} |" for key in MEASURES]
    page, channel, console = t["page"]["median"], t["channel"]["median"], t["console"]["median"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return "\n".join([
        "# Staff console benchmark: the hand-off queue page",
        "",
        f"`{command}` on {platform.machine()} ({os.cpu_count()} CPUs, load average {load}), Python "
        f"{platform.python_version()}, {platform.system()}.",
        "",
        f"- tracker store: Rasa's SQLTrackerStore on SQLite, {results['conversations']:,} conversations "
        f"({results['handed_off']} with staff now, {results['others']:,} not), {results['events']:,} events, "
        f"{results['db_bytes'] / 1e6:.1f} MB; built in {results['build_seconds']:.1f} s",
        f"- the page: **{results['rows_shown']} rows shown** (the staff channel listed {results['rows_channel']}, "
        f"/queue.json counted {results['rows_feed']}; {results['claimed']} claimed by a colleague), "
        f"{results['page_bytes']:,} bytes of HTML; the staff channel's JSON {results['channel_bytes']:,} bytes",
        f"- {results['requests']} timed rounds after {WARM_UP} warm-up rounds; each round times each measure once "
        f"({', '.join(EVERY_THIRD)}: every third round), one request at a time; servers and client share one "
        "process and event loop on 127.0.0.1",
        "",
        "| what is timed | n | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"**Queue page render time (median): {page:.1f} ms** for {results['rows_shown']} handed-off conversations. "
        f"Of the median, the staff channel's answer takes about {channel:.1f} ms "
        f"({t['sql']['median']:.1f} ms of it the SQL query and reading the rows) and the console's own work "
        f"about {console:.1f} ms ({t['render']['median']:.1f} ms of it the template); the rest "
        f"({max(page - channel - console, 0):.1f} ms) is the console's call to the staff channel "
        "(a new HTTP connection and JWT per call) and the second HTTP parse.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handed-off", type=int, default=200)
    parser.add_argument("--others", type=int, default=1800)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-console.md"))
    args = parser.parse_args(argv)
    for name in ("sanic.access", "sanic.root", "sanic.error", "rasa", "console", "bot.channels"):
        logging.getLogger(name).setLevel(logging.WARNING)
    command = "python -m bench.console " + " ".join(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="bench-console-") as tmp:
        results = asyncio.run(asyncio.wait_for(
            run_bench(args.handed_off, args.others, args.requests, Path(tmp)), TIME_LIMIT))
    report = render_report(results, command.strip())
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
