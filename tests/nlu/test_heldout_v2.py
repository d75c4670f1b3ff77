"""The second NLU held-out set (heldout_v2.yml) stays held out: frozen by its hash, and no message of it is
equal or near-equal (character-bigram similarity ≥ 0.85, entity annotations stripped) to a training example
of data/nlu/. Pasting one of its sentences into the training data fails this test."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.frozen import assert_frozen

ROOT = Path(__file__).resolve().parents[2]
PATH = Path(__file__).with_name("heldout_v2.yml")
SHA256 = "f7cfde3d0a014b26becc326e782609ba0904f4bc4019639825dad2d665087cea"
NEAR = 0.85
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PUNCT = re.compile(r"[\s，。？！,.?!、~…：:；;“”\"']+")


def examples(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for item in data.get("nlu") or []:
        for line in (item.get("examples") or "").splitlines() if "intent" in item else ():
            if line.strip().startswith("- "):
                out.append((item["intent"], line.strip()[2:]))
    return out


def normalise(text: str) -> str:
    return _PUNCT.sub("", _ANNOTATION.sub(r"\1", text)).lower()


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def leaks(held: list[str], training: list[str]) -> list[tuple[str, str, float]]:
    out = []
    train = [normalise(t) for t in training]
    for message in held:
        m = normalise(message)
        best = max(train, key=lambda t: similarity(m, t))
        if similarity(m, best) >= NEAR:
            out.append((message, best, round(similarity(m, best), 2)))
    return out


def _training() -> list[str]:
    return [t for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for _, t in examples(path)]


def test_the_set_is_frozen():
    assert_frozen(PATH, SHA256)


def test_no_held_out_message_is_in_the_training_data():
    assert leaks([t for _, t in examples(PATH)], _training()) == []


def test_the_leakage_check_catches_a_pasted_or_lightly_edited_sentence():
    held = [t for _, t in examples(PATH)]
    assert leaks(held[:1], _training() + [held[0]]), "a pasted sentence must be caught"
    assert leaks(held[1:2], _training() + [held[1] + "呀"]), "a near-copy must be caught"


def test_every_intent_of_the_domain_is_covered():
    intents = set(yaml.safe_load((ROOT / "bot/domain/nlu.yml").read_text(encoding="utf-8"))["intents"])
    assert {i for i, _ in examples(PATH)} == intents
    assert len(examples(PATH)) >= 200
