"""Skills: ningbo_leye/measure05 (the 600元/人 award, for a worker and for the enterprise as a whole),
measure06 (training, the enterprise and school awards, student subsidy), measure07 (技能等级和职称等级的贯通).

The awards of measure06 are paid to organisations; where the text leaves the decision to an evaluation it
names no criteria of (经专家评定 / 绩效评估 / 符合条件), the answer is at best refer, with the amount stated as
the text states it (最高 = a cap, otherwise a fixed sum for the 优秀 rating)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..parameters import parameter
from ..profile import Profile
from ..result import Check, Trace, check
from . import rule
from .common import HIGH_SKILL_LEVELS, at_least, in_force, known_bool, value_or_first

SCHOOL_EQUIVALENT = {"intermediate": "secondary", "senior": "college", "preparatory_technician": "bachelor"}
SKILL_TO_TITLE = {"senior": "assistant_engineer", "technician": "engineer", "senior_technician": "senior_engineer"}
TITLES_FROM_ASSISTANT = ("assistant_engineer", "engineer", "senior_engineer")  # 助理工程师以上


def _award_round(as_of: date):
    """measure05's rounds (统计时点 2021/2022/2023年12月底): the latest on or before ``as_of`` (before the
    first, the first: not reached yet), and whether ``as_of`` is past the last round the text names."""
    rounds = parameter("high_skill_award_snapshot")
    current = rounds.at(as_of) or rounds.first()
    return rounds, current, as_of > rounds.values[-1].start


@rule()
def employer_high_skill_award(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure05/1-2 asked by a WORKER: 600元/人 paid to the ENTERPRISE for each 紧缺高技能人才 it
    employs at 2021年12月底 (在甬社保满5年, 高级工及以上, 紧缺工种目录); at 2022/2023年12月底 only if the
    enterprise's high-skill staff grew 同比5%以上 (5 counts). The latest snapshot on or before ``as_of``
    applies. The enterprise's own total is ``enterprise_high_skill_award``."""
    snap_p, snap, _ = _award_round(as_of)
    months_need = value_or_first(parameter("high_skill_award_insurance_months"), snap.start)
    employer = profile.employer
    skill = profile.skill_level
    checks = [
        in_force("snapshot_reached" if snap == snap_p.first() else "later_snapshot", snap_p, as_of),
        at_least("insurance_months", profile.social_insurance_months, months_need, "social_insurance_months"),
        check("high_skill_certificate", None if skill is None else skill in HIGH_SKILL_LEVELS,
              fields=("skill_level",), counterfactual=True, skill=skill),
        known_bool("shortage_catalogue", employer and employer.shortage_high_skill_staff,
                   "employer.shortage_high_skill_staff"),
    ]
    checks[0] = replace(checks[0], values={**checks[0].values, "snapshot_words": snap.words})
    growth_need = parameter("high_skill_award_growth_pct").at(snap.start)
    if growth_need is not None:
        checks.append(at_least("employer_growth", employer and employer.high_skill_growth_pct,
                               growth_need.value, "employer.high_skill_growth_pct"))
    amount = value_or_first(parameter("high_skill_award_amount"), snap.start)
    notes = ("paid_to_employer", "no_double_subsidy")
    if as_of > snap_p.values[-1].start:  # past the last snapshot the text names
        notes = ("no_later_snapshot", *notes)
    return Trace(tuple(checks), notes=notes,
                 values={"amount": amount, "snapshot_words": snap.words})


@rule()
def enterprise_high_skill_award(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure05/1-2 asked for the ENTERPRISE (an HR person with its figures): the round that
    applies on ``as_of``; at 2022/2023年12月底 the growth condition (同比增长5%以上, 5 counts; 2021: none); the
    award = 人数 × 600元 for the 紧缺高技能人才 (the three conditions of 05/1, counted by the enterprise) it
    employs at that round. The text sets no cap and names no round after 2023年12月底: past it the answer is
    the 2023 round's, with a note that the text names no later one (none is invented)."""
    rounds, current, past_last = _award_round(as_of)
    first = current == rounds.first()
    employer = profile.employer
    headcount = employer and employer.shortage_high_skill_headcount
    amount = value_or_first(parameter("high_skill_award_amount"), current.start)
    total = None if headcount is None else headcount * amount
    reached = in_force("first_round" if first else "later_round", rounds, as_of)
    checks = [replace(reached, values={**reached.values, "round_words": current.words})]
    growth_need = parameter("high_skill_award_growth_pct").at(current.start)
    if growth_need is None:  # 2021年12月底: measure05/1 sets no growth condition
        checks.append(check("employer_growth", True, variant="not_required", round_words=current.words))
    else:
        checks.append(at_least("employer_growth", employer and employer.high_skill_growth_pct,
                               growth_need.value, "employer.high_skill_growth_pct", round_words=current.words))
    checks.append(check("shortage_staff_headcount", None if headcount is None else headcount > 0,
                        fields=("employer.shortage_high_skill_headcount",), headcount=headcount, total=total))
    notes = ("per_person", "no_double_subsidy")
    if past_last:
        notes = ("no_later_round", *notes)
    return Trace(tuple(checks), notes=notes,
                 values={"amount": amount, "round_words": current.words, "headcount": headcount, "total": total,
                         "last_round_words": rounds.values[-1].words})


@rule()
def free_skills_training(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/1: 将项目制免费培训对象扩大至所有在甬劳动者。"""
    return Trace((known_bool("works_in_ningbo", profile.works_in_ningbo, "works_in_ningbo"),),
                 notes=("one_person_one_skill",))


@rule()
def training_institution_award(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/2: 支持企业按程序设立职工培训中心、技工院校、企业大学，并面向社会开展培训和评价，每两年经
    绩效评估，对符合条件的给予最高20万元奖励. Paid to the enterprise; the text names no criteria of the
    evaluation (符合条件): whether and how much is the department's decision (refer)."""
    employer = profile.employer
    checks = (
        known_bool("training_institution", employer and employer.runs_training_institution,
                   "employer.runs_training_institution", effect="gate"),
        check("performance_evaluation", None, effect="refer"),
    )
    cap = value_or_first(parameter("training_institution_award_cap"), as_of)
    return Trace(checks, values={"cap": cap})


@rule()
def training_package_support(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/3: 鼓励行业（企业）、职业（技工）院校开发职业培训（鉴定）包，经专家评定，每年对符合条件的
    给予最高10万元支持. The text names no criteria of the expert evaluation and the sum is a cap: at best
    refer; an evaluation known to have found it 不符合条件 rules that year out."""
    employer = profile.employer
    approved = employer and employer.training_package_approved
    if approved is False:
        evaluation = check("expert_evaluation", False, fields=("employer.training_package_approved",))
    else:  # unknown or approved: whether and how much (最高) is the experts' and the department's decision
        evaluation = check("expert_evaluation", None, effect="refer", variant="approved" if approved else None)
    checks = (
        known_bool("training_package", employer and employer.develops_training_package,
                   "employer.develops_training_package", effect="gate"),
        evaluation,
    )
    period = parameter("training_package_support_period")
    return Trace(checks, values={"cap": value_or_first(parameter("training_package_support_cap"), as_of),
                                 "period_words": (period.at(as_of) or period.first()).words})


def _rating(key: str, rating: str | None, field: str) -> Check:
    """A two-yearly 绩效评估 (measure06/4): 优秀 passes, another result fails that round, no result yet leaves
    it to the department (refer: the text names neither the criteria nor the dates of the evaluation)."""
    if rating == "pending":
        return check(key, None, effect="refer", variant="pending")
    return check(key, None if rating is None else rating == "excellent", fields=(field,))


def _studio_or_base_award(runs: bool | None, rating: str | None, what: str, amount_name: str,
                          as_of: date) -> Trace:
    period = parameter("studio_and_base_evaluation_period")
    checks = (
        known_bool(what, runs, f"employer.runs_{what}", effect="gate"),
        _rating("performance_rating", rating, f"employer.{what}_rating"),
    )
    return Trace(checks, values={"amount": value_or_first(parameter(amount_name), as_of),
                                 "period_words": (period.at(as_of) or period.first()).words})


@rule()
def master_studio_award(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/4: 市级技能大师工作室, 每两年绩效评估“优秀”的 5万元 (a fixed sum, the first of
    “分别给予5万元、20万元”)."""
    employer = profile.employer
    return _studio_or_base_award(employer and employer.runs_master_studio,
                                 employer and employer.master_studio_rating, "master_studio",
                                 "master_studio_award_amount", as_of)


@rule()
def training_base_award(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/4: 实训基地, 每两年绩效评估“优秀”的 20万元 (the second of “分别给予5万元、20万元”)."""
    employer = profile.employer
    return _studio_or_base_award(employer and employer.runs_training_base,
                                 employer and employer.training_base_rating, "training_base",
                                 "training_base_award_amount", as_of)


@rule()
def vocational_student_living_subsidy(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure06/5: 合作办学地区的低保家庭、原建档立卡贫困家庭等困难家庭学生在甬就读职业（技工）院校的，
    给予每人每年3000元生活补贴。"""
    st = profile.student
    hardship = st and st.family_hardship
    checks = (
        known_bool("in_ningbo_vocational_school", st and st.in_ningbo_vocational_school,
                   "student.in_ningbo_vocational_school"),
        known_bool("from_partner_region", st and st.from_partner_region, "student.from_partner_region"),
        check("hardship_family", None if hardship is None else hardship != "none",
              fields=("student.family_hardship",), hardship=hardship),
    )
    amount = value_or_first(parameter("vocational_student_subsidy_amount"), as_of)
    return Trace(checks, notes=("no_double_subsidy",), values={"amount": amount})


@rule()
def skill_title_equivalence(profile: Profile, as_of: date) -> Trace:
    """ningbo_leye/measure07/2-4. Technical-school classes count as 中专/大专/本科 for title applications
    (stated outright: eligible). 高级工/技师/高级技师 → 助理工程师/工程师/高级工程师 and titles → skill levels are
    "可按条件": the conditions are the department's (refer)."""
    school, skill, title = profile.technical_school_class, profile.skill_level, profile.professional_title
    paths = {
        "technical_school_class": None if school is None else school in SCHOOL_EQUIVALENT,
        "skill_level": None if skill is None else skill in SKILL_TO_TITLE,
        "professional_title": None if title is None else title in TITLES_FROM_ASSISTANT,
    }
    if paths["technical_school_class"]:
        checks = [check("school_class_equivalence", True, school=school,
                        equivalent=SCHOOL_EQUIVALENT[school])]
        notes = tuple(n for n, p in (("also_skill_path", "skill_level"), ("also_title_path", "professional_title"))
                      if paths[p])
        return Trace(tuple(checks), notes=notes, values={"skill": skill, "title": title,
                                                          "skill_title": SKILL_TO_TITLE.get(skill)})
    checks = []
    if paths["skill_level"]:
        checks += [check("skill_to_title", True, skill=skill, title=SKILL_TO_TITLE[skill]),
                   check("skill_to_title_conditions", None, effect="refer")]
    if paths["professional_title"]:
        checks += [check("title_to_skill", True, title=title),
                   check("title_to_skill_conditions", None, effect="refer")]
    if checks:
        return Trace(tuple(checks))
    if all(p is False for p in paths.values()):
        return Trace((check("any_path", False, effect="gate"),))
    missing = tuple(f for f, p in paths.items() if p is None)
    return Trace((check("any_path", None, effect="gate", fields=missing),))
