"""The WeChat side of the channel tests, built from wechatpy (an independent implementation of the
protocol), plus a fake Rasa agent and a loopback mock of WeChat's customer-service API.

Nothing here calls bot.channels code to produce a request: signatures come from wechatpy's
``WeChatSigner``, ciphertext from wechatpy's ``WeChatCrypto``, and replies are decrypted and parsed by
wechatpy too.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import xmltodict
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa.core.run import configure_app
from sanic import Sanic
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.parser import parse_message
from wechatpy.utils import WeChatSigner

from bot.channels.wechat import WeChatInput, WeChatSettings

TOKEN = "yongshang-test-token"
APP_ID = "wx1234567890abcdef"
APP_SECRET = "test-app-secret-0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
GH_ID = "gh_0123456789ab"
OPENID = "oWXYZ-openid-of-a-worker-000001"
CORP_ID = "ww0123456789abcdef"
WECOM_USER = "ZhangSan"

Sanic.test_mode = True  # configure_app builds a fresh Sanic app per test; allow the repeated name


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def text_xml(content: str, msg_id: int = 1001, from_user: str = OPENID, create_time: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{GH_ID}]]></ToUserName><FromUserName><![CDATA[{from_user}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def voice_xml(recognition: str, msg_id: int = 2001) -> str:
    return (f"<xml><ToUserName><![CDATA[{GH_ID}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
            "<MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format>"
            f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{msg_id}</MsgId></xml>")


def media_xml(msg_type: str, msg_id: int = 3001) -> str:
    extra = {
        "image": "<PicUrl><![CDATA[http://mmbiz.example/x.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId>",
        "video": "<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>",
        "shortvideo": "<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>",
        "location": "<Location_X>29.86</Location_X><Location_Y>121.54</Location_Y><Scale>15</Scale>"
                    "<Label><![CDATA[宁波市北仑区]]></Label>",
        "link": "<Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description><Url><![CDATA[u]]></Url>",
    }[msg_type]
    return (f"<xml><ToUserName><![CDATA[{GH_ID}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{extra}"
            f"<MsgId>{msg_id}</MsgId></xml>")


def event_xml(event: str, event_key: str | None = None, create_time: int | None = None,
              from_user: str = OPENID) -> str:
    key = f"<EventKey><![CDATA[{event_key}]]></EventKey>" if event_key is not None else ""
    return (f"<xml><ToUserName><![CDATA[{GH_ID}]]></ToUserName><FromUserName><![CDATA[{from_user}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event>{key}</xml>")


@dataclass
class Reply:
    status: int
    body: str
    content: str | None = None  # the text the user sees, after wechatpy decrypted/parsed the reply
    to_user: str | None = None


class WeChatPeer:
    """Sends requests the way WeChat's servers do, with wechatpy doing the signing and encryption."""

    def __init__(self, client, path: str = "/webhooks/wechat/webhook", *, token: str = TOKEN,
                 app_id: str = APP_ID, aes_key: str = AES_KEY, wecom: bool = False) -> None:
        self.client, self.path, self.token, self.wecom = client, path, token, wecom
        crypto_class = WeComCrypto if wecom else WeChatCrypto
        self.crypto = crypto_class(token, aes_key, app_id)
        self.nonce_counter = 0

    def _nonce(self) -> str:
        self.nonce_counter += 1
        return str(100000000 + self.nonce_counter)

    def url(self, **params: str) -> str:
        return f"{self.path}?{urllib.parse.urlencode(params)}"

    async def verify_url(self, echostr: str = "1234567890123456789", *, timestamp: str | None = None,
                         sign: str | None = None):
        timestamp = timestamp or str(int(time.time()))
        nonce = self._nonce()
        sign = sign or signature(self.token, timestamp, nonce)
        _, resp = await self.client.get(self.url(signature=sign, timestamp=timestamp, nonce=nonce, echostr=echostr))
        return resp

    async def post_plain(self, xml: str | bytes, *, timestamp: str | None = None, sign: str | None = None) -> Reply:
        timestamp = timestamp or str(int(time.time()))
        nonce = self._nonce()
        sign = sign or signature(self.token, timestamp, nonce)
        _, resp = await self.client.post(self.url(signature=sign, timestamp=timestamp, nonce=nonce,
                                                  openid=OPENID), content=xml)
        return self._read(resp, encrypted=False, timestamp=timestamp, nonce=nonce)

    def encrypt(self, xml: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(Encrypt, MsgSignature) for ``xml``, produced by wechatpy."""
        envelope = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, timestamp))["xml"]
        return envelope["Encrypt"], envelope["MsgSignature"]

    async def post_encrypted(self, xml: str, *, compatible: bool = False, timestamp: str | None = None,
                             tamper: Callable[[str], str] | None = None, msg_signature: str | None = None) -> Reply:
        timestamp = timestamp or str(int(time.time()))
        nonce = self._nonce()
        encrypted, msg_sig = self.encrypt(xml, timestamp, nonce)
        if tamper:
            encrypted = tamper(encrypted)
        if self.wecom:
            body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
                    "<AgentID><![CDATA[1000002]]></AgentID></xml>")
            params = {"msg_signature": msg_signature or msg_sig, "timestamp": timestamp, "nonce": nonce}
        else:
            inner = xml[len("<xml>"):-len("</xml>")] if compatible else f"<ToUserName><![CDATA[{GH_ID}]]></ToUserName>"
            body = f"<xml>{inner}<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
            params = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                      "openid": OPENID, "encrypt_type": "aes", "msg_signature": msg_signature or msg_sig}
        _, resp = await self.client.post(self.url(**params), content=body)
        return self._read(resp, encrypted=True, timestamp=timestamp, nonce=nonce)

    def _read(self, resp, *, encrypted: bool, timestamp: str, nonce: str) -> Reply:
        body = resp.text
        reply = Reply(resp.status, body)
        if resp.status == 200 and body.lstrip().startswith("<xml"):
            xml = body
            if encrypted:
                envelope = xmltodict.parse(body)["xml"]
                assert envelope["Nonce"] == nonce
                xml = self.crypto.decrypt_message(body, envelope["MsgSignature"], envelope["TimeStamp"],
                                                  envelope["Nonce"])
            parsed = parse_message(xml)
            assert parsed.type == "text"
            reply.content, reply.to_user = parsed.content, parsed.target
        return reply


def domain_responses() -> dict:
    """The responses of bot/domain/*.yml (what a trained model's domain holds)."""
    from pathlib import Path

    import yaml

    responses: dict = {}
    for path in sorted((Path(__file__).resolve().parents[2] / "bot" / "domain").glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses


@dataclass
class FakeDomain:
    responses: dict = field(default_factory=domain_responses)


@dataclass
class FakeAgent:
    """Stands in for ``rasa.core.agent.Agent``: answers each message through its output channel."""

    answer: Callable[[str], list[str]] = lambda text: [f"收到：{text}"]
    domain: FakeDomain = field(default_factory=FakeDomain)
    delay: float = 0.0
    fail: bool = False
    seen: list = field(default_factory=list)
    finished: int = 0  # turns completed: lets a test tell "answered before the bot was done" without a clock

    async def handle_message(self, message):
        self.seen.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("the bot broke")
        for text in self.answer(message.text):
            await message.output_channel.send_text_message(message.sender_id, text)
        self.finished += 1


def settings(**overrides) -> WeChatSettings:
    values = dict(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, mode="compatible")
    values.update(overrides)
    return WeChatSettings(**values)


def wecom_settings(**overrides) -> WeChatSettings:
    values = dict(platform="wecom", token=TOKEN, app_id=CORP_ID, encoding_aes_key=AES_KEY, mode="safe")
    values.update(overrides)
    return WeChatSettings(**values)


def make_app(channel: WeChatInput, agent) -> Sanic:
    """The real Rasa wiring: ``configure_app`` mounts the channel's blueprint at /webhooks/wechat/."""
    app = configure_app([channel], enable_api=False)
    app.ctx.agent = agent
    return app


class MockWeChatAPI:
    """WeChat's token and customer-service endpoints on 127.0.0.1 (random port), scripted per test."""

    def __init__(self) -> None:
        self.token_requests: list[dict] = []
        self.sent: list[dict] = []  # {"access_token": ..., "json": ...}
        self.send_errors: list[int] = []  # errcodes to answer with, first come first served
        self.tokens_issued = 0
        self.received = asyncio.Event()
        self.server: TestServer | None = None

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests.append(dict(request.query))
        self.tokens_issued += 1
        return web.json_response({"access_token": f"TOKEN-{self.tokens_issued}", "expires_in": 7200})

    async def _send(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.sent.append({"access_token": request.query.get("access_token"), "json": payload,
                          "raw": await request.text()})
        if self.send_errors:
            code = self.send_errors.pop(0)
            self.sent[-1]["ok"] = False
            return web.json_response({"errcode": code, "errmsg": "scripted"})
        self.sent[-1]["ok"] = True
        self.received.set()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_get("/cgi-bin/gettoken", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        app.router.add_post("/cgi-bin/message/send", self._send)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("")).rstrip("/")

    async def close(self) -> None:
        if self.server:
            await self.server.close()

    @property
    def delivered(self) -> list[str]:
        """Texts WeChat accepted, in order."""
        return [m["json"]["text"]["content"] for m in self.sent if m["ok"]]


def run(coro):
    """Run one async test body on a fresh loop, bounded so a bug cannot hang the suite."""
    return asyncio.run(asyncio.wait_for(coro, timeout=30))


@pytest.fixture
def fake_agent() -> FakeAgent:
    return FakeAgent()


# ------------------------------------------------------------------------------------------- end to end


class WeChatChat:
    """A WeChat user talking to the real bot through the channel: each turn is an encrypted POST, the
    reply is read from the passive XML reply or, when the bot was slower than the deadline, from the
    mock customer-service API."""

    def __init__(self, channel: WeChatInput, peer: WeChatPeer, api: MockWeChatAPI) -> None:
        self.channel, self.peer, self.api = channel, peer, api
        self.msg_id = int(time.time() * 1000)
        self.from_user = f"oE2E{uuid.uuid4().hex[:24]}"  # one WeChat user (and Rasa conversation) per chat
        self.transcript: list[str] = []

    async def say(self, text: str) -> str:
        self.msg_id += 1
        return await self._turn(text, text_xml(text, msg_id=self.msg_id, from_user=self.from_user))

    async def follow(self) -> str:
        """The user follows the Official Account (扫码关注)."""
        return await self._turn("[关注]", event_xml("subscribe", "qrscene_hotline", from_user=self.from_user))

    async def _turn(self, text: str, xml: str) -> str:
        already = len(self.api.delivered)
        reply = await self.peer.post_encrypted(xml)
        assert reply.status == 200, reply
        if reply.body == "success":
            await self.channel.drain()
            answer = "\n".join(self.api.delivered[already:])
        else:
            answer = reply.content or ""
        self.transcript += [f"> {text}", answer]
        return answer

    def __str__(self) -> str:
        return "\n".join(self.transcript)


def agent_with_endpoint(rasa_agent, url: str):
    """The shared agent's model and policies with another action endpoint (no second model load): a
    shallow copy, so the session-wide ``rasa_agent`` itself is left as it is."""
    import copy

    from rasa.utils.endpoints import EndpointConfig

    agent = copy.copy(rasa_agent)
    agent.processor = copy.copy(rasa_agent.processor)
    agent.action_endpoint = agent.processor.action_endpoint = EndpointConfig(url)
    return agent


def dead_action_endpoint() -> str:
    """An action endpoint nothing listens on: a crashed action server."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/webhook"


@pytest.fixture(scope="session")
def action_server_url():
    """`rasa run actions` on a free loopback port for the verdict-level test; stopped afterwards."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from bot.wait_for import wait_for

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    log = Path(tempfile.mkdtemp(prefix="wechat-e2e-")) / "actions.log"
    env = {**os.environ, "YSLY_AS_OF": os.environ.get("YSLY_AS_OF", "2026-11-24"), "TF_CPP_MIN_LOG_LEVEL": "3",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "rasa"), "run", "actions", "--actions", "actions",
                             "--port", str(port)], cwd=root, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not wait_for(f"http://127.0.0.1:{port}/health", 120) or proc.poll() is not None:
            pytest.fail(f"action server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
