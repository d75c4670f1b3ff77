"""Housing: ningbo_leye/measure01 (进一步扩大住房保障范围). The text sets no numbers here (一定年限, 适当放宽,
提高…标准): past the conditions it does state, every answer is a refer to 市住建局."""

from __future__ import annotations

from datetime import date

from ..profile import Profile
from ..result import Trace, check
from . import rule
from .common import HIGH_SKILL_LEVELS, known_bool

PUBLIC_SERVICE = ("public_transport", "other_public_service", "sanitation")  # 公交等公共服务行业


@rule()
def sanitation_worker_housing(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure01/2: 对在甬从事环卫工作满一定年限的无房一线环卫工人，实现住房保障常态化申请受理。"""
    occ = profile.occupation
    checks = (
        check("sanitation_worker", None if occ is None else occ == "sanitation", effect="gate",
              fields=("occupation",)),
        known_bool("works_in_ningbo", profile.works_in_ningbo, "works_in_ningbo"),
        known_bool("frontline", profile.frontline, "frontline"),
        known_bool("no_home", profile.owns_home_in_ningbo, "owns_home_in_ningbo", want=False),
        check("years_in_sanitation", None, effect="refer", years=profile.occupation_years_in_ningbo,
              variant=None if profile.occupation_years_in_ningbo is None else "known"),
    )
    return Trace(checks)


@rule()
def public_service_housing(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure01/3: 对在甬从事公交等公共服务行业从业人员及高技能人才等群体，适当放宽保障准入条件。"""
    occ, skill = profile.occupation, profile.skill_level
    in_service = None if occ is None else occ in PUBLIC_SERVICE
    high_skill = None if skill is None else skill in HIGH_SKILL_LEVELS
    if in_service or high_skill:
        group, fields = True, ()
    elif in_service is False and high_skill is False:
        group, fields = False, ()
    else:
        group = None
        fields = tuple(f for f, v in (("occupation", in_service), ("skill_level", high_skill)) if v is None)
    variant = "service" if in_service else ("skill" if high_skill else None)
    checks = (
        check("public_service_or_high_skill", group, effect="gate", fields=fields, variant=variant,
              occupation=occ, skill=skill),
        known_bool("works_in_ningbo", profile.works_in_ningbo, "works_in_ningbo"),
        check("relaxed_entry_conditions", None, effect="refer"),
    )
    return Trace(checks)


@rule()
def public_rental_subsidy(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure01/4: 加大公租房租赁补贴保障力度，提高外来劳动者等保障群体公租房租赁补贴发放标准。
    No amount is given; 等保障群体 leaves room for Ningbo-hukou households too, so no gate on hukou."""
    hukou = profile.hukou
    # hukou changes only the wording (等保障群体), never the outcome, so it is not asked for
    checks = [] if hukou is None else [check("migrant_or_other_group", True, variant=hukou)]
    checks.append(check("subsidy_standard", None, effect="refer"))
    return Trace(tuple(checks), notes=("no_double_subsidy",))
