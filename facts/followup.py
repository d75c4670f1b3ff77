"""Whom a follow-up asks about when it asks the same for someone else (那我老婆呢 → spouse, 我儿子也可以吗 →
child, 那俺自己呢 → self, 来电人问其配偶能否一并申请 → spouse): the subject words of the fact lexicon and its
``person_followup`` markers. None when nobody else is asked about: 我老婆让我问问 (she asks through the
caller), 我老婆在老家 我一个人在宁波 能申请公租房不 (a fact about her, a question about the worker), 我妈身体
不好 (no follow-up)."""

from __future__ import annotations

import re

from facts.lexicon import lexicon
from facts.reader import _labelled, _persons, _principal, _role, split_clauses
from facts.text import normalize_text

_CLAUSE_END = re.compile(r"[\s，。；！？,.;!?]")
_PARTS = re.compile(r"[\s，。；！？、,.;!?…~]+")


def _question_starts() -> tuple[str, ...]:
    return tuple(lexicon()["question_starts"])


def person_asked(text: str) -> str | None:
    """self | spouse | child | other_person, or None (see the module docstring)."""
    t = normalize_text(text)
    clauses = split_clauses(t)
    spec = lexicon()["person_followup"]
    if len([p for p in _PARTS.split(t) if p]) > spec["max_parts"] or len(t) > spec["max_chars"]:
        return None   # 老婆在鄞州上班，医保交了一年…，儿子三岁半…，他能在宁波参加居民医保不: a question of its own
    if not any(c.question for c in clauses) and not any(w in t for w in spec["ends"] + list(_question_starts())):
        return None   # 我老婆也在宁波上班: a fact, not a follow-up
    if _principal(t) is not None:
        return None   # 我老婆让我问问 / 帮我老公打听: asked for her, she is the worker
    words = [w for w, _ in _labelled("subjects")]   # longest first
    persons = _persons(t)
    for i, label in enumerate(_role(p) if p else None for p in persons):   # 女儿, 儿子: the child
        if label in (None, "self", "employer"):
            continue
        word = next((w for w in words if t.startswith(w, i)), "")
        rest = t[i + len(word):]
        own_clause = _CLAUSE_END.split(rest, maxsplit=1)[0]
        about = any(rest.startswith(m) or any(f"{p}{m}" in rest for p in lexicon()["pronouns"])
                    for m in spec["about"])   # 他这种 / 他这情况, not 这种平台
        if any(m in own_clause for m in spec["ends"]) or any(m in rest for m in spec["also"]) or about:
            return label
        # 我闺女明年上技校 她能领吗 / 其女今年4岁 能否参保: the question's subject (said or carried) is that person
        if any(c.question and (c.subject == label or c.text.startswith(tuple(lexicon()["pronouns"])))
               for c in clauses if c.text in rest):
            return label
    if any(w in t for w in spec["self_words"]):
        return "self"
    return None
