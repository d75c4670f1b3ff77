"""Helpers for the eligibility tests: the YAML cases and the knowledge base checks."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_cases() -> list[dict]:
    """Every case from cases/*.yaml, profile merged over the file's defaults (null = unknown)."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = doc.get("defaults", {})
        for number, case in enumerate(doc["cases"], 1):
            as_of = case.get("as_of", defaults.get("as_of"))
            profile = _merge(defaults.get("profile", {}), case.get("profile", {}))
            profile["as_of"] = as_of.isoformat() if isinstance(as_of, date) else as_of
            cases.append({"file": path.stem, "number": number, "name": case["name"], "profile": profile,
                          "expected": case["expected"],
                          "programs": case.get("programs"), "next_questions": case.get("next_questions")})
    return cases


def normalize_ws(text: str) -> str:
    return re.sub(r"\s+", "", text)
