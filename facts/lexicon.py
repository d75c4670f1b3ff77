"""facts/lexicon.yaml, read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return _derived(yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8")))


def _derived(lex: dict[str, Any]) -> dict[str, Any]:
    """The word forms the lexicon declares by rule rather than one by one: a separable verb with an aspect
    particle inside (上班 → 上过班, 上了班: ``separable``), and the child's father or mother named from the
    child (孩子 + 他 + 爹 → 孩子他爹, 娃儿她妈: ``child_parent``), a spouse."""
    inserts = lex["separable"]["inserts"]
    for key, words in lex["separable"].items():
        if key != "inserts":
            lex[key] = list(dict.fromkeys([*lex[key], *(w[0] + i + w[1:] for w in words for i in inserts)]))
    spec = lex["child_parent"]
    made = [c + m + p for c in lex["subjects"]["child"] + spec["also_children"] for m in spec["marks"]
            for p in spec["parents"]]
    lex["subjects"]["spouse"] = list(dict.fromkeys([*lex["subjects"]["spouse"], *made]))
    return lex
