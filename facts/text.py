"""One normalisation for every reader of workers' text (the NLU tokenizer and featurizer, the fact reader):
traditional -> simplified (zhconv), full-width digits and Latin letters -> half-width, the typos of
facts/lexicon.yaml fixed, and homophone typos of the lexicon's key terms (医包, 北伦, 居主证: typed by pinyin
input, one character wrong but sounding the same) put right. Every step keeps the length, so offsets found on
the normalised text are valid on the original. Chinese punctuation (，。？) is kept."""

from __future__ import annotations

from functools import cache, lru_cache

import zhconv

from facts.lexicon import lexicon


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


@lru_cache(maxsize=4096)
def normalize_text(text: str) -> str:
    """Traditional -> simplified, full-width digits/letters -> half-width, common typos fixed.

    Length-preserving, so entity offsets found on the normalised text are valid on the original."""
    if not text:
        return ""
    text = _to_simplified(_to_half_width(text))
    for wrong, right in lexicon()["typos"].items():
        text = text.replace(wrong, right)
    return _fix_homophones(text)


_CONTEXT = 8   # characters either side of a homophone window that jieba segments to see whether it cuts a word


@lru_cache(maxsize=8192)
def _reading(ch: str) -> str | None:
    """A Han character's usual toneless pinyin reading (None for any other character)."""
    if not "\u4e00" <= ch <= "\u9fff":
        return None
    from pypinyin import Style, lazy_pinyin  # lazily: its dictionaries load on first use

    return lazy_pinyin(ch, style=Style.NORMAL)[0]


@cache
def _homophone_terms() -> dict[int, dict[tuple[str | None, ...], str]]:
    """lexicon `homophone_terms` by length (longest first), keyed by how they sound, character by character."""
    terms: dict[int, dict[tuple[str | None, ...], str]] = {}
    for term in lexicon()["homophone_terms"]:
        terms.setdefault(len(term), {}).setdefault(tuple(_reading(ch) for ch in term), term)
    return dict(sorted(terms.items(), reverse=True))


def _fix_homophones(text: str) -> str:
    """A window that sounds like a key term, has some but at most half of its characters wrong, and cuts no word of
    the text in two (员工交 holds no 公交: jieba reads 员工|交) is that term."""
    sounds = [_reading(ch) for ch in text]
    if sum(s is not None for s in sounds) < 2:
        return text
    chars = list(text)
    for n, terms in _homophone_terms().items():
        i = 0
        while i + n <= len(chars):
            term = terms.get(tuple(sounds[i:i + n]))
            wrong = 0 if term is None else sum(a != b for a, b in zip(chars[i:i + n], term, strict=True))
            if term is not None and 0 < wrong <= n // 2:
                lo = max(0, i - _CONTEXT)   # the words around the window only: a long message costs no more
                words = _word_spans(text[lo:i + n + _CONTEXT])
                if not any(s + lo < edge < e + lo for s, e in words for edge in (i, i + n)):
                    chars[i:i + n] = term
                    i += n
                    continue
            i += 1
    return "".join(chars)


@lru_cache(maxsize=4096)
def _word_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every dictionary word of two characters or more in the text (no HMM: it would glue
    the unknown characters of a typo into a "word" of their own)."""
    import jieba  # lazily: the dictionary loads on first use (the NLU's tokenizer shares it)

    return [(s, e) for _, s, e in jieba.tokenize(text, HMM=False) if e - s >= 2]   # dictionary words only
