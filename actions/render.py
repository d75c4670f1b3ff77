"""Template variables for the domain responses: clause metadata verbatim from knowledge."""

from __future__ import annotations

from knowledge import get_clause

LIST_SEPARATOR = "、"
SEPARATOR = "；"


def departments_text(departments: dict | list | tuple | None) -> str:
    if not departments:
        return ""
    if isinstance(departments, dict):
        names = departments.get("responsible") or departments.get("lead") or []
        names = list(names)
    else:
        names = list(departments)
    return LIST_SEPARATOR.join(dict.fromkeys(names))


def clause_vars(clause_id: str) -> dict:
    """doc_title, doc_status, article, quote (the whole clause text) and departments of one clause."""
    clause = get_clause(clause_id)
    return {
        "clause_id": clause.id,
        "doc_title": clause.doc_title,
        "doc_status": clause.doc_status,
        # the status after the title, unless the title already says it (…（征求意见稿）)
        "status_note": "" if clause.doc_status in clause.doc_title else f"（{clause.doc_status}）",
        "article": clause.article,
        "quote": clause.text,
        "departments": departments_text(clause.departments),
    }


def is_draft(clause_id: str) -> bool:
    """A draft document (the Ningbo measures, a 征求意见稿: `draft: true` in its policy YAML): answers quoting
    it add a reminder (utter_draft_notice)."""
    return get_clause(clause_id).doc_draft


def join_sentences(parts) -> str:
    """Sentences joined by "；" without doubling punctuation ("…规定。；原文…" → "…规定；原文…。")."""
    parts = [p.strip() for p in parts if p and p.strip()]
    if not parts:
        return ""
    body = SEPARATOR.join(dict.fromkeys(p.rstrip("。；;") for p in parts))
    return body + ("。" if parts[-1].endswith("。") else "")
