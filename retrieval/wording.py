"""How a question is written, made readable: NFKC, years and round numbers in digits, colloquial phrasings in the
lexicon's words, and homophones typed for a lexicon word respelled ("规范姓文件" → 规范性文件)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from core.numbers import ROUND_NUMBER, chinese_int, fmt
from core.sounds import sound
from retrieval.lexicon import COLLOQUIAL, INTENTS, T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_CATEGORIES, T4_OUTCOMES

_CN_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
              "八": "8", "九": "9"}


def normalise_question(text: str, colloquial: bool = True) -> str:
    """NFKC, no spaces, years and round numbers in digits; with ``colloquial`` also the lexicon's words for
    colloquial phrasings ("复议完再去法院告的" → 复议后起诉; not for the text passages are searched with)."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    text = text.replace("啥", "什么").replace("咋", "怎么")
    text = re.sub(r"没(?:有)?办法|没法", "无法", text)  # spoken for the reports' 无法 ("没法提供")
    text = re.sub(r"往外(?:发|推|放)(?!布)", "发布", text)  # "往外发信息": 发布
    text = re.sub(r"纳到|(?:放进|放到)(?=[^，,。？?]{0,8}考核)", "纳入", text)  # "纳到哪个考核里": 纳入
    text = re.sub(r"[〇零一二三四五六七八九]{4}(?=年)", lambda m: "".join(_CN_DIGITS[c] for c in m.group()), text)
    # "一九、二零、二二这三年": years listed in numerals, 年 written once at the end
    text = re.sub(r"(?<![〇零一二两三四五六七八九十百千万\d])((?:[〇零一二三四五六七八九]{2}[、，,和])+[〇零一二三四五六七八九]{2})"
                  r"(?=这?[两二三四五六几]?年)",
                  lambda m: "、".join("".join(_CN_DIGITS[c] for c in y) + "年" for y in re.split(r"[、，,和]", m.group(1))),
                  text)
    # "周口那个行政服务中心": a pointing word between a place and its organ
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?:那个|这个)(?=[\u4e00-\u9fff]{1,8}?(?:中心|局|委员会|委|办公厅|办公室|政府))", "", text)
    # "二二年": a two-digit year in numerals, as in "22年"
    text = re.sub(r"(?<![〇零一二两三四五六七八九十百千万\d])[〇零一二三四五六七八九]{2}(?=年)",
                  lambda m: "".join(_CN_DIGITS[c] for c in m.group()), text)
    text = re.sub(r"(?<=[\d〇零一二两三四五六七八九十百千])个(?=[万亿])", "", text)  # "十个亿": 十亿
    text = ROUND_NUMBER.sub(_in_digits, text)
    text = re.sub(r"(\d+(?:\.\d+)?)亿", lambda m: f"{fmt(Decimal(m.group(1)) * 10000)}万", text)  # 10亿: 100000万
    for pattern, canonical in COLLOQUIAL if colloquial else ():
        text = pattern.sub(canonical, text)
    return text


def _in_digits(m: re.Match[str]) -> str:
    n = chinese_int(m.group()) or 0
    return f"{n // 10000}万" if n >= 10000 and n % 10000 == 0 else str(n)  # 万 kept: "上亿" in 元 is 10000万元


# two-character words typed as homophones often enough to respell ("复意" for 复议); longer words are all used
_TWO_CHAR_WORDS = ("复议", "诉讼", "起诉", "规章", "处罚", "许可", "废止", "纠正", "维持", "结转", "申请", "答复", "决定",
                   "收费")


@lru_cache(maxsize=1)
def _word_sounds() -> dict[tuple[str, ...], frozenset[str]]:
    """How each lexicon word (and topic word) of three characters or more sounds (for homophones typed in a
    question: 规范姓文件, 政策解毒)."""
    words = {w for group in (T2_ROWS, T2_COLUMNS, T3_ROWS, T3_COLUMNS, T4_CATEGORIES, T4_OUTCOMES) for c in group
             for w in c.words if len(w) >= 3} | {w for i in INTENTS for w in i.words if len(w) >= 3} | set(_TWO_CHAR_WORDS)
    out: dict[tuple[str, ...], set[str]] = {}
    for w in words:
        out.setdefault(sound(w), set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


def respell(q: str, keep: tuple[str, ...] = (),
            sounds: dict[tuple[str, ...], frozenset[str]] | None = None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The question with a homophone typed for a lexicon word replaced ("规范姓文件" → 规范性文件): a span that is no
    word itself, sounds like exactly one word and differs from it in one character; ``keep``: spans not to touch
    (agency names); ``sounds``: another vocabulary (the organs' names). Returns the text and the (typed, read)
    pairs."""
    sounds = _word_sounds() if sounds is None else sounds
    known = {w for ws in sounds.values() for w in ws}
    done: list[tuple[str, str]] = []
    for size in (6, 5, 4, 3, 2):
        i = 0
        while i + size <= len(q):
            span = q[i:i + size]
            near = [w for w in sounds.get(sound(span), ()) if sum(a != b for a, b in zip(w, span)) == 1
                    and not _flips_negation(span, w)]
            if span not in known and len(near) == 1 and not any(span in k or k in span for k in keep if k):
                q = q[:i] + near[0] + q[i + size:]
                done.append((span, near[0]))
            i += 1
    return q, tuple(done)


_NEGATIONS = frozenset("不没未无非否")


def _flips_negation(typed: str, word: str) -> bool:
    """A homophone repair never turns an affirmation into a negation or back ("全部公开" is not 全不公开)."""
    return any(a != b and (a in _NEGATIONS or b in _NEGATIONS) for a, b in zip(typed, word))


def lexicon_words_in(q: str) -> tuple[str, ...]:
    return tuple(w for w in _all_lexicon_words() if w in q)


@lru_cache(maxsize=1)
def _all_lexicon_words() -> frozenset[str]:
    return frozenset(w for group in (T2_ROWS, T2_COLUMNS, T3_ROWS, T3_COLUMNS, T4_CATEGORIES, T4_OUTCOMES)
                     for c in group for w in c.words if len(w) >= 2)


def respelled_text(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """The passages are searched for the words meant, not the homophones typed (政策解毒 → 政策解读)."""
    for typed, read in pairs:
        text = text.replace(typed, read)
    return text
