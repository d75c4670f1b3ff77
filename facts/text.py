"""One normalisation for every reader of workers' text (the NLU tokenizer and featurizer, the fact reader):
traditional -> simplified (zhconv), full-width digits and Latin letters -> half-width, the typos of
facts/lexicon.yaml fixed. Every step keeps the length, so offsets found on the normalised text are valid on
the original. Chinese punctuation (，。？) is kept."""

from __future__ import annotations

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


def normalize_text(text: str) -> str:
    """Traditional -> simplified, full-width digits/letters -> half-width, common typos fixed.

    Length-preserving, so entity offsets found on the normalised text are valid on the original."""
    if not text:
        return ""
    text = _to_simplified(_to_half_width(text))
    for wrong, right in lexicon()["typos"].items():
        text = text.replace(wrong, right)
    return text


