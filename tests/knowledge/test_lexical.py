"""Query normalisation for the BM25 channel."""

import pytest

from knowledge.lexical import cn_to_int, convert_numbers, expand_query, expansion_terms, tokenize


@pytest.mark.parametrize("cn,n", [("六百", 600), ("十三", 13), ("十二", 12), ("两千五", 2500), ("三千二百", 3200),
                                  ("九十二", 92), ("一百", 100), ("五", 5), ("二十", 20)])
def test_cn_to_int(cn, n):
    assert cn_to_int(cn) == n


@pytest.mark.parametrize("text,out", [
    ("奖励六百块", "奖励600块"), ("新增十三万套", "新增13万套"), ("娃四岁", "娃4岁"), ("交了十二个月", "交了12个月"),
    ("百分之九十五", "95%"), ("一人一技", "一人一技"), ("一线环卫工人", "一线环卫工人"), ("最高二十万", "最高20万"),
    ("万一不行", "万一不行"),
])
def test_convert_numbers(text, out):
    assert convert_numbers(text) == out


def test_expansion_maps_colloquial_words_to_policy_words():
    assert "子女" in expansion_terms("娃4岁没宁波户口能交医保不")
    assert "户籍" in expansion_terms("娃4岁没宁波户口能交医保不")
    assert "环卫" in expansion_terms("扫马路的能申请公租房吗")
    assert "欠薪" in expansion_terms("工资被老板拖了找谁")
    assert expansion_terms("今天天气不错") == []
    assert expand_query("奖励六百块").startswith("奖励600块")


def test_expansion_covers_how_callers_talk():
    assert "欠薪" in expansion_terms("老板不发工资")
    assert {"工程建设领域", "欠薪"} <= set(expansion_terms("在工地干活，老板跑了"))
    assert "子女" in expansion_terms("俺家娃想在这边上学")
    assert "职业资格" in expansion_terms("考个电工证有没有补贴")
    assert "零工市场" in expansion_terms("天天在路边等活打短工")
    assert "零就业家庭" in expansion_terms("一家人都没工作咋办")       # 一家 → 1家 before matching
    assert "新八级工" in expansion_terms("八级工是什么")
    assert "公租房" in expansion_terms("工租房怎么申请")                 # common typo


def test_say_words_survive_number_conversion():
    """Questions are matched after Chinese numerals become digits: a say word with 一/二/八… never matches."""
    from knowledge.lexical import synonyms

    assert all(isinstance(w, str) for w in synonyms())
    assert [w for w in synonyms() if convert_numbers(w) != w] == []


def test_tokenize_drops_stopwords_keeps_numbers():
    toks = tokenize("企业能拿600元奖励吗")
    assert "600" in toks and "奖励" in toks
    assert "吗" not in toks and "能" not in toks


def test_restricted_tokenizer_segments_the_corpus_like_the_full_dictionary():
    from knowledge import all_clauses
    from knowledge.index import bm25_text, index_units
    from knowledge.lexical import full_tokenizer

    texts = [bm25_text(c) for c in index_units(all_clauses())]
    small = full_tokenizer().restrict(texts)
    assert len(small.words) < 5000
    assert [small(t) for t in texts] == [tokenize(t) for t in texts]


def test_lexicon_round_trip(tmp_path):
    from knowledge.lexical import Tokenizer, full_tokenizer

    small = full_tokenizer().restrict(["新增各类租赁住房不低于13万套"])
    small.save(tmp_path / "lexicon.txt")
    again = Tokenizer.load(tmp_path / "lexicon.txt")
    assert again.words == small.words
    assert again("租赁住房13万套") == small("租赁住房13万套")


def test_normalizer_traditional_and_full_width(tmp_path):
    pytest.importorskip("zhconv")
    from knowledge.lexical import Normalizer

    norm = Normalizer.from_zhconv()
    assert norm("娃兒４歲沒寧波戶口能交醫保嗎") == "娃儿4岁没宁波户口能交医保吗"
    assert norm("六百块") == "六百块"
    norm.save(tmp_path / "t2s.txt")
    assert Normalizer.load(tmp_path / "t2s.txt")("調解勞動爭議") == "调解劳动争议"


def test_bm25_channel_scores_as_rank_bm25_okapi():
    """The numpy BM25 (a matrix so that synonym tokens can carry a weight) is rank_bm25's BM25Okapi."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from knowledge.clauses import all_clauses
    from knowledge.lexical import BM25Channel, full_tokenizer

    tokenizer = full_tokenizer()
    docs = [tokenizer(c.text) for c in all_clauses()]
    ours = BM25Channel(docs, tokenizer)
    reference = BM25Okapi(docs)
    for question in ["外来劳动者子女参加医保", "环卫工人住房", "欠薪", "今天天气不错"]:
        tokens = tokenizer(convert_numbers(question))
        expected = reference.get_scores(tokens)
        got = ours.scores(question, expansion_weight=0.0)
        got = np.zeros(len(docs)) if got is None else got
        assert np.allclose(got, expected), question
