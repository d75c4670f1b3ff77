"""The clause index: build → save(dir) → load(dir) → search(question, k) -> hits.

Dense channel: FAISS `IndexFlatIP` (exact inner product) over L2-normalised embeddings = cosine.
Lexical channel: jieba + BM25 with synonym expansion (knowledge/lexical.py).
Fusion: fused = dense cosine + w · bm25 / (max bm25 of this query); settings in knowledge/data/retrieval.yaml.

Ranking unit: leaves (sentences, target rows, paragraphs without sentences). A paragraph `/0` is not
ranked on its own, so it can never crowd out its own sentence; at most `per_parent` sentences of one
paragraph enter a result list. Files in an index dir: index.faiss, clauses.jsonl (readable store,
one clause per line with the text that was embedded and its BM25 tokens), lexicon.txt (the jieba words
of the corpus, so loading skips jieba's 350 000-word dictionary), t2s.txt (traditional → simplified
characters for query normalisation, from zhconv), manifest.json. Everything is rebuilt
by `python -m knowledge build`.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .clauses import PACKAGE_DIR, Clause, searchable
from .embedders import Embedder, make_embedder
from .lexical import BM25Channel, Normalizer, Tokenizer, expand_query, full_tokenizer

FORMAT = 3                     # bump when the embedded text or the store layout changes
REPO_ROOT = PACKAGE_DIR.parent
DEFAULT_INDEX_DIR = REPO_ROOT / "var" / "index"
SETTINGS_FILE = PACKAGE_DIR / "data" / "retrieval.yaml"
METHODS = ("dense", "bm25", "fused")


def settings() -> dict:
    return yaml.safe_load(SETTINGS_FILE.read_text(encoding="utf-8"))


@dataclass
class Hit:
    clause: Clause
    score: float
    confident: bool = True
    channels: dict = field(default_factory=dict)   # {"dense": cosine, "bm25": raw score}

    def to_dict(self) -> dict:
        d = self.clause.to_dict()
        d.update(score=round(float(self.score), 4), confident=self.confident,
                 dense=round(float(self.channels.get("dense", 0.0)), 4),
                 bm25=round(float(self.channels.get("bm25", 0.0)), 4))
        return d


def embed_text(clause: Clause) -> str:
    """What the embedder sees: a sentence with its paragraph heading (context), else the text."""
    if clause.kind == "sentence" and clause.heading and clause.heading not in clause.text:
        return f"{clause.heading}：{clause.text}"
    return clause.text


def index_units(clauses: list[Clause]) -> list[Clause]:
    parents = {c.parent_id for c in clauses if c.parent_id}
    return [c for c in clauses if searchable(c, parents)]


def corpus_hash(units: list[Clause]) -> str:
    h = hashlib.sha256(f"format={FORMAT}\n".encode())
    for c in units:
        h.update(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True).encode())
        h.update(embed_text(c).encode())
    return h.hexdigest()[:16]


def bm25_text(clause: Clause) -> str:
    return f"{clause.heading} {clause.text}"


def lexical_data(units: list[Clause]) -> tuple[Tokenizer, list[list[str]]]:
    """The corpus-restricted tokenizer and each unit's BM25 tokens (needs jieba's full dictionary)."""
    texts = [bm25_text(c) for c in units]
    tokenizer = full_tokenizer().restrict(texts)
    return tokenizer, [tokenizer(t) for t in texts]


def sources_hash(policy_dir: Path | None = None) -> str:
    """Hash of the raw inputs of the policy index (policy YAML, synonyms, format): when it matches the
    manifest the index is fresh without parsing any YAML; when not, the clause-level hash decides."""
    from .clauses import policy_files
    from .lexical import SYNONYMS_FILE

    h = hashlib.sha256(f"format={FORMAT}\n".encode())
    for p in [*policy_files(policy_dir), SYNONYMS_FILE]:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def synonyms_hash() -> str:
    """The stored lexicon and BM25 tokens depend on the synonym words (they are jieba words too)."""
    from .lexical import SYNONYMS_FILE

    return hashlib.sha256(SYNONYMS_FILE.read_bytes()).hexdigest()[:16]


class Index:
    def __init__(self, units: list[Clause], vectors: np.ndarray, embedder: Embedder, manifest: dict,
                 lexical: tuple[Tokenizer, list[list[str]]] | None = None, normalizer: Normalizer | None = None):
        import faiss

        self.units = units
        self.embedder = embedder
        self.manifest = manifest
        self.faiss = faiss.IndexFlatIP(vectors.shape[1])
        self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.tokenizer, self.doc_tokens = lexical or lexical_data(units)
        self.bm25 = BM25Channel(self.doc_tokens, self.tokenizer)
        self.normalize = normalizer or Normalizer.from_zhconv()
        self.settings = settings()

    # ---- lifecycle -------------------------------------------------------------------------------
    @classmethod
    def build(cls, clauses: list[Clause], embedder: Embedder, source: str = "policies",
              progress: bool = True) -> Index:
        from tqdm import tqdm

        units = index_units(clauses)
        t0 = time.perf_counter()
        texts = [embed_text(c) for c in units]
        batches, size = [], 16
        for i in tqdm(range(0, len(texts), size), desc=f"embedding {len(texts)} clauses ({embedder.name})",
                      unit="batch", disable=not progress):
            batches.append(embedder.embed_passages(texts[i:i + size]))
        vectors = np.vstack(batches) if batches else np.zeros((0, embedder.dim), np.float32)
        manifest = {
            "format": FORMAT, "embedder": embedder.name, "model": embedder.model, "dim": int(vectors.shape[1]),
            "corpus_hash": corpus_hash(units), "count": len(units), "source": source,
            "sources_hash": sources_hash() if source == "policies" else None, "synonyms_hash": synonyms_hash(),
            "build_seconds": round(time.perf_counter() - t0, 3),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        return cls(units, vectors, embedder, manifest)

    def save(self, out_dir: Path) -> None:
        import faiss

        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = f".tmp{os.getpid()}"
        faiss.write_index(self.faiss, str(out_dir / ("index.faiss" + tmp)))
        with open(out_dir / ("clauses.jsonl" + tmp), "w", encoding="utf-8") as f:
            for c, toks in zip(self.units, self.doc_tokens, strict=True):
                f.write(json.dumps({**c.to_dict(), "embed_text": embed_text(c), "bm25_tokens": toks},
                                   ensure_ascii=False) + "\n")
        self.tokenizer.save(out_dir / ("lexicon.txt" + tmp))
        self.normalize.save(out_dir / ("t2s.txt" + tmp))
        (out_dir / ("manifest.json" + tmp)).write_text(json.dumps(self.manifest, ensure_ascii=False, indent=2))
        for name in ("index.faiss", "clauses.jsonl", "lexicon.txt", "t2s.txt", "manifest.json"):  # manifest last
            os.replace(out_dir / (name + tmp), out_dir / name)

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Index:
        import faiss

        index_dir = Path(index_dir)
        manifest = json.loads((index_dir / "manifest.json").read_text())
        with open(index_dir / "clauses.jsonl", encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        units = [Clause.from_dict(r) for r in records]
        lexical = None
        if (index_dir / "lexicon.txt").exists() and all("bm25_tokens" in r for r in records):
            lexical = (Tokenizer.load(index_dir / "lexicon.txt"), [r["bm25_tokens"] for r in records])
        normalizer = Normalizer.load(index_dir / "t2s.txt") if (index_dir / "t2s.txt").exists() else None
        stored = faiss.read_index(str(index_dir / "index.faiss"))
        vectors = stored.reconstruct_n(0, stored.ntotal) if stored.ntotal else np.zeros((0, manifest["dim"]))
        if embedder is None:
            embedder = make_embedder(manifest["embedder"],
                                     manifest["model"] if manifest["embedder"] == "sentence-transformers" else None)
        if embedder.dim != manifest["dim"]:
            raise ValueError(f"{index_dir}: index has dim {manifest['dim']}, embedder {embedder.name} has {embedder.dim}")
        index = cls(units, np.asarray(vectors, np.float32), embedder, manifest, lexical, normalizer)
        index.warm()
        return index

    def warm(self) -> None:
        """Load what the embedder and tokenizer load lazily, so that the first real query is fast."""
        self.search("热身", k=1)

    # ---- channels ---------------------------------------------------------------------------------
    def dense_scores(self, question: str, expand: bool | None = None) -> np.ndarray:
        expand = self.settings.get("dense_expand", False) if expand is None else expand
        q = self.embedder.embed_query(expand_query(question) if expand else question)
        scores, ids = self.faiss.search(np.asarray(q, np.float32)[None, :], len(self.units))
        out = np.zeros(len(self.units), np.float32)
        out[ids[0]] = scores[0]
        return out

    def bm25_scores(self, question: str) -> np.ndarray:
        s = self.bm25.scores(question, self.settings.get("expansion_weight", 1.0))
        return np.zeros(len(self.units)) if s is None else np.asarray(s, dtype=np.float64)

    def channel_scores(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        question = self.normalize(question)
        return self.dense_scores(question), self.bm25_scores(question)

    def rank(self, dense: np.ndarray, bm25: np.ndarray, method: str, bm25_weight: float | None = None) -> np.ndarray:
        if method == "dense":
            score = dense
        elif method == "bm25":
            score = bm25 + 1e-6 * dense          # dense breaks BM25 ties (e.g. all zero)
        elif method == "fused":
            w = self.settings["fusion"]["bm25_weight"] if bm25_weight is None else bm25_weight
            top = bm25.max()
            score = dense + (w * bm25 / top if top > 0 else 0.0)
        else:
            raise ValueError(f"method must be one of {METHODS}")
        return np.asarray(score, dtype=np.float64)

    def select(self, score: np.ndarray, k: int, per_parent: int | None = None) -> list[int]:
        per_parent = self.settings.get("per_parent", 2) if per_parent is None else per_parent
        order = np.argsort(-score, kind="stable")
        picked, per_group = [], {}
        for i in order:
            g = self.units[i].group_id
            if per_group.get(g, 0) >= per_parent:
                continue
            per_group[g] = per_group.get(g, 0) + 1
            picked.append(int(i))
            if len(picked) == k:
                break
        return picked

    def search(self, question: str, k: int = 3, method: str | None = None) -> list[Hit]:
        method = method or self.settings.get("method", "fused")
        dense, bm25 = self.channel_scores(question)
        score = self.rank(dense, bm25, method)
        threshold = self.threshold()
        hits = []
        for i in self.select(score, k):
            hits.append(Hit(self.units[i], float(score[i]), bool(dense[i] >= threshold),
                            {"dense": float(dense[i]), "bm25": float(bm25[i])}))
        return hits

    def threshold(self) -> float:
        """Confidence threshold on the dense cosine; per embedder, chosen on the golden dev split."""
        t = self.settings.get("confidence_threshold", 0.0)
        if isinstance(t, dict):
            return float(t.get(self.manifest["embedder"], t.get("default", 0.0)))
        return float(t)


# ---- the default policy index (var/index) ----------------------------------------------------------
def is_fresh(index_dir: Path, embedder_name: str, model: str | None) -> bool:
    """Cheap check (no YAML parsed): the policy index in index_dir was built from exactly these files."""
    try:
        manifest = json.loads((Path(index_dir) / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return (manifest.get("format") == FORMAT and manifest.get("source") == "policies"
            and manifest.get("embedder") == embedder_name and (not model or manifest.get("model") == model)
            and manifest.get("sources_hash") == sources_hash())


def is_stale(index_dir: Path, clauses: list[Clause], embedder_name: str, model: str | None) -> str | None:
    """Why the index in index_dir cannot serve these clauses with this embedder (None if it can)."""
    mf = Path(index_dir) / "manifest.json"
    if not mf.exists():
        return "missing"
    manifest = json.loads(mf.read_text())
    if manifest.get("format") != FORMAT:
        return "format changed"
    if manifest.get("embedder") != embedder_name:
        return f"embedder {manifest.get('embedder')} != {embedder_name}"
    if model and manifest.get("model") != model:
        return f"model {manifest.get('model')} != {model}"
    if manifest.get("synonyms_hash") != synonyms_hash():
        return "synonyms changed"
    if manifest.get("source") == "policies" and manifest.get("corpus_hash") != corpus_hash(index_units(clauses)):
        return "policy YAML changed"
    return None


def jsonl_clauses(path: Path) -> list[Clause]:
    """Records {"id","title","text"} of any JSON Lines file as clauses (one record = one clause)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            missing = {"id", "title", "text"} - set(r)
            if missing:
                raise ValueError(f"{path}:{n}: record lacks {sorted(missing)}")
            out.append(Clause(id=str(r["id"]), doc_id=Path(path).stem, doc_title=str(r["title"]), doc_status="",
                              article="", heading=str(r["title"]), text=str(r["text"]), kind="record",
                              source_text=str(r["text"])))
    return out
