"""The Assist page: staff type what the caller says, turn by turn; the page shows the facts read so far,
the verdicts of the programmes the call is about, the next question to ask and the clause to read out.

    view = assist(["我孩子四岁了，想问一下能不能在宁波交医保", "不是，户口在安徽老家"], as_of=date(2026, 12, 1))
    view.facts            # FactRow(path="children.age", display="4周岁", source="read", turn=0), …
    view.next_question    # NextQuestion(path="children.residence_permit", text="请问孩子有宁波的有效居住证吗？")
    view.clause.copy_text # the clause verbatim and its citation line

Each turn is read by facts.read against the question the page suggested after the turns before it (staff
are assumed to have asked it). Staff corrections (``edits``) override what was read. The Search page
(``search_view``) and the documents' outline (``outline`` / ``part_card``) share the clause card.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

import facts as fact_reader
import knowledge
from console.check import (
    DATA,
    BadValue,
    FieldSpec,
    ResultView,
    display_value,
    error_message,
    fact_label,
    form_fields,
    parse_value,
    result_view,
    word,
)
from eligibility import ALL_IDS, FIELD_PATHS, Profile, ProfileError, assess, evaluate, next_questions, schema
from eligibility import texts as T
from knowledge import navigation

SEARCH_K = 5
# Retrieval makes a programme relevant when its clause is among the hits that score at least this share of
# the best hit (and some hit is confident); a display choice of the console, not a policy figure.
RELATIVE_SCORE = 0.8
# Facts the caller named make a programme relevant on their own when it rests on at least this many of them.
MIN_TOUCHED = 2
READ, EDITED = "read", "edited"
Search = Callable[[str, int], list]


@lru_cache(maxsize=1)
def staff_questions() -> dict[str, str]:
    """Fact path -> what staff ask the caller (console/data/staff_questions.yaml)."""
    return yaml.safe_load((DATA / "staff_questions.yaml").read_text(encoding="utf-8"))["questions"]


def _search(query: str, k: int) -> list:
    return knowledge.search(query, k=k)


# ---------------------------------------------------------------------------------------------- clause cards
@dataclass(frozen=True)
class ClauseCard:
    clause_id: str
    doc_id: str
    doc_title: str
    article: str            # 三、放宽外来劳动者子女医保参保限制 (the measure / task it belongs to)
    heading: str
    text: str               # verbatim
    status: str             # 征求意见稿，尚未正式发布施行 / 2023年6月21日印发
    draft: bool             # the document is a draft for comments, not in force
    departments: str        # the paragraph's department line verbatim, or the departments it names
    copy_text: str          # text + citation line, for the clipboard
    score: float | None = None      # a search hit's score
    confident: bool | None = None   # a search hit above the golden-set threshold


@lru_cache(maxsize=1)
def _documents() -> dict[str, dict]:
    return knowledge.documents()


def document_status(doc_id: str) -> str:
    """征求意见稿，尚未正式发布施行 (a draft) or 2023年6月21日印发 (dated), from the policy YAML."""
    meta = _documents().get(doc_id) or {}
    status = meta.get("status") or ""
    if meta.get("draft"):
        return word("document_status.draft", status=status)
    if meta.get("date"):
        shown = T.display({"d": date.fromisoformat(str(meta["date"]))})["d"]
        return word("document_status.dated", status=status, date=shown)
    return word("document_status.plain", status=status)


def departments_line(clause) -> str:
    """The clause's （责任单位：…） verbatim; else the departments it names; else "the text names none"."""
    if clause.departments_text:
        return clause.departments_text
    depts = clause.departments or {}
    names = list(dict.fromkeys((depts.get("responsible") or []) + (depts.get("lead") or [])))
    if names:
        return word("departments", names=word("departments_separator").join(names))
    return word("no_departments")


def clause_card(clause_id: str, score: float | None = None, confident: bool | None = None) -> ClauseCard:
    """The card of one clause (KeyError when the id is unknown): text verbatim from knowledge."""
    c = knowledge.get_clause(clause_id)
    status = document_status(c.doc_id)
    article = c.article or c.heading
    copy = word("copy_text", text=c.text, doc_title=c.doc_title, article=article, clause_id=c.id, status=status)
    return ClauseCard(clause_id=c.id, doc_id=c.doc_id, doc_title=c.doc_title, article=article,
                      heading=c.heading, text=c.text, status=status, draft=c.doc_draft,
                      departments=departments_line(c), copy_text=copy, score=score, confident=confident)


# ---------------------------------------------------------------------------------------------- search, outline
@dataclass(frozen=True)
class SearchView:
    query: str
    hits: tuple[ClauseCard, ...]
    confident: bool          # some hit is above the confidence threshold


def search_view(query: str, k: int = SEARCH_K, search: Search = _search) -> SearchView:
    """The Search page: the best ``k`` clauses for ``query``, verbatim, each as a clause card."""
    query = (query or "").strip()
    if not query:
        return SearchView(query, (), False)
    cards = tuple(clause_card(h.clause.id, float(h.score), bool(h.confident)) for h in search(query, k))
    return SearchView(query, cards, any(c.confident for c in cards))


@dataclass(frozen=True)
class OutlinePart:
    section_id: str          # ningbo_leye/measure03
    part: str                # measure | task | safeguard
    number: int
    article: str             # 三、放宽外来劳动者子女医保参保限制
    heading: str


@dataclass(frozen=True)
class OutlineDoc:
    doc_id: str
    title: str
    status: str
    parts: tuple[OutlinePart, ...]


def outline() -> tuple[OutlineDoc, ...]:
    """Every numbered part (measures, tasks, safeguards) of both documents, in document order."""
    out = []
    for doc_id in navigation.document_ids():
        parts = tuple(OutlinePart(s.id, s.part, s.number, s.article, s.heading) for s in navigation.numbered(doc_id))
        out.append(OutlineDoc(doc_id, _documents()[doc_id]["title"], document_status(doc_id), parts))
    return tuple(out)


def part_card(section_id: str) -> ClauseCard:
    """One part's whole paragraph verbatim (ningbo_leye/measure03); KeyError when there is no such part."""
    section = next((s for s in navigation.sections() if s.id == section_id), None)
    if section is None:
        raise KeyError(section_id)
    return clause_card(section.paragraph_id)


# ---------------------------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class FactRow:
    path: str
    label: str
    value: Any
    display: str             # 4周岁 / 外地户籍 / 至少24个月
    source: str              # read | edited
    source_label: str        # 来电人所说 / 人工修改
    turn: int | None         # index in turns of the turn it was read from (None: edited)
    vague: bool = False      # a lower bound (两年多 -> at least 24)
    in_profile: bool = True  # False for what no rule reads directly (work_months: confirm which scheme)


def _label(path: str) -> str:
    try:
        return fact_label(path)
    except KeyError:  # a reading's path that is no fact the console knows: shown as it is
        return path


def _display(path: str, value: Any, vague: bool) -> str:
    try:
        return display_value(path, value, vague)
    except KeyError:
        return str(value)


def _order(path: str) -> int:
    return FIELD_PATHS.index(path) if path in FIELD_PATHS else len(FIELD_PATHS)


def _row(path: str, value: Any, source: str, turn: int | None, vague: bool = False) -> FactRow:
    return FactRow(path=path, label=_label(path), value=value, display=_display(path, value, vague),
                   source=source, source_label=word(f"sources.{source}"), turn=turn, vague=vague,
                   in_profile=path in FIELD_PATHS)


@dataclass
class _Known:
    """What the call has established so far: path -> (value, turn); turn None = edited by staff."""

    facts: dict[str, tuple[Any, int | None]] = field(default_factory=dict)
    vague: dict[str, tuple[Any, int]] = field(default_factory=dict)
    unclear: dict[str, int] = field(default_factory=dict)

    def take(self, reading, turn: int) -> None:
        """A later turn overrides an earlier one: an exact figure replaces a lower bound and vice versa."""
        for path, value in reading.facts.items():
            self.facts[path] = (value, turn)
            self.vague.pop(path, None)
            self.unclear.pop(path, None)
        for path, bound in reading.vague.items():
            self.vague[path] = (bound, turn)
            self.facts.pop(path, None)
            self.unclear.pop(path, None)
        for path in reading.unclear:
            if path not in reading.facts and path not in reading.vague:
                self.unclear[path] = turn

    def values(self) -> dict[str, Any]:
        return {p: v for p, (v, _) in self.facts.items() if p in FIELD_PATHS}

    def known_paths(self) -> set[str]:
        return (set(self.facts) | set(self.vague)) & set(FIELD_PATHS)


def _edit_path(path: str) -> str:
    """children[0].age -> children.age (the Assist page reasons about the child being asked about)."""
    return re.sub(r"\[0\]\.", ".", path)


def _edit_spec(path: str) -> FieldSpec:
    specs = {s.path: s for s in form_fields(child_slots=1)}
    if path in specs:
        return specs[path]
    kind, label = T.texts()["dialogue_facts"][path]["kind"], fact_label(path)  # work_months
    return FieldSpec(path, path, label, kind, "top", word("groups.top"), whole=True, minimum=0)


def _edited_value(path: str, value: Any) -> Any:
    """A staff correction as a typed value (None: remove the fact); BadValue naming the field."""
    spec = _edit_spec(path)
    if isinstance(value, str) or value is None:
        value = parse_value(spec, value or "")
    if value is None:
        return None
    try:
        return schema.fact(path).check(value) if path in schema.facts() else int(value)
    except (ValueError, TypeError) as e:
        raise BadValue(error_message(spec)) from e


def _apply_edits(known: _Known, edits: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    allowed = set(FIELD_PATHS) | set(T.texts().get("dialogue_facts", {}))
    for raw_path, raw in edits.items():
        path = _edit_path(raw_path)
        if path not in allowed:
            errors[raw_path] = word("errors.unknown_field", name=raw_path)
            continue
        try:
            value = _edited_value(path, raw)
        except BadValue as e:
            errors[raw_path] = str(e)
            continue
        known.vague.pop(path, None)
        known.unclear.pop(path, None)
        if value is None:
            known.facts.pop(path, None)
        else:
            known.facts[path] = (value, None)
    return errors


def _profile(known: _Known, as_of: date) -> tuple[Profile, dict[str, str]]:
    """The Profile of what is known; a value it rejects is left out (and reported) rather than failing."""
    values = known.values()
    try:
        return Profile.from_facts(values, as_of=as_of), {}
    except ProfileError as e:
        errors = {p.replace("[0]", ""): m for p, m in e.errors}
        kept = {p: v for p, v in values.items() if p not in errors}
        try:
            return Profile.from_facts(kept, as_of=as_of), errors
        except ProfileError:
            return Profile(as_of=as_of), errors


# ---------------------------------------------------------------------------------------------- relevance
@lru_cache(maxsize=1)
def _clauses_of_programmes() -> dict[str, tuple[str, ...]]:
    """Programme -> the clauses its conditions cite (a guidance topic: its notes), from texts.yaml."""
    out = {}
    for pid in ALL_IDS:
        spec = T.program(pid)
        cited = [c["clause"] for c in (spec.get("conditions") or {}).values()]
        if not cited:
            cited = [n["clause"] for n in (spec.get("notes") or {}).values()]
        out[pid] = tuple(dict.fromkeys(cited))
    return out


@lru_cache(maxsize=1)
def _fields_of_programmes() -> dict[str, frozenset[str]]:
    """Programme -> the fact paths its checks rest on when nothing is known."""
    out: dict[str, set[str]] = {}
    for a in assess(Profile(), ALL_IDS):
        out.setdefault(a.program, set()).update(f for c in a.checks for f in c.fields)
    return {pid: frozenset(fs) for pid, fs in out.items()}


def _paragraph(clause_id: str) -> str:
    return "/".join(clause_id.split("/")[:2])


def programmes_of_clause(clause_id: str) -> list[str]:
    """The programmes citing a clause; failing that, those citing another sentence of its paragraph."""
    cited = _clauses_of_programmes()
    exact = [pid for pid in ALL_IDS if clause_id in cited[pid]]
    return exact or [pid for pid in ALL_IDS if _paragraph(clause_id) in {_paragraph(c) for c in cited[pid]}]


def retrieved_programmes(text: str, search: Search = _search) -> list[str]:
    """Programmes whose clauses the caller's words retrieve: hits close to the best one, when any hit is
    confident; in hit order."""
    if not text.strip():
        return []
    hits = search(text, SEARCH_K)
    if not hits or not any(h.confident for h in hits):
        return []
    top = float(hits[0].score)
    out: list[str] = []
    for h in hits:
        if float(h.score) >= RELATIVE_SCORE * top:
            out += [pid for pid in programmes_of_clause(h.clause.id) if pid not in out]
    return out


def relevant_programmes(known_paths: set[str], text: str, profile: Profile | None = None,
                        search: Search = _search) -> list[str]:
    """The programmes the call is about: those retrieved by the caller's words and those resting on at
    least MIN_TOUCHED of the facts named (any one fact when nothing else points anywhere), the most facts
    first, then retrieval order."""
    retrieved = retrieved_programmes(text, search)
    fields = {pid: set(fs) for pid, fs in _fields_of_programmes().items()}
    if profile is not None:
        for a in assess(profile, ALL_IDS):
            fields[a.program].update(f for c in a.checks for f in c.fields)
    touched = {pid: len(known_paths & fs) for pid, fs in fields.items()}
    chosen = [pid for pid in ALL_IDS if pid in retrieved or touched[pid] >= MIN_TOUCHED]
    if not chosen:
        chosen = [pid for pid in ALL_IDS if touched[pid] >= 1]
    rank = {pid: i for i, pid in enumerate(retrieved)}
    score = {pid: touched[pid] + (1 if pid in rank else 0) for pid in chosen}
    return sorted(chosen, key=lambda pid: (-score[pid], -touched[pid], rank.get(pid, len(rank)),
                                           ALL_IDS.index(pid)))


# ---------------------------------------------------------------------------------------------- the view
@dataclass(frozen=True)
class Condition:
    label: str
    status: str
    status_label: str
    explanation: str
    clause_id: str
    quote: str


@dataclass(frozen=True)
class ResultSummary:
    program: str
    title: str
    outcome: str
    outcome_label: str
    summary: str
    conditions: tuple[Condition, ...]   # the failing or unknown ones
    counterfactual: str | None = None
    departments: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    subject_label: str = ""
    decisive_clause: str | None = None


@dataclass(frozen=True)
class NextQuestion:
    path: str
    label: str
    text: str                # what staff ask (staff_questions.yaml)
    why: str | None          # why it matters (facts.yaml)


@dataclass(frozen=True)
class AssistView:
    as_of: date
    facts: tuple[FactRow, ...]           # exact facts, read or edited
    vague: tuple[FactRow, ...]           # lower bounds only (两年多): ask for the figure
    unclear: tuple[str, ...]             # labels of facts spoken of but not decidable
    programs: tuple[str, ...]            # the relevant programmes, most relevant first
    results: tuple[ResultSummary, ...]   # their verdicts (not_applicable hidden)
    next_question: NextQuestion | None
    clause: ClauseCard | None            # the clause to read out (None: no confident clause fits)
    asked: tuple[str | None, ...] = ()   # the question each turn was read against
    errors: dict[str, str] = field(default_factory=dict)  # edits that could not be taken, by path


def _summary(r: ResultView) -> ResultSummary:
    open_ = tuple(Condition(x.label, x.status, x.status_label, x.explanation, x.clause_id, x.quote)
                  for x in r.reasons if x.status in ("failed", "unknown"))
    return ResultSummary(program=r.program, title=r.title, outcome=r.outcome, outcome_label=r.outcome_label,
                         summary=r.summary, conditions=open_, counterfactual=r.counterfactual,
                         departments=r.departments, next_steps=r.next_steps, subject_label=r.subject_label,
                         decisive_clause=r.decisive_clause)


def next_question(profile: Profile, programs: Sequence[str], as_of: date) -> NextQuestion | None:
    """The most decisive fact to ask next, worded for staff: the call stays on its most relevant programme
    (the first of ``programs``) until that one is decided, then moves on to the next."""
    for pid in programs:
        paths = next_questions(profile, [pid], as_of)
        if paths:
            f = schema.fact(paths[0])
            return NextQuestion(f.path, f.label, staff_questions().get(f.path) or f.ask or f.label, f.why)
    return None


def _suggested(known: _Known, text: str, as_of: date, search: Search) -> str | None:
    profile, _ = _profile(known, as_of)
    programs = relevant_programmes(known.known_paths(), text, profile, search)
    q = next_question(profile, programs, as_of)
    return q.path if q else None


def _clause_of(results: Sequence[ResultSummary], text: str, search: Search) -> ClauseCard | None:
    for r in results[:1]:
        if r.decisive_clause:
            return clause_card(r.decisive_clause)
    hits = [h for h in (search(text, SEARCH_K) if text.strip() else []) if h.confident]
    return clause_card(hits[0].clause.id, float(hits[0].score), True) if hits else None


def assist(turns: Sequence[str], edits: Mapping[str, Any] | None = None, *, as_of: date,
           asked: Sequence[str | None] | None = None, search: Search = _search) -> AssistView:
    """The Assist page after ``turns`` (what the caller said, in order). Turn i is read against the question
    suggested after turns[:i] unless ``asked`` (the question each turn actually answered, as the page
    recorded it) says otherwise. ``edits`` (path -> value, typed or as typed in a form; "" removes the
    fact) are applied once every turn is read, so each turn is read as it was during the call."""
    known = _Known()
    used: list[str | None] = []
    for i, turn in enumerate(turns):
        question = asked[i] if asked is not None and i < len(asked) else \
            _suggested(known, " ".join(turns[:i]), as_of, search)
        used.append(question)
        known.take(fact_reader.read(turn, asked=question, today=as_of), i)
    errors = _apply_edits(known, edits or {})
    profile, rejected = _profile(known, as_of)
    errors.update(rejected)
    text = " ".join(turns)
    programs = relevant_programmes(known.known_paths(), text, profile, search)
    results = tuple(_summary(result_view(r)) for r in evaluate(profile, programs, as_of)
                    if r.outcome != "not_applicable")
    return AssistView(
        as_of=as_of,
        facts=tuple(_row(p, v, EDITED if t is None else READ, t)
                    for p, (v, t) in sorted(known.facts.items(), key=lambda item: _order(item[0]))),
        vague=tuple(_row(p, v, READ, t, vague=True) for p, (v, t) in known.vague.items()),
        unclear=tuple(_label(p) for p in known.unclear),
        programs=tuple(programs), results=results,
        next_question=next_question(profile, programs, as_of),
        clause=_clause_of(results, text, search), asked=tuple(used), errors=errors,
    )
