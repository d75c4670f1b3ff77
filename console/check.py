"""The Check page: a form generated from the fact schema, its parsing, and every programme's verdict with
its full trace.

    fields = form_fields(as_of=date(2026, 12, 1))       # one FieldSpec per fact a person can fill
    parsed = parse_form({"hukou": "other", "children[0].age": "4", "employee_medical_months": "8"})
    parsed.profile, parsed.errors                       # a Profile, or None and {name: Chinese message}
    check_view(parsed.profile, as_of=date(2026, 12, 1)).results[0].outcome_label

Labels, choices and ranges come from eligibility/facts.yaml (eligibility.schema), verdicts and their
wording from eligibility.evaluate (texts.yaml), the console's own words from console/data/labels.yaml.
Values are checked by the Profile itself (ProfileError), so the form accepts what the CLI and the dialogue
accept; its errors are mapped back to the form's field names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eligibility import PROGRAM_IDS, Profile, ProfileError, evaluate, schema
from eligibility import texts as T

DATA = Path(__file__).resolve().parent / "data"
CHILD_SLOTS = 2  # children on the form: children[0].…, children[1].…
TOP = "top"
YES, NO = "yes", "no"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INDEXED = re.compile(r"^(?P<head>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


@lru_cache(maxsize=1)
def labels() -> dict:
    """console/data/labels.yaml: the console's own wording."""
    return yaml.safe_load((DATA / "labels.yaml").read_text(encoding="utf-8"))


def word(key: str, **values: Any) -> str:
    """One entry of labels.yaml (dotted key), its {fields} filled."""
    node: Any = labels()
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if values else node


# ---------------------------------------------------------------------------------------------- values
def show_number(x: float | int | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def unit_of(path: str) -> str:
    units = labels()["units"]
    kind = schema.fact(path).kind if path in schema.facts() else ""
    return units["paths"].get(path) or units["kinds"].get(kind, "")


def _fact_kind_label(path: str) -> tuple[str, str]:
    if path in schema.facts():
        f = schema.fact(path)
        return f.kind, f.label
    extra = T.texts().get("dialogue_facts", {})[path]  # facts the reader gives that are no Profile field
    return extra["kind"], extra["label"]


def fact_label(path: str) -> str:
    """The Chinese label of a fact path (facts.yaml, or texts.yaml dialogue_facts for work_months)."""
    return _fact_kind_label(path)[1]


def display_value(path: str, value: Any, vague: bool = False) -> str:
    """A fact's value as staff read it: 是 / 否, a choice's label, 20个月, 4周岁; ``vague``: 至少24个月."""
    formats = T.texts()["formats"]
    kind, _ = _fact_kind_label(path)
    if kind == "yes_no":
        shown = formats[YES if value else NO]
    elif kind == "choice":
        shown = T.label(path, value)
    elif kind == "months":
        shown = formats["months"].format(value=show_number(value))
    elif kind == "number":
        shown = show_number(value) + (unit_of(path) if path in schema.facts() else "")
    elif isinstance(value, date):
        shown = T.display({"v": value})["v"]
    else:
        shown = str(value)
    return formats["at_least"].format(value=shown) if vague else shown


# ---------------------------------------------------------------------------------------------- the form
@dataclass(frozen=True)
class FieldSpec:
    path: str                    # the schema path: children.age
    name: str                    # the form's field name: children[0].age
    label: str                   # 孩子周岁
    kind: str                    # yes_no | months | number | choice | text | date
    group: str                   # top | children[0] | children[1] | student | employer
    group_label: str             # 本人情况 / 第1个孩子 / 学生（职业院校） / 用人单位
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); yes_no: (yes, 是), (no, 否); "" is unknown
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False          # months and headcounts: whole numbers only
    unit: str = ""               # 个月 / 年 / 周岁 / % / 人
    default: str = ""            # as_of: the date the answer is for (given by the caller)
    why: str | None = None       # why the dialogue asks it (facts.yaml), a hint for staff

    @property
    def full_label(self) -> str:
        """The label with its child: 孩子周岁（第2个孩子）."""
        m = _INDEXED.match(self.name)
        if m and schema.fact(m["head"]).kind == "list":
            return word("child_field", label=self.label, n=int(m["index"]) + 1)
        return self.label


def _choices(f: schema.Fact) -> tuple[tuple[str, str], ...]:
    if f.kind == "yes_no":
        formats = T.texts()["formats"]
        return ((YES, formats[YES]), (NO, formats[NO]))
    return tuple(f.choices.items())


def _spec(f: schema.Fact, name: str, group: str, group_label: str, default: str = "") -> FieldSpec:
    return FieldSpec(path=f.path, name=name, label=f.label, kind=f.kind, group=group, group_label=group_label,
                     choices=_choices(f), minimum=f.minimum, maximum=f.maximum,
                     whole=f.whole or f.kind == "months", unit=unit_of(f.path), default=default, why=f.why)


def form_fields(as_of: date | None = None, child_slots: int = CHILD_SLOTS) -> list[FieldSpec]:
    """One field per fact a person can fill, in facts.yaml order: the top-level facts (as_of first, with
    ``as_of`` as its default), then each child slot, the student and the employer."""
    out: list[FieldSpec] = []
    containers = []
    for f in schema.top_level():
        if f.kind in ("list", "object"):
            containers.append(f)
            continue
        default = as_of.isoformat() if f.kind == "date" and as_of else ""
        out.append(_spec(f, f.path, TOP, word("groups.top"), default))
    for c in containers:
        groups = [(f"{c.path}[{i}]", word("groups.child", n=i + 1)) for i in range(child_slots)] \
            if c.kind == "list" else [(c.path, c.label)]
        for group, group_label in groups:
            out += [_spec(f, f"{group}.{f.name}", group, group_label) for f in schema.children_of(c.path)]
    return out


# ---------------------------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class Parsed:
    profile: Profile | None           # None when any value is bad
    values: dict[str, Any]            # form name -> typed value (filled and valid fields only)
    errors: dict[str, str]            # form name -> Chinese message naming the field and what is allowed


class BadValue(ValueError):
    """A value that does not parse as its field's kind (the message is the field's Chinese error)."""


def error_message(spec: FieldSpec) -> str:
    """What staff read when a value is wrong: the field's label and what it accepts (its range)."""
    lo, hi = show_number(spec.minimum), show_number(spec.maximum)
    unit = word("errors.unit", unit=spec.unit) if spec.unit else ""
    values = {"label": spec.full_label, "minimum": lo, "maximum": hi, "unit": unit}
    if spec.kind == "months":
        return word("errors.months", **values)
    if spec.kind == "number":
        if spec.minimum is not None and spec.maximum is not None:
            return word("errors.range_whole" if spec.whole else "errors.range", **values)
        return word("errors.minimum", **values) if spec.minimum is not None else word("errors.number", **values)
    if spec.kind == "choice":
        names = word("errors.choice_separator").join(label for _, label in spec.choices)
        return word("errors.choice", label=spec.full_label, choices=names)
    return word(f"errors.{spec.kind}", label=spec.full_label)


def _one(raw: str | Sequence[str] | None) -> str:
    """A form value: the last of a repeated field, stripped."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = raw[-1] if raw else ""
    return str(raw).strip()


def parse_value(spec: FieldSpec, raw: str) -> Any:
    """A typed value from the text of a field ("" -> None: unknown); BadValue when it does not parse.
    Numbers may be written in full-width digits and end with the field's unit (14个月)."""
    raw = raw.strip()
    if raw == "":
        return None
    if spec.kind == "yes_no":
        if raw not in (YES, NO):
            raise BadValue(error_message(spec))
        return raw == YES
    if spec.kind in ("months", "number"):
        text = unicodedata.normalize("NFKC", raw).replace(",", "")
        if spec.unit and text.endswith(spec.unit):
            text = text[: -len(spec.unit)].strip()
        if not _NUMBER.fullmatch(text):
            raise BadValue(error_message(spec))
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if spec.kind == "date":
        try:
            return date.fromisoformat(unicodedata.normalize("NFKC", raw))
        except ValueError as e:
            raise BadValue(error_message(spec)) from e
    return raw  # choice and text: the Profile checks a choice


@lru_cache(maxsize=4)
def _specs(child_slots: int) -> dict[str, FieldSpec]:
    return {s.name: s for s in form_fields(child_slots=child_slots)}


def _nest(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Profile data from form names, and the Profile's own error paths (children[0].age, with the index
    of the list as built) -> form names (the slot the staff filled)."""
    data: dict[str, Any] = {}
    slots: dict[str, dict[int, dict]] = {}
    for name, value in values.items():
        m = _INDEXED.match(name)
        if m:
            slots.setdefault(m["head"], {}).setdefault(int(m["index"]), {})[m["field"]] = value
        elif "." in name:
            head, _, rest = name.partition(".")
            data.setdefault(head, {})[rest] = value
        else:
            data[name] = value
    paths = {name: name for name in values}
    for head, items in slots.items():
        data[head] = []
        for built, (slot, item) in enumerate(sorted(items.items())):
            data[head].append(item)
            for f in item:
                paths[f"{head}[{built}].{f}"] = f"{head}[{slot}].{f}"
    return data, paths


def parse_form(form: Mapping[str, str | Sequence[str]], *, as_of: date | None = None,
               ignore: Sequence[str] = (), child_slots: int = CHILD_SLOTS) -> Parsed:
    """The Profile a submitted Check form describes. Empty fields are unknown; ``as_of`` is the date when
    the form leaves its date empty; names in ``ignore`` (a CSRF token, the button) are skipped; any other
    name the form does not have is an error."""
    specs = _specs(child_slots)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, raw in form.items():
        if name in ignore:
            continue
        spec = specs.get(name)
        if spec is None:
            errors[name] = word("errors.unknown_field", name=name)
            continue
        try:
            value = parse_value(spec, _one(raw))
        except BadValue as e:
            errors[name] = str(e)
            continue
        if value is not None:
            values[name] = value
    data, paths = _nest(values)
    if as_of is not None:
        data.setdefault("as_of", as_of)
    try:
        profile = Profile.from_dict(data)
    except ProfileError as e:
        profile = None
        for path, message in e.errors:
            name = paths.get(path, path)
            errors[name] = error_message(specs[name]) if name in specs else message
            values.pop(name, None)
    order = {name: i for i, name in enumerate(specs)}
    errors = dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))
    return Parsed(profile if not errors else None, values, errors)


# ---------------------------------------------------------------------------------------------- verdicts
@dataclass(frozen=True)
class ReasonView:
    condition: str
    label: str
    status: str                  # passed | failed | unknown
    status_label: str            # 满足 / 不满足 / 待了解
    clause_id: str
    quote: str                   # verbatim from the clause
    explanation: str
    refer: bool                  # the text leaves it to a department
    refer_label: str = ""        # 由主管部门认定 when refer


@dataclass(frozen=True)
class NoteView:
    clause_id: str
    quote: str
    explanation: str


@dataclass(frozen=True)
class ResultView:
    program: str
    title: str
    kind: str                    # program | guidance
    outcome: str
    outcome_label: str           # 符合 / 不符合 / 还需要了解 / 需向部门确认 / 不适用
    summary: str
    reasons: tuple[ReasonView, ...]
    missing: tuple[str, ...]     # Chinese labels of the facts that could change the outcome
    missing_paths: tuple[str, ...]
    counterfactual: str | None
    departments: tuple[str, ...]
    supporting_departments: tuple[str, ...]
    next_steps: tuple[str, ...]
    notes: tuple[NoteView, ...]
    refer_words: tuple[str, ...]
    subject: str | None = None   # children[1] when one of several children
    subject_label: str = ""      # 第2个孩子

    @property
    def decisive_clause(self) -> str | None:
        """The clause the verdict rests on: the first failed condition, else the first unknown, else the
        first condition (as the chat quotes it); a guidance topic's first note."""
        for status in ("failed", "unknown", "passed"):
            for r in self.reasons:
                if r.status == status and r.clause_id:
                    return r.clause_id
        return self.notes[0].clause_id if self.notes else None


@dataclass(frozen=True)
class CheckView:
    as_of: date
    results: tuple[ResultView, ...]
    counts: dict[str, int] = field(default_factory=dict)  # outcome -> number of results

    @property
    def applicable(self) -> tuple[ResultView, ...]:
        return tuple(r for r in self.results if r.outcome != "not_applicable")


def outcome_label(outcome: str) -> str:
    return word(f"outcomes.{outcome}")


def subject_label(subject: str | None) -> str:
    m = re.fullmatch(r"children\[(\d+)\]", subject or "")
    return word("subject_child", n=int(m[1]) + 1) if m else ""


def _reason(r) -> ReasonView:
    return ReasonView(condition=r.condition, label=r.label, status=r.status,
                      status_label=word(f"statuses.{r.status}"), clause_id=r.clause_id, quote=r.quote,
                      explanation=r.explanation, refer=r.refer, refer_label=word("refer") if r.refer else "")


def result_view(result) -> ResultView:
    """One ProgramResult as the staff pages show it."""
    return ResultView(
        program=result.program, title=result.title, kind=result.kind, outcome=result.outcome,
        outcome_label=outcome_label(result.outcome), summary=result.summary,
        reasons=tuple(_reason(r) for r in result.reasons),
        missing=tuple(fact_label(p) for p in result.missing), missing_paths=tuple(result.missing),
        counterfactual=result.counterfactual, departments=tuple(result.departments),
        supporting_departments=tuple(result.supporting_departments), next_steps=tuple(result.next_steps),
        notes=tuple(NoteView(n.clause_id, n.quote, n.explanation) for n in result.notes),
        refer_words=tuple(result.refer_words), subject=result.subject, subject_label=subject_label(result.subject),
    )


def check_view(profile: Profile, as_of: date, programs: Sequence[str] | None = None) -> CheckView:
    """Every programme (default: PROGRAM_IDS, in registry order; child programmes once per child) on
    ``profile`` for ``as_of``, each with its full trace."""
    results = tuple(result_view(r) for r in evaluate(profile, programs=programs or PROGRAM_IDS, as_of=as_of))
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    return CheckView(as_of=as_of, results=results, counts=counts)
