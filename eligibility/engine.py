"""The eligibility core's calls (docs/contracts.md):

* ``assess(profile, programs)`` → one ``Assessment`` per programme (per child for child programmes): the
  outcome, the missing facts and every check with its status, without any wording. What the dialogue, the
  console and ``next_questions`` reason about.
* ``evaluate(profile, programs)`` → the same, rendered: ``ProgramResult`` with Chinese explanations.
* ``next_questions(profile, programs)`` → the facts worth asking, most decisive first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from . import texts as T
from .clauses import departments
from .profile import Child, Profile
from .result import Check, Note, ProgramResult, Reason, Trace, decide
from .rules import PROGRAMS

# The order results come in (the order of the measures) and each programme's kind: programmes.yaml.
PROGRAM_IDS = tuple(pid for pid, r in PROGRAMS.items() if r.kind == "program")
GUIDANCE_IDS = tuple(pid for pid, r in PROGRAMS.items() if r.kind == "guidance")
ALL_IDS = PROGRAM_IDS + GUIDANCE_IDS


def topics(kind: str | None = None, asker: str | None = None) -> dict[str, tuple[str, ...]]:
    """Topic intent -> the programmes (or the guidance topic) that answer it, in registry order; ``kind``
    ("program" / "guidance") keeps only the topics of that kind, ``asker`` ("worker" / "enterprise") only
    the programmes that asker asks about."""
    out: dict[str, tuple[str, ...]] = {}
    for pid, r in PROGRAMS.items():
        if r.topic and kind in (None, r.kind) and asker in (None, r.asker):
            out[r.topic] = out.get(r.topic, ()) + (pid,)
    return out


class UnknownProgram(KeyError):
    pass


def _program_ids(programs: Iterable[str] | None) -> tuple[str, ...]:
    if programs is None:
        return ALL_IDS
    ids = tuple(programs)
    for pid in ids:
        if pid not in PROGRAMS:
            raise UnknownProgram(f"unknown program {pid!r} (known: {', '.join(ALL_IDS)})")
    return ids


@dataclass(frozen=True)
class Assessment:
    """One programme's decision before wording: ``checks`` hold each condition's key, status
    (passed / failed / unknown), effect and the fact paths it rests on."""

    program: str
    kind: str  # program | guidance
    outcome: str  # eligible | not_eligible | need_info | refer | not_applicable
    missing: tuple[str, ...]  # fact paths whose answer could change the outcome, most decisive first
    checks: tuple[Check, ...]
    subject: str | None = None  # "children[1]" when the programme is about one of several children
    trace: Trace | None = field(default=None, repr=False, compare=False)  # for rendering

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)

    def conditions_on(self, path: str) -> tuple[Check, ...]:
        """The checks that rest on one fact (为什么问这个: the condition that needs it)."""
        return tuple(c for c in self.checks if path in c.fields)


def assess(profile: Profile, programs: Iterable[str] | None = None,
           as_of: date | None = None) -> list[Assessment]:
    """Run ``programs`` (default: all, guidance topics included) on ``profile`` for ``as_of`` (default
    ``profile.as_of``); no wording. Raises ``UnknownProgram`` for an id not in the registry."""
    return [Assessment(pid, PROGRAMS[pid].kind, outcome_of(pid, t), missing_fields(t), t.checks, t.subject, t)
            for pid, t in _traces(profile, programs, as_of)]


def _traces(profile: Profile, programs: Iterable[str] | None = None,
            as_of: date | None = None) -> list[tuple[str, Trace]]:
    as_of = as_of or profile.as_of
    out = []
    for pid in _program_ids(programs):
        r = PROGRAMS[pid]
        if not r.per_child:
            out.append((pid, r.func(profile, as_of)))
        elif profile.children is None:  # unknown: reason about "the child being asked about"
            out.append((pid, r.func(profile, Child(), as_of)))
        elif not profile.children:
            out.append((pid, r.func(profile, None, as_of)))
        else:
            many = len(profile.children) > 1
            for i, child in enumerate(profile.children):
                t = r.func(profile, child, as_of)
                if many:
                    t = Trace(t.checks, t.notes, t.values, subject=f"children[{i}]")
                out.append((pid, t))
    return out


def evaluate(profile: Profile, programs: Iterable[str] | None = None,
             as_of: date | None = None) -> list[ProgramResult]:
    """Evaluate ``programs`` (default: all, incl. guidance topics) for ``profile`` on ``as_of``
    (default ``profile.as_of``). Child programs give one result per child (``subject`` names it)."""
    return [render(a.program, a.trace, as_of or profile.as_of) for a in assess(profile, programs, as_of)]


def outcome_of(pid: str, trace: Trace) -> str:
    return "refer" if PROGRAMS[pid].kind == "guidance" else decide(trace.checks)


def missing_fields(trace: Trace) -> tuple[str, ...]:
    """Unknown facts that could change the outcome: gates first (they alone can decide not_applicable)."""
    if decide(trace.checks) != "need_info":
        return ()
    out: list[str] = []
    for effect in ("gate", "require"):
        for c in trace.checks:
            if c.effect == effect and c.status == "unknown":
                out += [f for f in c.fields if f not in out]
    return tuple(out)


def next_questions(profile: Profile, programs: Iterable[str] | None = None,
                   as_of: date | None = None) -> list[str]:
    """Field paths worth asking, most decisive first: facts that alone can rule a program out
    (not_applicable) before the rest, then facts needed by more programs, then the rules' own order."""
    score: dict[str, list] = {}
    order = 0
    for a in assess(profile, programs, as_of):
        if a.outcome != "need_info":
            continue
        for c in a.checks:
            if c.status != "unknown" or c.effect == "refer":
                continue
            for f in c.fields:
                s = score.setdefault(f, [1, 0, order])
                s[0] = min(s[0], 0 if c.effect == "gate" else 1)
                s[1] -= 1
                order += 1
    return sorted(score, key=lambda f: tuple(score[f]))


# ---------------------------------------------------------------- rendering (wording from texts.yaml)
def render(pid: str, trace: Trace, as_of: date) -> ProgramResult:
    spec = T.program(pid)
    outcome = outcome_of(pid, trace)
    base = T.display(_labelled({"as_of": as_of, **trace.values}))
    reasons = tuple(_reason(spec, c, base) for c in trace.checks)
    notes = tuple(_note(spec, key, base) for key in trace.notes)
    cited = [r.clause_id for r in reasons] or [n.clause_id for n in notes]
    main, supporting = departments(cited)
    values = T.display({**base, "departments": "、".join(main)})
    refer_words: list[str] = []
    for c in trace.checks:
        if c.effect == "refer":
            refer_words += [w for w in spec["conditions"][c.key].get("refer_words", ()) if w not in refer_words]
    counterfactual = None
    if outcome == "not_eligible":
        failed = [c for c in trace.checks if c.status == "failed"]
        if all(c.counterfactual for c in failed):
            counterfactual = "；".join(
                T.fill(spec["conditions"][c.key]["counterfactual"],
                       T.display({**values, **_labelled(c.values)})) for c in failed)
    refer_values = T.display({**values, "words": "、".join(f"“{w}”" for w in refer_words)})
    steps = tuple(T.fill(s, refer_values) for s in spec.get("next_steps", {}).get(outcome, ()))
    summary = T.fill(spec["summary"][outcome], refer_values)
    return ProgramResult(
        program=pid, title=spec["title"], outcome=outcome, reasons=reasons,
        missing=missing_fields(trace), next_steps=steps, departments=main, supporting_departments=supporting,
        counterfactual=counterfactual, refer_words=tuple(refer_words), summary=summary, notes=notes,
        subject=trace.subject, kind=PROGRAMS[pid].kind,
    )


def _reason(spec: dict, c: Check, base: dict) -> Reason:
    cond = spec["conditions"][c.key]
    variant = c.values.get("variant")
    template = cond.get(f"{c.status}_{variant}") if variant else None
    if template is None:
        template = cond[c.status]
    values = T.display({**base, **_labelled(c.values)})
    return Reason(condition=c.key, status=c.status, clause_id=cond["clause"], quote=cond["quote"],
                  explanation=T.fill(template, values), label=T.fill(cond["label"], values),
                  refer=c.effect == "refer")


def _note(spec: dict, key: str, values: dict) -> Note:
    n = spec["notes"][key]
    return Note(clause_id=n["clause"], quote=n["quote"], explanation=T.fill(n["text"], values))


_LABELLED = {"skill": "skill_level", "title": "professional_title", "skill_title": "professional_title",
             "school": "technical_school_class", "equivalent": "education", "hardship": "student.family_hardship",
             "occupation": "occupation"}


def _labelled(values: dict) -> dict:
    """Enum values shown in Chinese: {skill} → 高级工 etc."""
    out = dict(values)
    for k, kind in _LABELLED.items():
        if k in out and out[k] is not None:
            out[k] = T.label(kind, out[k])
    return out
