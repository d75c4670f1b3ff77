"""WeChat Official Account (and WeCom) input channel for Rasa.

Configured in ``credentials.yml`` under ``bot.channels.wechat.WeChatInput`` and mounted at
``/webhooks/wechat/``:

- ``GET|POST /webhooks/wechat/webhook``: the Official Account (公众号) server URL;
- ``GET|POST /webhooks/wechat/wecom``: a WeCom (企业微信) self-built app's callback URL;
- ``GET /webhooks/wechat/``: health, says which of the two is configured.

WeChat waits 5 seconds for an answer and retries 3 times. Each message starts exactly one Rasa turn
(retries share it, keyed by MsgId; a retry that a load balancer sends to another replica finds the message in
the tracker and gets its replies, bot/channels/once.py); if the turn finishes within ``reply_deadline`` the reply goes back
passively in the HTTP response, otherwise the channel answers ``success`` and the turn's reply is
delivered later through the customer-service message API. A text (or recognised voice) message longer
than ``max_message_bytes`` (2,048 bytes of UTF-8 by default, WeChat's own limit) never reaches Rasa: the
worker gets the domain response ``utter_message_too_long``. Protocol details live in
``wechat_protocol`` (pure) and ``wechat_api`` (the async HTTP client); the Chinese fixed replies and the
event/menu → intent map live in ``wechat.yml``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.handoff import reply_while_handed_off
from bot.channels.health import conversations_reachable
from bot.channels.limits import DEFAULT_MAX_MESSAGE_BYTES, is_too_long, too_long_text, utf8_len
from bot.channels.once import can_check, handle_once
from bot.channels.silence import no_reply_text
from bot.channels.wechat_api import CustomerServiceClient
from bot.channels.wechat_protocol import (
    InboundMessage,
    MalformedMessage,
    bot_messages_to_text,
    is_authentic,
    is_fresh,
    parse_message,
    parse_xml,
    plan_messages,
    render_text_reply,
    short_id,
)

logger = logging.getLogger(__name__)

TEXTS_FILE = Path(__file__).with_name("wechat.yml")
UNSUPPORTED_MEDIA = frozenset({"image", "video", "shortvideo", "location", "link", "file", "music"})
OFFICIAL_ACCOUNT, WECOM = "official_account", "wecom"
MODES = ("plaintext", "compatible", "safe")


# -------------------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class WeChatSettings:
    """One callback endpoint's settings. Secrets are left out of ``repr`` so they never reach a log."""

    platform: str = OFFICIAL_ACCOUNT
    token: str = field(default="", repr=False)
    app_id: str = ""  # AppID (公众号) or CorpID (企业微信)
    app_secret: str = field(default="", repr=False)  # AppSecret or the app's Secret (WeCom)
    encoding_aes_key: str = field(default="", repr=False)
    agent_id: str = ""  # WeCom app AgentId, for the async reply path
    mode: str = "safe"  # Official Account message encryption: plaintext | compatible | safe
    api_base: str = "https://api.weixin.qq.com"
    reply_deadline: float = 4.0  # seconds; WeChat gives up at 5
    timestamp_window: float = 300.0  # seconds either side of now
    max_body_bytes: int = 64 * 1024
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES  # longer text is answered utter_message_too_long
    max_messages: int = 5  # messages one reply may use (one passive, or customer-service messages)
    dedupe_ttl: float = 120.0  # WeChat's 3 retries come within ~15 s
    dedupe_max_entries: int = 10_000

    @classmethod
    def resolve(cls, raw: dict[str, Any] | None, platform: str) -> WeChatSettings:
        """Settings from a credentials mapping. ``env: {setting: VARIABLE}`` reads a setting from the
        environment (preferred for secrets); a literal value in the mapping is the fallback.

        Rasa's own ``${VARIABLE}`` syntax aborts ``rasa run`` when the variable is unset, which would
        take the REST channel down with it; reading variables here lets the server start without them.
        """
        raw = dict(raw or {})
        from_env = raw.pop("env", None) or {}
        values: dict[str, Any] = {"platform": platform}
        defaults = cls(platform=platform)
        for name in cls.__dataclass_fields__:
            if name == "platform":
                continue
            value = raw.get(name)
            variable = from_env.get(name)
            if variable and os.environ.get(str(variable), "").strip():
                value = os.environ[str(variable)].strip()
            if value is None or value == "":
                continue
            default = getattr(defaults, name)
            values[name] = type(default)(value) if not isinstance(default, str) else str(value)
        if platform == WECOM:
            values.setdefault("api_base", "https://qyapi.weixin.qq.com")
            values["mode"] = "safe"  # WeCom always encrypts
        return cls(**values)

    def problems(self) -> list[str]:
        """Why this endpoint cannot serve requests (names of settings only, never values)."""
        missing = [name for name in ("token",) if not getattr(self, name)]
        if self.mode not in MODES:
            missing.append(f"mode (one of {', '.join(MODES)})")
        if self.mode != "plaintext":
            missing += [name for name in ("app_id", "encoding_aes_key") if not getattr(self, name)]
            if self.encoding_aes_key and aes_key_bytes(self.encoding_aes_key) is None:
                missing.append("encoding_aes_key (must be the 43-character EncodingAESKey)")
        return missing

    @property
    def can_send_later(self) -> bool:
        return bool(self.app_id and self.app_secret and (self.platform != WECOM or self.agent_id))


def aes_key_bytes(encoding_aes_key: str) -> bytes | None:
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(encoding_aes_key) == 43 and len(key) == 32 else None


def load_texts(path: Path = TEXTS_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# -------------------------------------------------------------------------------------------- turns


@dataclass
class Turn:
    """One Rasa turn for one WeChat message; retries of the message await the same task."""

    task: asyncio.Task
    created: float
    sent_later: bool = False  # the reply was handed to the customer-service API


class TurnCache:
    """Turns by de-duplication key, kept ``ttl`` seconds (bounded in size, oldest dropped first)."""

    def __init__(self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self.started = 0  # how many turns were started: a retry never adds one

    def __len__(self) -> int:
        return len(self._turns)

    def get_or_start(self, key: str, start: Callable[[], Awaitable[str]]) -> tuple[Turn, bool]:
        now = self._clock()
        while self._turns:
            oldest_key, oldest = next(iter(self._turns.items()))
            if now - oldest.created <= self.ttl and len(self._turns) < self.max_entries:
                break
            del self._turns[oldest_key]
        turn = self._turns.get(key)
        if turn is not None:
            return turn, False
        turn = Turn(task=asyncio.ensure_future(start()), created=now)
        self._turns[key] = turn
        self.started += 1
        return turn, True


class _Endpoint:
    """Settings plus everything derived from them, for one of the two callback URLs."""

    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self.problems = settings.problems()
        self.ready = not self.problems
        self.crypto: Any = None
        self.prp: Any = None
        if self.ready and settings.encoding_aes_key and settings.app_id:
            if settings.platform == WECOM:
                from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
            else:
                from wechatpy.crypto import PrpCrypto, WeChatCrypto
            self.crypto = WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
            self.prp = PrpCrypto(aes_key_bytes(settings.encoding_aes_key))
        self.sender: CustomerServiceClient | None = None
        if self.ready and settings.can_send_later:
            self.sender = CustomerServiceClient(settings.app_id, settings.app_secret, settings.api_base,
                                                platform=settings.platform, agent_id=settings.agent_id or None)
        self.turns = TurnCache(settings.dedupe_ttl, settings.dedupe_max_entries)

    def decrypt(self, encrypted: str) -> str:
        """Plaintext XML of an ``Encrypt`` value; raises ``PermissionError`` for a foreign AppID/CorpID."""
        from wechatpy.enterprise.exceptions import InvalidCorpIdException
        from wechatpy.exceptions import InvalidAppIdException

        try:
            return self.prp.decrypt(encrypted, self.settings.app_id)
        except (InvalidAppIdException, InvalidCorpIdException):
            raise PermissionError("AppID/CorpID in the ciphertext does not match") from None


# -------------------------------------------------------------------------------------------- channel


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account, and optionally a WeCom app."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        if credentials is None:
            cls.raise_missing_credentials_exception()
        wecom = credentials.get("wecom")
        return cls(
            WeChatSettings.resolve({k: v for k, v in credentials.items() if k != "wecom"}, OFFICIAL_ACCOUNT),
            WeChatSettings.resolve(wecom, WECOM) if wecom else None,
        )

    def __init__(self, official_account: WeChatSettings, wecom: WeChatSettings | None = None,
                 *, texts: dict[str, Any] | None = None, clock: Callable[[], float] = time.time) -> None:
        self.endpoints = {OFFICIAL_ACCOUNT: _Endpoint(official_account)}
        if wecom is not None:
            self.endpoints[WECOM] = _Endpoint(wecom)
        self.texts = texts or load_texts()
        self._clock = clock
        self._background: set[asyncio.Task] = set()
        for platform, endpoint in self.endpoints.items():
            if endpoint.ready:
                logger.info("wechat: %s endpoint ready (mode %s, replies after the deadline: %s)",
                            platform, endpoint.settings.mode,
                            "customer-service API" if endpoint.sender else "dropped, no app secret")
            else:
                # A WeCom block with nothing set is simply unused; anything else is a misconfiguration.
                level = logging.INFO if platform == WECOM and not endpoint.settings.token else logging.WARNING
                logger.log(level, "wechat: %s endpoint NOT configured, it will refuse requests with 503; "
                           "missing: %s", platform, ", ".join(endpoint.problems))

    # ---------------------------------------------------------------------------------------- routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("wechat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok", **{p: e.ready for p, e in self.endpoints.items()}})

        @webhook.route("/webhook", methods=["GET", "POST"])
        async def official_account(request: Request) -> HTTPResponse:
            return await self._handle(request, OFFICIAL_ACCOUNT, on_new_message)

        @webhook.route("/wecom", methods=["GET", "POST"])
        async def wecom(request: Request) -> HTTPResponse:
            return await self._handle(request, WECOM, on_new_message)

        return webhook

    async def _handle(self, request: Request, platform: str,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        endpoint = self.endpoints.get(platform)
        if endpoint is None:
            return response.text("not found", status=404)
        if not endpoint.ready:
            logger.warning("wechat: refused a %s request: the %s endpoint is not configured (missing: %s)",
                           request.method, platform, ", ".join(endpoint.problems))
            return response.text("channel not configured", status=503)
        timestamp, nonce = request.args.get("timestamp"), request.args.get("nonce")
        if not is_fresh(timestamp, self._clock(), endpoint.settings.timestamp_window):
            return _refuse(403, "missing or stale timestamp", platform)
        if request.method == "GET":
            return self._verify_url(request, endpoint, timestamp, nonce)
        return await self._receive(request, endpoint, timestamp, nonce, on_new_message,
                                   getattr(request.app.ctx, "agent", None))

    # ---------------------------------------------------------------------------------------- GET

    def _verify_url(self, request: Request, endpoint: _Endpoint, timestamp: str, nonce: str) -> HTTPResponse:
        """URL verification: echo ``echostr`` (WeCom: its decryption) only for a valid signature."""
        echostr = request.args.get("echostr", "")
        token = endpoint.settings.token
        if endpoint.settings.platform == WECOM:
            if not echostr or not is_authentic(token, request.args.get("msg_signature"), timestamp, nonce,
                                               echostr):
                return _refuse(403, "bad signature on URL verification", WECOM)
            try:
                return response.text(endpoint.decrypt(echostr))
            except PermissionError:
                return _refuse(403, "CorpID mismatch in echostr", WECOM)
            except Exception:  # noqa: BLE001 - undecryptable ciphertext, the reason is the type name
                return _refuse(400, "undecryptable echostr", WECOM)
        if not echostr or not is_authentic(token, request.args.get("signature"), timestamp, nonce):
            return _refuse(403, "bad signature on URL verification", OFFICIAL_ACCOUNT)
        return response.text(echostr)

    # ---------------------------------------------------------------------------------------- POST

    async def _receive(self, request: Request, endpoint: _Endpoint, timestamp: str, nonce: str,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]], agent: Any = None) -> HTTPResponse:
        started = asyncio.get_running_loop().time()
        settings, platform = endpoint.settings, endpoint.settings.platform
        body = request.body or b""
        if len(body) > settings.max_body_bytes:
            return _refuse(413, f"body of {len(body)} bytes over the limit", platform)
        args = request.args
        if platform == OFFICIAL_ACCOUNT and not is_authentic(settings.token, args.get("signature"), timestamp,
                                                             nonce):
            return _refuse(403, "bad signature", platform)
        try:
            fields = parse_xml(body)
        except MalformedMessage as error:
            return _refuse(400, str(error), platform)

        encrypted = platform == WECOM or args.get("encrypt_type", "raw").lower() == "aes"
        if encrypted:
            if endpoint.prp is None:
                return _refuse(400, "encrypted message but no EncodingAESKey configured", platform)
            ciphertext = fields.get("Encrypt", "")
            if not ciphertext:
                return _refuse(400, "encrypted message without Encrypt", platform)
            if not is_authentic(settings.token, args.get("msg_signature"), timestamp, nonce, ciphertext):
                return _refuse(403, "bad msg_signature", platform)
            try:
                fields = parse_xml(endpoint.decrypt(ciphertext))
            except PermissionError as error:
                return _refuse(403, str(error), platform)
            except MalformedMessage as error:
                return _refuse(400, f"decrypted body: {error}", platform)
            except Exception as error:  # noqa: BLE001 - bad base64/padding/length from a tampered message
                return _refuse(400, f"undecryptable Encrypt ({type(error).__name__})", platform)
        elif settings.mode == "safe":
            return _refuse(403, "plaintext message refused in safe mode", platform)
        try:
            message = parse_message(fields)
        except MalformedMessage as error:
            return _refuse(400, str(error), platform)

        def reply(texts: list[str]) -> HTTPResponse:
            return self._passive_reply(endpoint, message, texts, nonce, encrypted)

        kind, text = self._route(message, platform)
        logger.info("wechat: %s %s%s from user %s", platform, message.msg_type,
                    f"/{message.event}" if message.event else "", short_id(message.from_user))
        if kind == "ack":
            return response.text("success")
        if kind == "reply":
            return reply([text])
        if message.msg_type in ("text", "voice") and is_too_long(text, settings.max_message_bytes):
            # Refused before NLU: the worker is asked to send it in parts (bot/domain/channels.yml).
            logger.warning("wechat: a %s message of %d bytes from user %s is over the limit of %d: not passed "
                           "to the bot", message.msg_type, utf8_len(text), short_id(message.from_user),
                           settings.max_message_bytes)
            return reply([too_long_text(agent, settings.max_message_bytes)])

        turn, _started = endpoint.turns.get_or_start(
            f"{platform}:{message.dedupe_key}", lambda: self._run_turn(on_new_message, message, text, platform, agent))
        remaining = settings.reply_deadline - (asyncio.get_running_loop().time() - started)
        try:
            bot_text = await asyncio.wait_for(asyncio.shield(turn.task), timeout=max(remaining, 0.0))
        except asyncio.TimeoutError:
            self._send_later(endpoint, turn, message)
            return response.text("success")
        if turn.sent_later:
            return response.text("success")
        messages = plan_messages(bot_text, settings.max_messages, self.texts["replies"]["truncated"])
        if len(messages) > 1 and endpoint.sender is not None:
            # More than one message: all go through the customer-service API, in order.
            self._send_later(endpoint, turn, message)
            return response.text("success")
        if len(messages) > 1:
            messages = plan_messages(bot_text, 1, self.texts["replies"]["truncated"])
        return reply(messages)

    def _route(self, message: InboundMessage, platform: str) -> tuple[str, str]:
        """What a message means: ``("rasa", text)``, ``("reply", fixed text)`` or ``("ack", "")``."""
        replies = self.texts["replies"]
        if message.msg_type == "text":
            # A leading "/" would let a user inject an intent or /restart; only the channel maps intents.
            text = message.content.strip().lstrip("/").strip()
            return ("rasa", text) if text else ("ack", "")
        if message.msg_type == "voice":
            text = message.recognition.strip().lstrip("/").strip()
            return ("rasa", text) if text else ("reply", replies["voice_not_recognised"])
        if message.msg_type in UNSUPPORTED_MEDIA:
            return "reply", replies["unsupported_media"]
        if message.msg_type == "event":
            if message.event == "unsubscribe":
                return "ack", ""
            if message.event == "click":
                intent = (self.texts.get("menu_intents") or {}).get(message.event_key)
                return ("rasa", intent) if intent else ("reply", replies["unknown_menu"])
            intent = (self.texts.get("event_intents") or {}).get(message.event)
            return ("rasa", intent) if intent else ("ack", "")
        return "ack", ""

    async def _run_turn(self, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                        message: InboundMessage, text: str, platform: str, agent: Any = None) -> str:
        collector = CollectingOutputChannel()
        sender_id = message.from_user if platform == OFFICIAL_ACCOUNT else f"wecom:{message.from_user}"
        metadata = {"wechat": {"platform": platform, "msg_type": message.msg_type, "event": message.event,
                               "to_user": message.to_user}}
        if not await conversations_reachable(agent):  # a blank conversation would be worse
            return no_reply_text(agent)
        user_message = UserMessage(text, collector, sender_id, input_channel=self.name(),
                                   message_id=message.msg_id, metadata=metadata)
        try:
            if message.msg_id and can_check(agent):
                await handle_once(agent, user_message)   # WeChat's repeat on another replica: one turn
            else:
                await on_new_message(user_message)
        except Exception:
            logger.exception("wechat: the bot failed on a %s message from user %s", message.msg_type,
                             short_id(message.from_user))
            return self.texts["replies"]["bot_error"]
        bot_text = bot_messages_to_text(collector.messages)
        if bot_text:
            return bot_text
        handed_off = await reply_while_handed_off(agent, sender_id)
        if handed_off is not None:  # with staff: one short line, or the bot back when asked for
            return handed_off
        # Rasa swallows a failed custom action (e.g. the action server is down) and says nothing;
        # the worker hears why instead of silence.
        logger.warning("wechat: the bot gave no reply to a %s message from user %s (action server down?)",
                       message.msg_type, short_id(message.from_user))
        return no_reply_text(agent)

    def _send_later(self, endpoint: _Endpoint, turn: Turn, message: InboundMessage) -> None:
        """Hand the turn's reply to the customer-service API once it is ready (at most once per turn)."""
        if turn.sent_later:
            return
        turn.sent_later = True
        who = short_id(message.from_user)
        if endpoint.sender is None:
            logger.warning("wechat: reply for user %s missed the deadline and cannot be sent later "
                           "(no app secret configured): dropped", who)
            return
        sender, settings = endpoint.sender, endpoint.settings
        truncated = self.texts["replies"]["truncated"]

        async def deliver() -> None:
            bot_text = await asyncio.shield(turn.task)
            messages = plan_messages(bot_text, settings.max_messages, truncated)
            if messages:
                report = await sender.send_texts(message.from_user, messages)
                logger.info("wechat: sent %d of %d messages to user %s later (%s)", report.sent,
                            len(messages), who, report.outcome)

        task = asyncio.ensure_future(deliver())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for replies still being sent later (tests, benchmarks, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _passive_reply(self, endpoint: _Endpoint, message: InboundMessage, texts: list[str], nonce: str,
                       encrypted: bool) -> HTTPResponse:
        if not texts or not texts[0]:
            return response.text("success")
        xml = render_text_reply(message.from_user, message.to_user, texts[0], int(self._clock()))
        if encrypted:
            xml = endpoint.crypto.encrypt_message(xml, nonce, str(int(self._clock())))
        return response.text(xml, content_type="application/xml; charset=utf-8")


def _refuse(status: int, reason: str, platform: str) -> HTTPResponse:
    """Refuse a request: log the reason (never message content), answer with a bare status."""
    logger.warning("wechat: %s request refused with %d: %s", platform, status, reason)
    return response.text({400: "bad request", 403: "forbidden", 413: "too large"}.get(status, "error"),
                         status=status)
