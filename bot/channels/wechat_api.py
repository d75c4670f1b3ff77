"""Async client for WeChat's customer-service message API (the reply path when the bot misses the
5-second passive-reply deadline, or the reply needs more than one message).

Official Account: ``GET /cgi-bin/token`` then ``POST /cgi-bin/message/custom/send``.
WeCom (企业微信):  ``GET /cgi-bin/gettoken`` then ``POST /cgi-bin/message/send`` with the agent id.

aiohttp only (never blocking HTTP on Sanic's loop). The access_token is cached until shortly before it
expires and refreshed early when WeChat answers 40001/40014/42001. The token and secrets are never
logged; users appear in logs only as a short hash.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

from bot.channels.wechat_protocol import short_id, split_utf8

logger = logging.getLogger(__name__)

TOKEN_INVALID = frozenset({40001, 40014, 42001})  # invalid / not latest / expired access_token
OUTSIDE_WINDOW = 45015  # the user has not interacted within 48 hours
CONTENT_TOO_LONG = 45002
OUT_OF_QUOTA = 45047  # customer-service messages for this interaction used up
TOKEN_SAFETY_MARGIN = 300  # seconds: refresh this long before WeChat says the token expires


class WeChatAPIError(Exception):
    def __init__(self, errcode: int, errmsg: str = "") -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg[:80]}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class DeliveryReport:
    """What happened to one reply; ``outcome`` is ``sent``, ``outside_window``, ``quota`` or ``failed``."""

    sent: int = 0
    outcome: str = "sent"
    errcodes: list[int] = field(default_factory=list)


class CustomerServiceClient:
    """Send text messages to one user through the customer-service (or WeCom app) message API."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_base: str = "https://api.weixin.qq.com",
        *,
        platform: str = "official_account",
        agent_id: str | None = None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if platform not in ("official_account", "wecom"):
            raise ValueError(f"unknown platform {platform!r}")
        self.app_id = app_id
        self._app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.platform = platform
        self.agent_id = agent_id
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._clock = clock
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self.token_fetches = 0  # observable in tests and the bench

    def __repr__(self) -> str:  # never show the secret or the token
        return f"CustomerServiceClient(platform={self.platform!r}, api_base={self.api_base!r})"

    # ------------------------------------------------------------------------------------------ token

    def _token_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def access_token(self, session: aiohttp.ClientSession, *, stale: str | None = None) -> str:
        """The cached token, fetched once for concurrent callers. ``stale``: a token WeChat just refused."""
        async with self._token_lock():
            if stale is not None and self._token == stale:
                self._token = None
            if self._token and self._clock() < self._token_expires_at:
                return self._token
            if self.platform == "wecom":
                url = f"{self.api_base}/cgi-bin/gettoken"
                params = {"corpid": self.app_id, "corpsecret": self._app_secret}
            else:
                url = f"{self.api_base}/cgi-bin/token"
                params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self._app_secret}
            self.token_fetches += 1
            async with session.get(url, params=params) as response:
                data = await response.json(content_type=None)
            if not data.get("access_token"):
                raise WeChatAPIError(int(data.get("errcode", -1)), str(data.get("errmsg", "")))
            self._token = str(data["access_token"])
            lifetime = float(data.get("expires_in", 7200))
            self._token_expires_at = self._clock() + max(lifetime - TOKEN_SAFETY_MARGIN, lifetime / 2)
            logger.info("wechat.api: access_token refreshed (valid %.0fs)", lifetime)
            return self._token

    # ------------------------------------------------------------------------------------------ send

    async def _post_text(self, session: aiohttp.ClientSession, to_user: str, text: str) -> None:
        """One message; refreshes the token once when WeChat says it is invalid or expired."""
        stale: str | None = None
        for _attempt in range(2):
            token = await self.access_token(session, stale=stale)
            if self.platform == "wecom":
                url = f"{self.api_base}/cgi-bin/message/send"
                agent_id = int(self.agent_id) if str(self.agent_id).isdigit() else self.agent_id
                payload: dict = {"touser": to_user, "msgtype": "text", "agentid": agent_id,
                                 "text": {"content": text}}
            else:
                url = f"{self.api_base}/cgi-bin/message/custom/send"
                payload = {"touser": to_user, "msgtype": "text", "text": {"content": text}}
            # ensure_ascii=False: WeChat shows \uXXXX escapes literally in customer-service text.
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            async with session.post(url, params={"access_token": token}, data=body,
                                    headers={"Content-Type": "application/json; charset=utf-8"}) as response:
                data = await response.json(content_type=None)
            errcode = int(data.get("errcode", 0))
            if errcode == 0:
                return
            if errcode in TOKEN_INVALID and stale is None:
                logger.info("wechat.api: access_token refused (%s), refreshing", errcode)
                stale = token
                continue
            raise WeChatAPIError(errcode, str(data.get("errmsg", "")))
        raise WeChatAPIError(40001, "access_token still refused after refresh")

    async def send_texts(self, to_user: str, texts: Sequence[str]) -> DeliveryReport:
        """Send ``texts`` in order; stops (and says why) at the 48-hour window or the message quota."""
        report = DeliveryReport()
        who = short_id(to_user)
        async with aiohttp.ClientSession(timeout=self._timeout) as session:
            for text in texts:
                try:
                    try:
                        await self._post_text(session, to_user, text)
                        report.sent += 1
                    except WeChatAPIError as error:
                        if error.errcode != CONTENT_TOO_LONG:
                            raise
                        # 45002: WeChat counted the content longer than we did; halve and resend once.
                        report.errcodes.append(error.errcode)
                        for half in split_utf8(text, max(len(text.encode("utf-8")) // 2, 4)):
                            await self._post_text(session, to_user, half)
                        report.sent += 1
                except WeChatAPIError as error:
                    report.errcodes.append(error.errcode)
                    if error.errcode == OUTSIDE_WINDOW:
                        report.outcome = "outside_window"
                        logger.warning("wechat.api: user %s is outside the 48h service window (45015); "
                                       "reply dropped", who)
                    elif error.errcode == OUT_OF_QUOTA:
                        report.outcome = "quota"
                        logger.warning("wechat.api: message quota for user %s used up (45047); %d of %d sent",
                                       who, report.sent, len(texts))
                    else:
                        report.outcome = "failed"
                        logger.error("wechat.api: sending to user %s failed: %s", who, error)
                    return report
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                    report.outcome = "failed"
                    logger.error("wechat.api: sending to user %s failed: %s", who, type(error).__name__)
                    return report
        return report
