"""One message -> facts, by structure rather than by phrase.

1. Normalise (facts.text) and split into clauses: punctuation, spaces, and the `clause_breaks` words of
   run-on text.
2. Each clause gets a subject (self / spouse / child / employer, lexicon `subjects`); a clause naming none
   carries the previous one's.
3. A clause is negated when it holds a negator (`negators`) that is not part of a question form
   (`not_negation`); the negation covers that clause only, so it flips or clears the fact the clause states
   and nothing else.
4. Quantities (facts.quantities) are attributed by the clause's scheme word (`schemes`: 城乡居民医保 is not
   职工医保) and subject; a negated payment with no figure is zero; a figure asked about (几年) is none.
5. A reply is read against the kind of the fact just asked (`asked`, from the fact schema): a yes/no answer
   word standing alone answers a yes/no question, a bare number a months or age question, a bare place a
   hukou question; anything else never answers it.
Word lists are data (facts/lexicon.yaml); this module holds only the structure."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from eligibility import schema
from facts.lexicon import lexicon
from facts.quantities import NUM, Duration, chinese_to_number, is_numeral_range, parse_duration, youngest_age
from facts.text import normalize_text

_SPLIT = re.compile(r"[，,。；;！!？?、\s~～…/／|]+")   # slashes: staff notes (孩子/4周岁/非宁波户籍)
_SPLIT_KEEP = re.compile(f"({_SPLIT.pattern})")
_TRAILING_QUESTION_NEGATOR = re.compile(r"(?:没有|没|不|伐)$")
_STANDALONE_TAIL = re.compile(r"^[的啊呀嘞哈呢吧了哦噢喔啦嘛]*$")


@dataclass(frozen=True)
class Reading:
    facts: dict[str, Any] = field(default_factory=dict)
    vague: dict[str, int] = field(default_factory=dict)      # path -> lower bound
    unclear: list[str] = field(default_factory=list)         # spoken of, value undecidable: ask
    noted: dict[str, Any] = field(default_factory=dict)      # not Profile facts (another scheme's months)
    acknowledgement: bool = False   # 好的 / 知道了，谢谢: accepts or thanks, answers no question of fact

    def to_json(self) -> dict[str, Any]:
        return {"facts": self.facts, "vague": sorted(self.vague), "vague_min": self.vague,
                "unclear": sorted(set(self.unclear)), "noted": self.noted,
                "acknowledgement": self.acknowledgement}


@cache
def _words(*keys: str) -> tuple[str, ...]:
    """A lexicon word list (nested keys), longest first."""
    node: Any = lexicon()
    for k in keys:
        node = node[k]
    if isinstance(node, dict):
        node = [w for ws in node.values() for w in ws]
    return tuple(sorted(node, key=len, reverse=True))


@cache
def _denied_payment() -> re.Pattern[str]:
    """Adverbs, a negator, a beneficiary and a payment verb (lexicon ``denied_payment_*``): 也没给我交."""
    def alt(*keys: str) -> str:
        return _alternation(_words(*keys))

    return re.compile(rf"^(?:{alt('negation_adverbs')})*(?:{alt('negators')})(?:{alt('beneficiary_marks')})?"
                      rf"(?:{alt('denied_payment_persons')})?(?:{alt('denied_payment_verbs')})")


@cache
def _labelled(*keys: str) -> tuple[tuple[str, str], ...]:
    """(word, label) pairs of a {label: [words]} section, longest word first."""
    node: Any = lexicon()
    for k in keys:
        node = node[k]
    return tuple(sorted(((w, label) for label, ws in node.items() for w in ws), key=lambda p: -len(p[0])))


def _find(text: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    hits = [(text.find(w), w) for w in words if w in text]
    return min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None


def _find_label(text: str, pairs: tuple[tuple[str, str], ...]) -> tuple[int, str, str] | None:
    hits = [(text.find(w), w, label) for w, label in pairs if w in text]
    return min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None


# --------------------------------------------------------------------------------------------- clauses
@dataclass
class Clause:
    text: str
    subject: str | None = None     # self | spouse | child | employer | other_person | None
    carried: str | None = None     # the subject before this clause
    negated: bool = False
    unknown: bool = False
    question: bool = False
    persons: tuple | None = field(default=None, repr=False, compare=False)   # subject_at's cache
    cleft: bool = False            # 是老婆单位给她交的 after a figure: whose payment the clause before is, no more
    supposed: bool = False         # 如果孩子没有居住证: a supposition, stating nothing even when negated
    referent: str | None = None    # whom a 他/她 in it names when no one else is (我医保40个月她18个月: the spouse)


def negated_at(c: Clause, pos: int, length: int, after_too: bool = True) -> bool:
    """Whether the word at `pos` is in a negator's scope: a negator up to 6 characters before it (没有房子,
    不在宁波工作, 未考技能等级) or right after it with nothing else (居住证没办, 宁波没有)."""
    masked = _masked(c.text, _words("not_negation"))
    if c.question:
        masked = _TRAILING_QUESTION_NEGATOR.sub("", masked)
    before = masked[max(0, pos - 8):pos]
    after = _strip_adverbs(masked[pos + length:pos + length + 10])
    filler = next((w for w in _words("topic_fillers") if after.startswith(w)), "")
    after = _without_speaker(after[len(filler):])   # 房子我们没有 / 居住证我还没办 / 职称这东西我没有: the topic, who,
    # then the negator
    such = next((w for w in _words("and_such") if after.startswith(w)), "")
    after = _strip_adverbs(after[len(such):]) if such else after   # 五险啥的压根没买: the topic "and such"
    place = _topic_place().match(after)
    if place and after[place.end():].startswith(_words("negators")):
        after = after[place.end():]   # 房子宁波没有 / 房子在宁波还没有: the topic, where, then the negator
    negators = _words("negators")
    if not after.startswith(negators) and any(after.startswith(w) for w in _words("yes_words") if len(w) > 1):
        return False   # 户口不在宁波居住证办了: the word's own predicate (办了) says yes; the 不 was the 户口's
    if any(n in before for n in negators):
        cut, n = max((before.rfind(n) + len(n), n) for n in negators if n in before)
        between = _without_beneficiary(before[cut:])   # 单位没给我交五险: 给我 is for whom, the 没 still covers 交
        if not re.search("[，,]", between) and _find(between, tuple(w for w, _ in _labelled("subjects"))) is None \
                and not _new_predicate().search(between) and _find(between, _words("still_predicates")) is None \
                and not _object_done().search(between):   # 没有房子外地户口: the negator's object ends before the word
            # (户口没迁过来还在江西: 还在 states what still is; the 没 was the move's)
            # 不是没房子 / 并非没有: a negated negation affirms
            return not before[:cut - len(n)].endswith(negators)
    negator = next((n for n in sorted(negators, key=len, reverse=True) if after.startswith(n)), None)
    if negator and after[len(negator):].startswith(_statement_words()):
        return False   # 户口老家没居住证: the negator's object follows it; the 没 is the 居住证's
    return after_too and negator is not None


@cache
def _topic_place() -> re.Pattern[str]:
    """A Ningbo place (after 在) between a topic and its negator (房子宁波没有 / 房子在宁波还没有)."""
    return re.compile(rf"(?:{_alternation(_words('hukou_place_leads'))})?(?:{_alternation(_words('ningbo_places'))})")


@cache
def _hukou_lead() -> re.Pattern[str]:
    """What may stand between a hukou word and the place it names (户口是 / 户口还在 / 户籍：)."""
    leads = _words("together_copulas") + _words("hukou_place_leads") + _words("field_value_marks") + \
        _words("negation_adverbs") + _words("still_predicates")
    return re.compile(rf"(?:{_alternation(leads)})*")


@cache
def _object_done() -> re.Pattern[str]:
    """没有房子|外地户口: the text between a negator and a word ends with a statement word of its own (房子, 居住证),
    the negator's whole object: the word after it is out of its scope."""
    return re.compile(rf"(?:{_alternation(_statement_words())})(?:{_alternation(_words('object_suffixes'))})?$")


@cache
def _new_predicate() -> re.Pattern[str]:
    """没房是环卫一线 / 没房子有居住证: the negator's own object (a statement word), then a new predicate
    (lexicon ``predicate_starts``): the negation ends with its object."""
    choices = tuple(w for _, section in _CHOICE_SECTIONS for w, _ in _labelled(section))   # 不是低保是建档立卡
    objects = "|".join(sorted(map(re.escape, _statement_words() + choices), key=len, reverse=True))
    suffixes = "|".join(map(re.escape, _words("object_suffixes")))
    places = _alternation(_words("hukou_elsewhere") + _words("provinces") + _words("ningbo_places"))   # 没有房子外地户口
    return re.compile(rf"(?:{objects})(?:{suffixes})?(?:{'|'.join(_words('predicate_starts'))}|{places})")


def _without_beneficiary(text: str) -> str:
    """给我 / 帮他 / 替员工 (lexicon ``beneficiary_marks`` + a subject word) taken out: the person it is done for."""
    return _beneficiary_pattern().sub("", text)


@cache
def _beneficiary_pattern() -> re.Pattern[str]:
    marks = "|".join(_words("beneficiary_marks"))
    people = "|".join([w for w, _ in _labelled("subjects")] + list(_words("pronouns")))
    return re.compile(rf"(?:{marks})(?:{people})")


def _without_speaker(text: str) -> str:
    """我们还没有 → 没有: the worker or the enterprise named between a topic and its negator (房子我们家没有)."""
    speaker = next((w for w in _words("subjects", "self") + _words("subjects", "employer") if text.startswith(w)), "")
    if not speaker or len(text) == len(speaker):
        return text
    rest = text[len(speaker):]
    rest = rest[len(next((m for m in _words("speaker_marks") if rest.startswith(m)), "")):]
    return _strip_adverbs(rest)


def _bare_negation(text: str) -> bool:
    """我们还没有 / 没得 / 我们没有申报下来: who, then a negator, and no fact word of its own — an answer to
    the clause before (没证 alone states its own fact)."""
    text = _strip_adverbs(text)
    rest = _without_speaker(text)
    if rest == text:
        return False
    negator = next((n for n in _words("negators") if rest.startswith(n)), None)
    return negator is not None and _find(rest, _statement_words()) is None


@cache
def _statement_words() -> tuple[str, ...]:
    return tuple(w for st in lexicon()["statements"] for w in st["words"])


def _strip_adverbs(text: str) -> str:
    """居住证也还没办 / 医保肯定没有: the adverbs between a word and the negator that follows it."""
    adverbs = _words("negation_adverbs") + tuple(lexicon()["field_value_marks"])   # 住房：无 (staff forms)
    while (hit := next((a for a in adverbs if text.startswith(a)), None)) is not None:
        text = text[len(hit):]
    return text


def _masked(text: str, words: tuple[str, ...]) -> str:
    return _masked_cached(text, tuple(words))


@lru_cache(maxsize=32768)
def _masked_cached(text: str, words: tuple[str, ...]) -> str:
    """The text with each of the words (in their order) replaced by as many # (a clause is masked by several readers)."""
    for w in words:
        if w in text:
            text = text.replace(w, "#" * len(w))
    return text


def _alternation(words) -> str:
    """A regex alternation of the words, longest first."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _assertions_masked(text: str, said_on: bool) -> str:
    """``text`` with the assertive particles (嘛) masked where more words follow them (at its end only if the
    message goes on without a question mark: ``said_on``), but not inside a question word (干嘛)."""
    particles = _words("assertive_particles")
    if not any(p in text for p in particles):
        return text
    keep = _masked(text, tuple(w for w in _words("question_marks") if len(w) > 1))
    return "".join("#" if any(keep.startswith(p, i) and (said_on or not _STANDALONE_TAIL.match(text[i + len(p):]))
                              for p in particles) else ch for i, ch in enumerate(text))


def _cut(piece: str, words: tuple[str, ...], min_gap: int = 2) -> list[str]:
    out, start = [], 0
    inside = "".join(lexicon()["not_a_cut_after"])
    word_end = 0
    covered = _uncut_mask(piece)
    for m in _starts_of(words).finditer(piece):   # every place one of the words starts
        i = m.start()
        if i < word_end:
            continue   # inside a longer word found before: 能不能 is not cut again at its second 能
        word_end = i + len(m[1])
        if i == 0 or piece[i - 1] in inside or covered[i]:
            continue   # 技能 / 功能 / 可以: the word goes on; 到现在: inside a word the reader knows
        if i - start >= min_gap:
            out.append(piece[start:i])
            start = i
    return out + [piece[start:]]


def _uncut_mask(piece: str) -> list[bool]:
    """True at each position strictly inside an adverb the reader skips (lexicon ``negation_adverbs``: 到现在,
    到目前为止 …): a clause break or question word there is part of it (居住证到现在还没办)."""
    mask = [False] * (len(piece) + 1)
    for m in _starts_of(_words("negation_adverbs")).finditer(piece):
        for j in range(m.start() + 1, m.start() + len(m[1])):
            mask[j] = True
    return mask


@lru_cache(maxsize=64)
def _starts_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching (empty) where any of the words starts, overlapping starts included; group 1 is the
    longest word that starts there."""
    return re.compile("(?=(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + "))")


def _subject_cuts(piece: str) -> list[str]:
    """Run-on text changes person without a comma (老公医保交了8个月我交了5个月, 宁波户口孩子不是): cut before a
    person word that names someone else than the last one named in the piece so far."""
    out, start, current = [], 0, _person_at(piece, 0)
    first = _starting_person_word(piece, 0)   # 老二不是老二三岁: the piece's own person said again starts a clause
    i = 1
    while i < len(piece):
        hit = _person_at(piece, i)
        if (hit and hit != current or first and piece.startswith(first, i)) and i - start >= 3 \
                and not _joined(piece[start:i]) and not piece[start:i].endswith(_words("topic_fillers")):
            # (职称这东西我没有: a topic and a filler, then who says of it: one clause)
            out.append(piece[start:i])
            start = i
            first = _starting_person_word(piece, i)
        if hit:
            current = hit
            i += 1
        i += 1
    return out + [piece[start:]]


def _starting_person_word(piece: str, i: int) -> str | None:
    """The person word (two characters or more) a piece starts with at ``i``, if any."""
    word = next((w for w, _ in _subjects_by_first().get(piece[i:i + 1], ()) if piece.startswith(w, i)), None)
    return word if word and len(word) >= 2 else None


def _figure_scheme_cuts(piece: str) -> list[str]:
    """Run-on text names a scheme right after another scheme's figure (老公社保两年医保没交, 社保五年医保三年):
    cut there, so each scheme's clause keeps its own figure or negation. A date (2024年医保) is no figure."""
    schemes = _words("schemes", "employee_medical") + _words("schemes", "social")
    if len(_scheme_words(piece)) < 2:
        return [piece]
    out, start = [], 0
    for d in _durations(piece, date.today()):
        end = d.span[1]
        if end - start >= 3 and piece.startswith(schemes, end) and not _start_date(piece[d.span[0]:end]) \
                and _scheme(piece[start:end]) is not None:
            out.append(piece[start:end])
            start = end
    return out + [piece[start:]]


def _joined(before: str) -> bool:
    """我和我老公 / 我跟孩子: the next person is joined to the one before (one subject of two), no new clause."""
    selves = tuple(w for w, label in _labelled("subjects") if label == "self") + _words("pronouns")
    if before.endswith("的") and any(before[:-1].endswith(w) for w in selves):
        return True   # 员工的爱人: one person named through another
    before = before[:-len(w)] if (w := next((w for w in selves if before.endswith(w)), "")) else before
    before = before[:-len(w)] if (w := next((w for w in _words("together_possessives") if before.endswith(w)), "")) \
        else before   # 来电人与其丈夫
    return before.endswith(_words("together_words"))


@cache
def _terms() -> tuple[str, ...]:
    """Longer words that contain a person word (职工医保, 环卫工人, 孩子他爸 is a person itself)."""
    statements = [w for st in lexicon()["statements"] for w in st["words"]]
    return tuple(w for w in _words("schemes") + tuple(w for w, _ in _labelled("occupation")) + tuple(statements)
                 if len(w) > 1)   # 房 does not hide 房东


@lru_cache(maxsize=4096)
def _covered_mask(text: str) -> tuple[bool, ...]:
    mask = [False] * len(text)
    for w in _terms():
        at = text.find(w)
        while at != -1:
            for k in range(at, at + len(w)):
                mask[k] = True
            at = text.find(w, at + 1)
    return tuple(mask)


@lru_cache(maxsize=4096)
def _persons(text: str) -> tuple[str | None, ...]:
    """The person word starting at each position of a text (None where none does), computed once per text; a
    position inside a person word found before names nobody (the 爸爸 of 孩子爸爸, the 老公 of 我老公 is found
    by its own rule)."""
    out: list[str | None] = []
    inside_until = 0
    for i in range(len(text)):
        label = _person_at_raw(text, i) if i >= inside_until else None
        out.append(label)
        if label:
            word = next((w for w, _ in _subjects_by_first().get(text[i], ()) if text.startswith(w, i)), "")
            inside_until = max(inside_until, i + len(word))
    return tuple(out)


def _person_at(text: str, i: int) -> str | None:
    label = _persons(text)[i] if 0 <= i < len(text) else None
    return _role(label) if label else None


def _role(label: str) -> str:
    """Who a person word's label is in this message: lexicon ``generations`` maps the labels of 儿子 / 孙子 /
    儿媳 to the profile's people, and the person asked for (proxy) is the worker; a child named one by one
    (老大, 小女儿) is the child unless another one is the child asked about."""
    labels = _LABELS.get() or lexicon()["generations"]["default"]
    if label.startswith("named_child:"):
        return labels.get(label, "child")
    return labels.get(label, label)


# Whose facts the message gives when the caller asks for someone else (来电人代其丈夫咨询 / 我弟托我问): that
# person is the profile's worker (self) and the caller becomes who they are to them. Set by read() per message.
_ROLES: ContextVar[dict[str, str] | None] = ContextVar("roles", default=None)
# Every label's person in this message (the generations and the proxy together). Set by read() per message.
_LABELS: ContextVar[dict[str, str] | None] = ContextVar("labels", default=None)
# The person the question just asked is about (spouse_employee_medical_months: the spouse; children.*: the child):
# a 他 / 她 in the reply with nobody else named is that person. Set by read() per message.
_ASKED_PERSON: ContextVar[str | None] = ContextVar("asked_person", default=None)


@cache
def _people_pattern() -> tuple[dict[str, str], re.Pattern[str]]:
    """The spouse and other-person words with their labels, and a pattern finding each where it starts."""
    labels = {w: lab for w, lab in _labelled("subjects") if lab in ("spouse", "other_person", "child_in_law")}
    return labels, re.compile("(?=(" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + "))")


def _principal(text: str) -> str | None:
    """The person a message asks for (lexicon `proxy`): a proxy word before a person (代其丈夫, 帮我老婆, 替我哥)
    or a person before an asking word (我弟托我问, 老公让我咨询) — spouse or other_person; None: the caller's own."""
    spec = lexicon()["proxy"]
    labels, pattern = _people_pattern()
    # every person word itself (帮 / 替 before it make it an object for the subject finder, not here)
    for m in pattern.finditer(text):
        i, word = m.start(), m.group(1)
        label = labels[word]
        before = text[:i].rstrip("".join(spec["fillers"]))
        if label in ("other_person", "child_in_law") and before.endswith(tuple(spec["asked_before_person"])) \
                and text.count(word) > 1:   # (咨询其儿媳参保问题，其儿媳…: the daughter-in-law is the worker)
            return label   # 咨询其父环卫住房，其父在海曙…: a parent or sibling asked about, their facts given (named
            # twice): they have no place in the profile but as its worker (a spouse or child has theirs)
        end = i + len(word)
        rest = text[end:]
        after = next((w for w in spec["after_person"] if rest.startswith(w)), None)
        if after is not None:
            rest = rest[len(after):]
        elif not before.endswith(tuple(spec["before_person"])):
            continue
        if _find(rest[:4], tuple(spec["ask_words"])) is not None:   # 帮我老婆问 (not 帮我老婆带孩子)
            return label
    return None


@cache
def _person_starts() -> frozenset[str]:
    """The first characters of every word _person_at_raw looks for: any other position starts no person."""
    words = [w for w, _ in _labelled("subjects")] + list(_words("pronouns")) + list(_words("child_shorthand")) \
        + list(_words("spouse_shorthand"))
    return frozenset(w[0] for w in words)


def _person_at_raw(text: str, i: int) -> str | None:
    if i >= len(text) or text[i] not in _person_starts() or _covered_mask(text)[i]:
        return None   # 职工 in 职工医保, 工人 in 环卫工人
    if any(text.startswith(p, i) for p in _words("pronouns")) and not any(
            text.startswith(w, i) for w, _ in _labelled("subjects")):   # 他爸 is a person word of its own
        nxt = _person_at_raw(text, i + 1)
        return nxt if nxt and nxt != "self" else None   # 他老婆: the spouse of whoever 他 is
    if any(text.startswith(w, i) for w in _words("child_shorthand")) and (
            re.match(r"[0-9一二三四五六七八九十]", text[i + 1:i + 2]) or text.startswith(_words("child_shorthand_fields"), i + 1)) \
            and (i == 0 or not "\u4e00" <= text[i - 1] <= "\u9fff" or text[i - 1] in "".join(_words("child_shorthand_after"))):
        return "child"   # staff shorthand 子3岁 / 其女4岁 / 子户籍：甘肃 / 子无居住证 / 育有一子2周岁
    if any(text.startswith(w, i) for w in _words("spouse_shorthand")) and not _covered_mask(text)[i] \
            and (i == 0 or text[i - 1] in "人其") and text[i + 1:i + 2] not in ("", *_words("spouse_shorthand"), "人", "子"):
        return "spouse"   # staff shorthand 来电人妻：… / 夫缴12个月 (not 夫妻, 妻子 is a word of its own)
    for word, label in _subjects_by_first().get(text[i], ()):
        if text.startswith(word, i):
            if i > 0 and text[i - 1] in "".join(_words("object_markers")):
                return None
            if label != "self" and text[:i].endswith(_words("negators")):
                return None   # 未婚无子女 / 没孩子: nobody the next words are about
            if label == "self":
                after = i + len(word)
                mark = next((m for m in _words("speaker_marks") + _words("possessive_marks") if text.startswith(m, after)), "")
                if _person_at_raw(text, after) not in (None, "self"):
                    mark = ""   # 员工家属: 家 begins the person word, no mark
                after += len(mark)   # 我的老公 / 来电人之子 / 俺家孩儿 / 我们孩子: the other person
                nxt = _person_at_raw(text, after)   # 我老公 / 员工的爱人: the other person
                return nxt if nxt and nxt != "self" else label
            if label == "named_child":
                return f"named_child:{word}"   # 老大 / 小女儿: which child, its person decided per message (_labels)
            if label == "employer" and word in _words("bare_employer_words") and i > 0 \
                    and "\u4e00" <= text[i - 1] <= "\u9fff" and not text[:i].endswith(_words("own_employer_marks")):
                return None   # 公交公司驾驶员 / 别的公司: a workplace, not the HR person's own enterprise
            return label
    return None


@cache
def _person_word_list() -> tuple[str, ...]:
    """Every subject word, longest first: 咨询人 names a person, its 咨询 asks nothing."""
    return tuple(sorted({w for w, _ in _labelled("subjects")}, key=len, reverse=True))


@cache
def _subjects_by_first() -> dict[str, tuple[tuple[str, str], ...]]:
    """The subject words (longest first) by their first character: a position is checked against its own only."""
    out: dict[str, list[tuple[str, str]]] = {}
    for word, label in _labelled("subjects"):
        out.setdefault(word[0], []).append((word, label))
    return {ch: tuple(pairs) for ch, pairs in out.items()}


@cache
def _proxy_pattern() -> re.Pattern[str]:
    """A question asked for someone (我先帮老杨问 / 俺哥托俺问问 / 替我哥咨询): lexicon ``proxy``."""
    proxy = lexicon()["proxy"]
    stems = {re.sub(rf"(?:{_alternation(proxy['fillers'] + list(_words('subjects', 'self')))})$", "", w)
             for w in proxy["after_person"]}   # 托我 / 托来电人 -> 托
    asks = _alternation(proxy["ask_words"])
    return re.compile(rf"(?:{_alternation(proxy['before_person'])}).{{1,6}}?(?:{asks})"
                      rf"|(?:{_alternation(stems)})(?:{_alternation(proxy['fillers'])})?.{{0,2}}(?:{asks})")


def split_clauses(text: str) -> list[Clause]:
    pieces: list[str] = []
    asking: set[int] = set()   # the pieces a cut before a question word began (社保啥时候|能交): the question part
    said_on: set[int] = set()  # the pieces more words follow without a question mark: a 嘛 there asserts
    split = [p for p in _SPLIT_KEEP.split(text)]
    for at in range(0, len(split), 2):
        piece = split[at]
        if not piece:
            continue
        more = any(split[at + 2::2]) and not set("？?") & set(split[at + 1])
        for part in _cut(piece, _words("clause_breaks")):
            for k, q in enumerate(_cut(part, _words("question_starts"))):
                if k and not q.startswith(_words("preambles") + _words("question_preambles")):
                    asking.add(len(pieces))   # (想问 / 咨询 + a statement about someone: _strip_preamble's)
                pieces += [f for sub in _subject_cuts(q) for f in _figure_scheme_cuts(sub)]
                said_on.update(range(len(pieces) - 1 if not more else len(pieces)))
    clauses, subject, person = [], None, _ASKED_PERSON.get()   # 您爱人交了多久？ “她没上班”: 她 is the one asked about
    first_person = False   # the writer spoke of themself as 我 / 俺 (not 来电人 / 员工: a note's third person)
    for_others = _proxy_pattern().search(text) is not None or _find(_masked(text, _words("schemes")), _words("employee_words") + _words("subjects", "employer") + _words("hr_words")) is not None
    for index, text_ in ((i, p) for i, p in enumerate(pieces) if p):
        c = Clause(text_, carried=subject)
        found = _subject(text_)
        if found == "pronoun":
            named = _named_by_copula(text_)   # 她是我女儿: 她 is the child
            # with no one else named, after the writer spoke of themself in the first person (我医保交了两年，她交了一年):
            # the one beside them, the spouse; in a note about 来电人 or an employee, that person
            found = named or ("self" if _ROLES.get() else person or ("spouse" if first_person else "self"))
            person = named or person
        subject = found or subject
        first_person = first_person or (found == "self" and text_.startswith(_words("first_person")) and not for_others
                                        and not text_.startswith(_words("first_person_plural")))
        if first_person and person is None:
            c.referent = "spouse"
        for i in range(len(text_)):
            named = _person_at(text_, i)
            if named and named not in ("self", "employer"):
                person = named
        if person is None and _find(text_, _words("couple_words")):
            person = "spouse"   # 我们俩都在宁波上班，…她交了十六个月: 她 is the spouse
        joined = _together(text_) - {"self", "employer"}
        if joined:
            person = next(iter(joined))   # 我跟孩子爸都在宁波打工，他医保交了20个月: 他 is the one joined to me
        tagged = re.search(r"[（(]([^）)]{1,4})[）)]$", text_)   # staff notes: 已办居住证（子） / 未缴（其妻）
        if tagged:
            inner = tagged.group(1)
            who = _person_at(inner, 0) or ("child" if inner in _words("child_shorthand")
                                            else "spouse" if inner in _words("spouse_shorthand") else None)
            if who and who != "self":
                subject = c.carried = who
        c.subject = subject
        asked_part = _masked(_strip_preamble(text_), _words("not_question"))   # 请问一下我在宁波开公交车开了十一年了: a
        # statement after 请问; 社保啥的: "and such", no question
        lead = next((w for w in _words("preambles") + _words("question_preambles") + _words("question_starts")
                     if text_.startswith(w) and text_[len(w):len(w) + 1] in ("：", ":")), None)
        if lead:
            asked_part = asked_part[len(lead) + 1:]   # 咨询：他是外地户口: what is said after the colon
        asked_part = _assertions_masked(asked_part, index in said_on)   # 我是外地户口嘛然后…, 交了十八个月嘛，娃儿…: the
        # assertive particle, asking nothing
        c.question = _find(asked_part, _words("question_marks")) is not None \
            and _find(_masked(asked_part, _person_word_list()), _words("question_marks")) is not None \
            or any(text_.startswith(w) for w in _words("hypothetical")) or index in asking \
            or (len(text_) > 2 and text_[-1] in "".join(lexicon()["question_tails"])   # 能交医保不
                and not text_.endswith(tuple(n for n in _words("negators") if len(n) > 1)))   # 居住证还没 / 呒没
        if c.question and _universal_none(asked_part):
            c.question = False   # 啥证书都没有 / 什么等级也没考过: none at all, no question
        masked = _masked(text_, _words("not_negation"))
        if c.question:
            masked = _TRAILING_QUESTION_NEGATOR.sub("", masked)  # 有啥优惠没 / 可以伐: a question particle
        c.negated = _find(masked, _words("negators")) is not None
        c.unknown = _find(text_, _words("unknown")) is not None
        c.supposed = text_.startswith(_words("hypothetical"))
        clauses.append(c)
    _cleft_payers(clauses)
    return clauses


def _universal_none(text: str) -> bool:
    """A question word, then 都/也 and a negator (lexicon ``universal_none``), with no other question mark:
    啥证书都没有 / 什么保险都没交过 say none at all."""
    m = _universal_none_pattern().search(text)
    if m is None:
        return False
    rest = text[:m.start()] + text[m.end():]
    return _find(rest, _words("question_marks")) is None and not rest.endswith(tuple(lexicon()["question_tails"]))


def _named_by_copula(text: str) -> str | None:
    """他是我儿子 / 她是我们员工的老婆: a pronoun, 是 and a person word name who the pronoun is."""
    pronoun = next((p for p in _words("pronouns") if text.startswith(p)), None)
    if pronoun is None or not text.startswith("是", len(pronoun)):
        return None
    who = _person_at(text, len(pronoun) + 1)
    return who if who not in (None, "self") else None


def _cleft_payers(clauses: list[Clause]) -> None:
    """医保交了14个月，是老婆单位给她交的 / 交了十九个月的那个不是我，是我老公: a clause 是 + a person (+ what) + a
    payment's end (lexicon ``cleft_ends``) after a clause that names nobody else says whose payment that was."""
    for before, c in zip(clauses, clauses[1:], strict=False):
        rest = c.text[len(next((w for w in _words("denied_figure") if c.text.startswith(w)), "")):]   # 不是我，是…
        if not rest.startswith("是") or not (rest.endswith(_words("cleft_ends")) or len(rest) <= 5):
            continue
        who = _person_at(rest, 1)
        if who in (None, "self", "employer") or any(_person_at(before.text, i) not in (None, "self")
                                                    for i in range(len(before.text))):
            continue
        if any(_person_at(before.text, i) == "self" for i in range(len(before.text))) \
                and _find(before.text, _words("denied_figure")) is None:
            continue   # 我交了14个月，是老婆单位…: the speaker named their own
        before.subject = before.carried = who
        before.persons = None
        c.cleft = True


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where each clause of ``split_clauses`` is in ``text`` (already normalised), left to right: the NLU
    reads a message cut the same way (bot/nlu/segmenter.py)."""
    spans, at = [], 0
    for c in split_clauses(text):
        start = text.find(c.text, at)
        if start < 0:
            return []
        spans.append((start, start + len(c.text)))
        at = start + len(c.text)
    return spans


def clause_questions(text: str) -> list[tuple[str, bool]]:
    """Each clause of ``split_clauses`` (``text`` already normalised) with whether it asks something (a question
    word or tail: 吗, 咋整, 能交医保不), cut again before a word that starts another question (还有, 另外:
    lexicon ``question_joins``; what comes before it ends a question): the NLU finds several questions in
    one message with it."""
    joins = _words("question_joins")
    out: list[tuple[str, bool]] = []
    openers = _words("preambles")
    starts = _words("question_starts")
    for c in split_clauses(text):
        # alone, 想问 opens a question (孩子在宁波上学 想问 能不能交医保); 有没有 ends one after what it asks about
        # (打零工的地方 有没有: what precedes is not yet asked)
        closes = c.text in starts and c.text not in openers and bool(out) and not out[-1][1]
        rest, asks = c.text, bool(c.question) and (c.text not in starts + openers or closes)
        if out and rest.startswith(joins):
            out[-1] = (out[-1][0], True)
        while (hit := _find(rest[1:], joins)) is not None:
            at = hit[0] + 1
            out.append((rest[:at], True))
            rest = rest[at:]
        out.append((rest, asks))
    return out


def list_items(clauses: list[str]) -> list[str]:
    """The topics of a question that lists them (孩子上学 医保 落户 三个都想问 → 孩子上学, 医保, 落户; ``clauses``:
    one question unit's clauses, normalised), or [] when it is no list: the list marker (都, 分别) must come
    near the end (lexicon ``question_lists``), so 我和老婆都在宁波上班 能交医保吗 lists nothing."""
    conf = lexicon()["question_lists"]
    text = "".join(clauses)
    tail = max((text.rfind(m) for m in conf["markers"]), default=-1)
    if tail <= 0 or len(text) - tail > conf["tail_chars"]:
        return []
    items, at = [], 0
    joins = tuple(sorted(conf["item_joins"], key=len, reverse=True))
    for clause in clauses:
        part = clause[:max(0, tail - at)]
        at += len(clause)
        for item in _cut(part, joins) if part else []:
            item = item[len(next((j for j in joins if item.startswith(j)), "")):]
            if item:
                items.append(item)
    return items if len(items) >= 2 else []


def _strip_preamble(text: str) -> str:
    """A clause without the greeting or 请问 it starts with (what follows may still ask: 请问能交吗)."""
    rest = text
    while (hit := next((w for w in _words("preambles") if rest.startswith(w)), None)) is not None:
        rest = rest[len(hit):]
    # only before a statement about someone (请问一下我在宁波…); 想问住房保障 still asks about 住房
    return rest if rest != text and _person_at(rest, 0) else text


def _subject(text: str) -> str | None:
    for i in range(len(text)):
        hit = _person_at(text, i)
        if hit:
            return hit
        if any(text.startswith(p, i) for p in _words("pronouns")):
            return "pronoun"
    return None


def _pronoun_referent(c: Clause) -> str | None:
    if _ROLES.get():
        return "self"   # 我弟托我问，他在北仑上班: 他 is the one asked for
    if c.referent:
        return c.referent
    return c.subject if c.subject not in (None, "self") else c.carried if c.carried not in (None,) else None


def adult_subject_at(c: Clause, pos: int) -> str | None:
    """subject_at for what only an adult does (pays, works, owns): a child carried from an earlier clause
    is not who pays in this one (孩子3岁，医保交了14个月)."""
    subject = subject_at(c, pos)
    if subject == "child" and not any(_person_at(c.text, i) == "child" for i in range(pos)):
        return None
    return subject


def subjects_at(c: Clause, pos: int) -> set[str | None]:
    """Everyone a statement at `pos` is about: 我和我老公都在宁波上班 is about both, else the one subject_at."""
    together = _together(c.text[:pos])
    return together if together else {adult_subject_at(c, pos)}


def subject_at(c: Clause, pos: int) -> str | None:
    """The subject of what is said at `pos`: the last person named before it in the clause, else the carried one."""
    key = (c.text, _pronoun_referent(c))
    if c.persons is None or c.persons[0] != key:
        c.persons = (key, _last_person_before(*key))   # once per clause: a long message costs no rescans
    last = c.persons[1]
    return last[min(max(pos, 0), len(last) - 1)] or c.carried


def _last_person_before(text: str, referent: str | None) -> tuple[str | None, ...]:
    """For each position of a clause (and its end), the last person named before it (a pronoun: ``referent``)."""
    out: list[str | None] = []
    last = None
    for i in range(len(text) + 1):
        out.append(last)
        if i == len(text):
            break
        hit = _person_at(text, i)
        if hit:
            last = hit
        elif any(text.startswith(p, i) for p in _words("pronouns")) and not _person_at(text, i + 1):
            last = referent or last
    return tuple(out)


# -------------------------------------------------------------------------------------------- reading
_MONTH_PATHS = {"social_insurance_months", "employee_medical_months", "spouse_employee_medical_months",
                "work_months"}
_ASKED_SCHEME = {"employee_medical_months": "employee_medical", "spouse_employee_medical_months": "employee_medical",
                 "social_insurance_months": "social"}


def read(text: str, asked: str | None = None, today: date | None = None) -> Reading:
    """The facts one message states (Profile field paths of docs/contracts.md, plus ``work_months``)."""
    t = normalize_text(text or "")
    today = today or date.today()
    principal = _principal(t)
    token = _ROLES.set({principal: "self", "self": principal} if principal else {})
    labels_token = _LABELS.set(_labels(t, principal))
    person = "spouse" if (asked or "").startswith("spouse_") else "child" if (asked or "").startswith("children.") else None
    asked_token = _ASKED_PERSON.set(person)
    try:
        return _read(t, asked, today)
    finally:
        _ASKED_PERSON.reset(asked_token)
        _LABELS.reset(labels_token)
        _ROLES.reset(token)


def _labels(text: str, principal: str | None) -> dict[str, str]:
    """The person of each label (lexicon ``generations``): a grandparent or a parent-in-law speaking (a
    grandchild or a child-in-law named, or the speaker called 孩子奶奶) makes their son or daughter the worker,
    the child-in-law the spouse and the grandchild the child; the person asked for (帮我老婆问, 替我女婿问) is
    the worker, and the caller who they are to them."""
    spec = lexicon()["generations"]
    labels = dict(spec["default"])
    selves = tuple(w for w, label in _labelled("subjects") if label == "self")
    speaker = any(text.find(w) > 0 and text[:text.find(w)].endswith(tuple(s + m for s in selves for m in spec["speaker_is"]))
                  for w in spec["grandparent_speakers"])
    if speaker or _find(text, tuple(w for w, label in _labelled("subjects") if label in ("grandchild", "child_in_law"))):
        labels.update(spec["grandparent"])
        if principal == "child_in_law":
            labels.update(spec["asked_for_child_in_law"])
            return labels
    if principal:
        labels.update({principal: "self", "self": principal})
    labels.update(_children_focus(text))
    return labels


def _children_focus(text: str) -> dict[str, str]:
    """Two or more children named one by one (老大 / 老二, 大儿子 / 小女儿) and one of them asked about (想问老二,
    想先给小女儿交医保, 问的是老大): that one is the child of the profile, the others are no one's (lexicon
    ``children_focus``)."""
    named, marked = _children_focus_patterns()
    said = {m.group() for m in named.finditer(text)}
    if len(said) < 2:
        return {}
    focus = [m.group(1) for m in marked.finditer(text)]
    if not focus:
        return {}
    return {f"named_child:{w}": "child" if w == focus[-1] else "other_person" for w in said}


@cache
def _children_focus_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    named = _alternation(_words("subjects", "named_child"))
    return re.compile(named), re.compile(rf"(?:{_alternation(lexicon()['children_focus']['marks'])})({named})")


def _read(t: str, asked: str | None, today: date) -> Reading:
    facts: dict[str, Any] = {}
    vague: dict[str, int] = {}
    unclear: list[str] = []
    noted: dict[str, Any] = {}
    clauses = split_clauses(t)

    _read_months(clauses, asked, today, facts, vague, unclear, noted)
    _read_statements(clauses, asked, facts)
    _read_growth(t, facts, vague)
    _read_headcount(t, clauses, asked, facts, vague)
    _read_ratings(clauses, asked, facts)
    _read_hukou(clauses, asked, facts)
    _read_choices(t, clauses, facts)
    _read_bare_level(clauses, asked, facts)
    _read_age(t, clauses, asked, today, facts, vague)
    _read_works_in_ningbo(clauses, asked, facts)
    _several_people(t, clauses, facts)
    acknowledgement = not facts and is_acknowledgement(t)   # 嗯，知道啦: 嗯 is no yes here
    if asked and asked not in facts and asked not in vague and not acknowledgement:
        _read_reply(t, asked, facts, clauses)
    for p in list(vague):
        facts.pop(p, None)
    return Reading(facts, vague, unclear, noted, acknowledgement=acknowledgement)


@cache
def _universal_none_pattern() -> re.Pattern[str]:
    spec = lexicon()["universal_none"]
    return re.compile(rf"(?:{_alternation(spec['words'])})[^，,。？?]{{0,6}}?(?:{_alternation(spec['all'])})"
                      rf"(?:{_alternation(spec['adverbs'])})?(?:{_alternation(_words('negators'))})")


@cache
def _several_patterns() -> tuple[re.Pattern[str], re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """_several_people's patterns, built once: a count of people, a people noun, each pair named in turn."""
    spec = lexicon()["several"]
    nouns, units = _alternation(spec["nouns"]), _alternation(lexicon()["headcounts"]["units"])
    return (re.compile(rf"({NUM})\s*(?:{units})(?:{nouns})|(?:{nouns})\s*({NUM})\s*(?:{units})"), re.compile(nouns),
            tuple(re.compile(rf"{re.escape(a)}[^，,。；;]{{1,12}}[，,；;\s]?{re.escape(b)}") for a, b in spec["each_pairs"]))


def _several_people(t: str, clauses, facts) -> None:
    """An HR person or a school speaking of several people at once (我们这边有三个员工：小刘…小孙…, 员工3人：甲…乙…,
    有两个学生…一个低保一个不是: lexicon ``several``) gives each one's figures and levels, none of them the one
    profile's: those are dropped, even a level said of all (都是高级工: the profile is one person's, the bot asks
    whom it is about); a hukou and the enterprise's facts stay."""
    count, nouns, pairs = _several_patterns()
    t = _masked(t, _words("schemes"))   # the 职工 of 职工医保 counts nobody
    counted = any((n := chinese_to_number(m.group(1) or m.group(2))) is not None and n >= 2 for m in count.finditer(t))
    enumerated = nouns.search(t) is not None and any(   # of people the nouns name (一个八岁一个四岁: children)
        pair.search(t) for pair in pairs)
    if counted or enumerated:
        for path in lexicon()["several"]["personal"]:
            facts.pop(path, None)


def is_acknowledgement(text: str) -> bool:
    """A message made only of acknowledgement words (lexicon `acknowledgements`: 好的, 行, 知道了, 谢谢) and
    fillers (嗯, 哦, 那): it accepts or thanks and answers no question of fact. 嗯 alone is a yes, not this."""
    rest = re.sub(r"[\s，,。.！!～~…、；;：:]+", "", normalize_text(text or "").lower())
    words, fillers, seen = _words("acknowledgements"), _words("acknowledgement_fillers"), False
    while rest:
        hit = next((w for w in words if rest.startswith(w)), None)
        if hit is None:
            hit = next((w for w in fillers if rest.startswith(w)), None)
            if hit is None:
                return False
        else:
            seen = True
        rest = rest[len(hit):]
    return seen


@lru_cache(maxsize=8192)
def _scheme_words(text: str) -> list[tuple[str, str]]:
    """(word, scheme) of every scheme word in a text, left to right, the longest at each place: the 医保 of
    居民医保 is part of it, no second word."""
    labels, pattern = _scheme_pattern()
    return [(m.group(), labels[m.group()]) for m in pattern.finditer(text)]


@cache
def _scheme_pattern() -> tuple[dict[str, str], re.Pattern[str]]:
    """The scheme words as one alternation, longest first (left to right, the longest at each place)."""
    pairs = _labelled("schemes")
    return dict(pairs), re.compile(_alternation([w for w, _ in pairs]))


def _scheme(text: str) -> str | None:
    """The scheme a text names; 医保交的是居民医保: the generic 医保 gives way to the scheme named."""
    hits = _scheme_words(text)
    generic = _words("generic_scheme_words")
    named = [label for w, label in hits if w not in generic]
    if hits and hits[0][0] in generic:
        return named[0] if named else hits[0][1]
    return hits[0][1] if hits else None


def _denied_scheme(text: str) -> bool:
    """不是居民医保 / 并非新农合: the clause denies the scheme it names (which one was paid, the rest says)."""
    hits = _scheme_words(text)
    if len(hits) != 1:
        return False
    before = text[:text.find(hits[0][0])]
    return before.endswith(_words("denied_figure")) or _strip_trailing_adverbs(before).endswith(_words("denied_figure"))


def _schemes_named(text: str) -> list[str]:
    """Every scheme a text names, left to right (社保、医保均尚未缴纳)."""
    return list(dict.fromkeys(label for _, label in _scheme_words(text)))


def scheme_of(text: str) -> str | None:
    """The insurance scheme a message names (lexicon `schemes`: employee_medical, social, resident_medical,
    other), e.g. the answer to “您说的十个月是社保还是职工医保？”; None when it names none."""
    return _scheme(normalize_text(text or ""))


@lru_cache(maxsize=8192)
def _durations(text: str, today: date) -> tuple[Duration, ...]:
    """Every duration of a clause, left to right (facts.quantities finds the first one of a text)."""
    out, offset = [], 0
    while offset < len(text):
        d = parse_duration(text[offset:], today, normalised=True)
        if d is None:
            break
        out.append(d._replace(span=(d.span[0] + offset, d.span[1] + offset)))
        offset += d.span[1]
    bare = re.compile(rf"(?:{'|'.join(_words('schemes', 'employee_medical') + _words('schemes', 'social'))})"
                      rf"\s*[：:=]?\s*({NUM})(?![0-9%\u4e00-\u9fff])")
    for m in bare.finditer(text):  # 社保36 医保36: staff shorthand, months
        if not any(d.span[0] <= m.start(1) < d.span[1] for d in out) and chinese_to_number(m.group(1)) is not None:
            out.append(Duration(int(chinese_to_number(m.group(1))), False, m.span(1)))
    return tuple(sorted(out, key=lambda d: d.span))


def _read_months(clauses, asked, today, facts, vague, unclear, noted) -> None:
    last_scheme = None
    occupations = _labelled("occupation")
    context = ""
    paid: list[str | None] = []   # schemes said to be paid, with no figure anywhere in the message
    # the worker's trade named anywhere in the message: 我是公交司机，开了五年 is five years in that trade
    named_trades = [hit for c in clauses if (hit := _find_label(c.text, occupations)) and _is_trade(hit)
                    and not c.negated and adult_subject_at(c, hit[0]) in (None, "self")
                    and _find(c.text, _words("elsewhere")) is None]
    listed: list[str] = []   # 社保、医保均尚未缴纳: schemes listed before the clause that says it of them all
    elsewhere_before = False   # the clause before spoke of months paid in another city
    scheme_no_figure: str | None = None   # the clause before named a scheme paid and gave no figure
    work_start: Duration | None = None   # the figure of a start of work (前年5月入职): 从那时起单位就交 counts from it
    set_in: dict[str, int] = {}   # the clause each month path's figure was read in (a later correction replaces it)
    started: set[str] = set()     # the month paths read from a start date (the months since, a gap not taken off)
    for n, c in enumerate(clauses):
        if c.cleft:
            continue   # 是老婆单位给她交的: whose the figure before is (split_clauses), no payment of its own
        pending, listed = listed, ([*listed, _scheme(c.text)] if c.text in _words("schemes") else [])
        durations = _durations(c.text, today)
        if durations and len(durations) == 1 and durations[0].span[0] == 0 and context and not _denied_scheme(context) \
                and _STANDALONE_TAIL.match(c.text[durations[0].span[1]:]):   # 干环卫 7年 / 在鄞州当环卫 五年了
            c = Clause(context + c.text, c.subject, c.carried, c.negated, c.unknown, c.question)  # 干环卫 7年
            durations = _durations(c.text, today)
        context = c.text if not durations else ""
        paying = _find(c.text, _words("pay_words")) is not None
        if paying and not c.question and _only_other_schemes(c.text):
            # 单位只给我交了工伤险 / 只交了养老和工伤: those only, so no 职工医保 (社保 is paid in part: unclear)
            path = _months_path("employee_medical", adult_subject_at(c, 0), False, asked)
            if path and path not in facts and path not in vague:
                facts[path] = 0
        working = _find(_masked(c.text, _organisation_words()), _words("work_words")) is not None
        unhukou = _hukou_phrase().sub(lambda m: "#" * len(m.group()), c.text)   # 外地户籍 is a hukou, no place paid
        elsewhere = (_find(unhukou, _words("elsewhere")) is not None or _paid_elsewhere(c.text)) and not _ningbo(c.text)
        if durations and elsewhere_before and not elsewhere and not _ningbo(c.text) \
                and _scheme(c.text) in (None, last_scheme) and c.subject == c.carried:
            elsewhere = True   # 社保是在老家交的，交了十二年: the figure of the payments just placed elsewhere
        if not durations and elsewhere_before and _ningbo(c.text) and c.negated and not c.question \
                and not c.unknown and _find(c.text, _words("pay_words") + _words("work_words")) is None:
            # 在苏州交过三年医保，宁波这边还没有: none of that scheme here
            path = _months_path(last_scheme, adult_subject_at(c, 0), False, asked)
            if path and path not in facts and path not in vague:
                facts[path] = 0
            continue
        elsewhere_before = elsewhere and (_scheme(c.text) or last_scheme) is not None
        clause_scheme = _scheme(c.text) or (last_scheme if paying else None) or (
            _parallel_scheme(c, clauses[n + 1], today) if paying and durations and n + 1 < len(clauses) else None)
        last_scheme = (None if _denied_scheme(c.text) else _scheme(c.text)) or last_scheme   # 不是居民医保，十九个月
        since = _find(c.text, _words("since_then")) is not None or (
            n > 0 and _find(clauses[n - 1].text, _words("since_then")) is not None)   # 从那时起一直在 | 我们厂交医保
        before_scheme, scheme_no_figure = scheme_no_figure, (
            _scheme(c.text) if not durations and paying and _scheme(c.text) in ("employee_medical", "social")
            else scheme_no_figure if _denied_scheme(c.text) else None)   # 交的是职工医保，不是居民医保，十六个月了
        if not durations and pending and _STANDALONE_TAIL.match(
                next((c.text[len(z):] for z in _words("zero_figures") if c.text.startswith(z)), "#")):
            for scheme in pending:   # 社保 零 医保 零: a scheme alone, then its figure, zero
                path = _months_path(scheme, c.subject, False, asked)
                if path and path not in facts and path not in vague:
                    facts[path] = 0
            continue
        if not durations:
            verb = _find(c.text, _words("pay_words")) or _find(c.text, _words("work_words")) \
                or _find(c.text, _words("schemes", "employee_medical") + _words("schemes", "social"))
            scheme_before = last_scheme if _scheme(c.text) is None else None
            if verb is None and c.negated and not c.question and not c.unknown and _elliptical(c.text) \
                    and (scheme_before or asked in _MONTH_PATHS):
                # 本人9个月，爱人没有 / 医保：本人一年，其夫无 / 其夫亦无: that person has none of it
                for who in {adult_subject_at(c, len(c.text))}:
                    path = _months_path(scheme_before, who, False, asked)
                    if path and path not in facts and path not in vague:
                        facts[path] = 0
                continue
            if verb and _zero_said(c.text) and clause_scheme in ("employee_medical", "social") \
                    and not c.question and not c.unknown:
                # 医保记录为零 / 社保是0: none
                path = _months_path(clause_scheme, adult_subject_at(c, verb[0]), False, asked)
                if path and path not in facts:
                    facts[path] = 0
                continue
            if verb and negated_at(c, verb[0], len(verb[1]), after_too=verb[1] in _words("schemes", "employee_medical")
                                   + _words("schemes", "social")) and not c.question and not c.unknown \
                    and not _denied_scheme(c.text):   # 不是居民医保: which scheme, not that none was paid
                only_work = working and not paying and not clause_scheme
                if only_work and _find(c.text, _words("never_words")) is None:
                    continue   # 现不在宁波工作 / 我没上班: not working now, which says nothing of the months before
                named = pending + _schemes_named(c.text) if paying or not working else []
                if not named and paying and _universal_none(c.text) and _find(c.text, _words("any_scheme_words")):
                    named = ["social", "employee_medical"]   # 宁波这边什么保险都没交过: none of any scheme
                for scheme in named or [clause_scheme]:   # 职工医保社保都没交过: each scheme named
                    for who in subjects_at(c, verb[0]):   # 我跟我老公两个都没交: each of them
                        path = _months_path(scheme, who, only_work, asked)
                        if path is None and who == "spouse" and not only_work and _scheme(c.text) is None:
                            path = "spouse_employee_medical_months"   # 医保18个月社保24个月，老婆没工作没交过: none
                            # of any, so none of the one scheme counted for the spouse
                        if path and not elsewhere and path not in facts:
                            facts[path] = 0
            elif _scheme(c.text) in ("employee_medical", "social") and _find(c.text, _words("same_as_before")) \
                    and not c.question and not c.negated and (figure := _last_figure(facts, vague)) is not None:
                # 社保24个月，医保同 / 医保也是一样的: the figure of the scheme before
                path = _months_path(_scheme(c.text), adult_subject_at(c, 0), False, asked)
                if path and path not in facts and path not in vague:
                    (vague if figure[1] else facts)[path] = figure[0]
            elif verb and (clause_scheme or _ASKED_SCHEME.get(asked)) in ("employee_medical", "social") \
                    and not c.question and not c.unknown and not elsewhere and work_start is not None and since:
                # 前年5月入职，从那时起单位就交医保 / 入职当月开始参保 / (医保几个月？) 入职当月就给交了: the months since
                path = _months_path(clause_scheme or _ASKED_SCHEME.get(asked), adult_subject_at(c, verb[0]), False, asked)
                if path and path not in facts:
                    vague.pop(path, None)
                    (vague if work_start.vague else facts)[path] = work_start.months
            elif verb and clause_scheme in ("employee_medical", "social") and paying and not c.question \
                    and not c.unknown and not elsewhere:
                # 社保一直交着 with no figure: at least one month, a lower bound (入学 needs 按规定缴纳 only)
                paid.append(_months_path(clause_scheme, adult_subject_at(c, verb[0]), False, None))
            continue
        if durations and _find(c.text, _words("start_words")) and _start_date(c.text[slice(*durations[-1].span)]):
            work_start = durations[-1]
        for k, d in enumerate(durations):
            lo = durations[k - 1].span[1] if k else 0
            hi = durations[k + 1].span[0] if k + 1 < len(durations) else len(c.text)
            window = c.text[lo:hi]
            said = c.text[d.span[0]:d.span[1]]
            if re.match(r"几", said) and not re.search(r"[好十0-9]$", c.text[:d.span[0]]):
                continue  # 要干满几年: 几 asks, it is no figure (好几年 / 十几年 are)
            if c.question and c.text[lo:d.span[0]].endswith(_words("rule_figure_markers")):
                continue  # 要交满12个月吗: the rule's figure, not the worker's
            near = c.text[max(lo, d.span[0] - 4):d.span[0]] + c.text[d.span[1]:d.span[1] + 2]
            if _find(near, _words("gap_words")) is not None:
                if started and not d.vague and (path := max(started, key=lambda p: set_in.get(p, -1))) in facts \
                        and facts[path] > d.months:
                    facts[path] -= d.months   # 23年1月开始交医保 24年中间断了半年: the months since, less the gap
                    started.discard(path)
                continue  # 医保断了三个月 / 中断半年: a gap, not months paid
            if c.text[d.span[1]:].startswith(_words("frequency_after")) \
                    or c.text[:d.span[0]].endswith(_words("frequency_before")):
                continue  # 两年一次 / 每两年: how often, not how long
            subject = adult_subject_at(c, d.span[0])
            scheme = _duration_scheme(c.text, lo, d.span, hi, k + 1 < len(durations)) or clause_scheme
            if scheme == "-":
                scheme = None   # 在北仑干了两年社保也交了两年: the 社保 is the next figure's
            if scheme is None and last_scheme in ("employee_medical", "social") and not paying and not working \
                    and _person_figure(c.text, d.span):
                scheme = last_scheme   # 我俩都交社保，我20个月，他12个月: each figure of the scheme named
            if scheme is None and before_scheme and not paying and not working and _hedged_figure(c.text, d.span):
                scheme = before_scheme   # 社保是单位交的，已经二十个月了 / 医保有交 大概九个月
            if scheme is None and _none_of(c.text[d.span[1]:hi]):
                scheme = last_scheme   # 社保记录查出来是空的，一个月也没有: none of the scheme just named
            trade = _find_label(c.text[lo:d.span[1] + 4], occupations)   # 开公交十年 / 干了五年环卫, not a later workplace
            if trade is None and named_trades and _find(window, _words("trade_verbs")) \
                    and _find(window, _words("workplace_words")) is None:
                trade = named_trades[0]
            if trade is None and named_trades and not scheme and not elsewhere and _bare_figure(c.text, d.span):
                trade = named_trades[0]   # 公交 象山 六年 / 环卫一线，北仑，7年 / 在甬年限：11年: the trade's years
            years_asked = asked == "occupation_years_in_ningbo" and not paying
            if (trade and _is_trade(trade) or years_asked) and not scheme and subject in (None, "self"):
                years = d.months / 12
                if d.vague:
                    vague["occupation_years_in_ningbo"] = years
                else:
                    facts.setdefault("occupation_years_in_ningbo", int(years) if years == int(years) else round(years, 2))
                unclear.append("work_months")
                continue
            if subject == "child" and not (paying or working or scheme):
                continue  # 娃8个月: an age
            if scheme in ("resident_medical", "other"):
                noted[f"{scheme}_months"] = d.months
                continue
            if elsewhere or (_paid_elsewhere(c.text[lo:d.span[0]]) and not _ningbo(c.text[lo:d.span[0]])):
                continue  # months paid in 老家 / 在杭州 are not months in Ningbo
            together = subjects_at(c, d.span[0])
            for who in (together if len(together) > 1 else {subject}):   # 我和老公都交了两年医保: each of them
                path = _months_path(scheme, who, working and not scheme, asked)
                if work_start is d and not scheme and who in (None, "self") and path != "work_months":
                    path = "work_months"   # 医保几个月？ “我今年4月份入职的，入职当月就给交了”: the start of work
                if path is None and set_in and who in (None, "self") and _find(
                        "".join(x.text for x in clauses[max(set_in.values()) + 1:n]) + c.text[lo:d.span[0]],
                        _words("correction_words")):
                    path = max(set_in, key=set_in.get)   # 医保交了8个月，说错了，是18个月: the figure corrected
                if path is None:
                    if paying:
                        unclear += ["employee_medical_months", "social_insurance_months"]
                    if who in (None, "self"):
                        noted.setdefault("unattributed_months", d.months)   # 不对，是8个月: whose, the dialogue knows
                    continue
                corrected = k > 0 and _find(c.text[durations[k - 1].span[1]:d.span[0]], _words("correction_words"))
                if not corrected and set_in.get(path, n) < n:   # 十个月，不对，应该是十四个月: the clauses between
                    between = "".join(x.text for x in clauses[set_in[path] + 1:n]) + c.text[lo:d.span[0]]
                    corrected = _find(between, _words("correction_words")) is not None
                exact_after_vague = path in vague and not d.vague and d.span[0] == 0 and _start_date(said)
                added = _find(c.text[lo:d.span[0]], _words("added_payment")) or (_start_date(said) and (
                    _find(c.text[d.span[1]:d.span[1] + 6], _words("added_payment"))
                    or c.text[max(lo, d.span[0] - 3):d.span[0]].endswith(_words("added_from"))))
                if path in facts and not corrected and not d.vague and added:
                    # 在鄞州交了10个月，后来换到北仑又交了7个月: 17 in all; a stretch of dates then another
                    # (2024年3月到2025年6月…又从2025年9月交到现在 / 从今年9月份开始又交上了)
                    facts[path] += d.months
                    set_in[path] = n
                    continue
                if (path in facts or path in vague) and not corrected and not exact_after_vague:
                    continue   # 两年不对是两年半: the second one; 不到3年，去年2月入职就开始交: the start date
                facts.pop(path, None)
                vague.pop(path, None)
                set_in[path] = n
                if c.text[max(lo, d.span[0] - 3):d.span[0]].endswith(_words("denied_figure")):
                    continue   # 不是十个月（是十六个月）: a figure denied is no value
                work = _find(window, _words("work_words")) if path == "work_months" and c.negated else None
                if _none_of(c.text[d.span[1]:hi]) or (work and negated_at(c, lo + work[0], len(work[1]))):
                    facts[path] = 0  # 一个月都没有 / 来宁波八个月了一直没上班
                elif d.vague:
                    vague[path] = d.months
                else:
                    facts[path] = d.months
                    if _start_date(said) and path != "work_months":
                        started.add(path)
        _read_joint_schemes(c, clauses[n - 1] if n else None, pending, durations, asked, facts, vague)
        tail = c.text[durations[-1].span[1]:]
        if _scheme(tail) in ("employee_medical", "social") and _find(tail, _words("same_as_before")) \
                and (figure := _last_figure(facts, vague)) is not None:   # 社保交了两年零五个月医保一样
            path = _months_path(_scheme(tail), adult_subject_at(c, durations[-1].span[1]), False, asked)
            if path and path not in facts and path not in vague:
                (vague if figure[1] else facts)[path] = figure[0]
    for path in paid:
        if path and path not in facts and path not in vague:
            vague[path] = 1


def _only_other_schemes(text: str) -> bool:
    """The clause says only parts of 社保 other than 医保 are paid (只交了工伤险 / 仅缴纳养老保险: lexicon
    ``social_parts``); 只交公积金 is no insurance and says nothing of it."""
    only = _find(text, _words("only_words"))
    if only is None:
        return False
    named = _scheme_words(text[only[0]:])
    return bool(named) and all(w in _words("social_parts") for w, _ in named)


def _read_joint_schemes(c: Clause, before: Clause | None, listed: list, durations, asked, facts, vague) -> None:
    """社保医保都交了两年 / 社保和医保一起交的，都是两年半: several schemes named together (lexicon
    ``joint_scheme_words`` after them), then one figure: the figure is each one's."""
    if len(durations) != 1 or c.question or c.unknown or c.negated:
        return
    d = durations[0]
    lead = c.text[:d.span[0]]
    named = _schemes_named(lead)
    if before is not None and not _durations(before.text, date.min) and not before.question:
        # 社保和医保一起交的，都是两年半 / 社保、医保均已缴纳两年 (the list's clauses before)
        named, lead = [*listed, *_schemes_named(before.text), *named], before.text + lead
    named = list(dict.fromkeys(named))   # 公积金和社保都交了两年: each of them, the ones counted here set
    if len(named) < 2 or _find(lead, _words("joint_scheme_words")) is None:
        return
    for scheme in (s for s in named if s in ("employee_medical", "social")):
        path = _months_path(scheme, adult_subject_at(c, d.span[0]), False, asked)
        if path and path not in facts and path not in vague:
            (vague if d.vague else facts)[path] = d.months


def _duration_scheme(text: str, lo: int, span: tuple[int, int], hi: int, more: bool) -> str | None:
    """The scheme of the figure at ``span`` in a run-on clause: one named before it (医保交了九个月社保交了一年: 医保
    is the first figure's, 社保 the second's), else one right after it (交了两年医保), unless a payment follows that
    scheme word before the next figure (干了两年社保也交了两年: that 社保 is the next figure's: "-")."""
    before = _scheme(text[lo:span[0]])
    if before:
        return before
    after = text[span[1]:hi]
    hit = _find_label(after, _labelled("schemes"))
    if hit is None:
        return None
    if more and _find(after[hit[0] + len(hit[1]):], _words("pay_words")) is not None:
        return "-"
    return _scheme(after)


def _start_date(said: str) -> bool:
    """2021年9月 / 去年3月: a figure said as the month it started (a year and a month), not as a length."""
    return re.search(r"年.*月", said) is not None


def _hedged_figure(text: str, span: tuple[int, int]) -> bool:
    """A figure with at most hedges and adverbs around it (已经二十个月 / 大概是九个月 / 两年多一点)."""
    rest = text[:span[0]] + text[span[1]:]
    for w in _words("figure_adverbs"):
        rest = rest.replace(w, "")
    return _STANDALONE_TAIL.match(rest.strip()) is not None


def _person_figure(text: str, span: tuple[int, int]) -> bool:
    """A person and a figure, nothing else (我18个月 / 她九个月 / 本人：13个月): an item of a list of people."""
    rest = text[:span[0]] + text[span[1]:]
    people, marks = _person_words()
    if not people.search(rest):
        return False
    return _STANDALONE_TAIL.match(marks.sub("", rest).strip()) is not None


@cache
def _person_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The person words (subjects, pronouns), and those with the field marks and 的 (for taking them out)."""
    persons = [w for w, _ in _labelled("subjects")] + list(_words("pronouns"))
    alt = "|".join(map(re.escape, sorted(set(persons), key=len, reverse=True)))
    marks = sorted(set(persons + list(lexicon()["field_value_marks"]) + ["的"]), key=len, reverse=True)
    return re.compile(alt), re.compile("|".join(map(re.escape, marks)))


def _is_zero(text: str) -> bool:
    """零 / 是0 / 为零 (after the adverbs and a field's colon are taken off): a zero and nothing else."""
    text = text.rstrip("".join(_words("zero_tail_particles")))
    return text in _words("zero_figures") or _zero_said(text)


def _zero_said(text: str) -> bool:
    """医保记录是零 / 社保为0: a copula and a zero (lexicon ``zero_copulas``, ``zero_figures``) ending the text."""
    text = text.rstrip("".join(_words("zero_tail_particles")))
    return text.endswith(tuple(c + z for c in _words("zero_copulas") for z in _words("zero_figures")))


def _bare_figure(text: str, span: tuple[int, int]) -> bool:
    """A clause that is a figure and nothing else to read (十年 / 8年 / 在甬11年 / 在甬年限：6年): a Ningbo place,
    a staff note's field words (lexicon ``place_field_words``) and particles around it at most."""
    rest = text[:span[0]] + text[span[1]:]
    return _STANDALONE_TAIL.match(_bare_words().sub("", rest).strip()) is not None


@cache
def _bare_words() -> re.Pattern[str]:
    """What a bare figure may stand with: Ningbo places, a staff note's field words and marks, the labels of
    statements (一线 11年: the label of the line worked)."""
    words = _words("ningbo_places") + _words("place_field_words") + tuple(lexicon()["field_value_marks"]) \
        + _statement_words()
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))


def _last_figure(facts: dict, vague: dict) -> tuple[int, bool] | None:
    """The months figure read last in this message (exact or a lower bound), for 医保同 / 医保一样."""
    for path in reversed([*facts, *vague]):
        if path in ("social_insurance_months", "employee_medical_months"):
            return (facts[path], False) if path in facts else (vague[path], True)
    return None


def _is_trade(hit: tuple[int, str, str]) -> bool:
    """A trade one has years in (环卫, 送外卖, 开出租), not a workplace (厂里上班, 电子厂, 工地)."""
    return _find(hit[1], _words("workplace_words") + _words("worksites")) is None


def _parallel_scheme(c: Clause, nxt: Clause, today: date) -> str | None:
    """他交了八个月，我交了十四个月医保: two clauses of the same shape (another person, paying, a figure) share
    the scheme the second one names."""
    if nxt.subject == c.subject or _find(nxt.text, _words("pay_words")) is None or not _durations(nxt.text, today):
        return None
    return _scheme(nxt.text)


def _months_path(scheme: str | None, subject: str | None, working: bool, asked: str | None) -> str | None:
    if subject in ("child", "other_person"):
        return None
    if scheme == "employee_medical":
        return "spouse_employee_medical_months" if subject == "spouse" else "employee_medical_months"
    if scheme == "social":
        return None if subject == "spouse" else "social_insurance_months"
    if asked in _MONTH_PATHS:
        # the question's scheme, for whoever the clause is about (您交了多少个月？ “我没交，老公在交，一年了”)
        if asked == "employee_medical_months" and subject == "spouse":
            return "spouse_employee_medical_months"
        if asked == "spouse_employee_medical_months" and subject == "self":
            return "employee_medical_months"
        return None if asked == "social_insurance_months" and subject == "spouse" else asked
    if working and subject != "spouse":
        return "work_months"
    return None


@cache
def _elsewhere_places() -> re.Pattern[str]:
    """A place outside Ningbo said as where something is done (在杭州交的, 在上海那边, 苏州那里交了): a province
    (浙江 holds Ningbo), a city of the lexicon's `cities` or `elsewhere_cities`; not a hukou (户口在河南)."""
    places = [w for w in _words("provinces") if w != lexicon()["home_province"]] + list(lexicon()["cities"]) + list(_words("elsewhere_cities"))
    alt = "|".join(sorted(map(re.escape, places), key=len, reverse=True))
    at, there = "|".join(_words("elsewhere_at")), "|".join(_words("elsewhere_there"))
    adverbs, pay = _alternation(_words("negation_adverbs")), _alternation(_words("pay_words"))
    # …or at the start of a clause, right before paying (绍兴又交了一年 / 上海交了四年社保)
    return re.compile(rf"(?:{at})(?:{alt})|(?:{alt})(?:{there})|^(?:{alt})(?:{adverbs})*(?:{pay})")


@cache
def _hukou_phrase() -> re.Pattern[str]:
    """外地户籍 / 老家户口 / 外省人: a place word that names a hukou, not where something was paid."""
    return re.compile(rf"(?:{_alternation(_words('elsewhere'))})(?:{_alternation(_words('possessive_marks'))})?"
                      rf"(?:{_alternation(_words('hukou_words') + _words('hukou_place_suffixes'))})")


def _paid_elsewhere(text: str) -> bool:
    hukou = _words("hukou_words")
    return any(not _strip_trailing_adverbs(text[:m.start()]).endswith(hukou)
               for m in _elsewhere_places().finditer(text))


def _strip_trailing_adverbs(text: str) -> str:
    """户口还 / 户籍都 → 户口 / 户籍: the adverbs a text ends in."""
    adverbs = _words("negation_adverbs")
    while (hit := next((a for a in adverbs if text.endswith(a)), None)) is not None:
        text = text[:-len(hit)]
    return text


def _ningbo(text: str) -> bool:
    return _find(text, _words("ningbo_places")) is not None


def _read_statements(clauses, asked, facts) -> None:
    previous: dict | None = None
    answered = set(facts)   # facts read before the statements (a reply's answer is not overridden)
    for n, c in enumerate(clauses):
        if c.unknown:
            continue
        stated = False
        text = _masked(c.text, _words("schemes") + _words("programme_words"))   # 住房公积金 / 住房保障: no home
        for st in lexicon()["statements"]:
            path = st["path"]
            false_hit = _find(text, tuple(sorted(st.get("false_words", []), key=len, reverse=True)))
            hit = _find(text, tuple(sorted(st["words"], key=len, reverse=True)))
            if false_hit is None and hit is not None and st.get("false_after") and _strip_adverbs(_without_speaker(
                    c.text[hit[0] + len(hit[1]):])).startswith(_words(st["false_after"])):
                false_hit = hit   # 娃的居住证还在办 / 居住证我们在办: not had yet
            if false_hit is None and hit is not None and st.get("restricted"):
                following = text[hit[0]:] + "".join(x.text for x in clauses[n + 1:n + 3])   # cut before 本企业 / 员工
                if m := next((m for m in _restriction().finditer(following) if not _strip_trailing_adverbs(
                        following[:m.start()]).endswith(_words("negators"))), None):   # 不只是员工 / 也不是只对内
                    false_hit = (-1, m.group())   # 只对本企业员工开放 / 仅限本单位职工: for its own people only
            if false_hit is None and hit is None:
                continue
            stated = True
            previous = st
            if false_hit is not None and facts.get(path) is True and path not in answered:
                facts.pop(path)   # 培训中心有的，不过只培训自己员工，不对外: the restriction decides
            again = path not in answered and (st.get("conditions") and facts.get(path) is True
                                              or st.get("alternatives") and facts.get(path) is False)
            if (path in facts and not again) or (c.question and (not c.negated or c.supposed) and false_hit is None):
                continue  # 要居住证吗 / 有居住证能办吗 asks about it (a question alone states nothing)
            if false_hit is None and c.text.endswith(hit[1]) and c.text[:-len(hit[1])] in ("", *_words("label_qualifiers")) \
                    and n + 1 < len(clauses) and _false_reply(st, clauses[n + 1].text):
                facts[path] = False   # 房子 租的: a label, then a reply that denies it
                continue
            if false_hit is None and c.text.endswith(hit[1]) and c.text[:-len(hit[1])] in ("", *_words("label_qualifiers")) \
                    and n + 1 < len(clauses) and (_answer_word(clauses[n + 1].text, standalone=False) is not None
                                                  or _bare_negation(clauses[n + 1].text)) \
                    and _find(clauses[n + 1].text, _statement_words()) is None:   # 一线 没房: 没房 is its own
                continue  # 居住证 没得 / 市级大师工作室，我们没有: a label the next clause answers (一线 alone says 一线)
            at = hit[0] if hit is not None and (false_hit is None or false_hit[0] < 0) else false_hit[0]
            if false_hit is None and _person_at(c.text, at):
                continue   # 房东是本地人: 房 begins a person word, it is no home
            subject = subject_at(c, at) if st.get("subject") == "child" else adult_subject_at(c, at)
            if not _subject_fits(st, subject, asked) or (
                    st.get("subject") == "self" and _find(c.text, tuple(lexicon()["headcounts"]["owner_words"]))):
                continue   # 本单位紧缺高技能人才15名: the enterprise's staff, not the worker's own trade
            if _find(text, tuple(st.get("not_with", ()))):
                continue   # 技校高级工班毕业: a school finished, not one attended now
            if st.get("needs_word") and false_hit is None and not _find(text, tuple(st["needs_word"])):
                continue   # 专家评定怎么组织: the evaluation named, not its outcome
            if st.get("place") == "ningbo":
                if _find(c.text, _words("elsewhere")) and not _ningbo(c.text):
                    continue  # 老家有房子: not a home in Ningbo
                if st.get("needs_place") and not _ningbo(c.text):
                    continue
            negated = hit is not None and negated_at(c, hit[0], len(hit[1]))
            if st.get("conditions") and hit is not None:   # 有培训中心没对外开放: any condition denied denies it
                words = tuple((w, "") for w in st["words"])
                negated = any(negated_at(c, at, len(w)) for at, w, _ in _all_labels(text, words))
            if again and (negated or false_hit is not None) == (facts[path] is False):
                continue   # a later clause may only deny a condition, or name another of the alternatives
            if negated and st.get("negated_verbs"):
                after = _strip_adverbs(c.text[hit[0] + len(hit[1]):])
                negator = next((n for n in _words("negators") if after.startswith(n)), "")
                if negator and after[len(negator):].startswith(tuple(st["negated_verbs"])):
                    negated = negated_at(c, hit[0], len(hit[1]), after_too=False)   # 工作室没评上: the rating's
            if false_hit is not None:
                negated = false_hit[0] < 0 or not _strip_trailing_adverbs(c.text[:false_hit[0]]).endswith(
                    _words("negators"))   # 也不是只对内: a false word denied; a restriction's denial was read with it
            facts[path] = not negated
        if stated or previous is None or previous["path"] in facts:
            continue
        # the object carried to a clause that names only a place, a person and the answer:
        # 老家有房子 宁波没有 / 我有居住证，孩子还没办
        if (c.negated or _find(c.text, _words("carried_answer_words"))) and (_ningbo(c.text) or c.subject) \
                and _subject_fits(previous, c.subject, asked):
            facts[previous["path"]] = not c.negated


@cache
def _restriction() -> re.Pattern[str]:
    """An only word, then within a few characters one of the organisation's own people (lexicon ``restriction``)."""
    spec = lexicon()["restriction"]
    return re.compile(rf"(?:{_alternation(spec['only'])})[^，,。；;]{{0,6}}?(?:{_alternation(spec['own'])})")


def _false_reply(st: dict, text: str) -> bool:
    """A reply that denies the statement by naming what there is instead (有房子吗？ “租的”: lexicon
    ``false_replies`` of the statement), with a particle at most."""
    return any(text.startswith(w) and _STANDALONE_TAIL.match(text[len(w):]) for w in st.get("false_replies", ()))


def _subject_fits(st: dict, subject: str | None, asked: str | None) -> bool:
    """Whose fact a statement can be: the child's residence permit is the child's (a permit the caller names
    as their own is not), an enterprise's fact is the enterprise's, a home is the household's."""
    wanted = st.get("subject")
    if wanted == "child":
        return subject == "child" or (subject is None and asked == st["path"])
    if wanted == "employer":
        return subject == "employer" or asked == st["path"]   # 非技工院校毕业 is the worker's schooling
    if wanted == "self":   # the worker's own (紧缺工种): an enterprise's clause speaks of its staff
        return subject in (None, "self") or asked == st["path"]
    if wanted == "organisation":   # no one's own but an organisation's: the HR person or staff speaks for it
        return subject in (None, "self", "employer") or asked == st["path"]
    if st["path"].startswith("employer."):
        return True
    if st["path"].startswith("student."):
        return subject not in ("spouse", "employer")   # the caller, their child or a sibling may be the student
    if st["path"] == "owns_home_in_ningbo":
        return subject in (None, "self", "spouse")
    return subject in (None, "self")


def _hukou_places() -> tuple[tuple[str, str], ...]:
    return tuple(sorted([(w, "ningbo") for w in _words("ningbo_places")]
                        + [(w, "province") for w in _words("provinces")] + [(w, "city") for w in lexicon()["cities"]]
                        + [(w, "other") for w in _words("hukou_elsewhere") + _words("hukou_origins")],
                        key=lambda p: -len(p[0])))


def _hukou_path(subject: str | None, asked: str | None) -> str | None:
    if subject == "child" or ((asked or "").startswith("children.") and subject is None):
        return "children.hukou"   # 孩子几岁？ “六岁 户口没在宁波”: the child asked about
    return "hukou" if subject in (None, "self") else None


def _read_hukou(clauses, asked, facts) -> None:
    places = _hukou_places()
    alt = "|".join(re.escape(w) for w, _ in places)
    words, suffixes, endings = ("|".join(_words(k)) for k in ("hukou_words", "hukou_place_suffixes", "hukou_place_endings"))
    # 安徽亳州的 / 是安徽阜阳的在宁波…: a city or county may stand between the province and the ending
    provinces = "|".join(_words("provinces"))
    there = "|".join(_words("hukou_place_there"))   # 四川凉山那边的: a place, "over there", the ending
    cue = re.compile(rf"{words}|(?:{alt})(?:{suffixes})|是(?:{alt})(?:{there})?(?:{endings})|(?:{alt})(?:{endings})$"
                     rf"|是(?:{provinces})[\u4e00-\u9fff]{{1,3}}?(?:{there})?(?:{endings})"
                     rf"|(?:{provinces})[\u4e00-\u9fff]{{1,3}}?(?:{endings})$|{'|'.join(_words('hukou_locals') + _words('hukou_origins'))}")
    hukou_word = re.compile("|".join(_words("hukou_words")))
    statement_words = tuple(w for st in lexicon()["statements"] for w in st["words"] + st.get("false_words", []))
    # a one-clause reply naming a place answers 是宁波户口吗, unless it says something else of the place
    # (宁波没房子, 在宁波上班)
    reply = asked in ("hukou", "children.hukou") and len(clauses) <= 2 and not any(_find(
        c.text, statement_words + _words("work_words") + _words("pay_words")) for c in clauses)   # 跟我一样 落在河南老家
    shorthand = {w: v for v, ws in lexicon()["hukou_shorthand"].items() for w in ws}
    last: tuple[str, str] | None = None     # (path, value) of the clause before, for 孩子不是 / 我也是
    subject_of_last: str | None = None
    last_negated = False
    if asked == "hukou_province" and not any(c.negated or c.question or _find(c.text, statement_words + _words(
            "work_words") + _words("pay_words")) for c in clauses):   # 您的户口在哪个省？ “江苏盐城” / “黔东南那边的，贵州”
        place = next((p for c in clauses if (p := _find_label(c.text, places)) and p[2] in ("province", "city")), None)
        if place:
            facts.setdefault("hukou_province", lexicon()["cities"].get(place[1], place[1]))
    held: dict[str, str] = {}   # each person's hukou said so far (the spouse's too: 孩子随她 takes it)
    named_so_far: set[str] = set()   # the people named up to the clause (均为河南 is all of them)
    for n, c in enumerate(clauses):
        named_so_far |= {p for i in range(len(c.text)) if (p := _person_at(c.text, i)) in ("self", "spouse", "child")}
        labelled = n > 0 and clauses[n - 1].text in _words("hukou_words")   # 户口 四川: a field, then its value
        # 俺户口没迁，还在河南: the hukou named before without a place, then where it still is
        labelled = labelled or n > 0 and hukou_word.search(clauses[n - 1].text) is not None \
            and _find_label(clauses[n - 1].text, places) is None and c.subject == clauses[n - 1].subject \
            and _strip_adverbs(c.text).startswith(_words("still_predicates") + _words("hukou_place_leads"))
        bare = _without_person(c.text).lstrip("".join(lexicon()["field_value_marks"]))
        if bare in shorthand and (c.text == bare or _person_at(c.text, 0)):   # 外地 / 其妻外地 / 其妻：外地
            path = _hukou_path(c.subject, asked)
            held.setdefault(c.subject or "self", shorthand[bare])
            if path and path not in facts:
                facts[path] = shorthand[bare]
            continue
        place = _find_label(c.text, places)
        if place and len(clauses) > 1 and place[2] in ("province", "city") and not c.question and not c.negated \
                and asked != "hukou_province" \
                and _without_person(c.text).rstrip("".join(_words("possessive_marks"))) == place[1] \
                and place[1] != lexicon()["home_province"] \
                and lexicon()["cities"].get(place[1]) != lexicon()["home_province"]:
            # 俺 河南 医保1年 / 来电人 男 河南 外卖骑手: a province alone among terse facts is where one is from
            path = _hukou_path(c.subject, asked)
            held.setdefault(c.subject or "self", "other")
            if path and path not in facts:
                facts[path] = "other"
                if path == "hukou":
                    facts.setdefault("hukou_province", lexicon()["cities"].get(place[1], place[1]))
            continue
        said_hukou = hukou_word.search(c.text)
        if place and said_hukou and place[0] < said_hukou.start() \
                and (own := _hukou_own_place(c.text, said_hukou, places)) is not None:
            place = own   # 开了八年在宁波户口是江西的: the place the hukou word names, not where one works
        if place and _attribute_of_work(c.text[place[0] + len(place[1]):]) and hukou_word.search(c.text):
            # 我是北仑的环卫工…外地户口: the workplace first, then the hukou's own place
            place = next((p for p in _all_labels(c.text, places)
                          if not _attribute_of_work(c.text[p[0] + len(p[1]):])), place)
        followed = _followed_parent(c, held) if place is None or not cue.search(c.text) else None
        if followed and "children.hukou" not in facts:
            facts["children.hukou"] = held[followed]   # 娃跟着她 / 小孩户口随他爸 / 其女随父户籍: that parent's
            continue
        moved = _find(c.text, _words("hukou_moved_here")) if place is None and hukou_word.search(c.text) else None
        if moved and not c.question and not c.unknown and _find(c.text[:moved[0]], _words("wish_words")) is None:
            path = _hukou_path(subject_at(c, moved[0]), asked)   # 户口也迁过来了 / 户口没迁过来
            if path and path not in facts:
                facts[path] = "other" if negated_at(c, moved[0], len(moved[1])) else "ningbo"
            continue
        if place is None:
            # 宁波户口孩子不是 / 我是宁波户口，孩子不是: the fact of the clause before, for another person
            if last and c.subject != subject_of_last and _person_at_any(c.text) and _elliptical(c.text):
                for who in sorted(_together(c.text) or {c.subject}, key=str):   # 我和孩子都不是: each of them
                    path = _hukou_path(who, asked)
                    if path and path not in facts:   # 孩子不是 flips 我是宁波户口; 娃也没有 repeats 我没有宁波户口
                        facts[path] = last[1] if c.negated == last_negated else "other" if last[1] == "ningbo" else "ningbo"
            continue
        if not (cue.search(c.text) or reply or labelled) or (c.question and (not c.negated or c.supposed)) or c.unknown:
            continue
        pos, word, kind = place
        value = "ningbo" if kind == "ningbo" else "other"
        if _attribute_of_work(c.text[pos + len(word):]) and not hukou_word.search(c.text):
            continue   # 俺是镇海的保洁员 / 我们是象山的公交公司: where they work, not a hukou
        if kind == "ningbo" and word in _words("near_places") and not hukou_word.search(c.text):
            continue
        wished = _masked(c.text[:pos], _words("preambles") + _words("question_starts"))
        if _find(wished, _words("wish_words")) is not None:
            continue   # 我想落户宁波 / 打算把户口迁到宁波: a wish, not the hukou
        still = _find(c.text[max(0, pos - 4):pos], _words("still_predicates")) is not None   # 还在江西
        said = hukou_word.search(c.text)   # 户口不在宁波: the hukou word's negation; 户口老家没居住证: another's
        if not still and (negated_at(c, pos, len(word)) or (said and negated_at(c, said.start(), len(said.group())))):
            if kind == "ningbo" or word in _words("hukou_not_local"):
                value = "other" if kind == "ningbo" else "ningbo"   # 不是宁波户口 / 不是外地户口
            else:
                continue   # 不是安徽户口: which one, the message does not say
        subjects = {subject_at(c, pos)}
        owner = re.search(rf"(?:{hukou_word.pattern})的", c.text[pos:])
        if owner and _person_at(c.text, pos + owner.end()):
            subjects = {_person_at(c.text, pos + owner.end())}   # 没有宁波户口的娃: the child's
        if _together(c.text):
            subjects = _together(c.text)   # 我和孩子都是安徽的 / 我跟他爸都是宁波户口
        elif len(named_so_far) >= 2 and _all_of_them_pattern().search(c.text[:pos]):
            subjects = set(named_so_far)   # 来电人男42岁其妻38岁其子4岁户籍均为河南: all of them
        elif (subjects - {"self", None} or asked == "children.hukou") and (_same_as_me(c.text[:pos]) or n > 0 and _same_as_me(clauses[n - 1].text)
                                             and _elliptical_same(clauses[n - 1].text)):
            subjects = {s_ or ("child" if asked == "children.hukou" else None) for s_ in subjects} | {"self"}
            # 户口随我都在四川 / 孩子跟我一样是四川户口 / 跟我一样，都是老家的户口: mine too
        for subject in subjects:
            path = _hukou_path(subject, asked)
            if subject in ("self", "spouse", None):
                held.setdefault(subject or "self", value)
            if path is None:
                last, subject_of_last, last_negated = (path, value), subject, c.negated   # 房东是本地户口，我不是
                continue
            if path in facts:
                continue
            facts[path] = value
            if path == "hukou" and kind in ("province", "city"):
                facts["hukou_province"] = lexicon()["cities"].get(word, word)
            last, subject_of_last, last_negated = (path, value), subject, c.negated
        if facts.get("hukou") == "other" and "hukou_province" not in facts and kind not in ("province", "city") \
                and (later := _find_label(c.text[pos + len(word):], places)) and later[2] in ("province", "city"):
            pos, word, kind = pos + len(word) + later[0], later[1], later[2]   # 户口在老家山东: the province after
        if facts.get("hukou") == "other" and "hukou_province" not in facts and kind in ("province", "city") \
                and subject_at(c, pos) in (None, "self"):
            facts["hukou_province"] = lexicon()["cities"].get(word, word)   # 不是宁波的，户口还在贵州
    if "children.hukou" not in facts:   # 孩子户口随妈妈，我老婆是安徽的: the parent's hukou said after
        followed = next((p for c in clauses if (p := _followed_parent(c, held))), None)
        if followed:
            facts["children.hukou"] = held[followed]


def _hukou_own_place(text: str, said: re.Match[str], places) -> tuple[int, str, str] | None:
    """The place a hukou word names: right after it, with a copula or a lead between (户口是江西的 / 户口在河南 /
    户籍：四川 / 户口还在安徽), else right before it (外地户口), when an earlier place is where one works or lives."""
    after = said.end()
    at = after + _hukou_lead().match(text, after).end() - after
    hit = _find_label(text[at:], places)
    if hit and hit[0] == 0 and at > after and not _find(text[at + len(hit[1]):at + len(hit[1]) + 3], _words("work_words")) \
            and not _attribute_of_work(text[at + len(hit[1]):]):   # (外地户口在宁波上班: where one works)
        return at, hit[1], hit[2]
    before = [p for p in _all_labels(text[:said.start()], places) if p[0] + len(p[1]) == said.start()]
    return before[0] if before else None   # 在宁波开公交…外地户口 / 在北仑打工江西户口: the place right before it


@cache
def _all_of_them_pattern() -> re.Pattern[str]:
    """均为 / 都是 right before a place (户籍均为河南): said of everyone named."""
    return re.compile(rf"(?:{_alternation(_words('together_markers'))})(?:{_alternation(_words('together_copulas'))})?$")


def _same_as_me(text: str) -> bool:
    """随我 / 跟我一样 / 和我一样 (lexicon ``follow.words``, ``together_words``, ``same_as_me``): what follows
    is the speaker's too."""
    return _same_as_me_pattern().search(text) is not None


@cache
def _same_as_me_pattern() -> re.Pattern[str]:
    selves = "|".join(w for w, label in _labelled("subjects") if label == "self")
    joins = "|".join(_words("follow", "words") + _words("together_words"))
    same = "|".join(_words("same_as_me"))
    return re.compile(rf"(?:{joins})(?:{selves})(?:(?:{same})|(?:都|也|是|在|$))")


def _elliptical_same(text: str) -> bool:
    """跟我一样 alone: a clause that only says the next is the same as the speaker's."""
    return _same_as_me(text) and len(_strip_adverbs(text)) <= 6


def _attribute_of_work(after: str) -> bool:
    """的环卫工 / 的一家厂: right after a place, 的 and a trade or a workplace make the place where one works."""
    if not after.startswith("的"):
        return False
    rest = after[1:]
    schools = tuple(w for st in lexicon()["statements"] if st["path"] == "student.in_ningbo_vocational_school"
                    for w in st["words"])   # 宁波的中职: where the school is
    trades = tuple(w for w, _ in _labelled("occupation")) + _words("workplace_words") + schools
    return rest.startswith(trades) or _find(rest[:4], trades) is not None and rest.startswith(_words("workplace_determiners"))


def _without_person(text: str) -> str:
    """The text with its person words taken out (其妻外地 → 外地)."""
    return _person_words()[0].sub("", text)


def _followed_parent(c: Clause, held: dict[str, str]) -> str | None:
    """娃跟着她 / 小孩户口随他爸 / 其女随父户籍 (lexicon ``follow``): the child's hukou follows a parent whose
    hukou the message gave; which of the worker and the spouse that is (None: no such clause)."""
    spec = lexicon()["follow"]
    if c.negated or c.question or _find(c.text, _words("follow", "words")) is None \
            or c.subject != "child" and not any(_person_at(c.text, i) == "child" for i in range(len(c.text))) \
            and _ASKED_PERSON.get() != "child":   # 孩子户口在哪？ “跟我”: the child asked about
        return None
    for w in _words("follow", "words"):
        at = c.text.find(w)
        if at < 0:
            continue
        rest = c.text[at + len(w):]
        parent = None if rest.startswith(tuple(spec["mother"] + spec["father"])) else _person_at(rest, 0)
        if parent is None and rest.startswith(tuple(_words("pronouns"))):
            parent = "spouse"   # 随她 / 跟他: the other parent
        if parent is None and rest.startswith(tuple(spec["mother"] + spec["father"])):
            parent = "spouse" if "spouse" in held else "self"   # 随母: the spouse's if the message gave it
        if parent in ("self", "spouse") and parent in held:
            return parent
    return None


@cache
def _together_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """_together's patterns, built once: self + join + the other (+ count) + marker; the other + join + self
    (+ topic) + marker; the possessive before the other person (其)."""
    selves = "|".join(w for w, label in _labelled("subjects") if label == "self")
    others = sorted((w for w, label in _labelled("subjects") if label != "self"), key=len, reverse=True)
    joins = "|".join(_words("together_words"))
    pronouns = "|".join(_words("pronouns"))
    marker = "(?:" + "|".join(_words("together_markers")) + ")"
    possessive = "(?:" + "|".join(_words("together_possessives")) + ")"
    people = possessive + "?(?:" + "|".join(others) + ")"   # 来电人与其丈夫均…
    counts = "|".join(_words("together_counts"))   # 我跟我老公两个都没交: the two of them
    topic = "|".join(_words("hukou_words"))
    return (re.compile(rf"(?:{selves})(?:{joins})(?:{selves}|{pronouns})?({people})(?:{counts})?{marker}"),
            re.compile(rf"({people})(?:{joins})(?:{selves})(?:{topic})?{marker}"),   # 小孩跟我户口都在河南
            re.compile(f"^{possessive}"))


def _together(text: str) -> set[str]:
    """我和孩子都… / 我跟他爸都…: one statement for the worker and the person joined to them (empty: none)."""
    word = _together_word(text)
    return {"self", _role(dict(_labelled("subjects"))[word])} if word else set()


@lru_cache(maxsize=4096)
def _together_word(text: str) -> str | None:
    """The person word joined to the worker in `text` (its role is the message's: _together)."""
    first, second, possessive = _together_patterns()
    m = first.search(text) or second.search(text)
    if not m:
        return None
    return m.group(1) if m.group(1) in dict(_labelled("subjects")) else possessive.sub("", m.group(1))


@cache
def _elliptical_words() -> tuple[str, ...]:
    return tuple(sorted(_words("subjects") + _words("pronouns") + _words("negators") + _words("echo_words")
                        + _words("together_words") + _words("clause_breaks"), key=len, reverse=True))


@lru_cache(maxsize=8192)
def _elliptical(text: str) -> bool:
    """孩子不是 / 我老婆也是 / 娃也一样: a person and an echo of the clause before, with no predicate of its own
    (其女未办居住证 says something else)."""
    rest = text
    for w in _elliptical_words():
        if w in rest:
            rest = rest.replace(w, "")   # 我和孩子都不是 / 然后我的话不是
    return not rest.strip() and (_find(text, _words("negators")) is not None or _find(text, ("也", "一样")) is not None)


def _person_at_any(text: str) -> bool:
    return any(_person_at(text, i) for i in range(len(text)))


_CHOICE_SECTIONS = (("technical_school_class", "school_class"), ("occupation", "occupation"),
                    ("skill_level", "skill_level"), ("professional_title", "professional_title"),
                    ("student.family_hardship", "family_hardship"))


_COUNTED_CHOICES = ("skill_level", "professional_title")


@cache
def _counted_pattern() -> re.Pattern[str]:
    units = "|".join(map(re.escape, lexicon()["headcounts"]["units"]))
    words = "|".join(map(re.escape, sorted(lexicon()["counted_people"], key=len, reverse=True)))
    return re.compile(rf"(?:({NUM})\s*(?:{units})|{words})\s*$")


def _counted(before: str) -> bool:
    """The text right before a level or title counts people (3个 / 两名 / 好几个 / 不少); one is no count
    (我是一名技师 is the speaker)."""
    m = _counted_pattern().search(before)
    return m is not None and (m.group(1) is None or chinese_to_number(m.group(1)) != 1)


def _read_choices(t, clauses, facts) -> None:
    school_words = tuple(w for st in lexicon()["statements"] if st["path"] == "student.in_ningbo_vocational_school"
                         for w in st["words"])
    permits = tuple(w for st in lexicon()["statements"] if st["path"] == "children.residence_permit"
                    for w in st["words"])
    denied: dict[str, set[str]] = {}
    levels = tuple(w for w, _ in _labelled("bare_levels", "levels"))
    for k, c in enumerate(clauses):
        failed_next = k + 1 < len(clauses) and _strip_adverbs(clauses[k + 1].text).startswith(_words("attainment_denied"))
        text = _masked(c.text, school_words + permits)   # 技师学院 is a school, not a 技师; 没办居住证 no 没证
        for path, section in _CHOICE_SECTIONS:
            hit = _find_label(text, _labelled(section))
            while hit and path in _COUNTED_CHOICES and _counted(text[:hit[0]]):
                text = _masked(text, (hit[1],))   # 车间有3个技师: a headcount of others; the clause may name another
                hit = _find_label(text, _labelled(section))
            where = hit[0] if hit else len(c.text)
            subject = subject_at(c, where) if path.startswith("student.") else adult_subject_at(c, where)
            if not path.startswith("student.") and subject not in (None, "self", "employer"):
                continue   # 我老婆是技师 / 我爸干环卫: someone else's (an enterprise's clause speaks of its employee)
            if subject == "employer" and _strip_trailing_adverbs(text[:where]).endswith(_words("possession_words")):
                continue   # 企业有技师 / 公司有高级工: the enterprise has such people, no one's own level
            if hit is None:
                if subject == "employer":
                    continue   # 公司没办技工学校: the enterprise's, not its employee's schooling
                nothing = lexicon()["none_objects"].get(path, ())
                source = _masked(c.text, permits) if path == "technical_school_class" else text   # 没上过技校: the
                none_hit = _find(source, tuple(sorted(nothing, key=len, reverse=True)))   # school is the object here
                after = source[none_hit[0] + len(none_hit[1]):] if none_hit else ""
                one = next((w for w in _words("figure_none", "one") if after.startswith(w)), None)
                if none_hit and source[:none_hit[0]].endswith(levels):
                    continue   # 中级证还没拿到: a certificate of that level not had, not none at all
                if none_hit and source[:none_hit[0]].endswith(_words("run_verbs")):
                    continue   # 没办技工学校 / 未设立技校: an institution not run, no one's schooling
                failed = _find(after[:2], _words("attainment_denied")) is not None or \
                    _strip_adverbs(after.lstrip("证")).startswith(_words("attainment_denied"))   # 技能等级证没考过
                if none_hit and not c.question and path not in facts and (
                        negated_at(c, none_hit[0], len(none_hit[1])) or (one and _none_of(after[len(one):])) or failed
                        or _is_zero(_strip_adverbs(after))):
                    facts[path] = "none"   # 没考过证 / 职称也没有 / 证书一本都没有 / 职称也是零
                continue
            text = _masked(text, (hit[1],))
            if path in facts or (c.question and (not c.negated or c.supposed)):
                continue
            if _find(_masked(c.text[:hit[0]], _words("preambles") + _words("question_starts")),
                     _words("wish_words")) is not None:
                continue   # 欲申报助理工程师 / 打算考技师: a wish, not what is held
            if hit[2] == "none" and _strip_trailing_adverbs(c.text[:hit[0]]).endswith(_words("negators")):
                continue   # 不是没有证 / 并非没证: the none denied, which level the clause does not say
            if hit[2] != "none" and (c.negated and (negated_at(c, hit[0], len(hit[1])) or _find(
                    c.text[hit[0] + len(hit[1]):], _words("attainment_denied")) is not None) or failed_next):
                # 高级工考了两回都没考过 / 报了高级工，没通过
                denied.setdefault(path, set()).add(hit[2])
                rest = text
                while more := _find_label(rest, _labelled(section)):
                    if not negated_at(c, more[0], len(more[1])):
                        facts[path] = more[2]   # 不是低保是建档立卡的: the value the clause goes on to state
                        break
                    denied[path].add(more[2])   # 既不是低保户也不是建档立卡户 / 非低保非建档立卡: one clause, each denied
                    rest = _masked(rest, (more[1],))
                continue   # 不是环卫工 / 不是低保: not that value; which one, the message does not say
            facts[path] = hit[2]
    for path, values in denied.items():
        # 既不是低保户也不是建档立卡户: every value of the choice denied is its none
        others = {v for v, _ in lexicon()[dict(_CHOICE_SECTIONS)[path]].items()} - {"none"}
        if path not in facts and values >= others and "none" in schema.fact(path).choices:
            facts[path] = "none"


def _read_bare_level(clauses, asked, facts) -> None:
    """A level said without 工 (中级, 高级: lexicon ``bare_levels``) is the skill level where the clause names the
    skill certificate (技能等级：中级, 手上就一本中级的) or it answers the skill question (有，中级的) — not where
    a title is named (中级职称) or the level is denied or asked about."""
    spec = lexicon()["bare_levels"]
    if "skill_level" in facts:
        return
    levels = _labelled("bare_levels", "levels")
    titles = _words("professional_title") + tuple(spec["title_words"])
    for c in clauses:
        hit = _find_label(c.text, levels)
        if hit is None or c.question or c.unknown or _find(c.text, titles) is not None:
            continue
        if asked != "skill_level" and _find(c.text, tuple(spec["field_words"])) is None:
            continue
        if negated_at(c, hit[0], len(hit[1])) or adult_subject_at(c, hit[0]) not in (None, "self") \
                or _find(c.text[hit[0]:], _words("attainment_denied")) is not None:
            continue   # 中级证还没拿到
        facts["skill_level"] = hit[2]
        return


def _read_growth(t, facts, vague) -> None:
    """An enterprise's growth of high-skill staff (同比增长5%以上): a percentage whose sign is the growth or
    decline word nearest before it (比去年少了3% → -3, 没有增长，反而下降了2% → -2, 负3% → -3), a growth rate
    word (同比) alone making it a growth; an upper bound (增长不到5%) is no figure; growth denied with no
    figure (没增长) is 0; else computed from last year's and this year's headcounts."""
    path = "employer.high_skill_growth_pct"
    if _find(t, _words("flat_words")):
        facts[path] = 0
        return
    signs = [(w, +1) for w in _words("growth_words")] + [(w, -1) for w in _words("decline_words")]
    for m in re.finditer(rf"(?:百分之({NUM})|({NUM})\s*%)", t):
        before = re.split(r"[，,。；;！!？?]", t[:m.start()])[-1]   # the clause the figure is in
        negative = before.endswith(_words("negative_marks"))
        # nearest = ends last; of two ending together the longer (负增长 over 增长)
        said = [(before.rfind(w) + len(w), len(w), sign) for w, sign in signs if w in before]
        if not said and not negative and _find(before, _words("growth_rate_words")) is None:
            continue   # a percentage of something else
        if _strip_adverbs(before[-4:]).endswith(_words("growth_upper_bound")) or \
                before.rstrip("的").endswith(_words("growth_upper_bound")):
            return   # 增长不到5%: below it, no figure
        value = chinese_to_number(m.group(1) or m.group(2))
        if value is None:
            return
        sign = max(said)[2] if said else 1
        value = -value if negative or sign < 0 else value
        word_start = max(said)[0] - max(said)[1] if said else len(before)
        if t[m.end():].lstrip().startswith(_words("at_least_after")) or before.endswith(_words("at_least_before")) \
                or before[:word_start].endswith(_words("at_least_before")):
            vague[path] = value   # 5%以上 / 超过5% / 起码增长了百分之八: at least that
        else:
            facts[path] = value
        return
    grew = _find(t, _words("growth_words"))
    if grew and t[:grew[0]].endswith(_words("negators")) and not re.search(rf"{NUM}\s*%|百分之", t[grew[0]:]):
        facts[path] = 0   # 没增长 / 高技能人才没有增加 / 一个都没增加: no growth, no figure of a decline
        return
    if grew and _zero_said(t[grew[0]:grew[0] + len(grew[1]) + 3]):
        facts[path] = 0   # 增长为零
        return
    years, unit = lexicon()["headcount_years"], lexicon()["headcount_unit"]
    counts = re.search(rf"{years['before']}.*?({NUM})\s*{unit}.*?{years['now']}\D*?({NUM})\s*{unit}", t)
    if counts:   # 去年高技能人才120人，今年132人: (132 - 120) / 120
        before, now = chinese_to_number(counts.group(1)), chinese_to_number(counts.group(2))
        if before and now is not None:
            facts[path] = round((now - before) / before * 100, 1)


def _read_headcount(t, clauses, asked, facts, vague) -> None:
    """An enterprise's headcount (lexicon `headcounts`): a whole number with a unit right after a counted
    noun (紧缺高技能人才40人, 人数：18人, also across a time word or a comma: 紧缺人才现在有56人) or right before
    it (30个高级工), in a clause about the enterprise or in reply to its question; not the two headcounts that
    give the growth (去年120人，今年132人)."""
    spec = lexicon()["headcounts"]
    path = spec["path"]
    if path in facts or _two_year_headcounts(t):
        return
    starts, at = [], 0   # where each clause begins in t: the noun may end one clause and its figure begin the next
    for c in clauses:
        at = max(t.find(c.text, at), at)
        starts.append(at)
        at += len(c.text)
    hits = sorted(((m.start(), m) for pattern in _headcount_patterns() for m in pattern.finditer(t)),
                  key=lambda h: h[0])
    for start, m in hits:
        k = max((i for i, s in enumerate(starts) if s <= start), default=0)
        c, local = clauses[k], start - starts[k]
        if c.unknown or re.fullmatch(r"几|多少", m.group(1)):
            continue
        value = chinese_to_number(m.group(1))
        if value is None or value != int(value) or is_numeral_range(m.group(1)):
            continue   # 十五六个: a range, no figure
        if asked != path and subject_at(c, min(local, len(c.text) - 1)) != "employer" \
                and _find(t, tuple(spec["owner_words"])) is None \
                and _find(t[start:m.start(1)], tuple(spec["enterprise_nouns"])) is None:
            continue   # 我们车间3个技师 said by a worker: not an enterprise's figures (紧缺高技能人才 always are)
        if value == 1 and _none_of(t[m.end():]):
            facts[path] = 0   # 咱厂一个紧缺人才都没有: none
        elif m.group("more"):
            vague[path] = int(value)   # 紧缺人才二十多名: at least 20
        else:
            facts[path] = int(value)
        return
    for c in clauses:   # 我们企业没有一个符合紧缺高技能人才条件的 / 我司没有紧缺人才: none (said of the enterprise)
        for m in _headcount_none_pattern().finditer(c.text):
            if not c.question and not c.unknown \
                    and (subject_at(c, m.start()) == "employer" or asked == path
                         or _find(t, tuple(spec["owner_words"])) is not None):
                facts[path] = 0
                return


@cache
def _headcount_none_pattern() -> re.Pattern[str]:
    spec = lexicon()["headcounts"]
    return re.compile(rf"(?:{_alternation(spec['none']['negators'])})(?:{_alternation(spec['none']['between'])})*"
                      rf"(?:{_alternation(spec['enterprise_nouns'])})")


def _two_year_headcounts(t: str) -> bool:
    """去年高技能人才120人，今年132人: last year's and this year's headcounts (they give the growth)."""
    years, unit = lexicon()["headcount_years"], lexicon()["headcount_unit"]
    return re.search(rf"{years['before']}.*?({NUM})\s*{unit}.*?{years['now']}\D*?({NUM})\s*{unit}", t) is not None


@cache
def _headcount_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """紧缺高技能人才40人 / 人数：18人 (noun, then the figure) and 30个高级工 (the figure, then the noun)."""
    spec = lexicon()["headcounts"]
    nouns = "|".join(map(re.escape, sorted(spec["nouns"], key=len, reverse=True)))
    units = "|".join(map(re.escape, spec["units"]))
    between = "|".join(map(re.escape, sorted(spec["between"], key=len, reverse=True)))
    times = "|".join(map(re.escape, sorted(spec["times"], key=len, reverse=True)))
    owners = _alternation(list(spec["owner_words"]) + [w for w, label in _labelled("subjects") if label == "employer"])
    return (re.compile(rf"(?:{nouns})(?:{between}|{times}|{owners}|[，,、\s])*\s*({NUM})\s*(?P<more>多)?(?:{units}|$)(?!月)"),
            re.compile(rf"({NUM})\s*(?P<more>多)?(?:{units})(?:{nouns})"))


def _read_ratings(clauses, asked, facts) -> None:
    """The 绩效评估 result of the institution named (lexicon `ratings`): each result word belongs to the
    institution named last before it (in the clause, else earlier; none named: the one asked about).
    评了优秀 → excellent, 没评上优秀 / 良好 → not_excellent, 还没评 → pending; a question (评上优秀给多少) or
    a condition (要优秀才有) states none."""
    institutions = _labelled("ratings", "institutions")
    values = _labelled("ratings", "values")
    condition = tuple(lexicon()["ratings"]["condition_before"])
    named = asked if asked in {label for _, label in institutions} else None
    for c in clauses:
        places = _all_labels(c.text, institutions)
        if c.unknown or (c.question and (not c.negated or c.supposed)):
            named = places[-1][2] if places else named
            continue
        for at, word, value in _all_labels(_masked(c.text, tuple(w for w, _ in institutions)), values):
            before = [p for p in places if p[0] < at]
            whose = before[-1][2] if before else named
            if whose is None or whose in facts or c.text[:at].endswith(condition):
                continue
            if value == "excellent" and negated_at(c, at, len(word)):
                value = "not_excellent"   # 没评上优秀 / 不是优秀
            if value in schema.fact(whose).choices:
                facts[whose] = value
        named = places[-1][2] if places else named


def _all_labels(text: str, pairs: tuple[tuple[str, str], ...]) -> list[tuple[int, str, str]]:
    """Every (position, word, label) of a labelled section in a text, left to right, longest word first
    where two overlap."""
    out, masked = [], text
    while (hit := _find_label(masked, pairs)) is not None:
        out.append(hit)
        masked = masked[:hit[0]] + "#" * len(hit[1]) + masked[hit[0] + len(hit[1]):]
    return sorted(out)


def _read_age(t, clauses, asked, today, facts, vague) -> None:
    age = youngest_age(t, today, normalised=True)
    if age is None:
        months = _child_months(clauses, today)
        if months is not None:
            facts["children.age"] = months // 12   # 宝宝才八个月: 0 周岁
            return
        if asked == "children.age":
            m = re.fullmatch(rf"\s*({NUM})\s*", t)
            if m and chinese_to_number(m.group(1)) is not None:
                facts["children.age"] = int(chinese_to_number(m.group(1)))
        return
    before = t[max(0, age.span[0] - 3):age.span[0]]
    if any(w in before for w in _words("upper_bound_words")):
        return   # 没满六岁: an upper bound only
    named = next((c for c in clauses if t.find(c.text) <= age.span[0] < t.find(c.text) + len(c.text)), None)
    if age.years >= 16 and (named is None or subject_at(named, age.span[0] - t.find(named.text))
                            != "child"):
        return   # 来电人（女，38岁）: the caller's age
    if age.vague:
        vague["children.age"] = age.years
    else:
        facts["children.age"] = age.years


def _child_months(clauses, today: date) -> int | None:
    """宝宝才八个月 / 娃十个月了: a figure in months said of the child, in a clause where nobody pays or works."""
    for c in clauses:
        if _find(c.text, _words("pay_words") + _words("work_words") + _words("schemes")) or c.question:
            continue
        for d in _durations(c.text, today):
            said = c.text[d.span[0]:d.span[1]]
            if not d.vague and said.endswith("月") and subject_at(c, d.span[0]) == "child" \
                    and any(_person_at(c.text, i) == "child" for i in range(d.span[0])):
                return d.months
    return None


@cache
def _organisation_words() -> tuple[str, ...]:
    """The names of an organisation's own institutions (the statements of an employer or organisation
    subject): 工作 in 技能大师工作室 says nothing of anyone working."""
    words = [w for st in lexicon()["statements"] if st.get("subject") in ("employer", "organisation")
             for w in st["words"]]
    return tuple(sorted(set(words), key=len, reverse=True))


def _work_hit(text: str) -> tuple[int, str] | None:
    """Where a clause says someone works: a work word (上班, 打工), a trade (开公交, 干环卫) or a workplace
    (我们单位, 一家水产公司); not inside an institution's name (大师工作室)."""
    text = _masked(text, _organisation_words())
    trades = tuple(w for w, _ in _labelled("occupation"))
    hits = [h for h in (_find(text, _words("work_words")), _find(text, trades), _find(text, _words("workplace_words")))
            if h is not None]
    return min(hits) if hits else None


def _place_only(c: Clause) -> bool:
    """在象山 / 北仑这边: a short clause that names a Ningbo place and nothing else to read."""
    return len(c.text) <= 6 and _ningbo(c.text) and _work_hit(c.text) is None and not c.negated


def _place_field(c: Clause) -> bool:
    """在甬13年 / 在甬年限：9年: a staff note's field of a Ningbo place and how long, nothing else (lexicon
    ``place_field_words``); 我在宁波住了3年 says more."""
    place = _find(c.text, _words("ningbo_places"))
    durations = _spans_of_durations(c.text)
    if place is None or not durations or c.negated:
        return False
    said = [(d.span[0], d.span[1]) for d in durations] + [(place[0], place[0] + len(place[1]))]
    rest = "".join(ch for i, ch in enumerate(c.text) if not any(lo <= i < hi for lo, hi in said) and ch not in ":：")
    for w in _words("place_field_words"):
        rest = rest.replace(w, "")
    return not rest


def _spans_of_durations(text: str) -> list:
    """The durations said in ``text`` (3年, 一年半); the date only anchors start dates, which do not matter here."""
    return _durations(text, date(2000, 1, 1))


@cache
def _arrival_pattern() -> re.Pattern[str]:
    """A move to Ningbo (lexicon ``arrival_words``, a particle, a place in Ningbo)."""
    return re.compile(rf"(?:{_alternation(_words('arrival_words'))})(?:{_alternation(_words('arrival_particles'))})?"
                      rf"(?:{_alternation(_words('ningbo_places'))})")


def _read_works_in_ningbo(clauses, asked, facts) -> None:
    employee = _find("".join(c.text for c in clauses), _words("employee_words")) is not None
    place_field: bool | None = None   # whether any clause is a place field: looked for once, when needed
    away = False
    arrived = _arrival_pattern().search("".join(c.text for c in clauses if not c.question))   # 去年来的北仑 / 刚来宁波没多久
    for n, c in enumerate(clauses):
        hit = _work_hit(c.text)
        if hit is None and _ningbo(c.text):
            hit = _find(c.text, _words("work_in_place_verbs"))   # 在宁波开了七年车 / 一直在宁波干着
        if hit is None or c.question and (not c.negated or c.supposed) or c.unknown:
            continue
        if _find(_masked(c.text[:hit[0]], _words("preambles") + _words("question_starts")), _words("wish_words")):
            continue   # 我想来宁波打工: a wish
        if not subjects_at(c, hit[0]) & {None, "self"}:
            # 我们公司在北仑，员工老周…: the enterprise's place is its employee's workplace
            if employee and hit[1] in _words("workplace_words") and _ningbo(c.text) and not c.negated \
                    and subject_at(c, hit[0]) == "employer" and "works_in_ningbo" not in facts:
                facts["works_in_ningbo"] = True
            continue
        after = c.text[hit[0] + len(hit[1]):]
        paying_after = _denied_payment().match(after)
        if negated_at(c, hit[0], len(hit[1]), after_too=not paying_after):
            if hit[1] in _words("work_words") and not _trade_said(clauses, n):
                facts["works_in_ningbo"] = False   # 还没找到工作 / 一直没上班 / 不在宁波工作
                return
            continue   # 我不是环卫工: another trade, not out of work
        # 干环卫快三年了 在象山; staff notes: 工种：环卫 一线 在甬年限：9年 (the place in a field of its own)
        beside = [clauses[k] for k in (n - 1, n + 1) if 0 <= k < len(clauses)]
        elsewhere = _find(c.text, _words("elsewhere")) is not None
        if _ningbo(c.text) or (not elsewhere and (arrived or any(_place_only(b) for b in beside))):
            facts["works_in_ningbo"] = True
            return
        if place_field is None:
            place_field = any(_place_field(b) for b in clauses)
        if place_field and not elsewhere:
            facts["works_in_ningbo"] = True
            return
        if elsewhere and hit[1] in _words("work_words") and _find(c.text, _words("past_words")) is None \
                and not re.search(rf"{NUM}", c.text):
            away = True   # 本人在老家务工 / 我在外地打工: working, not in Ningbo (a stint there, 在老家干了三年, is past)
    if away and not arrived and "works_in_ningbo" not in facts:   # 去年来的北仑: here now
        facts["works_in_ningbo"] = False
        return
    if asked == "works_in_ningbo" and len(clauses) == 1 and _ningbo(clauses[0].text) \
            and "works_in_ningbo" not in facts:
        facts["works_in_ningbo"] = True  # 您是在宁波工作吗？ “在北仑”


def _trade_said(clauses, n: int) -> bool:
    """Another clause names the worker's trade, not denied (我没在厂里上班，是一线环卫): the negation was of a
    workplace, not of work."""
    trades = _labelled("occupation")
    return any((hit := _find_label(c.text, trades)) and not c.negated and not c.question and hit[2] != "other"
               and adult_subject_at(c, hit[0]) in (None, "self") and _find(c.text, _words("past_words")) is None
               for k, c in enumerate(clauses) if k != n)   # 退休前系公交驾驶员: a trade of the past


def _none_of(after: str) -> bool:
    """The words after a figure say there is none of it (一个月都还没交: lexicon ``figure_none``)."""
    rest = after[len(next((w for w in _words("figure_none", "all") if after.startswith(w)), "")):]
    return rest.startswith(_words("figure_none", "none"))


def _read_reply(t, asked, facts, clauses) -> None:
    """A reply read against the kind of the fact just asked; a reply that does not answer it sets nothing."""
    try:
        fact = schema.fact(asked)
    except KeyError:
        fact = None
    bare = t.strip().strip("，。！？,.!? ")
    units = "|".join(map(re.escape, lexicon()["headcounts"]["units"])) if fact and fact.kind == "number" else "(?!)"
    number = re.fullmatch(rf"(?:是|大概|差不多|有|共|一共)?\s*({NUM})\s*(?:{units})?", bare)
    if asked in _MONTH_PATHS or (fact and fact.kind in ("months", "number")):
        if number and chinese_to_number(number.group(1)) is not None:
            value = chinese_to_number(number.group(1))
            facts[asked] = int(value) if fact is None or fact.kind == "months" or asked == "children.age" else value
        elif not facts and bare.endswith(tuple(c + z + u for c in _words("zero_copulas") for z in _words("zero_figures")
                                                 for u in ("", *lexicon()["headcounts"]["units"]))):
            facts[asked] = 0   # 他那边是零 / 掰着指头数也是零个
        elif fact and fact.kind == "number" and not facts and (m := re.match(rf"({NUM})\s*(?:{units})", bare)) \
                and chinese_to_number(m.group(1)) == 1 and _none_of(bare[m.end():]):
            facts[asked] = 0   # 有多少人？ “一个都没有” / “一个也没”
        elif fact and fact.kind == "number" and not facts and not any(c.negated or c.question for c in clauses) \
                and len(counted := re.findall(rf"(?<![0-9零一二两三四五六七八九十百千])({NUM})\s*(?:{units})+"
                                              rf"(?![\u4e00-\u9fff])|(?<![0-9零一二两三四五六七八九十百千])({NUM})\s*"
                                              rf"(?:{units})+(?=[了啊吧呢哦的左])", bare)) == 1 \
                and not is_numeral_range(counted[0][0] or counted[0][1]) \
                and chinese_to_number(counted[0][0] or counted[0][1]) is not None:
            facts[asked] = chinese_to_number(counted[0][0] or counted[0][1])   # 有多少人？ “三个条件都对得上的 数下来27个”
        elif asked in _MONTH_PATHS and clauses and clauses[0].negated and not clauses[0].unknown \
                and _answer_word(clauses[0].text, standalone=False) is False and not _denied_scheme(clauses[0].text) \
                and not _durations(clauses[0].text, date.min) \
                and not re.search(rf"{NUM}", clauses[0].text):   # 不是十个月: a figure denied, no zero
            facts[asked] = 0   # 交了多少个月？ “没交过” / “没有”
        return
    if fact is None or clauses == [] or clauses[0].unknown:
        return
    first = clauses[0].text
    if len(clauses) > 1 and any(first.startswith(w) for w in _words("correction_words")):
        return   # 不对，是8个月: a correction of a figure, no answer to the question asked
    graded = tuple(w for section in ("skill_level", "professional_title", "school_class") for w, _ in _labelled(section))
    level = asked in lexicon()["reply_choices"] and _find_label(_masked(t, graded), _labelled("reply_choices", asked))
    if level and not clauses[0].negated and not clauses[0].question:
        facts[asked] = level[2]   # 有什么等级的证？ “是中级那个”: 中级 of the question asked
        return
    first = _without_answer_lead(first)   # 去年就办好了 / 早就办了的: when, then the answer
    if any(st["path"] == asked and _false_reply(st, first) for st in lexicon()["statements"]) and len(clauses) == 1:
        facts[asked] = False   # 在宁波有房吗？ “租的”
        return
    first = _collapsed_repeats(_without_own_person(first, asked))   # 有的有的 / 对对对: the answer said again
    answer = _answer_word(first)
    if answer is None and _strip_adverbs(first) != first:
        answer = _answer_word(_strip_adverbs(first))   # 还没得 / 也没有: an adverb, then the answer word
    if answer is None and fact.kind == "yes_no" and _strip_adverbs(first).startswith(_words("in_progress")):
        answer = False   # 有居住证吗？ “还在办，没拿到”: applied for, not had
    if answer is None and fact.kind in ("yes_no", "choice") and re.fullmatch(
            rf"(?:{'|'.join(_words('reply_yes_words'))})[的啊呀嘞哈呢吧了哦噢喔啦嘛]*", first):
        answer = True   # 在宁波工作吗？ “在的” / 在目录里吗？ “在”
    others = [p for p in facts if p != asked]
    if answer is None and not others and not re.search(rf"{NUM}", first):
        answer = _answer_word(first, standalone=False) is False or None   # 还没下来: a no that starts the clause
        answer = False if answer else None
    if answer is None and not others and len(clauses) <= 2:
        lone = _without_answer_lead(clauses[-1].text)   # 有居住证吗？ “一张都没办” / “没有呢，一张都没办”
        no = next((w for w in lexicon()["no_words"] if lone.startswith(w)), None)
        if no and len(clauses) == 1:   # 没有呢一张都没办: the no, a particle, then none of it
            lone = re.sub(r"^[的啊呀嘞哈呢吧了哦噢喔啦嘛]*", "", lone[len(no):])
        one = next((w for w in _words("figure_none", "one") if lone.startswith(w)), None)
        if one and _none_of(lone[len(one):]) and (len(clauses) == 1 or _answer_word(first) is False):
            answer = False
    if answer is None:
        return
    if fact.kind == "yes_no":
        facts[asked] = answer
    elif asked in set(schema.yes_no_paths()):
        facts[asked] = fact.answer(answer)
    elif answer is False and "none" in fact.choices:
        facts[asked] = "none"   # 有证书吗？ “没有”


def _without_own_person(text: str, asked: str) -> str:
    """娃的还没办下来 → 还没办下来: the person the question is about, named (with 的) before the answer."""
    own = "child" if asked.startswith("children.") else "spouse" if asked.startswith("spouse_") else "self"
    if _person_at(text, 0) != own:
        return text
    word = next((w for w in _person_word_list() if text.startswith(w)), "")
    rest = text[len(word):]
    mark = next((m for m in _words("possessive_marks") if rest.startswith(m)), "")
    return rest[len(mark):] if word and mark and rest[len(mark):] else text


def _collapsed_repeats(text: str) -> str:
    """有的有的 → 有的 / 对对对 → 对 / 没有没有，… → 没有，…: an answer word said twice or more, once."""
    return re.sub(r"^([^\d０-９]{1,3}?)\1+", r"\1", text)   # (never figures: 11 stays 11)


def _without_answer_lead(text: str) -> str:
    """A reply without the time words it starts with (lexicon ``answer_leads``: 去年就, 早就, 已经)."""
    rest = text
    leads = _words("answer_leads") + _words("near_places") + _words("ningbo_places")   # 这边没买 / 宁波没有
    while (hit := next((w for w in leads if rest.startswith(w) and len(rest) > len(w)), None)):
        rest = rest[len(hit):]
    return _without_beneficiary(rest) or rest   # 上礼拜刚给他办下来: for whom, then the answer


def _answer_word(text: str, standalone: bool = True) -> bool | None:
    """The yes/no answer word a text starts with; `standalone`: followed by nothing but a particle."""
    best = None
    for value, section in ((True, "yes_words"), (False, "no_words")):
        for w in lexicon()[section]:
            if text.startswith(w) and (not standalone or _STANDALONE_TAIL.match(text[len(w):])) \
                    and (best is None or len(w) > len(best[1])):
                best = (value, w)
    return best[0] if best else None
