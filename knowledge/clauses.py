"""Clauses: the verbatim policy text, loaded from `knowledge/policies/*.yaml` (no embedder, no index).

A paragraph clause (`…/0`) holds the whole paragraph verbatim; its sentences (`…/1`, `…/2`, …) name it as
`parent` in the YAML and inherit its article, heading and departments here. Rows of the Beilun targets
table are stored as structured cells; their `text` is a rendering of the row (the cells verbatim) and
`source_text` is the (garbled) source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
POLICY_DIR = PACKAGE_DIR / "policies"
ROLES = ("responsible", "lead", "supporting")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml when available: ~20x faster


def _read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


def empty_departments() -> dict[str, list[str]]:
    return {role: [] for role in ROLES}


@dataclass(frozen=True)
class Clause:
    id: str
    doc_id: str
    doc_title: str
    doc_status: str
    article: str
    heading: str
    text: str
    departments: dict = field(default_factory=empty_departments, hash=False, compare=False)
    parent_id: str | None = None
    kind: str = "sentence"          # title | paragraph | sentence | heading | target_row | record
    source_text: str = ""           # verbatim source span (== text except for target rows)
    row: dict | None = field(default=None, hash=False, compare=False)   # structured target-table row
    notes: tuple[str, ...] = ()
    doc_draft: bool = False         # the document is a draft (征求意见稿): not in force; answers say so
    departments_text: str = ""      # the paragraph's department line verbatim: （责任单位：市住建局，配合单位：市财政局）

    @property
    def group_id(self) -> str:
        """The paragraph a clause belongs to (its own id for a paragraph, row or record)."""
        return self.parent_id or self.id

    def to_dict(self) -> dict:
        d = {
            "clause_id": self.id, "doc_id": self.doc_id, "doc_title": self.doc_title,
            "doc_status": self.doc_status, "article": self.article, "heading": self.heading,
            "text": self.text, "departments": self.departments, "parent_id": self.parent_id,
            "kind": self.kind, "source_text": self.source_text, "doc_draft": self.doc_draft,
        }
        if self.row:
            d["row"] = self.row
        if self.notes:
            d["notes"] = list(self.notes)
        if self.departments_text:
            d["departments_text"] = self.departments_text
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Clause:
        return cls(
            id=d["clause_id"], doc_id=d["doc_id"], doc_title=d["doc_title"], doc_status=d.get("doc_status", ""),
            article=d.get("article", ""), heading=d.get("heading", ""), text=d["text"],
            departments=d.get("departments") or empty_departments(), parent_id=d.get("parent_id"),
            kind=d.get("kind", "record"), source_text=d.get("source_text", d["text"]), row=d.get("row"),
            notes=tuple(d.get("notes", ())), doc_draft=bool(d.get("doc_draft", False)),
            departments_text=d.get("departments_text", ""),
        )


def normalize_ws(text: str) -> str:
    """Whitespace-insensitive form used by the verbatim checks (Chinese text carries no meaning in spaces)."""
    return re.sub(r"\s+", "", text)


def render_row(doc_title_table: str, row: dict) -> str:
    """One targets-table row as quotable text; every value is the source cell as written."""
    years = "；".join(f"{v['year']}年目标值 {v['cell']}" for v in row["values"])
    return (f"{doc_title_table} 第{row['row']}项 重点任务：{row['task']}；"
            f"指标：{row['indicator']}({row['unit']})；{years}")


def _load_doc(path: Path) -> list[Clause]:
    doc = _read_yaml(path)
    doc_id, title, status = doc["doc_id"], doc["title"], doc.get("status") or ""
    draft = bool(doc.get("draft", False))
    notes_by_id: dict[str, list[str]] = {}
    for conflict in doc.get("conflicts") or []:
        for cid in conflict["clauses"]:
            notes_by_id.setdefault(cid, []).append(conflict["note"])
    table_title = ""
    by_id: dict[str, Clause] = {}
    out = []
    for raw in doc["clauses"]:
        cid = raw["id"]
        if not cid.startswith(doc_id + "/"):
            raise ValueError(f"{path.name}: clause {cid} is not under {doc_id}/")
        if cid in by_id:
            raise ValueError(f"{path.name}: duplicate clause id {cid}")
        notes = tuple(notes_by_id.get(cid, ()))
        if raw.get("kind") == "target_row":
            row = {k: raw[k] for k in ("row", "task", "indicator", "unit", "values")}
            if "task_from_row" in raw:
                row["task_from_row"] = raw["task_from_row"]
            clause = Clause(
                id=cid, doc_id=doc_id, doc_title=title, doc_status=status, article=table_title,
                heading=f"{raw['indicator']}({raw['unit']})", text=render_row(table_title, row),
                kind="target_row", source_text=raw["source_text"], row=row, notes=notes, doc_draft=draft,
            )
        elif "parent" in raw:
            parent = by_id[raw["parent"]]
            clause = Clause(
                id=cid, doc_id=doc_id, doc_title=title, doc_status=status, article=parent.article,
                heading=raw.get("heading", parent.heading), text=raw["text"], departments=parent.departments,
                parent_id=parent.id, kind="sentence", source_text=raw["text"], notes=notes, doc_draft=draft,
                departments_text=parent.departments_text,
            )
        else:
            depts = empty_departments()
            depts.update(raw.get("departments") or {})
            clause = Clause(
                id=cid, doc_id=doc_id, doc_title=title, doc_status=status, article=raw.get("article", ""),
                heading=raw.get("heading", ""), text=raw["text"], departments=depts,
                kind=raw.get("kind", "paragraph"), source_text=raw["text"], notes=notes, doc_draft=draft,
                departments_text=raw.get("departments_text", ""),
            )
            if cid.endswith("/targets/0"):
                table_title = raw["heading"]
        by_id[cid] = clause
        out.append(clause)
    return out


def policy_files(policy_dir: Path | None = None) -> list[Path]:
    return sorted((policy_dir or POLICY_DIR).glob("*.yaml"))


@lru_cache(maxsize=4)
def _load_all(policy_dir: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    for path in policy_files(Path(policy_dir)):
        clauses.extend(_load_doc(path))
    return tuple(clauses)


def all_clauses(policy_dir: Path | None = None) -> list[Clause]:
    """Every clause of every policy YAML, in document order (cheap: YAML only)."""
    return list(_load_all(str(policy_dir or POLICY_DIR)))


@lru_cache(maxsize=4)
def _by_id(policy_dir: str) -> dict[str, Clause]:
    return {c.id: c for c in _load_all(policy_dir)}


def get_clause(clause_id: str, policy_dir: Path | None = None) -> Clause:
    """The clause with this id; KeyError if unknown."""
    return _by_id(str(policy_dir or POLICY_DIR))[clause_id]


def documents(policy_dir: Path | None = None) -> dict[str, dict]:
    """Document metadata (everything in the YAML except the clauses), keyed by doc_id."""
    out = {}
    for path in policy_files(policy_dir):
        doc = _read_yaml(path)
        doc.pop("clauses")
        out[doc["doc_id"]] = doc
    return out


def children(clause_id: str, policy_dir: Path | None = None) -> list[Clause]:
    """The sentences of a paragraph clause, in order."""
    return [c for c in all_clauses(policy_dir) if c.parent_id == clause_id]


def searchable(clause: Clause, clauses_with_children: set[str]) -> bool:
    """Leaves are ranked (sentences, rows, paragraphs without sentences); bare headings and
    paragraphs whose sentences are indexed are not, so a paragraph never crowds out its own sentence."""
    return clause.kind != "heading" and clause.id not in clauses_with_children
