"""What "held out" means here, as code: a held-out message is not equal or near-equal (character-bigram
similarity ≥ 0.85 after normalisation, entity annotations stripped) to anything we tune on — a training
example, a dev question, a lexicon or synonym entry — and no word of a lexicon or synonym list occurs in
held-out messages only (a word no dev message and no policy clause contains was fitted to the held-out
set). Used by tests/test_leakage.py for every held-out set."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NEAR = 0.85
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PUNCT = re.compile(r"[\s，。？！,.?!、~…：:；;“”\"'()（）]+")


def normalise(text: str) -> str:
    return _PUNCT.sub("", _ANNOTATION.sub(r"\1", text)).lower()


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset({text})


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def near_copies(held: Iterable[str], tuned: Iterable[str]) -> list[tuple[str, str, float]]:
    """(held-out message, the tuned text it copies, similarity) for every held-out message that is equal
    or near-equal to a tuned one."""
    grams = {}
    for t in tuned:
        n = normalise(t)
        if n:
            grams.setdefault(n, _bigrams(n))
    out = []
    for message in held:
        m = normalise(message)
        mg = _bigrams(m)
        best, score = None, 0.0
        for t, tg in grams.items():
            # 2|x∩y|/(|x|+|y|) ≥ NEAR needs min/max ≥ NEAR/(2-NEAR): skip the rest without intersecting
            if min(len(mg), len(tg)) < NEAR / (2 - NEAR) * max(len(mg), len(tg)):
                continue
            s = 2 * len(mg & tg) / (len(mg) + len(tg))
            if s > score:
                best, score = t, s
        if score >= NEAR:
            out.append((message, best, round(score, 2)))
    return out


def held_out_only(words: Iterable[str], held: Iterable[str], evidence: Iterable[str], fold=lambda s: s) -> list[str]:
    """Words that occur (as substrings, after `fold`) in some held-out text but in no evidence text (dev
    messages, policy clauses): such a word can only have been fitted to the held-out set."""
    held_texts = [fold(t) for t in held]
    evidence_text = "\n".join(fold(t) for t in evidence)
    return sorted({w for w in words if w and w not in evidence_text and any(w in t for t in held_texts)})


# ------------------------------------------------------------------------------------------ the sources --

def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) of every example of a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for item in data.get("nlu") or []:
        for line in (item.get("examples") or "").splitlines() if "intent" in item else ():
            if line.strip().startswith("- "):
                out.append((item["intent"], line.strip()[2:]))
    return out


def nlu_training() -> list[str]:
    return [t for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for _, t in nlu_examples(path)]


def nlu_word_entries() -> list[str]:
    """Entries of data/nlu's lookup tables and entity synonyms."""
    data = yaml.safe_load((ROOT / "data" / "nlu" / "lookups.yml").read_text(encoding="utf-8")) or {}
    out = []
    for item in data.get("nlu") or []:
        if "lookup" in item or "synonym" in item:
            out += [line.strip()[2:] for line in (item.get("examples") or "").splitlines()
                    if line.strip().startswith("- ")]
    return out


def retrieval_synonyms() -> list[str]:
    """Every word of knowledge/data/synonyms.yaml, colloquial (`say`) and policy (`means`)."""
    data = yaml.safe_load((ROOT / "knowledge" / "data" / "synonyms.yaml").read_text(encoding="utf-8"))
    return [w for g in data["groups"] for w in g["say"] + g["means"]]


def synonym_say_words() -> list[str]:
    data = yaml.safe_load((ROOT / "knowledge" / "data" / "synonyms.yaml").read_text(encoding="utf-8"))
    return [w for g in data["groups"] for w in g["say"]]


def fact_lexicons() -> list[Path]:
    """The fact reader's word lists (facts/lexicon.yaml and any other YAML of the package)."""
    return sorted((ROOT / "facts").glob("**/*.yaml"))


def lexicon_words(path: Path) -> list[str]:
    """Every string leaf and every mapping key of a YAML word list (keys of a typo table are words too)."""
    out: list[str] = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if isinstance(k, str) and not k.isascii():
                    out.append(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and not x.isascii():
            out.append(x)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def golden(split: str) -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "knowledge" / "golden.yaml").read_text(encoding="utf-8"))
    return [q["q"] for q in data["questions"] if q["split"] == split]


def retrieval_heldout_v2() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "knowledge" / "heldout_v2.yaml").read_text(encoding="utf-8"))
    return [q["q"] for q in data["questions"]]


def fact_cases(name: str) -> list[str]:
    path = ROOT / "tests" / "facts" / name
    return [c["text"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]] if path.exists() else []


def clause_texts() -> list[str]:
    from knowledge import all_clauses
    return [c.text for c in all_clauses()]



def question_cases(name: str) -> list[str]:
    """The messages of a question-kind table (tests/questions/dev.yaml, heldout.yaml)."""
    path = ROOT / "tests" / "questions" / name
    return [c["text"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]] if path.exists() else []


def question_words() -> list[str]:
    """The word lists of the question readers: knowledge/data/navigation.yaml (document cues, part names,
    aspects, procedure words), referrals.yaml (subject words) and targets.yaml (indicator aliases)."""
    data = ROOT / "knowledge" / "data"
    nav = yaml.safe_load((data / "navigation.yaml").read_text(encoding="utf-8"))
    words = [w for doc in nav["documents"].values() for w in doc["cues"]]
    words += [w for doc in nav["documents"].values() for part in doc["parts"].values() for w in part]
    words += [w for ws in nav["aspects"].values() for w in ws]
    words += [w for entry in nav["procedure"].values() for w in entry["words"]]
    words += nav["document_words"] + nav["overview_words"] + nav["overview_for_workers"]
    items = nav["items"]
    words += [w for key in ("counters", "particles", "first", "last", "middle", "demonstratives", "counted",
                            "linkers", "numbered", "group_counters", "how_many") for w in items[key]] + [items["from_end"]]
    referrals = yaml.safe_load((data / "referrals.yaml").read_text(encoding="utf-8"))["referrals"]
    words += [w for entry in referrals.values() for w in entry["words"]]
    targets = yaml.safe_load((data / "targets.yaml").read_text(encoding="utf-8"))
    words += [w for ws in (targets.get("aliases") or {}).values() for w in ws]
    return [w for w in words if isinstance(w, str) and not w.isascii()]
