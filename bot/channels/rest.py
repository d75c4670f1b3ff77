"""Rasa's REST channel (``POST /webhooks/rest/webhook``) that never answers a worker with nothing.

Rasa logs a failed custom action (the action server is down, say) and goes on without a word: the REST
reply is ``[]``. This channel, configured in ``credentials.yml`` as ``bot.channels.rest.RestInput``
(same name and URL as Rasa's ``rest``), answers such a turn with the domain response ``utter_no_reply``
instead. In a conversation handed to hotline staff (paused) the worker hears one short line instead, or
gets the bot back by asking for it (bot/channels/handoff.py).

It also checks every request before Rasa sees it (``read_body``, a pure function):

- the body is a JSON object (UTF-8) of at most ``max_body_bytes`` with the fields ``sender`` (a non-empty
  string of at most 255 characters, the SQL tracker store's column, no control characters), ``message``
  (a string that is not blank) and optionally ``metadata`` (an object) and ``message_id`` (the client's id
  of this message, 1-64 characters of ``A-Z a-z 0-9 . _ : -``); anything else is answered 400
  (413 for a body over the limit) with ``{"status": "failure", "reason": ..., "message": ...}``, never 5xx;
- ``NaN`` and ``Infinity`` (Python's JSON reads them, JSON has no such numbers, and the tracker store would keep
  text that browsers and PostgreSQL's JSON refuse) are refused, and so is metadata nested deeper than
  ``MAX_METADATA_DEPTH`` levels;
- control characters other than tab and line breaks are dropped from the message;
- a message over ``max_message_bytes`` of UTF-8 (2,048 by default, WeChat's own limit) never reaches NLU:
  the worker gets the domain response ``utter_message_too_long`` (bot/channels/limits.py).

A message sent with a ``message_id`` is handled once per conversation, however often it is sent: a client
whose request failed (a replica killed, a timeout) sends it again, to any replica, with the same id
(bot/channels/once.py: the check is in the tracker, under the conversation's lock). The id is the user
event's ``message_id`` in the tracker.

Both limits are set in ``credentials.yml``. This is a channel, not the HTTP API: it needs no JWT.

``POST /webhooks/rest/poll`` with ``{"sender": "<id>"}`` (checked like the webhook's sender; 400 otherwise)
answers, in the webhook's format (``[{"recipient_id", "text", "timestamp"}]``), what hotline staff said to
the worker after the worker's latest message (bot/channels/staff.py: staff replies, and the line said when
staff release the conversation), and nothing else: no history. With ``"since": <timestamp of the last line
shown>`` it answers every such line of the latest hand-off after that time, so an app that keeps the
cursor misses nothing when the worker writes before it polls. As with Rasa's REST channel, the sender id is
the worker's secret: whoever knows it can already talk as the worker, and the poll tells them no more
than the webhook would.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.handoff import reply_while_handed_off
from bot.channels.health import conversations_reachable
from bot.channels.limits import DEFAULT_MAX_MESSAGE_BYTES, is_too_long, too_long_text, utf8_len
from bot.channels.once import can_check, handle_once
from bot.channels.silence import no_reply_text
from bot.channels.staff import pollable_messages

logger = logging.getLogger(__name__)

FIELDS = ("sender", "message", "metadata", "message_id")
MESSAGE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# (the agent, the client's message id) of the webhook request being handled: set by the request middleware
# for every request (a keep-alive connection handles its requests in one task), read in the same task by
# the turn it starts.
_REQUEST: ContextVar[tuple[Any, str | None]] = ContextVar("rest_request", default=(None, None))
MAX_SENDER_CHARS = 255  # the sender_id column of Rasa's SQL tracker store
MAX_METADATA_DEPTH = 16  # objects and arrays inside one another; a channel's metadata needs two or three
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# Unicode's control characters (category Cc): none in a sender id; in a message all but tab and line breaks
# are dropped (PostgreSQL cannot store NUL, and none of them means anything to NLU). Regexes, not a loop in
# Python, so a megabyte costs milliseconds.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
DROPPED_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BadRequest(ValueError):
    """A request the webhook refuses; ``str(error)`` says why, for the client."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RestMessage:
    sender: str
    message: str
    metadata: dict | None = None
    message_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"sender": self.sender, "message": self.message, "metadata": self.metadata,
                "message_id": self.message_id}


def _valid_unicode(value: str) -> bool:
    """False for a lone surrogate (JSON allows the escape "\\ud800"; UTF-8, SQL and NLU do not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_object(raw: bytes, max_body_bytes: int, fields: tuple[str, ...], example: str) -> dict:
    """``raw`` as a JSON object with no field but ``fields``; raises ``BadRequest``."""
    if len(raw) > max_body_bytes:
        raise BadRequest(f"the request body is {len(raw)} bytes, over the limit of {max_body_bytes}", 413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the request body is not UTF-8 (invalid byte at position {error.start})") from None
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise BadRequest("the request body is nested too deeply") from None
    except ValueError as error:
        raise BadRequest(f"the request body is not JSON ({error})") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object: {example}")
    unknown = sorted(str(name)[:40] for name in body if name not in fields)
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(map(repr, unknown[:5]))}; the fields are "
                         f"{', '.join(fields)}")
    return body


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    """How many objects and arrays ``value`` holds inside one another (0 for a string or number)."""
    depth, level = 0, [value]
    while True:
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            return depth
        depth += 1
        level = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]


def _sender(body: dict) -> str:
    if "sender" not in body:
        raise BadRequest("sender: missing (the conversation id, e.g. the worker's user id)")
    sender = body.get("sender")
    if (not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS
            or CONTROL_CHARACTERS.search(sender) or not _valid_unicode(sender)):
        raise BadRequest(f"sender: must be a non-empty string of at most {MAX_SENDER_CHARS} characters "
                         "without control characters")
    return sender


def read_body(raw: bytes, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> RestMessage:
    """The webhook request ``raw``, checked; raises ``BadRequest`` saying what is wrong with it."""
    body = _json_object(raw, max_body_bytes, FIELDS, '{"sender": "...", "message": "..."}')
    sender = _sender(body)
    message = body.get("message")
    if not isinstance(message, str):
        raise BadRequest("message: must be a string" if "message" in body else "message: missing")
    if not _valid_unicode(message):
        raise BadRequest("message: not valid Unicode (a lone surrogate)")
    message = DROPPED_CONTROL_CHARACTERS.sub("", message)
    if not message.strip():
        raise BadRequest("message: empty")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("metadata: must be a JSON object")
    if metadata is not None:
        if _depth(metadata) > MAX_METADATA_DEPTH:
            raise BadRequest(f"metadata: nested more than {MAX_METADATA_DEPTH} levels deep")
        try:
            dumped = json.dumps(metadata, ensure_ascii=False)
        except (RecursionError, ValueError):
            raise BadRequest("metadata: nested too deeply") from None
        if not _valid_unicode(dumped):
            raise BadRequest("metadata: not valid Unicode (a lone surrogate)")
    message_id = body.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)):
        raise BadRequest("message_id: must be 1-64 characters of A-Z a-z 0-9 . _ : - (your id of this message, "
                         "the same when you send it again)")
    return RestMessage(sender, message, metadata, message_id)


MAX_SINCE = 1e11  # seconds: year 5138; a larger number is no timestamp (and a huge int no float)


def read_poll_body(raw: bytes, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> tuple[str, float | None]:
    """The sender of a poll request ``{"sender": "...", "since": <timestamp>}`` (since optional), checked as
    the webhook checks it."""
    body = _json_object(raw, max_body_bytes, ("sender", "since"), '{"sender": "...", "since": 1700000000.0}')
    sender = _sender(body)
    since = body.get("since")
    if since is not None and (isinstance(since, bool) or not isinstance(since, int | float)
                              or not 0 <= since <= MAX_SINCE):  # NaN and infinities fail the comparison too
        raise BadRequest("since: must be a timestamp (seconds, a number ≥ 0) of the last line you showed")
    return sender, None if since is None else float(since)


def _refuse(error: BadRequest) -> HTTPResponse:
    reason = "PayloadTooLarge" if error.status == 413 else "BadRequest"
    return response.json({"status": "failure", "reason": reason, "message": str(error), "code": error.status},
                         status=error.status)


class RestInput(RasaRestInput):
    def __init__(self, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
                 max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.max_message_bytes = int(max_message_bytes)
        self.max_body_bytes = int(max_body_bytes)

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        settings = dict(credentials or {})
        unknown = sorted(set(settings) - {"max_message_bytes", "max_body_bytes"})
        if unknown:
            raise ValueError(f"bot.channels.rest.RestInput: unknown setting(s) {', '.join(unknown)}")
        return cls(**settings)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def once(message: UserMessage) -> Any:
            """A message with a client id: handled as ``Agent.handle_message`` does, but at most once."""
            agent, message_id = _REQUEST.get()
            if message_id is None or not can_check(agent):
                return await on_new_message(message)
            message.message_id = message_id
            return await handle_once(agent, message)

        webhook = super().blueprint(once)

        @webhook.middleware("request")
        async def check_the_request(request: Request) -> HTTPResponse | None:
            """Refuse a malformed request (400) and answer a message over the limit (utter_message_too_long)
            before Rasa's handler, and so NLU, sees either."""
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                checked = read_body(request.body or b"", self.max_body_bytes)
            except BadRequest as error:
                logger.warning("rest: refused a request with %d: %s", error.status, error)
                return _refuse(error)
            if is_too_long(checked.message, self.max_message_bytes):
                logger.warning("rest: a message of %d bytes is over the limit of %d: not passed to the bot",
                               utf8_len(checked.message), self.max_message_bytes)
                agent = getattr(request.app.ctx, "agent", None)
                return response.json([{"recipient_id": checked.sender,
                                       "text": too_long_text(agent, self.max_message_bytes)}])
            agent = getattr(request.app.ctx, "agent", None)
            if not await conversations_reachable(agent):  # a blank conversation would be worse
                return response.json([{"recipient_id": checked.sender, "text": no_reply_text(agent)}])
            request.parsed_json = checked.as_json()  # what Rasa's handler reads (request.json)
            _REQUEST.set((agent, checked.message_id))
            return None

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
            handed_off = await reply_while_handed_off(agent, sender)
            if handed_off is not None:
                return response.json([{"recipient_id": sender, "text": handed_off}])
            logger.warning("rest: the bot gave no reply to a message (action server down?)")
            return response.json([{"recipient_id": sender, "text": no_reply_text(agent)}])

        @webhook.route("/poll", methods=["POST"])
        async def poll(request: Request) -> HTTPResponse:
            """What hotline staff said since the worker's latest message (bot/channels/staff.py)."""
            try:
                sender, since = read_poll_body(request.body or b"", self.max_body_bytes)
            except BadRequest as error:
                logger.warning("rest: refused a poll with %d: %s", error.status, error)
                return _refuse(error)
            tracker_store = getattr(getattr(request.app.ctx, "agent", None), "tracker_store", None)
            tracker = await tracker_store.retrieve(sender) if tracker_store is not None else None
            return response.json([{"recipient_id": sender, "text": text, "timestamp": at}
                                  for text, at in pollable_messages(tracker, since)])

        return webhook
