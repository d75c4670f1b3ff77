"""A message longer than the channel's limit (bytes of UTF-8, 2,048 by default: WeChat's own) never
reaches the bot: REST and WeChat answer with the domain response utter_message_too_long instead."""

import asyncio
import logging
from pathlib import Path

import pytest
from rasa.core.run import configure_app, create_http_input_channels

from bot.channels.limits import DEFAULT_MAX_MESSAGE_BYTES
from bot.channels.rest import RestInput
from bot.channels.wechat import WeChatInput
from bot.channels.wechat_protocol import TEXT_LIMIT_BYTES, utf8_len
from tests.channels.conftest import (
    FakeAgent,
    WeChatPeer,
    domain_responses,
    make_app,
    run,
    settings,
    text_xml,
    voice_xml,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = domain_responses()["utter_message_too_long"][0]["text"]
AT_LIMIT = "医" * 682 + "ab"  # 682 × 3 + 2 = 2,048 bytes
OVER_LIMIT = AT_LIMIT + "c"


def too_long(max_chars: int) -> str:
    return TEMPLATE.replace("{max_chars}", str(max_chars))


def rest_post(channel: RestInput, agent: FakeAgent, text: str):
    app = configure_app([channel], enable_api=False)
    app.ctx.agent = agent
    _, reply = asyncio.run(app.asgi_client.post("/webhooks/rest/webhook", json={"sender": "limit", "message": text}))
    return reply


def test_the_limit_is_documented_and_configured():
    assert utf8_len(AT_LIMIT) == 2048 and utf8_len(OVER_LIMIT) == 2049
    assert DEFAULT_MAX_MESSAGE_BYTES == TEXT_LIMIT_BYTES == 2048
    channels = {c.name(): c for c in create_http_input_channels(None, str(ROOT / "bot" / "credentials.yml"))}
    assert channels["rest"].max_message_bytes == 2048
    wechat = channels["wechat"]
    assert {p: e.settings.max_message_bytes for p, e in wechat.endpoints.items()} == {
        "official_account": 2048, "wecom": 2048}
    # The wording is Chinese, in the domain, and names the limit in characters (filled by the channel).
    assert "{max_chars}" in TEMPLATE and "太长" in TEMPLATE


def test_rest_message_at_the_limit_reaches_the_bot():
    agent = FakeAgent()
    reply = rest_post(RestInput(), agent, AT_LIMIT)
    assert reply.status == 200
    assert [m.text for m in agent.seen] == [AT_LIMIT]


def test_rest_message_over_the_limit_gets_the_polite_reply_and_never_reaches_the_bot(caplog):
    agent = FakeAgent()
    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        reply = rest_post(RestInput(), agent, OVER_LIMIT)
    assert reply.status == 200
    assert reply.json == [{"recipient_id": "limit", "text": too_long(682)}]
    assert agent.seen == []  # handle_message was never called: no NLU, no tracker event
    assert "2049 bytes" in caplog.text and "医医" not in caplog.text  # the size is logged, never the text


def test_rest_limit_comes_from_the_credentials():
    channel = RestInput.from_credentials({"max_message_bytes": 30})
    agent = FakeAgent()
    assert rest_post(channel, agent, "一二三四五六七八九十").json[0]["text"] == "收到：一二三四五六七八九十"  # 30 bytes
    assert rest_post(channel, agent, "一二三四五六七八九十!").json[0]["text"] == too_long(10)  # 31 bytes
    assert [m.text for m in agent.seen] == ["一二三四五六七八九十"]
    with pytest.raises(ValueError, match="max_mesage_bytes"):
        RestInput.from_credentials({"max_mesage_bytes": 30})


def test_a_model_without_the_response_still_gets_a_reply():
    """An older model's domain (no utter_message_too_long): a fallback, not silence or a 5xx."""
    agent = FakeAgent()
    agent.domain.responses = {}
    reply = rest_post(RestInput(), agent, OVER_LIMIT)
    assert reply.status == 200 and "682" in reply.json[0]["text"]
    assert agent.seen == []


@pytest.mark.parametrize("make_xml", [lambda t: text_xml(t, msg_id=501), lambda t: voice_xml(t, msg_id=502)],
                         ids=["text", "voice"])
def test_wechat_message_over_the_limit_gets_the_polite_reply_and_never_reaches_the_bot(make_xml):
    async def body():
        agent = FakeAgent()
        channel = WeChatInput(settings())
        peer = WeChatPeer(make_app(channel, agent).asgi_client)
        return agent, await peer.post_encrypted(make_xml(OVER_LIMIT))

    agent, reply = run(body())
    assert reply.status == 200
    assert reply.content == too_long(682)
    assert utf8_len(reply.content) <= TEXT_LIMIT_BYTES  # fits WeChat's passive reply
    assert agent.seen == []


def test_wechat_message_at_the_limit_reaches_the_bot():
    async def body():
        agent = FakeAgent(answer=lambda text: ["好的"])
        channel = WeChatInput(settings())
        peer = WeChatPeer(make_app(channel, agent).asgi_client)
        return agent, await peer.post_encrypted(text_xml(AT_LIMIT, msg_id=503))

    agent, reply = run(body())
    assert reply.content == "好的"
    assert [m.text for m in agent.seen] == [AT_LIMIT]


def test_wechat_limit_comes_from_the_settings():
    async def body():
        agent = FakeAgent()
        channel = WeChatInput(settings(max_message_bytes=9))
        peer = WeChatPeer(make_app(channel, agent).asgi_client)
        return agent, await peer.post_plain(text_xml("一二三", msg_id=504)), await peer.post_plain(
            text_xml("一二三四", msg_id=505))

    agent, fits, over = run(body())
    assert fits.content == "收到：一二三"
    assert over.content == too_long(3)
    assert [m.text for m in agent.seen] == ["一二三"]
