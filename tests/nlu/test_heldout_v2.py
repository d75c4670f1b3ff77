"""The second NLU held-out set (heldout_v2.yml) is frozen by its hash and covers every intent of the domain;
tests/test_leakage.py keeps it apart from the training data."""

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
    assert {i for i, _ in nlu_examples(PATH)} == intents
    assert len(nlu_examples(PATH)) >= 200
