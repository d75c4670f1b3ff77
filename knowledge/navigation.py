"""Questions about the documents themselves: their parts, a part by its number or its subject, its verbatim
text, its departments, a document's status and date.

    read_document_question("第三条原文是什么")
    # DocumentQuestion(aspects=("text",), doc_id="ningbo_leye", sections=(Section(ningbo_leye/measure03),))

The numbered parts come from the policy YAML (measureNN, taskNN, safeguardNN paragraphs); the words that
name documents, parts, counters and aspects from knowledge/data/navigation.yaml. A part named by its subject
("子女医保这条") is found by retrieval over the clauses (``search``, injected so this module needs no index).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .clauses import all_clauses, documents, get_clause
from .lexical import Normalizer, cn_to_int

DATA = Path(__file__).resolve().parent / "data" / "navigation.yaml"
NUMERAL = "[零〇一二两三四五六七八九十0-9]{1,3}"
_SECTION = re.compile(r"^(?P<part>[a-z]+?)(?P<number>\d*)$")
# Two documents' parts found by subject are both meant when their scores are this close (无欠薪: measure 九
# of the Ningbo measures and task (九) of the Beilun plan): the assistant asks which.
CLOSE_SCORES = 0.9


@dataclass(frozen=True)
class Section:
    """A part of a document: 一、… of the Ningbo measures, (一)… of the Beilun tasks/safeguards (numbered), or
    an unnumbered paragraph (preamble, 指导思想, 主要目标, the closing paragraph; number 0)."""

    id: str             # ningbo_leye/measure03
    doc_id: str
    part: str           # measure | task | safeguard | preamble | guiding | goals | closing | notice …
    number: int         # 0 for an unnumbered part
    article: str        # 三、放宽外来劳动者子女医保参保限制
    heading: str

    @property
    def paragraph_id(self) -> str:
        return f"{self.id}/0"


@dataclass(frozen=True)
class DocumentQuestion:
    aspects: tuple[str, ...]            # of documents | list | text | departments | status (none: the part)
    doc_id: str | None                  # the document meant, when the message (or its part) says
    sections: tuple[Section, ...] = ()  # the part(s) meant; several = ambiguous (the assistant asks)
    by_number: bool = False             # the part was named by its number (not found by its subject)

    @property
    def ambiguous(self) -> bool:
        return len(self.sections) > 1

    @property
    def answer(self) -> str:
        """What the answer is: which (ask which document's part) | departments | section (its verbatim
        text) | outline (the parts of the document(s)) | status (the document(s), their status and date —
        also when nothing more precise was asked: a question about "the document" wants to know what it is)."""
        if self.ambiguous:
            return "which"
        if self.sections:
            return "departments" if "departments" in self.aspects and "text" not in self.aspects else "section"
        return "outline" if "list" in self.aspects and "documents" not in self.aspects else "status"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    """Every part of every document (its paragraphs), in document order."""
    out = []
    for clause in all_clauses():
        if not clause.id.endswith("/0") or clause.kind != "paragraph":
            continue
        doc_id, name, _ = clause.id.split("/")
        m = _SECTION.match(name)
        if m:
            out.append(Section(f"{doc_id}/{name}", doc_id, m["part"], int(m["number"] or 0), clause.article,
                               clause.heading))
    return tuple(out)


@lru_cache(maxsize=1)
def _normalise() -> Normalizer:
    return Normalizer.from_zhconv()


def sections_of(doc_id: str, part: str | None = None) -> list[Section]:
    return [s for s in sections() if s.doc_id == doc_id and (part is None or s.part == part)]


def section_of_clause(clause_id: str) -> Section | None:
    """The part a clause belongs to (ningbo_leye/measure03/1 → measure 三), if any."""
    prefix = "/".join(clause_id.split("/")[:2])
    return next((s for s in sections() if s.id == prefix), None)


def _number(token: str) -> int | None:
    token = token.replace("〇", "0")
    return int(token) if token.isdigit() else cn_to_int(token)


def numbered(doc_id: str | None = None) -> list[Section]:
    return [s for s in sections() if s.number and (doc_id is None or s.doc_id == doc_id)]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[tuple[re.Pattern, str, str]], re.Pattern, re.Pattern]:
    """(part-word patterns with their doc and part), the counter pattern, the bare-parenthesis pattern."""
    parts = []
    for doc_id, doc in _data()["documents"].items():
        for part, words in doc["parts"].items():
            names = _alternation(words)
            # 措施三 / 重点任务（九） / 任务9 and 第三项任务 / 第九个任务 / 第3条措施
            after = re.compile(rf"(?:{names})\s*第?\s*[（(]?\s*(?P<n>{NUMERAL})\s*[）)]?")
            before = re.compile(rf"第\s*(?P<n>{NUMERAL})\s*[条项个点]?\s*(?:{names})")
            parts += [(after, doc_id, part), (before, doc_id, part)]
    counters = re.compile(rf"第\s*(?P<n>{NUMERAL})\s*(?P<counter>{_alternation(_data()['counters'])})")
    bracket = re.compile(rf"[（(]\s*(?P<n>{NUMERAL})\s*[）)]")
    return parts, counters, bracket


def aspects_of(text: str) -> tuple[str, ...]:
    found = [a for a, words in _data()["aspects"].items() if any(w in text for w in words)]
    # 哪十条 / 哪九项: which N parts (a list), with any counter
    if "list" not in found and re.search(rf"哪\s*(?:{NUMERAL}|几)\s*(?:{_alternation(_data()['counters'])})", text):
        found.insert(0, "list")
    return tuple(found)


def document_cue(text: str) -> str | None:
    """The document a message names (None: neither, or both)."""
    docs = _data()["documents"]
    named = [d for d, doc in docs.items() if any(c in text for c in doc["cues"])]
    named = [d for d in named if not any(docs[o].get("within") == d for o in named)]
    return named[0] if len(named) == 1 else None


def _by_number(text: str, doc_hint: str | None, strict: bool = False) -> list[Section]:
    """The parts a message names by number; ``strict``: only by a part's name (措施三, 任务九) or 第N条/项 —
    not 第二个 / （三）, which are as often a child or a list item of the worker's own."""
    parts, counters, bracket = _patterns()
    # the longest part reference wins: 保障措施(二) is the Beilun safeguard, not the Ningbo 措施 二
    matches = [(m, doc_id, part) for pattern, doc_id, part in parts if (m := pattern.search(text))]
    for m, doc_id, part in sorted(matches, key=lambda x: (x[0].start() - x[0].end(), x[0].start())):
        if (n := _number(m["n"])) is not None:
            return [s for s in sections_of(doc_id, part) if s.number == n]
    m = counters.search(text)
    if m and strict and m["counter"] not in _data()["strict_counters"]:
        m = None
    if m and (n := _number(m["n"])) is not None:
        part = _data()["counters"][m["counter"]]
        docs = [doc_hint] if doc_hint else list(_data()["documents"])
        found = [s for s in numbered() if s.number == n and s.doc_id in docs]
        if part:
            found = [s for s in found if s.part == part] or found
        # one per document: its main numbered list (measures, tasks) before the safeguards
        firsts: dict[str, Section] = {}
        for s in found:
            firsts.setdefault(s.doc_id, s)
        return sorted(firsts.values(), key=lambda s: list(_data()["documents"]).index(s.doc_id))
    m = None if strict else bracket.search(text)
    if m and (n := _number(m["n"])) is not None:
        part = "safeguard" if any(w in text for w in _data()["documents"]["beilun_laoyousuode"]["parts"]["safeguard"]) \
            else "task"
        return [s for s in sections_of("beilun_laoyousuode", part) if s.number == n]
    return []


def _strip_aspect_words(text: str) -> str:
    for words in _data()["aspects"].values():
        for w in words:
            text = text.replace(w, " ")
    return text


def read_document_question(text: str, search: Callable[[str], list] | None = None) -> DocumentQuestion:
    """What a message asks about the documents. ``search(question) -> hits`` (knowledge.search) finds a
    part named by its subject when no number names one; without it such a part is not looked for."""
    text = _normalise()(text)
    aspects = aspects_of(text)
    doc_hint = document_cue(text)
    found = _by_number(text, doc_hint)
    by_number = bool(found)
    if not found and search is not None and not {"documents", "list", "status"} & set(aspects):
        rest = _strip_aspect_words(text)
        if len(re.sub(r"\W", "", rest)) >= 2:
            found = _by_subject(search(rest), doc_hint)
    doc_id = doc_hint or (found[0].doc_id if len({s.doc_id for s in found}) == 1 and found else None)
    return DocumentQuestion(aspects, doc_id, tuple(found), by_number)


def _by_subject(hits: list, doc_hint: str | None) -> list[Section]:
    """The part of the best hit; with no document named, also the other document's part when its best hit
    scores as high (the same subject in both documents)."""
    best: dict[str, tuple[Section, float]] = {}
    for hit in hits:
        section = section_of_clause(hit.clause.id)
        if section and (doc_hint is None or section.doc_id == doc_hint) and section.doc_id not in best:
            best[section.doc_id] = (section, float(hit.score))
    ranked = sorted(best.values(), key=lambda pair: -pair[1])
    if not ranked:
        return []
    top = ranked[0][1]
    return [section for section, score in ranked if score >= CLOSE_SCORES * top]


def document_ids() -> list[str]:
    """The documents in the order navigation.yaml lists them (the Ningbo measures first)."""
    return list(_data()["documents"])


def document_meta(doc_id: str) -> dict:
    return documents()[doc_id]


def section_text(section: Section) -> str:
    """The part's whole paragraph, verbatim."""
    return get_clause(section.paragraph_id).text


def procedure_aspects(text: str) -> tuple[str, ...]:
    """What a follow-up asks of how to apply (materials | where | time | cost), in the data's order."""
    text = _normalise()(text)
    return tuple(a for a, entry in _data()["procedure"].items() if any(w in text for w in entry["words"]))


def procedure_label(aspect: str) -> str:
    return _data()["procedure"][aspect]["label"]


def names_a_document_part(text: str) -> bool:
    """Whether a message is about the documents themselves: it names a part by its number (措施三, 第十条,
    重点任务（九）) or uses a document word (原文, 责任单位, 征求意见 …: navigation.yaml ``document_words``)."""
    text = _normalise()(text)
    return any(w in text for w in _data()["document_words"]) or bool(_by_number(text, document_cue(text), strict=True))


def document_words() -> list[str]:
    return list(_data()["document_words"])


def asks_who_is_responsible(text: str) -> bool:
    """免费培训归谁管 / 北仑调整最低工资标准是哪个部门负责: navigation.yaml ``responsibility_questions``."""
    text = _normalise()(text)
    return any(w in text for w in _data()["responsibility_questions"])


def procedure_always() -> set[str]:
    return set(_data()["procedure_always"])


def without_procedure_words(text: str) -> str:
    """The message without its procedure words and punctuation (what is left names the topic, if any)."""
    text = _normalise()(text)
    for entry in _data()["procedure"].values():
        for w in entry["words"]:
            text = text.replace(w, "")
    return re.sub(r"[\W_]+", "", text)


def asks_overview(text: str) -> bool:
    """Whether a message asks which policies there are (navigation.yaml ``overview_words``)."""
    text = _normalise()(text)
    return any(w in text for w in _data()["overview_words"])


def asks_overview_for_workers(text: str) -> bool:
    """The overview asked about the workers by their employer (员工…他们可以享受的政策; ``overview_for_workers``)."""
    text = _normalise()(text)
    return asks_overview(text) and any(w in text for w in _data()["overview_for_workers"])


@lru_cache(maxsize=1)
def _item_pattern() -> re.Pattern:
    items = _data()["items"]
    counter = _alternation(items["counters"])
    demo = _alternation(items["demonstratives"])
    particle = _alternation(items["particles"])
    linker = _alternation(items["linkers"])
    one = "[一1]"
    return re.compile(
        rf"(?:{_alternation(items['from_end'].split())})\s*第?\s*(?P<back>{NUMERAL})\s*(?:{demo})?\s*(?:{counter})?"
        rf"|第\s*(?P<n>{NUMERAL})\s*(?:(?:{linker})?\s*(?:{demo})?\s*(?P<counter>{counter})"
        rf"|(?=\s*(?:{particle})?\s*$))"
        rf"|(?P<numbered>{NUMERAL})\s*(?:{_alternation(items['numbered'])})\s*(?:{demo})\s*(?:{counter})"
        rf"|(?P<first>{_alternation(items['first'])})\s*{one}?\s*(?:{counter})"
        rf"|(?P<last>{_alternation(items['last'])})\s*(?:{one}|{demo})?\s*(?:{counter})"
        rf"|(?P<middle>{_alternation(items['middle'])})\s*(?:{demo}|{linker})\s*(?:{counter})")


def _group_counted(text: str) -> bool:
    """两个孩子 / 3个娃: a group of what 个 counts, so a 第一个 after it is one of them."""
    items = _data()["items"]
    counted, groups = _alternation(items["counted"]), _alternation(items["group_counters"])
    return re.search(rf"(?:{NUMERAL}|{_alternation(items['how_many'])})\s*(?:{groups})\s*(?:{counted})",
                     text) is not None


def item_reference(text: str) -> int | str | None:
    """Which item of a list a message refers to: 1-based, negative from the end (最后那个 -1, 倒数第二个 -2),
    "middle" (中间那个), or None (no reference: 第二个孩子, 第二次, 交了两个月, and 两个孩子，第一个在老家 —
    what the message counted before is what 第一个 counts)."""
    text = _normalise()(text)
    counted = tuple(_data()["items"]["counted"])
    for m in _item_pattern().finditer(text):
        after = text[m.end():].lstrip()
        # 第二个孩子 / 第一个5岁 / 两个孩子，第一个…: 个 counts something else
        if after.startswith(counted) or re.match(NUMERAL, after) or _group_counted(text[:m.start()]):
            continue
        if m["numbered"] is not None:
            return _number(m["numbered"]) or None
        if m["back"] is not None:
            n = _number(m["back"])
            return -n if n else None
        if m["n"] is not None:
            n = _number(m["n"])
            return n if n else None
        if m["first"]:
            return 1
        if m["last"]:
            return -1
        return "middle"
    return None
