"""The console's only way to a worker's conversation: Rasa's HTTP API and the staff channel
(bot/channels/staff.py), each call with an admin JWT minted here from the server's secret (bot.auth:
RASA_JWT_SECRET or var/http_api_jwt_secret). The token lives for a minute and never reaches the browser.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from bot import auth

logger = logging.getLogger(__name__)
TOKEN_TTL = 60  # seconds


class RasaUnavailable(Exception):
    """Rasa did not answer (not running, timed out)."""


class RasaRefused(Exception):
    """Rasa answered with an error status; ``body`` is its JSON (reason, message) when it gave one."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.body = status, body


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 10.0, secret: str | None = None) -> None:
        self.base_url, self.timeout, self._secret = base_url.rstrip("/"), timeout, secret

    def __repr__(self) -> str:  # never the secret
        return f"RasaClient({self.base_url!r})"

    def _headers(self) -> dict[str, str]:
        secret = self._secret if self._secret is not None else auth.load_secret()[0]
        return auth.auth_header(auth.mint("admin", secret=secret, ttl=TOKEN_TTL))

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        url = f"{self.base_url}{path}"
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http:
                async with http.request(method, url, json=body, headers=self._headers()) as response:
                    try:
                        data = await response.json(content_type=None)
                    except ValueError:
                        data = None
                    if response.status >= 400:
                        raise RasaRefused(response.status, data)
                    return data
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as e:
            logger.warning("rasa unreachable: %s %s: %s", method, path.split("?")[0], type(e).__name__)
            raise RasaUnavailable(str(type(e).__name__)) from e
        except auth.AuthError as e:
            logger.warning("no JWT secret for Rasa: %s", e)
            raise RasaUnavailable("no JWT secret") from e

    @staticmethod
    def _conversation(sender_id: str) -> str:
        # RFC 3986 path characters stay as they are: Rasa's HTTP API does not decode its conversation id
        # (wecom:ZhangSan sent as wecom%3AZhangSan is another conversation); the staff routes decode theirs.
        return quote(sender_id, safe=":@!$&'()*+,;=-._~")

    async def queue(self) -> list[dict]:
        data = await self._call("GET", "/webhooks/staff/queue")
        return list((data or {}).get("conversations", []))

    async def tracker(self, sender_id: str) -> dict:
        return await self._call("GET", f"/conversations/{self._conversation(sender_id)}/tracker") or {}

    async def reply(self, sender_id: str, text: str, staff: str) -> dict:
        path = f"/webhooks/staff/conversations/{self._conversation(sender_id)}/reply"
        try:
            return await self._call("POST", path, {"text": text, "staff": staff}) or {}
        except RasaRefused as e:
            if e.status == 409 and isinstance(e.body, dict):
                return e.body  # not delivered: the reason says why (window closed, not handed off …)
            raise

    async def release(self, sender_id: str, staff: str) -> dict:
        path = f"/webhooks/staff/conversations/{self._conversation(sender_id)}/release"
        return await self._call("POST", path, {"staff": staff}) or {}
