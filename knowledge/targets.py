"""The Beilun plan's five-year targets table as answers: which indicator a question asks about, which years.

    from knowledge.targets import lookup, render
    answer = lookup("2027年技能人才占比多少")              # -> TargetAnswer | None
    answer.rows[0].clause_id, answer.rows[0].values[0].cell   # "beilun_laoyousuode/targets/row08", "37"
    render(answer)                                          # the user's text (templates: data/targets.yaml)

Figures come only from the policy YAML (the table's rows and its `conflicts`); names, year words and
sentences come from `knowledge/data/targets.yaml`. Rows are found by their indicator name or an alias
occurring in the question (longest first, so 高技能人才占比 is not 技能人才占比), else by IDF-weighted jieba
token overlap with the indicator names (困难人员就业帮扶率, 技能人才在从业人员中的比例); below the threshold there is no answer rather than a nearby row. Years:
2027年 / 27年 / 二〇二七年 / 二七年 / 两千零二十七年, ranges (2025到2027年), relative words against an explicit
`as_of` date, and every year when the question names none or asks for 每年/历年/五年.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from .clauses import POLICY_DIR, Clause, all_clauses, documents, normalize_ws
from .lexical import cn_to_int

DATA_FILE = Path(__file__).resolve().parent / "data" / "targets.yaml"


# --- the answer ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearTarget:
    year: int
    value: str          # the figure (or words: 全覆盖) as in the YAML
    qualifier: str      # "", "<", ">", "左右"
    cell: str           # the table cell verbatim (<3.5, 2580 左右, 全覆盖)


@dataclass(frozen=True)
class Contradiction:
    """The plan's body text and the table disagree (from the policy YAML's `conflicts`, never retyped)."""
    about: str
    table_clause_id: str
    body_clause_id: str
    body_article: str   # (九)维护劳动者合法权益
    body_quote: str     # the span the note quotes, verbatim in the body clause
    body_figure: str    # the figure inside that span (92%以上)
    note: str           # the YAML note verbatim


@dataclass(frozen=True)
class RowTarget:
    clause_id: str
    row: int
    indicator: str
    unit: str
    task: str
    values: tuple[YearTarget, ...]          # the asked years that the table has, in year order
    contradictions: tuple[Contradiction, ...]
    matched: str                            # the name or alias found in the question, or "" (token overlap)
    score: float                            # 1.0 for a name found as written, else the token overlap
    doc_title: str
    table_title: str


@dataclass(frozen=True)
class TargetAnswer:
    question: str
    rows: tuple[RowTarget, ...]
    years: tuple[int, ...]          # years asked for that the table has (all of them for all_years)
    all_years: bool                 # the question named no year, or asked for every year
    out_of_range: tuple[int, ...]   # years asked for that the table does not have (2030): no value given
    table_years: tuple[int, ...]    # the years the table has (2023 … 2027)
    unresolved_year: str = ""       # a relative word (明年) asked without an as_of date

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return tuple(r.clause_id for r in self.rows)

    @property
    def contradictions(self) -> tuple[Contradiction, ...]:
        return tuple(c for r in self.rows for c in r.contradictions)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["clause_ids"] = list(self.clause_ids)
        return d


# --- data ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    clause: Clause
    names: tuple[str, ...]          # the indicator first, then its aliases
    needs_context: bool
    contradictions: tuple[Contradiction, ...]


_QUOTED = re.compile(r"“([^“”]+)”")
_PUNCT = re.compile(r"^[\s\W_|]+$", re.UNICODE)


def _contradictions(doc: dict, by_id: dict[str, Clause], suffixes: list[str]) -> dict[str, list[Contradiction]]:
    figure_re = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]|年)%?(?:" + "|".join(map(re.escape, suffixes)) + ")?")
    out: dict[str, list[Contradiction]] = {}
    for conflict in doc.get("conflicts") or []:
        ids = conflict["clauses"]
        rows = [i for i in ids if by_id[i].kind == "target_row"]
        for body_id in (i for i in ids if by_id[i].kind != "target_row"):
            body = by_id[body_id]
            # the note quotes the body's words: take the longest quoted span that really is in the body
            quotes = [q for q in _QUOTED.findall(conflict["note"]) if normalize_ws(q) in normalize_ws(body.text)]
            quote = max(quotes, key=len) if quotes else body.text
            figure = figure_re.search(quote)
            for row_id in rows:
                out.setdefault(row_id, []).append(Contradiction(
                    about=conflict.get("about", ""), table_clause_id=row_id, body_clause_id=body_id,
                    body_article=body.article, body_quote=quote, body_figure=figure.group(0) if figure else "",
                    note=conflict["note"]))
    return out


class _Table:
    def __init__(self, policy_dir: Path, data_file: Path):
        self.data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
        doc_id = self.data["doc_id"]
        clauses = [c for c in all_clauses(policy_dir) if c.doc_id == doc_id]
        by_id = {c.id: c for c in clauses}
        aliases = self.data.get("aliases") or {}
        unknown = set(aliases) - {c.id for c in clauses if c.kind == "target_row"}
        if unknown:
            raise ValueError(f"{data_file.name}: aliases for unknown rows {sorted(unknown)}")
        needs_context = set(self.data.get("needs_target_context") or [])
        conflicts = _contradictions(documents(policy_dir)[doc_id], by_id, self.data["match"]["figure_suffixes"])
        self.rows = tuple(
            _Row(c, (c.row["indicator"], *aliases.get(c.id, [])), c.id in needs_context,
                 tuple(conflicts.get(c.id, ())))
            for c in clauses if c.kind == "target_row")
        self.years = tuple(sorted({v["year"] for r in self.rows for v in r.clause.row["values"]}))
        y = self.data["years"]
        self.all_words = tuple(sorted(y["all"], key=len, reverse=True))
        self.relative = dict(sorted(y["relative"].items(), key=lambda kv: -len(kv[0])))
        self.year_re, self.range_re = _year_patterns(y["range_connectors"], y["not_a_year_after"])
        self.context_words = tuple(self.data.get("target_context_words") or ())
        m = self.data["match"]
        self.skip_chars = "".join(m.get("skip_chars") or ())
        self.min_overlap = float(m["min_token_overlap"])
        self._tokens: dict[str, tuple[str, ...]] | None = None
        self._idf: dict[str, float] = {}

    # tokens load lazily: jieba's dictionary takes ~1 s and a name found as written needs no tokens
    def tokenize(self, text: str) -> list[str]:
        return [t for t in _jieba().lcut_for_search(text) if t.strip() and not _PUNCT.match(t)]

    def name_tokens(self) -> dict[str, tuple[str, ...]]:
        """jieba tokens of each indicator name (aliases match only as written: 技能人才有多少 is no bag of
        words, or 技能人才补贴有多少 would find it)."""
        if self._tokens is None:
            tok = _jieba()
            self._tokens = {r.names[0]: tuple(dict.fromkeys(t for t in tok.lcut(r.names[0]) if t.strip()))
                            for r in self.rows}
            df: dict[str, int] = {}
            for tokens in self._tokens.values():
                for t in tokens:
                    df[t] = df.get(t, 0) + 1
            self._idf = {t: math.log(1 + len(self.rows) / k) for t, k in df.items()}
        return self._tokens


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()          # its own instance: the global jieba dictionary stays untouched
    tok.initialize()
    return tok


@lru_cache(maxsize=4)
def _table(policy_dir: str, data_file: str) -> _Table:
    return _Table(Path(policy_dir), Path(data_file))


# --- years --------------------------------------------------------------------------------------------------

_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_D = "〇零一二三四五六七八九"
_YEAR_FORMS = {
    "a4": r"(?<![\d.])(?:19|20)\d\d(?![\d.%])",                 # 2027
    "c4": rf"[一二][〇零九][{_D}]{{2}}",                           # 二〇二七, 二零二七
    "cq": r"[两二]千零?(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])",  # 两千零二十七
    "a2": r"(?<![\d.])[12]\d(?![\d.%])",                        # 27 (with 年)
    "c2": rf"(?<![{_D}十])[一二][{_D}](?![{_D}十])",              # 二七 (with 年)
}


def _year_patterns(connectors: list[str], not_after: list[str]) -> tuple[re.Pattern, re.Pattern]:
    no_duration = "(?!" + "|".join(map(re.escape, not_after)) + ")" if not_after else ""
    long_form = "|".join(f"(?:{_YEAR_FORMS[k]})" for k in ("a4", "c4"))
    short_form = "|".join(f"(?:{_YEAR_FORMS[k]})" for k in ("cq", "a2", "c2"))
    single = rf"(?:(?:{long_form})年?|(?:{short_form})年{no_duration})"
    any_form = "|".join(f"(?:{_YEAR_FORMS[k]})" for k in ("a4", "c4", "cq", "a2", "c2"))
    conn = "|".join(map(re.escape, connectors))
    return re.compile(single), re.compile(rf"(?P<a>{any_form})年?\s*(?:{conn})\s*(?P<b>{single})")


def _year_value(text: str) -> int | None:
    """2027, 二〇二七, 二七 (→ 2027), 两千零二十七; None for anything else."""
    text = text.rstrip("年")
    if text[:2] in ("两千", "二千"):
        n = cn_to_int(text[2:].lstrip("零"))
        return 2000 + n if n is not None and n < 100 else None
    digits = "".join(_CN_DIGIT.get(ch, ch) for ch in text)
    if not digits.isdigit() or len(digits) not in (2, 4):
        return None
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


@dataclass(frozen=True)
class _Years:
    years: tuple[int, ...]          # written or resolved years, no repeats
    all_years: bool
    unresolved: str
    explicit: bool                  # a year was written (not only a relative word)
    rest: str                       # the question with the year expressions cut out ("|" in their place)


def _parse_years(table: _Table, text: str, as_of: date | None) -> _Years:
    years: list[int] = []
    spans: list[tuple[int, int]] = []
    for m in table.range_re.finditer(text):
        a, b = _year_value(m.group("a")), _year_value(table.year_re.match(m.group("b")).group(0))
        if a and b and a <= b:
            years += range(a, b + 1)
            spans.append(m.span())
    for m in table.year_re.finditer(text):
        if not any(s <= m.start() < e for s, e in spans) and (y := _year_value(m.group(0))):
            years.append(y)
            spans.append(m.span())
    rest = text
    for s, e in sorted(spans, reverse=True):
        rest = rest[:s] + "|" + rest[e:]
    explicit = bool(years)
    unresolved = ""
    for word, offset in table.relative.items():
        if word in rest:
            rest = rest.replace(word, "|")
            if as_of is None:
                unresolved = unresolved or word
            else:
                years.append(as_of.year + int(offset))
    asks_all = any(w in rest for w in table.all_words)
    years = list(dict.fromkeys(years))
    return _Years(tuple(years), all_years=not years or (asks_all and not explicit), unresolved=unresolved,
                  explicit=explicit, rest=rest)


# --- indicators ---------------------------------------------------------------------------------------------

def _normalise(text: str) -> str:
    """Full-width → half-width (２０２７ → 2027), ○ → 〇, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("○", "〇"))


def _has_context(table: _Table, text: str, years: _Years) -> bool:
    return years.explicit or any(w in text for w in table.context_words)


def _by_name(table: _Table, text: str, context: bool) -> list[tuple[_Row, str, int]]:
    """Rows whose name or alias occurs in the text; overlapping finds keep the longest (then the earliest)."""
    found = []
    for r in table.rows:
        for i, name in enumerate(r.names):
            if r.needs_context and i > 0 and not context:
                continue
            start = text.find(name)
            while start >= 0:
                found.append((start, start + len(name), r, name))
                start = text.find(name, start + 1)
    kept: list[tuple[int, int, _Row, str]] = []
    for s, e, r, name in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(e <= ks or s >= ke for ks, ke, _, _ in kept):
            kept.append((s, e, r, name))
    out: dict[str, tuple[_Row, str, int]] = {}
    for s, _, r, name in sorted(kept, key=lambda k: k[0]):
        out.setdefault(r.clause.id, (r, name, s))
    return list(out.values())


def _overlap(table: _Table, name: str, q_tokens: set[str]) -> float:
    """Share of the name's IDF-weighted tokens the question covers (a token partly, by its sub-words)."""
    tokens = table.name_tokens()[name]
    idf = table._idf
    total = got = 0.0
    for t in tokens:
        total += idf[t]
        if t in q_tokens:
            got += idf[t]
            continue
        covered: set[int] = set()
        for q in q_tokens:
            if len(q) >= 2 and q in t:
                i = t.find(q)
                while i >= 0:
                    covered.update(range(i, i + len(q)))
                    i = t.find(q, i + 1)
        got += idf[t] * len(covered) / len(t)
    return got / total if total else 0.0


def _question_chars(text: str, name: str, q_tokens: set[str]) -> int:
    """How much of the question the name explains (breaks ties: 高技能人才… over 技能人才…)."""
    covered: set[int] = set()
    for q in q_tokens:
        if q in name:
            i = text.find(q)
            while i >= 0:
                covered.update(range(i, i + len(q)))
                i = text.find(q, i + 1)
    return len(covered)


def _by_tokens(table: _Table, text: str, context: bool) -> list[tuple[_Row, float]]:
    q_tokens = {t for part in text.split("|") for t in table.tokenize(part)}
    if not q_tokens:
        return []
    table.name_tokens()
    scored = []
    for r in table.rows:
        if r.needs_context and not context:
            continue
        name = r.names[0]
        best = (_overlap(table, name, q_tokens), _question_chars(text, name, q_tokens))
        if best[0] >= table.min_overlap:
            scored.append((best, r))
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [(r, s[0]) for s, r in scored if abs(s[0] - top[0]) < 1e-9 and s[1] == top[1]]


# --- lookup -------------------------------------------------------------------------------------------------

def lookup(question: str, as_of: date | None = None, *, policy_dir: Path | None = None,
           data_file: Path | None = None) -> TargetAnswer | None:
    """The targets-table row(s) and year(s) a question asks about, or None when no row matches well.

    `as_of` resolves 今年/明年/去年; without it such a question gets every year and `unresolved_year`."""
    table = _table(str(policy_dir or POLICY_DIR), str(data_file or DATA_FILE))
    text = _normalise(question)
    years = _parse_years(table, text, as_of)
    context = _has_context(table, text, years)
    rest = years.rest
    for ch in table.skip_chars:
        rest = rest.replace(ch, "")
    found = [(r, name, 1.0) for r, name, _ in _by_name(table, rest, context)]
    if not found:
        found = [(r, "", score) for r, score in _by_tokens(table, rest, context)]
    if not found:
        return None
    wanted = table.years if years.all_years else tuple(y for y in years.years if y in table.years)
    out_of_range = () if years.all_years else tuple(y for y in years.years if y not in table.years)
    rows = []
    for r, name, score in found:
        c = r.clause
        values = tuple(YearTarget(v["year"], str(v["value"]), v["qualifier"], str(v["cell"]))
                       for v in c.row["values"] if v["year"] in wanted)
        rows.append(RowTarget(
            clause_id=c.id, row=c.row["row"], indicator=c.row["indicator"], unit=c.row["unit"], task=c.row["task"],
            values=values, contradictions=r.contradictions, matched=name, score=round(score, 3),
            doc_title=c.doc_title, table_title=c.article))
    return TargetAnswer(question=question, rows=tuple(rows), years=tuple(sorted(wanted)), all_years=years.all_years,
                        out_of_range=tuple(sorted(out_of_range)), table_years=table.years,
                        unresolved_year=years.unresolved if years.all_years else "")


# --- wording ------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def target_text(value: YearTarget, unit: str, data_file: Path | None = None) -> str:
    """A value with its qualifier in words: <3.5 → 低于3.5%, 2580 左右 → 2580元/月左右, 全覆盖 → 全覆盖."""
    qualifiers = _data(str(data_file or DATA_FILE))["qualifiers"]
    key = value.qualifier if _NUMBER.fullmatch(value.value) else "text"
    return qualifiers[key].format(value=value.value, unit=unit)


@lru_cache(maxsize=4)
def _data(data_file: str) -> dict:
    return yaml.safe_load(Path(data_file).read_text(encoding="utf-8"))


def _years_label(years: list[int], t: dict) -> str:
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return t["year_span"].format(first=years[0], last=years[-1])
    return t["year_separator"].join(map(str, years))


def _row_lines(r: RowTarget, t: dict, data_file: Path | None) -> list[str]:
    vals = r.values
    if not vals:
        head = t["no_year_in_table"].format(indicator=r.indicator, unit=r.unit)
    elif len(vals) == 1:
        v = vals[0]
        head = t["one_year"].format(indicator=r.indicator, year=v.year, target=target_text(v, r.unit, data_file),
                                    cell=v.cell)
    elif len({v.cell for v in vals}) == 1:
        head = t["same_every_year"].format(indicator=r.indicator, years=_years_label([v.year for v in vals], t),
                                           target=target_text(vals[0], r.unit, data_file), cell=vals[0].cell)
    else:
        items = t["item_separator"].join(
            t["each_year_item"].format(year=v.year, target=target_text(v, r.unit, data_file), cell=v.cell)
            for v in vals)
        head = t["each_year"].format(indicator=r.indicator, items=items)
    lines = [head, t["task"].format(task=r.task),
             t["source"].format(doc_title=r.doc_title, table_title=r.table_title, row=r.row, clause_id=r.clause_id)]
    if r.clause_id in (t.get("caveats") or {}):
        lines.append(t["caveats"][r.clause_id])
    for c in r.contradictions if vals else ():     # no table figure shown, none to set against the text
        lines.append(t["contradiction"].format(
            body_article=c.body_article, body_clause_id=c.body_clause_id, body_quote=c.body_quote,
            row=r.row, table_clause_id=c.table_clause_id, table_cells=_table_cells(r, t)))
    return lines


def _table_cells(r: RowTarget, t: dict) -> str:
    vals = r.values or ()
    if vals and len({v.cell for v in vals}) == 1:
        if len(vals) == 1:
            return t["table_cells_item"].format(year=vals[0].year, cell=vals[0].cell)
        return t["table_cells_same"].format(years=_years_label([v.year for v in vals], t), cell=vals[0].cell)
    return t["year_separator"].join(t["table_cells_item"].format(year=v.year, cell=v.cell) for v in vals)


def render(answer: TargetAnswer, data_file: Path | None = None) -> str:
    """The user's text for an answer: per row its target(s), task, source and any text/table conflict; the
    years the table lacks; and the standing note that a plan target is no legal standard or entitlement."""
    t = _data(str(data_file or DATA_FILE))["text"]
    blocks = ["\n".join(_row_lines(r, t, data_file)) for r in answer.rows]
    tail = []
    if answer.out_of_range:
        tail.append(t["out_of_range"].format(first=answer.table_years[0], last=answer.table_years[-1],
                                             years=t["year_separator"].join(map(str, answer.out_of_range))))
    if answer.unresolved_year:
        tail.append(t["unresolved_year"].format(word=answer.unresolved_year))
    tail.append(t["standing_note"])
    return "\n\n".join(blocks) + "\n" + "\n".join(tail)
