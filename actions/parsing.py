"""Pure parsing helpers: worker's Chinese text -> facts for the eligibility profile.

No Rasa imports and no I/O except reading ``actions/vocab.yml`` once (lazily). Every function takes a
string and returns plain values, so the dialogue, the console and the tests share one behaviour.

Decisions (documented here because the dialogue relies on them):

* Durations are whole months. ``一年半``/``年半`` = 18, ``两年`` = 24, ``一年零三个月`` = 15,
  ``1.5年`` = 18, ``半年`` = 6, ``两个半月`` = 2 (completed months).
* ``X个多月`` (``8个多月``) is X: the months actually completed are X, which is what a
  ``累计缴费满N个月`` rule counts; it is *not* vague.
* ``X年多`` / ``X多年`` (``两年多``), ``十来个月``, ``几个月``, ``一年左右`` are vague: the lower bound is kept
  (``Duration.months``) but ``Duration.vague`` is set, and ``extract_facts`` reports the field under
  ``"vague"`` instead of setting it, so the dialogue asks for the exact figure.
* A start date is a duration up to today: ``2024年3月开始交的`` on 2026-12-01 = 33 months; a year
  alone (``2023年开始交``) is vague with the lower bound from that December; ``3月份起`` is the last March.
* ``刚交/刚参保`` (contributions have just started) is 1 month, ``这个月才开始交`` 0, ``上个月开始交`` 1.
* Ages are 周岁 in whole years: ``三岁半`` = 3, ``刚满6岁`` = 6, ``8个月大`` = 0. ``虚岁N`` is N-1
  (the usual gap; it can be N-2) and is vague, as is ``不到N岁`` (N-1). With several children
  (``儿子8岁女儿3岁``) the youngest age is kept: the 0-6周岁 measure can only apply to them.
* Traditional characters become simplified (zhconv), full-width ASCII becomes half-width; Chinese
  punctuation (，。？) is kept. Every normalisation keeps the length, so entity offsets stay valid.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
import zhconv

from eligibility import schema

VOCAB_PATH = Path(__file__).with_name("vocab.yml")


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    with VOCAB_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _surface_map(kind: str) -> list[tuple[str, str]]:
    """(surface word, canonical value) pairs of one vocab section, longest word first."""
    pairs = [(word, value) for value, words in vocab()[kind].items() for word in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


# ---------------------------------------------------------------------------------------- normalise
def _to_half_width(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))  # full-width digits and Latin letters only
        elif ch in "．％":
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def _to_simplified(text: str) -> str:
    converted = zhconv.convert(text, "zh-cn")
    if len(converted) == len(text):
        return converted
    # a phrase rule changed the length: convert character by character to keep offsets
    return "".join(zhconv.convert(ch, "zh-cn") or ch for ch in text)


def normalize_text(text: str) -> str:
    """Traditional -> simplified, full-width digits/letters -> half-width, common typos fixed.

    Length-preserving, so entity offsets found on the normalised text are valid on the original."""
    if not text:
        return ""
    text = _to_simplified(_to_half_width(text))
    for wrong, right in vocab()["typos"].items():
        text = text.replace(wrong, right)
    return text


# -------------------------------------------------------------------------------------- numerals
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
NUM = r"(?:[0-9]+(?:\.[0-9]+)?|[零〇一二两俩三四五六七八九十百]+)"


def chinese_to_number(token: str) -> float | None:
    """'18' -> 18, '十八' -> 18, '二十四' -> 24, '一百二' -> 120, '两' -> 2, '1.5' -> 1.5."""
    if not token:
        return None
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", token):
        return float(token) if "." in token else int(token)
    total, current, last_unit = 0, 0, 1
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            total += (current or 1) * unit
            current, last_unit = 0, unit
        else:
            return None
    if current and last_unit > 10 and len(token) >= 2 and token[-2] in _UNITS:
        current *= last_unit // 10  # 一百二 = 120
    return total + current


# ------------------------------------------------------------------------------------- durations
class Duration(NamedTuple):
    months: int
    vague: bool
    span: tuple[int, int]  # where in the (normalised) text it was found


_VAGUE_NUM = r"(?:几|好几|多)"
_NOT_YEAR_WORD = r"(?!级|代|龄|底|初|度|前|后|纪|终|轻|纪)"  # 三年级, 70年代, 年龄, 年底 ... are no durations
_DURATION_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 七八年, 三四个月: a range of two neighbouring numerals is vague (lower bound kept)
    (re.compile(r"([一二三四五六七八九])([二三四五六七八九])个?多?月"), "range_months"),
    (re.compile(r"([一二三四五六七八九])([二三四五六七八九])多?年"), "range_years"),
    (re.compile(r"十几个?月"), "teen_months"),
    (re.compile(r"十几年"), "teen_years"),
    # 一年零三个月, 1年3个月, 两年半个月 is not a thing
    (re.compile(rf"({NUM})年零?({NUM})个?月"), "years_months"),
    (re.compile(rf"({NUM})个半月"), "months_half"),
    (re.compile(rf"({NUM})(个)?多月"), "months_more"),
    (re.compile(rf"({NUM})来个?月"), "months_vague"),
    (re.compile(rf"{_VAGUE_NUM}个月"), "vague_months"),
    (re.compile(rf"({NUM})个?月"), "months"),
    (re.compile(rf"({NUM})年半"), "years_half"),
    (re.compile(rf"({NUM})(?:多年|年多|来年){_NOT_YEAR_WORD}"), "years_more"),
    (re.compile(rf"{_VAGUE_NUM}年{_NOT_YEAR_WORD}"), "vague_years"),
    (re.compile(rf"({NUM})(?:个)?(?:整)?年{_NOT_YEAR_WORD}"), "years"),
    (re.compile(r"(?<![0-9一二两三四五六七八九十])年半"), "year_half"),
    (re.compile(r"半年"), "half_year"),
    # 单位刚给交的 / 刚参保: registered and the first month paid, 1 (刚交了3个月 is 3 months); 这个月才开始交: 0
    (re.compile(rf"刚(?:刚|才)?(?:开始)?(?:给我?|帮我?)?(?:交|缴|参保|上(?:了)?医保|办(?:了)?医保)(?!了?\s*(?:{NUM}|满|够|快|半))"),
     "last_month"),
    (re.compile(r"(?:这个月|本月)(?:才|刚)?(?:开始|起)"), "just_started"),
    (re.compile(r"上个?月(?:才|刚)?(?:开始|起)"), "last_month"),
]
_APPROX = re.compile(r"^(?:左右|上下|出头)")
_ALMOST = re.compile(r"(?:快要?|将近|接近|差不多|不到|(?<!最)近|还差点)(?:有|满|就)?$")
# 2022年, 2024年3月, 去年5月份, 3月份: dates, not durations (3月 in 2024年3月 is not 3 months)
_MONTH_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CALENDAR_DATE = re.compile(rf"(?:(?:19|20)[0-9]{{2}}年|今年|去年|前年|大前年)(?:{_MONTH_NUM}月份?)?"
                            rf"|[0-2][0-9]年{_MONTH_NUM}月份?|{_MONTH_NUM}月份")  # (干了10年 is a duration)
# 从2024年3月开始交的 / 去年5月来的宁波 / 3月份起 / 22年进的厂: a start date, so a duration up to today
_START_DATE = re.compile(
    rf"(?:(?P<y>(?:19|20)?[0-9]{{2}})年|(?P<rel>大前年|前年|去年|今年))?(?:(?P<m>{_MONTH_NUM})月份?)?"
    r"(?:[0-9一二三四五六七八九十]{1,3}[号日])?(?:底|初|中)?(?:的时候|那会儿?)?(?:就|才)?"
    r"(?=开始|起|以来|到现在|来的|来宁波|来这|来甬|进厂|进的厂|入职|参保|交的|交起|办的|上班)")
_RELATIVE_YEAR = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}


def _year_of(m: re.Match[str], today: date) -> int | None:
    """The year of a date match with groups ``y`` (2024 / 24) and ``rel`` (去年…), or None."""
    if m.group("y"):
        year = int(m.group("y"))
        return year + 2000 if year < 100 else year
    return today.year - _RELATIVE_YEAR[m.group("rel")] if m.group("rel") else None


def _start_date_duration(text: str, today: date) -> Duration | None:
    """A start date said instead of a duration: the months from then to ``today``.

    With a month (2024年3月) the count is exact; a year alone (2023年开始交) keeps the surely-true lower
    bound (from that December) and is vague. A month alone (3月份起) is this year's, or last year's if
    that month has not come yet.
    """
    for m in _START_DATE.finditer(text):
        if not (m.group("y") or m.group("rel") or m.group("m")):
            continue
        if not m.group("m") and text[m.end():].startswith("起"):
            continue  # “2022年起” is how the measures date a rule, not when the worker started
        year = _year_of(m, today)
        if year is not None and not 1970 <= year <= today.year:
            continue
        month = chinese_to_number(m.group("m")) if m.group("m") else None
        if month is not None and not 1 <= month <= 12:
            continue
        if month is not None and year is None:
            year = today.year if month <= today.month else today.year - 1
        if month is not None:
            months = (today.year - year) * 12 + today.month - int(month)
            if months < 0:
                continue
            return Duration(months, False, m.span())
        return Duration(max((today.year - year) * 12 + today.month - 12, 0), True, m.span())
    return None


def parse_duration(text: str, today: date | None = None) -> Duration | None:
    """The first duration in the text, in whole months, with a vague flag (see module docstring).
    A start date (“2024年3月开始交的”) counts the months up to ``today`` (default: the real today)."""
    text = normalize_text(text)
    started = _start_date_duration(text, today or date.today())
    for m in _CALENDAR_DATE.finditer(text):  # 2022年, 2024年3月 are dates, not durations
        text = text[: m.start()] + "#" * (m.end() - m.start()) + text[m.end():]
    best: Duration | None = started
    for pattern, kind in _DURATION_PATTERNS:
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best.span[0]:
                break
            if _is_age_or_date_context(text, m):
                continue
            found = _duration_value(kind, m)
            if found is None:
                continue
            months, vague = found
            if _APPROX.match(text[m.end():]):
                vague = True
            if _ALMOST.search(text[: m.start()]):
                # 快两年 / 将近一年 / 不到10个月: less than said; keep a lower bound that is surely true
                vague, months = True, max(months - (6 if "年" in m.group(0) else 1), 0)
            best = Duration(months, vague, (m.start(), m.end()))
            break
    return best


def _is_age_or_date_context(text: str, m: re.Match[str]) -> bool:
    after = text[m.end(): m.end() + 1]
    return after == "大" and m.group(0).endswith("月")  # 宝宝8个月大 is an age


def _duration_value(kind: str, m: re.Match[str]) -> tuple[int, bool] | None:
    def num(i: int = 1) -> float | None:
        return chinese_to_number(m.group(i))

    if kind == "years_months":
        y, mo = num(1), num(2)
        return None if y is None or mo is None else (int(y * 12 + mo), False)
    if kind == "months_half":
        n = num()
        return None if n is None else (int(n), False)
    if kind == "months_more":
        n = num()
        return None if n is None else (int(n), False)
    if kind == "months_vague":
        n = num()
        return None if n is None else (int(n), True)
    if kind in ("range_months", "range_years"):
        low, high = num(1), num(2)
        if low is None or high != low + 1:
            return None  # 二十 is a number, not a range
        return (int(low) * (12 if kind == "range_years" else 1), True)
    if kind == "teen_months":
        return (11, True)
    if kind == "teen_years":
        return (132, True)
    if kind == "vague_months":
        return (2, True)
    if kind == "months":
        n = num()
        return None if n is None else (int(n), False)
    if kind == "years_half":
        n = num()
        return None if n is None else (int(n * 12 + 6), False)
    if kind == "years_more":
        n = num()
        return None if n is None else (int(n * 12), True)
    if kind == "vague_years":
        return (24, True)
    if kind == "years":
        n = num()
        return None if n is None else (int(round(n * 12)), False)
    if kind == "year_half":
        return (18, False)
    if kind == "half_year":
        return (6, False)
    if kind == "just_started":
        return (0, False)
    if kind == "last_month":
        return (1, False)
    return None


def parse_months(text: str) -> int | None:
    """Whole months of the first duration in the text, or None. Vague ones give their lower bound;
    use ``parse_duration`` (or ``extract_facts``) to know whether it was vague."""
    found = parse_duration(text)
    return None if found is None else found.months


# ------------------------------------------------------------------------------------------ ages
class Age(NamedTuple):
    years: int
    vague: bool
    span: tuple[int, int]


_AGE_PATTERNS = [
    (re.compile(rf"虚岁\s*({NUM})岁?"), "xusui"),
    (re.compile(rf"({NUM})岁虚岁|虚岁"), "xusui_after"),
    (re.compile(rf"不到({NUM})(?:周)?岁"), "under"),
    # 快6岁 / 下个月满6岁: not 6 yet, so 5 周岁 (whole years, nothing vague about it)
    (re.compile(rf"(?:快要?|马上|就要|下个?月|过几天|过两天|年底)(?:就)?(?:要)?满?({NUM})(?:周)?岁"), "almost"),
    (re.compile(rf"({NUM})(?:周)?岁"), "years"),
    (re.compile(rf"({NUM})个?(?:多)?月大"), "months_old"),
    (re.compile(r"刚出生|还没满月|没满月"), "newborn"),
]


_BIRTH_DATE = re.compile(rf"(?:(?P<y>(?:19|20)?[0-9]{{2}})年|(?P<rel>大前年|前年|去年|今年))(?:(?P<m>{_MONTH_NUM})月份?)?"
                         r"(?:[0-9一二三四五六七八九十]{1,3}[号日])?(?:出生|生的|生人)")


def _age_from_birth(text: str, today: date) -> Age | None:
    """孩子2021年3月出生的 → 5 (on 2026-12-01); a year alone (2021年生的) is vague: 4 or 5, lower bound 4."""
    m = _BIRTH_DATE.search(text)
    if not m:
        return None
    year = _year_of(m, today)
    if not 1950 <= year <= today.year:
        return None
    month = chinese_to_number(m.group("m")) if m.group("m") else None
    if month is None:
        return Age(max(today.year - year - 1, 0), today.year - year > 0, m.span())
    if not 1 <= month <= 12:
        return None
    # born this month of the year: the birthday may not have come yet, so the lower bound is a year less
    return Age(max(today.year - year - (1 if month >= today.month else 0), 0), month == today.month, m.span())


def parse_age_info(text: str, today: date | None = None) -> Age | None:
    text = normalize_text(text)
    best: Age | None = _age_from_birth(text, today or date.today())
    for pattern, kind in _AGE_PATTERNS:
        m = pattern.search(text)
        if not m or (best is not None and m.start() >= best.span[0]):
            continue
        if kind == "xusui_after" and m.group(1) is None:
            continue
        n = chinese_to_number(m.group(1)) if m.groups() and m.group(1) else 0
        if n is None:
            continue
        if kind in ("xusui", "xusui_after"):
            best = Age(max(int(n) - 1, 0), True, m.span())
        elif kind == "almost":
            best = Age(max(int(n) - 1, 0), False, m.span())
        elif kind == "under":
            best = Age(max(int(n) - 1, 0), True, m.span())
        elif kind == "years":
            best = Age(int(n), False, m.span())
        else:
            best = Age(0, False, m.span())
    return best


_ADULT_BEFORE_AGE = re.compile(r"(?:我|俺|咱|本人|爹|爸|妈|娘|老公|老婆|爱人|媳妇)(?:今年|现在|已经|都|也|才)*\s*(?:是)?\s*$")


def _youngest_age(text: str, today: date | None = None) -> Age | None:
    """With several children (“儿子8岁，女儿3岁”) the youngest: the 0-6周岁 measures can only apply to
    them, and one child's age is what the profile keeps."""
    ages, rest, offset = [], text, 0
    while rest:
        found = parse_age_info(rest, today)
        if found is None:
            break
        if not _ADULT_BEFORE_AGE.search(rest[: found.span[0]]):  # 我今年35岁 / 我妈60岁 are no child's age
            ages.append(found._replace(span=(found.span[0] + offset, found.span[1] + offset)))
        offset += found.span[1]
        rest = rest[found.span[1]:]
    return min(ages, key=lambda a: (a.years, a.vague)) if ages else None


def parse_age(text: str) -> int | None:
    """Age in whole 周岁: '三岁半' -> 3, '刚满6岁' -> 6, '虚岁7岁' -> 6, '8个月大' -> 0."""
    found = parse_age_info(text)
    return None if found is None else found.years


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
    if not raw or re.search(r"(.)[没不]\1", raw) or _UNKNOWN.match(raw):
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
    age = _youngest_age(t, today)
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
