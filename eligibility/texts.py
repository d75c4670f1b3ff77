"""Chinese wording, all of it in ``texts.yaml``; Python only fills the named fields."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import schema

_PATH = Path(__file__).resolve().parent / "texts.yaml"


@functools.lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load(_PATH.read_text(encoding="utf-8"))


class _Values(dict):
    def __missing__(self, key):  # a template naming a field the rule did not provide is a bug
        raise KeyError(f"template field {{{key}}} not provided")


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill ``{named}`` fields; ``values`` should already be display values (see ``display``)."""
    if "{" not in template:
        return template
    return template.format_map(values if isinstance(values, _Values) else _Values(values))


def display(values: dict[str, Any]) -> _Values:
    """Values as shown: dates in Chinese, 12.0 as 12."""
    out = _Values()
    date_fmt = None
    for k, v in values.items():
        if isinstance(v, date):
            date_fmt = date_fmt or texts()["formats"]["date"]
            v = date_fmt.format(year=v.year, month=v.month, day=v.day)
        elif isinstance(v, float) and v == int(v):
            v = int(v)
        out[k] = v
    return out


def label(kind: str, value: Any) -> str:
    """Chinese label of a value: a fact's choice by its path (label("skill_level", "senior") -> 高级工, from
    facts.yaml) or a value the rules compute (label("education", "college") -> 大专, from texts.yaml)."""
    computed = texts().get("labels", {})
    if kind in computed:
        return computed[kind].get(value, str(value))
    return schema.choice_label(kind, value)


def fact_text(path: str, value: Any, vague: bool = False) -> str:
    """One fact as read back to the worker: 本人职工医保累计缴费月数：20个月, 孩子周岁：4, 在宁波有住房：否;
    ``vague``: the value is a lower bound (至少24个月). Labels from facts.yaml, formats from texts.yaml."""
    formats = texts()["formats"]
    extra = texts().get("dialogue_facts", {}).get(path)
    fact = None if extra else schema.fact(path)
    kind, name = (extra["kind"], extra["label"]) if extra else (fact.kind, fact.label)
    if kind == "yes_no":
        shown = formats["yes" if value else "no"]
    elif kind == "choice":
        shown = label(path, value)
    else:
        shown = display({"v": value})["v"]
        if kind == "months":
            shown = formats["months"].format(value=shown)
    if vague:
        shown = formats["at_least"].format(value=shown)
    return fill(formats["fact"], {"label": name, "value": shown})


def facts_text(values: dict[str, Any], vague: set[str] | frozenset[str] = frozenset()) -> str:
    """Several facts read back, in the order given, joined by the fact separator."""
    return texts()["formats"]["fact_separator"].join(fact_text(p, v, p in vague) for p, v in values.items())


def program(pid: str) -> dict:
    return texts()["programs"][pid]


def question(path: str) -> dict:
    """{"prompt": …, "why": …} for a profile field path (what the dialogue asks and why), from facts.yaml."""
    fact = schema.fact(path)
    return {"prompt": fact.ask, "why": fact.why}
