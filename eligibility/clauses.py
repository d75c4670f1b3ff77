"""Clause lookups the engine needs (departments), from the knowledge base (``knowledge.get_clause``,
YAML only, no embedder), imported lazily and cached: the departments of a result are the department
parentheticals of the clauses its conditions cite."""

from __future__ import annotations

import functools

ROLES = ("responsible", "lead", "supporting")


@functools.cache
def clause_departments(clause_id: str) -> dict[str, tuple[str, ...]]:
    """{"responsible": (...), "lead": (...), "supporting": (...)}; KeyError if the id does not exist."""
    from knowledge import get_clause

    deps = get_clause(clause_id).departments or {}
    return {role: tuple(deps.get(role) or ()) for role in ROLES}


def departments(clause_ids) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(responsible and lead, supporting) departments of these clauses, in order, without repeats."""
    main: list[str] = []
    supporting: list[str] = []
    for cid in clause_ids:
        deps = clause_departments(cid)
        for name in deps["responsible"] + deps["lead"]:
            if name not in main:
                main.append(name)
        for name in deps["supporting"]:
            if name not in supporting:
                supporting.append(name)
    return tuple(main), tuple(s for s in supporting if s not in main)
