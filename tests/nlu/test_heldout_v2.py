"""The second NLU held-out set (heldout_v2.yml) is frozen by its hash and covers every intent of the domain
but those added after it (2026-12-02: stop, ask_document, ask_procedure, ask_overview), which the held-out
question-kind table covers (tests/questions/heldout.yaml, scored by tests/questions/routing.py);
tests/test_leakage.py keeps both apart from the training data."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.frozen import assert_frozen
from tests.leakage import ROOT, nlu_examples

PATH = Path(__file__).with_name("heldout_v2.yml")
# Frozen on 2026-12-01 (0991680); re-frozen the same day after the leakage test took out 宁波户口.
SHA256 = "899c5c7630f24f8a2c89d0c5afe4b6b57f93541c6ab3f25ef15f3bb904369608"


def test_the_set_is_frozen():
    assert_frozen(PATH, SHA256)


def test_every_intent_of_the_domain_is_covered():
    intents = set(yaml.safe_load((ROOT / "bot/domain/nlu.yml").read_text(encoding="utf-8"))["intents"])
    from tests.questions.readers import cases
    from tests.questions.routing import wanted

    question_kinds = {i for case in cases(ROOT / "tests/questions/heldout.yaml") for i in (wanted(case) or ())}
    covered = {i for i, _ in nlu_examples(PATH)}
    assert covered <= intents
    assert intents - covered <= question_kinds, intents - covered - question_kinds
    assert len(nlu_examples(PATH)) >= 200
