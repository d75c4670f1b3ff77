"""Guidance-only topics: no eligibility to decide, the answer is the clauses and the departments.
The clause notes for each topic are listed in texts.yaml (programs.<id>.notes); the outcome is refer."""

from __future__ import annotations

from datetime import date

from ..parameters import parameter
from ..profile import Profile
from ..result import Trace
from . import rule


def _topic(*notes: str, **values) -> Trace:
    return Trace((), notes=notes, values=values)


@rule()
def labour_contract(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure08/1-3, beilun_laoyousuode/task08."""
    return _topic("sign_contract", "market_order", "dispatch", "beilun_source_governance")


@rule()
def wage_arrears(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure09/1, beilun_laoyousuode/task09 and the targets row14 (a plan target)."""
    target = parameter("beilun_wage_arrears_resolution_target").at(as_of)
    notes = ["ningbo_no_arrears", "beilun_no_arrears"]
    notes.append("arrears_target" if target else "arrears_target_none")
    return _topic(*notes, year=as_of.year, target=target.words if target else None)


@rule()
def labour_dispute(profile: Profile, as_of: date) -> Trace:
    """beilun_laoyousuode/task09 (调解仲裁), targets row15/row16."""
    return _topic("dispute_mediation", "mediation_target", "arbitration_target")


@rule()
def employment_services(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure10/1-2, beilun_laoyousuode/task01, task02, task04."""
    return _topic("ningbo_services", "ningbo_digital", "beilun_employment", "beilun_startup", "beilun_graduates")


@rule()
def gig_market(profile: Profile, as_of: date) -> Trace:
    """beilun_laoyousuode/task05 (零工市场), task01 (灵活就业, 灵活保)."""
    return _topic("gig_market", "flexible_insurance")


@rule()
def retirement(profile: Profile, as_of: date) -> Trace:
    """beilun_laoyousuode/task05: 退休“一件事”无忧办."""
    return _topic("retirement_one_thing")


@rule()
def minimum_wage(profile: Profile, as_of: date) -> Trace:
    """beilun_laoyousuode/targets/row10 and task06. 2580/3000/3200 左右 are targets of the plan, not the legal
    minimum wage; outside 2023-2027 the plan sets no target."""
    target = parameter("beilun_minimum_wage_top_tier_target").at(as_of)
    first = "min_wage_target" if target else "min_wage_no_target"
    return _topic(first, "min_wage_mechanism", year=as_of.year, target=target.words if target else None)
