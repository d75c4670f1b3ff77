"""Whom a follow-up asks about (facts/followup.py): the same question for someone else, as workers and staff
write it; and messages that name a person but ask nothing for them."""

import pytest

from facts import person_asked


@pytest.mark.parametrize("text, person", [
    ("那我老婆呢", "spouse"), ("那我老公呢？", "spouse"), ("我媳妇也能申请不", "spouse"), ("孩子他爸能不能也去培训", "spouse"),
    ("来电人问其配偶能否一并申请", "spouse"), ("来电人称其妻也在该企业务工，咨询是否同样适用", "spouse"),
    ("我家那口子呢", "spouse"), ("我儿子也可以吗", "child"), ("那俺小女儿呢 明年上一年级", "child"),
    ("我闺女明年上技校 她能领吗", "child"), ("那我弟呢 他也在宁波", "other_person"),
    ("俺爹在工地干了半年没拿到钱 他这情况呢", "other_person"), ("来电人追问其母亲能否同样办理", "other_person"),
    ("那俺自己呢", "self"), ("那我呢 我都40多了", "self"), ("来电人询问其本人是否符合条件", "self"),
    ("那我本人呢 我是技师", "self"),
    # the question's subject, said or carried from the clause before, is that person: staff shorthand, a
    # question with no 也 or 呢, 跟着 like 一起
    ("其女今年4岁 能否参保", "child"), ("我老公能参加免费培训吗", "spouse"), ("其丈夫在宁波开公交 可否申请", "spouse"),
    ("那我爸妈能跟着迁过来不", "other_person"),
])
def test_the_person_a_follow_up_asks_about(text, person):
    assert person_asked(text) == person


@pytest.mark.parametrize("text", [
    "我老婆让我问问 这个要去哪办",        # she asks through the caller: she is the worker
    "帮我老公打听一下落户",
    "我老婆在老家 我一个人在宁波 能申请公租房不",   # a fact about her, the question is the worker's
    "我妈身体不好 所以想快点把这个办了",
    "我老婆也在宁波上班",                # a fact, no question
    "孩子他妈在老家",
    "能交医保吗", "那怎么办呢", "我也不知道",
    # a long message of facts with its own question (its 我自己 and 他 are facts and the child)
    "老婆在鄞州电子厂上班，职工医保交了一年零三个月，我自己打零工没交，儿子三岁半户口在河南周口，他能在宁波参加居民医保不",
    "老婆在家带娃，白天有几个小时空，想找点按小时算钱的活，有没有这种平台",   # 这种平台: not 她这种
])
def test_no_one_else_is_asked_about(text):
    assert person_asked(text) is None
