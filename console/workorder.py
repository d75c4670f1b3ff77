"""The 工单 (hotline work order) draft: plain text staff edit before filing it.

    text = draft(view.facts, view.results, [view.clause], transcript=[("caller", "我孩子四岁了…")],
                 meta={"channel": "hotline", "sender_id": "13912345678", "staff": "王芳", "time": now})

The layout is a Jinja2 text template in console/data/workorder.yaml (来电/来源, 诉求类别, 诉求摘要, 已核实情况,
政策依据, 答复意见, 办理部门, 处理人, 时间) and every word in it comes from that file, eligibility or knowledge.
Phone and ID numbers are masked in the whole draft (console.masking). Rows, results and clauses may be the
Assist / Check views' dataclasses or plain dicts (a handed-off conversation's summary): fields are read by
name from either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import yaml

import knowledge
from console.check import DATA, outcome_label
from console.masking import mask

ZONE = ZoneInfo("Asia/Shanghai")  # the hotline's clock, for timestamps


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load((DATA / "workorder.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=False)
    return env.from_string(words()["template"])


def _get(item: Any, *names: str, default: Any = "") -> Any:
    """The first of ``names`` that ``item`` has (a dataclass attribute or a dict key) and is not empty."""
    for name in names:
        value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
        if value not in (None, "", ()):
            return value
    return default


# ---------------------------------------------------------------------------------------------- the fields
def source_line(meta: Mapping[str, Any]) -> str:
    w = words()
    channel = meta.get("channel") or ""
    name = w["channels"].get(channel, channel) or w["none"]
    sender = meta.get("sender_id")
    return w["source"].format(channel=name, sender=sender) if sender else name


def caller_summary(transcript: Sequence[tuple[str, str]]) -> str:
    """The caller's messages, masked, joined, cut to summary_chars (…)."""
    w = words()
    said = [mask(text.strip()).rstrip("。，,.；;") for who, text in transcript
            if who in w["caller_roles"] and text and text.strip()]
    summary = w["summary_separator"].join(said)
    limit = int(w["summary_chars"])
    return summary if len(summary) <= limit else summary[:limit] + w["ellipsis"]


def fact_lines(rows: Sequence[Any]) -> list[str]:
    w = words()
    out = []
    for row in rows:
        template = w["fact_source_edited"] if _get(row, "source") == "edited" else w["fact"]
        out.append(template.format(label=_get(row, "label", "path"), value=_get(row, "display", "value")))
    return out


def _clause_id(clause: Any) -> str:
    return str(_get(clause, "clause_id", "id"))


def basis_lines(clauses: Sequence[Any]) -> list[str]:
    """One line per clause cited (each once): 《document》article（clause id）."""
    out: list[str] = []
    for clause in clauses:
        line = words()["basis"].format(doc_title=_get(clause, "doc_title"), article=_get(clause, "article"),
                                       clause_id=_clause_id(clause))
        if line not in out:
            out.append(line)
    return out


def reply_lines(results: Sequence[Any]) -> list[str]:
    """One line per verdict: title (child), outcome, summary."""
    w = words()
    out = []
    for r in results:
        outcome = _get(r, "outcome_label") or outcome_label(str(_get(r, "outcome")))
        subject = _get(r, "subject_label")
        template = w["reply_subject"] if subject else w["reply"]
        out.append(template.format(title=_get(r, "title", "program"), subject=subject, outcome=outcome,
                                   summary=_get(r, "summary")).rstrip())
    return out


def staff_reply_lines(transcript: Sequence[tuple[str, str]]) -> list[str]:
    """What staff answered the worker in the conversation, one line each (after the verdicts)."""
    w = words()
    return [w["staff_reply"].format(text=text.strip()) for who, text in transcript
            if who in w["staff_roles"] and text and text.strip()]


def departments(results: Sequence[Any], clauses: Sequence[Any]) -> list[str]:
    """The departments named: the verdicts' own, then each clause's responsible / lead departments."""
    names: list[str] = []
    for r in results:
        names += list(_get(r, "departments", default=()))
    for clause in clauses:
        try:
            depts = knowledge.get_clause(_clause_id(clause)).departments or {}
        except KeyError:
            continue
        names += list(depts.get("responsible") or []) + list(depts.get("lead") or [])
    return list(dict.fromkeys(n for n in names if n))


def category(results: Sequence[Any], clauses: Sequence[Any]) -> str:
    w = words()
    topics = [str(_get(r, "title")) for r in results if _get(r, "title")] or \
        [str(_get(c, "heading", "article")) for c in clauses if _get(c, "heading", "article")]
    topics = list(dict.fromkeys(topics))
    return w["category"].format(topics=w["separator"].join(topics)) if topics else w["category_plain"]


def time_text(when: Any) -> str:
    """A datetime, a Unix timestamp (shown on the hotline's clock) or text as it is."""
    if isinstance(when, (int, float)):
        when = datetime.fromtimestamp(float(when), ZONE)
    if isinstance(when, datetime):
        return when.strftime(words()["time_format"])
    return str(when or "")


# ---------------------------------------------------------------------------------------------- the draft
def draft(facts: Sequence[Any], results: Sequence[Any], clauses: Sequence[Any],
          transcript: Sequence[tuple[str, str]], meta: Mapping[str, Any]) -> str:
    """The work order as text. ``meta``: channel, sender_id, staff, time (datetime, timestamp or text)."""
    clauses = [c for c in clauses if c is not None]
    text = _template().render(
        source=source_line(meta), category=category(results, clauses),
        summary=caller_summary(transcript) or words()["none"],
        facts=fact_lines(facts), basis=basis_lines(clauses),
        replies=reply_lines(results) + staff_reply_lines(transcript),
        departments=words()["separator"].join(departments(results, clauses)) or words()["none"],
        staff=meta.get("staff") or words()["none"], time=time_text(meta.get("time")) or words()["none"],
        nothing=words()["none"],
    )
    return mask(text)


def from_conversation(view: Any, staff: Any, now: float) -> str:
    """The draft for a handed-off conversation (console.conversation.ConversationView): its summary's
    facts, outcomes and clauses, the worker's lines, the channel and the staff member's name."""
    transcript = [(line.who, line.text) for line in view.lines if line.text]
    meta = {"channel": view.channel, "sender_id": view.sender_id,
            "staff": _get(staff, "display_name", "username"), "time": now}
    return draft(view.facts, view.outcomes, view.clauses, transcript, meta)
