"""The same channel class as a WeCom (企业微信) app callback at /webhooks/wechat/wecom."""

import asyncio
import base64
import time

from wechatpy.enterprise.crypto import PrpCrypto

from bot.channels.wechat import WeChatInput
from tests.channels.conftest import (
    AES_KEY,
    CORP_ID,
    TOKEN,
    WECOM_USER,
    FakeAgent,
    MockWeChatAPI,
    WeChatPeer,
    make_app,
    run,
    settings,
    signature,
    text_xml,
    wecom_settings,
)

PATH = "/webhooks/wechat/wecom"


def wecom_peer(agent, **overrides):
    channel = WeChatInput(settings(), wecom_settings(**overrides))
    client = make_app(channel, agent).asgi_client
    return channel, WeChatPeer(client, PATH, app_id=CORP_ID, wecom=True)


def encrypted_echostr(plain: str, corp_id: str = CORP_ID) -> str:
    """What WeCom sends as echostr: the plaintext, encrypted with the app's EncodingAESKey (by wechatpy)."""
    return PrpCrypto(base64.b64decode(AES_KEY + "=")).encrypt(plain, corp_id).decode()


def test_url_verification_decrypts_echostr():
    async def body():
        _, peer = wecom_peer(FakeAgent())
        timestamp, nonce = str(int(time.time())), "1372623149"
        echostr = encrypted_echostr("8104563942784930415")
        peer.crypto.check_signature(signature(TOKEN, timestamp, nonce, echostr), timestamp, nonce, echostr)

        async def get(msg_signature, echo=echostr):
            _, resp = await peer.client.get(peer.url(msg_signature=msg_signature, timestamp=timestamp, nonce=nonce,
                                                     echostr=echo))
            return resp

        good = await get(signature(TOKEN, timestamp, nonce, echostr))
        forged = await get("0" * 40)
        plain_signature = await get(signature(TOKEN, timestamp, nonce))  # the Official Account scheme
        foreign = encrypted_echostr("1", corp_id="ww_other_corp")
        other_corp = await get(signature(TOKEN, timestamp, nonce, foreign), foreign)
        return good, forged, plain_signature, other_corp

    good, forged, plain_signature, other_corp = run(body())
    assert (good.status, good.text) == (200, "8104563942784930415")
    assert (forged.status, plain_signature.status, other_corp.status) == (403, 403, 403)


def test_encrypted_message_and_reply():
    agent = FakeAgent()

    async def body():
        _, peer = wecom_peer(agent)
        return await peer.post_encrypted(text_xml("怎么申请公租房", from_user=WECOM_USER))

    reply = run(body())
    assert (reply.status, reply.content, reply.to_user) == (200, "收到：怎么申请公租房", WECOM_USER)
    assert agent.seen[0].sender_id == f"wecom:{WECOM_USER}"
    assert agent.seen[0].metadata["wechat"]["platform"] == "wecom"


def test_plaintext_post_is_refused():
    agent = FakeAgent()

    async def body():
        _, peer = wecom_peer(agent)
        return await peer.post_plain(text_xml("你好", from_user=WECOM_USER))

    assert run(body()).status in (400, 403)
    assert agent.seen == []


def test_slow_reply_goes_through_the_app_message_api():
    agent = FakeAgent(delay=0.3)

    async def body():
        api = MockWeChatAPI()
        base = await api.start()
        try:
            channel, peer = wecom_peer(agent, app_secret="corp-app-secret", agent_id="1000002", api_base=base,
                                       reply_deadline=0.05)
            first = await peer.post_encrypted(text_xml("落户条件", from_user=WECOM_USER))
            await asyncio.wait_for(api.received.wait(), 5)
            await channel.drain()
            return first, api
        finally:
            await api.close()

    first, api = run(body())
    assert first.body == "success"
    assert api.token_requests == [{"corpid": CORP_ID, "corpsecret": "corp-app-secret"}]
    assert api.sent[0]["json"] == {"touser": WECOM_USER, "msgtype": "text", "agentid": 1000002,
                                   "text": {"content": "收到：落户条件"}}
