"""An enterprise's own awards (measures 五, 六; intent ask_organisation_award): which award a message means,
who asks, the round a year names, the list when none is named, and the verdict per enterprise.

The messages are written the way HR people, school staff and hotline staff type them (none comes from a
held-out table); the award cue words are the measures' own (actions/topics.yml organisation)."""

from datetime import date

import pytest

from tests.actions.test_dialogue_actions import run, slot_events, tracker

ORG = "ask_organisation_award"
ALL_AWARDS = ["enterprise_high_skill_award", "training_institution_award", "training_package_support",
              "master_studio_award", "training_base_award"]


@pytest.mark.parametrize("text, awards", [
    ("我司紧缺高技能人才有二十几个，奖励怎么报", ["enterprise_high_skill_award"]),
    ("咱们厂的高级工按人头600的那个还能申请不", ["enterprise_high_skill_award"]),
    ("我们办了职工培训中心，对社会开放的，有啥奖", ["training_institution_award"]),
    ("技师学院能拿那个奖吗", ["training_institution_award"]),          # 技师学院 is a school, no 技师
    ("我们集团的企业大学去年通过备案了", ["training_institution_award"]),
    ("鉴定包开发完了找谁评", ["training_package_support"]),
    ("职业培训（鉴定）包一年能支持多少", ["training_package_support"]),  # full-width brackets as the text has them
    ("大师工作室的钱给企业还是给师傅", ["master_studio_award"]),
    ("厂里的实训基地怎么参加评估", ["training_base_award"]),
    ("工作室和实训基地都评了优秀", ["master_studio_award", "training_base_award"]),
    ("单位能拿哪些奖补", []),
    ("企业层面有啥钱可以申请", []),
])
def test_the_award_a_message_names(text, awards):
    from actions.topics import awards_named

    assert awards_named(text) == awards


@pytest.mark.parametrize("text, slots, programs", [
    # an enterprise's topic: the award named, else all of them (the list)
    ("我们有个市级技能大师工作室，评了优秀", {}, ["master_studio_award"]),
    ("企业有哪几种奖励", {}, ALL_AWARDS),
    ("2023年底那次的奖励发了没有", {}, ["enterprise_high_skill_award"]),   # only measure05's award has rounds
    # a follow-up in the same topic that names none keeps the award being answered
    ("那要多久能批下来", {"topic": ORG, "programs": ["training_base_award"]}, ["training_base_award"]),
    ("那要多久能批下来", {"topic": "ask_housing", "programs": ["public_rental_subsidy"]}, ALL_AWARDS),
])
def test_organisation_programmes_for_a_message(text, slots, programs):
    from actions.topics import programs_for_message

    assert programs_for_message(ORG, text, slots) == programs


@pytest.mark.parametrize("text, slots, programs", [
    ("我们厂高级工有二十几个，企业能领奖励吗", {}, ["enterprise_high_skill_award"]),
    ("公司HR问下600元一人的奖励", {}, ["enterprise_high_skill_award"]),
    ("老板叫我问问高技能人才那个奖", {}, ["enterprise_high_skill_award"]),
    ("能领多少", {"employer_shortage_high_skill_headcount": 9}, ["enterprise_high_skill_award"]),
    # a worker asking about the award their employer gets: the worker's programme, the worker's questions
    ("我有高级工证，厂里能因为我拿600吗", {}, ["employer_high_skill_award"]),
    ("高技能人才奖励是什么", {}, ["employer_high_skill_award"]),
])
def test_the_600_yuan_award_asked_for_the_enterprise_is_the_enterprise_award(text, slots, programs):
    from actions.topics import programs_for_message

    assert programs_for_message("ask_high_skill_award", text, slots) == programs


@pytest.mark.parametrize("intent, text, year", [
    (ORG, "2022年那轮我们没报上", 2022),
    (ORG, "二〇二三年底的人数怎么算", 2023),
    (ORG, "21年底那次还能补报吗", 2021),
    ("ask_high_skill_award", "2024年还发吗", 2024),
    (ORG, "今年还有这个奖吗", None),           # today's year: the answer is for today anyway
    (ORG, "我们厂开了22年了", None),           # a duration, not a year
    ("ask_child_medical_insurance", "孩子2022年出生的", None),   # only the dated awards have rounds
])
def test_the_round_a_question_names(intent, text, year):
    from actions.topics import round_year

    assert round_year(intent, text) == year


def test_a_named_year_dates_the_answer_and_nothing_else_does(monkeypatch):
    from actions.slots import ROUND_YEAR, answer_date, profile_from_slots

    monkeypatch.setenv("YSLY_AS_OF", "2026-12-03")
    assert answer_date({ROUND_YEAR: 2022}) == date(2022, 12, 31)
    assert answer_date({ROUND_YEAR: None}) == date(2026, 12, 3)
    assert answer_date({ROUND_YEAR: "2022"}) == date(2026, 12, 3)   # only a year the action set
    assert profile_from_slots({ROUND_YEAR: 2021}).as_of == date(2021, 12, 31)


def test_the_worker_overview_leaves_the_enterprise_awards_out():
    from actions.topics import worker_programmes

    assert "employer_high_skill_award" in worker_programmes()
    assert not set(ALL_AWARDS) & set(worker_programmes())


def test_set_topic_narrows_to_the_award_named_and_keeps_the_round():
    from actions.eligibility import ActionSetTopic

    _, events = run(ActionSetTopic(), tracker(text="我们企业2022年底紧缺高技能人才15人，比上年多了6%", intent=ORG,
                                              active_form=False))
    slots = slot_events(events)
    assert slots["topic"] == ORG and slots["programs"] == ["enterprise_high_skill_award"]
    assert slots["round_year"] == 2022
    # a follow-up in the same topic keeps the round; another topic drops it
    follow = tracker({"topic": ORG, "programs": ["enterprise_high_skill_award"], "round_year": 2022},
                     text="那要交什么材料", intent=ORG, active_form=False)
    assert slot_events(run(ActionSetTopic(), follow)[1])["round_year"] == 2022
    other = tracker({"topic": ORG, "round_year": 2022}, text="孩子能交医保吗",
                    intent="ask_child_medical_insurance", active_form=False)
    assert slot_events(run(ActionSetTopic(), other)[1])["round_year"] is None


def test_awards_asked_without_naming_one_get_the_list_and_no_questions():
    from actions.eligibility import ActionCheckEligibility
    from actions.forms import questions
    from eligibility import Profile, evaluate

    slots = {"topic": ORG, "programs": ALL_AWARDS}
    assert questions(tracker(slots)) == []
    messages, _ = run(ActionCheckEligibility(), tracker(slots, active_form=False))
    assert [m["response"] for m in messages] == ["utter_award_list", "utter_award_list_details", "utter_draft_notice"]
    lines = messages[0]["lines"].splitlines()
    titles = [r.title for r in evaluate(Profile(), programs=ALL_AWARDS)]
    assert [line.split("［")[0] for line in lines] == [f"{i}. {t}" for i, t in enumerate(titles, 1)]   # numbered
    assert all(line.endswith("］") and "ningbo_leye/measure0" in line for line in lines)


def test_the_list_leaves_out_what_the_enterprise_said_it_has_not():
    from actions.eligibility import ActionCheckEligibility

    slots = {"topic": ORG, "programs": ALL_AWARDS, "employer_runs_master_studio": False,
             "employer_runs_training_base": False}
    messages, _ = run(ActionCheckEligibility(), tracker(slots, active_form=False))
    lines = messages[0]["lines"]
    assert "技能大师工作室" not in lines and "实训基地" not in lines and "培训中心" in lines


def test_one_award_named_is_asked_about_in_hr_terms():
    """A studio named: the form asks about the enterprise's studio and its rating, never the worker's 社保."""
    from actions.forms import questions

    asked = questions(tracker({"topic": ORG, "programs": ["master_studio_award"]}))
    assert asked == ["employer_runs_master_studio", "employer_master_studio_rating"]
    asked = questions(tracker({"topic": ORG, "programs": ["enterprise_high_skill_award"], "round_year": 2023}))
    assert asked == ["employer_high_skill_growth_pct", "employer_shortage_high_skill_headcount"]
    assert questions(tracker({"topic": ORG, "programs": ["enterprise_high_skill_award"], "round_year": 2021})) \
        == ["employer_shortage_high_skill_headcount"]   # 2021年12月底: no growth condition, not asked


@pytest.mark.parametrize("year, growth, outcome, words", [
    (2021, -10, "eligible", "适用的是2021年12月底这一次"),   # the first round has no growth condition
    (2022, 4, "not_eligible", "2022年12月底这一次不能领"),
    (2023, 6, "eligible", "适用的是2023年12月底这一次"),
    (2024, 6, "eligible", "适用的是2023年12月底这一次"),     # no later round: the last one, with the note
])
def test_the_verdict_per_enterprise_is_for_the_round_asked(year, growth, outcome, words):
    from actions.eligibility import ActionCheckEligibility

    slots = {"topic": ORG, "programs": ["enterprise_high_skill_award"], "round_year": year,
             "employer_shortage_high_skill_headcount": 40, "employer_high_skill_growth_pct": growth}
    messages, _ = run(ActionCheckEligibility(), tracker(slots, active_form=False))
    verdict = messages[0]
    assert verdict["response"] == f"utter_verdict_{outcome}"
    text = verdict["reasons"] + verdict["next_steps"]
    assert words in text, text
    if outcome == "eligible":
        assert "40×600元＝24000元" in verdict["reasons"]
    notes = next(m["notes"] for m in messages if m["response"] == "utter_verdict_notes")
    assert "每人600元，发给企业；原文没有写每家企业的奖励上限" in notes
    assert ("原文的统计时点只列到2023年12月底，没有写之后的统计时点" in notes) == (year == 2024)


def test_a_reply_mid_form_that_names_no_award_does_not_restart_the_topic():
    """“一共18人” classified as the topic again names no award: it answers the question, no switch."""
    from actions.forms import ValidateEligibilityForm

    t = tracker({"topic": ORG, "programs": ["enterprise_high_skill_award"], "round_year": 2021,
                 "requested_slot": "employer_shortage_high_skill_headcount",
                 "employer_shortage_high_skill_headcount": 18}, text="一共18人", intent=ORG)
    t.events.append({"event": "slot", "name": "employer_shortage_high_skill_headcount", "value": 18})
    _, events = run(ValidateEligibilityForm(), t)
    assert not any(e.get("event") == "action_execution_rejected" for e in events)
    assert slot_events(events).get("requested_slot") is None
