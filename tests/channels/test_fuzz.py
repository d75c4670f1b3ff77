"""Fuzzing the channels (issue 16): whatever reaches REST, the REST poll, WeChat / WeCom or the staff routes,
the answer is never a 5xx and the server goes on answering; a normal conversation is not slowed by a burst
of hostile requests.

The channels are mounted with Rasa's ``configure_app`` (as ``rasa run`` mounts them) with the fake agent of
tests/channels/conftest.py, and served by Sanic on 127.0.0.1 (a free port, its own event loop in a thread):
requests go over real TCP with http.client, so Sanic's HTTP parsing (headers, query strings, bodies) is
fuzzed too, and each request costs about a millisecond. Hypothesis runs derandomised, without an example
database, so CI sees the same examples every run.

The only 5xx the channels document is 503: from WeChat when its secrets are not configured (README, "WeChat
Official Account / WeCom"), and from the staff routes without a JWT secret or a loaded model (not the case
here). Refusals are JSON ``{"status": "failure", "reason", "message"}`` on REST and the staff routes, a bare
status text on WeChat (``bad request`` / ``forbidden`` / ``too large``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http.client
import json
import multiprocessing
import socket
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from xml.sax.saxutils import escape

import jwt
import pytest
import xmltodict
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import configure_app
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.enterprise.crypto import PrpCrypto as WeComPrpCrypto
from wechatpy.parser import parse_message as wechatpy_parse

from bot import auth
from bot.channels.rest import CONTROL_CHARACTERS, DROPPED_CONTROL_CHARACTERS, RestInput
from bot.channels.staff import StaffInput
from bot.channels.wechat import WeChatInput, WeChatSettings
from tests.channels.conftest import (
    AES_KEY,
    APP_ID,
    CORP_ID,
    GH_ID,
    OPENID,
    TOKEN,
    FakeAgent,
    signature,
    text_xml,
    wecom_settings,
)
from tests.channels.conftest import settings as wechat_settings
from tests.channels.test_staff import SECRET, FakeWeChat, hand_off_events, in_memory, user
from tests.channels.test_wechat_protocol import BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY

REST, POLL = "/webhooks/rest/webhook", "/webhooks/rest/poll"
OFFICIAL, WECOM = "/webhooks/wechat/webhook", "/webhooks/wechat/wecom"
QUEUE = "/webhooks/staff/queue"
JSON_TYPE = {"Content-Type": "application/json"}
AES = base64.b64decode(AES_KEY + "=")
SEEDED = ("fuzz-rest-1", "fuzz-rest-2", "fuzz-wechat-1")  # conversations with staff, for the staff routes
TEXTS = WeChatInput(WeChatSettings()).texts
CHANNEL_INTENTS = {*TEXTS["event_intents"].values(), *TEXTS["menu_intents"].values()}
WECHAT_REFUSALS = {400: "bad request", 403: "forbidden", 413: "too large", 404: "not found",
                   503: "channel not configured"}

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])


# ------------------------------------------------------------------------------------------ the server


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.content_type!r}, {self.body[:300]!r})"


def http_request(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict | None = None) -> Reply:
    """One request on a new connection to 127.0.0.1:``port`` (header values may be bytes: sent as they are)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheader("Content-Type") or "", response.read())
    finally:
        connection.close()


class Served:
    """A Sanic app served on 127.0.0.1 by its own event loop in a thread, as ``rasa run`` serves it."""

    def __init__(self, app) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-sanic", daemon=True)
        self.thread.start()
        self.server = self.call(self._start())

    async def _start(self):
        server = await self.app.create_server(sock=self.sock, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        await server.start_serving()
        return server

    async def _stop(self) -> None:
        await self.server.before_stop()
        self.server.close()
        await self.server.wait_closed()
        await self.server.after_stop()

    def call(self, coro, timeout: float = 30):
        """Run ``coro`` on the server's loop (the tracker store lives there)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        return http_request(self.port, method, path, body, headers)

    def close(self) -> None:
        try:
            self.call(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


def store_agent(**fake) -> FakeAgent:
    """The fake agent (answers ``收到：<text>``) with Rasa's in-memory tracker store and lock store, which the
    staff routes and the REST poll read."""
    agent = FakeAgent(**fake)
    agent.tracker_store = in_memory()
    agent.lock_store = InMemoryLockStore()
    return agent


def channels_app(agent, *channels):
    app = configure_app(list(channels), enable_api=False)
    app.ctx.agent = agent
    return app


@pytest.fixture(scope="module")
def served():
    """REST, WeChat (Official Account in compatible mode, WeCom in safe mode) and staff on one server, with
    three conversations handed off to staff (two REST, one WeChat)."""
    agent = store_agent()
    app = channels_app(agent, RestInput(), WeChatInput(wechat_settings(), wecom_settings()),
                       StaffInput(secret=SECRET, wechat_clients={"wechat": FakeWeChat()}))
    server = Served(app)

    async def seed() -> None:
        for sender in SEEDED:
            tracker = await agent.tracker_store.get_or_create_tracker(sender)
            channel = "wechat" if "wechat" in sender else "rest"
            for happened in [user("我要找人工", time.time(), channel), *hand_off_events(time.time())]:
                tracker.update(happened)
            await agent.tracker_store.save(tracker)

    server.call(seed())
    yield server
    server.close()


def still_answers(served: Served, sender: str = "fuzz-alive") -> None:
    """A normal REST turn gets its normal answer."""
    reply = served.request("POST", REST, dumps({"sender": sender, "message": "孩子能交医保吗"}), JSON_TYPE)
    assert (reply.status, reply.json()) == (200, [{"recipient_id": sender, "text": "收到：孩子能交医保吗"}]), reply


def dumps(value, ensure_ascii: bool = True) -> bytes:
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", errors="surrogatepass")


def quoted(part: str | bytes) -> str:
    return urllib.parse.quote_from_bytes(part, safe="") if isinstance(part, bytes) else urllib.parse.quote(
        part.encode("utf-8", errors="surrogatepass"), safe="")


# ------------------------------------------------------------------------------------------ what to throw

INJECTIONS = [
    "'; DROP TABLE events;--", "' OR '1'='1' --", "1; SELECT pg_sleep(5); --", "\"; DELETE FROM events; --",
    "{{7*7}}", "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
    "{% for i in range(10**9) %}x{% endfor %}", "${7*7}", "${jndi:ldap://127.0.0.1:1389/a}", "#{7*7}",
    "<%= 7*7 %>", "{max_chars}", "{0.__class__}", "%s%n%x%d", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "javascript:alert(1)", "]]><evil/>", "<![CDATA[x", "&amp;&lt;&#0;&#x1F600;",
    "/restart", "/ask_human", '/inform{"age": 3}', "../../../etc/passwd", "\\u0000", "null", "NaN", "-Infinity",
]
SCRIPTS = [
    "孩子能交医保吗", "🙂👍🏽👨‍👩‍👧‍👦🇨🇳", "𠀀𪚥𰻞", "مرحبا بالعالم", "שלום", "Привет", "नमस्ते", "Ｆｕｌｌ　ｗｉｄｔｈ１２３",
    "z̸̢̛a̵l̴g̶o̷", "\u202eevil\u202c", "\u200b\u200c\u200d\ufeff", "a\u0301\u0308", "娃3岁，俺在北仑干了一年半 🙂 ok?",
]
CONTROLS = ["\x00", "\x00\x01\x02\x1b[31m", "\x7f\x85\x9f", "\r\n\r\n", "\t", "\u2028\u2029", "\x1b]0;t\x07", "\ufffe"]
HUGE = ["a" * 2049, "医" * 683, "🙂" * 513, "a" * 1_000_000, "长" * 349_000]  # the last: 1 MB as UTF-8

SMALL_TEXT = st.one_of(
    st.sampled_from(INJECTIONS + SCRIPTS + CONTROLS),
    st.text(max_size=60),
    st.text(st.characters(max_codepoint=0x9f), max_size=20),  # control characters
    st.text(st.characters(categories=["Cs", "So", "Cf", "Co", "Zs", "Mn"]), max_size=20),  # surrogates, emoji...
    st.lists(st.sampled_from(INJECTIONS + SCRIPTS + CONTROLS), min_size=2, max_size=4).map("".join),
)
TEXT = st.one_of(SMALL_TEXT, st.sampled_from(HUGE))
NO_SURROGATES = SMALL_TEXT.filter(lambda s: not any("\ud800" <= c <= "\udfff" for c in s))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), SMALL_TEXT,
                    st.sampled_from([10**400, -10**400, 2**64, 1e308, -0.0, 5e-324]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SMALL_TEXT, inner,
                                                                                         max_size=4),
                    max_leaves=12)
DEEP = [b"[" * 100_000, b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 100_000,
        b'{"sender":"a","message":"hi","metadata":' + b'{"a":' * 3000 + b"1" + b"}" * 3001,
        b'{"sender":"a","message":"hi","metadata":' + b'{"a":' * 900 + b"1" + b"}" * 901]
RAW_BODIES = [b"", b" ", b"\xef\xbb\xbf{}", b"\x00" * 64, b"\xff" * 1_000_000, b"{" * 1_048_577,
              b'{"sender":"a","message":"\xc3\x28"}', b'{"sender":"a","message":"\xed\xa0\x80"}',
              b'{"sender":"a","message":"hi"', b'{"sender":"a","message":"hi"}{"x":1}',
              b'{"sender":"a","sender":"b","message":"hi"}', b'{"sender":"a","message":"hi","since":1e400}',
              b'{"sender":"a","since":1' + b"0" * 400 + b"}", b'{"sender":"a","since":NaN}',
              b'{"sender":"a","since":-Infinity}', b'{"sender":"a","since":1' + b"0" * 5000 + b"}"]
UNKNOWN_FIELDS = st.sampled_from(["input_channel", "text", "user", "sender_id", "since", "metadata ", "__proto__",
                                  "staff", "x" * 500])


def objects(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """JSON objects with any of ``fields`` (each of a hostile value or the right type) and sometimes more."""
    return st.builds(lambda known, extra: {**extra, **known},
                     st.fixed_dictionaries({}, optional=fields),
                     st.dictionaries(UNKNOWN_FIELDS, JSON, max_size=2) | st.just({}))


def encoded(values: st.SearchStrategy, encodings=("ascii", "utf-8", "utf-16", "gb18030")) -> st.SearchStrategy:
    """JSON bytes of ``values``: escaped, raw UTF-8 (lone surrogates as CESU-8), or in another encoding."""
    return st.tuples(values, st.sampled_from(encodings)).map(
        lambda pair: dumps(pair[0]) if pair[1] == "ascii" else dumps(pair[0], ensure_ascii=False)
        if pair[1] == "utf-8" else json.dumps(pair[0], ensure_ascii=False).encode(pair[1], errors="replace"))


def bodies(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    return st.one_of(st.binary(max_size=300), encoded(JSON), encoded(objects(fields)),
                     st.sampled_from(DEEP + RAW_BODIES))


FIELD = st.one_of(TEXT, JSON)
SENDER = st.one_of(st.sampled_from(["worker-1", "oWXYZ-openid", "医保-用户", *SEEDED]), FIELD)
GOOD_SENDER = st.one_of(st.sampled_from(["worker-1", "oWXYZ-openid", "医保-用户", *SEEDED]),
                        st.text(st.characters(min_codepoint=0xa0, exclude_categories=["Cs"]), min_size=1, max_size=40))
METADATA = st.dictionaries(SMALL_TEXT, JSON, max_size=3)
UTF8 = ("ascii", "utf-8")
SINCE = st.one_of(SCALARS, st.floats(min_value=0), st.sampled_from([0, time.time(), 10**400, 2**1024, 1e308, 10**20]))
REST_BODIES = st.one_of(
    bodies({"sender": SENDER, "message": st.one_of(st.sampled_from(["你好", "孩子能交医保吗"]), FIELD),
            "metadata": st.one_of(JSON, METADATA)}),
    encoded(st.fixed_dictionaries({"sender": GOOD_SENDER, "message": TEXT}, optional={"metadata": METADATA}), UTF8),
)
POLL_BODIES = st.one_of(bodies({"sender": SENDER, "since": SINCE}),
                        encoded(st.fixed_dictionaries({"sender": GOOD_SENDER}, optional={"since": SINCE}), UTF8))
CONTENT_TYPES = st.sampled_from([None, "application/json", "application/json; charset=utf-16", "text/plain",
                                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "application/xml", "\u00ff/\u00fe"])


def content_type(value: str | None) -> dict:
    return {} if value is None else {"Content-Type": value.encode("latin-1")}


# ------------------------------------------------------------------------------------------ checks


def check_json_reply(reply: Reply, allowed: set[int], reasons: set[str]) -> None:
    """A status the route documents, JSON, and a refusal that says what is wrong."""
    assert reply.status in allowed, reply
    assert reply.content_type.startswith("application/json"), reply
    if reply.status >= 300:
        body = reply.json()
        assert body["status"] == "failure" and body["reason"] in reasons, reply
        assert isinstance(body["message"], str) and body["message"].strip(), reply


def check_rest_turn(reply: Reply) -> None:
    if reply.status == 200 and reply.content_type.startswith("text/event-stream"):  # ?stream=true
        said = [json.loads(line) for line in reply.text.splitlines() if line.strip()]
    else:
        check_json_reply(reply, {200, 400, 413}, {"BadRequest", "PayloadTooLarge"})
        said = reply.json() if reply.status == 200 else []
    assert reply.status != 200 or said, reply
    for message in said:
        assert isinstance(message["recipient_id"], str) and isinstance(message["text"], str) and message["text"]


def check_wechat_reply(reply: Reply, allowed: set[int], crypto: WeChatCrypto | None = None) -> None:
    """A documented status; 200 is ``success`` or a passive reply WeChat (wechatpy) can read, a refusal a
    bare status text."""
    assert reply.status in allowed, reply
    if reply.status != 200:
        assert reply.text == WECHAT_REFUSALS[reply.status], reply
        return
    if reply.text in ("success", ""):
        return
    xml = reply.text
    envelope = xmltodict.parse(xml)["xml"]
    if "Encrypt" in envelope:
        assert crypto is not None, reply
        xml = crypto.decrypt_message(xml, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    message = wechatpy_parse(xml)
    assert message.type == "text" and message.content, reply


# ------------------------------------------------------------------------------------------ REST


@settings(FUZZ, max_examples=300)
@given(body=REST_BODIES, kind=CONTENT_TYPES,
       query=st.sampled_from(["", "", "", "?stream=true", "?stream=maybe", "?sender=evil&message=x", "?%ff=%00"]))
def test_rest_webhook_bodies_never_5xx(served, body, kind, query):
    agent = served.app.ctx.agent
    before = len(agent.seen)
    reply = served.request("POST", REST + query, body, content_type(kind))
    event(f"HTTP {reply.status}")
    check_rest_turn(reply)
    for seen in agent.seen[before:]:  # what reached the bot: a short, clean, non-empty text from a clean sender
        assert seen.text.strip() and len(seen.text.encode("utf-8")) <= 2048, seen.text[:100]
        assert not DROPPED_CONTROL_CHARACTERS.search(seen.text) and seen.input_channel == "rest"
        assert 0 < len(seen.sender_id) <= 255 and not CONTROL_CHARACTERS.search(seen.sender_id)
    still_answers(served)


@settings(FUZZ, max_examples=200)
@given(body=POLL_BODIES, kind=CONTENT_TYPES)
def test_rest_poll_bodies_never_5xx(served, body, kind):
    reply = served.request("POST", POLL, body, content_type(kind))
    event(f"HTTP {reply.status}")
    check_json_reply(reply, {200, 400, 413}, {"BadRequest", "PayloadTooLarge"})
    if reply.status == 200:
        assert all(isinstance(m["text"], str) and isinstance(m["timestamp"], float) for m in reply.json()), reply
    still_answers(served)


# ------------------------------------------------------------------------------------------ WeChat

FIELD_NAMES = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "MsgID", "Event",
               "EventKey", "Recognition", "MediaId", "AgentID", "Encrypt", "ScanCodeInfo", "PicUrl"]
MSG_TYPES = st.one_of(st.sampled_from(["text", "text", "voice", "event", "image", "video", "shortvideo",
                                       "location", "link", "file", "music", "TEXT", " text ", "miniprogrampage",
                                       "unknown", ""]), NO_SURROGATES)
EVENTS = st.one_of(st.sampled_from(["subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "LOCATION",
                                    "enter_agent", "scancode_push", "", "subscribe\x00"]), NO_SURROGATES)
NUMBERS = st.one_of(st.integers().map(str), st.sampled_from(["", "-1", "1e9", "0x10", "9" * 40, "١٢٣", "²",
                                                             "NaN", " 12 ", "1.5"]), NO_SURROGATES)
VALUES = st.one_of(NO_SURROGATES, NUMBERS, st.sampled_from([OPENID, GH_ID, "a" * 3000, "医" * 700]))
PROLOGUES = ["", "", "", '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="GBK"?>',
             '<?xml version="1.0" encoding="UTF-16"?>', "\ufeff", "  \n", "<!-- c -->", "<?php ?>",
             '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]>', '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd">']


def element(name: str, value: str, how: str) -> str:
    if how == "cdata":
        value = "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    elif how == "escaped":
        value = escape(value)
    elif how == "nested":
        value = f"<{name}><{name}>{escape(value)}</{name}></{name}>"
    return f"<{name}>{value}</{name}>"


@st.composite
def xml_bodies(draw) -> bytes:
    """WeChat-like XML: the usual fields (any of them missing, of the wrong type, hostile), unknown fields,
    prologues (entity declarations included), nesting, truncation, other roots and encodings."""
    core = draw(st.fixed_dictionaries({}, optional={
        "ToUserName": st.just(GH_ID) | VALUES, "FromUserName": st.just(OPENID) | VALUES, "CreateTime": NUMBERS,
        "MsgType": MSG_TYPES, "Content": st.one_of(VALUES, st.sampled_from(["你好", "/restart", "医" * 683])),
        "MsgId": NUMBERS, "Event": EVENTS, "EventKey": VALUES, "Recognition": VALUES}))
    fields = list(core.items()) + draw(st.lists(st.tuples(
        st.sampled_from(FIELD_NAMES) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,11}", fullmatch=True), VALUES),
        max_size=3))
    hows = st.sampled_from(["cdata", "cdata", "escaped", "raw", "nested"])
    inner = "".join(element(name, value, draw(hows)) for name, value in fields)
    root = draw(st.sampled_from(["xml"] * 8 + ["XML", "root", "xml:x"]))
    document = f"{draw(st.sampled_from(PROLOGUES))}<{root}>{inner}</{root}>"
    document = document[:len(document) - draw(st.sampled_from([0] * 6 + [1, 7, 40]))]
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-16", "gb18030", "latin-1"]))
    return document.encode(encoding, errors="replace")


@st.composite
def wechat_messages(draw) -> str:
    """Well-formed WeChat messages (text, voice, media, events) whose contents and ids are hostile."""
    kind = draw(st.sampled_from(["text", "text", "voice", "event", "image", "location", "link", "file"]))
    fields = {"ToUserName": draw(st.just(GH_ID) | VALUES), "FromUserName": draw(st.just(OPENID) | VALUES),
              "CreateTime": draw(st.just(str(int(time.time()))) | NUMBERS), "MsgType": kind}
    content = draw(st.one_of(VALUES, st.sampled_from(INJECTIONS + SCRIPTS), st.sampled_from(HUGE[:3])))
    if kind == "text":
        fields["Content"] = content
    elif kind == "voice":
        fields.update(MediaId="m", Format="amr", Recognition=content)
    elif kind == "event":
        fields.update(Event=draw(EVENTS), EventKey=draw(st.one_of(VALUES, st.sampled_from(
            ["MENU_CHILD_MEDICAL", "MENU_NOT_THERE", "qrscene_hotline", "https://example.org"]))))
    else:
        fields.update(MediaId=content, PicUrl=content, Label=content, Title=content, Url=content)
    if kind != "event" or draw(st.booleans()):
        fields["MsgId"] = draw(st.integers(min_value=1, max_value=2**64).map(str) | NUMBERS)
    hows = st.sampled_from(["cdata", "cdata", "escaped"])
    return "<xml>" + "".join(element(name, value, draw(hows)) for name, value in fields.items()) + "</xml>"


WECHAT_BODIES = st.one_of(wechat_messages().map(str.encode), wechat_messages().map(str.encode), xml_bodies(),
                          st.binary(max_size=300),
                          st.sampled_from([BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, b"<xml>" * 5000,
                                           b"<xml>" + b"<a>" * 100_000, text_xml("x" * 70_000).encode(),
                                           b"<xml>" + b"<F>1</F>" * 10_000 + b"</xml>"]))


def signed_query(timestamp: str | None = None, nonce: str = "1029384756", **extra: str) -> str:
    timestamp = timestamp or str(int(time.time()))
    params = {"signature": signature(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
              "openid": OPENID, **extra}
    return "?" + urllib.parse.urlencode(params)


@settings(FUZZ, max_examples=300)
@given(body=WECHAT_BODIES)
def test_wechat_xml_bodies_with_a_valid_signature_never_5xx(served, body):
    agent = served.app.ctx.agent
    before = len(agent.seen)
    reply = served.request("POST", OFFICIAL + signed_query(), body, {"Content-Type": "text/xml"})
    event(f"HTTP {reply.status}")
    check_wechat_reply(reply, {200, 400, 413})
    for seen in agent.seen[before:]:  # a short text, and "/intent" only from the channel's own maps
        assert seen.text.strip() and len(seen.text.encode("utf-8")) <= 2048, seen.text[:100]
        assert not seen.text.startswith("/") or seen.text in CHANNEL_INTENTS, seen.text[:100]
    still_answers(served)


WEIRD_PARAMS = ["", " ", "²", "١٢٣", "１２３", "-5", "0", "9" * 13, "1e10", "NaN", "é", "\u00ff", "🙂", "0" * 40,
                "F" * 40, "%00", "\x00", "a&b=c", "1;DROP TABLE", "${jndi:x}", "{{7*7}}", "aes", "AES", "raw"]
PARAM = st.one_of(st.sampled_from(WEIRD_PARAMS), NO_SURROGATES, st.binary(max_size=12), st.none())
PARAM_NAMES = ("signature", "timestamp", "nonce", "echostr", "msg_signature", "encrypt_type", "openid")


@st.composite
def query_parameters(draw) -> dict:
    """The parameters WeChat sends (signature, timestamp, nonce, openid; echostr on GET), with one, two or
    all of them (or msg_signature, encrypt_type) replaced by something else, or removed (None)."""
    params = {"signature": "valid", "timestamp": "valid", "nonce": "valid", "echostr": "valid",
              "msg_signature": None, "encrypt_type": None, "openid": "valid"}
    bad = draw(st.one_of(st.sets(st.sampled_from(PARAM_NAMES), max_size=2), st.just(set(PARAM_NAMES))))
    params.update({name: draw(PARAM) for name in sorted(bad)})
    return params


@settings(FUZZ, max_examples=300)
@given(method=st.sampled_from(["GET", "POST"]), path=st.sampled_from([OFFICIAL, WECOM]),
       params=query_parameters(),
       body=st.one_of(st.just(text_xml("你好").encode()), WECHAT_BODIES))
def test_wechat_query_parameters_never_5xx(served, method, path, params, body):
    """Forged, missing, non-numeric, non-ASCII and invalid-UTF-8 signatures, timestamps and nonces."""
    timestamp = str(int(time.time())) if params["timestamp"] == "valid" else params["timestamp"]
    nonce = "1029384756" if params["nonce"] == "valid" else params["nonce"]
    query = []
    for name, value in params.items():
        if value == "valid":
            if name in ("signature", "msg_signature") and isinstance(timestamp, str) and isinstance(nonce, str):
                value = signature(TOKEN, timestamp, nonce)
            else:
                value = {"timestamp": timestamp, "nonce": nonce, "openid": OPENID}.get(name, "1234567890")
        if value is not None:
            query.append(f"{name}={quoted(value)}")
    reply = served.request(method, f"{path}?{'&'.join(query)}", body if method == "POST" else None)
    event(f"HTTP {reply.status}")
    if method == "GET" and reply.status == 200:  # URL verification: the echo, only for a valid signature
        assert path == OFFICIAL and params["signature"] == "valid" and reply.text == params["echostr"].replace(
            "valid", "1234567890"), reply
    else:
        check_wechat_reply(reply, {200, 400, 403, 413}, WeChatCrypto(TOKEN, AES_KEY, APP_ID))
    still_answers(served)


@st.composite
def ciphertexts(draw) -> str:
    """What an attacker with the token but not the AES key can put in ``Encrypt``: text, base64 of random
    bytes, or our own key's encryption of garbage (or of a message for another AppID)."""
    kind = draw(st.sampled_from(["text", "base64", "encrypted", "encrypted"]))
    if kind == "text":
        return draw(st.one_of(st.text(alphabet="ABCDEFGHabcdefgh0123456789+/=", max_size=200), NO_SURROGATES))
    if kind == "base64":
        size = draw(st.sampled_from([0, 1, 15, 16, 20, 31, 32, 48, 64, 100, 512]))
        return base64.b64encode(draw(st.binary(min_size=size, max_size=size))).decode()
    plaintext = draw(st.one_of(wechat_messages(), wechat_messages(), NO_SURROGATES, st.just(BILLION_LAUGHS.decode()),
                               xml_bodies().map(lambda b: b.decode("utf-8", errors="replace"))))
    app_id = draw(st.sampled_from([APP_ID, CORP_ID, APP_ID, CORP_ID, "", "wx_someone_else", "é"]))
    crypto = PrpCrypto(AES) if draw(st.booleans()) else WeComPrpCrypto(AES)
    return crypto.encrypt(plaintext, app_id).decode()


@settings(FUZZ, max_examples=200)
@given(path=st.sampled_from([OFFICIAL, WECOM]), encrypted=ciphertexts(), signed=st.sampled_from([True] * 3 + [False]),
       envelope=st.sampled_from(["plain", "compatible", "cdata-broken", "no-encrypt"]))
def test_wechat_encrypted_garbage_never_5xx(served, path, encrypted, signed, envelope):
    timestamp, nonce = str(int(time.time())), "5566"
    cdata = f"<![CDATA[{encrypted}]]>" if envelope != "cdata-broken" else f"<![CDATA[{encrypted}"
    to = CORP_ID if path == WECOM else GH_ID
    extra = text_xml("你好")[len("<xml>"):-len("</xml>")] if envelope == "compatible" else ""
    body = (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>{extra}"
            + ("" if envelope == "no-encrypt" else f"<Encrypt>{cdata}</Encrypt>") + "</xml>")
    msg_signature = signature(TOKEN, timestamp, nonce, encrypted) if signed else "0" * 40
    params = {"msg_signature": msg_signature, "timestamp": timestamp, "nonce": nonce}
    if path == OFFICIAL:
        params.update(signature=signature(TOKEN, timestamp, nonce), encrypt_type="aes", openid=OPENID)
    reply = served.request("POST", f"{path}?{urllib.parse.urlencode(params)}", body.encode())
    event(f"HTTP {reply.status}")
    app_id = CORP_ID if path == WECOM else APP_ID
    check_wechat_reply(reply, {200, 400, 403}, WeChatCrypto(TOKEN, AES_KEY, app_id))
    still_answers(served)


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY,
                                  # quadratic blow-up: one 40 KB entity used 500 times (no nesting needed)
                                  b'<!DOCTYPE xml [<!ENTITY a "' + b"a" * 40_000 + b'">]><xml><MsgType>text'
                                  b"</MsgType><FromUserName>o</FromUserName><Content>" + b"&a;" * 500
                                  + b"</Content></xml>"],
                         ids=["billion laughs", "external entity", "parameter entity", "quadratic blowup"])
@pytest.mark.parametrize("how", ["plain", "encrypted", "wecom"])
def test_xml_bombs_are_refused_before_they_expand(served, bomb, how):
    agent = served.app.ctx.agent
    before = len(agent.seen)
    timestamp, nonce = str(int(time.time())), "4242"
    if how == "plain":
        path, body = OFFICIAL + signed_query(timestamp, nonce), bomb
    else:
        app_id = APP_ID if how == "encrypted" else CORP_ID
        encrypted = (PrpCrypto if how == "encrypted" else WeComPrpCrypto)(AES).encrypt(bomb.decode(), app_id).decode()
        params = {"msg_signature": signature(TOKEN, timestamp, nonce, encrypted), "timestamp": timestamp,
                  "nonce": nonce}
        if how == "encrypted":
            params.update(signature=signature(TOKEN, timestamp, nonce), encrypt_type="aes")
        path = f"{OFFICIAL if how == 'encrypted' else WECOM}?{urllib.parse.urlencode(params)}"
        body = f"<xml><ToUserName>{GH_ID}</ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()
    started = time.perf_counter()
    reply = served.request("POST", path, body)
    assert (reply.status, reply.text) == (400, "bad request"), reply
    assert time.perf_counter() - started < 2.0  # expanded, billion laughs is 3 GB and takes minutes
    assert len(agent.seen) == before
    still_answers(served)


def test_unconfigured_wechat_answers_503_to_anything():
    """Without secrets (``make serve`` on a fresh machine) the Official Account URL answers 503, the WeCom
    one 404 (README), whatever is sent, and REST on the same server still answers."""
    server = Served(channels_app(store_agent(), RestInput(), WeChatInput(WeChatSettings())))
    try:
        @settings(FUZZ, max_examples=60)
        @given(method=st.sampled_from(["GET", "POST"]), path=st.sampled_from([OFFICIAL, WECOM]),
               query=st.one_of(st.just(signed_query()), st.text(max_size=40).map(lambda q: "?" + quoted(q))),
               body=WECHAT_BODIES)
        def check(method, path, query, body):
            reply = server.request(method, path + query, body if method == "POST" else None)
            event(f"HTTP {reply.status}")
            check_wechat_reply(reply, {503} if path == OFFICIAL else {404})

        check()
        health = server.request("GET", "/webhooks/wechat/")
        assert health.json() == {"status": "ok", "official_account": False}
        still_answers(server)
    finally:
        server.close()


# ------------------------------------------------------------------------------------------ staff


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@st.composite
def bad_authorizations(draw) -> bytes | None:
    """An Authorization header that must not open the staff routes: none, garbage, foreign or broken JWTs,
    and JWTs signed with the right secret whose claims are not an unexpired admin's."""
    kind = draw(st.sampled_from(["none", "raw", "scheme", "minted", "crafted", "crafted"]))
    if kind == "none":
        return None
    if kind == "raw":  # sent as they are: Sanic reads header bytes that are not UTF-8 as surrogates
        prefix = draw(st.sampled_from([b"", b"Bearer "]))
        return prefix + draw(st.binary(max_size=80).filter(lambda b: b"\r" not in b and b"\n" not in b))
    scheme = draw(st.sampled_from(["Bearer", "Bearer", "bearer", "BEARER", "Basic", "Token", "", "Bearer\t"]))
    if kind == "scheme":
        token = draw(st.one_of(NO_SURROGATES, st.sampled_from(["not-a-jwt", "a.b.c", "..", "a.b", "e30.e30.",
                                                               auth.mint("user", "w1", secret=SECRET)])))
        return f"{scheme} {token}".encode()
    now = int(time.time())
    if kind == "minted":
        token = draw(st.sampled_from([
            auth.mint("admin", secret="another-secret-" + "y" * 40),
            auth.mint("admin", secret=SECRET, now=now - 7200, ttl=60),
            auth.mint("user", "fuzz-rest-1", secret=SECRET),
            jwt.encode({"user": {"username": "admin", "role": "admin"}, "exp": now + 60}, None, algorithm="none"),
            jwt.encode({"user": {"username": "admin", "role": "admin"}, "exp": now + 60}, SECRET, "HS512"),
            jwt.encode({"user": {"username": "admin", "role": "admin"}}, SECRET, "HS256"),  # no exp
            jwt.encode({"user": {"username": "admin", "role": "admin"}, "exp": now + 60, "nbf": now + 600},
                       SECRET, "HS256"),
        ]))
        return f"{scheme} {token}".encode()
    # crafted: any header and claims, signed (HMAC-SHA256) with the right secret or another one
    roles = st.sampled_from(["user", "Admin", "ADMIN", "admin ", "", "root", None, ["admin"], {"admin": True}, 1])
    user = st.one_of(st.fixed_dictionaries({}, optional={"username": JSON, "role": roles}), JSON)
    times = st.one_of(st.just(now + 3600), st.sampled_from([now - 10, "tomorrow", None, -1, 10**30, True, [1],
                                                            float("inf"), float("nan")]), st.floats())
    claims = draw(st.one_of(st.fixed_dictionaries({}, optional={"user": user, "exp": times, "iat": times,
                                                                "nbf": times, "role": st.just("admin")}), JSON))
    if isinstance(claims, dict) and isinstance(claims.get("user"), dict):
        assume(claims["user"].get("role") != "admin")
    header = draw(st.one_of(st.fixed_dictionaries(
        {"alg": st.sampled_from(["HS256", "HS256", "none", "HS512", "RS256", "", None, ["HS256"], 1])},
        optional={"typ": JSON, "kid": JSON, "crit": JSON, "b64": st.booleans() | JSON}), JSON))
    key = draw(st.sampled_from([SECRET, SECRET, "another-secret-" + "y" * 40, ""]))
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    mac = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{scheme} {signing_input}.{b64url(mac)}".encode()


STAFF_ROUTES = st.sampled_from([("GET", QUEUE), *[("POST", f"/webhooks/staff/conversations/{sender}/{action}")
                                                  for sender in SEEDED for action in ("reply", "release")]])


def events_of(served: Served, sender: str) -> int:
    tracker = served.call(served.app.ctx.agent.tracker_store.retrieve(sender))
    return len(tracker.events)


# a header value with a line break is refused by the client (http.client): it never reaches a server
SENDABLE_AUTHORIZATIONS = bad_authorizations().filter(lambda v: v is None or (b"\r" not in v and b"\n" not in v))


@settings(FUZZ, max_examples=200)
@given(route=STAFF_ROUTES, authorization=SENDABLE_AUTHORIZATIONS,
       body=st.one_of(st.just(dumps({"text": "您好", "staff": "王老师"})), st.just(dumps({"staff": "王老师"}))))
def test_staff_routes_without_an_admin_jwt_are_401_or_403(served, route, authorization, body):
    method, path = route
    before = [events_of(served, sender) for sender in SEEDED]
    headers = {"Authorization": authorization} if authorization is not None else {}
    reply = served.request(method, path, body if method == "POST" else None, {**headers, **JSON_TYPE})
    event(f"HTTP {reply.status}")
    check_json_reply(reply, {401, 403}, {"NotAuthenticated", "NotAuthorized"})
    assert [events_of(served, sender) for sender in SEEDED] == before  # nothing was done
    still_answers(served)


SENDER_PATHS = st.one_of(st.sampled_from(SEEDED), st.sampled_from(SEEDED),
                         st.sampled_from(["nobody", "fuzz-alive", "%00", "a" * 256, "a/b", "..", "%2F", "%ff%fe",
                                          "fuzz-rest-1%2Freply", "%25ff"]),
                         NO_SURROGATES.map(quoted), st.binary(min_size=1, max_size=30).map(quoted))
STAFF_NAME = st.one_of(st.just("王老师"), GOOD_SENDER)
STAFF_REQUESTS = st.one_of(
    st.tuples(st.just("reply"), st.one_of(
        bodies({"text": st.one_of(st.sampled_from(["您好，我是热线的王老师", "医" * 682 + "ab"]), FIELD),
                "staff": STAFF_NAME}),
        encoded(st.fixed_dictionaries({"text": TEXT, "staff": STAFF_NAME}), UTF8),
        *[encoded(st.fixed_dictionaries({"text": st.sampled_from(SCRIPTS + INJECTIONS), "staff": STAFF_NAME}),
                  UTF8)] * 2)),
    st.tuples(st.just("release"), st.one_of(bodies({"staff": STAFF_NAME}),
                                            *[encoded(st.fixed_dictionaries({"staff": STAFF_NAME}), UTF8)] * 2)),
    st.tuples(st.just("queue"), st.just(b"")),
)


def hand_off_again(served: Served) -> None:
    """The seeded conversations back with staff (a fuzzed release gives them to the bot)."""
    store = served.app.ctx.agent.tracker_store

    async def again() -> None:
        for sender in SEEDED:
            tracker = await store.retrieve(sender)
            if not tracker.is_paused():
                for happened in hand_off_events(time.time()):
                    tracker.update(happened)
                await store.save(tracker)

    served.call(again())


@settings(FUZZ, max_examples=250)
@given(request=STAFF_REQUESTS, sender=SENDER_PATHS, kind=CONTENT_TYPES)
def test_staff_routes_with_an_admin_jwt_never_5xx(served, request, sender, kind):
    action, body = request
    hand_off_again(served)
    headers = {**auth.auth_header(auth.mint("admin", secret=SECRET)), **content_type(kind)}
    if action == "queue":
        reply = served.request("GET", QUEUE + "?" + sender, None, headers)
        event(f"queue: HTTP {reply.status}")
        check_json_reply(reply, {200}, set())
        assert isinstance(reply.json()["conversations"], list)
    else:
        reply = served.request("POST", f"/webhooks/staff/conversations/{sender}/{action}", body, headers)
        event(f"{action}: HTTP {reply.status}")
        if reply.status == 404 and not reply.content_type.startswith("application/json"):
            return  # Sanic's own "no such route" (an empty sender id), not the channel
        check_json_reply(reply, {200, 400, 404, 409, 413},
                         {"BadRequest", "PayloadTooLarge", "not_found", "not_handed_off"})
    still_answers(served)


# ------------------------------------------------------------------------------------------ any route

ROUTES = [REST, POLL, "/webhooks/rest/", OFFICIAL, WECOM, "/webhooks/wechat/", QUEUE,
          "/webhooks/staff/conversations/fuzz-rest-2/reply", "/webhooks/staff/conversations/fuzz-rest-2/release",
          "/webhooks/", "/webhooks/rest/webhook/", "/webhooks/nothing/webhook", "/"]


@settings(FUZZ, max_examples=150)
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       path=st.sampled_from(ROUTES), suffix=st.one_of(st.just(""), SMALL_TEXT.map(lambda s: "?" + quoted(s))),
       body=st.one_of(st.none(), st.binary(max_size=100), REST_BODIES))
def test_any_method_on_any_route_never_5xx(served, method, path, suffix, body):
    reply = served.request(method, path + suffix, body)
    event(f"HTTP {reply.status}")
    assert reply.status < 500, reply
    still_answers(served)


MEGABYTE_ROUTES = {  # route: (path, headers, status for 1,000,000 bytes, status for 1 MiB + 1)
    "rest": (lambda: REST, {}, 200, 413),  # 200: the polite too-long reply ("a" * 999,968 is under the 1 MiB limit)
    "poll": (lambda: POLL, {}, 400, 413),
    "wechat, forged and stale": (lambda: OFFICIAL + "?signature=0&timestamp=1&nonce=1", {}, 403, 403),
    "wechat, signed": (lambda: OFFICIAL + signed_query(), {}, 413, 413),
    "staff, admin": (lambda: "/webhooks/staff/conversations/fuzz-rest-1/reply",
                     auth.auth_header(auth.mint("admin", secret=SECRET, ttl=24 * 3600)), 413, 413),
    "staff, no JWT": (lambda: "/webhooks/staff/conversations/fuzz-rest-1/reply", {}, 401, 401),
}


@pytest.mark.parametrize("route", MEGABYTE_ROUTES)
@pytest.mark.parametrize("size", [1_000_000, 1_048_577])
def test_a_megabyte_to_every_route(served, route, size):
    path, headers, at_a_million, over_a_mebibyte = MEGABYTE_ROUTES[route]
    body = dumps({"sender": "big", "message": "a" * (size - len(dumps({"sender": "big", "message": ""})))})
    assert len(body) == size
    reply = served.request("POST", path(), body, headers)
    assert reply.status == (at_a_million if size == 1_000_000 else over_a_mebibyte), reply
    still_answers(served)


# ------------------------------------------------------------------------------------------ found by fuzzing


def now() -> str:
    return str(int(time.time()))


def encrypted_envelope() -> bytes:
    return f"<xml><ToUserName>{GH_ID}</ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>".encode()


# What the fuzzers above found (each was a 500 or a 503), as plain cases: (method, path, body, headers, status).
FOUND = {
    # "²".isdigit() is True but int("²") raises ValueError (wechat_protocol.is_fresh)
    "wechat timestamp ²": lambda: ("GET", f"{OFFICIAL}?signature=x&timestamp=%C2%B2&nonce=1&echostr=e", None, {},
                                   403),
    # hmac.compare_digest refuses non-ASCII str: TypeError (wechat_protocol.is_authentic)
    "wechat signature é": lambda: ("POST", f"{OFFICIAL}?signature=%C3%A9&timestamp={now()}&nonce=1",
                                   text_xml("你好").encode(), {}, 403),
    "wechat signature not UTF-8": lambda: ("POST", f"{OFFICIAL}?signature=%FF&timestamp={now()}&nonce=1",
                                           text_xml("你好").encode(), {}, 403),
    "wechat msg_signature é": lambda: ("POST", f"{OFFICIAL}{signed_query(encrypt_type='aes', msg_signature='é')}",
                                       encrypted_envelope(), {}, 403),
    "wecom msg_signature é": lambda: ("GET", f"{WECOM}?msg_signature=%C3%A9&timestamp={now()}&nonce=1&echostr=e",
                                      None, {}, 403),
    # float(10**400) raises OverflowError (rest.read_poll_body)
    "poll since 10**400": lambda: ("POST", POLL, b'{"sender": "fuzz-rest-1", "since": 1' + b"0" * 400 + b"}",
                                   JSON_TYPE, 400),
    # Sanic decodes header bytes with surrogateescape; PyJWT's token.encode("utf-8") raises UnicodeEncodeError,
    # which the staff channel's catch-all answers 503 (staff.check_staff_jwt)
    "staff Authorization not UTF-8": lambda: ("GET", QUEUE, None, {"Authorization": b"Bearer \xff\xfe"}, 401),
}


@pytest.mark.parametrize("case", FOUND)
def test_what_the_fuzzers_found_is_refused_not_5xx(served, case):
    method, path, body, headers, status = FOUND[case]()
    reply = served.request(method, path, body, headers)
    assert reply.status == status, reply
    still_answers(served)


# ------------------------------------------------------------------------------------------ latency

TURN_COST = 0.02  # seconds: what the fake agent waits per turn (an action server call, say)
TRIES = 9
MAX_EXTRA = 0.10  # seconds of median latency a burst may add: twice the 50 ms, for a loaded CI machine


def hostile_burst() -> list[tuple[str, str, bytes, dict]]:
    """What one burst sends, all at once: megabytes, deep nesting, bombs, forgeries, bad JWTs."""
    mb_message = dumps({"sender": "attacker", "message": "a" * 1_000_000})
    return [
        ("POST", REST, mb_message, JSON_TYPE), ("POST", REST, mb_message, JSON_TYPE),
        ("POST", REST, b"\xff" * 1_000_000, JSON_TYPE), ("POST", REST, b"{" * 1_048_577, JSON_TYPE),
        ("POST", REST, b"[" * 100_000, JSON_TYPE),
        ("POST", REST, dumps({"sender": "attacker", "message": "\x00" * 170_000}), JSON_TYPE),
        ("POST", REST, dumps({"sender": "attacker", "message": "'; DROP TABLE events;--{{7*7}}${jndi:x}"}),
         JSON_TYPE),
        ("POST", POLL, dumps({"sender": "s" * 1_000_000}), JSON_TYPE),
        ("POST", OFFICIAL + signed_query(), BILLION_LAUGHS, {}),
        ("POST", OFFICIAL + signed_query(), b"<xml>" + b"x" * 1_000_000 + b"</xml>", {}),
        ("POST", OFFICIAL + "?signature=" + "0" * 40 + "&timestamp=1&nonce=1", text_xml("x").encode(), {}),
        ("GET", QUEUE, None, {"Authorization": "Bearer not-a-jwt"}),
        ("POST", "/webhooks/staff/conversations/x/reply", b"x" * 1_000_000, {}),
    ] * 3


def attacker(port: int, orders) -> None:
    """A forked process (sockets only, nothing of Rasa's) that sends one burst per order, eight at a time,
    and answers with (status, when it ended) per request: its CPU and GIL are not the server's."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        while orders.recv():
            results = list(pool.map(lambda request: (http_request(port, *request).status, time.perf_counter()),
                                    hostile_burst()))
            orders.send(results)


def test_a_hostile_burst_does_not_slow_a_normal_conversation(capsys):
    agent = store_agent(delay=TURN_COST)
    server = Served(channels_app(agent, RestInput(), WeChatInput(wechat_settings()), StaffInput(secret=SECRET)))
    orders, theirs = multiprocessing.get_context("fork").Pipe()
    burster = multiprocessing.get_context("fork").Process(target=attacker, args=(server.port, theirs), daemon=True)

    def turn(number: int) -> tuple[float, float]:
        sender = f"latency-{number}"
        started = time.perf_counter()
        reply = server.request("POST", REST, dumps({"sender": sender, "message": "孩子能交医保吗"}), JSON_TYPE)
        ended = time.perf_counter()
        assert (reply.status, reply.json()) == (200, [{"recipient_id": sender, "text": "收到：孩子能交医保吗"}])
        return started, ended

    try:
        burster.start()
        for number in range(3):  # warm up: first-request paths
            turn(number)
        alone = [end - start for start, end in (turn(10 + i) for i in range(TRIES))]
        under_burst, overlapped, size = [], 0, 0
        for i in range(TRIES):
            orders.send(True)
            time.sleep(0.005)  # the first megabytes are on their way
            start, end = turn(100 + i)
            assert orders.poll(60), "the burst did not finish within 60 s"
            results = orders.recv()
            under_burst.append(end - start)
            assert all(status < 500 for status, _ in results), sorted({status for status, _ in results})
            overlapped += max(at for _, at in results) > end  # the burst was still going when the turn ended
            size = len(results)
    finally:
        if burster.is_alive():
            orders.send(False)
            burster.join(10)
        if burster.is_alive():
            burster.terminate()
        server.close()
    median_alone, median_burst = statistics.median(alone), statistics.median(under_burst)
    report = (f"normal REST turn (fake agent, {TURN_COST * 1000:.0f} ms per turn), median of {TRIES}: alone "
              f"{median_alone * 1000:.1f} ms (max {max(alone) * 1000:.1f}), during a burst of {size} hostile "
              f"requests {median_burst * 1000:.1f} ms (max {max(under_burst) * 1000:.1f}), extra "
              f"{(median_burst - median_alone) * 1000:.1f} ms; the burst outlasted {overlapped}/{TRIES} turns")
    with capsys.disabled():
        print("\n" + report)
    assert overlapped >= TRIES // 2, report
    assert median_burst - median_alone < MAX_EXTRA, report
