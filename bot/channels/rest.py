"""Rasa's REST channel (``POST /webhooks/rest/webhook``) that never answers a worker with nothing.

Rasa logs a failed custom action (the action server is down, say) and goes on without a word: the REST
reply is ``[]``. This channel, configured in ``credentials.yml`` as ``bot.channels.rest.RestInput``
(same name and URL as Rasa's ``rest``), answers such a turn with the domain response ``utter_no_reply``
instead. A conversation handed to hotline staff (paused) stays silent, as it should.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.silence import is_paused, no_reply_text

logger = logging.getLogger(__name__)


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("response")
        async def tell_when_silent(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook") or reply.status != 200:
                return None
            try:
                said = json.loads(reply.body or b"null")
            except (TypeError, ValueError):
                return None  # a streamed reply
            if said != []:
                return None
            body = request.json if isinstance(request.json, dict) else {}
            sender = str(body.get("sender") or "default")
            agent = getattr(request.app.ctx, "agent", None)
            if await is_paused(agent, sender):
                return None
            logger.warning("rest: the bot gave no reply to a message (action server down?)")
            return response.json([{"recipient_id": sender, "text": no_reply_text(agent)}])

        return webhook
