"""One small function per programme, grouped by topic in the modules of this package (discovered: a new
module needs no import here). Each returns a ``Trace``; every check's clause id and verbatim quote live
with its wording in ``texts.yaml`` under the same key.

The registry joins two things declared once: the functions decorated with ``@rule`` (how the programme is
computed; ``per_child`` rules are called once per child ``(profile, child, as_of)``, child None = the
worker said they have no children; others ``(profile, as_of)``) and ``programmes.yaml`` (order, kind,
topic intent, asker). ``PROGRAMS[id] = Rule(id, func, per_child, kind, topic, asker)``, in the order of the YAML.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "programmes.yaml"
KINDS = ("program", "guidance")
ASKERS = ("worker", "enterprise")
HELPER_MODULES = {"common"}  # shared helpers, no rules


@dataclass(frozen=True)
class Rule:
    id: str
    func: Callable
    per_child: bool = False
    kind: str = "program"  # program | guidance
    topic: str | None = None  # the NLU intent that asks about it
    asker: str = "worker"  # who asks and gets the verdict: worker | enterprise (its HR person)


class RegistryError(ValueError):
    """programmes.yaml and the rule functions disagree (a maintainer's mistake): says which and how."""


_FUNCTIONS: dict[str, tuple[Callable, bool]] = {}


def rule(*, per_child: bool = False):
    def register(func):
        if func.__name__ in _FUNCTIONS:
            raise RegistryError(f"rule {func.__name__} is defined twice")
        _FUNCTIONS[func.__name__] = (func, per_child)
        return func

    return register


def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in HELPER_MODULES:
            importlib.import_module(f"{__name__}.{module.name}")


def _registry() -> dict[str, Rule]:
    _discover()
    declared = (yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8")) or {}).get("programmes") or {}
    problems = []
    for pid in declared:
        if pid not in _FUNCTIONS:
            problems.append(f"{pid}: in programmes.yaml but no @rule function of that name in eligibility/rules/")
    for pid in _FUNCTIONS:
        if pid not in declared:
            problems.append(f"{pid}: a @rule function not listed in programmes.yaml")
    for pid, spec in declared.items():
        if (spec or {}).get("kind") not in KINDS:
            problems.append(f"{pid}: kind must be one of {', '.join(KINDS)}")
        if (spec or {}).get("asker", "worker") not in ASKERS:
            problems.append(f"{pid}: asker must be one of {', '.join(ASKERS)}")
    if problems:
        raise RegistryError("; ".join(problems))
    return {pid: Rule(pid, _FUNCTIONS[pid][0], _FUNCTIONS[pid][1], spec["kind"], spec.get("topic"),
                spec.get("asker", "worker"))
            for pid, spec in declared.items()}


PROGRAMS: dict[str, Rule] = _registry()
