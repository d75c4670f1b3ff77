"""What a rule returns (a trace of checks) and what ``evaluate`` hands out (rendered results)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

OUTCOMES = ("eligible", "not_eligible", "need_info", "refer", "not_applicable")
STATUSES = ("passed", "failed", "unknown")

# How a failed check decides the outcome:
#   gate    - the program is about someone else (a Ningbo-hukou child, not a sanitation worker…): not_applicable
#   require - a condition the text sets: not_eligible
#   refer   - the text leaves the decision or a threshold to a department (一定年限, 适当放宽, 按条件):
#             status is always "unknown" and the outcome at best is refer
EFFECTS = ("gate", "require", "refer")


@dataclass(frozen=True)
class Check:
    """One condition as a rule evaluated it. Wording, clause id and quote come from texts.yaml by key."""

    key: str
    status: str
    effect: str = "require"
    fields: tuple[str, ...] = ()  # profile paths the condition rests on (reported as missing when unknown)
    values: dict[str, Any] = field(default_factory=dict)  # named fields for the Chinese templates
    counterfactual: bool = False  # a failed numeric/date gap: texts.yaml has a counterfactual template


def check(key: str, ok: bool | None, *, effect: str = "require", fields: tuple[str, ...] = (),
          counterfactual: bool = False, **values) -> Check:
    """``ok`` True/False/None → passed/failed/unknown; a refer check is always unknown."""
    if effect == "refer":
        status = "unknown"
    else:
        status = "unknown" if ok is None else ("passed" if ok else "failed")
    return Check(key, status, effect, tuple(fields), values, counterfactual and status == "failed")


@dataclass(frozen=True)
class Trace:
    """A rule's answer before rendering: the checks in order, note keys, template values."""

    checks: tuple[Check, ...]
    notes: tuple[str, ...] = ()  # keys of extra notes (texts.yaml programs.<id>.notes)
    values: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None  # e.g. "children[1]" when the program is about one of several children


def decide(checks) -> str:
    statuses = [(c.effect, c.status) for c in checks]
    if ("gate", "failed") in statuses:
        return "not_applicable"
    if ("require", "failed") in statuses:
        return "not_eligible"
    if ("gate", "unknown") in statuses or ("require", "unknown") in statuses:
        return "need_info"
    if any(e == "refer" for e, _ in statuses):
        return "refer"
    return "eligible"


@dataclass(frozen=True)
class Reason:
    condition: str  # stable key, e.g. parent_medical_months
    status: str  # passed | failed | unknown
    clause_id: str
    quote: str  # verbatim from the clause
    explanation: str  # Chinese, with the worker's own figures
    label: str = ""  # short Chinese name of the condition
    refer: bool = False  # the text leaves this to a department


@dataclass(frozen=True)
class Note:
    clause_id: str
    quote: str
    explanation: str


@dataclass(frozen=True)
class ProgramResult:
    program: str
    title: str
    outcome: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()  # profile field paths whose answer could change the outcome
    next_steps: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()  # responsible / lead departments of the cited clauses
    supporting_departments: tuple[str, ...] = ()
    counterfactual: str | None = None  # smallest change to become eligible (numeric/date gaps only)
    refer_words: tuple[str, ...] = ()  # the source's words that leave the decision open
    summary: str = ""  # one Chinese sentence for the outcome
    notes: tuple[Note, ...] = ()
    subject: str | None = None
    kind: str = "program"  # program | guidance

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("reasons", "missing", "next_steps", "departments", "supporting_departments",
                  "refer_words", "notes"):
            d[k] = list(d[k])
        return d
