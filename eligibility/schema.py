"""The fact schema (``facts.yaml``): what each fact is, its allowed values and range, and how it is asked.

    from eligibility.schema import FACTS, fact, field_paths
    fact("children.age").kind, fact("children.age").maximum    # "number", 30
    fact("hukou").answer(True)                                 # "ningbo": a yes to 您是宁波户口吗
    fact("employee_medical_months").check(14.0)                # 14; raises ValueError naming the problem

The pydantic models in ``profile.py`` are built from these declarations, and the dialogue derives its
slots, questions, validators and yes/no / months field lists from them, so a fact is declared once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FACTS_PATH = Path(__file__).resolve().parent / "facts.yaml"
KINDS = ("yes_no", "months", "number", "choice", "text", "date", "list", "object")
MONTHS_RANGE = (0, 600)  # 50 years: the longest contribution record a worker can have
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Fact:
    path: str  # e.g. "children.age"
    kind: str
    label: str
    choices: dict[str, str] = field(default_factory=dict)  # value -> Chinese label (kind choice)
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False  # a number that must be a whole number (a headcount): 12.0 -> 12, 12.5 rejected
    affirm: Any = None  # what a yes to the question means (True for yes_no; a choice value)
    deny: Any = None
    model: str | None = None  # the model of a list / object fact
    ask: str | None = None  # the question (None: never asked)
    buttons: Any = None  # {"affirm": title, "deny": title} or [title, …]
    reask: str | None = None
    where: str | None = None
    why: str | None = None

    @property
    def slot(self) -> str:
        """The Rasa slot that holds it (docs/contracts.md: `.` -> `_`)."""
        return self.path.replace(".", "_")

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def parent(self) -> str | None:
        """The container fact of a nested field ("children" for children.age), None at the top level."""
        return self.path.rpartition(".")[0] or None

    @property
    def yes_no(self) -> bool:
        """A bare yes or no answers its question (是 / 不是, 有 / 没有, buttons /affirm, /deny)."""
        return self.affirm is not None and self.deny is not None

    def answer(self, yes: bool) -> Any:
        """The value a yes (True) or no (False) to this fact's question means; None if it cannot mean one."""
        return self.affirm if yes else self.deny

    def check(self, value: Any) -> Any:
        """The value in its canonical type (12.0 months -> 12), or ValueError with the problem in English.
        None (unknown) is always valid. Lists and objects are checked for shape only: their fields are
        checked by their own model."""
        if value is None:
            return None
        return _CHECKS[self.kind](self, value)

    def valid(self, value: Any) -> Any:
        """``check`` without the error: the value, or None when it is not valid (the form asks again)."""
        try:
            return self.check(value)
        except ValueError:
            return None


# ---------------------------------------------------------------- one check per kind
def _yes_no(f: Fact, v):
    if isinstance(v, bool):
        return v
    raise ValueError(f"must be true or false (got {v!r})")


def _is_number(v) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


def _in_range(f: Fact, v):
    if f.minimum is not None and v < f.minimum:
        raise ValueError(f"must be ≥ {_show(f.minimum)}")
    if f.maximum is not None and v > f.maximum:
        raise ValueError(f"must be ≤ {_show(f.maximum)}")
    return v


def _show(x: float):
    return int(x) if x == int(x) else x


def _months(f: Fact, v):
    if not _is_number(v) or v != int(v):
        raise ValueError(f"must be a whole number (got {v!r})")
    return _in_range(f, int(v))


def _number(f: Fact, v):
    if not _is_number(v):
        raise ValueError(f"must be a number (got {v!r})")
    if f.whole:
        if v != int(v):
            raise ValueError(f"must be a whole number (got {v!r})")
        v = int(v)
    return _in_range(f, v)


def _choice(f: Fact, v):
    if isinstance(v, str) and v in f.choices:
        return v
    raise ValueError(f"must be one of {', '.join(f.choices)} (got {v!r})")


def _text(f: Fact, v):
    if isinstance(v, str):
        return v
    raise ValueError(f"must be a string (got {v!r})")


def _date(f: Fact, v):
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError(f"must be a date YYYY-MM-DD (got {v!r})")


def _list(f: Fact, v):
    if isinstance(v, (list, tuple)):
        return tuple(v)
    raise ValueError(f"must be a list of {f.name} (got {v!r})")


def _object(f: Fact, v):
    if isinstance(v, Mapping) or hasattr(v, "__fields__"):
        return v
    raise ValueError(f"must be an object (got {v!r})")


_CHECKS = {"yes_no": _yes_no, "months": _months, "number": _number, "choice": _choice, "text": _text,
           "date": _date, "list": _list, "object": _object}


# ---------------------------------------------------------------- loading
class SchemaError(ValueError):
    """facts.yaml itself is wrong (a maintainer's mistake): says which fact and what."""


def _fact(path: str, spec: Mapping) -> Fact:
    known = {"kind", "label", "choices", "min", "max", "whole", "affirm", "deny", "model", "ask", "buttons",
             "reask", "where", "why"}
    unknown = set(spec) - known
    if unknown:
        raise SchemaError(f"{path}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise SchemaError(f"{path}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
    if not spec.get("label"):
        raise SchemaError(f"{path}: a label is required")
    minimum, maximum = spec.get("min"), spec.get("max")
    if kind == "months":
        minimum = MONTHS_RANGE[0] if minimum is None else minimum
        maximum = MONTHS_RANGE[1] if maximum is None else maximum
    affirm, deny = spec.get("affirm"), spec.get("deny")
    if kind == "yes_no":
        affirm, deny = True, False
    choices = dict(spec.get("choices") or {})
    if kind == "choice" and not choices:
        raise SchemaError(f"{path}: a choice needs choices")
    for value in (affirm, deny):
        if kind == "choice" and value is not None and value not in choices:
            raise SchemaError(f"{path}: affirm/deny {value!r} is not one of its choices")
    whole = spec.get("whole", False)
    if not isinstance(whole, bool) or (whole and kind != "number"):
        raise SchemaError(f"{path}: whole is true or false, and only for a number")
    if kind in ("list", "object") and not spec.get("model"):
        raise SchemaError(f"{path}: a {kind} needs a model")
    return Fact(path=path, kind=kind, label=spec["label"], choices=choices, minimum=minimum, maximum=maximum,
                whole=whole, affirm=affirm, deny=deny, model=spec.get("model"), ask=spec.get("ask"),
                buttons=spec.get("buttons"), reask=spec.get("reask"), where=spec.get("where"),
                why=spec.get("why"))


@lru_cache(maxsize=1)
def _load() -> dict[str, Fact]:
    data = yaml.load(FACTS_PATH.read_text(encoding="utf-8"), Loader=_LOADER)
    facts = {path: _fact(path, spec or {}) for path, spec in (data.get("facts") or {}).items()}
    for f in facts.values():
        if f.parent is not None:
            container = facts.get(f.parent)
            if container is None or container.kind not in ("list", "object"):
                raise SchemaError(f"{f.path}: {f.parent} must be declared as a list or object fact")
            if "." in f.parent:
                raise SchemaError(f"{f.path}: only one level of nesting")
    return facts


def facts() -> dict[str, Fact]:
    """Every declared fact by path, in the order of facts.yaml."""
    return _load()


def fact(path: str) -> Fact:
    """The declaration of one fact path; KeyError when the path is not a fact."""
    return _load()[path]


def field_paths() -> tuple[str, ...]:
    """Every fact a rule can ask about (contracts.md): the leaves, top-level first, then nested."""
    leaves = [f for f in _load().values() if f.kind not in ("list", "object") and f.ask is not None]
    return tuple([f.path for f in leaves if f.parent is None] + [f.path for f in leaves if f.parent is not None])


def paths_of_kind(*kinds: str) -> tuple[str, ...]:
    return tuple(p for p in field_paths() if _load()[p].kind in kinds)


def yes_no_paths() -> tuple[str, ...]:
    """Facts a bare yes/no answers (是/不是 to their question), yes_no and choice facts alike."""
    return tuple(p for p in field_paths() if _load()[p].yes_no)


def children_of(container: str) -> list[Fact]:
    """The fields of a list/object fact's model (children -> children.age, …), in declaration order."""
    return [f for f in _load().values() if f.parent == container]


def top_level() -> list[Fact]:
    return [f for f in _load().values() if f.parent is None]


def slot_name(path: str) -> str:
    return path.replace(".", "_")


def choice_label(path: str, value: Any) -> str:
    """Chinese label of a choice value (skill_level senior -> 高级工)."""
    return _load()[path].choices.get(value, str(value))
