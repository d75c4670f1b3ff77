"""The fact reader's held-out case table (heldout.yaml), written before the reader exists and frozen by its
hash (dev.yaml holds the development cases): every path is a fact of the schema (or work_months) and every
value is one the Profile accepts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from eligibility import Profile, schema
from tests.frozen import assert_frozen

PATH = Path(__file__).with_name("heldout.yaml")
SHA256 = "7462ebce82ec5727af48e553ac976cc5f8cedeeb77e8f5eef90a437d8bd1f84c"  # re-frozen after 12 bare replies (2026-12-01), 租的 and 中级 (2026-12-04), the 筹建 case (2026-12-08) moved to dev.yaml
CLASSES = {"negation", "reply", "zero", "wrong_scheme", "subject", "opening", "segmentation", "vague",
           "shorthand", "dialect_typo"}
DIALOGUE_FACTS = {"work_months"}


DEV = Path(__file__).with_name("dev.yaml")   # development cases: same fields, tuning allowed


def _cases(path: Path = PATH) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def test_the_table_is_frozen():
    assert_frozen(PATH, SHA256)


@pytest.mark.parametrize("path", [PATH, DEV], ids=["heldout", "dev"])
def test_every_path_is_a_fact_and_every_value_is_valid(path):
    for case in _cases(path):
        assert_valid_case(case)


def assert_valid_case(case: dict) -> None:
    """Every path a case names is a fact of the schema (or work_months) and every value one the Profile takes."""
    paths = set(schema.field_paths()) | DIALOGUE_FACTS
    named = [case.get("asked")] if case.get("asked") else []
    named += list(case["facts"]) + list(case.get("not_set") or []) + list(case.get("vague") or {})
    named += list(case.get("unclear") or [])
    assert set(named) <= paths, (case["text"], set(named) - paths)
    facts = {p: v for p, v in case["facts"].items() if p not in DIALOGUE_FACTS}
    Profile.from_facts(facts)  # raises ProfileError naming the field for a value the schema rejects


def test_it_covers_every_class_and_who_and_is_large_enough():
    cases = _cases()
    classes = Counter(c["class"] for c in cases)
    assert set(classes) == CLASSES and min(classes.values()) >= 20, classes
    assert {c["who"] for c in cases} == {"worker", "staff", "employer"} and len(cases) >= 200
