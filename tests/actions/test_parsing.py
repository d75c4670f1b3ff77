"""actions/parsing.py: real worker phrasings plus properties (hypothesis)."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from actions import parsing
from actions.parsing import (
    extract_facts,
    normalize_text,
    parse_age,
    parse_duration,
    parse_hukou,
    parse_months,
    parse_occupation,
    parse_skill_level,
    parse_yes_no,
)

ROOT = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("落戶條件是什麼", "落户条件是什么"),
        ("孩子５歲", "孩子5岁"),
        ("醫保交了１８個月", "医保交了18个月"),
        ("户囗迁移", "户口迁移"),
        ("医宝社宝", "医保社保"),
        ("娃３岁，能交医保不？", "娃3岁，能交医保不？"),  # Chinese punctuation is kept
        ("ＡＢＣ１２３", "ABC123"),
        ("", ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("员工医包交了一年", "员工医保交了一年"), ("公司在鄞洲", "公司在鄞州"), ("我在北伦上班", "我在北仑上班"),
    ("我是高级公，没有只称", "我是高级工，没有职称"), ("孩子的居主证办好了，户扣还在老家", "孩子的居住证办好了，户口还在老家"),
    ("实训几地评了优秀", "实训基地评了优秀"), ("技能大师工做室", "技能大师工作室"), ("社宝交了三年了", "社保交了三年了"),
])
def test_homophone_typos_of_key_terms_are_put_right(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize("text", [
    "给员工交社保", "总共交了两年", "环卫公司", "工作十四个月", "劳动权益保障", "我是南宁孩子上学", "可以报销吗",
    "想念家乡", "一包烟", "工作失误", "四年级", "公司已经保了"])
def test_real_words_that_sound_like_a_key_term_are_kept(text):
    """员工交 sounds like 员公交, 权益保障 holds 益保 (yi bao): a window that cuts a word in two is no typo."""
    assert normalize_text(text) == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="医依一衣保包宝报社设射户护扣口居住主驻证正政工公功交教年念", max_size=40))
def test_homophone_fixing_keeps_the_length_and_is_stable(text):
    once = normalize_text(text)
    assert len(once) == len(text) and normalize_text(once) == once


@given(st.text(alphabet="０１２３４５６７８９年月岁個歲娃孩子醫保社宝，。", max_size=30))
def test_normalize_keeps_length(text):
    # entity offsets found on the normalised text must be valid on the original
    assert len(normalize_text(text)) == len(text)


# ------------------------------------------------------------------------------------ months


@pytest.mark.parametrize(
    "text, months, vague",
    [
        ("一年半", 18, False),
        ("年半", 18, False),
        ("干了年半吧", 18, False),
        ("18个月", 18, False),
        ("十八个月", 18, False),
        ("交了十四个月", 14, False),
        ("医保交了14个月", 14, False),
        ("不对，是14个月", 14, False),
        ("两年", 24, False),
        ("俩年", 24, False),
        ("三年", 36, False),
        ("二十四个月", 24, False),
        ("一百二十个月", 120, False),
        ("一年零三个月", 15, False),
        ("1年3个月", 15, False),
        ("1.5年", 18, False),
        ("半年", 6, False),
        ("两个半月", 2, False),
        ("8个多月", 8, False),
        ("八个多月", 8, False),
        ("两年多", 24, True),
        ("一年多", 12, True),
        ("三多年", 36, True),
        ("十来个月", 10, True),
        ("几个月", 2, True),
        ("好几年", 24, True),
        ("七八年", 84, True),
        ("三四个月", 3, True),
        ("十几年", 132, True),
        ("十几个月", 11, True),
        ("一年左右", 12, True),
        ("１８个月", 18, False),
        ("十八個月", 18, False),
    ],
)
def test_parse_duration(text, months, vague):
    found = parse_duration(text)
    assert found is not None
    assert (found.months, found.vague) == (months, vague)
    assert parse_months(text) == months


@pytest.mark.parametrize("text", ["你好", "2022年起", "医保", "孩子上几年级", "70年代的", "娃3岁", ""])
def test_parse_months_none(text):
    assert parse_months(text) is None


@given(st.integers(min_value=0, max_value=600))
def test_months_digits(n):
    assert parse_months(f"{n}个月") == n
    assert parse_months(f"医保交了{n}个月了") == n


@given(st.integers(min_value=1, max_value=40))
def test_years_digits(n):
    assert parse_months(f"干了{n}年") == 12 * n
    assert parse_months(f"{n}年半") == 12 * n + 6


_CN = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def to_chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + ("" if ones == 0 else _CN[ones])


@given(st.integers(min_value=1, max_value=99))
def test_months_chinese_numerals(n):
    assert parse_months(f"{to_chinese(n)}个月") == n


@given(st.integers(min_value=0, max_value=999))
def test_full_width_digits_equal_half_width(n):
    full = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert parse_months(f"{full}个月") == parse_months(f"{n}个月") == n
    assert parse_age(f"{full}岁") == parse_age(f"{n}岁")


# -------------------------------------------------------------------------------------- ages


@pytest.mark.parametrize(
    "text, age",
    [
        ("三岁半", 3),
        ("娃3岁", 3),
        ("孩子4周岁", 4),
        ("刚满6岁", 6),
        ("两岁", 2),
        ("一岁半", 1),
        ("孩子十岁", 10),
        ("宝宝8个月大", 0),
        ("虚岁7岁", 6),  # 虚岁 is usually one more than 周岁
        ("不到3岁", 2),
        ("５歲", 5),
    ],
)
def test_parse_age(text, age):
    assert parse_age(text) == age


def test_age_none():
    assert parse_age("孩子上小学") is None


# ----------------------------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    "text, answer",
    [
        ("有", True), ("有的", True), ("是的", True), ("对", True), ("嗯嗯", True), ("交了", True),
        ("办了", True), ("中", None), ("好的", None), ("有嘞", True), ("是滴", True),
        ("没有", False), ("没", False), ("木有", False), ("莫得", False), ("没办", False), ("不是", False),
        ("冇", False), ("不中", False), ("沒有", False),
        ("有没有", None), ("是不是", None), ("啥意思", None), ("", None),
    ],
)
def test_parse_yes_no(text, answer):
    assert parse_yes_no(text) is answer


# ------------------------------------------------------------------------------ vocabularies


@pytest.mark.parametrize(
    "text, occupation",
    [
        ("我是扫马路的", "sanitation"), ("扫大街", "sanitation"), ("环卫工人", "sanitation"),
        ("做保洁的", "sanitation"), ("开公交的", "public_transport"), ("公交车司机", "public_transport"),
        ("在厂里打螺丝", "other"), ("送外卖", "other"), ("供水公司", "other_public_service"),
        ("你好", None),
    ],
)
def test_parse_occupation(text, occupation):
    assert parse_occupation(text) == occupation


@pytest.mark.parametrize(
    "text, level",
    [
        ("高级工", "senior"), ("我是技师", "technician"), ("高级技师", "senior_technician"),
        ("有中级工证", "intermediate"), ("初级工", "junior"), ("三级电工证", "senior"),
        ("考了个四级证", "intermediate"), ("没证", "none"), ("三级", "senior"),
        ("高级工班毕业", None), ("预备技师班", None), ("住三楼，三级台阶", None),
    ],
)
def test_parse_skill_level(text, level):
    assert parse_skill_level(text) == level


@pytest.mark.parametrize(
    "text, hukou",
    [
        ("户口在安徽", "other"), ("我是河南的", "other"), ("阜阳人", "other"), ("外地户口", "other"),
        ("没有宁波户口", "other"), ("本地户口", "ningbo"), ("宁波户口", "ningbo"), ("安徽", "other"),
        ("北仑", "ningbo"), ("在北仑上班", None), ("你好", None),
        ("户口不在宁波", "other"), ("户口没在宁波", "other"), ("户口还没迁到宁波", "other"),
        ("不是本地户口", "other"), ("还没落户", "other"), ("户口在宁波", "ningbo"),
    ],
)
def test_parse_hukou(text, hukou):
    assert parse_hukou(text) == hukou


# ----------------------------------------------------------------------------- extract_facts


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺在北仑厂里干了一年半，娃3岁，能在这交医保不",
         {"work_months": 18, "works_in_ningbo": True, "children.age": 3}),
        ("医保交了14个月", {"employee_medical_months": 14}),
        ("社保交了两年", {"social_insurance_months": 24}),
        ("说错了，孩子5岁", {"children.age": 5}),
        ("我老婆交了十八个月职工医保", {"spouse_employee_medical_months": 18}),
        ("孩子户口在贵州，有居住证", {"children.hukou": "other", "children.residence_permit": True}),
        ("没办居住证", {"children.residence_permit": False}),
        ("在宁波没买房", {"owns_home_in_ningbo": False}),
        ("我是河南的", {"hukou": "other", "hukou_province": "河南"}),
        # whose hukou: the person named last before 户口 in the same clause
        ("娃4岁没宁波户口能交医保不", {"children.age": 4, "children.hukou": "other"}),
        ("我家娃户口不在宁波", {"children.hukou": "other"}),
        ("孩子户口在宁波", {"children.hukou": "ningbo"}),
        ("我没宁波户口，孩子4岁", {"children.age": 4, "hukou": "other"}),
        ("孩子3岁，我是外地户口", {"children.age": 3, "hukou": "other"}),
        ("娃快6岁了，户口在老家", {"children.age": 5, "children.hukou": "other"}),
        ("我在宁波干了两年，户口在安徽", {"work_months": 24, "works_in_ningbo": True, "hukou": "other",
                                        "hukou_province": "安徽"}),
        # the clause about hukou decides it, not the first place named
        ("我在慈溪做保洁3年了，一线的，老家贵州",
         {"work_months": 36, "occupation_years_in_ningbo": 3.0, "occupation": "sanitation", "frontline": True,
          "hukou": "other", "hukou_province": "贵州", "works_in_ningbo": True}),
        ("医保交了十四个月了，女儿两岁，户口在老家",
         {"employee_medical_months": 14, "children.age": 2, "children.hukou": "other"}),
        ("在北仑，干了两年", {"work_months": 24, "works_in_ningbo": True}),
        # whose contributions: 他/她 after a spouse is named; a bare 交了 goes on with the clause before
        ("我跟老公都在宁波上班，他医保交了两年，我交了半年",
         {"spouse_employee_medical_months": 24, "employee_medical_months": 6, "works_in_ningbo": True}),
        ("我医保交了一年，老婆也交了两年", {"employee_medical_months": 12, "spouse_employee_medical_months": 24}),
        ("老公社保交了3年，我医保交了1年", {"employee_medical_months": 12}),
        ("我是高级工", {"skill_level": "senior"}),
        ("我有助工职称", {"professional_title": "assistant_engineer"}),
        ("高级工班毕业的", {"technical_school_class": "senior"}),
    ],
)
def test_extract_facts(text, expected):
    assert extract_facts(text) == expected


def test_extract_facts_sanitation_worker():
    facts = extract_facts("没房子，在宁波扫马路十年了，一线的")
    assert facts["occupation"] == "sanitation"
    assert facts["owns_home_in_ningbo"] is False
    assert facts["occupation_years_in_ningbo"] == 10
    assert facts["frontline"] is True
    assert facts["works_in_ningbo"] is True


def test_vague_duration_is_not_set_but_reported():
    facts = extract_facts("医保交了两年多")
    assert "employee_medical_months" not in facts
    assert facts["vague"] == ["employee_medical_months"]
    assert facts["vague_min"] == {"employee_medical_months": 24}


def test_bare_answers_fill_the_expected_field():
    assert extract_facts("14", expecting="employee_medical_months") == {"employee_medical_months": 14}
    assert extract_facts("十四个月", expecting="social_insurance_months") == {"social_insurance_months": 14}
    assert extract_facts("不对，是8个月", expecting="employee_medical_months") == {"employee_medical_months": 8}
    assert extract_facts("有", expecting="children.residence_permit") == {"children.residence_permit": True}
    assert extract_facts("没有", expecting="owns_home_in_ningbo") == {"owns_home_in_ningbo": False}
    assert extract_facts("4", expecting="children.age") == {"children.age": 4}
    assert extract_facts("安徽", expecting="children.hukou") == {"children.hukou": "other"}


def test_traditional_and_full_width_messages():
    assert extract_facts("醫保交了１４個月") == {"employee_medical_months": 14}


@given(st.integers(min_value=1, max_value=240))
def test_extract_medical_months_property(n):
    assert extract_facts(f"职工医保交了{n}个月")["employee_medical_months"] == n


# ------------------------------------------------------------- vocab and NLU synonyms agree


def test_nlu_synonyms_agree_with_vocab():
    vocab = parsing.vocab()
    known = {}
    for kind in ("occupation", "skill_level", "professional_title", "school_class", "family_member"):
        for value, words in vocab[kind].items():
            for word in words:
                known.setdefault(word, set()).add(value)
    data = yaml.safe_load((ROOT / "data/nlu/lookups.yml").read_text(encoding="utf-8"))
    for item in data["nlu"]:
        if "synonym" not in item or item["synonym"] == "宁波":
            continue
        for word in [w[2:].strip() for w in item["examples"].splitlines() if w.strip()]:
            assert item["synonym"] in known.get(word, set()), (word, item["synonym"])


# ---------------------------------------------------------------- unknown answers and corrections


@pytest.mark.parametrize("text", ["嗯嗯…", "嗯嗯……", "嗯嗯...", "恩恩", "不对，是有的"])
def test_yes_variants(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["不知道", "不清楚", "俺也不晓得", "记不得了", "不对，是8个月", "不是，孩子5岁"])
def test_unknown_or_correction_is_no_yes_no_answer(text):
    assert parse_yes_no(text) is None


@pytest.mark.parametrize("text", ["不是的", "不对", "不是，没有", "不是宁波的"])
def test_plain_no_still_no(text):
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("slot", ["hukou", "children.hukou"])
def test_dont_know_sets_no_hukou(slot):
    # “不知道” records unknown (the dont_know intent), never hukou 'other'
    assert slot not in extract_facts("不知道", expecting=slot)


@pytest.mark.parametrize("slot", ["children.residence_permit", "owns_home_in_ningbo"])
def test_correction_of_a_figure_leaves_pending_yes_no_alone(slot):
    facts = extract_facts("不对，是8个月", expecting=slot)
    assert slot not in facts
    assert facts.get("work_months") == 8


@pytest.mark.parametrize(
    "text, months",
    [("快两年了", 18), ("将近一年", 6), ("差不多一年", 6), ("不到10个月", 9), ("医保交了快一年", 6)],
)
def test_almost_a_duration_is_vague_with_a_true_lower_bound(text, months):
    found = parse_duration(text)
    assert found is not None and found.vague and found.months == months


def test_the_last_two_years_is_not_almost():
    found = parse_duration("最近两年")
    assert (found.months, found.vague) == (24, False)


@pytest.mark.parametrize("text, age", [("孩子快6岁了", 5), ("孩子下个月满6岁", 5), ("年底满3岁", 2), ("孩子6岁", 6)])
def test_not_yet_n_years_old_is_n_minus_1(text, age):
    assert parse_age(text) == age


@pytest.mark.parametrize("text, years", [("六年", 6), ("5年", 5), ("三年半", 3.5), ("5", 5)])
def test_answer_to_how_many_years_in_this_job(text, years):
    assert extract_facts(text, expecting="occupation_years_in_ningbo")["occupation_years_in_ningbo"] == years


@pytest.mark.parametrize(
    "text, expecting, expected",
    [
        # the no belongs to the home, not to the question asked
        ("没有房子", "works_in_ningbo", {"owns_home_in_ningbo": False}),
        ("没房", "children.hukou", {"owns_home_in_ningbo": False}),
        ("没有居住证", "works_in_ningbo", {"children.residence_permit": False}),
        # a bare or a confirmed yes/no still answers it
        ("是的", "works_in_ningbo", {"works_in_ningbo": True}),
        ("没有", "owns_home_in_ningbo", {"owns_home_in_ningbo": False}),
        ("是，医保交了14个月", "works_in_ningbo", {"works_in_ningbo": True, "employee_medical_months": 14}),
        ("不是", "children.hukou", {"children.hukou": "other"}),
    ],
)
def test_a_yes_no_about_something_else_does_not_answer_the_question(text, expecting, expected):
    assert extract_facts(text, expecting=expecting) == expected


def test_working_in_a_ningbo_place_named_with_an_occupation():
    assert extract_facts("我在慈溪做保洁")["works_in_ningbo"] is True


@pytest.mark.parametrize(
    "text, asks",
    [("有补贴吗", True), ("娃能上学不", True), ("咋弄", True), ("能不能办居住证", True), ("在哪报名？", True),
     ("我在宁波干了两年", False), ("孩子3岁", False), ("我是安徽的", False), ("不对，是14个月", False)],
)
def test_looks_like_question(text, asks):
    assert parsing.looks_like_question(text) is asks


TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("text, months, vague", [
    ("2024年3月开始交的", 33, False),  # March 2024 .. November 2026
    ("从24年3月份开始交医保", 33, False),
    ("社保从去年十月份交起", 14, False),
    ("今年3月份进的厂", 9, False),
    ("3月份开始交的", 9, False),  # the last March
    ("2023年开始交社保的", 36, True),  # at least from December 2023
])
def test_a_start_date_is_a_duration_up_to_today(text, months, vague):
    found = parsing.parse_duration(text, TODAY)
    assert (found.months, found.vague) == (months, vague)


@pytest.mark.parametrize("text", ["2022年起就能交了吗", "2027年开始交", "干了10年还没房"])
def test_dates_that_are_no_start_date(text):
    found = parsing.parse_duration(text, TODAY)
    assert found is None or found.months == 120  # 干了10年 stays ten years


def test_a_month_in_a_date_is_not_a_number_of_months():
    assert extract_facts("2024年3月开始交医保的", today=TODAY)["employee_medical_months"] == 33
    assert "employee_medical_months" not in extract_facts("孩子2021年3月出生的，我医保交了", today=TODAY)


@pytest.mark.parametrize("text, age, vague", [
    ("孩子2021年3月出生的", 5, False),
    ("娃是22年生的", 3, True),  # 3 or 4
    ("女儿2020年12月生的", 5, True),  # 6 this month, perhaps not yet
])
def test_a_birth_date_is_an_age(text, age, vague):
    found = parsing.parse_age_info(text, TODAY)
    assert (found.years, found.vague) == (age, vague)


@pytest.mark.parametrize("text, expecting, expected", [
    ("在宁波读的", "student.in_ningbo_vocational_school", True),
    ("不在宁波读", "student.in_ningbo_vocational_school", False),
    ("女儿在北仑职高读书，家里低保", None, True),
])
def test_studying_in_ningbo(text, expecting, expected):
    assert extract_facts(text, expecting)["student.in_ningbo_vocational_school"] is expected


@pytest.mark.parametrize("text", ["我老家河南的，在北仑电子厂上班两年了，小孩今年6岁要上小学，能不能在这边读",
                                  "孩子在宁波上学，户口在老家", "儿子初中在这边读的"])
def test_a_child_at_school_is_no_vocational_student(text):
    assert "student.in_ningbo_vocational_school" not in extract_facts(text)


@pytest.mark.parametrize("text, at_least", [
    ("社保一直交着", 1), ("单位给交社保的", 1), ("我在宁波交社保", 1),
    ("俺在宁波打工3年了，社保一直交着", 36),  # 一直: all the stated time, still a lower bound
])
def test_paying_social_insurance_without_a_figure_is_a_lower_bound(text, at_least):
    facts = extract_facts(text)
    assert "social_insurance_months" not in facts
    assert facts["vague_min"]["social_insurance_months"] == at_least


@pytest.mark.parametrize("text, expected", [("社保断了半年", None), ("医保中间停了三个月", None),
                                            ("社保断断续续交了两年", 24), ("医保断缴了2个月", None)])
def test_a_gap_is_no_months_paid(text, expected):
    facts = extract_facts(text)
    assert facts.get("social_insurance_months", facts.get("employee_medical_months")) == expected


@pytest.mark.parametrize("text", ["没交社保", "社保没交", "单位不给交社保", "我没有交社保，孩子能上学吗",
                                  "交社保有什么用", "社保交了吗", "老公社保一直交着"])
def test_no_social_insurance_from_a_no_a_question_or_the_spouse(text):
    facts = extract_facts(text)
    assert "social_insurance_months" not in facts and "social_insurance_months" not in facts.get("vague_min", {})


def test_a_ningbo_workplace_after_a_home_province():
    facts = extract_facts("户口在安徽老家，俺在鄞州厂里上班，医保交了一年")
    assert facts["works_in_ningbo"] is True and facts["hukou"] == "other"


@pytest.mark.parametrize("text", ["我在慈溪上班，孩子在老家读书", "去年5月来的宁波"])
def test_no_hukou_from_a_cue_and_a_place_that_do_not_belong_together(text):
    assert parse_hukou(text) is None


@pytest.mark.parametrize("text, months", [
    ("单位刚给交的", 1), ("这个月刚开始交医保", 0), ("医保上个月开始交的", 1), ("刚交了3个月医保", 3)])
def test_contributions_that_have_just_started(text, months):
    assert parsing.parse_duration(text, TODAY).months == months


@pytest.mark.parametrize("text, age", [("我儿子8岁女儿3岁，户口都在江西", 3), ("大的十岁，小的两岁半", 2), ("孩子4岁", 4)])
def test_with_several_children_the_youngest_age_is_kept(text, age):
    assert extract_facts(text)["children.age"] == age


def test_the_childs_other_parent_and_a_baby_age_in_one_message():
    facts = extract_facts("宝宝6个月大，外地户口，爸爸医保交满一年了，有居住证，可以参保吗")
    # 满一年: at least 12 months, a lower bound (enough for 满12个月; the form does not ask again)
    assert facts["vague_min"]["spouse_employee_medical_months"] == 12 and facts["children.age"] == 0
    assert facts["children.hukou"] == "other" and facts["children.residence_permit"] is True


@pytest.mark.parametrize("text, age", [("我今年35岁，孩子3岁", 3), ("我妈60岁了", None), ("我55岁了，交了10年社保", None)])
def test_an_adults_age_is_no_childs_age(text, age):
    assert extract_facts(text).get("children.age") == age


@pytest.mark.parametrize("text, answer", [
    ("没错", True), ("没毛病", True), ("没问题", None), ("那肯定", True), ("交着呢", True), ("一直有交", True),
    ("没", False), ("没有", False), ("一直没交", False), ("单位没给交", False), ("不错", True)])
def test_the_longest_yes_or_no_word_decides(text, answer):
    assert parse_yes_no(text) is answer
