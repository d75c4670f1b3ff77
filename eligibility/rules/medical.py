"""Medical insurance: ningbo_leye/measure03 (放宽外来劳动者子女医保参保限制)."""

from __future__ import annotations

import math
from datetime import date

from ..parameters import parameter
from ..profile import Child, Profile
from ..result import Trace, check
from . import rule
from .common import in_force, known_bool, value_or_first


@rule(per_child=True)
def child_medical_insurance(profile: Profile, child: Child | None, as_of: date) -> Trace:
    """ningbo_leye/measure03/1: 2022年度起，父母一方参加本市职工基本医保累计缴费满12个月，其持本市有效居住证的
    非本市户籍0-6周岁子女，可按规定在居住地参加城乡居民医保。A Ningbo-hukou child is outside this measure."""
    months_p = parameter("child_medical_parent_months")
    need = value_or_first(months_p, as_of)
    max_age = value_or_first(parameter("child_medical_max_age"), as_of)
    if child is None:
        return Trace((check("has_child", False, effect="gate"),))
    checks = [
        known_bool("child_hukou", None if child.hukou is None else child.hukou == "other", "children.hukou",
                   effect="gate"),
        in_force("rule_in_force", months_p, as_of),
    ]
    age = None if child.age is None else math.floor(child.age)
    checks.append(check("child_age", None if age is None else age <= max_age, fields=("children.age",),
                        age=age, max_age=max_age))
    checks.append(_parent_months(profile, need))
    checks.append(known_bool("residence_permit", child.residence_permit, "children.residence_permit"))
    return Trace(tuple(checks))


def _parent_months(profile: Profile, need: int):
    """父母一方: either the worker's own or the spouse's contribution months reach the threshold."""
    own, spouse = profile.employee_medical_months, profile.spouse_employee_medical_months
    known = [m for m in (own, spouse) if m is not None]
    best = max(known) if known else None
    if any(m >= need for m in known):
        ok, fields = True, ()
    elif own is not None and spouse is not None:
        ok, fields = False, ()
    else:
        ok = None
        fields = tuple(f for f, m in (("employee_medical_months", own),
                                      ("spouse_employee_medical_months", spouse)) if m is None)
    # template variant for "unknown": we lack the worker's own months, or only the spouse's
    variant = None if ok is not None else ("own" if own is None else "spouse")
    return check("parent_medical_months", ok, variant=variant, fields=fields, counterfactual=True, need=need, have=best,
                 gap=None if best is None or ok else need - best, own=own, spouse=spouse)


@rule()
def employee_medical_benefits_start(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure03/2: 2021年7月1日起，用人单位职工自办理职工医保参保登记的次月起，即可按规定享受本市
    职工医保待遇。Applies to people employed in Ningbo."""
    delay_p = parameter("employee_medical_benefits_delay")
    months = profile.employee_medical_months
    # contributing to 本市职工医保 already shows the worker is a Ningbo 用人单位职工
    employed = True if months else profile.works_in_ningbo
    checks = (
        known_bool("employed_in_ningbo", employed, "works_in_ningbo", effect="gate"),
        in_force("rule_in_force", delay_p, as_of),
        check("registered", None if profile.employee_medical_months is None
              else profile.employee_medical_months >= 1, fields=("employee_medical_months",),
              counterfactual=True, months=profile.employee_medical_months),
    )
    return Trace(checks)
