"""Whatever arrives at /webhooks/rest/webhook, the answer is never a 5xx: a malformed request gets 400 (413 when
too large) with a JSON error saying what is wrong, and only a well-formed message reaches the bot.

Through Rasa's configure_app and Sanic's ASGI test client, with the fake agent of tests/channels/conftest.py.
"""

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.run import configure_app

from bot.channels.rest import DEFAULT_MAX_BODY_BYTES, DROPPED_CONTROL_CHARACTERS, RestInput, read_body
from tests.channels.conftest import FakeAgent

URL = "/webhooks/rest/webhook"


class Webhook:
    """One app (and event loop) for many requests, so a fuzz run stays fast."""

    def __init__(self) -> None:
        self.agent = FakeAgent()
        self.app = configure_app([RestInput()], enable_api=False)
        self.app.ctx.agent = self.agent
        self.loop = asyncio.new_event_loop()

    def post(self, body: bytes, query: str = ""):
        _, reply = self.loop.run_until_complete(asyncio.wait_for(
            self.app.asgi_client.post(URL + query, content=body, headers={"Content-Type": "application/json"}),
            timeout=30))
        return reply

    def close(self) -> None:
        self.loop.close()


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.close()


def dumps(value) -> bytes:
    return json.dumps(value).encode()  # ensure_ascii: lone surrogates travel as \ud800 escapes


MALFORMED = [
    (b"", "not JSON"),
    (b"   ", "not JSON"),
    (b"{sender: a}", "not JSON"),
    (b'{"sender": "a", "message": "\xff\xfe"}', "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"sender": "a", "message": "hi", "metadata": {"score": NaN}}', "NaN is not a JSON number"),
    (b'{"sender": "a", "message": "hi", "metadata": {"x": [Infinity]}}', "Infinity is not a JSON number"),
    (b'{"sender": "a", "message": "hi", "metadata": {"x": -Infinity}}', "Infinity is not a JSON number"),
    (dumps({"sender": "a", "message": "hi", "metadata": {"x": [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}}),
     "nested more than 16 levels"),
    (dumps(["a", "b"]), "JSON object"),
    (dumps("你好"), "JSON object"),
    (b"null", "JSON object"),
    (dumps({"sender": "a", "message": "hi", "input_channel": "wechat"}), "'input_channel'"),
    (dumps({"sender": "a", "message": "hi", "x" * 500: 1}), "unknown field"),
    (dumps({"message": "hi"}), "sender: missing"),
    (dumps({"sender": 42, "message": "hi"}), "sender"),
    (dumps({"sender": "", "message": "hi"}), "sender"),
    (dumps({"sender": "a\nb", "message": "hi"}), "sender"),
    (dumps({"sender": "a" * 256, "message": "hi"}), "sender"),
    (dumps({"sender": "a"}), "message: missing"),
    (dumps({"sender": "a", "message": None}), "message: must be a string"),
    (dumps({"sender": "a", "message": 12}), "message: must be a string"),
    (dumps({"sender": "a", "message": ["你好"]}), "message: must be a string"),
    (dumps({"sender": "a", "message": {"text": "你好"}}), "message: must be a string"),
    (dumps({"sender": "a", "message": ""}), "message: empty"),
    (dumps({"sender": "a", "message": " \n\t　"}), "message: empty"),
    (dumps({"sender": "a", "message": "\x00\x01\x7f"}), "message: empty"),
    (dumps({"sender": "a", "message": "你好\ud800"}), "lone surrogate"),
    (dumps({"sender": "a", "message": "hi", "metadata": [1]}), "metadata"),
    (dumps({"sender": "a", "message": "hi", "metadata": {"k": "\udfff"}}), "metadata"),
]


@pytest.mark.parametrize("body,expected", MALFORMED, ids=[f"{i}:{expected}" for i, (_, expected) in
                                                          enumerate(MALFORMED)])
def test_a_malformed_request_is_400_with_a_clear_error_and_never_reaches_the_bot(webhook, body, expected):
    reply = webhook.post(body)
    assert reply.status == 400, reply.body
    assert reply.json["reason"] == "BadRequest" and reply.json["status"] == "failure"
    assert expected in reply.json["message"], reply.json
    assert webhook.agent.seen == []


def test_a_body_over_the_limit_is_413(webhook):
    body = dumps({"sender": "a", "message": "长" * DEFAULT_MAX_BODY_BYTES})  # 6 MB of \u957f escapes
    reply = webhook.post(body)
    assert reply.status == 413 and reply.json["reason"] == "PayloadTooLarge"
    assert webhook.agent.seen == []


def test_a_megabyte_message_gets_the_polite_reply(webhook):
    reply = webhook.post(dumps({"sender": "a", "message": "a" * 1_000_000}))
    assert reply.status == 200 and "太长" in reply.json[0]["text"]
    assert webhook.agent.seen == []


def test_well_formed_messages_reach_the_bot(webhook):
    for message in ("你好", "🙂👍 孩子能交医保吗？", "第一行\n第二行", "Ｆｕｌｌ　ｗｉｄｔｈ"):
        reply = webhook.post(dumps({"sender": "worker-1", "message": message, "metadata": {"client": "app"}}))
        assert reply.status == 200 and reply.json == [{"recipient_id": "worker-1", "text": f"收到：{message}"}]
    assert [m.metadata for m in webhook.agent.seen] == [{"client": "app"}] * 4
    assert {m.input_channel for m in webhook.agent.seen} == {"rest"}


def test_control_characters_are_dropped_before_the_bot(webhook):
    reply = webhook.post(dumps({"sender": "a", "message": "\x00孩子\x07能交\x1b医保吗\u0085\t？"}))
    assert reply.status == 200
    assert [m.text for m in webhook.agent.seen] == ["孩子能交医保吗\t？"]


def test_streaming_reply_still_works(webhook):
    reply = webhook.post(dumps({"sender": "a", "message": "你好"}), query="?stream=true")
    assert reply.status == 200 and json.loads(reply.body.decode().splitlines()[0])["text"] == "收到：你好"


def test_read_body_is_pure():
    checked = read_body(dumps({"sender": "s", "message": "x\x00y"}))
    assert (checked.sender, checked.message, checked.metadata) == ("s", "xy", None)


# ------------------------------------------------------------------------------------------------ fuzzing

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=15)
TEXTS = st.one_of(
    st.text(max_size=3000),
    st.text(st.characters(max_codepoint=0x9f), max_size=50),  # control characters
    st.text(st.characters(categories=["Cs", "So", "Zs", "Cf", "Co"]), max_size=50),  # surrogates, emoji, ...
    st.sampled_from(["", " ", "\u3000", "/restart", "/ask_human", "' OR 1=1 --", "{{7*7}}", "${jndi:x}",
                     "医" * 683, "a" * 1_000_000, "🙂" * 600]),
)
FIELD = st.one_of(TEXTS, JSON)
OBJECTS = st.builds(
    lambda fields, extra: {**extra, **fields},
    st.fixed_dictionaries({}, optional={"sender": FIELD, "message": FIELD, "metadata": JSON}),
    st.dictionaries(st.sampled_from(["input_channel", "text", "user", "sender_id", "x"]), JSON, max_size=2))
BODIES = st.one_of(
    st.binary(max_size=300),
    JSON.map(dumps),
    OBJECTS.map(dumps),
    OBJECTS.map(lambda o: json.dumps(o, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
                if "message" in o else b"{"),
    st.sampled_from([b"", b" ", b"\xef\xbb\xbf{}", b"[" * 50_000, b'{"sender":"a","message":"\xc3\x28"}',
                     b'{"sender":"a","message":"hi","metadata":' + b'{"a":' * 5000 + b"1" + b"}" * 5001]),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_fuzz_never_5xx(webhook, body):
    before = len(webhook.agent.seen)
    reply = webhook.post(body)
    assert reply.status in (200, 400, 413), (reply.status, reply.body[:300])
    if reply.status == 200:
        messages = reply.json
        assert isinstance(messages, list) and messages and all(isinstance(m.get("text"), str) for m in messages)
    else:
        assert reply.json["reason"] in ("BadRequest", "PayloadTooLarge") and reply.json["message"]
    for seen in webhook.agent.seen[before:]:  # what reached the bot is a short, clean, non-empty string
        assert isinstance(seen.text, str) and seen.text.strip()
        assert len(seen.text.encode("utf-8")) <= 2048
        assert not DROPPED_CONTROL_CHARACTERS.search(seen.text)
        assert isinstance(seen.sender_id, str) and 0 < len(seen.sender_id) <= 255
