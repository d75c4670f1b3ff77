"""The worker's facts: one frozen model shared by the dialogue, the staff console and the tests.

Every fact is optional: ``None`` means *unknown*, which is a real state the rules reason about (it leads
to ``need_info``), never a silent default. Validation is our own (no pydantic) so the model behaves the
same under pydantic 1 (Rasa env) and 2, and so every error names the field path, e.g.
``children[0].age: must be ≥ 0``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

HUKOU = ("ningbo", "other")
OCCUPATIONS = ("sanitation", "public_transport", "other_public_service", "other")
SKILL_LEVELS = ("none", "junior", "intermediate", "senior", "technician", "senior_technician")
PROFESSIONAL_TITLES = ("none", "assistant_engineer", "engineer", "senior_engineer")
SCHOOL_CLASSES = ("none", "intermediate", "senior", "preparatory_technician")
FAMILY_HARDSHIP = ("dibao", "former_registered_poor", "none")


class ProfileError(ValueError):
    """Bad input. ``errors`` is a list of ``(path, message)``; ``str()`` gives one line per error."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in errors))


# ---------------------------------------------------------------- field checkers (path, value) -> value
def _bool(path, v, errors):
    if v is None or isinstance(v, bool):
        return v
    errors.append((path, f"must be true or false (got {v!r})"))
    return None


def _count(path, v, errors):
    """Non-negative whole number (months, counts). 12.0 is accepted as 12."""
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        errors.append((path, f"must be a whole number (got {v!r})"))
        return None
    if isinstance(v, float) and (not math.isfinite(v) or v != int(v)):
        errors.append((path, f"must be a whole number (got {v!r})"))
        return None
    if v < 0:
        errors.append((path, "must be ≥ 0"))
        return None
    return int(v)


def _amount(path, v, errors, *, minimum: float | None = 0):
    """A number (years, ages, percentages); fractions allowed."""
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        errors.append((path, f"must be a number (got {v!r})"))
        return None
    if minimum is not None and v < minimum:
        errors.append((path, f"must be ≥ {minimum}"))
        return None
    return v


def _enum(choices):
    def check(path, v, errors):
        if v is None or (isinstance(v, str) and v in choices):
            return v
        errors.append((path, f"must be one of {', '.join(choices)} (got {v!r})"))
        return None

    return check


def _text(path, v, errors):
    if v is None or isinstance(v, str):
        return v
    errors.append((path, f"must be a string (got {v!r})"))
    return None


def _date(path, v, errors):
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    errors.append((path, f"must be a date YYYY-MM-DD (got {v!r})"))
    return None


def _check_fields(cls, path_prefix: str, values: Mapping[str, Any], checkers, errors) -> dict:
    out = {}
    for k, v in values.items():
        path = f"{path_prefix}{k}"
        if k not in checkers:
            errors.append((path, f"unknown field (known: {', '.join(checkers)})"))
            continue
        out[k] = checkers[k](path, v, errors)
    return out


def _nested(cls, checkers):
    def check(path, v, errors):
        if v is None:
            return v
        if isinstance(v, cls):  # re-validate: the nested classes do not check themselves
            v = dataclasses.asdict(v)
        if not isinstance(v, Mapping):
            errors.append((path, f"must be an object (got {v!r})"))
            return None
        return cls(**_check_fields(cls, f"{path}.", v, checkers, errors))

    return check


# ---------------------------------------------------------------- models
@dataclass(frozen=True)
class Child:
    age: float | None = None  # 周岁 (whole years are what counts; 3.5 means 3周岁)
    hukou: str | None = None  # ningbo | other
    residence_permit: bool | None = None  # the child holds a valid Ningbo 居住证


@dataclass(frozen=True)
class Student:
    in_ningbo_vocational_school: bool | None = None  # 在甬就读职业（技工）院校
    family_hardship: str | None = None  # dibao | former_registered_poor | none
    from_partner_region: bool | None = None  # from a 合作办学地区


@dataclass(frozen=True)
class Employer:
    # The worker's 工种 is in the 紧缺工种目录 the employer is rewarded for (yes/no).
    shortage_high_skill_staff: bool | None = None
    # The employer's high-skill headcount growth over the previous year, in percent (may be negative).
    high_skill_growth_pct: float | None = None


_CHILD = {
    "age": lambda p, v, e: _amount(p, v, e, minimum=0),
    "hukou": _enum(HUKOU),
    "residence_permit": _bool,
}
_STUDENT = {
    "in_ningbo_vocational_school": _bool,
    "family_hardship": _enum(FAMILY_HARDSHIP),
    "from_partner_region": _bool,
}
_EMPLOYER = {
    "shortage_high_skill_staff": _bool,
    "high_skill_growth_pct": lambda p, v, e: _amount(p, v, e, minimum=None),
}


def _children(path, v, errors):
    if v is None:
        return None
    if not isinstance(v, (list, tuple)):
        errors.append((path, f"must be a list of children (got {v!r})"))
        return None
    check = _nested(Child, _CHILD)
    return tuple(check(f"{path}[{i}]", c, errors) for i, c in enumerate(v))


_PROFILE = {
    "as_of": _date,
    "hukou": _enum(HUKOU),
    "hukou_province": _text,
    "works_in_ningbo": _bool,
    "social_insurance_months": _count,
    "employee_medical_months": _count,
    "spouse_employee_medical_months": _count,
    "owns_home_in_ningbo": _bool,
    "occupation": _enum(OCCUPATIONS),
    "frontline": _bool,
    "occupation_years_in_ningbo": lambda p, v, e: _amount(p, v, e, minimum=0),
    "skill_level": _enum(SKILL_LEVELS),
    "professional_title": _enum(PROFESSIONAL_TITLES),
    "technical_school_class": _enum(SCHOOL_CLASSES),
    "children": _children,
    "student": _nested(Student, _STUDENT),
    "employer": _nested(Employer, _EMPLOYER),
}


@dataclass(frozen=True)
class Profile:
    """What we know about one worker. ``Profile(**facts)`` validates and raises ``ProfileError``."""

    as_of: date = field(default_factory=date.today)  # the date the answer is for (default: today)
    hukou: str | None = None  # ningbo | other
    hukou_province: str | None = None  # e.g. 安徽
    works_in_ningbo: bool | None = None
    social_insurance_months: int | None = None  # 在甬累计缴纳社会保险月数
    employee_medical_months: int | None = None  # 本人本市职工基本医保累计缴费月数
    spouse_employee_medical_months: int | None = None  # 配偶本市职工基本医保累计缴费月数
    owns_home_in_ningbo: bool | None = None
    occupation: str | None = None  # sanitation | public_transport | other_public_service | other
    frontline: bool | None = None  # 一线 (e.g. 一线环卫工人)
    occupation_years_in_ningbo: float | None = None  # years in that occupation in Ningbo
    skill_level: str | None = None
    professional_title: str | None = None
    technical_school_class: str | None = None
    children: tuple[Child, ...] | None = None  # None = unknown, () = no children
    student: Student | None = None
    employer: Employer | None = None

    def __post_init__(self):
        errors: list[tuple[str, str]] = []
        for name, check in _PROFILE.items():
            value = getattr(self, name)
            if name == "as_of" and value is None:
                value = date.today()
            object.__setattr__(self, name, check(name, value, errors))
        if errors:
            raise ProfileError(errors)

    # -------------------------------------------------------------- construction helpers
    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """From parsed JSON/YAML; unknown keys and wrong types are errors naming the field."""
        if not isinstance(data, Mapping):
            raise ProfileError([("", f"profile must be a JSON object (got {type(data).__name__})")])
        errors: list[tuple[str, str]] = []
        unknown = [k for k in data if k not in _PROFILE]
        for k in unknown:
            errors.append((str(k), f"unknown field (known: {', '.join(_PROFILE)})"))
        if errors:
            raise ProfileError(errors)
        return cls(**dict(data))

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any], as_of: date | None = None) -> Profile:
        """From dotted field paths as the dialogue keeps them (``children.age`` = the child asked about)."""
        data: dict[str, Any] = {}
        for path, value in facts.items():
            if value is None:
                continue
            head, _, rest = path.partition(".")
            if not rest:
                data[head] = value
            elif head == "children":
                data.setdefault("children", [{}])[0][rest] = value
            else:
                data.setdefault(head, {})[rest] = value
        if as_of is not None:
            data["as_of"] = as_of
        return cls.from_dict(data)

    def replace(self, **changes) -> Profile:
        return dataclasses.replace(self, **changes)

    def get(self, path: str) -> Any:
        """Value at a dotted path (``children.age`` reads the first child); None when unknown."""
        head, _, rest = path.partition(".")
        value = getattr(self, head)
        if not rest or value is None:
            return value
        if head == "children":
            return getattr(value[0], rest) if value else None
        return getattr(value, rest)

    def to_dict(self) -> dict:
        out = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None:
                continue
            if f.name == "as_of":
                v = v.isoformat()
            elif f.name == "children":
                v = [_compact(dataclasses.asdict(c)) for c in v]
            elif dataclasses.is_dataclass(v):
                v = _compact(dataclasses.asdict(v))
            out[f.name] = v
        return out


def _compact(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


# Every path the rules can ask about (contracts.md): top-level fields and dotted nested ones.
FIELD_PATHS = tuple(
    [n for n in _PROFILE if n not in ("as_of", "children", "student", "employer")]
    + [f"children.{n}" for n in _CHILD]
    + [f"student.{n}" for n in _STUDENT]
    + [f"employer.{n}" for n in _EMPLOYER]
)
