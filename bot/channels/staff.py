"""The staff channel: what the hotline staff console (console/, its own process) calls in the Rasa process.

Configured in ``credentials.yml`` as ``bot.channels.staff.StaffInput`` and mounted at ``/webhooks/staff/``.
Every route needs ``Authorization: Bearer <JWT>``: a JWT of role ``admin`` signed (HS256) with the secret
of Rasa's HTTP API (``bot.auth.load_secret``: ``RASA_JWT_SECRET``, else ``var/http_api_jwt_secret``), in
the claims format of ``bot.auth.mint`` (``{"user": {"username", "role"}, "iat", "exp"}``, ``exp``
required). 401 without a valid JWT, 403 for another role; the token is never logged.

- ``GET  /webhooks/staff/queue``: every conversation handed to staff now (its latest pause / resume /
  restart / session start is a pause), newest hand-off first, read with one SQL query when the tracker
  store is Rasa's ``SQLTrackerStore`` (any other store: ``keys()`` and ``retrieve()`` each);
- ``POST /webhooks/staff/conversations/<sender_id>/reply`` ``{"text", "staff"}``: a staff reply, delivered
  by the channel of the worker's latest message: REST conversations fetch it with ``POST
  /webhooks/rest/poll`` (bot/channels/rest.py), WeChat / WeCom ones get a customer-service message, which
  WeChat allows only within 48 hours of the worker's last message;
- ``POST /webhooks/staff/conversations/<sender_id>/release`` ``{"staff"}``: the bot takes the conversation
  back (the events of the README's release) and the worker hears ``utter_handoff_released``.

A reply becomes a ``BotUttered`` with metadata ``{"said_by": "staff", "staff": <name>}`` only once it
is delivered (REST: once recorded for the poll), so the transcript is what the worker saw; it is written
under the lock store's lock of the conversation, like bot/channels/handoff.py. Bad input is answered 400
(413 for a body over ``max_body_bytes``) with ``{"status": "failure", "reason", "message"}``, never 5xx;
a conversation in the wrong state 409 with a ``reason``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

import jwt
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import DEFAULT_MAX_MESSAGE_BYTES, utf8_len
from bot.channels.silence import response_text
from bot.channels.wechat import OFFICIAL_ACCOUNT, WECOM, WeChatSettings
from bot.channels.wechat_api import CustomerServiceClient, DeliveryReport
from bot.channels.wechat_protocol import short_id

logger = logging.getLogger(__name__)

STAFF_ROLE = "admin"
JWT_ALGORITHM = "HS256"  # bot.auth.ALGORITHM, Rasa's default --jwt-method
DEFAULT_MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 255  # the sender_id column of Rasa's SQL tracker store
MAX_STAFF_CHARS = 64
WECHAT_WINDOW_SECONDS = 48 * 3600  # WeChat's customer-service messages: 48 hours after the user's last message
SUMMARY_SLOT = "handoff_summary"
ACTIVE_SLOT = "handoff_active"
RELEASED_RESPONSE = "utter_handoff_released"
# Only for a model whose domain lacks the response (an older model).
RELEASED_FALLBACK = "Hotline staff have ended the conversation; you can ask the assistant again."
SAID_BY_STAFF = "staff"
RELEASED_BY = "released_by"  # metadata key of the released line: it is fetched by the REST poll too
REST, WECHAT = "rest", "wechat"
# The events that decide whether a conversation is paused (each sets or clears Rasa's paused flag).
CONTROL_EVENTS = (ConversationPaused.type_name, ConversationResumed.type_name, Restarted.type_name,
                  SessionStarted.type_name)
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
DROPPED_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab, line breaks


class Refused(Exception):
    """A request the channel refuses: HTTP ``status``, a ``reason`` for programs, a message for people."""

    def __init__(self, status: int, reason: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.reason, self.extra = status, reason, dict(extra or {})

    def as_response(self) -> HTTPResponse:
        body = {**self.extra, "status": "failure", "reason": self.reason, "message": str(self)}
        return response.json(body, status=self.status)


# ------------------------------------------------------------------------------------------------ auth


def check_staff_jwt(authorization: str | None, secret: str) -> dict[str, Any]:
    """The claims of the ``Authorization: Bearer <JWT>`` header; raises ``Refused`` (401: missing or
    invalid, expired included; 403: valid but not role admin). Never puts the token in a message."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Refused(401, "NotAuthenticated", "an Authorization: Bearer <JWT> header is required")
    try:
        claims = jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp"]})
    except (jwt.InvalidTokenError, UnicodeError) as error:  # a header of undecodable bytes is no JWT either
        raise Refused(401, "NotAuthenticated", f"invalid JWT ({type(error).__name__})") from None
    user = claims.get("user") if isinstance(claims, dict) else None
    role = user.get("role") if isinstance(user, dict) else None
    if role != STAFF_ROLE:
        raise Refused(403, "NotAuthorized", f"the staff channel needs a JWT of role {STAFF_ROLE}")
    return claims


# ------------------------------------------------------------------------------------------------ bodies


@dataclass(frozen=True)
class StaffReply:
    text: str
    staff: str


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" is valid JSON)
        return False
    return True


def read_object(raw: bytes, fields: Sequence[str], max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> dict:
    """``raw`` as a JSON object of exactly ``fields``; raises ``Refused`` (400, 413) saying what is wrong."""
    if len(raw) > max_body_bytes:
        raise Refused(413, "PayloadTooLarge", f"the request body is {len(raw)} bytes, over {max_body_bytes}")
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(400, "BadRequest", "the request body is not UTF-8") from None
    except RecursionError:
        raise Refused(400, "BadRequest", "the request body is nested too deeply") from None
    except ValueError as error:
        raise Refused(400, "BadRequest", f"the request body is not JSON ({error})") from None
    if not isinstance(body, dict):
        raise Refused(400, "BadRequest", f"the request body must be a JSON object with {', '.join(fields)}")
    unknown = sorted(str(name)[:40] for name in body if name not in fields)
    if unknown:
        raise Refused(400, "BadRequest", f"unknown field(s) {', '.join(map(repr, unknown[:5]))}; the fields "
                                         f"are {', '.join(fields)}")
    missing = [name for name in fields if name not in body]
    if missing:
        raise Refused(400, "BadRequest", f"{missing[0]}: missing")
    return body


def _staff_name(body: dict) -> str:
    staff = body["staff"]
    if (not isinstance(staff, str) or not staff.strip() or len(staff) > MAX_STAFF_CHARS
            or CONTROL_CHARACTERS.search(staff) or not _is_unicode(staff)):
        raise Refused(400, "BadRequest", f"staff: must be a non-empty string of at most {MAX_STAFF_CHARS} "
                                         "characters without control characters (the name the worker may see)")
    return staff.strip()


def read_reply(raw: bytes, max_text_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> StaffReply:
    """``{"text": ..., "staff": ...}``, checked: text a non-blank string of at most ``max_text_bytes`` of
    UTF-8 (WeChat's limit for one message) after control characters other than tab and line breaks are
    dropped."""
    body = read_object(raw, ("text", "staff"), max_body_bytes)
    text = body["text"]
    if not isinstance(text, str):
        raise Refused(400, "BadRequest", "text: must be a string")
    if not _is_unicode(text):
        raise Refused(400, "BadRequest", "text: not valid Unicode (a lone surrogate)")
    text = DROPPED_CONTROL_CHARACTERS.sub("", text).strip()
    if not text:
        raise Refused(400, "BadRequest", "text: empty")
    if utf8_len(text) > max_text_bytes:
        raise Refused(400, "BadRequest", f"text: {utf8_len(text)} bytes of UTF-8, over the limit of "
                                         f"{max_text_bytes} (about {max_text_bytes // 3} Chinese characters)")
    return StaffReply(text, _staff_name(body))


def read_release(raw: bytes, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> str:
    """``{"staff": ...}``, checked: the staff member's name."""
    return _staff_name(read_object(raw, ("staff",), max_body_bytes))


def check_sender_id(sender_id: str) -> str:
    """The conversation id of a route's path (percent-decoded by the caller), checked."""
    if (not sender_id or len(sender_id) > MAX_SENDER_CHARS or CONTROL_CHARACTERS.search(sender_id)
            or not _is_unicode(sender_id)):
        raise Refused(400, "BadRequest", f"sender_id: must be 1-{MAX_SENDER_CHARS} characters without control "
                                         "characters")
    return sender_id


# ------------------------------------------------------------------------------------------------ reading


def channel_of(input_channel: str | None, metadata: dict | None) -> str | None:
    """The channel a worker's message came through: ``rest``, ``wechat`` (Official Account), ``wecom``
    (the WeChat channel's WeCom endpoint, told apart by its metadata) or whatever else Rasa recorded."""
    if input_channel == WECHAT:
        platform = ((metadata or {}).get("wechat") or {}).get("platform")
        return WECOM if platform == WECOM else WECHAT
    return input_channel


def window_end(channel: str | None, last_user_at: float | None) -> float | None:
    """When WeChat stops taking customer-service messages for the worker (None: no such limit)."""
    if channel not in (WECHAT, WECOM) or last_user_at is None:
        return None
    return last_user_at + WECHAT_WINDOW_SECONDS


def queue_entry(sender_id: str, events: Sequence[dict]) -> dict[str, Any] | None:
    """The queue line of a conversation from its events (as dicts, in order), None when it is not with
    staff. ``events`` may be only part of the conversation, as long as it holds the latest control event
    (pause, resume, restart, session start), everything after it, the latest user message and the latest
    ``handoff_summary``: the SQL path reads just those."""
    control = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") in CONTROL_EVENTS),
                   None)
    if control is None or events[control].get("event") != ConversationPaused.type_name:
        return None
    since = events[control + 1:]
    last_user = next((e for e in reversed(events) if e.get("event") == UserUttered.type_name), None) or {}
    summary = next((e.get("value") for e in reversed(events)
                    if e.get("event") == SlotSet.type_name and e.get("name") == SUMMARY_SLOT), None)
    summary = summary if isinstance(summary, dict) else {}
    channel = channel_of(last_user.get("input_channel"), last_user.get("metadata"))
    last_user_at = last_user.get("timestamp")
    return {
        "sender_id": sender_id,
        "channel": channel,
        "handed_off_at": events[control].get("timestamp"),
        "last_user_at": last_user_at,
        "last_user_text": last_user.get("text"),
        "reason": summary.get("reason"),
        "topic": summary.get("topic"),
        "user_messages_since_handoff": sum(e.get("event") == UserUttered.type_name for e in since),
        "staff_replies": sum(e.get("event") == BotUttered.type_name
                             and (e.get("metadata") or {}).get("said_by") == SAID_BY_STAFF for e in since),
        "window_ends_at": window_end(channel, last_user_at),
    }


def newest_first(entries: Iterable[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (e["handed_off_at"] or 0.0, e["sender_id"]), reverse=True)


def is_pollable(metadata: dict | None) -> bool:
    """A bot utterance the worker's app fetches (POST /webhooks/rest/poll) rather than gets in a webhook
    reply: a staff reply, or the line said when staff released the conversation."""
    metadata = metadata or {}
    return metadata.get("said_by") == SAID_BY_STAFF or RELEASED_BY in metadata


def pollable_messages(tracker: Any, since: float | None = None) -> list[tuple[str, float]]:
    """(text, timestamp) of what staff (or the channel, on release) said to a REST worker, in order; nothing
    for a conversation whose latest message did not come through REST. Without ``since``: what came after
    the worker's latest message. With ``since`` (the timestamp of the last line the app showed): every such
    line of the latest hand-off after it, so an app that keeps its cursor misses nothing even when the
    worker writes before it polls."""
    if tracker is None:
        return []
    latest = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
    if latest is not None and latest.input_channel != REST:
        return []
    said: list[tuple[str, float]] = []
    for event in reversed(tracker.events):
        if since is None and isinstance(event, UserUttered):
            break
        if since is not None and (event.timestamp <= since or isinstance(event, ConversationPaused)):
            break
        if isinstance(event, BotUttered) and event.text and is_pollable(event.metadata):
            said.append((event.text, event.timestamp))
    return said[::-1]


# ------------------------------------------------------------------------------------------------ the queue


def innermost_store(tracker_store: Any) -> Any:
    """The store behind Rasa's wrappers (the agent's ``FailSafeTrackerStore``, ``AwaitableTrackerStore``)."""
    seen: set[int] = set()
    while id(tracker_store) not in seen:
        seen.add(id(tracker_store))
        inner = getattr(tracker_store, "_tracker_store", None)
        if inner is None:
            break
        tracker_store = inner
    return tracker_store


CONTROL_INDEX = "ix_events_type_name_sender_id"


def index_control_events(store: Any) -> None:
    """Once per store, an index on (type_name, sender_id) of Rasa's events table (created if missing, never
    dropped). Measured with bench.console on 2,000 conversations: the queue query 115 → 44 ms. A database
    that refuses it (a read-only user) keeps the scan; the queue still works."""
    import sqlalchemy as sa

    if getattr(store, "_control_events_indexed", False):
        return
    store._control_events_indexed = True
    table = store.SQLEvent.__table__
    if any(index.name == CONTROL_INDEX for index in table.indexes):
        index = next(index for index in table.indexes if index.name == CONTROL_INDEX)
    else:
        index = sa.Index(CONTROL_INDEX, table.c.type_name, table.c.sender_id)
    try:
        index.create(bind=store.engine, checkfirst=True)
    except sa.exc.SQLAlchemyError as error:
        logger.warning("staff: could not index the events table (%s); the queue scans it",
                       type(error).__name__)


def sql_handed_off(store: Any) -> list[dict]:
    """The queue from a ``SQLTrackerStore`` in one query (blocking: run it in an executor).

    Per conversation, the latest control event (pause, resume, restart, session start) by id; where it is
    a pause, that pause and everything after it (user and bot utterances), the latest user message and the
    latest ``handoff_summary`` slot. ``queue_entry`` then reads each conversation's rows as it reads a
    whole tracker. Rasa indexes the events table by sender_id only; ``index_control_events`` adds the index
    that finds the control events without a scan of the whole table."""
    import sqlalchemy as sa
    from sqlalchemy.orm import aliased

    index_control_events(store)
    event_class = store.SQLEvent
    control, latest, user, summary, event = (aliased(event_class) for _ in range(5))
    latest_control = (sa.select(control.sender_id, sa.func.max(control.id).label("control_id"))
                      .where(control.type_name.in_(CONTROL_EVENTS))
                      .group_by(control.sender_id).subquery())
    last_user_id = (sa.select(sa.func.max(user.id))
                    .where(user.sender_id == latest.sender_id, user.type_name == UserUttered.type_name)
                    .scalar_subquery())
    summary_id = (sa.select(sa.func.max(summary.id))
                  .where(summary.sender_id == latest.sender_id, summary.type_name == SlotSet.type_name,
                         summary.action_name == SUMMARY_SLOT)
                  .scalar_subquery())
    paused = (sa.select(latest.sender_id, latest.id.label("pause_id"), last_user_id.label("last_user_id"),
                        summary_id.label("summary_id"))
              .join(latest_control, latest.id == latest_control.c.control_id)
              .where(latest.type_name == ConversationPaused.type_name)
              .subquery())
    wanted = (ConversationPaused.type_name, UserUttered.type_name, BotUttered.type_name)
    query = (sa.select(event.sender_id, event.data)
             .join(paused, event.sender_id == paused.c.sender_id)
             .where(sa.or_(sa.and_(event.id >= paused.c.pause_id, event.type_name.in_(wanted)),
                           event.id == paused.c.last_user_id, event.id == paused.c.summary_id))
             .order_by(event.sender_id, event.id))
    with store.session_scope() as session:
        rows = session.execute(query).all()
    by_sender: dict[str, list[dict]] = {}
    for sender_id, data in rows:
        by_sender.setdefault(sender_id, []).append(json.loads(data))
    entries = (queue_entry(sender_id, events) for sender_id, events in by_sender.items())
    return newest_first(entry for entry in entries if entry is not None)


async def handed_off_conversations(tracker_store: Any) -> list[dict]:
    """Every conversation with staff now, newest hand-off first (the queue's lines)."""
    from rasa.core.tracker_store import SQLTrackerStore

    store = innermost_store(tracker_store)
    if isinstance(store, SQLTrackerStore):
        return await asyncio.get_running_loop().run_in_executor(None, sql_handed_off, store)
    entries = []
    for sender_id in list(await tracker_store.keys()):
        tracker = await tracker_store.retrieve(sender_id)
        if tracker is not None and tracker.is_paused():
            entry = queue_entry(sender_id, [e.as_dict() for e in tracker.events])
            if entry is not None:
                entries.append(entry)
    return newest_first(entries)


# ------------------------------------------------------------------------------------------------ delivery


class TextSender(Protocol):
    """What the channel needs of bot.channels.wechat_api.CustomerServiceClient (a fake in tests)."""

    async def send_texts(self, to_user: str, texts: Sequence[str]) -> DeliveryReport: ...


@dataclass(frozen=True)
class Delivery:
    delivered: bool
    channel: str | None
    reason: str | None = None
    last_user_at: float | None = None
    window_ends_at: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"delivered": self.delivered, "channel": self.channel, "reason": self.reason,
                "last_user_at": self.last_user_at, "window_ends_at": self.window_ends_at}


# reason -> HTTP status of a reply that was not delivered
UNDELIVERED_STATUS = {"window_closed": 409, "quota": 409, "unknown_channel": 409,
                      "wechat_not_configured": 503, "wechat_failed": 502}
REPORT_REASONS = {"outside_window": "window_closed", "quota": "quota"}


def wechat_clients_from(credentials: dict | None) -> dict[str, TextSender]:
    """Customer-service clients built from the WeChat channel's credentials block (the same mapping
    ``bot.channels.wechat.WeChatInput`` reads, ``env:`` included), for each platform that can send."""
    credentials = dict(credentials or {})
    settings = [WeChatSettings.resolve({k: v for k, v in credentials.items() if k != "wecom"}, OFFICIAL_ACCOUNT)]
    if credentials.get("wecom"):
        settings.append(WeChatSettings.resolve(credentials["wecom"], WECOM))
    clients: dict[str, TextSender] = {}
    for item in settings:
        if item.can_send_later:
            clients[WECOM if item.platform == WECOM else WECHAT] = CustomerServiceClient(
                item.app_id, item.app_secret, item.api_base, platform=item.platform,
                agent_id=item.agent_id or None)
    return clients


def latest_user_message(tracker: Any) -> UserUttered | None:
    return next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)


# ------------------------------------------------------------------------------------------------ channel


class StaffInput(InputChannel):
    """The routes of the staff console; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "staff"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> StaffInput:
        settings = dict(credentials or {})
        unknown = sorted(set(settings) - {"wechat", "max_text_bytes", "max_body_bytes"})
        if unknown:
            raise ValueError(f"bot.channels.staff.StaffInput: unknown setting(s) {', '.join(unknown)}")
        return cls(wechat_clients=wechat_clients_from(settings.get("wechat")),
                   max_text_bytes=int(settings.get("max_text_bytes", DEFAULT_MAX_MESSAGE_BYTES)),
                   max_body_bytes=int(settings.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)))

    def __init__(self, *, secret: str | None = None, wechat_clients: dict[str, TextSender] | None = None,
                 max_text_bytes: int = DEFAULT_MAX_MESSAGE_BYTES, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 clock: Callable[[], float] = time.time) -> None:
        self._secret = secret  # None: bot.auth.load_secret() on first use, like the HTTP API's
        self.wechat_clients = dict(wechat_clients or {})
        self.max_text_bytes = max_text_bytes
        self.max_body_bytes = max_body_bytes
        self._clock = clock

    def __repr__(self) -> str:  # never the secret
        return f"StaffInput(wechat={sorted(self.wechat_clients)})"

    def secret(self) -> str:
        if self._secret is None:
            from bot.auth import AuthError, load_secret

            try:
                self._secret = load_secret()[0]
            except AuthError as error:
                logger.error("staff: no JWT secret, refusing every request: %s", error)
                raise Refused(503, "ServiceUnavailable", "the server has no JWT secret configured") from None
        return self._secret

    # ---------------------------------------------------------------------------------------- routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        staff = Blueprint("staff_webhook", __name__)

        @staff.route("/queue", methods=["GET"])
        async def queue(request: Request) -> HTTPResponse:
            return await self._answer(request, self._queue)

        @staff.route("/conversations/<sender_id:path>/reply", methods=["POST"])
        async def reply(request: Request, sender_id: str) -> HTTPResponse:
            return await self._answer(request, self._reply, sender_id)

        @staff.route("/conversations/<sender_id:path>/release", methods=["POST"])
        async def release(request: Request, sender_id: str) -> HTTPResponse:
            return await self._answer(request, self._release, sender_id)

        return staff

    async def _answer(self, request: Request, handler: Callable[..., Awaitable[HTTPResponse]],
                      *args: Any) -> HTTPResponse:
        """Authenticate, run ``handler``, and turn refusals (and surprises) into JSON, never a 500."""
        try:
            check_staff_jwt(request.headers.get("Authorization"), self.secret())
            agent = getattr(request.app.ctx, "agent", None)
            if getattr(agent, "tracker_store", None) is None:
                raise Refused(503, "ServiceUnavailable", "no model loaded yet")
            return await handler(request, agent, *args)
        except Refused as refusal:
            if refusal.status >= 500 or refusal.status in (401, 403):
                logger.warning("staff: %s refused with %d: %s", handler.__name__.lstrip("_"), refusal.status,
                               refusal)
            return refusal.as_response()
        except Exception as error:  # noqa: BLE001 - a tracker store or lock store failure: say so, not 500
            logger.exception("staff: %s failed", handler.__name__)
            return Refused(503, "ServiceUnavailable", f"the request failed ({type(error).__name__})").as_response()

    async def _queue(self, request: Request, agent: Any) -> HTTPResponse:
        return response.json({"conversations": await handed_off_conversations(agent.tracker_store)})

    async def _reply(self, request: Request, agent: Any, sender_id: str) -> HTTPResponse:
        reply = read_reply(request.body or b"", self.max_text_bytes, self.max_body_bytes)
        sender_id = check_sender_id(unquote(sender_id))

        async def deliver(tracker: Any) -> tuple[Delivery, list]:
            delivery = await self._deliver(tracker, reply.text)
            if not delivery.delivered:
                return delivery, []
            return delivery, [BotUttered(reply.text, metadata={"said_by": SAID_BY_STAFF, "staff": reply.staff})]

        delivery = await self._with_handed_off(agent, sender_id, deliver)
        logger.info("staff: a reply by %s to conversation %s via %s: %s", reply.staff, short_id(sender_id),
                    delivery.channel, "delivered" if delivery.delivered else delivery.reason)
        if delivery.delivered:
            return response.json({"status": "success", **delivery.as_json()})
        raise Refused(UNDELIVERED_STATUS.get(delivery.reason or "", 409), delivery.reason or "not_delivered",
                      _undelivered_message(delivery), delivery.as_json())

    async def _release(self, request: Request, agent: Any, sender_id: str) -> HTTPResponse:
        staff = read_release(request.body or b"", self.max_body_bytes)
        sender_id = check_sender_id(unquote(sender_id))
        text = response_text(agent, RELEASED_RESPONSE, RELEASED_FALLBACK)

        async def release(tracker: Any) -> tuple[Delivery, list]:
            delivery = await self._deliver(tracker, text)
            said = [ActionExecuted(RELEASED_RESPONSE),
                    BotUttered(text, metadata={"said_by": "channel", "handoff": True, RELEASED_BY: staff})]
            # the README's release, then what the worker heard (only if it reached the worker)
            return delivery, [ConversationResumed(), SlotSet(ACTIVE_SLOT, False), SlotSet("fallback_count", 0),
                              *(said if delivery.delivered else []), ActionExecuted("action_listen")]

        delivery = await self._with_handed_off(agent, sender_id, release)
        logger.info("staff: %s released conversation %s (the line via %s: %s)", staff, short_id(sender_id),
                    delivery.channel, "delivered" if delivery.delivered else delivery.reason)
        return response.json({"status": "success", "released": True, **delivery.as_json()})

    async def _with_handed_off(self, agent: Any, sender_id: str,
                               work: Callable[[Any], Awaitable[tuple[Delivery, list]]]) -> Delivery:
        """Run ``work`` on the conversation's tracker under its lock, only while it is with staff (404 for
        no conversation, 409 for one that is not handed off), and save the events it returns."""
        lock_store = getattr(agent, "lock_store", None)
        if lock_store is None:
            return await self._locked(agent.tracker_store, sender_id, work)
        async with lock_store.lock(sender_id):
            return await self._locked(agent.tracker_store, sender_id, work)

    async def _locked(self, tracker_store: Any, sender_id: str,
                      work: Callable[[Any], Awaitable[tuple[Delivery, list]]]) -> Delivery:
        tracker = await tracker_store.retrieve(sender_id)
        if tracker is None:
            raise Refused(404, "not_found", "no conversation with this sender_id")
        if not tracker.is_paused():
            raise Refused(409, "not_handed_off", "the conversation is not handed off to staff (released, taken "
                                                 "back by the worker, or never handed off)", {"delivered": False})
        delivery, events = await work(tracker)
        if events:
            for event in events:
                tracker.update(event)
            await tracker_store.save(tracker)
        return delivery

    async def _deliver(self, tracker: Any, text: str) -> Delivery:
        """Send ``text`` to the worker by the channel of the worker's latest message. REST: nothing to send
        (the app fetches it with the poll once it is recorded); WeChat / WeCom: a customer-service message,
        only within 48 hours of the worker's last message."""
        latest = latest_user_message(tracker)
        channel = channel_of(latest.input_channel, latest.metadata) if latest else None
        last_user_at = latest.timestamp if latest else None
        if channel == REST:
            return Delivery(True, channel, last_user_at=last_user_at)
        if channel not in (WECHAT, WECOM):
            return Delivery(False, channel, "unknown_channel", last_user_at)
        ends = window_end(channel, last_user_at)
        if ends is None or self._clock() > ends:
            return Delivery(False, channel, "window_closed", last_user_at, ends)
        client = self.wechat_clients.get(channel)
        if client is None:
            return Delivery(False, channel, "wechat_not_configured", last_user_at, ends)
        to_user = tracker.sender_id.removeprefix(f"{WECOM}:") if channel == WECOM else tracker.sender_id
        report = await client.send_texts(to_user, [text])
        if report.outcome == "sent" and report.sent >= 1:
            return Delivery(True, channel, None, last_user_at, ends)
        return Delivery(False, channel, REPORT_REASONS.get(report.outcome, "wechat_failed"), last_user_at, ends)


def _undelivered_message(delivery: Delivery) -> str:
    return {
        "window_closed": "WeChat takes customer-service messages only within 48 hours of the worker's last "
                         "message; wait for the worker to write again",
        "quota": "WeChat's quota of customer-service messages since the worker's last message is used up",
        "unknown_channel": f"replies cannot be delivered on channel {delivery.channel!r}",
        "wechat_not_configured": "the WeChat app secret is not configured, so nothing can be sent",
        "wechat_failed": "WeChat did not accept the message",
    }.get(delivery.reason or "", "not delivered")
