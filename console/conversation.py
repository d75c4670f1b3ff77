"""A handed-off conversation as staff see it, from Rasa's tracker JSON and the staff channel's queue rows.

Pure functions (no web framework, no I/O): the transcript (who said what: worker, bot, staff, the channel's
own lines), the hand-off summary (facts with their Chinese labels, verdicts, clauses quoted), the channel
and, for WeChat, the 48-hour window in which a customer-service message can still reach the worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from console import check
from console.masking import mask

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("Asia/Shanghai")  # the hotline's clock
WECHAT_WINDOW = 48 * 3600  # seconds after the worker's last message in which WeChat accepts a reply
WECHAT_CHANNELS = ("wechat", "wecom")
PREVIEW_CHARS = 60


@cache
def _words() -> dict[str, Any]:
    return yaml.safe_load((HERE / "data" / "conversation.yaml").read_text(encoding="utf-8"))


def clock(ts: float | None) -> str:
    if not ts:
        return ""
    return datetime.fromtimestamp(float(ts), ZONE).strftime("%m-%d %H:%M")


def waited(seconds: float) -> str:
    w = _words()["waited"]
    seconds = max(0, int(seconds))
    if seconds < 60:
        return w["seconds"].format(n=seconds)
    if seconds < 3600:
        return w["minutes"].format(n=seconds // 60)
    if seconds < 86400:
        return w["hours"].format(n=seconds // 3600, m=seconds % 3600 // 60)
    return w["days"].format(n=seconds // 86400, h=seconds % 86400 // 3600)


def channel_label(channel: str | None) -> str:
    return _words()["channels"].get(channel or "", channel or _words()["channels"]["unknown"])


def subject_label(reason: str | None, topic: str | None) -> str:
    """What the worker was asking about: the programme's title for a topic (ask_child_medical_insurance →
    外来劳动者子女参加宁波城乡居民医保), else why the bot handed over."""
    from eligibility import topics
    from eligibility.texts import program

    programmes = topics().get(topic or "") or ((topic,) if topic else ())
    for pid in programmes:
        try:
            title = program(pid).get("title")
        except KeyError:
            continue
        if title:
            return title
    reasons = _words()["reasons"]
    return reasons.get(reason or "", reasons["unknown"])


def fact_label(path: str) -> str:
    """A fact's Chinese label; for a summary field that is no fact (a dialogue flag, an older bot's field)
    the words of conversation.yaml, else the path itself."""
    try:
        return check.fact_label(path)
    except KeyError:
        return _words()["facts"].get(path, path)


def fact_rows(facts: dict[str, Any]) -> list[dict]:
    rows = []
    for path, value in facts.items():
        if value is None:
            continue
        try:
            shown = check.display_value(path, value)
        except KeyError:
            shown = str(value)
        rows.append({"path": path, "label": fact_label(path), "value": shown})
    return rows


def queue_rows(rows: list[dict], claims: dict) -> list[dict]:
    """The staff channel's rows (newest hand-off first) with who claimed each; previews masked."""
    out = []
    for r in rows:
        claim = claims.get(r["sender_id"])
        out.append({
            **r,
            "channel_label": channel_label(r.get("channel")),
            "subject": subject_label(r.get("reason"), r.get("topic")),
            "preview": mask((r.get("last_user_text") or "")[:PREVIEW_CHARS]),
            "claimed_by": claim.staff.display_name if claim else None,
            "sender_masked": mask(r["sender_id"]),
        })
    return out


@dataclass
class Line:
    who: str            # worker | bot | staff | channel | event
    text: str
    at: float | None
    name: str = ""      # the staff member, for staff lines
    kind: str = ""      # handoff | release, for events


@dataclass
class ConversationView:
    sender_id: str
    channel: str | None
    channel_label: str
    paused: bool
    lines: list[Line]
    last_user_at: float | None
    handed_off_at: float | None
    summary: dict
    facts: list[dict]
    outcomes: list[dict]
    clauses: list[dict]
    window_ends_at: float | None = None       # WeChat only
    window_open: bool = True
    worker_messages: list[str] = field(default_factory=list)


def transcript(events: list[dict]) -> list[Line]:
    lines: list[Line] = []
    for e in events:
        kind = e.get("event")
        at = e.get("timestamp")
        if kind == "user" and e.get("text"):
            lines.append(Line("worker", e["text"], at))
        elif kind == "bot" and e.get("text"):
            meta = e.get("metadata") or {}
            said_by = meta.get("said_by")
            if said_by == "staff":
                lines.append(Line("staff", e["text"], at, name=str(meta.get("staff") or "")))
            elif said_by == "channel":
                lines.append(Line("channel", e["text"], at))
            else:
                lines.append(Line("bot", e["text"], at))
        elif kind == "pause":
            lines.append(Line("event", "", at, kind="handoff"))
        elif kind == "resume":
            lines.append(Line("event", "", at, kind="release"))
    return lines


def _clause_rows(ids: list[str]) -> list[dict]:
    from knowledge import get_clause

    rows = []
    for cid in ids:
        try:
            c = get_clause(cid)
        except KeyError:
            rows.append({"id": cid, "doc_title": "", "article": "", "text": ""})
            continue
        rows.append({"id": c.id, "doc_title": c.doc_title, "doc_status": c.doc_status, "article": c.article,
                     "text": c.text})
    return rows


def conversation_view(sender_id: str, tracker: dict, now: float) -> ConversationView:
    events = tracker.get("events") or []
    users = [e for e in events if e.get("event") == "user"]
    last_user = users[-1] if users else {}
    channel = last_user.get("input_channel")
    pauses = [e for e in events if e.get("event") in ("pause", "resume")]
    paused = bool(tracker.get("paused")) if "paused" in tracker else bool(pauses and pauses[-1]["event"] == "pause")
    handed_off_at = next((e.get("timestamp") for e in reversed(pauses) if e["event"] == "pause"), None)
    summary = (tracker.get("slots") or {}).get("handoff_summary") or {}
    last_user_at = last_user.get("timestamp")
    view = ConversationView(
        sender_id=sender_id, channel=channel, channel_label=channel_label(channel), paused=paused,
        lines=transcript(events), last_user_at=last_user_at, handed_off_at=handed_off_at, summary=summary,
        facts=fact_rows(summary.get("facts") or {}), outcomes=list(summary.get("outcomes") or []),
        clauses=_clause_rows(list(summary.get("clauses") or [])),
        worker_messages=[u["text"] for u in users if u.get("text")],
    )
    if channel in WECHAT_CHANNELS and last_user_at:
        view.window_ends_at = float(last_user_at) + WECHAT_WINDOW
        view.window_open = now < view.window_ends_at
    return view


def workorder_text(view: ConversationView, staff: Any, now: float) -> str:
    from console import workorder

    return workorder.from_conversation(view, staff, now)
