"""Pure parsing helpers: worker's Chinese text -> facts for the eligibility profile.

No Rasa imports and no I/O except reading ``facts/lexicon.yaml`` once (lazily). Normalisation, numerals,
durations and ages live in the ``facts`` package (one implementation); this module reads the rest of a
message (yes/no, vocabulary, hukou, whole message) until the fact reader replaces it. ``extract_facts``
reports vague values under ``"vague"`` instead of setting them, so the dialogue asks for the exact figure.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from eligibility import schema
from facts.lexicon import lexicon
from facts.quantities import (  # noqa: F401 (re-exported: the dialogue and its tests use these names)
    NUM,
    Age,
    Duration,
    chinese_to_number,
    parse_age,
    parse_age_info,
    parse_duration,
    parse_months,
    youngest_age,
)
from facts.reader import is_acknowledgement
from facts.text import normalize_text  # noqa: F401


def vocab() -> dict[str, Any]:
    """The fact reader's lexicon (facts/lexicon.yaml): the one word list of parsing and reading."""
    return lexicon()


def _surface_map(kind: str) -> list[tuple[str, str]]:
    """(surface word, canonical value) pairs of one vocab section, longest word first."""
    pairs = [(word, value) for value, words in vocab()[kind].items() for word in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


# ------------------------------------------------------------------------------------ yes / no
# “不知道” starts with 不 but records unknown, not no.
_UNKNOWN = re.compile(r"(?:我|俺|咱)?(?:也|真|还)?(?:不知道|不晓得|不清楚|不太清楚|不确定|不记得|记不得|记不清|"
                      r"说不准|说不清|不懂|搞不清|弄不清|忘了|不了解)")
# A leading “不对/不是/错了” followed by more text is a correction of what follows.
_CORRECTION = re.compile(r"(?:不对|不是|错了|说错了|搞错了)[\s，。！,.!~～…]*(?:应该)?(?:是)?")
def parse_yes_no(text: str) -> bool | None:
    """A yes/no answer: '有'/'是的'/'交了' -> True, '没有'/'木有'/'不是' -> False, else None.

    A question form (有没有, 是不是, 能不能) is no answer."""
    raw = normalize_text(text).strip().lower().strip("，。！？,.!? ")
    if not raw or re.search(r"(.)[没不]\1", raw) or _UNKNOWN.match(raw) or is_acknowledgement(raw):
        return None
    correction = _CORRECTION.match(raw)
    rest = raw[correction.end():] if correction else ""
    if rest:
        # “不对，是8个月” corrects a figure: no yes/no answer. “不对，是有的” / “不是，没有” answer with
        # what follows; anything else (“不是宁波的”) keeps the leading no.
        if re.search(r"[0-9]", rest) or parse_duration(rest) or parse_age_info(rest):
            return None
        answer = parse_yes_no(rest)
        if answer is not None:
            return answer
    stripped = re.sub(r"[\s，。！？,.!?~～…啊呀呢吧哦噢哈嘞了的]+$", "", raw)
    v = vocab()
    for t in (raw, stripped):
        if not t:
            continue
        words = [(w, False) for w in v["no_words"]] + [(w, True) for w in v["yes_words"]]
        for word, answer in sorted(words, key=lambda wa: len(wa[0]), reverse=True):
            if t.startswith(word):
                return answer  # the longest match: 没错 is yes, 没 is no
    return None


_QUESTION = re.compile(r"(?:吗|么|嘛|不|没|呢|伐|撒)$|有没有|能不能|可不可以|可以不|是不是|行不行|咋|怎么|怎样|如何|"
                       r"哪里|哪儿|哪个|多少|什么|啥")


def looks_like_question(text: str) -> bool:
    """“……有补贴吗”, “能不能办”, “咋弄”: the message asks something (as opposed to only stating facts)."""
    t = re.sub(r"[\s，。！？,.!?~～…啊呀哦噢哈嘞了的]+$", "", normalize_text(text or ""))
    return bool(t) and ("？" in (text or "") or "?" in (text or "") or bool(_QUESTION.search(t)))


# --------------------------------------------------------------------------- vocabulary matchers
def _find_vocab(kind: str, text: str) -> tuple[str, tuple[int, int]] | None:
    text = normalize_text(text)
    best = None
    for word, value in _surface_map(kind):
        i = text.find(word)
        if i >= 0 and (best is None or i < best[1][0] or (i == best[1][0] and len(word) > best[1][1] - i)):
            best = (value, (i, i + len(word)))
    return best


def parse_occupation(text: str) -> str | None:
    """'扫马路的' -> 'sanitation', '开公交' -> 'public_transport', '送外卖' -> 'other'."""
    found = _find_vocab("occupation", text)
    return found[0] if found else None


_LEVEL_NUMBER = re.compile(r"([一二三四五12345])级(?:工|证|技能|电工|焊工|职业)")


def parse_skill_level(text: str) -> str | None:
    """'高级工' -> 'senior', '技师' -> 'technician', '三级电工证' -> 'senior', '没证' -> 'none'.

    '高级技师' wins over '技师' (longest match); a bare '三级' counts only when it is the whole answer."""
    t = normalize_text(text)
    t = re.sub(r"(?:中级工|高级工|预备技师|技师)班", "", t)  # a school class, not a level
    found = _find_vocab("skill_level", t)
    if found and not re.fullmatch(r"[一二三四五]级", found_word(t, found)):
        return found[0]
    m = _LEVEL_NUMBER.search(t)
    if m:
        level = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}.get(m.group(1)) or int(m.group(1))
        return {1: "senior_technician", 2: "technician", 3: "senior", 4: "intermediate", 5: "junior"}[level]
    if found and re.fullmatch(r"\s*[一二三四五]级\s*", t):
        return found[0]
    return None


def found_word(text: str, found: tuple[str, tuple[int, int]]) -> str:
    return text[found[1][0]: found[1][1]]


def parse_professional_title(text: str) -> str | None:
    """'助理工程师'/'助工' -> 'assistant_engineer', '高工' -> 'senior_engineer'."""
    found = _find_vocab("professional_title", text)
    return found[0] if found else None


def parse_school_class(text: str) -> str | None:
    found = _find_vocab("school_class", text)
    return found[0] if found else None


def parse_family_member(text: str) -> str | None:
    found = _find_vocab("family_member", text)
    return found[0] if found else None


# ----------------------------------------------------------------------------------------- hukou
def parse_place(text: str) -> tuple[str, str | None] | None:
    """The first place named: ('ningbo', None) for a Ningbo place, ('other', province) otherwise."""
    t = normalize_text(text)
    v = vocab()
    candidates: list[tuple[int, str, str | None]] = []
    for name in v["ningbo_places"]:
        if name in ("这边", "这里"):
            continue
        i = t.find(name)
        if i >= 0:
            candidates.append((i, "ningbo", None))
    for name in v["provinces"]:
        i = t.find(name)
        if i >= 0:
            candidates.append((i, "other", name))
    for city, province in v["cities"].items():
        i = t.find(city)
        if i >= 0:
            candidates.append((i, "other", province))
    if not candidates:
        return None
    _, hukou, province = min(candidates, key=lambda c: c[0])
    return hukou, province


_HUKOU_CUE = re.compile(r"户口|户籍|老家|籍贯|人士|是(.{1,4})(?:的|人)|(.{1,4})人$|来的(?!宁波|甬|这|本地)")
_OTHER_HUKOU = re.compile(
    r"外地|外省|外市|非本市|非本地|非宁波|不是宁波|不是本地|不是本市|没有?宁波户口|没有?本地户口|没有?本市户口|农村户口"
    r"|老家户口|(?:户口|户籍)(?:还)?(?:在|是)老家|(?:户口|户籍)(?:还)?(?:不|没|没有)(?:在|是|落在|迁到|迁来)|没(?:有)?落户|没迁户口")
_NINGBO_HUKOU = re.compile(r"(?:宁波|本地|本市|甬)(?:户口|户籍|人)|户口在(?:宁波|本地|本市|这边|这里)")


_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\s]+")


def _hukou_clause(text: str) -> str:
    """The clause that speaks of hukou: in “在慈溪做保洁3年了，老家贵州” 慈溪 is where they work and
    贵州 is the hukou. The whole text when no single clause settles it."""
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c]
    for clause in clauses:
        if clause != text and _parse_hukou_in(clause, bare_place=bool(re.match(r"(?:我|俺|咱)是", clause))) is not None:
            return clause
    # no clause settles it: the cue and the place must not come from different clauses
    # (“我在慈溪上班，孩子在老家读书” says nothing about whose hukou is where)
    return text if len(clauses) <= 1 or any(_HUKOU_CUE.search(c) and parse_place(c) for c in clauses) else ""


def parse_hukou(text: str) -> str | None:
    """'ningbo' / 'other' / None. '本地户口' -> ningbo; '户口在安徽', '我是河南的', '外地户口' -> other.

    A place alone (in '在北仑上班') says where they work, not their hukou: a hukou cue is needed,
    unless the whole message is a place name (the answer to 户口在哪)."""
    return _parse_hukou_in(_hukou_clause(normalize_text(text)))


def _parse_hukou_in(t: str, bare_place: bool = True) -> str | None:
    if _OTHER_HUKOU.search(t):
        return "other"
    if _NINGBO_HUKOU.search(t):
        return "ningbo"
    place = parse_place(t)
    if place is None:
        return None
    core = re.sub(r"^(?:我是|俺是|是|在)|(?:的|人|那边|老家)$", "", t.strip(" 。.!！，,"))
    v = vocab()
    bare = bare_place and (core in v["ningbo_places"] or core in v["provinces"] or core in v["cities"])
    if _HUKOU_CUE.search(t) or bare:
        return place[0]
    return None


def parse_hukou_province(text: str) -> str | None:
    place = parse_place(_hukou_clause(normalize_text(text)))
    return place[1] if place and place[0] == "other" else None


# ------------------------------------------------------------------------------------ whole message
_MEDICAL = re.compile(r"医保|医疗保险|医疗险")
_SOCIAL = re.compile(r"社保|社会保险|五险")
_WORK = re.compile(r"干了|干活|上班|打工|工作|做了|厂里|来宁波|来这|待了|呆了|干|扫|开")
# the other parent: 老公/老婆…, and 爸爸/妈妈/娃他爸 not preceded by 我 (a parent writing of the child's other
# parent; “父母一方” counts either)
_SPOUSE = re.compile(r"老婆|老公|媳妇|爱人|对象|孩子他爸|孩子他妈|孩他爸|孩他妈"
                     r"|(?<![我俺咱])(?:爸爸|妈妈|孩子爸|孩子妈|娃他爸|娃他妈|娃爸|娃妈)")
_CHILD = re.compile(r"孩子|小孩|娃|伢儿|囡囡|儿子|女儿|闺女|宝宝|子女")
_NO_HOME = re.compile(r"没(?:有)?(?:买)?房|无房|租房住|租的房|住宿舍|买不起房")
_HAS_HOME = re.compile(r"(?:有|买了|买过)(?:一套|套)?房|自己的房")
_PERMIT_NO = re.compile(r"没(?:有|办|办理)?(?:过)?居住证|居住证(?:还)?没(?:有|办)|无居住证|居住证过期")
_PERMIT_YES = re.compile(r"(?:有|办了|办过|持有?)(?:了)?居住证|居住证(?:有|办了|办好)")

_STUDY = re.compile(r"(?P<neg>不|没)?在(?P<where>[^，,。在]{1,6}?)(?:的)?(?:技校|职校|职高|技工学校|职业学校|学校)?"
                    r"(?:读书|读|上学|念书|念|上技校|上职高)")
_GAP = re.compile(r"(?<!断)断(?!断)(?:了|缴|交|保|档)|停(?:了|缴|交|保)|中断|没交的|漏交|欠缴")
# paying 社保 here, said without a figure: 社保一直交着 / 单位给交社保的 / 在宁波交社保 (not 没交社保, 社保断了)
_PAYS_SOCIAL = re.compile(r"(?:交|缴)(?:着|了|的)?社保|社保(?:一直|都|也|还)?(?:在|有)?(?:交|缴)(?:着|的|呢|了)?")
_NOT_PAYING = re.compile(r"[没不未]有?(?:在|给)?(?:交|缴)|社保(?:断|停)|社保[^，,。]{0,2}[没不未]")
# a vocational (technical) school: only then is 在宁波读 about the measures' vocational students
_VOCATIONAL = re.compile(r"技校|职校|职高|技工|中职|高职|中专|职业(?:学校|院校|技术学院)")
_SELF = re.compile(r"我|俺|咱|本人|自己")
_HUKOU_WORD = re.compile(r"户口|户籍")


def _last_person(text: str) -> str | None:
    people = [(m.end(), "child") for m in _CHILD.finditer(text)] + [(m.end(), "self") for m in _SELF.finditer(text)]
    return max(people)[1] if people else None


def _hukou_is_the_childs(text: str) -> bool:
    """Whose 户口: the person named last before it — in its own clause (“娃4岁没宁波户口”, “我没宁波户口，
    孩子4岁”), else in the clauses before, as Chinese carries the subject on (“娃3岁，户口在老家”).
    With nobody named it is the worker's."""
    earlier = ""
    for clause in _CLAUSE_SPLIT.split(text):
        cue = _HUKOU_WORD.search(clause)
        if cue is None:
            earlier += clause + "，"
            continue
        return (_last_person(clause[: cue.start()]) or _last_person(earlier)) == "child"
    return False


# Profile paths a bare answer can fill, by what the value looks like (from the fact schema).
_MONTH_FIELDS = set(schema.paths_of_kind("months")) | {"work_months"}
_BOOL_FIELDS = set(schema.paths_of_kind("yes_no"))
_CHOICE_YES_NO = {p for p in schema.yes_no_paths() if p not in _BOOL_FIELDS}  # 是宁波户口吗？ 是 → ningbo


def extract_facts(text: str, expecting: str | None = None, today: date | None = None) -> dict[str, Any]:
    """All facts in one message, keyed by Profile field path (plus ``work_months`` and ``vague``).

    ``expecting`` is the field the bot just asked for: a bare answer ('14', '有', '安徽') fills it.
    Vague values are not set; their paths are listed under ``"vague"`` (lower bounds under
    ``"vague_min"``) so the dialogue can ask again.
    """
    t = normalize_text(text or "")
    facts: dict[str, Any] = {}
    vague: dict[str, int] = {}

    # -- durations: whose and what of (医保 / 社保 / work); several can occur in one message
    spouse_named, last_kind = False, None
    for clause in _CLAUSE_SPLIT.split(t):
        if not clause:
            continue
        duration = parse_duration(clause, today)
        spouse_here = bool(_SPOUSE.search(clause))
        if duration is not None and _GAP.search(clause):
            duration = None  # 社保断了半年 is a gap, not six months paid (断断续续交了两年 is paid)
        if duration is None:
            spouse_named = spouse_named or spouse_here
            continue
        before = clause[: duration.span[0]]
        around = clause
        # “我跟老公都在宁波上班，他医保交了两年，我交了半年”: 他/她 after a spouse is named is the spouse,
        # and a bare “交了…” goes on with the insurance of the clause before
        spouses = bool(_SPOUSE.search(before) or (spouse_named and re.search(r"^[^我俺]*[他她]", before)))
        spouse_named = spouse_named or spouse_here
        kind = "medical" if _MEDICAL.search(around) else "social" if _SOCIAL.search(around) else None
        if kind is None and last_kind and re.search(r"交|缴", before):
            kind = last_kind
        last_kind = kind or last_kind
        if kind == "medical":
            path = "spouse_employee_medical_months" if spouses else "employee_medical_months"
        elif kind == "social" and spouses:
            continue  # the spouse's 社保 decides nothing in these measures (only their 职工医保 does)
        elif kind == "social":
            path = "social_insurance_months"
        elif expecting in _MONTH_FIELDS:
            path = expecting
        elif _CHILD.search(around) and not _WORK.search(around):
            continue  # “娃8个月” is an age, handled below
        else:
            path = "work_months"
        if path in facts or path in vague:
            continue
        if duration.vague:
            vague[path] = duration.months
        else:
            facts[path] = duration.months
        if path == "work_months" and (parse_occupation(clause) or expecting == "occupation_years_in_ningbo"):
            facts.setdefault("occupation_years_in_ningbo", round(duration.months / 12, 2))

    # 社保一直交着 without a figure: at least a month (all the stated work duration with 一直), kept as a lower
    # bound, so the exact figure is asked only where it can change the answer (入学 needs 按规定缴纳 only)
    if "social_insurance_months" not in facts and "social_insurance_months" not in vague:
        for clause in _CLAUSE_SPLIT.split(t):
            if _PAYS_SOCIAL.search(clause) and not _NOT_PAYING.search(clause) and not looks_like_question(clause) \
                    and not _SPOUSE.search(clause) and parse_duration(clause, today) is None:
                all_along = "一直" in clause and facts.get("work_months")
                vague["social_insurance_months"] = facts["work_months"] if all_along else 1
                break

    # a bare number answers a months (or years) question: “14” / “十四”
    if (expecting in _MONTH_FIELDS or expecting == "occupation_years_in_ningbo") and expecting not in facts \
            and expecting not in vague:
        m = re.fullmatch(rf"\s*(?:是|大概|差不多)?\s*({NUM})\s*", t)
        if m and chinese_to_number(m.group(1)) is not None:
            facts[expecting] = chinese_to_number(m.group(1))
            if expecting != "occupation_years_in_ningbo":
                facts[expecting] = int(facts[expecting])

    # -- works in Ningbo
    # (clause by clause: in “户口在安徽老家，俺在鄞州厂里上班” the Ningbo place is where they work)
    for clause in [t] + _CLAUSE_SPLIT.split(t):
        place = parse_place(clause)
        if place and place[0] == "ningbo" and (_WORK.search(clause) or parse_occupation(clause)) \
                and not _STUDY.search(clause):
            facts["works_in_ningbo"] = True
            break
    if re.search(r"在(?:这|这边|这里)(?:干|上班|打工|工作)", t):
        facts["works_in_ningbo"] = True

    # -- studies in Ningbo (在宁波读的 / 在北仑上技校 / 不在宁波读), when the message or the question is about a
    # vocational school: “小孩6岁要上小学，能不能在这边读” is not a vocational student
    studies = _STUDY.finditer(t) if _VOCATIONAL.search(t) or expecting == "student.in_ningbo_vocational_school" \
        else ()
    for m in studies:
        where = m.group("where")
        if where in ("这", "这边", "这里", "这儿", "本地") or (parse_place(where) or ("",))[0] == "ningbo":
            facts["student.in_ningbo_vocational_school"] = not m.group("neg")
            break

    # -- ages (a child's unless it says otherwise)
    age = youngest_age(t, today)
    if age is not None:
        if age.vague:
            vague["children.age"] = age.years
        else:
            facts["children.age"] = age.years
    elif expecting == "children.age":
        m = re.fullmatch(rf"\s*({NUM})\s*", t)
        if m and chinese_to_number(m.group(1)) is not None:
            facts["children.age"] = int(chinese_to_number(m.group(1)))

    # -- hukou: the child's when the child is who the hukou clause is about, else the worker's
    hukou = parse_hukou(t)
    if hukou is not None:
        if expecting == "children.hukou" or _hukou_is_the_childs(t):
            facts["children.hukou"] = hukou
        else:
            facts["hukou"] = hukou
            province = parse_hukou_province(t)
            if province:
                facts["hukou_province"] = province

    # -- home, residence permit
    if _NO_HOME.search(t):
        facts["owns_home_in_ningbo"] = False
    elif _HAS_HOME.search(t):
        facts["owns_home_in_ningbo"] = True
    if _PERMIT_NO.search(t):
        facts["children.residence_permit"] = False
    elif _PERMIT_YES.search(t):
        facts["children.residence_permit"] = True

    # -- occupation, levels, titles, school class
    for path, parser in (("occupation", parse_occupation), ("skill_level", parse_skill_level),
                         ("professional_title", parse_professional_title),
                         ("technical_school_class", parse_school_class)):
        value = parser(t)
        if value is not None:
            facts[path] = value
    if "一线" in t:
        facts["frontline"] = True
    if "低保" in t:
        facts["student.family_hardship"] = "dibao"
    elif "建档立卡" in t or "贫困户" in t:
        facts["student.family_hardship"] = "former_registered_poor"

    # -- a bare yes/no answers the question asked (是宁波户口吗？“是的”), unless its no/yes went to another
    # yes/no fact of the same message: “没有房子” to 您现在是在宁波工作吗 is about the home, not the job
    answered_elsewhere = any(path in _BOOL_FIELDS for path in facts if path != expecting)
    if expecting not in facts and not answered_elsewhere:
        if expecting in _BOOL_FIELDS:
            answer = parse_yes_no(t)
            if answer is not None:
                facts[expecting] = answer
        elif expecting in _CHOICE_YES_NO and hukou is None:
            answer = parse_yes_no(t)
            if answer is not None:
                facts[expecting] = schema.fact(expecting).answer(answer)

    if vague:
        facts["vague"] = sorted(vague)
        facts["vague_min"] = vague
    return facts
