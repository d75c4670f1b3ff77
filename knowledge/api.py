"""`search(question, k)` over the default policy index, loaded lazily once per process (and rebuilt
first if missing or stale: policy YAML changed, other embedder requested, new format)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from .clauses import all_clauses
from .embedders import make_embedder, requested_spec
from .index import DEFAULT_INDEX_DIR, Hit, Index, is_fresh, is_stale

_LOCK = threading.Lock()
_CACHE: dict[tuple, Index] = {}


def default_index_dir() -> Path:
    return Path(os.environ.get("KNOWLEDGE_INDEX_DIR") or DEFAULT_INDEX_DIR)


def build_policy_index(index_dir: Path | None = None, embedder: str | None = None, model: str | None = None,
                       progress: bool = True) -> Index:
    index_dir = Path(index_dir or default_index_dir())
    emb = make_embedder(embedder, model)
    index = Index.build(all_clauses(), emb, source="policies", progress=progress)
    index.save(index_dir)
    return index


def load_index(index_dir: Path | None = None, embedder: str | None = None, model: str | None = None,
               progress: bool = False) -> Index:
    """The policy index in index_dir (default var/index), cached; built when missing or stale."""
    index_dir = Path(index_dir or default_index_dir())
    name, model = requested_spec(embedder, model)
    key = (str(index_dir), name, model)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        why = None if is_fresh(index_dir, name, model) else is_stale(index_dir, all_clauses(), name, model)
        if why:
            print(f"knowledge: building index in {index_dir} ({why})", file=sys.stderr)
            index = build_policy_index(index_dir, name, model, progress=progress)
        else:
            index = Index.load(index_dir, make_embedder(name, model))
        _CACHE[key] = index
        return index


def search(question: str, k: int = 3, method: str | None = None) -> list[Hit]:
    """Top-k clauses for a question; hit.confident is False below the golden-set threshold."""
    return load_index().search(question, k=k, method=method)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
