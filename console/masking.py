"""Personal numbers masked before a note or a work order leaves the console.

    mask("来电人手机13912345678，身份证330203199001011234")
    # "来电人手机139****5678，身份证330***********1234"

Masked: mainland mobiles (11 digits, 1[3-9]…, also after +86 / 86), landlines with an area code
(0574-87654321 → 0574-****4321, (0574)87654321, 021 12345678), 18-character ID numbers (the last may be X)
and 15-digit old ones. Numbers may be written in full-width digits or split by spaces or hyphens
(139 1234 5678). Ordinary figures are left alone: amounts (600元, 10万元), dates (2023年12月底, 2023-06-21),
durations (24个月), postcodes (315800), hotlines (12333) — none of them has one of these lengths and shapes.
"""

from __future__ import annotations

import re

STAR = "*"
KEEP_HEAD, KEEP_TAIL = 3, 4  # mobiles and IDs: 138****5678, 330***********1234
_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF38: ord("X"), 0xFF58: ord("x")}
# digit groups split by one separator: a space (half or full width) or a hyphen (ASCII, full-width, dash)
_SEPARATOR = "[ \u3000\\-\uff0d\u2010-\u2015]"
_GROUPS = re.compile(rf"(?<![0-9])[0-9]+[Xx]?(?:{_SEPARATOR}[0-9]+[Xx]?)*(?![0-9])")
_GROUP = re.compile(r"[0-9]+[Xx]?")
_BRACKETED_AREA = re.compile(r"(?<![0-9])([(\uff08]0[0-9]{2,3}[)\uff09] ?)([0-9]{7,8})(?![0-9])")
_MOBILE = re.compile(r"(?:86)?(1[3-9][0-9]{9})")
_ID18 = re.compile(r"[0-9]{17}[0-9Xx]")
_ID15 = re.compile(r"[0-9]{15}")
# an ID written in groups must also read as one (region, birth date): 315800 12333 2023 is three figures
_BIRTH = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID18_SHAPE = re.compile(rf"[1-8][0-9]{{5}}(?:19|20)[0-9]{{2}}{_BIRTH}[0-9]{{3}}[0-9Xx]")
_ID15_SHAPE = re.compile(rf"[1-8][0-9]{{5}}[0-9]{{2}}{_BIRTH}[0-9]{{3}}")
_LANDLINE = re.compile(r"(0[12][0-9]|0[3-9][0-9]{2})([0-9]{7,8})")


def half_width_digits(text: str) -> str:
    """Full-width digits (and X) as ASCII; every other character kept, so the length is the same."""
    return text.translate(_FULL_WIDTH)


def _hide(digits: str, head: int, tail: int = KEEP_TAIL) -> str:
    return digits[:head] + STAR * (len(digits) - head - tail) + digits[-tail:]


def _local(area: str, separator: str, number: str) -> str:
    return area + separator + _hide(number, 0)


def masked_number(digits: str, separator: str = "-", grouped: bool = False) -> str | None:
    """The masked form of one number written without separators, or None when it is no personal number.
    ``separator`` goes between a landline's area code and its number; ``grouped``: the digits were written
    in several groups, so an ID must also have an ID's shape (region and birth date)."""
    if m := _MOBILE.fullmatch(digits):
        prefix = digits[:-len(m[1])]  # the country code, kept: 86 139****5678
        return (prefix + " " if prefix else "") + _hide(m[1], KEEP_HEAD)
    shapes = (_ID18_SHAPE, _ID15_SHAPE) if grouped else (_ID18, _ID15)
    if any(shape.fullmatch(digits) for shape in shapes):
        return _hide(digits, KEEP_HEAD)
    if m := _LANDLINE.fullmatch(digits):
        return _local(m[1], separator, m[2])
    return None


def _first_number(run: str, groups: list[tuple[int, int]], i: int) -> tuple[int, str] | None:
    """(last group, masked text) of the fewest groups from group ``i`` on that make one personal number,
    the groups split by one and the same separator."""
    for j in range(i, len(groups)):
        digits = "".join(run[s:e] for s, e in groups[i:j + 1])
        between = {run[groups[k][1]:groups[k + 1][0]] for k in range(i, j)}
        if "X" in digits[:-1].upper() or len(digits) > 18 or len(between) > 1:
            return None
        masked = masked_number(digits, between.pop() if between else "-", grouped=j > i)
        if masked is not None:
            return j, masked
    return None


def _mask_run(run: str) -> str:
    """A run of digit groups (139 1234 5678 or 13912345678 0574-87654321): from each group, the fewest
    following groups that make one personal number are masked together; other groups are left as written."""
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    out, i, done = [], 0, 0
    while i < len(groups):
        found = _first_number(run, groups, i)
        if found is None:
            i += 1
            continue
        j, masked = found
        out += [run[done:groups[i][0]], masked]
        done = groups[j][1]
        i = j + 1
    out.append(run[done:])
    return "".join(out)


def mask(text: str) -> str:
    """``text`` with every mobile, landline and ID number masked (full-width digits become ASCII)."""
    if not text:
        return text or ""
    text = half_width_digits(text)
    text = _BRACKETED_AREA.sub(lambda m: m[1] + _hide(m[2], 0), text)
    return _GROUPS.sub(lambda m: _mask_run(m[0]), text)
