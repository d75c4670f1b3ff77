"""The fact reader (facts.read): measured on its case tables, its mechanisms one by one, properties of
negation, segmentation and replies (hypothesis), and its command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import schema
from facts import read
from facts.evaluate import load_cases, score

HERE = Path(__file__).parent
AS_OF = date(2026, 12, 1)   # the date the case tables were written for


def _read(text, asked=None):
    return read(text, asked, AS_OF)


def _assert_facts(text: str, asked: str | None, facts: dict, today: date = AS_OF) -> None:
    """The paths in ``facts`` are read with these values (None: not set), on ``today``."""
    got = read(text, asked, today).facts
    assert {p: got.get(p) for p in facts} == facts, got


# ------------------------------------------------------------------------------------- case tables --
def test_dev_cases_keep_their_measured_accuracy():
    s = score(load_cases(HERE / "dev.yaml"), _read)
    assert s.accuracy >= 0.95, s.failures[:10]     # measured 237/245 = 0.967 (2026-12-08, end); 233/244 = 0.955 (2026-12-04)
    assert len(s.invented) == 0 and len(s.flipped) == 0


def test_second_dev_table_keeps_its_measured_accuracy():
    """dev_v2.yaml (265 cases, 2026-12-02, by a writer who had not seen the reader): 156/265 = 0.589 before any
    tuning on it, the generalisation figure; tuned on since."""
    s = score(load_cases(HERE / "dev_v2.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 2)))
    assert s.n == 265
    assert s.accuracy >= 0.92, s.failures[:10]     # measured 248/265 = 0.936 (2026-12-08); 240 on 2026-12-04
    assert len(s.invented) <= 1 and len(s.flipped) == 0


def test_third_dev_table_keeps_its_measured_accuracy():
    """dev_v3.yaml (280 cases, 2026-12-02, the hardest classes weighted up, by a writer who had not seen the
    reader): 154/280 = 0.550 before any tuning on it; tuned on since."""
    s = score(load_cases(HERE / "dev_v3.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 2)))
    assert s.n == 280
    assert s.accuracy >= 0.91, s.failures[:10]     # measured 259/280 = 0.925 (2026-12-08); 256 on 2026-12-04
    assert len(s.invented) <= 1 and len(s.flipped) <= 1


def test_fourth_dev_table_keeps_its_measured_accuracy():
    """dev_v4.yaml (300 cases, 2026-12-02, by a writer who had seen neither the reader nor the other tables):
    207/300 = 0.690 before any tuning on it (flipped 2, invented 3); tuned on since 2026-12-03 (organisation
    facts: headcounts, ratings, studios, frequencies): 226/300 = 0.753. Held-out stays the generalisation figure."""
    s = score(load_cases(HERE / "dev_v4.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 2)))
    assert s.n == 300
    assert s.accuracy >= 0.95, s.failures[:10]     # measured 291/300 = 0.970 (2026-12-08); 284 on 2026-12-04
    assert len(s.invented) <= 1 and len(s.flipped) <= 1


def test_fifth_dev_table_keeps_its_measured_accuracy():
    """dev_v5.yaml (150 cases, 2026-12-03, by a writer who had seen neither the reader nor the other tables' cases):
    105/150 = 0.700 before any tuning on it (flipped 2, invented 2), the blind figure; tuned on since (places of
    payment, lists of people, run-on figures, replies, dialect words, negation scope, a child's hukou following a
    parent): 134/150 = 0.893. Two cases that equalled held-out messages were removed afterwards
    (tests/test_leakage.py): 131/148 = 0.885. On 2026-12-04 its five cases that had dev_v4's 三岁半 = 3.5 and
    左右 = exact follow the one decision of all tables (周岁 are completed years; an approximate figure is vague)."""
    s = score(load_cases(HERE / "dev_v5.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 3)))
    assert s.n == 148
    assert s.accuracy >= 0.95, s.failures[:10]     # measured 143/148 = 0.966 (2026-12-08); 138 on 2026-12-04
    assert len(s.invented) <= 1 and len(s.flipped) == 0


def test_sixth_dev_table_keeps_its_measured_accuracy():
    """dev_v6.yaml (150 cases, 2026-12-04, by a writer who had seen neither the reader nor the other tables' cases):
    97/150 = 0.647 before any tuning on it (flipped 2, invented 6), the blind figure; tuned on since (corrections,
    stints added, schemes together, places carried, generations, zero counts, rates, dialect numerals)."""
    s = score(load_cases(HERE / "dev_v6.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 4)))
    assert s.n == 150
    assert s.accuracy >= 0.93, s.failures[:10]     # measured 143/150 = 0.953 (2026-12-08); 137 on 2026-12-04
    assert len(s.invented) <= 2 and len(s.flipped) == 0


def test_seventh_dev_table_keeps_its_measured_accuracy():
    """dev_v7.yaml (150 cases, 2026-12-08, by a writer who had seen none of the reader or the other tables' cases):
    114/150 = 0.760 blind (flipped 2, invented 1), the generalisation figure (ranges of months, ordinal children,
    proxies, an enterprise's facts beside its employee's, a scheme denied then a bare figure)."""
    s = score(load_cases(HERE / "dev_v7.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 8)))
    assert s.n == 150
    assert s.accuracy >= 0.90, s.failures[:10]     # measured 138/150 = 0.920 (2026-12-08, tuned on); 114 blind
    assert len(s.invented) <= 1 and len(s.flipped) == 0


def test_eighth_dev_table_keeps_its_measured_accuracy():
    """dev_v8.yaml (150 cases, 2026-12-08, by a second writer who had seen none of the reader or the other tables'
    cases): 109/150 = 0.727 blind (flipped 2, invented 3), measured on the reader of that session's tenth
    commit, the generalisation figure."""
    s = score(load_cases(HERE / "dev_v8.yaml"), lambda text, asked=None: read(text, asked, date(2026, 12, 8)))
    assert s.n == 150
    assert s.accuracy >= 0.86, s.failures[:10]     # measured 132/150 = 0.880 (2026-12-08, tuned on); 109 blind
    assert len(s.invented) <= 1 and len(s.flipped) <= 1


def test_held_out_cases_are_measured_not_tuned():
    """Scored, never inspected case by case: the figure is reported as it is (171/288 = 0.594 on 2026-12-01,
    2 negated facts flipped, 8 invented figures; the old parser 0.385, 7, 28; 195/288 = 0.677, 1, 4 on
    2026-12-02; 198/288 = 0.688, 1, 4 after acknowledgements and homophone typos; 199/288 = 0.691, 1, 4 on
    2026-12-03 with the sign of a growth rate; 208/288 = 0.722, 1, 3 at the start of 2026-12-04 and 213/288 = 0.740,
    1, 3 after that day's mechanisms; the case 租的 then moved to dev.yaml, equal to a lexicon word: 214/287 = 0.746,
    1, 3; the case 中级 then moved to dev.yaml too; 222/286 = 0.776, 1, 3 after the second session of 2026-12-04;
    the case with 筹建 moved to dev.yaml on 2026-12-08: 227/285 = 0.796, 1, 3 after that day's first mechanisms and
    233/285 = 0.818, 1, 3 at its end);
    the floor catches a regression."""
    s = score(load_cases(HERE / "heldout.yaml"), _read)
    assert s.n == 285
    assert s.accuracy >= 0.80 and len(s.flipped) <= 1 and len(s.invented) <= 3


# -------------------------------------------------------------------------------------- mechanisms --
@pytest.mark.parametrize("text, asked, facts", [
    # negation covers its own clause only
    ("家里在宁波没买房子，娃的居住证办好了", None, {"owns_home_in_ningbo": False, "children.residence_permit": True}),
    ("老家盖了房，宁波这边没有", None, {"owns_home_in_ningbo": False}),
    ("工作还没找到", None, {"works_in_ningbo": False}),
    # whose fact: the spouse's months, the child's hukou, the caller and the person called about
    ("我媳妇交职工医保十五个月了，我自己一个月都没交", None,
     {"spouse_employee_medical_months": 15, "employee_medical_months": 0}),
    ("娃户口在四川，我本人是宁波户口", None, {"children.hukou": "other", "hukou": "ningbo"}),
    # a scheme is not another scheme
    ("在老家交的城乡居民医保，交了三年", None, {}),
    # segmentation: spaces and run-on text
    ("医保交了16个月 孩子2岁 外地户口", None, {"employee_medical_months": 16, "children.age": 2}),
    # replies read against the question
    ("勿是", "works_in_ningbo", {"works_in_ningbo": False}),
    ("交了十个月", "children.hukou", {}),
    ("十四", "employee_medical_months", {"employee_medical_months": 14}),
    # a figure asked about is no value
    ("环卫要干满几年才能申请", None, {}),
    # staff shorthand: a province's one-character name + 籍 is a hukou elsewhere (the province is not guessed),
    # 在甬从业 is working in Ningbo
    ("来电人，男，皖籍，在北仑务工", None, {"hukou": "other", "hukou_province": None, "works_in_ningbo": True}),
    ("员工（湘籍）去年入职", None, {"hukou": "other"}),
    ("其子渝籍 今年5岁", None, {"children.hukou": "other", "hukou": None}),
    ("本人甬籍", None, {"hukou": "ningbo"}),
    ("电工，在甬从业6年", None, {"works_in_ningbo": True}),
    # zero: one of a thing, then 都/也 and a negator, is none of it
    ("这个员工还在试用期，社保一个月都还没交", None, {"social_insurance_months": 0}),
    ("社保记录查出来是空的，一个月也没有", None, {"social_insurance_months": 0}),
    ("证书一本都没有，职称也没有", None, {"skill_level": "none", "professional_title": "none"}),
    ("技能证书一个也没考", None, {"skill_level": "none"}),
    ("交了一年都不到", None, {"social_insurance_months": None, "employee_medical_months": None}),
    # whose: both of two people joined (两个都), and the one a thing is done for (没给我交: 没 still covers 交)
    ("我跟我老公两个都没交职工医保", None, {"employee_medical_months": 0, "spouse_employee_medical_months": 0}),
    ("单位没给我交五险", None, {"social_insurance_months": 0}),
    ("我没房 他有", None, {"owns_home_in_ningbo": False}),
    # works in Ningbo: a trade verb beside a Ningbo place, a staff note's place field, the enterprise's place
    # for its employee; not when the work clause names another place
    ("我是开公交的 在宁波开了十二年 有房子", None, {"works_in_ningbo": True}),
    ("户籍：安徽 工种：环卫 一线 在甬年限：9年", None, {"works_in_ningbo": True}),
    ("我们公司在北仑，员工老周社保交了6年", None, {"works_in_ningbo": True}),
    ("我们公司在北仑，想问企业奖励", None, {"works_in_ningbo": None}),
    ("在宁波3年 在老家干环卫", None, {"works_in_ningbo": None}),
    ("我在宁波住了3年，在老家干环卫", None, {"works_in_ningbo": None}),
])
def test_mechanisms(text, asked, facts):
    got = _read(text, asked).facts
    assert {p: got.get(p) for p in facts} == facts, got
    if not facts:
        assert not {p for p in got if p.endswith("months")}, got


# -------------------------------------------------------------------------------------- properties --
AFFIRM_HOME = ["有", "买了", "有一套"]
DENY_HOME = ["没有", "没", "还没有", "木有", "冇", "没买"]
AFFIRM_PERMIT = ["有", "办了", "已办"]
DENY_PERMIT = ["没有", "没办", "还没办", "未办", "尚未办理", "没得"]
LEAD = st.sampled_from(["", "嗯", "那个", "我说下，"])
TAIL = st.sampled_from(["", "的", "呢", "。"])


@settings(max_examples=60, deadline=None)
@given(LEAD, TAIL, st.sampled_from(AFFIRM_HOME), st.sampled_from(DENY_HOME))
def test_a_negation_word_in_front_of_a_predicate_flips_it(lead, tail, yes, no):
    said = _read(f"{lead}我在宁波{yes}房子{tail}").facts.get("owns_home_in_ningbo")
    denied = _read(f"{lead}我在宁波{no}房子{tail}").facts.get("owns_home_in_ningbo")
    assert said is True and denied is False


@settings(max_examples=60, deadline=None)
@given(LEAD, TAIL, st.sampled_from(AFFIRM_PERMIT), st.sampled_from(DENY_PERMIT))
def test_a_negation_word_flips_the_childs_permit(lead, tail, yes, no):
    assert _read(f"{lead}孩子{yes}居住证{tail}").facts.get("children.residence_permit") is True
    assert _read(f"{lead}孩子{no}居住证{tail}").facts.get("children.residence_permit") is False


PIECES = st.lists(st.sampled_from([
    "职工医保交了{n}个月", "孩子{a}岁", "在北仑上班", "宁波没房子", "户口在安徽", "社保交了{n}个月", "老公医保交了{n}个月",
]), min_size=2, max_size=4, unique=True)


@settings(max_examples=80, deadline=None)
@given(PIECES, st.integers(1, 60), st.integers(0, 6), st.sampled_from([" ", "  ", "，", "。"]))
def test_commas_or_spaces_between_facts_keep_the_facts(pieces, n, a, sep):
    parts = [p.format(n=n, a=a) for p in pieces]
    with_commas = _read("，".join(parts)).facts
    assert _read(sep.join(parts)).facts == with_commas
    # every piece states a fact of its own, up to the spouse's: what follows it may be the spouse's too
    spouse = next((i for i, p in enumerate(pieces) if p.startswith("老公")), len(pieces) - 1)
    assert len(with_commas) >= spouse + 1


NOT_ANSWERS = st.sampled_from(["交了{n}个月", "{n}", "孩子{a}岁", "{n}个月了", "干了{n}年", "在厂里{n}年"])


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(schema.yes_no_paths())), NOT_ANSWERS, st.integers(1, 30), st.integers(0, 6))
def test_a_reply_with_no_answer_word_never_answers_a_yes_no_question(asked, text, n, a):
    assert asked not in _read(text.format(n=n, a=a), asked).facts


ACKNOWLEDGEMENTS = ["好的，谢谢", "好的", "行吧", "嗯嗯好的", "知道了 谢谢您", "OK", "ok的", "好的好的", "收到 辛苦了",
                    "明白了，谢谢啊", "可以的", "好嘞 麻烦了", "👌", "行，谢了", "晓得了", "了解，感谢", "中，谢谢",
                    "好滴~", "嗯 知道啦", "那好吧，谢谢你"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(schema.yes_no_paths())), st.sampled_from(ACKNOWLEDGEMENTS))
def test_an_acknowledgement_answers_no_yes_no_question(asked, text):
    """好的 / 知道了，谢谢 accepts or thanks: it is flagged, and never read as yes to a question of fact."""
    reading = _read(text, asked)
    assert reading.facts == {} and reading.acknowledgement


@pytest.mark.parametrize("text, value", [("是的，谢谢", "ningbo"), ("嗯", "ningbo"), ("不是 谢谢", "other"),
                                         ("有", "ningbo"), ("对的 好的", "ningbo")])
def test_an_answer_word_before_the_thanks_still_answers(text, value):
    reading = _read(text, "children.hukou")
    assert reading.facts == {"children.hukou": value} and not reading.acknowledgement


@pytest.mark.parametrize("text", ["好，我再问问我老公", "可以在宁波交吗", "好的我孩子4岁", "谢谢，不过我没有居住证"])
def test_more_than_an_acknowledgement_is_no_acknowledgement(text):
    assert not _read(text, "children.hukou").acknowledgement


# ------------------------------------------------------------------------------------ command line --
@pytest.mark.parametrize("text, asked, want, absent", [
    # an enterprise's headcount: a number with a unit beside the counted noun, said of the enterprise
    ("我司符合条件的紧缺高技能人才共有27名", None, {"employer.shortage_high_skill_headcount": 27}, []),
    ("本企业高级工二十一人", None, {"employer.shortage_high_skill_headcount": 21}, []),
    ("咱厂8个高级技师", None, {"employer.shortage_high_skill_headcount": 8}, []),
    ("我们公司紧缺人才人数为0", None, {"employer.shortage_high_skill_headcount": 0}, []),
    ("25人", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": 25}, []),
    ("我们厂紧缺人才二三十个", None, {}, ["employer.shortage_high_skill_headcount"]),   # a range: no figure
    ("我们班组有4个技师", None, {}, ["employer.shortage_high_skill_headcount"]),      # not the enterprise
    # an enterprise's statement is not the worker's own 紧缺工种
    ("我们企业紧缺高技能人才12人", None, {}, ["employer.shortage_high_skill_staff"]),
    # institutions and their ratings; a negated rating leaves the institution
    ("我们单位建了市级实训基地，上回评估良好", None,
     {"employer.runs_training_base": True, "employer.training_base_rating": "not_excellent"}, []),
    ("大师工作室去年没评上优秀", None,
     {"employer.runs_master_studio": True, "employer.master_studio_rating": "not_excellent"}, []),
    ("技能大师工作室刚挂牌", None, {"employer.master_studio_rating": "pending"}, []),
    ("实训基地我们还没有", None, {"employer.runs_training_base": False}, []),
    ("要评上优秀才有钱吗", "employer.master_studio_rating", {}, ["employer.master_studio_rating"]),
    ("优秀", "employer.training_base_rating", {"employer.training_base_rating": "excellent"}, []),
    ("公司打算申报大师工作室", None, {}, ["employer.runs_master_studio"]),            # a plan, not a studio
    ("培训包专家评审通过了", None, {"employer.training_package_approved": True}, []),
    ("专家评审一般几月份", None, {}, ["employer.training_package_approved"]),       # the evaluation, no outcome
    # a period (两年一次, 每两年) is how often, no time worked; 工作 in 工作室 is no one working
    ("工作室是每两年考核吗", None, {}, ["work_months"]),
    ("绩效评估三年一回吗", None, {}, ["work_months"]),
    ("我们没有大师工作室", None, {"employer.runs_master_studio": False}, ["works_in_ningbo"]),
    # the topic first, then who, then the negator (房子我们没有): the negation still covers the topic
    ("房子我们家没有", None, {"owns_home_in_ningbo": False}, []),
])
def test_organisation_facts(text, asked, want, absent):
    got = read(text, asked, date(2026, 12, 3)).facts
    assert {k: got.get(k) for k in want} == want, got
    assert not set(absent) & set(got), got


@pytest.mark.parametrize("text, want, absent", [
    # asking for someone else: that person is the worker of the profile, the caller is who they are to them
    ("来电人替其妻咨询：其妻职工医保缴费18个月，来电人未参保", {"employee_medical_months": 18,
                                              "spouse_employee_medical_months": 0}, []),
    ("帮我老公打听一下，他在镇海开公交开了六年", {"occupation": "public_transport", "works_in_ningbo": True}, []),
    ("我姐让我问下，她社保在宁波交了三年", {"social_insurance_months": 36}, []),
    ("俺哥托俺问问，他医保交了十个月", {"employee_medical_months": 10}, []),
    # a helper word without a question asked for them: the caller's own facts
    ("我帮老公看店，我医保交了两年", {"employee_medical_months": 24}, ["spouse_employee_medical_months"]),
    ("我哥叫我去宁波，我社保交了一年", {"social_insurance_months": 12}, []),
    # no proxy: another person's facts stay theirs
    ("我弟在宁波社保交了两年", {}, ["social_insurance_months"]),
])
def test_asking_for_someone_else_makes_them_the_worker(text, want, absent):
    got = read(text, None, date(2026, 12, 3)).facts
    assert {k: got.get(k) for k in want} == want, got
    assert not set(absent) & set(got), got


@pytest.mark.parametrize("text, growth, lower_bound", [
    # the sign is the growth or decline word nearest before the figure; 同比 / 比上年 only name a growth rate
    ("高技能人才同比减少了6%", -6, None),
    ("较上年下滑百分之三", -3, None),
    ("去年没涨，今年反而少了1.5%", -1.5, None),
    ("同比负增长2%", -2, None),
    ("比上年增长了9%", 9, None),
    ("同比7%", 7, None),
    ("较去年增长5%以上", None, 5),
    ("增幅不足5%", None, None),            # an upper bound: no figure
    ("高技能人才没有增加", 0, None),        # growth denied, no figure
    ("社保交了80%", None, None),            # a percentage of something else
])
def test_the_sign_of_a_growth_rate(text, growth, lower_bound):
    r = read(text, None, date(2026, 12, 3))
    assert r.facts.get("employer.high_skill_growth_pct") == growth, r
    assert r.vague.get("employer.high_skill_growth_pct") == lower_bound, r


def test_cli_reads_json_lines_and_names_the_bad_ones():
    lines = "\n".join([json.dumps({"text": "医保交了14个月，孩子3岁", "asked": None}, ensure_ascii=False),
                       "{not json", json.dumps({"text": 3}), json.dumps({"text": "有", "asked": "nonsense"}),
                       json.dumps({"text": "有的", "asked": "children.residence_permit"}, ensure_ascii=False)])
    run = subprocess.run([sys.executable, "-m", "facts", "read", "--json", "--as-of", "2026-12-01", "-"],
                         input=lines, capture_output=True, text=True, timeout=60)
    out = [json.loads(x) for x in run.stdout.splitlines()]
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert out[0]["facts"] == {"employee_medical_months": 14, "children.age": 3}
    assert out[1]["error"].startswith("line 2: not JSON")
    assert out[2]["error"].startswith("line 3:") and "text" in out[2]["error"]
    assert out[3]["error"].startswith("line 4:") and "nonsense" in out[3]["error"]
    assert out[4]["facts"] == {"children.residence_permit": True}


@pytest.mark.parametrize("text, want, absent", [
    # a level or title counted is a headcount of other people, not the speaker's own level
    ("我们车间有3个技师", {}, ["skill_level"]),
    ("厂里两名高级工都退休了", {}, ["skill_level"]),
    ("我们组俩高级工", {}, ["skill_level"]),
    ("我们这有不少高级技师", {}, ["skill_level"]),
    ("单位里好几个工程师", {}, ["professional_title"]),
    ("班上十几个中级工", {}, ["skill_level"]),
    # the speaker's own, beside a count of others
    ("我们班组有两个高级工，我是中级工", {"skill_level": "intermediate"}, []),
    ("公司有十几个高级工，我是技师", {"skill_level": "technician"}, []),
    ("厂里有好几个工程师，我还是助理工程师", {"professional_title": "assistant_engineer"}, []),
    # one is no count: the speaker
    ("我是一名技师", {"skill_level": "technician"}, []),
    ("本人一个高级工", {"skill_level": "senior"}, []),
    ("我是高级工", {"skill_level": "senior"}, []),
])
def test_a_counted_level_is_other_people(text, want, absent):
    got = read(text, None, date(2026, 12, 3)).facts
    assert {k: got.get(k) for k in want} == want, got
    assert not set(absent) & set(got), got


# ------------------------------------------------------------------- mechanisms added on 2026-12-03 --
# Each class in several people's ways (a worker on WeChat, a hotline note, an HR person), none a table's sentence.
@pytest.mark.parametrize("text, asked, facts, vague", [
    # vague amounts: the tens said before 几 / 好几 are the bound (not 十几 inside them); 第N年 is N-1 whole years;
    # 一年余 / 一年零几个月 / 好些年 are lower bounds; a growth 超过 / 出头 a percentage is a lower bound
    ("职工医保断断续续算下来三十几个月", None, {}, {"employee_medical_months": 30}),
    ("俺开公交开了二十好几年", None, {"occupation": "public_transport"}, {"occupation_years_in_ningbo": 20}),
    ("来电人称社保缴费两年零几个月", None, {}, {"social_insurance_months": 24}),
    ("老婆的医保交了好些年", None, {}, {"spouse_employee_medical_months": 24}),
    ("扫大街今年是第六年", None, {"occupation": "sanitation"}, {"occupation_years_in_ningbo": 5}),
    ("今年高技能人才比上年增长超过了7%", None, {}, {"employer.high_skill_growth_pct": 7}),
    ("同比增长百分之六出头", None, {}, {"employer.high_skill_growth_pct": 6}),
])
def test_vague_amounts_are_lower_bounds(text, asked, facts, vague):
    r = _read(text, asked)
    assert {p: r.facts.get(p) for p in facts} == facts and {p: r.vague.get(p) for p in vague} == vague, (r.facts, r.vague)
    assert not set(vague) & set(r.facts)


@pytest.mark.parametrize("text, asked, facts", [
    # months paid in another city (在杭州 / 苏州那边) are not months in Ningbo; 宁波这边还没 is none here
    ("以前在苏州那边交过三年社保，宁波这边还没有", None, {"social_insurance_months": 0}),
    ("职工医保在嘉兴交了一年半，来宁波后交了4个月", None, {"employee_medical_months": 4}),
    ("我老婆在上海交的医保有两年", None, {"spouse_employee_medical_months": None}),
    ("户口在河南，医保交了两年", None, {"employee_medical_months": 24}),   # a hukou place is no place of payment
    # a staff note's bare figure beside the trade is the trade's years
    ("户籍 贵州 / 公交 / 一线 / 11年", None, {"occupation": "public_transport", "occupation_years_in_ningbo": 11}),
    ("来电人环卫，象山，六年，无房", None, {"occupation_years_in_ningbo": 6, "owns_home_in_ningbo": False}),
    ("在老家干环卫，在宁波3年", None, {"occupation_years_in_ningbo": None}),
    # a list of people with a figure or a none each: the scheme named before is every item's
    ("社保的话，我二十个月，他十个月", "social_insurance_months", {"social_insurance_months": 20}),
    ("职工医保：本人9个月；其夫：无", None, {"employee_medical_months": 9, "spouse_employee_medical_months": 0}),
    ("我俩都交的职工医保 我十四个月 她八个月", None,
     {"employee_medical_months": 14, "spouse_employee_medical_months": 8}),
    ("员工在甬社保缴费记录为零", None, {"social_insurance_months": 0}),
    # a reply about the person asked about: 他 / 她 is that person; a figure of someone else goes to them
    ("他在工地上，从来没交过", "spouse_employee_medical_months", {"spouse_employee_medical_months": 0,
                                                          "employee_medical_months": None}),
    ("我没交，是老公在交，十三个月了", "employee_medical_months",
     {"employee_medical_months": 0, "spouse_employee_medical_months": 13}),
    # segmentation: in a run-on clause each figure takes the scheme said before it, or right after it
    ("在北仑厂里干了四年社保也交了四年医保交了三年", None,
     {"work_months": 48, "social_insurance_months": 48, "employee_medical_months": 36}),
    ("社保交了二十个月医保交了十五个月", None, {"social_insurance_months": 20, "employee_medical_months": 15}),
    ("交了两年医保", None, {"employee_medical_months": 24}),
    ("来宁波半年了一直没上班", None, {"work_months": 0}),
    # scheme words: 城乡居民 (基本医疗保险) is no 职工医保; a programme's name is no home
    ("参加的是城乡居民基本医疗保险，缴了三年", None, {"employee_medical_months": None}),
    ("公租房怎么申请，我在宁波干了五年", None, {"owns_home_in_ningbo": None, "work_months": 60}),
])
def test_places_lists_and_run_on_figures(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # replies: a bare 在 answers 在…吗; time words before the answer word; a duration answers the years
    # question; a place answers the province question; a bare grade is the grade of what was asked
    ("在的呀", "works_in_ningbo", {"works_in_ningbo": True}),
    ("在呢", "employer.shortage_high_skill_staff", {"employer.shortage_high_skill_staff": True}),
    ("在老家", "works_in_ningbo", {"works_in_ningbo": None}),
    ("早就办好了", "children.residence_permit", {"children.residence_permit": True}),
    ("已经办了的", "children.residence_permit", {"children.residence_permit": True}),
    ("八年多一点", "occupation_years_in_ningbo", {"occupation_years_in_ningbo": None}),
    ("整七年", "occupation_years_in_ningbo", {"occupation_years_in_ningbo": 7}),
    ("四川南充", "hukou_province", {"hukou_province": "四川"}),
    ("高级的", "skill_level", {"skill_level": "senior"}),
    ("有个高级工证", "professional_title", {"professional_title": None, "skill_level": "senior"}),
    ("同事是宁波户口，我不是", None, {"hukou": "other"}),
])
def test_replies_read_against_the_question(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # an enterprise's headcount of 紧缺高技能人才 needs no subject; 三十多 is a bound; it is no worker's 工种
    ("紧缺高技能人才：共计18人", None, {"employer.shortage_high_skill_headcount": 18,
                                   "employer.shortage_high_skill_staff": None}),
    ("去年紧缺人才一共二十五名", None, {"employer.shortage_high_skill_headcount": 25}),
    ("今年比去年增长9%，紧缺高技能人才12人", None,
     {"employer.high_skill_growth_pct": 9, "employer.shortage_high_skill_headcount": 12}),
    ("高技能人才一个也没多，增长为零", None, {"employer.high_skill_growth_pct": 0}),
    ("高技能人才数量没增加，跟前年一样多", None, {"employer.high_skill_growth_pct": 0}),
    # dialect: 阿拉 / 自家 / 伊 / 小人 (宁波话), 孩儿 / 娃子, 个仔 / 个女 (粤), 呒没 / 勿曾, 返工
    ("阿拉小人四岁，伊个居住证呒没", None, {"children.age": 4, "children.residence_permit": False}),
    ("阿拉自家医保勿曾交过", None, {"employee_medical_months": 0}),
    ("我个仔三岁，户口喺广西", None, {"children.age": 3, "children.hukou": "other"}),
    ("喺慈溪返工五年", None, {"works_in_ningbo": True, "work_months": 60}),
    ("俺孩儿两岁 俺娃子户口也在老家", None, {"children.age": 2, "children.hukou": "other"}),
    # an echo repeats a negation (俺不是宁波户口，娃也不是) and flips an affirmation (我是，娃不是)
    ("我没有宁波户口，孩子也没有", None, {"hukou": "other", "children.hukou": "other"}),
    ("我是宁波户口，娃不是", None, {"hukou": "ningbo", "children.hukou": "other"}),
])
def test_headcounts_and_dialect_words(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # negation scope: a negated object then a new predicate (没房是一线 / 没房子有居住证); a choice is denied only
    # where its own word is negated; 不是没有证 denies the none
    ("在鄞州扫马路八年没房是一线的", None, {"owns_home_in_ningbo": False, "frontline": True, "occupation": "sanitation"}),
    ("我们没房子有居住证", None, {"owns_home_in_ningbo": False}),
    ("孩子没房子有居住证", None, {"children.residence_permit": True}),
    ("在北仑开公交开了九年了没有房子", None, {"occupation": "public_transport", "owns_home_in_ningbo": False}),
    ("我不是环卫工", None, {"occupation": None}),
    ("也不是没证，就是个初级工", "skill_level", {"skill_level": "junior"}),
    ("技师证有的，职称倒是没评", None, {"skill_level": "technician", "professional_title": "none"}),
    ("居住证是没有的", None, {}),
    ("房子是没有的", None, {"owns_home_in_ningbo": False}),
    # whose: 之 as 的 (来电人之女); a place before 的 + a trade is where one works, not a hukou
    ("来电人之女三岁，户籍江西", None, {"children.age": 3, "children.hukou": "other", "hukou": None}),
    ("俺是镇海的保洁员", None, {"hukou": None, "occupation": "sanitation"}),
    ("我是镇海的", "hukou", {"hukou": "ningbo"}),
    # the child's hukou follows a parent whose hukou was said (随她 / 跟他爸 / 随母)
    ("老婆是本地户口，娃跟着她", None, {"children.hukou": "ningbo"}),
    ("我户口宁波的 老公是安徽人 小孩户口随他爸", None, {"hukou": "ningbo", "children.hukou": "other"}),
    ("来电人外地户籍，其夫甬籍，其女随父户籍", None, {"hukou": "other", "children.hukou": "ningbo"}),
    ("孩子已落户宁波", None, {"children.hukou": "ningbo"}),
    ("没能在宁波落户，户口还在湖南", None, {"hukou": "other", "hukou_province": "湖南"}),
    # a verb after a work word, negated, is not the work negated
    ("上周刚进厂，还没给交社保", None, {"works_in_ningbo": None, "social_insurance_months": 0}),
])
def test_negation_scope_whose_and_follow(text, asked, facts):
    got = _read(text, asked).facts
    assert {p: got.get(p) for p in facts} == facts, got
    if not facts:
        assert not got, got


@pytest.mark.parametrize("text, asked, facts", [
    # a label is answered by the next clause only when that clause states nothing of its own (一线 没房: both)
    ("公交 十年 一线 没房子", None, {"frontline": True, "owns_home_in_ningbo": False}),
    ("居住证 没得", None, {"children.residence_permit": None}),
    # a figure said alone after the scheme it is of (社保是单位交的，已经两年了)
    ("社保是厂里帮我交的，已经二十个月了", None, {"social_insurance_months": 20}),
    ("医保也有给交 大概是十个月", None, {"employee_medical_months": 10}),
    # a start of work, then "since then" in the payment clause: the months since that start
    ("小王2025年4月入职，从那时起单位就给他交社保", None, {"social_insurance_months": 20}),
    ("该职工去年10月进厂，当月参保职工医保", None, {"employee_medical_months": 14}),
    ("2024年1月入职的，医保自入职起一直未断", None, {"employee_medical_months": 35}),
    # a child's age said in months (宝宝才十个月, 十四个月大); 未满月 is a newborn
    ("我家宝宝才十个月，户口在安徽", None, {"children.age": 0}),
    ("小孩十四个月大", None, {"children.age": 1}),
    ("其女出生未满月", None, {"children.age": 0}),
    ("我交了十个月医保", None, {"children.age": None, "employee_medical_months": 10}),
    # both of two people (谁都没), and a Ningbo place before the answer word (这边没有)
    ("我跟媳妇谁都没交过社保", None, {"social_insurance_months": 0}),
    ("宁波这边没有", "owns_home_in_ningbo", {"owns_home_in_ningbo": False}),
    # whose: a self word, then 家 / 们 / 的 / 之, then a person is that person; staff shorthand 妻 / 夫
    ("俺家闺女五岁，户口在甘肃", None, {"children.age": 5, "children.hukou": "other", "hukou": None}),
    ("我们小孩户口还在老家", None, {"children.hukou": "other", "hukou": None}),
    ("来电人夫：社保缴了两年；来电人本人：未缴", None,
     {"social_insurance_months": 0}),
    ("本人医保9个月，妻缴16个月", None, {"employee_medical_months": 9, "spouse_employee_medical_months": 16}),
    ("我们夫妻俩都在北仑上班", None, {"works_in_ningbo": True}),
    # 咨询人 names the caller: its 咨询 asks nothing (咨询人系公交司机 states a trade)
    ("咨询人系公交司机，在甬九年", None, {"occupation": "public_transport", "occupation_years_in_ningbo": 9}),
    ("来电人咨询孩子能否参保", None, {}),
])
def test_labels_lone_figures_starts_and_ages(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # the generic 医保 of 居民医保 / 城乡居民医保 is part of the longer word: the scheme is the resident one
    ("医保交的是居民医保，交了两年", None, {"employee_medical_months": None}),
    ("我的医保其实是城乡居民医保，有三年了", None, {"employee_medical_months": None}),
    ("医保买的居民医保 一年多", None, {"employee_medical_months": None}),
    ("医保嘛，交的新农合，五六年了", None, {"employee_medical_months": None}),
    ("医保是职工医保，交了两年", None, {"employee_medical_months": 24}),
    # a time adverb holding a clause-break word (到现在, 到目前为止) is no clause break: the negator after it
    # still covers the word before it
    ("孩子居住证到现在还没办下来", None, {"children.residence_permit": False}),
    ("娃的居住证到目前为止也没办", None, {"children.residence_permit": False}),
    ("宁波的房子一直到现在都没买", None, {"owns_home_in_ningbo": False}),
    ("我现在在宁波上班", None, {"works_in_ningbo": True}),
])
def test_words_inside_longer_words(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # 第N个月 / 头一个月 is which month, not how many
    ("刚上班第一个月，还没扣过社保", "social_insurance_months", {"social_insurance_months": 0}),
    ("进厂头一个月就住院了", None, {"employee_medical_months": None, "work_months": None}),
    # a year in Chinese digits before a month, a start or a birth is that year (二三年三月份 = 2023-03)
    ("社保是从二三年三月份开始交的", None, {"social_insurance_months": 45}),
    ("小孩是二二年五月份生的", None, {"children.age": 4}),
    ("娃二零二一年十月出生", None, {"children.age": 5}),
    # a birth day in this month decides whether the birthday has come
    ("22年12月20号生的", "children.age", {"children.age": 3}),
    ("22年12月1号生的", "children.age", {"children.age": 4}),
    # 两三年 / 三四个月 is a range: vague, never the larger figure
    ("干了两三年了", "work_months", {"work_months": None}),
    # a correction in a later clause replaces the figure before it; a figure denied (不是十个月) is no value
    ("十个月，不对，应该是十四个月", "employee_medical_months", {"employee_medical_months": 14}),
    ("医保交了8个月，说错了，是18个月", None, {"employee_medical_months": 18}),
    ("不是十个月 是十六个月", "employee_medical_months", {"employee_medical_months": 16}),
    ("不是十个月", "employee_medical_months", {"employee_medical_months": None}),
    ("我医保交了10个月，老婆交了两年", None, {"employee_medical_months": 10, "spouse_employee_medical_months": 24}),
])
def test_ordinals_chinese_years_ranges_and_corrections(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a word's own yes predicate (办了, 办好了, 有的) ends the scope of a negator before it
    ("小孩五岁户口不在宁波居住证办了", None, {"children.hukou": "other", "children.residence_permit": True}),
    ("娃不是宁波户口 居住证办好了", None, {"children.hukou": "other", "children.residence_permit": True}),
    ("孩子没在宁波上户口，居住证倒是有的", None, {"children.residence_permit": True}),
    ("孩子居住证没办", None, {"children.residence_permit": False}),
    # other people (siblings, in-laws, neighbours): their facts are not the worker's
    ("我大哥是环卫工干了八年了", None, {"occupation": None, "occupation_years_in_ningbo": None}),
    ("我表弟在宁波交了三年社保", None, {"social_insurance_months": None}),
    ("邻居家房子在宁波", None, {"owns_home_in_ningbo": None}),
    # staff shorthand 之子 / 之女 / 之妻 / 之夫 (来电人之子): that person
    ("来电人之子10个月大，户口登记在老家", None, {"children.age": 0, "children.hukou": "other", "hukou": None}),
    ("来电人之妻职工医保缴费24月，来电人未缴", None,
     {"spouse_employee_medical_months": 24, "employee_medical_months": 0}),
    # a parent asked about and named with their facts is the worker; named once, the caller's facts stay theirs
    ("来电人咨询其父环卫住房，其父在海曙做一线环卫8年", None, {"occupation_years_in_ningbo": 8}),
    ("来电人本人宁波户籍，咨询其母养老事宜", None, {"hukou": "ningbo"}),
])
def test_negation_scope_ends_at_a_yes_and_other_people(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # dialect numerals and words: 廿 (吴语 twenty), 粤语 唔系 (不是) and 买咗 (买了)
    ("医保我交了廿个月", None, {"employee_medical_months": 20}),
    ("社保交咗廿三个月", None, {"social_insurance_months": 23}),
    ("医保系公司帮我买嘅，买咗十八个月", None, {"employee_medical_months": 18}),
    ("唔系宁波户口", "children.hukou", {"children.hukou": "other"}),
    # pinyin slips of a spouse word or a duration (老攻, 一念半, 三念)
    ("我老攻在宁波交了两年医保", None, {"spouse_employee_medical_months": 24, "employee_medical_months": None}),
    ("社保交了三念了", None, {"social_insurance_months": 36}),
    ("医保交了一念半", None, {"employee_medical_months": 18}),
    # 啥的 / 什么的 ("and such") ask nothing; a clause a question word begins is the question part
    ("个体户，社保啥的一分钱没交过", None, {"social_insurance_months": 0}),
    ("五险什么的都没交", None, {"social_insurance_months": 0}),
    ("社保啥时候能交", None, {}),
    ("医保什么时候可以交", None, {}),
])
def test_dialect_slips_and_question_parts(text, asked, facts):
    reading = _read(text, asked)
    assert {p: reading.facts.get(p) for p in facts} == facts, reading.facts
    if not facts:
        assert not reading.facts and not reading.vague, reading


@pytest.mark.parametrize("text, asked, facts", [
    # 更别说 / 更别提 (let alone) after a no: the thing named has none either
    ("技能证书一个都没有 职称更别说了", "skill_level", {"skill_level": "none", "professional_title": "none"}),
    ("证书都没考过，更别提职称了", None, {"skill_level": "none", "professional_title": "none"}),
    ("职称就更别提了，没有", None, {"professional_title": "none"}),
    # a bare figure after payments placed elsewhere is of those payments; 宁波这边没有 then is none here
    ("社保是在老家河南交的，交了十二年，宁波这边没有", None, {"social_insurance_months": 0}),
    ("医保之前在苏州交的，交了三年", None, {"employee_medical_months": None}),
    # a later stint of the same scheme (又交了 / 再缴了) adds to the one before
    ("先在鄞州一个厂交了10个月医保后来换到北仑又交了7个月", None, {"employee_medical_months": 17}),
    ("医保交了一年，断了半年，后来又交了五个月", None, {"employee_medical_months": 17}),
    ("我医保交了10个月，老婆又交了两年", None, {"employee_medical_months": 10, "spouse_employee_medical_months": 24}),
])
def test_let_alone_places_carried_and_stints_added(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # zero said to a headcount question (零个, 一个都没有)
    ("掰着指头数也是零个", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": 0}),
    ("一个都没有", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": 0}),
    ("3个", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": 3}),
    # a price per year or month (一年两千多, 一个月一千五) is no duration; 至少 / 起码 keep a lower bound
    ("我买的是商业医疗险，一年两千多", "employee_medical_months", {}),
    ("房租一个月一千五", "work_months", {"work_months": None}),
    ("职工医保至少交了18个月", None, {"employee_medical_months": None}),
    # a reply naming what there is instead (租的), to the question or after a bare label
    ("租的", "owns_home_in_ningbo", {"owns_home_in_ningbo": False}),
    ("户口 贵州 房子 租的", None, {"owns_home_in_ningbo": False, "hukou": "other"}),
    ("我是跑出租的", None, {"owns_home_in_ningbo": None}),
    # a reply may start with when and for whom (上礼拜刚给他办下来)
    ("上礼拜刚给他办下来", "children.residence_permit", {"children.residence_permit": True}),
    ("前几天给娃办好了", "children.residence_permit", {"children.residence_permit": True}),
    # 还在 after a negator states what still is; a province after 老家 is the hukou's; a wish is no hukou
    ("户口也没迁过来还在江西", None, {"hukou": "other", "hukou_province": "江西"}),
    ("我户口在老家山东", None, {"hukou": "other", "hukou_province": "山东"}),
    ("我想落户宁波，现在户口在黑龙江", None, {"hukou": "other", "hukou_province": "黑龙江"}),
    ("打算把户口迁到宁波", None, {"hukou": None}),
])
def test_zero_counts_rates_replies_and_hukou_places(text, asked, facts):
    reading = _read(text, asked)
    assert {p: reading.facts.get(p) for p in facts} == facts, reading.facts
    if not facts:
        assert not reading.facts, reading.facts


@pytest.mark.parametrize("text, asked, facts", [
    # several schemes named together, then one figure (都 / 均 / 一起): the figure is each one's
    ("社保医保都交了两年", None, {"social_insurance_months": 24, "employee_medical_months": 24}),
    ("社保和医保一起交的，都是两年半", None, {"social_insurance_months": 30, "employee_medical_months": 30}),
    ("社保、医保均已缴纳两年", None, {"social_insurance_months": 24, "employee_medical_months": 24}),
    ("社保交了两年，医保没交", None, {"social_insurance_months": 24, "employee_medical_months": 0}),
    # only parts of 社保 other than 医保 paid (工伤, 养老): no 职工医保; 只交公积金 says nothing of insurance
    ("单位只给我交了工伤险，别的都没有", None, {"employee_medical_months": 0, "social_insurance_months": None}),
    ("我们公司只交了养老和工伤", None, {"employee_medical_months": 0}),
    ("单位只给我交公积金", None, {"employee_medical_months": None}),
    ("养老保险交了8年", None, {"social_insurance_months": None, "employee_medical_months": None}),
    # 粤语 trades and homes (揸巴士, 冇买楼)
    ("我喺北仑揸巴士", None, {"occupation": "public_transport", "works_in_ningbo": True}),
    ("喺宁波冇买楼", None, {"owns_home_in_ningbo": False}),
])
def test_schemes_together_and_in_part(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a grandparent or parent-in-law speaking: their son or daughter is the worker, the child-in-law the spouse,
    # the grandchild the child, and their own facts are no one's in the profile
    ("我孙子两岁，我儿子职工医保交了一年半，儿媳妇没交", None,
     {"children.age": 2, "employee_medical_months": 18, "spouse_employee_medical_months": 0}),
    ("来电人称孙女3岁，其女儿医保交了10个月，女婿未缴", None,
     {"children.age": 3, "employee_medical_months": 10, "spouse_employee_medical_months": 0}),
    ("我是替我女婿问的，他交了两年职工医保，我女儿没交", None,
     {"employee_medical_months": 24, "spouse_employee_medical_months": 0}),
    ("我是孩子奶奶，我在宁波没交过医保，孙子4岁", None, {"employee_medical_months": None, "children.age": 4}),
    # a son or daughter otherwise is the child; the grandparents named (not speaking) change nothing
    ("我儿子3岁，户口在老家", None, {"children.age": 3, "children.hukou": "other"}),
    ("孩子外公外婆在宁波有房，我们自己没有", None, {"owns_home_in_ningbo": False}),
    ("来电人咨询其儿子：儿子在宁波技工学校读高级工班，家庭低保", None,
     {"student.in_ningbo_vocational_school": True, "student.family_hardship": "dibao"}),
])
def test_generations_whose_facts(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a question word, a colon, then what is said: a statement (咨询：他是外地户口)
    ("我是公司HR，帮员工小李咨询：他是外地户口，小李医保交了14个月", None,
     {"hukou": "other", "employee_medical_months": 14}),
    ("有个员工让我替他问一下：他户口安徽的", None, {"hukou": "other", "hukou_province": "安徽"}),
    ("来电人询问：本人宁波户籍", None, {"hukou": "ningbo"}),
    ("咨询：能不能交医保", None, {}),
])
def test_what_follows_a_colon_is_said(text, asked, facts):
    reading = _read(text, asked)
    assert {p: reading.facts.get(p) for p in facts} == facts, reading.facts
    if not facts:
        assert not reading.facts, reading.facts


@pytest.mark.parametrize("text, asked, facts", [
    # staff shorthand 子 / 女 before a field word (子户籍：甘肃, 子无居住证): the child
    ("已缴职工医保14个月；子无居住证；子户籍：甘肃；子年龄：2周岁", None,
     {"children.residence_permit": False, "children.hukou": "other", "children.age": 2, "hukou": None}),
    ("女户口宁波", None, {"children.hukou": "ningbo", "hukou": None}),
    # a technical school denied (没上过技校, 非技工院校毕业, 技校：非): no school class
    ("来电人：技师；职称：无；技校：非", None, {"technical_school_class": "none", "professional_title": "none"}),
    ("来电人高级工，无职称，非技工院校毕业", None, {"technical_school_class": "none"}),
    ("我读的普高，没上过技校", "technical_school_class", {"technical_school_class": "none"}),
    ("技校高级工班毕业的", None, {"technical_school_class": "senior"}),
])
def test_shorthand_persons_and_schools_denied(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # 嘛 with more words after it and no question mark asserts (…上班嘛然后…, 交了一年嘛，…): the facts stand
    ("我在北仑上班嘛然后社保交了十个月", None, {"works_in_ningbo": True, "social_insurance_months": 10}),
    ("俺是河南的嘛，医保交了一年多嘛，娃三岁", None, {"hukou": "other", "employee_medical_months": 12, "children.age": 3}),
    ("那个孩子是外地户口嘛就是想给他交医保", None, {"children.hukou": "other"}),
    # at the end of a message, before ？, or in 干嘛 it asks: no fact
    ("我能在宁波交社保嘛", None, {"works_in_ningbo": None}),
    ("孩子有居住证才行嘛？", None, {"children.residence_permit": None}),
    ("问我户口干嘛，我交了十个月社保", None, {"hukou": None, "social_insurance_months": 10}),
])
def test_an_assertive_particle_asks_nothing(text, asked, facts):
    reading = _read(text, asked)
    got = {**reading.facts, **{p: v for p, v in reading.vague.items()}} if isinstance(reading.vague, dict) \
        else reading.facts
    assert {p: got.get(p) for p in facts} == facts, (reading.facts, reading.vague)


@pytest.mark.parametrize("text, asked, facts", [
    # an enterprise's headcount across a time word or a comma (紧缺人才现在有56人, 紧缺高技能人才，目前30名)
    ("我司紧缺高技能人才，目前一共30名", None, {"employer.shortage_high_skill_headcount": 30}),
    ("公司的紧缺人才眼下有十八个，去年增长了6%", None,
     {"employer.shortage_high_skill_headcount": 18, "employer.high_skill_growth_pct": 6}),
    # none of them (没有一个…, 一个…都没有, 暂无…): zero, never the 一 of 一个
    ("咱们厂一个紧缺高技能人才都没有", None, {"employer.shortage_high_skill_headcount": 0}),
    ("本单位暂无符合条件的紧缺人才", None, {"employer.shortage_high_skill_headcount": 0}),
    ("我们公司没有一个算得上紧缺高技能人才的", None, {"employer.shortage_high_skill_headcount": 0}),
    # the enterprise named between the noun and its figure, and 的 inside the noun (紧缺的高技能人才我们公司有12个)
    ("紧缺型高技能人才本公司共有九名", None, {"employer.shortage_high_skill_headcount": 9}),
    ("紧缺的人才我们厂目前为零", None, {"employer.shortage_high_skill_headcount": 0}),
    # a question, a worker's own words, a figure of months: no headcount
    ("我们企业没有紧缺人才能申请吗", None, {"employer.shortage_high_skill_headcount": None}),
    ("我们公司紧缺高技能人才，社保满20个月", None, {"employer.shortage_high_skill_headcount": None}),
])
def test_headcounts_across_time_words_and_none(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a separable verb with an aspect particle inside (没上过班, 没打过工): never worked
    ("我从来没上过班，在家带孩子", None, {"work_months": 0, "works_in_ningbo": False}),
    ("她以前没打过工", "spouse_employee_medical_months", {"work_months": None}),
    # the child's father or mother named from the child (孩儿他爹, 娃她妈, 小孩的爸爸): the spouse
    ("娃她爹在工地，医保交了十个月", None, {"spouse_employee_medical_months": 10, "employee_medical_months": None}),
    ("小孩的爸爸交了两年医保，我没交", None, {"spouse_employee_medical_months": 24, "employee_medical_months": 0}),
    # a person joined to the worker (我跟孩子爸都…, 我和老婆都…) is who a later 他/她 names
    ("我和我男人都在镇海打工，他社保交了三年，我交了一年", None,
     {"social_insurance_months": 12, "works_in_ningbo": True}),
    ("我跟媳妇都在宁波上班，她医保交了8个月", None,
     {"spouse_employee_medical_months": 8, "employee_medical_months": None}),
])
def test_separable_verbs_parents_named_from_the_child_and_joined_persons(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, lower", [
    # two neighbouring numerals before 岁 (四五岁, 两三岁, 五六周岁): a range, vague with its lower bound
    ("四五岁吧", "children.age", 4),
    ("闺女大概两三岁", None, 2),
    ("孩子五六周岁了", None, 5),
])
def test_an_age_range_is_vague(text, asked, lower):
    reading = _read(text, asked)
    assert "children.age" not in reading.facts and reading.vague.get("children.age") == lower, reading


@pytest.mark.parametrize("text, age", [("老二三岁", 3), ("孩子十二岁", 12), ("第二个娃三岁", 3)])
def test_an_ordinal_or_a_ten_before_the_numerals_is_no_range(text, age):
    assert _read(text, None).facts.get("children.age") == age


@pytest.mark.parametrize("text, asked, facts", [
    # a level without 工 beside the certificate's name, or answering the skill question: the skill level
    ("职业技能等级证书：高级", None, {"skill_level": "senior"}),
    ("我手里有本初级的技能证", None, {"skill_level": "junior"}),
    ("考了个中级", "skill_level", {"skill_level": "intermediate"}),
    # beside a title word it is a title's level, someone else's, or denied: no skill level
    ("评了中级职称", None, {"skill_level": None}),
    ("我老婆有高级证书", None, {"skill_level": None}),
    ("中级证还没拿到", None, {"skill_level": None}),
    # a level whose exam was failed (考了两回都没考过) is denied; the one held stands
    ("技师考了三次没考上，现在还是高级工", None, {"skill_level": "senior"}),
    ("去年报了高级工，没通过", None, {"skill_level": None}),
])
def test_bare_levels_and_failed_exams(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # persons joined by 与/同/和 and a marker 均/都/皆 (来电人与其丈夫均为…): one statement of both
    ("来电人同其妻均系安徽籍", None, {"hukou": "other", "hukou_province": "安徽"}),
    ("本人与其丈夫均在宁波务工", None, {"works_in_ningbo": True}),
    ("我与爱人皆为宁波户籍", None, {"hukou": "ningbo"}),
])
def test_persons_joined_with_a_marker(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # the hukou named without a place, then where it (still) is, in the next clause
    ("户口一直没迁，还落在安徽老家", None, {"hukou": "other", "hukou_province": "安徽"}),
    ("我户口没转过来，在湖南", None, {"hukou": "other", "hukou_province": "湖南"}),
    # the child's hukou stated as the speaker's (随我, 跟我一样): the speaker's too
    ("闺女户口随我，都在江西", None, {"children.hukou": "other", "hukou": "other"}),
    ("小孩和我一样是甘肃户口", None, {"children.hukou": "other", "hukou": "other", "hukou_province": "甘肃"}),
    ("孩子跟着我在宁波住，户口在安徽", None, {"children.hukou": "other", "hukou": None}),
])
def test_hukou_still_there_and_same_as_mine(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a yes/no reply of none of it (一张都没办, 没有呢一个都没有): no
    ("一本也没办", "children.residence_permit", {"children.residence_permit": False}),
    ("没有啊，一套都没有", "owns_home_in_ningbo", {"owns_home_in_ningbo": False}),
    ("一张都办好了", "children.residence_permit", {"children.residence_permit": None}),
    # an echo of the clause before for two persons joined (我和孩子都不是) or after a topic (我的话不是)
    ("老公是宁波户口，我跟娃都不是", None, {"hukou": "other", "children.hukou": "other"}),
    ("孩子的话是外地户口，然后我的话也是", None, {"children.hukou": "other", "hukou": "other"}),
])
def test_none_of_it_replies_and_echoes_of_two(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # work placed elsewhere now (在老家务工, 在外地打工): not in Ningbo; a past stint or a move here is no such word
    ("我现在在外地打工，老婆孩子在宁波", None, {"works_in_ningbo": False}),
    ("以前在老家打工，去年到的镇海", None, {"works_in_ningbo": None}),
    ("在老家干了五年，后来来宁波了", None, {"works_in_ningbo": None}),
    # less than one month (不到一个月, 还没满一个月): no whole month yet, exactly 0
    ("入职还不到一个月", None, {"work_months": 0}),
    ("社保未满一个月", None, {"social_insurance_months": 0}),
    # 家属 is the spouse, after a worker's word too (员工家属), where 家 is no possessive mark
    ("我家属医保交了半年", None, {"spouse_employee_medical_months": 6, "employee_medical_months": None}),
    ("员工家属没有职工医保，员工交了十个月", None,
     {"spouse_employee_medical_months": 0, "employee_medical_months": 10}),
])
def test_work_elsewhere_under_a_month_and_family(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a zero for a choice (职称是零, 证书：0): its none
    ("职称的话是零", None, {"professional_title": "none"}),
    ("技能证书：0", None, {"skill_level": "none"}),
    ("职称评了三年都是零进展", None, {"professional_title": None}),
    # 刚满月 / 才满月: one month old, 0 周岁
    ("闺女才满月", None, {"children.age": 0}),
])
def test_a_zero_choice_and_one_month_old(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # several people at once (两个员工, 员工4人, 一位…另一位…): each one's figures are none of the profile's
    ("我们车间有两个工人，社保一个交了六年，一个交了两年", None, {"social_insurance_months": None}),
    ("申报人员4人，分别为技师和高级工，社保均满5年", None, {"skill_level": None, "social_insurance_months": None}),
    ("有两位师傅来问，一位是技师，另一位是高级工", None, {"skill_level": None}),
    # one person (有个员工), children listed (一个七岁一个三岁), 职工 of 职工医保: the figures stand
    ("我们有个员工医保交了两年", None, {"employee_medical_months": 24}),
    # a place then 的 and a school (宁波的技师学院) is where the school is, no hukou
    ("我们是北仑的技工学校，学生问补贴", None, {"hukou": None, "student.in_ningbo_vocational_school": True}),
    ("娃一个五岁一个两岁，我职工医保交了十个月", None, {"children.age": 2, "employee_medical_months": 10}),
])
def test_several_people_at_once(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # 是 + a person + a payment's end after a figure that names nobody (…，是老婆单位给她交的): that person's
    ("职工医保交了20个月，是孩子他爸厂里交的", None,
     {"spouse_employee_medical_months": 20, "employee_medical_months": None}),
    ("医保两年了，是我媳妇的单位缴的", None, {"spouse_employee_medical_months": 24, "employee_medical_months": None}),
    # the speaker named, or the employer paying for the speaker: the speaker's own
    ("社保交了三年，是公司给我交的", None, {"social_insurance_months": 36}),
    ("我医保交了一年，是老婆提醒我交的", None, {"employee_medical_months": 12}),
])
def test_a_cleft_says_whose_payment(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a person in brackets ending a staff note's clause (已办居住证（子）, 未缴（妻）): that person's
    ("居住证：已办（女）", None, {"children.residence_permit": True}),
    ("职工医保未缴（夫）；本人已缴8个月", None, {"spouse_employee_medical_months": 0, "employee_medical_months": 8}),
    # a wish before a level or title (欲申报, 打算考) is not held; a failed certificate (等级证没考过) is none
    ("本人中级工，拟申报技师", None, {"skill_level": "intermediate"}),
    ("打算评助理工程师", None, {"professional_title": None}),
    ("职业技能等级证没考过", None, {"skill_level": "none"}),
])
def test_bracketed_persons_wishes_and_failed_certificates(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # the hukou moved here (户口也迁过来了) or not (户口没迁过来); a wish to move it is neither
    ("我的户口前年就转过来了", None, {"hukou": "ningbo"}),
    ("户口一直没迁过来", None, {"hukou": "other"}),
    ("打算把户口迁过来", None, {"hukou": None}),
    # a place, "over there" and an ending (四川凉山那边的): a hukou of that province
    ("我们是甘肃定西那边的", None, {"hukou": "other", "hukou_province": "甘肃"}),
    # a school that is no vocational one (普通高中, 初中): not in a Ningbo vocational school
    ("孩子在宁波上的是普通高中", None, {"student.in_ningbo_vocational_school": False}),
    # 今年 and a figure alone is an age; a pronoun, 是 and a person word name the pronoun (她是我女儿)
    ("他是我儿子，今年16，在宁波读技校", None, {"children.age": 16}),
    ("今年3月进的厂", None, {"children.age": None}),
    ("她是我爱人，医保交了一年", None, {"spouse_employee_medical_months": 12, "employee_medical_months": None}),
])
def test_hukou_moved_over_there_schools_and_named_pronouns(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # 的 inside a separable verb (今年3月进的厂): a start of work
    ("前年6月进的厂，一直干到现在", None, {"work_months": 30}),
    # a payment continued after a gap (中断半年后续缴4个月): added to the one before
    ("职工医保缴了8个月，停了3个月，又续缴了6个月", None, {"employee_medical_months": 14}),
    # a move to Ningbo (刚来宁波没多久: 多久 asks nothing there) with work: working in Ningbo; a wish is none
    ("刚来北仑没多久，在厂里上班", None, {"works_in_ningbo": True}),
    ("明年想来宁波打工", None, {"works_in_ningbo": None}),
])
def test_started_work_moves_and_wishes(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a supposition states nothing, negated too (如果孩子没有居住证…); the object it names can be answered after
    ("假如我没有宁波户口，孩子能上学吗", None, {"hukou": None}),
    ("万一社保断了怎么办", None, {"social_insurance_months": None}),
    # a question word, 都/也 and a negator: none at all (啥证书都没有, 什么保险都没交过)
    ("什么技能证书也没有", None, {"skill_level": "none"}),
    ("公司啥保险都没给交", None, {"social_insurance_months": 0, "employee_medical_months": 0}),
    ("什么保险都能交吗", None, {"social_insurance_months": None}),
])
def test_suppositions_and_none_at_all(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a workplace denied with the worker's trade said (我没在厂里上班，是一线环卫): not out of work
    ("不在工厂上班，我是开公交的", None, {"works_in_ningbo": None, "occupation": "public_transport"}),
    # a trade of the past (退休前系公交驾驶员) does not make a denied work a workplace
    ("现在不上班了，退休前是环卫工", None, {"works_in_ningbo": False}),
])
def test_a_workplace_denied_beside_a_trade(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a former spouse (前妻, 前夫) is someone else, not the spouse the profile counts
    ("前夫交了五年医保，现在的老公交了一年", None,
     {"spouse_employee_medical_months": 12, "employee_medical_months": None}),
    # 均为 / 都是 a hukou after several people are named: each of them
    ("来电人、其夫、其女户籍均系四川", None, {"hukou": "other", "children.hukou": "other", "hukou_province": "四川"}),
    ("孩子户口都在老家", None, {"children.hukou": "other", "hukou": None}),
])
def test_former_spouses_and_all_named(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # every value of a choice denied in one clause is its none (既不是…也不是…, 非…非…)
    ("屋里既不是低保户也不是建档立卡户", None, {"student.family_hardship": "none"}),
    ("学生家庭非低保非建档立卡", None, {"student.family_hardship": "none"}),
    # one denied, then the value the clause goes on to state (不是 A 是 B): B, never none
    ("他家不是低保是建档立卡的", None, {"student.family_hardship": "former_registered_poor"}),
    ("俺不是干环卫的是开公交车的", None, {"occupation": "public_transport"}),
    ("证书不是高级工是技师", None, {"skill_level": "technician"}),
    # only one denied: which one, the message does not say
    ("家里不是低保户", None, {"student.family_hardship": None}),
])
def test_several_values_of_a_choice_in_one_clause(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # an enterprise's training institution said by its HR person (我们的…): the organisation's
    ("咱们的职工培训中心面向社会开展培训，也做技能评价", None, {"employer.runs_training_institution": True}),
    ("我司有企业大学", None, {"employer.runs_training_institution": True}),
    ("我们单位那个培训中心不对外的，只培训本厂员工", None, {"employer.runs_training_institution": False}),
    # a restriction denied (不是只对内, 并非仅对内) affirms
    ("培训中心备了案，并非仅对内", None, {"employer.runs_training_institution": True}),
    # a worker's own schooling is no institution of the enterprise
    ("本人非技工院校毕业", None, {"employer.runs_training_institution": None}),
    # a negation before an earlier word does not deny the restriction (没买房 租的房子)
    ("在北仑上班没买房租的房子", None, {"owns_home_in_ningbo": False}),
    # open to its own people only (只对 / 仅限 + 本企业 / 内部 / 员工): not open to the public
    ("厂里职工培训中心仅限于本厂员工参加", None, {"employer.runs_training_institution": False}),
    ("培训中心对外开放，不只是给员工", None, {"employer.runs_training_institution": True}),
    # the institutions are alternatives: one had after another denied is had
    ("咱没建培训中心，但是有企业大学也对社会培训", None, {"employer.runs_training_institution": True}),
    ("不是职工培训中心，是企业大学", None, {"employer.runs_training_institution": True}),
    # the openness is a condition: denied in a later clause, it denies the fact
    ("企业大学有的，不过还没对外开放", None, {"employer.runs_training_institution": False}),
    # one being built, wished for, or where a worker was trained: none set up
    ("公司培训中心还在建", None, {"employer.runs_training_institution": False}),
    ("打算建个企业大学", None, {"employer.runs_training_institution": None}),
    ("我在培训中心学过电焊", None, {"employer.runs_training_institution": None}),
])
def test_an_enterprise_training_institution(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a negator followed by its own object negates that object, not the word before it (户口老家没居住证)
    ("小孩四岁户口老家没居住证", None,
     {"children.hukou": "other", "children.residence_permit": False, "children.age": 4}),
    ("我户口在老家没有居住证", None, {"hukou": "other"}),
    # the topic, where, then the negator (房子宁波没有): the topic denied
    ("房子宁波还没有", None, {"owns_home_in_ningbo": False}),
    ("房子在宁波没有的", None, {"owns_home_in_ningbo": False}),
    ("房子在宁波有", None, {"owns_home_in_ningbo": True}),
    # the workplace's place first, then the hukou's own (我是北仑的环卫工…外地户口)
    ("我是鄞州的保洁工外地户口没房", None, {"hukou": "other", "owns_home_in_ningbo": False}),
    ("俺是镇海的公交司机 户口在安徽", None, {"hukou": "other", "hukou_province": "安徽"}),
    # 伢子 (湘语) is a child; 安微 is 安徽
    ("伢子两岁 户口在湖南", None, {"children.hukou": "other", "children.age": 2, "hukou": None}),
    ("户口在安微", None, {"hukou": "other", "hukou_province": "安徽"}),
])
def test_negation_scope_and_places_in_a_hukou_clause(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a stretch between two dates counts both months (2023年2月到2024年1月 = 12)
    ("社保2023年2月到2024年1月在海曙交的", None, {"social_insurance_months": 12}),
    ("职工医保从2023年2月缴至2024年1月", None, {"employee_medical_months": 12}),
    ("2023.02-2024.01交过医保", None, {"employee_medical_months": 12}),
    # from a date to now, and a dotted start date: up to last month, as a start date counts
    ("医保从2026年1月交到现在", None, {"employee_medical_months": 11}),
    ("职工医保缴费：2026.01起", None, {"employee_medical_months": 11}),
    # a month then a payment verb, or after 从: a start date too (今年三月才交上, 从去年12月接着交)
    ("医保今年三月份才交上", None, {"employee_medical_months": 9}),
    ("社保从去年12月接着交", None, {"social_insurance_months": 12}),
    ("孩子2023年3月生的", None, {"employee_medical_months": None, "social_insurance_months": None}),
    # a second stretch after the first, said as added (又从 / 开始又交上了): both counted
    ("医保2023年2月到2024年1月在鄞州交的，后来又从2026年1月交到现在", None, {"employee_medical_months": 23}),
    # a gap after a start date is taken off the months since; a gap beside a length is not
    ("医保从2026年1月开始交，中间断了两个月", None, {"employee_medical_months": 9}),
    ("医保交了一年，中间断了两个月", None, {"employee_medical_months": 12}),
])
def test_stretches_between_dates_and_gaps(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # applied for, not had yet (还在办 / 办理中 / 在申请): a no, in a statement or a reply
    ("小孩的居住证还在申请", None, {"children.residence_permit": False}),
    ("娃居住证办理中", None, {"children.residence_permit": False}),
    ("在办，还没下来", "children.residence_permit", {"children.residence_permit": False}),
    ("娃的居住证办好了", None, {"children.residence_permit": True}),
    # an answer word said again (有的有的 / 对对对 / 没有没有), or after an adverb (还没得 / 也没有)
    ("有的有的，上个月拿到的", "children.residence_permit", {"children.residence_permit": True}),
    ("对对对", "works_in_ningbo", {"works_in_ningbo": True}),
    ("没有没有", "owns_home_in_ningbo", {"owns_home_in_ningbo": False}),
    ("还没得 孩子才一岁", "children.residence_permit", {"children.residence_permit": False, "children.age": 1}),
])
def test_in_progress_and_repeated_answers(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a scheme denied (不是居民医保 / 并非新农合) says which scheme, not that none was paid
    ("不是新农合", "employee_medical_months", {"employee_medical_months": None}),
    ("并非居民医保，是单位交的，二十个月", "employee_medical_months", {"employee_medical_months": 20}),
    ("不是城乡居民医保啊 厂里交的 十一个月", "employee_medical_months", {"employee_medical_months": 11}),
    # …and the figure after it is the scheme named before the denial
    ("我交的是职工医保，不是新农合，一年半了", None, {"employee_medical_months": 18}),
    # a scheme not paid is still none of it
    ("居民医保没交，职工医保交了两年", None, {"employee_medical_months": 24}),
    ("没交过", "employee_medical_months", {"employee_medical_months": 0}),
])
def test_a_scheme_denied_then_a_figure(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts, vague", [
    # 不足 is below the figure, as 不到: a lower bound kept for months, no exact age
    ("职工医保交了不足两年", None, {"employee_medical_months": None}, {"employee_medical_months": 18}),
    ("小孩不足四周岁", None, {"children.age": None}, {}),
    # 逾 is above it (逾两年 = 超过两年)
    ("在甬缴纳社保逾三年", None, {"social_insurance_months": None}, {"social_insurance_months": 36}),
    # an at-least word before the growth word (起码增长了百分之八 / 至少增长6%)
    ("高技能人才同比起码增长了百分之七", None, {"employer.high_skill_growth_pct": None},
     {"employer.high_skill_growth_pct": 7}),
    ("去年高技能人才至少增长6%", None, {"employer.high_skill_growth_pct": None}, {"employer.high_skill_growth_pct": 6}),
])
def test_bounds_below_and_above(text, asked, facts, vague):
    r = read(text, asked, date(2026, 12, 8))
    assert {p: r.facts.get(p) for p in facts} == facts, r.facts
    assert {p: r.vague[p] for p in vague if p in r.vague} == vague, r.vague


@pytest.mark.parametrize("text, asked, facts", [
    # training open to the public denied (没有面向社会招生), and a restriction in a later clause: not open
    ("本企业的培训学校还没有面向社会招生，只培训自己职工", None, {"employer.runs_training_institution": False}),
    # an evaluation not passed (那一关没过 / 未通过) is no approval
    ("专家评审没通过，要修改后重报", "employer.training_package_approved", {"employer.training_package_approved": False}),
    ("专家评定过了", "employer.training_package_approved", {"employer.training_package_approved": True}),
    ("在北仑扫大马路五年了", None, {"occupation": "sanitation", "occupation_years_in_ningbo": 5}),
])
def test_conditions_denied_and_evaluations_failed(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # an enterprise's clause states its employee's level, title or schooling (HR writing about one employee)
    ("我们车间的老周，技师，在我们厂交社保五年了", None, {"skill_level": "technician"}),
    ("申报单位：某机械公司；等级：高级工", None, {"skill_level": "senior"}),
    ("企业员工张某，未取得职称，现为高级技师", None,
     {"professional_title": "none", "skill_level": "senior_technician", "employer.runs_training_institution": None}),
    # …but not what the enterprise has among its people, nor an institution it lacks
    ("企业有高级技师能申请吗", None, {"skill_level": None}),
    ("公司招了几个技师", None, {"skill_level": None}),
    ("我们单位没办技工学校", None, {"technical_school_class": None}),
])
def test_an_employees_facts_in_an_enterprises_clause(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a 他/她 with no one else named, after the writer spoke of themself as 我 / 俺: the spouse beside them
    ("俺医保交了三年她交了两年", None, {"employee_medical_months": 36, "spouse_employee_medical_months": 24}),
    ("我社保交了一年，他交了四年医保", None, {"social_insurance_months": 12, "spouse_employee_medical_months": 48}),
    # …not in a note about the caller, an employee, or someone asked for: that person
    ("来电人称她医保交了两年", None, {"employee_medical_months": 24, "spouse_employee_medical_months": None}),
    ("我是厂里人事，员工老刘，他医保交了一年", None, {"employee_medical_months": 12}),
    ("我帮老乡问下，他户口在贵州，医保交了8个月", None,
     {"hukou": "other", "employee_medical_months": 8, "spouse_employee_medical_months": None}),
    # (the scheme 职工医保 is no employee word)
    ("我职工医保两年她一年半", None, {"employee_medical_months": 24, "spouse_employee_medical_months": 18}),
])
def test_a_pronoun_beside_the_writer(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a province alone among terse facts (spaces, a staff note) is where one is from
    ("俺 安徽 社保两年 娃三岁", None, {"hukou": "other", "hukou_province": "安徽", "children.age": 3}),
    ("来电人 女 四川 保洁", None, {"hukou": "other", "hukou_province": "四川"}),
    ("娃 贵州", None, {"children.hukou": "other", "hukou": None}),
    # …not a Ningbo place (where one works), nor Zhejiang alone (Ningbo is in it)
    ("宁波 上班 两年", None, {"hukou": None}),
    ("俺 浙江 医保一年", None, {"hukou": None}),
    # a reply to the province question in several parts: the province or city named
    ("凉山那块的，四川", "hukou_province", {"hukou_province": "四川"}),
])
def test_a_province_alone_among_terse_facts(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # the child's hukou follows 爸爸 / 妈妈: the spouse's when the message gave it, said before or after
    ("老婆是外地户口，小孩户口跟妈妈", None, {"children.hukou": "other"}),
    ("娃的户口随爸爸，孩子他爸是江西的", None, {"children.hukou": "other"}),
    ("孩子户口跟他妈，他妈宁波户口", None, {"children.hukou": "ningbo"}),
    # a two-part reply to the child's hukou question: same as mine, then where
    ("和我一样 在安徽老家", "children.hukou", {"children.hukou": "other", "hukou": "other"}),
])
def test_a_childs_hukou_following_a_parent(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # run-on text naming a scheme right after another scheme's figure: each keeps its own figure or negation
    ("俺老公社保三年医保没交", None, {"spouse_employee_medical_months": 0}),
    ("社保四年医保两年半", None, {"social_insurance_months": 48, "employee_medical_months": 30}),
    ("医保交了一年社保也一样", None, {"employee_medical_months": 12, "social_insurance_months": 12}),
    # 自个 (北方话 自己): the speaker
    ("娃他爸交医保三年了，自个没交", None, {"spouse_employee_medical_months": 36, "employee_medical_months": 0}),
])
def test_a_scheme_after_another_schemes_figure(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a rider's or driver's run, a job moved there, beside a Ningbo place: working in Ningbo
    ("在镇海跑单两年了", None, {"works_in_ningbo": True}),
    ("开公交的，跑鄞州那几条线", "occupation", {"works_in_ningbo": True}),
    ("前年从杭州调到北仑", None, {"works_in_ningbo": True}),
    ("之前在绍兴，去年换到宁波", None, {"works_in_ningbo": True}),
    # …not a run home, nor the child's move
    ("跑回老家了", None, {"works_in_ningbo": None}),
])
def test_working_in_ningbo_from_a_run_or_a_move(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # two children named one by one and one asked about: that one's facts are the child's
    ("老大三岁户口在宁波，老二一岁户口在老家，想问老二", None, {"children.age": 1, "children.hukou": "other"}),
    ("大女儿宁波户口，小儿子还在老家，问的是大女儿", None, {"children.hukou": "ningbo"}),
    # …an echo of the other one's fact, the same child named again after it (老二不是老二两岁)
    ("老大宁波户口老二不是老二两岁想问老二", None, {"children.hukou": "other", "children.age": 2}),
    # one child named alone is the child
    ("老大五岁了户口在宁波", None, {"children.hukou": "ningbo", "children.age": 5}),
])
def test_children_named_one_by_one_and_the_one_asked_about(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # several schemes named together, one of them not counted here (公积金, 居民医保): the figure is each one's
    ("公积金和社保都交了三年", None, {"social_insurance_months": 36}),
    ("住房公积金跟社保都是从2026年1月一起交的", None, {"social_insurance_months": 11}),
    # 满了 before a figure is a lower bound as 满 is; 一年伴 (a slip for 一年半)
    ("社保交满了两年", None, {"social_insurance_months": None}),
    ("医保交了一年伴", "employee_medical_months", {"employee_medical_months": 18}),
])
def test_joint_schemes_and_lower_bounds(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # a child's hukou following me (跟我 / 跟到我), my hukou said after it, in a reply or a statement
    ("跟我 我户口在江西赣州", "children.hukou", {"children.hukou": "other", "hukou": "other"}),
    ("娃三岁 户口跟到我 我是重庆户口", None, {"children.hukou": "other", "hukou": "other"}),
    # a permit expired (已过期) is none now
    ("孩子居住证去年到期了还没续", None, {"children.residence_permit": False}),
    # months paid in another city said at the start of a clause (绍兴又交了一年) are not Ningbo's
    ("23年5月到24年8月在宁波交的社保 后来去了嘉兴 嘉兴又交了一年", None, {"social_insurance_months": 16}),
    # an A-not-A question (算不算) denies nothing
    ("买的商业保险交了三年 这个算不算医保", None, {"employee_medical_months": None}),
])
def test_follows_expiry_other_cities_and_a_not_a_questions(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # 城镇职工 / 职工的 name the employee scheme (新农合…，职工的没有): its none
    ("老家交的新农合 城镇职工的一直没交", None, {"employee_medical_months": 0}),
    ("交的是新农合 职工的没有", None, {"employee_medical_months": 0}),
    # a scheme alone, then its figure zero (社保 零 / 社保：0)
    ("社保 0 医保 零", None, {"social_insurance_months": 0, "employee_medical_months": 0}),
    ("社保：0", None, {"social_insurance_months": 0}),
    # the topic "and such" before its negator, 压根 an adverb like 根本
    ("五险什么的压根没交", None, {"social_insurance_months": 0}),
])
def test_scheme_names_zero_fields_and_and_such(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a start of work said in reply to a months question is the time worked; 入职当月 then the months paid
    ("我今年6月份入职的 单位入职当月就给交了", "employee_medical_months", {"work_months": 6, "employee_medical_months": 6}),
    # no change in the headcount said as 没增没减 / 一样多: a growth of 0
    ("跟去年比不增不减", "employer.high_skill_growth_pct", {"employer.high_skill_growth_pct": 0}),
])
def test_a_start_of_work_in_reply_and_no_change(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # the person asked about, named with 的 before the answer (娃的还没办下来)
    ("娃的还没弄好", "children.residence_permit", {"children.residence_permit": False}),
    # a reply to a headcount question in a longer message: its one count of people, never a range or a count of things
    ("都符合的 算下来有18个人", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": 18}),
    ("三个条件都对得上的有十来个", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": None}),
    ("二十三四个吧", "employer.shortage_high_skill_headcount", {"employer.shortage_high_skill_headcount": None}),
    # a start date said with 进的 (22年6月份进的公交公司): the years since, in reply to the years question
    ("23年6月份进的环卫所 干到现在", "occupation_years_in_ningbo", {"occupation_years_in_ningbo": 3.5}),
    # a filler between the topic and who (职称这东西我没有)
    ("证书这个我没有", "skill_level", {"skill_level": "none"}),
])
def test_replies_with_the_person_a_count_a_start_and_a_filler(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # a spouse who paid nothing (没交过), the scheme carried from figures of 社保: none of 职工医保 either
    ("社保交了三年，我老公一直没交过", None, {"social_insurance_months": 36, "spouse_employee_medical_months": 0}),
    # in reply to a question about the child, a hukou with no one named is the child's
    ("五岁 户口不在宁波", "children.age", {"children.age": 5, "children.hukou": "other", "hukou": None}),
    # a record that is blank (空白) is zero
    ("社保记录是空白的", None, {"social_insurance_months": 0}),
])
def test_spouse_none_child_replies_and_blank_records(text, asked, facts):
    _assert_facts(text, asked, facts, date(2026, 12, 8))


@pytest.mark.parametrize("text, asked, facts", [
    # a place word that names a hukou (外地户籍) is no place where the next figure was paid
    ("职工医保:无 配偶:外地户籍 医保20月", None, {"employee_medical_months": 0, "spouse_employee_medical_months": 20}),
    # a daughter-in-law asked about and named twice is the worker (咨询其儿媳…，其儿媳…)
    ("来电人咨询其儿媳参保，其儿媳外地户籍，职工医保缴费八个月", None,
     {"employee_medical_months": 8, "spouse_employee_medical_months": None, "hukou": "other"}),
    # 当事人 is the person the note is about; 驾龄 is years in the trade
    ("其兄代为来电：当事人系公交驾驶员，在甬驾龄7年", None,
     {"occupation": "public_transport", "occupation_years_in_ningbo": 7}),
])
def test_hukou_places_daughters_in_law_and_the_person_concerned(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # a start next month (下个月才开始交) is none yet
    ("刚进厂，社保下个月才开始交", None, {"social_insurance_months": 0}),
    # a denial with a vague count (没交几个月) is a few months, not none
    ("没交几个月", "employee_medical_months", {"employee_medical_months": None}),
    ("开清扫车的", None, {"occupation": "sanitation"}),
])
def test_a_start_next_month_and_a_few_months(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    ("高技能人才人数跟去年一模一样", None, {"employer.high_skill_growth_pct": 0}),
    # staff shorthand 育有一子2周岁持居住证: the child
    ("来电人（男）育有一女3周岁持居住证", None, {"children.age": 3, "children.residence_permit": True}),
    # 进公司 is a start of work (他自己进公司才三个月)
    ("员工小王进公司才五个月", None, {"work_months": 5}),
])
def test_no_change_a_child_in_shorthand_and_joining_a_company(text, asked, facts):
    _assert_facts(text, asked, facts)


@pytest.mark.parametrize("text, asked, facts", [
    # run-on text with a workplace and a hukou: the place the hukou word names wins, after it (户口是江西的) or
    # right before it (外地户口), never the workplace
    ("我开公交开了八年在宁波户口是安徽的", None, {"hukou": "other", "hukou_province": "安徽"}),
    ("在鄞州上班户口在河南", None, {"hukou": "other", "hukou_province": "河南"}),
    ("在北仑打工四川户口", None, {"hukou": "other", "hukou_province": "四川"}),
    ("我是外地户口在宁波上班", None, {"hukou": "other"}),
    # the negator's object complete before it (没有房子|外地户口): the hukou is not denied
    ("我在宁波开公交十年了没有房子外地户口", None, {"owns_home_in_ningbo": False, "hukou": "other"}),
    ("没有宁波户口", None, {"hukou": "other"}),
])
def test_the_place_a_hukou_word_names_in_run_on_text(text, asked, facts):
    _assert_facts(text, asked, facts)
