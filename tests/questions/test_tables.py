"""The question-kind tables (tests/questions/): the held-out one, written before the question readers and
frozen by its hash, and the dev one; every id they expect exists in the knowledge base."""

from pathlib import Path

import pytest
import yaml

from knowledge import all_clauses
from tests.frozen import assert_frozen

HERE = Path(__file__).resolve().parent
SHA256 = "a98995b781273825c797f7a8550a7450fc745cc5f2d0689d94e3100614ebdbe3"  # 2026-12-02, after two near-copies of older NLU examples were removed
KINDS = {"overview", "doc_list", "doc_clause", "doc_departments", "doc_status", "followup", "organisation",
         "target", "out_of_scope", "handoff_back", "multi", "sentence"}


def test_the_held_out_table_is_frozen():
    assert_frozen(HERE / "heldout.yaml", SHA256)


@pytest.mark.parametrize("name", ["dev.yaml", "heldout.yaml"])
def test_every_case_has_a_kind_and_every_id_exists(name):
    ids = {c.id for c in all_clauses()}
    sections = {"/".join(i.split("/")[:2]) for i in ids}
    cases = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 190
    for case in cases:
        assert case["kind"] in KINDS, case["id"]
        expect = case.get("expect") or {}
        assert expect.get("section") is None or expect["section"] in sections, case["id"]
        for key in ("row", "clause"):
            assert expect.get(key) is None or expect[key] in ids, case["id"]


SHA256_V2 = "578efd0165eed76332334d29f50f60e0bf404c01e5bc5ddca7f49fd34c9c7e3a"  # 2026-12-03, as the helper wrote it
KINDS_V2 = {"ordinal", "multi", "person"}


def test_the_second_held_out_table_is_frozen():
    assert_frozen(HERE / "heldout_v2.yaml", SHA256_V2)


@pytest.mark.parametrize("name", ["dev_v2.yaml", "heldout_v2.yaml"])
def test_the_second_tables_have_their_kinds_and_no_message_twice(name):
    cases = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["cases"]
    assert len(cases) == 90 and {c["kind"] for c in cases} == KINDS_V2
    other = "heldout_v2.yaml" if name == "dev_v2.yaml" else "dev_v2.yaml"
    texts = {c["text"] for c in yaml.safe_load((HERE / other).read_text(encoding="utf-8"))["cases"]}
    assert not {c["text"] for c in cases} & texts
