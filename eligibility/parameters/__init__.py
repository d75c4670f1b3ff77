"""Parameters as dated data (OpenFisca country-template style).

Each ``<name>.yaml`` here has a ``description``, a ``unit``, a ``reference`` (clause id), the verbatim
``quote`` it rests on and ``values`` keyed by the date each value takes effect; a ``null`` value ends the
previous one. The key ``publication`` means "from the measure's publication" (本措施自发布之日起实施):
the source (a 征求意见稿) carries no date, so such a value holds for every date.
Each value may carry ``words`` (how the source states the date, e.g. 2022年度起) and its own ``reference``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

_DIR = Path(__file__).resolve().parent
PUBLICATION = "publication"


@dataclass(frozen=True)
class Value:
    value: Any
    start: date | None  # None: from the measure's publication (undated source)
    words: str | None  # the source's own words for the start date
    reference: str


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: str
    quote: str
    values: tuple[Value, ...]  # sorted by start; undated first
    note: str | None = None

    def at(self, as_of: date) -> Value | None:
        """The value in force on ``as_of`` (None before the first start or after a null end)."""
        current = None
        for v in self.values:
            if v.start is None or v.start <= as_of:
                current = v
            else:
                break
        return None if current is None or current.value is None else current

    def first(self) -> Value:
        return next(v for v in self.values if v.value is not None)

    def next_after(self, as_of: date) -> Value | None:
        """The first non-null value that starts after ``as_of`` (for "from when" counterfactuals)."""
        return next((v for v in self.values if v.start and v.start > as_of and v.value is not None), None)


def _load(path: Path) -> Parameter:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = []
    for key, entry in raw["values"].items():
        if key == PUBLICATION:
            start = None
        elif isinstance(key, date):
            start = key
        else:
            raise ValueError(f"{path.name}: values key {key!r} must be a date or {PUBLICATION!r}")
        if not isinstance(entry, dict):
            entry = {"value": entry}
        values.append(Value(entry.get("value"), start, entry.get("words"),
                            entry.get("reference", raw["reference"])))
    values.sort(key=lambda v: (v.start is not None, v.start or date.min))
    return Parameter(path.stem, raw["description"], raw["unit"], raw["reference"], raw["quote"],
                     tuple(values), raw.get("note"))


@functools.cache
def parameters() -> dict[str, Parameter]:
    """All parameters, loaded once on first use (not at import)."""
    return {p.stem: _load(p) for p in sorted(_DIR.glob("*.yaml"))}


def parameter(name: str) -> Parameter:
    return parameters()[name]


def value(name: str, as_of: date) -> Any:
    v = parameter(name).at(as_of)
    return None if v is None else v.value
