"""The lexical channel: query normalisation (Chinese numerals → digits, colloquial synonyms from
`knowledge/data/synonyms.yaml`), jieba tokenisation and BM25 over the indexed clauses."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.yaml"

STOPWORDS = set(
    "的 了 吗 呢 啊 呀 吧 么 嘛 哦 哈 我 你 他 她 它 我们 你们 他们 俺 咱 是 在 有 没 不 也 都 就 还 和 与 及 "
    "能 能不能 可以 可不可以 会 要 想 请问 一下 这个 那个 什么 怎么 怎么办 怎样 多少 哪里 哪 谁 为 对 把 被 给 "
    "等 个 之 其 或 上 下 中 里".split()
)
_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_DEC = re.compile(r"([一二两三四五六七八九十]+)点([零一二三四五六七八九]+)")
_CN_NUM = re.compile(r"[零〇一二两俩三四五六七八九十百千万]+")
# a lone numeral is only a number when a measure word follows (一人一技, 一件事 stay words)
_MEASURE_AFTER = re.compile(r"^(?:周岁|岁|年|个月|月|万|元|块|套|家|场|%|成|倍|级|小时|分钟|天)")


def cn_to_int(s: str) -> int | None:
    """六百→600, 十三万→130000, 两千五→2500, 三千二百→3200, 九十二→92; None if not a number."""
    total, section, num, last_unit = 0, 0, None, 1
    for ch in s:
        if ch in _DIGIT:
            if num is not None:            # 一二 (digit strings) are not handled
                return None
            num = _DIGIT[ch]
        elif ch in _UNIT:
            section += (1 if num is None else num) * _UNIT[ch]
            last_unit, num = _UNIT[ch], None
        elif ch == "万":
            section += num or 0
            total += section * 10000
            section, num, last_unit = 0, None, 10000
        else:
            return None
    if num is not None:
        # 两千五 = 2500: a trailing digit after a unit counts one unit lower
        section += num * (last_unit // 10 if last_unit >= 100 and s[-2] in "千百万" else 1)
    return total + section


def convert_numbers(text: str) -> str:
    """Replace Chinese numerals by Arabic ones where they are quantities; 百分之九十五 → 95%."""
    text = re.sub(r"百分之([零一二两三四五六七八九十百点.\d]+)",
                  lambda m: (str(cn_to_int(m.group(1))) if cn_to_int(m.group(1)) is not None else m.group(1)) + "%",
                  text)

    def repl(m: re.Match) -> str:
        s = m.group(0)
        after = text[m.end():]
        if s[0] in "百千万":                          # 万一, 千万 are words
            return s
        if len(s) == 1 and s not in "十百千万" and not _MEASURE_AFTER.match(after):
            return s
        if s.endswith("万") and len(s) > 1:        # 十三万 → 13万 (the documents write 13万套, 20万元)
            n = cn_to_int(s[:-1])
            return s if n is None else f"{n}万"
        n = cn_to_int(s)
        return s if n is None else str(n)

    text = _CN_DEC.sub(lambda m: f"{cn_to_int(m.group(1))}.{''.join(str(_DIGIT[c]) for c in m.group(2))}"
                       if cn_to_int(m.group(1)) is not None else m.group(0), text)     # 八点七 → 8.7
    return _CN_NUM.sub(repl, text)


class Normalizer:
    """Query normalisation before both channels: full-width ASCII → half-width (４歲 → 4歲) and traditional →
    simplified characters (歲 → 岁), one character at a time so the length never changes.

    The character table comes from zhconv's zh-Hans dictionary (single-character entries; phrase entries
    are not needed for matching) and is saved with an index as `t2s.txt`, so loading skips zhconv's
    dictionary (~0.25 s)."""

    def __init__(self, table: dict[str, str]):
        self.table = dict(table)
        fullwidth = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
        self._trans = str.maketrans({**fullwidth, 0x3000: " ", **self.table})

    @classmethod
    def from_zhconv(cls) -> Normalizer:
        try:
            from zhconv import zhconv
        except ImportError:                 # zhconv is in the Rasa extra, not in the sentence-transformers env
            return cls({})
        zhconv.loaddict()
        return cls({k: v for k, v in zhconv.zhcdicts["zh2Hans"].items() if len(k) == 1 and len(v) == 1 and k != v})

    def __call__(self, text: str) -> str:
        return text.translate(self._trans)

    def save(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(f"{k}{v}\n" for k, v in sorted(self.table.items())))

    @classmethod
    def load(cls, path: Path) -> Normalizer:
        with open(path, encoding="utf-8") as f:
            return cls({line[0]: line[1] for line in f.read().splitlines() if len(line) == 2})


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    table: dict[str, list[str]] = {}
    for group in data.get("groups", []):
        for word in group["say"]:
            table.setdefault(word, [])
            table[word] += [w for w in group["means"] if w not in table[word]]
    return table


def expansion_terms(question: str) -> list[str]:
    """Policy words implied by colloquial words found in the question (substring match, longest first)."""
    q = convert_numbers(question)
    out: list[str] = []
    for word in sorted(synonyms(), key=len, reverse=True):
        if word in q:
            out += [w for w in synonyms()[word] if w not in out]
    return out


def expand_query(question: str) -> str:
    """The question with numbers converted and the implied policy words appended."""
    q = convert_numbers(question)
    terms = expansion_terms(question)
    return q if not terms else q + " " + " ".join(terms)


_DIGIT_EDGE = re.compile(r"(?<=\d)(?=[^\d.%])|(?<=[^\d.])(?=\d)")
_PADDING_WORD = "\ue000"          # private-use character: never in a text, carries the dictionary's lost mass
_MAX_WORD = 16


class Tokenizer:
    """jieba search-mode tokens without stopwords and punctuation (numbers kept: 600, 13, 3.5).

    `Tokenizer()` uses jieba's full dictionary (about 350 000 words, ~0.8 s to load) plus the synonym
    words; `restrict(texts)` gives a tokenizer whose dictionary holds only the words that occur in
    those texts (and the synonym words) with their original frequencies and the original total, so the
    texts segment exactly as before. A query can only score on corpus words anyway, so an index saves
    that small dictionary (`lexicon.txt`, jieba's "word freq" format) and loads it in milliseconds.
    """

    def __init__(self, freq: dict[str, int] | None = None):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        if freq is None:                                   # the full dictionary (cached by jieba in tmp)
            self._jieba.initialize()
            for word in synonym_words():
                self._jieba.add_word(word, freq=20000)
            self.words: dict[str, int] | None = None
        else:
            self.words = dict(freq)
            lfreq, total = {}, 0
            for word, f in self.words.items():
                lfreq[word] = f
                total += f
                for i in range(1, len(word)):
                    lfreq.setdefault(word[:i], 0)
            self._jieba.FREQ, self._jieba.total, self._jieba.initialized = lfreq, total, True

    def __call__(self, text: str) -> list[str]:
        text = _DIGIT_EDGE.sub(" ", text.lower())          # 24万 → 24 万, so figures match as tokens
        return [t for t in self._jieba.lcut_for_search(text)
                if t.strip() and t not in STOPWORDS and not _PUNCT.match(t)]

    def restrict(self, texts: list[str]) -> Tokenizer:
        """A tokenizer over the dictionary words occurring in `texts` (+ synonym words), same total."""
        freq = self._jieba.FREQ
        keep: dict[str, int] = {}
        for text in texts:
            text = _DIGIT_EDGE.sub(" ", text.lower())
            for i in range(len(text)):
                for j in range(i + 1, min(i + _MAX_WORD, len(text)) + 1):
                    w = text[i:j]
                    if w not in freq:                      # no dictionary word starts with this prefix
                        break
                    if freq[w] > 0:
                        keep[w] = freq[w]
        for word in synonym_words():
            keep[word] = freq[word]
        rest = self._jieba.total - sum(keep.values())
        if rest > 0:
            keep[_PADDING_WORD] = rest
        return Tokenizer(keep)

    def save(self, path: Path) -> None:
        if self.words is None:
            raise ValueError("only a restricted tokenizer is saved (the full one is jieba's own dictionary)")
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(f"{w} {n}\n" for w, n in sorted(self.words.items())))

    @classmethod
    def load(cls, path: Path) -> Tokenizer:
        freq = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                word, _, n = line.rstrip("\n").rpartition(" ")
                if word:
                    freq[word] = int(n)
        return cls(freq)


def synonym_words() -> set[str]:
    words = {w for ws in synonyms().values() for w in ws} | set(synonyms())
    return {w for w in words if len(w) > 1 and " " not in w}


@lru_cache(maxsize=1)
def full_tokenizer() -> Tokenizer:
    return Tokenizer()


def tokenize(text: str) -> list[str]:
    """Tokens with jieba's full dictionary (what `restrict`ed tokenizers reproduce on corpus text)."""
    return full_tokenizer()(text)


class BM25Channel:
    """Okapi BM25 (k1 1.5, b 0.75, negative idf floored at epsilon × mean idf, as rank_bm25's BM25Okapi)
    over pre-tokenised documents, as a term × document weight matrix: a query is a sum of rows."""

    def __init__(self, doc_tokens: list[list[str]], tokenizer: Tokenizer, k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25):
        import numpy as np

        self.tokenizer = tokenizer
        self.doc_tokens = [toks or ["∅"] for toks in doc_tokens]
        n_docs = len(self.doc_tokens)
        vocab: dict[str, int] = {}
        for toks in self.doc_tokens:
            for t in toks:
                vocab.setdefault(t, len(vocab))
        tf = np.zeros((len(vocab), n_docs))
        for d, toks in enumerate(self.doc_tokens):
            for t in toks:
                tf[vocab[t], d] += 1
        dl = tf.sum(axis=0)
        df = (tf > 0).sum(axis=1)
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        idf[idf < 0] = epsilon * idf.mean()
        norm = k1 * (1 - b + b * dl / dl.mean()) if n_docs else dl
        self.vocab = vocab
        self.weights = idf[:, None] * tf * (k1 + 1) / (tf + norm[None, :])

    def query_weights(self, question: str, expansion_weight: float = 1.0) -> dict[str, float]:
        """Token → weight: the question's own tokens count once per occurrence; tokens that only the
        synonym expansion brings count `expansion_weight` (a colloquial word implies, not states, them)."""
        own = self.tokenizer(convert_numbers(question))
        weights: dict[str, float] = {}
        for t in own:
            weights[t] = weights.get(t, 0.0) + 1.0
        for t in self.tokenizer(" ".join(expansion_terms(question))):
            if t not in own:
                weights[t] = weights.get(t, 0.0) + expansion_weight
        return weights

    def scores(self, question: str, expansion_weight: float = 1.0):
        import numpy as np

        weights = self.query_weights(question, expansion_weight)
        if not weights:
            return None
        rows = [self.vocab[t] for t in weights if t in self.vocab]
        w = [weights[t] for t in weights if t in self.vocab]
        return np.asarray(w) @ self.weights[rows] if rows else np.zeros(self.weights.shape[1])
