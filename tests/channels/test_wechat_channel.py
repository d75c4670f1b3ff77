"""The channel through Rasa's configure_app and Sanic's ASGI test client, with wechatpy as WeChat.

The agent is a fake (tests/channels/conftest.py); the customer-service API is a mock on 127.0.0.1.
"""

import asyncio
import logging
import time

import pytest

from bot.channels.wechat import WeChatInput, WeChatSettings
from bot.channels.wechat_protocol import utf8_len
from tests.channels.conftest import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    GH_ID,
    OPENID,
    TOKEN,
    FakeAgent,
    MockWeChatAPI,
    WeChatPeer,
    event_xml,
    make_app,
    media_xml,
    run,
    settings,
    signature,
    text_xml,
    voice_xml,
)
from tests.channels.test_wechat_protocol import BILLION_LAUGHS, EXTERNAL_ENTITY

TEXTS = WeChatInput(settings()).texts["replies"]


def peer_for(agent=None, **overrides):
    channel = WeChatInput(settings(**overrides))
    app = make_app(channel, agent or FakeAgent())
    return channel, WeChatPeer(app.asgi_client)


# ------------------------------------------------------------------------------------------- URL check


def test_url_verification_echoes_only_for_a_valid_signature():
    async def body():
        _, peer = peer_for()
        ok = await peer.verify_url("5866218135123416093")
        forged = await peer.verify_url("5866218135123416093", sign="0" * 40)
        stale = await peer.verify_url("1", timestamp=str(int(time.time()) - 3600))
        future = await peer.verify_url("1", timestamp=str(int(time.time()) + 3600))
        _, no_echo = await peer.client.get(peer.url(signature="x", timestamp=str(int(time.time())), nonce="1"))
        return ok, forged, stale, future, no_echo

    ok, forged, stale, future, no_echo = run(body())
    assert (ok.status, ok.text) == (200, "5866218135123416093")
    assert [r.status for r in (forged, stale, future, no_echo)] == [403, 403, 403, 403]
    assert "5866218135123416093" not in forged.text


def test_official_example_through_the_channel():
    """WeChat's documented request (token AAAAA) passes when our clock is at its timestamp."""
    async def body():
        channel = WeChatInput(WeChatSettings(token="AAAAA", mode="plaintext"), clock=lambda: 1714037059)
        client = make_app(channel, FakeAgent()).asgi_client
        _, resp = await client.get("/webhooks/wechat/webhook?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78"
                                   "&timestamp=1714037059&nonce=486452656&echostr=hello")
        return resp

    resp = run(body())
    assert (resp.status, resp.text) == (200, "hello")


def test_unconfigured_channel_refuses_with_a_log_line(caplog):
    async def body():
        channel = WeChatInput(WeChatSettings())  # no token, no key: e.g. `make serve` without secrets
        client = make_app(channel, FakeAgent()).asgi_client
        _, health = await client.get("/webhooks/wechat/")
        _, get = await client.get("/webhooks/wechat/webhook?timestamp=1&nonce=2&signature=3&echostr=4")
        _, post = await client.post("/webhooks/wechat/webhook", content=text_xml("你好"))
        _, wecom = await client.post("/webhooks/wechat/wecom", content=text_xml("你好"))
        return health, get, post, wecom

    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        health, get, post, wecom = run(body())
    assert health.json == {"status": "ok", "official_account": False}
    assert (get.status, post.status, wecom.status) == (503, 503, 404)
    assert "not configured" in caplog.text and "token" in caplog.text


# ------------------------------------------------------------------------------------------- authenticity


def test_plaintext_and_encrypted_messages_reach_the_bot_once_each():
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent)
        return (await peer.post_plain(text_xml("你好", msg_id=1)),
                await peer.post_encrypted(text_xml("孩子能交医保吗", msg_id=2)),
                await peer.post_encrypted(text_xml("落户", msg_id=3), compatible=True))

    plain, safe, compatible = run(body())
    assert (plain.status, plain.content, plain.to_user) == (200, "收到：你好", OPENID)
    assert "<Encrypt>" not in plain.body
    assert (safe.status, safe.content) == (200, "收到：孩子能交医保吗")
    assert "<Encrypt>" in safe.body and "孩子" not in safe.body  # the reply itself is encrypted
    assert (compatible.status, compatible.content) == (200, "收到：落户")
    assert [m.text for m in agent.seen] == ["你好", "孩子能交医保吗", "落户"]
    message = agent.seen[0]
    assert message.sender_id == OPENID and message.input_channel == "wechat"
    assert message.metadata["wechat"]["to_user"] == GH_ID


def test_safe_mode_refuses_plaintext():
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent, mode="safe")
        return await peer.post_plain(text_xml("你好")), await peer.post_encrypted(text_xml("你好", msg_id=9))

    plain, encrypted = run(body())
    assert (plain.status, encrypted.status, encrypted.content) == (403, 200, "收到：你好")
    assert len(agent.seen) == 1


@pytest.mark.parametrize("case", ["forged signature", "stale timestamp", "forged msg_signature", "wrong appid",
                                  "tampered ciphertext", "tampered and re-signed", "foreign token"])
def test_forgeries_are_refused_and_never_reach_the_bot(case, caplog):
    agent = FakeAgent()
    now = int(time.time())

    async def body():
        _, peer = peer_for(agent)
        xml = text_xml("转账给我", msg_id=66)
        if case == "forged signature":
            return await peer.post_plain(xml, sign="f" * 40)
        if case == "stale timestamp":
            return await peer.post_plain(xml, timestamp=str(now - 301))
        if case == "forged msg_signature":
            return await peer.post_encrypted(xml, msg_signature="a" * 40)
        if case == "wrong appid":
            intruder = WeChatPeer(peer.client, app_id="wx_someone_else_0001")
            return await intruder.post_encrypted(xml)
        if case == "tampered ciphertext":
            return await peer.post_encrypted(xml, tamper=lambda c: ("B" if c[0] != "B" else "C") + c[1:])
        if case == "tampered and re-signed":
            # Someone holding the token but not the AES key: signature right, ciphertext garbage.
            timestamp = str(now)
            encrypted, _ = peer.encrypt(xml, timestamp, "7")
            garbage = encrypted[:40] + ("A" if encrypted[40] != "A" else "B") + encrypted[41:]
            body_xml = f"<xml><ToUserName>{GH_ID}</ToUserName><Encrypt><![CDATA[{garbage}]]></Encrypt></xml>"
            url = peer.url(signature=signature(TOKEN, timestamp, "7"), timestamp=timestamp, nonce="7",
                           encrypt_type="aes", msg_signature=signature(TOKEN, timestamp, "7", garbage))
            _, resp = await peer.client.post(url, content=body_xml)
            return resp
        if case == "foreign token":
            return await WeChatPeer(peer.client, token="another-token").post_encrypted(xml)

    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        resp = run(body())
    assert resp.status in (400, 403)
    expected = {"tampered and re-signed": 400}.get(case, 403)
    assert resp.status == expected, caplog.text
    assert agent.seen == []
    assert "refused" in caplog.text


@pytest.mark.parametrize("payload,status", [
    (b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>", 400),
    (b"not xml at all", 400),
    (b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><Content>hi</Content></xml>", 400),
    (BILLION_LAUGHS, 400),
    (EXTERNAL_ENTITY, 400),
    (b"<xml><MsgType>text</MsgType><Content>" + "长".encode() * 30000 + b"</Content></xml>", 413),
])
def test_malformed_and_oversized_bodies(payload, status, caplog):
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent)
        return await peer.post_plain(payload)

    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        resp = run(body())
    assert resp.status == status
    assert agent.seen == []
    assert f"refused with {status}" in caplog.text


def test_malformed_xml_inside_the_ciphertext_is_400():
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent)
        return await peer.post_encrypted("<xml><FromUserName>o</FromUserName></xml>")  # no MsgType

    assert run(body()).status == 400
    assert agent.seen == []


# ------------------------------------------------------------------------------------------- message types


def test_every_message_type():
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent)
        out = {}
        out["voice"] = await peer.post_encrypted(voice_xml("我想问一下落户", msg_id=11))
        out["voice_empty"] = await peer.post_encrypted(voice_xml("", msg_id=12))
        for i, kind in enumerate(["image", "video", "shortvideo", "location", "link"]):
            out[kind] = await peer.post_encrypted(media_xml(kind, msg_id=20 + i))
        out["subscribe"] = await peer.post_encrypted(event_xml("subscribe", create_time=1 + int(time.time())))
        out["subscribe_qr"] = await peer.post_encrypted(
            event_xml("subscribe", "qrscene_beilun", create_time=2 + int(time.time())))
        out["unsubscribe"] = await peer.post_encrypted(event_xml("unsubscribe"))
        out["click"] = await peer.post_encrypted(event_xml("CLICK", "MENU_CHILD_MEDICAL"))
        out["click_unknown"] = await peer.post_encrypted(event_xml("CLICK", "MENU_NOT_THERE"))
        out["view"] = await peer.post_encrypted(event_xml("VIEW", "https://example.org"))
        out["slash"] = await peer.post_encrypted(text_xml("/restart", msg_id=40))
        return out

    out = run(body())
    assert all(reply.status == 200 for reply in out.values())
    assert out["voice"].content == "收到：我想问一下落户"
    assert out["voice_empty"].content == TEXTS["voice_not_recognised"]
    for kind in ["image", "video", "shortvideo", "location", "link"]:
        assert out[kind].content == TEXTS["unsupported_media"]
    assert out["subscribe"].content == out["subscribe_qr"].content == "收到：/greet"
    assert out["unsubscribe"].body == "success" and out["view"].body == "success"
    assert out["click"].content == "收到：/ask_child_medical_insurance"
    assert out["click_unknown"].content == TEXTS["unknown_menu"]
    # Users cannot inject intents: only the channel's own map sends "/intent".
    assert [m.text for m in agent.seen] == ["我想问一下落户", "/greet", "/greet", "/ask_child_medical_insurance",
                                           "restart"]


def test_bot_failure_gets_a_polite_reply(caplog):
    async def body():
        _, peer = peer_for(FakeAgent(fail=True))
        return await peer.post_encrypted(text_xml("你好"))

    with caplog.at_level(logging.ERROR, logger="bot.channels"):
        reply = run(body())
    assert reply.content == TEXTS["bot_error"]
    assert "the bot failed" in caplog.text


def test_a_turn_the_bot_left_silent_gets_a_reply_saying_so(caplog):
    """Rasa swallows a failed custom action (action server down) and says nothing; the worker is told."""
    async def body():
        _, peer = peer_for(FakeAgent(answer=lambda text: []))
        return await peer.post_encrypted(text_xml("公司拖欠工资怎么办"))

    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        reply = run(body())
    assert reply.content == FakeAgent().domain.responses["utter_no_reply"][0]["text"]
    assert "12345" in reply.content
    assert "no reply" in caplog.text and "公司拖欠工资" not in caplog.text


def test_everything_the_bot_said_goes_into_one_reply():
    agent = FakeAgent(answer=lambda text: ["第一句。", "第二句。"])

    async def body():
        _, peer = peer_for(agent)
        return await peer.post_encrypted(text_xml("你好"))

    assert run(body()).content == "第一句。\n\n第二句。"


def test_long_reply_without_customer_service_is_one_truncated_message():
    agent = FakeAgent(answer=lambda text: ["政策原文第一条。" * 400])  # ~9.6 KB

    async def body():
        _, peer = peer_for(agent)
        return await peer.post_encrypted(text_xml("你好"))

    reply = run(body())
    assert utf8_len(reply.content) <= 2048
    assert reply.content.endswith(TEXTS["truncated"])


# ------------------------------------------------------------------------------------------- retries


def test_concurrent_retries_share_one_turn():
    """WeChat retries while the first request is still running: one turn, one answer for all."""
    agent = FakeAgent(delay=0.5)

    async def body():
        channel, peer = peer_for(agent)
        timestamp = str(int(time.time()))
        xml = text_xml("孩子上学", msg_id=5150)

        async def attempt(delay):
            await asyncio.sleep(delay)
            return await peer.post_encrypted(xml, timestamp=timestamp)

        replies = await asyncio.gather(attempt(0), attempt(0.1), attempt(0.2), attempt(0.6))
        return channel, replies

    channel, replies = run(body())
    assert len(agent.seen) == 1
    assert channel.endpoints["official_account"].turns.started == 1
    assert [r.content for r in replies] == ["收到：孩子上学"] * 4


def test_event_retries_share_one_turn():
    agent = FakeAgent()

    async def body():
        _, peer = peer_for(agent)
        xml = event_xml("subscribe", create_time=1714037059)
        return [await peer.post_encrypted(xml) for _ in range(3)]

    replies = run(body())
    assert len(agent.seen) == 1
    assert {r.content for r in replies} == {"收到：/greet"}


# ------------------------------------------------------------------------------------------- the deadline


def cs_channel(agent, api_base, **overrides):
    channel = WeChatInput(settings(app_secret=APP_SECRET, api_base=api_base, **overrides))
    return channel, WeChatPeer(make_app(channel, agent).asgi_client)


def test_slow_bot_answers_success_then_customer_service_message():
    agent = FakeAgent(delay=0.6, answer=lambda text: ["您的孩子可以在宁波参加城乡居民医保。"])

    async def body():
        api = MockWeChatAPI()
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base, reply_deadline=0.2)
            first = await peer.post_encrypted(text_xml("娃4岁能交医保不", msg_id=900))
            # The 0.2 s deadline timer always fires before the bot's 0.6 s sleep ends (same event loop,
            # timers in deadline order), however loaded the machine: no wall-clock bound needed.
            finished_when_answered = agent.finished
            retry = await peer.post_encrypted(text_xml("娃4岁能交医保不", msg_id=900))  # WeChat retried anyway
            await asyncio.wait_for(api.received.wait(), 5)
            await channel.drain()
            return first, finished_when_answered, retry, api
        finally:
            await api.close()

    first, finished_when_answered, retry, api = run(body())
    assert (first.status, first.body) == (200, "success")
    assert finished_when_answered == 0  # "success" came back while the bot was still working
    assert retry.body == "success"
    assert len(agent.seen) == 1
    assert api.delivered == ["您的孩子可以在宁波参加城乡居民医保。"]
    sent = api.sent[0]
    assert sent["json"] == {"touser": OPENID, "msgtype": "text", "text": {"content": "您的孩子可以在宁波参加城乡居民医保。"}}
    assert "医保" in sent["raw"]  # UTF-8, not \\u escapes
    assert sent["access_token"] == "TOKEN-1"
    assert api.token_requests == [{"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}]


def test_long_reply_goes_out_in_order_through_customer_service():
    sentence = "第{}条：父母一方参加本市职工基本医保累计缴费满12个月。"
    agent = FakeAgent(answer=lambda text: ["".join(sentence.format(i) for i in range(60))])

    async def body():
        api = MockWeChatAPI()
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base)
            reply = await peer.post_encrypted(text_xml("医保"))
            await channel.drain()
            return reply, api
        finally:
            await api.close()

    reply, api = run(body())
    assert reply.body == "success"
    assert 2 <= len(api.delivered) <= 5
    assert all(utf8_len(text) <= 2048 for text in api.delivered)
    assert "".join(api.delivered) == "".join(sentence.format(i) for i in range(60))
    assert len(api.token_requests) == 1  # the token is cached across the messages


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_token_refreshed_when_wechat_refuses_it(errcode):
    agent = FakeAgent(delay=0.3)

    async def body():
        api = MockWeChatAPI()
        api.send_errors = [errcode]
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base, reply_deadline=0.05)
            await peer.post_encrypted(text_xml("你好", msg_id=1))
            await channel.drain()
            await peer.post_encrypted(text_xml("还在吗", msg_id=2))
            await channel.drain()
            return api
        finally:
            await api.close()

    api = run(body())
    assert [m["access_token"] for m in api.sent] == ["TOKEN-1", "TOKEN-2", "TOKEN-2"]
    assert api.delivered == ["收到：你好", "收到：还在吗"]
    assert api.tokens_issued == 2


@pytest.mark.parametrize("errcode,outcome", [(45015, "outside_window"), (45047, "quota")])
def test_window_and_quota_errors_stop_sending_and_say_why(errcode, outcome, caplog):
    agent = FakeAgent(answer=lambda text: ["长回复。" * 1000])

    async def body():
        api = MockWeChatAPI()
        api.send_errors = [errcode]
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base)
            await peer.post_encrypted(text_xml("你好"))
            await channel.drain()
            return api
        finally:
            await api.close()

    with caplog.at_level(logging.INFO, logger="bot.channels"):
        api = run(body())
    assert len(api.sent) == 1 and api.delivered == []
    assert f"({outcome})" in caplog.text and str(errcode) in caplog.text


def test_content_too_long_is_halved_and_resent():
    agent = FakeAgent(delay=0.2, answer=lambda text: ["政策。" * 200])

    async def body():
        api = MockWeChatAPI()
        api.send_errors = [45002]
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base, reply_deadline=0.05)
            await peer.post_encrypted(text_xml("你好"))
            await channel.drain()
            return api
        finally:
            await api.close()

    api = run(body())
    assert len(api.delivered) == 2
    assert "".join(api.delivered) == "政策。" * 200


# ------------------------------------------------------------------------------------------- config & logs


def test_secrets_and_contents_stay_out_of_the_logs(caplog):
    agent = FakeAgent(delay=0.2)

    async def body():
        api = MockWeChatAPI()
        base = await api.start()
        try:
            channel, peer = cs_channel(agent, base, reply_deadline=0.05)
            await peer.post_encrypted(text_xml("我的身份证号是330206199001011234"))
            await peer.post_plain(text_xml("x"), sign="0" * 40)
            await channel.drain()
            return channel
        finally:
            await api.close()

    with caplog.at_level(logging.DEBUG, logger="bot.channels"):
        channel = run(body())
    logged = caplog.text + repr(channel.endpoints["official_account"].settings)
    for secret in (TOKEN, APP_SECRET, AES_KEY, "TOKEN-1", OPENID, "330206199001011234"):
        assert secret not in logged
    assert "official_account text from user" in caplog.text


def test_credentials_come_from_the_environment(monkeypatch):
    credentials = {"env": {"token": "T_TOKEN", "app_id": "T_APPID", "encoding_aes_key": "T_AES",
                           "app_secret": "T_SECRET", "reply_deadline": "T_DEADLINE"},
                   "mode": "safe", "max_messages": 3,
                   "wecom": {"env": {"token": "T_WECOM_TOKEN"}, "app_id": "ww1", "encoding_aes_key": AES_KEY}}
    for name in ("T_TOKEN", "T_APPID", "T_AES", "T_SECRET", "T_DEADLINE", "T_WECOM_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    unset = WeChatInput.from_credentials(credentials)
    assert not unset.endpoints["official_account"].ready
    assert not unset.endpoints["wecom"].ready

    monkeypatch.setenv("T_TOKEN", TOKEN)
    monkeypatch.setenv("T_APPID", APP_ID)
    monkeypatch.setenv("T_AES", AES_KEY)
    monkeypatch.setenv("T_SECRET", APP_SECRET)
    monkeypatch.setenv("T_DEADLINE", "3.5")
    monkeypatch.setenv("T_WECOM_TOKEN", "wecom-token")
    channel = WeChatInput.from_credentials(credentials)
    oa, wecom = channel.endpoints["official_account"], channel.endpoints["wecom"]
    assert oa.ready and oa.sender is not None and oa.settings.reply_deadline == 3.5
    assert oa.settings.max_messages == 3 and oa.settings.mode == "safe"
    assert wecom.ready and wecom.sender is None  # no secret/agent id: replies after the deadline are dropped
    assert wecom.settings.api_base == "https://qyapi.weixin.qq.com"


def test_bad_aes_key_is_a_configuration_problem():
    assert "encoding_aes_key" in " ".join(WeChatSettings(token="t", app_id="a", encoding_aes_key="short").problems())


def test_project_credentials_file_loads_without_wechat_secrets(monkeypatch):
    """`make serve` must start on a machine without WeChat secrets (Rasa's ${VAR} would abort it)."""
    from rasa.core.run import create_http_input_channels

    for name in ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_AES_KEY", "WECHAT_MODE",
                 "WECOM_TOKEN", "WECOM_CORPID", "WECOM_SECRET", "WECOM_AES_KEY", "WECOM_AGENTID"):
        monkeypatch.delenv(name, raising=False)
    channels = create_http_input_channels(None, "bot/credentials.yml")
    assert {c.name() for c in channels} == {"rest", "wechat", "staff"}
    wechat = next(c for c in channels if c.name() == "wechat")
    assert not wechat.endpoints["official_account"].ready


def test_slow_bot_without_app_secret_answers_success_and_logs_the_drop(caplog):
    agent = FakeAgent(delay=0.3)

    async def body():
        channel, peer = peer_for(agent, reply_deadline=0.05)  # no app_secret: no customer-service API
        reply = await peer.post_encrypted(text_xml("你好"))
        await asyncio.sleep(0.4)
        return reply

    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        reply = run(body())
    assert reply.body == "success"
    assert "cannot be sent later" in caplog.text
