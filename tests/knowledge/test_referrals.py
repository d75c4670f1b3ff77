"""Subjects neither document covers get a referral (knowledge.referrals), never a clause."""

import pytest

from knowledge import all_clauses
from knowledge.referrals import referral_for, table


def test_no_subject_word_occurs_in_either_document():
    """The reason a referral beats retrieval: no clause can be about a subject whose words it never uses."""
    text = "".join(c.text + c.heading + c.article for c in all_clauses())
    used = [w for entry in table().values() for w in entry["words"] if w in text]
    assert used == []


def test_every_entry_names_who_covers_it():
    for topic, entry in table().items():
        assert entry["subject"] and entry["department"] and entry["hotline"].isdigit(), topic


@pytest.mark.parametrize("text, topic", [
    ("工伤怎么认定", "work_injury"),
    ("被辞退了能领失业金吗", "unemployment_insurance"),
    ("公积金怎么提取", "housing_fund"),
    ("養老金怎麼算", "pension"),                      # traditional characters
    ("在哪查我的社保缴费记录", "personal_record"),
])
def test_uncovered_subjects(text, topic):
    assert referral_for(text).topic == topic


@pytest.mark.parametrize("text", ["孩子3岁能在宁波交医保吗", "公司拖欠工资怎么办", "退休手续在哪办",
                                  "城镇登记失业率目标多少", "外地户口怎么迁到宁波"])
def test_covered_subjects_are_not_referred(text):
    assert referral_for(text) is None
