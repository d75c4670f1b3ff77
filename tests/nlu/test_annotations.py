"""The NLU training data annotates every mention of an entity (README, "Adding examples"): a mention left
unannotated teaches DIET to miss it, and the cross-validation counts it against the entity F1. A surface
annotated at least twice somewhere (宁波, 高级工, 孩子) is annotated in every example that contains it; every
duration and age the fact reader finds in an example is annotated, except a question (几年) and a date. The
mentions that are something else in their example are listed, with the words that show it, in
tests/nlu/unannotated.yaml."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from facts.quantities import parse_age_info, parse_duration
from facts.text import normalize_text

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")
NUMERAL = re.compile("[0-9一二两三四五六七八九十百半]")
EXEMPT = yaml.safe_load(Path(__file__).with_name("unannotated.yaml").read_text(encoding="utf-8"))


def examples() -> list[str]:
    out = []
    for path in sorted((ROOT / "data/nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                out += [line.strip()[2:] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    return out


def _plain(example: str) -> str:
    """The example with its annotated spans blanked (so a mention inside one is not found again)."""
    return ANNOTATION.sub(lambda m: "\0" * len(m.group(1)), example)


def _exempt(kind: str, surface: str, example: str) -> bool:
    return any(w in example for w in (EXEMPT.get(kind) or {}).get(surface, ()))


def unannotated_surfaces(exs: list[str]) -> list[tuple[str, str]]:
    counts: Counter[str] = Counter(m.group(1) for e in exs for m in ANNOTATION.finditer(e))
    kinds = defaultdict(set)
    for e in exs:
        for m in ANNOTATION.finditer(e):
            kinds[m.group(1)].add(m.group(2).strip("(){}").split(":")[0])
    surfaces = [s for s, n in counts.items() if n >= 2 and len(s) >= 2 and not kinds[s] & {"duration", "age"}]
    return [(s, e) for e in exs for s in surfaces if s in _plain(e) and not _exempt("surface", s, e)]


def _spans(text: str, find) -> list[tuple[int, int]]:
    out, at = [], 0
    while at < len(text) and (hit := find(text[at:])) is not None:
        out.append((at + hit.span[0], at + hit.span[1]))
        at += max(hit.span[1], 1)
    return out


def unannotated_quantities(exs: list[str]) -> list[tuple[str, str]]:
    out = []
    for e in exs:
        plain = normalize_text(_plain(e))
        found = [("duration", s) for s in _spans(plain, lambda t: parse_duration(t, normalised=True))] \
            + [("age", s) for s in _spans(plain, lambda t: parse_age_info(t, normalised=True))]
        for kind, (a, b) in found:
            said = plain[a:b]
            if "\0" in said or not NUMERAL.search(said) or said.startswith("几") or re.match(r"[0-9]{4}", said):
                continue   # inside an annotation; no figure (刚交, 刚出生); 几年 asks; 2027年 is a date
            if not _exempt(kind, said, plain):
                out.append((said, e))
    return out


def test_every_mention_of_an_annotated_surface_is_annotated():
    assert unannotated_surfaces(examples()) == []


def test_every_duration_and_age_is_annotated():
    assert unannotated_quantities(examples()) == []


def test_the_checks_find_a_mention_left_unannotated():
    exs = ["我在[宁波](place)上班", "[宁波](place)户口", "老家在宁波", "社保交了[两年](duration)", "社保交了三年",
           "[孩子](family_member:child)[3岁](age)", "[孩子](family_member:child)医保", "孩子4岁了", "要交几年社保",
           "刚交的医保"]
    assert unannotated_surfaces(exs) == [("宁波", "老家在宁波"), ("孩子", "孩子4岁了")]
    assert [s for s, _ in unannotated_quantities(exs)] == ["三年", "4岁"]
