"""The WeChat callback protocol as pure functions: signatures, safe XML parsing, message fields, reply
splitting and the passive-reply XML. No Rasa, no Sanic, no I/O, so every rule here is tested directly.

WeChat facts these functions encode (Official Account and WeCom callback docs):
- a callback is authentic when sha1 of the sorted strings [token, timestamp, nonce(, Encrypt)] matches;
- bodies are small flat XML documents with a root ``<xml>`` and never a DOCTYPE;
- a text reply carries at most 2048 bytes of UTF-8 content; one passive reply per message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.parsers import expat

TEXT_LIMIT_BYTES = 2048
MAX_XML_DEPTH = 4  # <xml><ScanCodeInfo><ScanType> is the deepest WeChat sends
MAX_FIELDS = 64


class MalformedMessage(ValueError):
    """The body is not a WeChat XML message; the reason is safe to log (no message content)."""


# ---------------------------------------------------------------------------------------------- signatures


def signature_of(*parts: str) -> str:
    """WeChat's signature: sha1 over the sorted, concatenated parts (token, timestamp, nonce[, encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def is_authentic(token: str, signature: str | None, timestamp: str | None, nonce: str | None,
                 *extra: str) -> bool:
    """True when ``signature`` is WeChat's signature of (token, timestamp, nonce, *extra).

    Used for the plain ``signature`` (GET verification and every POST) and, with the ``Encrypt`` value
    as extra part, for ``msg_signature`` in safe mode and WeCom. Compared in constant time.
    """
    if not (token and signature and timestamp and nonce):
        return False
    if not signature.isascii():  # a hex digest never is otherwise (and compare_digest refuses non-ASCII str)
        return False
    expected = signature_of(token, timestamp, nonce, *extra)
    return hmac.compare_digest(expected, signature.lower())


def is_fresh(timestamp: str | None, now: float, window_seconds: float) -> bool:
    """True when the callback's timestamp (seconds) lies within ``window_seconds`` of ``now``."""
    # ASCII digits only: "²" and full-width digits pass str.isdigit()
    if not timestamp or not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    return abs(now - int(timestamp)) <= window_seconds


# ---------------------------------------------------------------------------------------------- XML in


def parse_xml(body: bytes | str) -> dict[str, str]:
    """Parse a WeChat XML body into ``{field: text}``; nested fields are keyed ``Parent/Child``.

    Refuses any DOCTYPE (so no entity definitions at all: billion laughs and external entities are
    rejected before expansion), any undefined entity, a root other than ``<xml>``, deeper nesting
    than WeChat uses and more fields than it sends. Raises ``MalformedMessage``.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.strip():
        raise MalformedMessage("empty body")

    parser = expat.ParserCreate(encoding="utf-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    fields: dict[str, str] = {}
    path: list[str] = []
    text: list[list[str]] = []

    def refuse_doctype(*_args: object) -> None:
        raise MalformedMessage("DOCTYPE / entity declarations are not allowed")

    def refuse_entity(*_args: object) -> None:
        raise MalformedMessage("entity declarations are not allowed")

    def start(name: str, _attrs: dict) -> None:
        if not path and name != "xml":
            raise MalformedMessage(f"root element is <{name[:20]}>, expected <xml>")
        path.append(name)
        text.append([])
        if len(path) > MAX_XML_DEPTH:
            raise MalformedMessage("XML nested too deeply")

    def end(_name: str) -> None:
        content = "".join(text.pop())
        if len(path) > 1:
            if len(fields) >= MAX_FIELDS:
                raise MalformedMessage("too many XML fields")
            fields["/".join(path[1:])] = content.strip()
        path.pop()

    def chars(data: str) -> None:
        if text:
            text[-1].append(data)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise MalformedMessage(f"not well-formed XML ({expat.ErrorString(error.code)})") from None
    return fields


@dataclass(frozen=True)
class InboundMessage:
    """The fields of one WeChat message or event that the channel uses (names as in WeChat's XML)."""

    to_user: str  # the Official Account's gh_ id, or the WeCom CorpID
    from_user: str  # the sender's OpenID (WeCom: UserID)
    create_time: str
    msg_type: str  # lower case: text, voice, image, video, shortvideo, location, link, file, event
    msg_id: str | None = None
    content: str = ""
    recognition: str = ""
    event: str = ""  # lower case: subscribe, unsubscribe, scan, click, view, enter_agent, ...
    event_key: str = ""
    agent_id: str = ""

    @property
    def dedupe_key(self) -> str:
        """Retries of one message share this key: MsgId, or for events FromUserName+CreateTime+Event."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.from_user}:{self.create_time}:{self.event}"


def parse_message(fields: dict[str, str]) -> InboundMessage:
    """Turn parsed XML fields into an ``InboundMessage``; raises ``MalformedMessage`` naming what is missing."""
    msg_type = fields.get("MsgType", "").strip().lower()
    if not msg_type:
        raise MalformedMessage("missing MsgType")
    from_user = fields.get("FromUserName", "").strip()
    if not from_user:
        raise MalformedMessage("missing FromUserName")
    if msg_type == "event" and not fields.get("Event"):
        raise MalformedMessage("event without Event")
    return InboundMessage(
        to_user=fields.get("ToUserName", ""),
        from_user=from_user,
        create_time=fields.get("CreateTime", ""),
        msg_type=msg_type,
        msg_id=fields.get("MsgId") or fields.get("MsgID") or None,
        content=fields.get("Content", ""),
        recognition=fields.get("Recognition", ""),
        event=fields.get("Event", "").strip().lower(),
        event_key=fields.get("EventKey", ""),
        agent_id=fields.get("AgentID", ""),
    )


# ---------------------------------------------------------------------------------------------- text out

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SOFT_BREAKS = ("\n", "。", "！", "？", "；", "，", " ")


def bot_messages_to_text(messages: Iterable[dict]) -> str:
    """Everything the bot said for one user message, as one text (WeChat has no buttons or cards).

    Buttons become a numbered list of their titles; an image becomes its URL; custom payloads
    contribute only a ``text`` field if they have one.
    """
    parts: list[str] = []
    for message in messages:
        lines: list[str] = []
        if message.get("text"):
            lines.append(str(message["text"]))
        buttons = message.get("buttons") or message.get("quick_replies") or []
        for number, button in enumerate(buttons, start=1):
            title = button.get("title") if isinstance(button, dict) else None
            if title:
                lines.append(f"{number}. {title}")
        if message.get("image"):
            lines.append(str(message["image"]))
        if isinstance(message.get("attachment"), str):
            lines.append(message["attachment"])
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("text"), str):
            lines.append(custom["text"])
        if lines:
            parts.append("\n".join(lines))
    return _XML_ILLEGAL.sub("", "\n\n".join(parts)).strip()


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_utf8(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` UTF-8 bytes, never inside a character.

    Prefers to cut after a line break or a sentence/clause mark in the second half of the window, so a
    policy clause is not cut mid-sentence when that can be helped.
    """
    if limit < 4:
        raise ValueError("limit must hold at least one UTF-8 character (4 bytes)")
    pieces: list[str] = []
    rest = text.strip()
    while utf8_len(rest) > limit:
        # Longest prefix that fits: decoding the cut bytes drops a partial trailing character.
        fit = len(rest.encode("utf-8")[:limit].decode("utf-8", errors="ignore"))
        cut = fit
        for mark in _SOFT_BREAKS:
            at = rest.rfind(mark, 0, fit)
            if at >= 0 and at + 1 >= fit // 2:
                cut = at + 1
                break
        piece = rest[:cut].strip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def plan_messages(text: str, max_messages: int, truncated_note: str,
                  limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """The WeChat messages for one bot reply: pieces of ``limit`` bytes, at most ``max_messages`` of them.

    When the reply does not fit, the last allowed piece is shortened to end with ``truncated_note``
    (so the user knows there was more) instead of silently losing the tail.
    """
    pieces = split_utf8(text, limit)
    if len(pieces) <= max_messages:
        return pieces
    kept = pieces[:max_messages]
    room = limit - utf8_len(truncated_note) - 1
    last = kept[-1]
    if utf8_len(last) > room:
        last = last.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    kept[-1] = f"{last}\n{truncated_note}"
    return kept


# ---------------------------------------------------------------------------------------------- XML out


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_text_reply(to_user: str, from_user: str, content: str, create_time: int) -> str:
    """The passive text reply WeChat expects (``to_user`` is the sender of the incoming message)."""
    return (
        "<xml>"
        f"<ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{_cdata(_XML_ILLEGAL.sub('', content))}</Content>"
        "</xml>"
    )


def short_id(user_id: str) -> str:
    """A stable, non-reversible tag for logs: never log a full OpenID."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:10]


def first_missing(values: Sequence[tuple[str, object]]) -> list[str]:
    """Names of the settings that are empty (for the 'not configured' log line; values never logged)."""
    return [name for name, value in values if not value]
