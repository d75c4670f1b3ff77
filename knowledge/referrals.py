"""Subjects the two documents do not cover, and who does: `referral_for(text)`.

The table (knowledge/data/referrals.yaml) names each subject by words that occur in neither document, so a
message that uses one is about something no clause answers: the assistant says the documents do not cover
it and names the department and hotline, instead of quoting the clause retrieval likes best.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .lexical import Normalizer

DATA = Path(__file__).resolve().parent / "data" / "referrals.yaml"


@dataclass(frozen=True)
class Referral:
    topic: str          # work_injury, housing_fund, …
    subject: str        # 工伤认定和工伤待遇
    department: str
    hotline: str
    word: str           # the word of the message that names the subject


@lru_cache(maxsize=1)
def table() -> dict[str, dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["referrals"]


@lru_cache(maxsize=1)
def _normalise() -> Normalizer:
    return Normalizer.from_zhconv()


def referral_for(text: str) -> Referral | None:
    """The uncovered subject a message is about (the longest word found wins), or None."""
    text = _normalise()(text or "")
    best: tuple[int, str, str] | None = None
    for topic, entry in table().items():
        for word in entry["words"]:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), topic, word)
    if best is None:
        return None
    _, topic, word = best
    entry = table()[topic]
    return Referral(topic, entry["subject"], entry["department"], entry["hotline"], word)
