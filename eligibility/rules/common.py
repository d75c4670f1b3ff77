"""Small helpers shared by the rules (no wording here)."""

from __future__ import annotations

from datetime import date

from ..parameters import Parameter
from ..result import Check, check

HIGH_SKILL_LEVELS = ("senior", "technician", "senior_technician")  # 高级工及以上


def in_force(key: str, param: Parameter, as_of: date) -> Check:
    """The rule's start date has come: before it the answer is the pre-rule one (not yet in force)."""
    first = param.first()
    return check(key, param.at(as_of) is not None, counterfactual=True,
                 start_words=first.words, start_date=first.start, as_of=as_of)


def value_or_first(param: Parameter, as_of: date):
    """The value in force, or before the start the first one (so the trace can say what will apply)."""
    v = param.at(as_of)
    return (v or param.first()).value


def at_least(key: str, have: int | float | None, need: int | float, field: str, **values) -> Check:
    """have ≥ need (a numeric threshold set by the text); failed checks carry the gap."""
    ok = None if have is None else have >= need
    gap = None if have is None or ok else round(need - have, 2)  # 5 - 4.9 shows as 0.1
    return check(key, ok, fields=(field,), counterfactual=True, have=have, need=need, gap=gap, **values)


def known_bool(key: str, value: bool | None, field: str, *, effect: str = "require", want: bool = True,
               **values) -> Check:
    return check(key, None if value is None else value == want, effect=effect, fields=(field,), **values)
