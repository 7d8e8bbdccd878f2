"""The guard between a language model's text and the user: nothing the model invents reaches them unflagged.

A model sentence is kept only when every ``[n]`` it carries names a source it was given and every number, date, quoted
phrase, 《title》 and place or organisation name in it appears in the sources it cites (or, without markers, in any
source). In numeric answers the model writes placeholders (``{v1}``) that code replaces with the numbers from the
cells; a digit it writes itself must be a year of a cited report. Sentences that echo instructions are dropped.

Pure functions over strings: no model, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

MARKER = re.compile(r"\[(\d+)\]")
PLACEHOLDER = re.compile(r"\{v(\d+)\}")
_SENTENCE_END = "。！？!?；;\n"
_DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CN_NUMBER = re.compile(r"[一二两三四五六七八九十百千万]+(?=[个项件条次家名人份起批场期类种]|方面)")
_ENUMERATED = re.compile(r"([一二三四五六七八九十])是")
_TITLE = re.compile(r"《[^》]{1,60}》")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
_ORG_SUFFIX = re.compile(r"人民政府|委员会|办公室|信访局|服务中心|人民法院|法院|检察院|公司|公众号|热线")
_PLACE = re.compile(r"(?<=[\u4e00-\u9fff]{2})[省市区县](?=人民政府|政府|信访局|行政|[，。、；：:,\s（(]|$)")
_GENERIC_PLACE = frozenset(re.findall(r"\S+", "社区 城区 辖区 地区 景区 园区 城市 都市 本市 全市 全区 全县 全省 各市 各区 各县 我市 我区 我县 "
                           "该市 该区 该县 市区 郊区 山区 片区 街区 小区 校区 省市 市县 区县 县区 本区 本县 本省"))
INSTRUCTION = re.compile(
    r"忽略(?:以上|上述|之前|前面|先前|此前|所有|全部)?的?(?:所有|全部)?(?:指令|指示|要求|规则|提示|内容|设定)|"
    r"无视(?:以上|上述|之前)|不要(?:理会|遵守)(?:以上|上述)|你(?:现在)?(?:是|扮演)一个|请扮演|系统提示|"
    r"(?:只需|只要|直接|必须|一律)(?:回答|回复|输出)|请(?:直接)?(?:回答|回复|输出)[:：]|(?:回答|回复|输出)(?:时)?改为|"
    r"system\s*prompt|ignore\s+(?:all\s+|the\s+)?(?:previous|above|prior)|disregard\s+(?:all|the|previous)",
    re.IGNORECASE)
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIRECTION = re.compile(r"(?:增加|增长|上升|提高|减少|下降|降低|回落)了?$")


@dataclass(frozen=True)
class Verdict:
    sentence: str
    kept: bool
    reason: str = ""  # why it was dropped, in Chinese


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _THOUSANDS.sub("", re.sub(r"\s+", "", text))


def split_sentences(text: str) -> list[str]:
    """Sentences with their end mark; a trailing piece without one is the last item."""
    out: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            # a citation marker right after the end mark belongs to the sentence before it
            end = i + 1
            while m := MARKER.match(text, end):
                end = m.end()
            if end > start and i >= start:
                out.append(text[start:end])
                start = end
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s.strip()]


def complete_sentences(buffer: str) -> tuple[list[str], str]:
    """While text streams in: the sentences surely finished (a marker may still follow the last end mark, so the
    last sentence waits for the next one) and the rest."""
    sentences = split_sentences(buffer)
    if len(sentences) < 2:
        return [], buffer
    return sentences[:-1], sentences[-1]


def cn_number(text: str) -> int | None:
    """一 … 九十九 as an int; None for anything else (百, 千, mixed)."""
    if not text or any(c not in _CN_DIGIT and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGIT[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def check_sentence(sentence: str, sources: Mapping[int, str], *, require_citation: bool = True,
                   placeholders: Mapping[int, str] | None = None, allowed_numbers: frozenset[str] | None = None,
                   changes: frozenset[int] = frozenset(), agencies: frozenset[str] = frozenset()) -> Verdict:
    """Is this model sentence supported by the sources (id → all text the model was shown for it)?

    ``placeholders`` (numeric answers): the ``{vN}`` the model may use. ``allowed_numbers``: when given, the only
    digits the model may write itself (numeric answers: years of the cited reports). ``changes``: placeholders whose
    text already says 增加/减少, so a direction word right before them is a contradiction waiting to happen.
    """
    text = normalise(sentence)
    if not MARKER.sub("", PLACEHOLDER.sub("", text)).strip("。！？!?；;，,、：:（）() "):
        return Verdict(sentence, True)
    if INSTRUCTION.search(text):
        return Verdict(sentence, False, "含有指令性文字")
    marks = [int(m) for m in MARKER.findall(text)]
    unknown = [m for m in marks if m not in sources]
    if unknown:
        return Verdict(sentence, False, f"引用了不存在的来源[{unknown[0]}]")
    used = [int(p) for p in PLACEHOLDER.findall(text)]
    if used and (placeholders is None or any(p not in placeholders for p in used)):
        return Verdict(sentence, False, "使用了不存在的数字占位符")
    for m in PLACEHOLDER.finditer(text):
        if int(m.group(1)) in changes and _DIRECTION.search(text[max(0, m.start() - 4):m.start()]):
            return Verdict(sentence, False, "在变化量前另加了增减方向")
    if require_citation and not marks and not used:
        return Verdict(sentence, False, "没有引用来源" if placeholders is None else "没有表格数字")
    scope = normalise("\n".join(sources[m] for m in marks) if marks else "\n".join(sources.values()))
    bare = MARKER.sub(" ", PLACEHOLDER.sub(" ", text))
    for date in _DATE.findall(bare):
        if date not in scope:
            return Verdict(sentence, False, f"日期“{date}”不见于来源")
    numbers = set(_NUMBER.findall(_THOUSANDS.sub("", scope)))
    for number in _NUMBER.findall(bare):
        if allowed_numbers is not None:
            if number not in allowed_numbers:
                return Verdict(sentence, False, f"数字“{number}”不是由程序填入的")
        elif number not in numbers and _strip_zeros(number) not in {_strip_zeros(n) for n in numbers}:
            return Verdict(sentence, False, f"数字“{number}”不见于来源")
    for cn in _CN_NUMBER.findall(bare):
        value = cn_number(cn)
        listed = {cn_number(e) for e in _ENUMERATED.findall(scope)}  # 一是…三是: "三方面" counts them
        if cn not in scope and (value is None or (str(value) not in numbers and value != max(listed, default=0))):
            return Verdict(sentence, False, f"数量“{cn}”不见于来源")
    for title in _TITLE.findall(bare):
        if title not in scope and title.strip("《》") not in scope:
            return Verdict(sentence, False, f"{title}不见于来源")
    for quoted in _QUOTED.findall(bare):
        if quoted not in scope:
            return Verdict(sentence, False, f"引文“{quoted}”不见于来源")
    for name in _names(bare) + [a for a in agencies if a in bare]:
        if name not in scope:
            return Verdict(sentence, False, f"名称“{name}”不见于来源")
    return Verdict(sentence, True)


def _strip_zeros(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number.lstrip("0") or "0"


def _names(text: str) -> list[str]:
    """The core of each organisation or place name: two characters and the suffix (宿迁市, 周口市信访局 → 口市, 信访局).
    Generic words (社区, 全市) are not names."""
    out = []
    for m in list(_ORG_SUFFIX.finditer(text)) + list(_PLACE.finditer(text)):
        start = m.start() - 2
        if start < 0 or not re.fullmatch(r"[\u4e00-\u9fff]{2}", text[start:m.start()]):
            continue
        if text[m.start() - 1:m.end()] in _GENERIC_PLACE:
            continue
        out.append(text[start:m.end()])
    return out


def neutralise(text: str) -> tuple[str, int]:
    """Report text shown to a model: sentences that read as instructions to it are withheld. Returns the text and
    how many sentences were withheld."""
    kept, withheld = [], 0
    for sentence in split_sentences(text):
        if INSTRUCTION.search(normalise(sentence)):
            kept.append("〔此处原文为指令性文字，已略去〕")
            withheld += 1
        else:
            kept.append(sentence)
    return "".join(kept), withheld
