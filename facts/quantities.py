"""Quantities in workers' text: Chinese numerals, durations in whole months, ages in whole 周岁.

Decisions (the dialogue and the fact reader rely on them):

* Durations are whole months. ``一年半``/``年半`` = 18, ``两年`` = 24, ``一年零三个月`` = 15,
  ``1.5年`` = 18, ``半年`` = 6, ``两个半月`` = 2 (completed months).
* ``X个多月`` (``8个多月``) is X: the months actually completed are X, which is what a
  ``累计缴费满N个月`` rule counts; it is *not* vague.
* ``X年多`` / ``X多年`` (``两年多``), ``十来个月``, ``几个月``, ``一年左右`` are vague: the lower bound is kept
  (``Duration.months``) but ``Duration.vague`` is set, so the dialogue asks for the exact figure.
* A start date is a duration up to today: ``2024年3月开始交的`` on 2026-12-01 = 33 months; a year
  alone (``2023年开始交``) is vague with the lower bound from that December; ``3月份起`` is the last March.
* ``刚交/刚参保`` (contributions have just started) is 1 month, ``这个月才开始交`` 0, ``上个月开始交`` 1.
* Ages are 周岁 in whole years: ``三岁半`` = 3, ``刚满6岁`` = 6, ``8个月大`` = 0. ``虚岁N`` is N-1
  (the usual gap; it can be N-2) and is vague, as is ``不到N岁`` (N-1). With several children
  (``儿子8岁女儿3岁``) the youngest age is kept: the 0-6周岁 measure can only apply to them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from facts.text import normalize_text

# -------------------------------------------------------------------------------------- numerals
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "仨": 3, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
NUM = r"(?:[0-9]+(?:\.[0-9]+)?|[零〇一二两俩仨三四五六七八九十百廿卅]+(?:点[零〇一二三四五六七八九]+)?)"
_TENS = {"廿": "二十", "卅": "三十"}   # 廿个月 (吴语, 宁波话): twenty


def is_numeral_range(token: str) -> bool:
    """两三 / 十五六 / 三四十: two neighbouring numerals side by side, a range rather than one figure."""
    digits = "一二三四五六七八九"
    t = token.replace("两", "二")
    return any(a in digits and b in digits and digits.index(b) == digits.index(a) + 1 for a, b in zip(t, t[1:], strict=False))


def chinese_to_number(token: str) -> float | None:
    """'18' -> 18, '十八' -> 18, '二十四' -> 24, '一百二' -> 120, '两' -> 2, '1.5' -> 1.5."""
    if not token:
        return None
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", token):
        return float(token) if "." in token else int(token)
    token = "".join(_TENS.get(ch, ch) for ch in token)
    if "点" in token:   # 六点五 = 6.5
        whole, _, fraction = token.partition("点")
        w = chinese_to_number(whole)
        digits = [_DIGITS.get(ch) for ch in fraction]
        if w is None or not digits or None in digits:
            return None
        return float(f"{int(w)}." + "".join(str(d) for d in digits))
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


_VAGUE_NUM = r"(?:几|好几|好些|多)"
_NOT_YEAR_WORD = r"(?!级|代|龄|底|初|度|前|后|纪|终|轻|纪)"  # 三年级, 70年代, 年龄, 年底 ... are no durations
_DURATION_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 七八年, 三四个月: a range of two neighbouring numerals is vague (lower bound kept)
    (re.compile(r"([一二两三四五六七八九])([二两三四五六七八九])个?多?月"), "range_months"),
    (re.compile(r"([一二两三四五六七八九])([二两三四五六七八九])多?年"), "range_years"),
    # 今年第9年: the ninth year running, so at least eight whole years
    (re.compile(rf"第({NUM})个?年{_NOT_YEAR_WORD}"), "ordinal_years"),
    # 二十几个月 / 二十好几年 / 三十多个: at least the tens said (not 十几 inside them)
    (re.compile(r"([一二两三四五六七八九]十)好?几个?月"), "months_vague"),
    (re.compile(rf"([一二两三四五六七八九]十)好?几年{_NOT_YEAR_WORD}"), "years_more"),
    (re.compile(r"(?<![一二两三四五六七八九])十几个?月"), "teen_months"),
    (re.compile(r"(?<![一二两三四五六七八九])十几年"), "teen_years"),
    # 一年零几个月: at least the years said
    (re.compile(rf"({NUM})年零?(?:几|好几)个?月"), "years_more"),
    # 一年零三个月, 1年3个月, 两年半个月 is not a thing
    (re.compile(rf"({NUM})年零?({NUM})个?月"), "years_months"),
    (re.compile(rf"({NUM})个半月"), "months_half"),
    (re.compile(rf"({NUM})(个)?多月"), "months_more"),
    (re.compile(rf"({NUM})多个?月"), "months_vague"),   # 二十多个月, 十多个月: at least 20 / 10, vague
    (re.compile(rf"({NUM})来个?月"), "months_vague"),
    (re.compile(rf"(?<![0-9一二两三四五六七八九十百]){_VAGUE_NUM}个月"), "vague_months"),
    (re.compile(rf"({NUM})个?月"), "months"),
    (re.compile(rf"({NUM})年半"), "years_half"),
    (re.compile(rf"({NUM})(?:多年|年多|来年|余年){_NOT_YEAR_WORD}"), "years_more"),
    (re.compile(rf"{_VAGUE_NUM}年{_NOT_YEAR_WORD}"), "vague_years"),
    (re.compile(rf"({NUM})(?:个)?(?:整)?年{_NOT_YEAR_WORD}"), "years"),
    (re.compile(r"(?<![0-9一二两三四五六七八九十])年半"), "year_half"),
    (re.compile(r"半年"), "half_year"),
    (re.compile(r"(?<![0-9一二两三四五六七八九十])年把"), "year_or_so"),   # 年把: about a year, at least half
    # 单位刚给交的 / 刚参保: registered and the first month paid, 1 (刚交了3个月 is 3 months); 这个月才开始交: 0
    (re.compile(rf"刚(?:刚|才)?(?:开始)?(?:给我?|帮我?)?(?:交|缴|参保|上(?:了)?医保|办(?:了)?医保)(?!了?\s*(?:{NUM}|满|够|快|半))"),
     "last_month"),
    (re.compile(r"(?:这个月|本月)(?:才|刚)?(?:开始|起)"), "just_started"),
    # 下个月才开始交 / 单位说下个月开始给交: not begun yet, 0
    (re.compile(r"下个?月(?:才|再)?(?:开始|起)"), "just_started"),
    (re.compile(r"上个?月(?:才|刚)?(?:开始|起)"), "last_month"),
]
_APPROX = re.compile(r"^(?:左右|上下|出头|以上|多|余|有余)")
_ORDINAL_BEFORE = ("第", "头")
_RATE_AFTER = re.compile(r"^[交付花要是得收]?[0-9零一二两三四五六七八九十.]+[百千万块元]")
# 二三年三月份 / 二二年五月份生的 / 二零二四年: a year written in Chinese digits, when a month or a start or
# birth follows (二三年 alone may be 两三年): the same year in Arabic digits, same length
_CHINESE_DIGIT = {"零": "0", "〇": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
                  "八": "8", "九": "9"}
_CHINESE_YEAR = re.compile(r"(?<![0-9一二两三四五六七八九十零〇])((?:[一二][零〇九])?[零〇一二三四五六七八九]{2})年"
                           r"(?=(?:[0-9]{1,2}|十[一二]?|[一二三四五六七八九])月|底|初|(?:出)?生|开始|进厂|入职|参保)")


def _arabic_years(text: str) -> str:
    return _CHINESE_YEAR.sub(lambda m: "".join(_CHINESE_DIGIT[c] for c in m.group(1)) + "年", text)
# 不止两年 / 超过一年 / 满12个月 / 大半年: at least that much, so a lower bound
_AT_LEAST = re.compile(r"(?:不止|超过|满了?|大|至少|起码|最少|少说也?|逾)(?:有|交了|交|缴了|缴|是)?$")
_UNDER = re.compile(r"(?:快要?|将近|不到|不足|没满|不满|未满|还差点)")   # strictly less than the figure (not 差不多, 接近)
_ALMOST = re.compile(r"(?:快要?|将近|接近|差不多|不到|不足|没满|不满|未满|(?<!最)近|还差点)(?:有|满|就)?$")
# 2022年, 2024年3月, 去年5月份, 3月份: dates, not durations (3月 in 2024年3月 is not 3 months)
_MONTH_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CALENDAR_DATE = re.compile(rf"(?:(?:19|20)[0-9]{{2}}年|今年|去年|前年|大前年)(?:{_MONTH_NUM}月份?)?"
                            rf"|[0-2][0-9]年{_MONTH_NUM}月份?|{_MONTH_NUM}月份")  # (干了10年 is a duration)
# 从2024年3月开始交的 / 去年5月来的宁波 / 3月份起 / 22年进的厂: a start date, so a duration up to today
_START_DATE = re.compile(
    rf"(?:(?P<y>(?:19|20)?[0-9]{{2}})年|(?P<rel>大前年|前年|去年|今年))?(?:(?P<m>{_MONTH_NUM})月份?)?"
    r"(?:[0-9一二三四五六七八九十]{1,3}[号日])?(?:底|初|中)?(?:的时候|那会儿?)?(?:就|才)?"
    r"(?=开始|起|以来|到现在|来的|来宁波|来这|来甬|进厂|进的|入职|参保|交的|交起|办的|上班)")
# …the same with the cue optional (group ``cue``): a month said after 从 or before a payment verb starts too
_START_DATE_ANY = re.compile(_START_DATE.pattern.replace("(?=开始", "(?=(?P<cue>开始").replace("|上班)", "|上班))?"))
_RELATIVE_YEAR = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}
# 今年五月份才交上 / 从去年7月接着交 / 都是从2024年5月一起交的: a start date a payment verb follows, or 从 precedes
_START_VERB = re.compile(r"(?:就|才|又|也)?(?:开始|接着|一起|一块|重新|续)?(?:交上|缴上|交起|交到|缴到|交|缴|参保)")
_FROM = ("从", "自")


def _date(i: int) -> str:
    """A year and month (2024年3月, 去年7月, 24年3月) or a dotted one (2024.03, 2024/3), groups suffixed ``i``."""
    return (rf"(?:(?:(?P<y{i}>(?:19|20)?[0-9]{{2}})年|(?P<rel{i}>大前年|前年|去年|今年))(?P<m{i}>{_MONTH_NUM})月份?"
            rf"|(?P<dy{i}>(?:19|20)[0-9]{{2}})[.．/](?P<dm{i}>1[0-2]|0?[1-9])(?![0-9]))")


# 2024年3月到2025年6月 / 2024.03-2025.06 / 从2025年9月交到现在: a stretch of months, both ends counted
_DATE_RANGE = re.compile(rf"{_date(1)}(?:份)?(?:底|初)?\s*(?:交|缴)?(?:到|至|-|~|—|－|～)\s*(?:{_date(2)}|(?P<now>现在|今天|目前|至今|今))")
_DOTTED_START = re.compile(rf"{_date(1)}\s*(?=开始|起|以来|至今)")


def _year_month(m: re.Match[str], i: int, today: date) -> tuple[int, int] | None:
    if m.group(f"dy{i}"):
        return int(m.group(f"dy{i}")), int(m.group(f"dm{i}"))
    if m.group(f"y{i}") is None and m.group(f"rel{i}") is None:
        return None
    y = m.group(f"y{i}")
    year = (int(y) + 2000 if int(y) < 100 else int(y)) if y else today.year - _RELATIVE_YEAR[m.group(f"rel{i}")]
    month = chinese_to_number(m.group(f"m{i}"))
    return (year, int(month)) if month and 1 <= month <= 12 and 1970 <= year <= today.year else None


def _range_duration(text: str, today: date) -> Duration | None:
    """The first stretch of months between two dates (both months counted), or from a date to now (up to last
    month, as a start date counts)."""
    for m in _DATE_RANGE.finditer(text):
        start = _year_month(m, 1, today)
        if start is None:
            continue
        if m.group("now"):
            months = (today.year - start[0]) * 12 + today.month - start[1]
        else:
            end = _year_month(m, 2, today)
            if end is None:
                continue
            months = (end[0] - start[0]) * 12 + end[1] - start[1] + 1
        if months >= 0:
            return Duration(months, False, m.span())
    for m in _DOTTED_START.finditer(text):   # 2024.03起 / 2024.3开始
        start = _year_month(m, 1, today)
        if start is not None and (months := (today.year - start[0]) * 12 + today.month - start[1]) >= 0:
            return Duration(months, False, m.span())
    return None


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
    ranged = _range_duration(text, today)
    for m in _START_DATE_ANY.finditer(text):
        if not (m.group("y") or m.group("rel") or m.group("m")):
            continue
        if ranged is not None and m.start() >= ranged.span[0]:
            return ranged
        if not m.group("cue") and not (m.group("m") and (text[:m.start()].endswith(_FROM) or _START_VERB.match(
                text, m.end()) and (m.group("y") or m.group("rel")))):
            continue   # 从2024年5月… / 今年五月份才交上: a month, then a payment verb or after 从
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
    return ranged


def parse_duration(text: str, today: date | None = None, normalised: bool = False) -> Duration | None:
    """The first duration in the text, in whole months, with a vague flag (see module docstring).
    A start date (“2024年3月开始交的”) counts the months up to ``today`` (default: the real today).
    ``normalised``: the caller has run normalize_text already (the reader, once per message)."""
    text = _arabic_years(text if normalised else normalize_text(text))
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
            if kind != "ordinal_years" and text[m.start() - 1: m.start()] in _ORDINAL_BEFORE and m.start() > 0:
                continue   # 第一个月 / 头一个月: which month, not how many
            if _RATE_AFTER.match(text[m.end():]):
                continue   # 一年两千多 / 一个月一千五: a price per year or month, not how long
            found = _duration_value(kind, m)
            if found is None:
                continue
            months, vague = found
            if _APPROX.match(text[m.end():]) or _AT_LEAST.search(text[: m.start()]):
                vague = True
            almost = _ALMOST.search(text[: m.start()])
            if almost and months == 1 and "年" not in m.group(0) and _UNDER.match(almost.group(0)):
                vague, months = False, 0   # 不到一个月 / 还没满一个月: no whole month yet, exactly 0
            elif almost:
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
    if kind == "ordinal_years":
        n = num()
        return None if n is None or n < 1 else (int(n - 1) * 12, True)
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
    if kind == "year_or_so":
        return (6, True)
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


# 2022年 / 2022年底 / 二〇二三年 / 22年底: a calendar year named by its number (今年 / 去年 are relative to
# the day asked, so they name no other date than today's); a two-digit year only with 底 or a month after it
_NAMED_YEAR = re.compile(r"(?<![0-9])(?:(?P<y4>(?:19|20)[0-9]{2})|(?P<cn>[一二][〇零九][〇零一二三四五六七八九]{2})"
                         rf"|(?P<y2>[0-9]{{2}})(?=年(?:底|末|{_MONTH_NUM}月)))年")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def years_named(text: str) -> list[int]:
    """The calendar years a message names, in order (“2022年那一轮” → [2022]; “二〇二三年底” → [2023])."""
    years = []
    for m in _NAMED_YEAR.finditer(normalize_text(text or "")):
        if m.group("y4"):
            years.append(int(m.group("y4")))
        elif m.group("cn"):
            years.append(int("".join(_CN_DIGIT[c] for c in m.group("cn"))))
        else:
            years.append(2000 + int(m.group("y2")))
    return years


# ------------------------------------------------------------------------------------------ ages
class Age(NamedTuple):
    years: int
    vague: bool
    span: tuple[int, int]


_AGE_PATTERNS = [
    (re.compile(rf"虚岁\s*({NUM})岁?"), "xusui"),
    (re.compile(rf"({NUM})岁虚岁|虚岁"), "xusui_after"),
    (re.compile(rf"(?:不到|不足|未满)({NUM})(?:周)?岁"), "under"),
    # 快6岁 / 下个月满6岁: not 6 yet, so 5 周岁 (whole years, nothing vague about it)
    (re.compile(rf"(?:快要?|马上|就要|下个?月|过几天|过两天|年底)(?:就)?(?:要)?满?({NUM})(?:周)?岁"), "almost"),
    # 四五岁 / 五六岁: a range of two neighbouring numerals is vague (lower bound kept), as for durations
    (re.compile(r"(?<![十百0-9老第])([一二两三四五六七八九])([二两三四五六七八九])(?:周)?岁"), "range_years"),   # not 老二三岁
    (re.compile(rf"({NUM})(?:周)?岁"), "years"),
    # 她是我女儿，今年17: a figure alone after 今年 is an age (not 今年3月, 今年2026年, 今年5个月)
    (re.compile(rf"今年({NUM})(?![0-9年月号日个岁%.点多])"), "this_year_age"),
    (re.compile(rf"({NUM})个?(?:多)?月大"), "months_old"),
    # 出生3个月 / 刚生下来一个多月 / 才生了二十天: an age in months or days
    (re.compile(rf"(?:出生|生下来|生了|生的)[，,\s]?(?:了|才|刚)?(?:才|刚)?({NUM})(?:个多月|多个月|个月|天)"), "months_old"),
    (re.compile(r"刚出生|还没满月|没满月|未满月|刚满月|才满月|满月了"), "newborn"),   # 刚满月: one month old, 0 周岁
]


_BIRTH_DATE = re.compile(rf"(?:(?P<y>(?:19|20)?[0-9]{{2}})年|(?P<rel>大前年|前年|去年|今年))(?:(?P<m>{_MONTH_NUM})月份?)?"
                         r"(?:(?P<d>[0-9一二三四五六七八九十]{1,3})[号日])?(?:出生|生的|生人)")


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
    day = chinese_to_number(m.group("d")) if m.group("d") else None
    if month == today.month and day is not None and 1 <= day <= 31:   # 22年12月20号生的: the day decides
        return Age(max(today.year - year - (1 if day > today.day else 0), 0), False, m.span())
    # born this month of the year: the birthday may not have come yet, so the lower bound is a year less
    return Age(max(today.year - year - (1 if month >= today.month else 0), 0), month == today.month, m.span())


def parse_age_info(text: str, today: date | None = None, normalised: bool = False) -> Age | None:
    text = _arabic_years(text if normalised else normalize_text(text))
    best: Age | None = _age_from_birth(text, today or date.today())
    for pattern, kind in _AGE_PATTERNS:
        m = pattern.search(text)
        if not m or (best is not None and m.start() >= best.span[0]):
            continue
        if kind == "xusui_after" and m.group(1) is None:
            continue
        if kind == "range_years":
            low, high = (chinese_to_number(g) for g in m.groups())
            if low is not None and high == low + 1:
                best = Age(int(low), True, m.span())
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
        elif kind == "this_year_age":
            if 0 < n <= 30 and n == int(n):
                best = Age(int(n), False, m.span())
        elif kind == "months_old" and not m.group(0).endswith("天"):
            best = Age(int(n) // 12, False, m.span())   # 十三个月大: 1 周岁
        else:
            best = Age(0, False, m.span())
    return best


_ADULT_BEFORE_AGE = re.compile(r"(?:我|俺|咱|本人|爹|爸|妈|娘|老公|老婆|爱人|媳妇)(?:今年|现在|已经|都|也|才)*\s*(?:是)?\s*$")


def youngest_age(text: str, today: date | None = None, normalised: bool = False) -> Age | None:
    """With several children (“儿子8岁，女儿3岁”) the youngest: the 0-6周岁 measures can only apply to
    them, and one child's age is what the profile keeps."""
    ages, rest, offset = [], text if normalised else normalize_text(text), 0
    while rest:
        found = parse_age_info(rest, today, normalised=True)
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


