"""One small function per program, grouped by topic. Each returns a ``Trace``; every check's clause id and
verbatim quote live with its wording in ``texts.yaml`` under the same key.

Registry: ``PROGRAMS[id] = Rule(id, func, per_child, kind)``. A per-child rule is called once per child
``(profile, child, as_of)`` (child None = the worker said they have no children); others ``(profile, as_of)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PROGRAMS: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    id: str
    func: Callable
    per_child: bool = False
    kind: str = "program"  # program | guidance


def rule(*, per_child: bool = False, kind: str = "program"):
    def register(func):
        PROGRAMS[func.__name__] = Rule(func.__name__, func, per_child, kind)
        return func

    return register


from . import education, guidance, housing, medical, settlement, skills  # noqa: E402,F401  (registration)
