"""The pages that need no conversation: assist a call, check a profile, search the clauses and documents."""

from __future__ import annotations


def register(app, page, message) -> None:
    pass
