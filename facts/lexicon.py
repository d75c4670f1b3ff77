"""facts/lexicon.yaml, read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
