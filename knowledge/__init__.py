"""Policy knowledge: verbatim clauses of the policy documents and a search over them.

    from knowledge import get_clause, all_clauses, search
    get_clause("ningbo_leye/measure03/1").text      # YAML only, no embedder
    search("娃4岁没宁波户口能交医保不", k=3)          # -> [Hit(clause, score, confident)]

The index and the embedder load lazily on the first `search` (see knowledge/api.py).
"""

from .clauses import Clause, all_clauses, children, documents, get_clause

__all__ = ["Clause", "Hit", "all_clauses", "children", "documents", "get_clause", "search", "load_index"]


def search(question: str, k: int = 3, method: str | None = None):
    from .api import search as _search

    return _search(question, k=k, method=method)


def load_index(*args, **kwargs):
    from .api import load_index as _load

    return _load(*args, **kwargs)


def __getattr__(name):
    if name == "Hit":
        from .index import Hit

        return Hit
    raise AttributeError(name)
