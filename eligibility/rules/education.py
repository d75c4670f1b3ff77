"""Schooling: ningbo_leye/measure04 (放宽外来劳动者子女入学限制)."""

from __future__ import annotations

from datetime import date

from ..parameters import parameter
from ..profile import Profile
from ..result import Trace, check
from . import rule
from .common import in_force


@rule()
def child_school_enrollment(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure04/1: 对在我市按规定缴纳社会保险的外来劳动者，从2022年起其子女在符合…其他入学条件情况下，
    应准予安排入学，各区县（市）不得再对其社会保险缴费地进行限制。The text sets no minimum number of months
    (按规定缴纳) and leaves the other conditions to the district: at best this is a refer to 市教育局."""
    checks = []
    if profile.children == ():
        checks.append(check("has_child", False, effect="gate"))
    months = profile.social_insurance_months
    checks += [
        check("migrant_worker", None if profile.hukou is None else profile.hukou == "other", effect="gate",
              fields=("hukou",)),
        in_force("rule_in_force", parameter("school_enrollment_no_insurance_place_limit"), as_of),
        check("pays_social_insurance", None if months is None else months > 0,
              fields=("social_insurance_months",), counterfactual=True, months=months),
        check("other_enrollment_conditions", None, effect="refer"),
    ]
    return Trace(tuple(checks))
